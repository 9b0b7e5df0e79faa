//! PDF output: the standard (PDF/A-3a with PDF/UA-1 by default), the
//! document date that makes output reproducible, and export.

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::base::date::{Date, source_date_epoch};
use crate::input::model::Report;

/// The PDF standards jixiao offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
pub enum Standard {
    /// PDF/A-3a and PDF/UA-1 together: archival, accessible (tagged
    /// structure, headings, table headers, alternative text), and may carry
    /// the source data (default).
    #[default]
    #[value(name = "a-3a")]
    #[serde(rename = "a-3a")]
    A3a,
    /// PDF/A-3b: archival, and may carry the source data.
    #[value(name = "a-3b")]
    #[serde(rename = "a-3b")]
    A3b,
    /// PDF/A-2b: archival; cannot carry attachments.
    #[value(name = "a-2b")]
    #[serde(rename = "a-2b")]
    A2b,
    /// Plain PDF 1.7.
    #[value(name = "1.7")]
    #[serde(rename = "1.7")]
    V17,
}

impl Standard {
    pub fn name(self) -> &'static str {
        match self {
            Standard::A3a => "a-3a",
            Standard::A3b => "a-3b",
            Standard::A2b => "a-2b",
            Standard::V17 => "1.7",
        }
    }

    pub fn is_pdfa(self) -> bool {
        matches!(self, Standard::A3a | Standard::A3b | Standard::A2b)
    }

    /// Whether the source data can be attached (PDF/A-2 forbids attachments).
    pub fn allows_attachments(self) -> bool {
        !matches!(self, Standard::A2b)
    }

    fn typst(self) -> &'static [PdfStandard] {
        match self {
            Standard::A3a => &[PdfStandard::A_3a, PdfStandard::Ua_1],
            Standard::A3b => &[PdfStandard::A_3b],
            Standard::A2b => &[PdfStandard::A_2b],
            Standard::V17 => &[PdfStandard::V_1_7],
        }
    }
}

/// The document date, never the clock: the report's own date (落款日期); else
/// `SOURCE_DATE_EPOCH`; else 1 January of the year after the fiscal year,
/// when such reports are written.
pub fn document_date(report: &Report) -> Date {
    if let Some(d) = report.closing.as_ref().and_then(|c| c.date.as_ref()).and_then(|d| d.date) {
        return Date { year: d.year as i32, month: d.month, day: d.day };
    }
    if let Ok(Some(d)) = source_date_epoch() {
        return d;
    }
    Date { year: report.year + 1, month: 1, day: 1 }
}

/// Export options: the standard, the fixed timestamp, the creator.
pub fn options(standard: Standard, date: Date) -> Result<PdfOptions, String> {
    let standards = PdfStandards::new(standard.typst()).map_err(|e| e.message().to_string())?;
    let timestamp = Datetime::from_ymd_hms(date.year, date.month, date.day, 0, 0, 0).map(Timestamp::new_utc);
    Ok(PdfOptions {
        ident: Smart::Auto,
        creator: Smart::Custom(Some(format!("jixiao {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        standards,
        ..PdfOptions::default()
    })
}

pub fn export(doc: &PagedDocument, standard: Standard, date: Date) -> Result<Vec<u8>, String> {
    let options = options(standard, date)?;
    typst_pdf::pdf(doc, &options).map_err(|diags| {
        diags
            .iter()
            .map(|d| {
                let hints: String = d.hints.iter().map(|h| format!("（{}）", h.v)).collect();
                format!("{}{hints}", d.message)
            })
            .collect::<Vec<_>>()
            .join("；")
    })
}

