//! Tables: the generated score and finance tables, and tables written in the
//! data, all turned into one plain structure the template draws. Totals a
//! table asks for are computed here, on exact decimals.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::derive::Figures;
use crate::input::model::parse_number;
use crate::base::diagnostic::Finding;
use crate::base::format::{money_thousands, number, percent};
use crate::input::model::{Align, Cell, MoneyFormat, Report, UserTable, Width};
use crate::derive::money_tree::{Node as MoneyNode, Part};
use crate::derive::scores::{Node, Scores};

/// A table as the template draws it.
#[derive(Debug, Clone, Serialize)]
pub struct TableData {
    pub columns: Vec<ColumnData>,
    /// Header rows, repeated on every page.
    pub header: Vec<Vec<CellData>>,
    pub rows: Vec<Vec<CellData>>,
    /// Type size in pt.
    pub size: u8,
    /// Rows drawn before the header, which then repeats from where it
    /// stands (a form whose top part is not repeated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_at: Option<usize>,
    /// A name unique in the document, given to tables whose `relabel`
    /// cells are split where a page breaks them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relabel: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ColumnData {
    /// `"3fr"` or `"40mm"`.
    pub width: String,
    pub align: Align,
}

#[derive(Debug, Clone, Serialize)]
pub struct CellData {
    pub text: String,
    pub rowspan: u32,
    pub colspan: u32,
    /// Overrides the column's alignment.
    pub align: Option<Align>,
    /// A figure: never wrapped.
    pub numeric: bool,
    /// A merged label printed again on each page its rows reach.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub relabel: bool,
}

impl CellData {
    pub(crate) fn text(t: impl Into<String>) -> Self {
        CellData { text: t.into(), rowspan: 1, colspan: 1, align: None, numeric: false, relabel: false }
    }

    pub(crate) fn num(t: impl Into<String>) -> Self {
        CellData { numeric: true, ..CellData::text(t) }
    }

    pub(crate) fn span(mut self, rows: u32, cols: u32) -> Self {
        self.rowspan = rows;
        self.colspan = cols;
        self
    }

    pub(crate) fn align(mut self, a: Align) -> Self {
        self.align = Some(a);
        self
    }

    pub(crate) fn relabel(mut self) -> Self {
        self.relabel = true;
        self
    }
}

impl TableData {
    /// No line break inside a word of a header or a short label.
    pub fn keep_words(&mut self) {
        use crate::layout::linebreak::keep_words;
        for c in self.header.iter_mut().flatten() {
            c.text = keep_words(&c.text);
        }
        for c in self.rows.iter_mut().flatten() {
            if !c.numeric && c.text.chars().count() <= 2 * WHOLE_LABEL_CHARS {
                c.text = keep_words(&c.text);
            }
        }
    }
}

impl TableData {
    /// Merged labels are cut where a page breaks them and named again on the
    /// next page, so a continuation page says which indicator its rows belong
    /// to. Only for tables laid out in millimetres (the form renderer's
    /// columns), and only when a label is merged over rows.
    pub fn relabel_merged(&mut self, id: &str) {
        if self.header_at.is_some() || !self.columns.iter().all(|c| c.width.ends_with("mm")) {
            return;
        }
        let mut any = false;
        for c in self.rows.iter_mut().flatten() {
            if c.rowspan > 1 && !c.numeric {
                c.relabel = true;
                any = true;
            }
        }
        if any {
            self.header_at = Some(0);
            self.relabel = Some(id.to_string());
        }
    }
}

/// Labels and headers up to this many characters are never broken.
const WHOLE_LABEL_CHARS: usize = 6;

impl TableData {
    /// Column widths from the content, on a type area `avail_mm` wide: every
    /// column gets at least the room its header, its figures and its labels
    /// of up to six characters need on one line (headers and figures only,
    /// when `labels` is false: the user chose the proportions); what is left
    /// is shared in the proportions the table asked for. Tables with absolute
    /// widths, or whose content cannot fit in any case, keep their widths.
    pub fn fit_columns(&mut self, avail_mm: f64, labels: bool) {
        let Some(fr) = self.columns.iter().map(|c| c.width.strip_suffix("fr")?.parse::<f64>().ok()).collect::<Option<Vec<f64>>>() else {
            return;
        };
        let pt = 25.4 / 72.0;
        let size = f64::from(self.size);
        let text_mm = |t: &str| -> f64 {
            t.chars()
                .filter(|&c| c != crate::layout::linebreak::WORD_JOINER)
                .map(|c| if c.is_ascii() { 0.55 } else { 1.0 })
                .sum::<f64>()
                * size
                * pt
        };
        let inset_mm = (2.0 * 4.0 + 1.0) * pt;
        let mut need = vec![0.0f64; fr.len()];
        let mut taken = vec![0u32; fr.len()];
        for (r, row) in self.header.iter().chain(self.rows.iter()).enumerate() {
            let header = r < self.header.len();
            for (col, c) in placed(row, &mut taken) {
                if c.colspan != 1 || !(header || c.numeric || labels) {
                    continue;
                }
                let chars = c.text.chars().filter(|&ch| ch != crate::layout::linebreak::WORD_JOINER).count();
                let whole = header || c.numeric || chars <= WHOLE_LABEL_CHARS;
                // Longer text breaks between words: its widest word must fit.
                let plain: String = c.text.chars().filter(|&ch| ch != crate::layout::linebreak::WORD_JOINER).collect();
                let w = if whole {
                    plain.lines().map(text_mm).fold(0.0, f64::max)
                } else {
                    crate::layout::linebreak::words(&plain).into_iter().map(text_mm).fold(0.0, f64::max)
                };
                need[col] = need[col].max(w + inset_mm);
            }
        }
        if need.iter().sum::<f64>() > avail_mm {
            return;
        }
        // Water-filling: columns whose share is below their need get the
        // need; the rest share what remains by their weights.
        let mut fixed = vec![false; fr.len()];
        loop {
            let left = avail_mm - (0..fr.len()).filter(|&i| fixed[i]).map(|i| need[i]).sum::<f64>();
            let weight: f64 = (0..fr.len()).filter(|&i| !fixed[i]).map(|i| fr[i]).sum();
            let mut changed = false;
            for i in 0..fr.len() {
                if !fixed[i] && left * fr[i] / weight < need[i] {
                    fixed[i] = true;
                    changed = true;
                }
            }
            if !changed {
                for (i, c) in self.columns.iter_mut().enumerate() {
                    let w = if fixed[i] { need[i] } else { left * fr[i] / weight };
                    // Rounded, so the JSON (and the PDF) is the same on every machine.
                    c.width = format!("{:.2}mm", (w * 100.0).floor() / 100.0);
                }
                return;
            }
        }
    }
}

/// The cells of a row with the column each starts in, skipping columns
/// still covered by a rowspan from above; `taken` carries those spans on.
fn placed<'a>(row: &'a [CellData], taken: &mut Vec<u32>) -> Vec<(usize, &'a CellData)> {
    let ncols = taken.len();
    let mut next: Vec<u32> = taken.iter().map(|t| t.saturating_sub(1)).collect();
    let mut out = Vec::new();
    let mut col = 0;
    for c in row {
        while col < ncols && taken[col] > 0 {
            col += 1;
        }
        if col < ncols {
            out.push((col, c));
        }
        for n in next.iter_mut().take((col + c.colspan as usize).min(ncols)).skip(col) {
            *n = c.rowspan.saturating_sub(1);
        }
        col += c.colspan as usize;
    }
    *taken = next;
    out
}

const DEFAULT_SIZE: u8 = 12;
const MAX_SIZE: u8 = 14;

/// Width of the type area in mm, portrait or landscape.
pub fn area_width_mm(landscape: bool) -> f64 {
    if landscape { 225.0 } else { 156.0 }
}

/// 部门整体支出绩效自评表: 一级 | 二级 | 三级 | 分值 | 自评得分 | 评分说明,
/// from the scored tree; the note column, the grade row, the score header
/// and the weight in the names follow `scoring.table`. Each score present is
/// printed, the missing ones left blank for filling in by hand.
pub fn score_table(report: &Report, scores: &Scores, blank: bool) -> TableData {
    let opts = &report.scoring.table;
    let show = |v: Option<Decimal>| if blank { String::new() } else { v.map(number).unwrap_or_default() };
    let score = |n: &Node| show(n.score);
    let name = |n: &Node| {
        if opts.weight_in_name {
            // The weight stays whole on one line: the name may break before it, never inside it.
            let weight = report.style.weight_in_title.replace("{weight}", &number(n.weight));
            let glued: Vec<String> = weight.chars().map(String::from).collect();
            format!("{}{}", n.name, glued.join(&crate::layout::linebreak::WORD_JOINER.to_string()))
        } else {
            n.name.clone()
        }
    };
    // The trailing 评分说明 cell, when the table has that column.
    let note = |row: &mut Vec<CellData>, text: String| {
        if opts.note {
            row.push(CellData::text(text));
        }
    };
    let note_of = |n: &Node| n.note.clone().unwrap_or_default();
    let mut rows: Vec<Vec<CellData>> = Vec::new();
    for cat in &scores.categories {
        let level2 = &cat.children;
        let leaf_count = |n: &Node| n.children.len().max(1);
        let cat_rows: usize = level2.iter().map(leaf_count).sum::<usize>().max(1);
        if level2.is_empty() {
            let mut row = vec![CellData::text(name(cat)).span(1, 3), CellData::num(number(cat.weight)), CellData::num(score(cat))];
            note(&mut row, note_of(cat));
            rows.push(row);
        }
        for (i, l2) in level2.iter().enumerate() {
            let mut first = Vec::new();
            if i == 0 {
                first.push(CellData::text(name(cat)).span(cat_rows as u32, 1));
            }
            if l2.children.is_empty() {
                first.push(CellData::text(name(l2)).span(1, 2));
                first.extend([CellData::num(number(l2.weight)), CellData::num(score(l2))]);
                note(&mut first, note_of(l2));
                rows.push(first);
                continue;
            }
            first.push(CellData::text(name(l2)).span(l2.children.len() as u32, 1));
            for (k, l3) in l2.children.iter().enumerate() {
                let mut row = if k == 0 { std::mem::take(&mut first) } else { Vec::new() };
                row.extend([CellData::text(name(l3)), CellData::num(number(l3.weight)), CellData::num(score(l3))]);
                note(&mut row, note_of(l3));
                rows.push(row);
            }
        }
        // A category without sub-indicators is its own subtotal.
        if level2.is_empty() {
            continue;
        }
        let mut row = vec![
            CellData::text("小计").span(1, 3).align(Align::Center),
            CellData::num(number(cat.weight)),
            CellData::num(score(cat)),
        ];
        note(&mut row, String::new());
        rows.push(row);
    }
    for b in &scores.bonuses {
        let awards: Vec<&str> = b.rules.awards.iter().map(|a| a.name.as_str()).collect();
        let shown = show(b.score);
        let mut row = vec![CellData::text(&b.name).span(1, 3), CellData::num(format!("≤{}", number(b.rules.cap))), CellData::num(shown.clone())];
        // With its points printed, the item lists what earned them.
        note(&mut row, if !shown.is_empty() && !awards.is_empty() { awards.join("；") } else { b.note.clone().unwrap_or_default() });
        rows.push(row);
    }
    let mut row = vec![
        CellData::text("合计").span(1, 3).align(Align::Center),
        CellData::num(number(report.scoring.total)),
        CellData::num(if blank { String::new() } else { scores.total.map(|t| t.to_string()).unwrap_or_default() }),
    ];
    note(&mut row, String::new());
    rows.push(row);
    let ncols: u32 = if opts.note { 6 } else { 5 };
    if opts.grade
        && !blank
        && let Some(g) = &scores.grade
    {
        rows.push(vec![
            CellData::text("评价等级").span(1, 3).align(Align::Center),
            CellData::text(g).span(1, ncols - 3).align(Align::Center),
        ]);
    }
    let col = |w: u32, align| ColumnData { width: format!("{w}fr"), align };
    let mut columns = vec![col(3, Align::Center), col(3, Align::Center), col(4, Align::Left), col(2, Align::Center), col(2, Align::Center)];
    let mut header: Vec<String> = ["一级指标", "二级指标", "三级指标", "分值"].map(String::from).to_vec();
    header.push(opts.score_header.clone());
    if opts.note {
        columns.push(col(5, Align::Left));
        header.push("评分说明".into());
    }
    TableData { columns, header: vec![header.into_iter().map(|t| CellData::text(t).align(Align::Center)).collect()], rows, size: DEFAULT_SIZE, header_at: None, relabel: None }
}

/// 部门整体支出基本情况表: 项目 | 金额 | 占比, with 上年数 | 增减率 when the
/// report states last year's figures. Rows follow the tree of amounts.
pub fn finance_table(report: &Report, derived: &Figures, path: &str) -> Result<TableData, Finding> {
    let f = report
        .finance
        .as_ref()
        .ok_or_else(|| Finding::error(path, "收支表（finance_table）需要 [finance] 的数字，但数据中没有"))?;
    let tree = derived.money.as_ref().ok_or_else(|| Finding::error(path, "收支表（finance_table）需要 [finance] 的数字，但数据中没有"))?;
    let places = report.scoring.places;
    let money = |d: Decimal| {
        let mut d = d;
        d.rescale(f.decimals.max(2));
        match f.money_format {
            MoneyFormat::Plain => d.to_string(),
            MoneyFormat::Thousands => money_thousands(d),
        }
    };
    let share = |part: Decimal, whole: Decimal| percent(part, whole, places).map(|p| p.to_string()).unwrap_or_default();
    let shown = |n: &&MoneyNode| matches!(n.part, Part::Income | Part::Expenditure | Part::CarryOver);
    let with_prior = tree.nodes.iter().filter(shown).any(|n| n.value.prior.is_some());
    let mut rows = Vec::new();
    let mut heads = 0u32;
    let mut listed_seen: std::collections::HashSet<(Option<usize>, Option<String>)> = Default::default();
    let mut breakdown_seen: Option<String> = None;
    for n in tree.nodes.iter().filter(shown) {
        let root = n.part != Part::CarryOver;
        let whole = root.then(|| tree.nodes.iter().find(|r| r.part == n.part && r.depth == 0).map(|r| r.value.amount)).flatten();
        if n.depth == 0 {
            heads += 1;
            breakdown_seen = None;
        }
        if n.breakdown.is_some() && n.breakdown != breakdown_seen && n.depth == 1 {
            breakdown_seen = n.breakdown.clone();
            let mut row = vec![CellData::text(format!("　　{}", n.breakdown.clone().unwrap_or_default())), CellData::num(""), CellData::num("")];
            if with_prior {
                row.extend([CellData::num(""), CellData::num("")]);
            }
            rows.push(row);
        }
        let depth = n.depth + usize::from(n.breakdown.is_some());
        let label = if n.depth == 0 {
            let name = match n.key.as_deref() {
                Some("opening") => "年初结转结余",
                Some("closing") => "年末结转结余",
                _ => n.name.as_str(),
            };
            format!("{}、{name}", crate::base::format::chinese_numeral(heads))
        } else {
            let lead = if !n.listed || n.breakdown.is_some() {
                ""
            } else if listed_seen.insert((n.parent, n.breakdown.clone())) {
                "其中："
            } else {
                "　　　"
            };
            format!("{}{lead}{}", "　　".repeat(depth), n.name)
        };
        let mut row = vec![CellData::text(label), CellData::num(money(n.value.amount)), CellData::num(whole.map(|w| share(n.value.amount, w)).unwrap_or_default())];
        if with_prior {
            row.push(CellData::num(n.value.prior.map(money).unwrap_or_default()));
            row.push(CellData::num(n.change_rate.map(|r| r.to_string()).unwrap_or_default()));
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(Finding::error(path, "收支表（finance_table）需要 [finance.income] 或 [finance.expenditure]"));
    }
    let unit = f.money_unit.label();
    let mut columns = vec![
        ColumnData { width: "5fr".into(), align: Align::Left },
        ColumnData { width: "3fr".into(), align: Align::Right },
        ColumnData { width: "2fr".into(), align: Align::Right },
    ];
    let mut header = vec!["项目".to_string(), format!("金额（{unit}）"), "占比（%）".to_string()];
    if with_prior {
        // Five columns: the headers take two lines so that the labels keep
        // the room their indents need.
        columns[0].width = "7fr".into();
        columns.push(ColumnData { width: "3fr".into(), align: Align::Right });
        columns.push(ColumnData { width: "2fr".into(), align: Align::Right });
        header = vec!["项目".to_string(), format!("金额\n（{unit}）"), "占比\n（%）".to_string(), format!("上年数\n（{unit}）"), "增减率\n（%）".to_string()];
    }
    Ok(TableData {
        columns,
        header: vec![header.into_iter().map(|t| CellData::text(t).align(Align::Center)).collect()],
        rows,
        size: DEFAULT_SIZE,
        header_at: None,
        relabel: None,
    })
}

/// A table written in the data: check its shape, compute its totals, and
/// make sure it fits the type area.
pub fn user_table(t: &UserTable, landscape: bool, path: &str) -> Result<TableData, Vec<Finding>> {
    let mut errors = Vec::new();
    let ncols = t.columns.len();
    if ncols == 0 {
        return Err(vec![Finding::error(format!("{path}.columns"), "表格至少要有一列")]);
    }
    let size = t.size.unwrap_or(DEFAULT_SIZE);
    if !(7..=MAX_SIZE).contains(&size) {
        errors.push(Finding::error(format!("{path}.size"), format!("表格字号应在 7 到 {MAX_SIZE} pt 之间，实际为 {size}")));
    }
    // Shape: every row fills exactly the columns, counting spans from above.
    let check_rows = |rows: &[Vec<Cell>], key: &str, errors: &mut Vec<Finding>| {
        let mut carried = vec![0u32; ncols]; // rows still covered by a rowspan above
        for (r, row) in rows.iter().enumerate() {
            let mut col = 0usize;
            let mut cells = row.iter();
            let mut next_carried = carried.iter().map(|c| c.saturating_sub(1)).collect::<Vec<_>>();
            while col < ncols {
                if carried[col] > 0 {
                    col += 1;
                    continue;
                }
                let Some(cell) = cells.next() else { break };
                let (rs, cs) = cell.spans();
                let rows_left = rows.len() - r;
                if cs as usize > ncols - col || rs as usize > rows_left {
                    errors.push(Finding::error(
                        format!("{path}.{key}[{r}]"),
                        format!(
                            "第 {} 行的单元格“{}”跨 {rs} 行 {cs} 列，超出了表格（此处最多跨 {rows_left} 行、{} 列）",
                            r + 1,
                            crate::base::diagnostic::shown(cell.text()),
                            ncols - col
                        ),
                    ));
                    return;
                }
                for covered in next_carried.iter_mut().take((col + cs as usize).min(ncols)).skip(col) {
                    *covered = rs - 1;
                }
                col += cs as usize;
            }
            let extra = cells.count();
            if col != ncols || extra > 0 {
                let filled = if extra > 0 { ncols + extra } else { col };
                errors.push(Finding::error(
                    format!("{path}.{key}[{r}]"),
                    format!("第 {} 行占 {filled} 列，而表格有 {ncols} 列（已计入上方单元格的 rowspan）", r + 1),
                ));
            }
            carried = next_carried;
        }
    };
    check_rows(&t.header, "header", &mut errors);
    check_rows(&t.rows, "rows", &mut errors);

    let to_cell = |c: &Cell| {
        let (rs, cs) = c.spans();
        let text = c.text().to_string();
        let numeric = parse_number(&text).is_some();
        CellData { text, rowspan: rs, colspan: cs, align: None, numeric, relabel: false }
    };
    let mut rows: Vec<Vec<CellData>> = t.rows.iter().map(|r| r.iter().map(to_cell).collect()).collect();

    if let Some(total) = &t.total {
        let mut sums: Vec<(usize, Decimal, u32)> = Vec::new();
        for &c in &total.columns {
            if c == 0 || c > ncols {
                errors.push(Finding::error(format!("{path}.total.columns"), format!("合计列 {c} 不存在（表格有 {ncols} 列，从 1 数起）")));
                continue;
            }
            let mut sum = Decimal::ZERO;
            let mut scale = 0;
            for (r, row) in t.rows.iter().enumerate() {
                // Only rows whose cells line up with the columns (no spans) are summed.
                if row.len() != ncols {
                    errors.push(Finding::error(
                        format!("{path}.rows[{r}]"),
                        "要计算合计的表格中，各行不能合并单元格（每行应有与列数相同的单元格）",
                    ));
                    break;
                }
                match parse_number(row[c - 1].text()) {
                    Some(v) => {
                        sum += v;
                        scale = scale.max(v.scale());
                    }
                    None if row[c - 1].text().trim().is_empty() => {}
                    None => errors.push(Finding::error(
                        format!("{path}.rows[{r}]"),
                        format!("第 {} 行第 {c} 列“{}”不是数字，无法计入合计", r + 1, row[c - 1].text()),
                    )),
                }
            }
            sums.push((c, sum, scale));
        }
        let first = sums.iter().map(|s| s.0).min().unwrap_or(ncols + 1);
        let mut row = vec![CellData::text(&total.label).span(1, (first - 1).max(1) as u32).align(Align::Center)];
        for c in first.max(2)..=ncols {
            match sums.iter().find(|s| s.0 == c) {
                Some((_, v, scale)) => {
                    let mut v = *v;
                    v.rescale(*scale);
                    row.push(CellData::num(v.to_string()));
                }
                None => row.push(CellData::text("")),
            }
        }
        rows.push(row);
    }

    // Width: absolute columns, and the room each figure needs, against the type area.
    let avail = area_width_mm(landscape);
    let inset_mm = 2.0 * 4.0 * 25.4 / 72.0;
    let mut abs_total = 0.0;
    let mut fr_total = 0u32;
    let mut widths = Vec::new();
    for (i, c) in t.columns.iter().enumerate() {
        match &c.width {
            Some(Width::Absolute(s)) => match s.trim().strip_suffix("mm").and_then(|n| n.trim().parse::<f64>().ok()) {
                Some(mm) if mm > 0.0 => {
                    abs_total += mm;
                    widths.push(ColumnData { width: format!("{mm}mm"), align: c.align });
                }
                _ => {
                    errors.push(Finding::error(format!("{path}.columns[{i}].width"), format!("列宽“{s}”应为数字（相对宽度）或如 \"40mm\" 的毫米数")));
                    widths.push(ColumnData { width: "1fr".into(), align: c.align });
                }
            },
            Some(Width::Relative(n)) => {
                fr_total += (*n).max(1);
                widths.push(ColumnData { width: format!("{}fr", (*n).max(1)), align: c.align });
            }
            None => {
                fr_total += 1;
                widths.push(ColumnData { width: "1fr".into(), align: c.align });
            }
        }
    }
    let orientation = if landscape { "横向版心" } else { "版心" };
    let hint = if landscape { "请减少列数或缩小字号" } else { "请减少列宽、缩小字号，或把附件设为横向（landscape = true）" };
    if abs_total > avail {
        errors.push(Finding::error(
            format!("{path}.columns"),
            format!("各列宽之和 {abs_total:.1}mm 超过{orientation}宽度 {avail}mm；{hint}"),
        ));
    } else {
        let pt_to_mm = 25.4 / 72.0;
        for (i, c) in t.columns.iter().enumerate() {
            let width = match &c.width {
                Some(Width::Absolute(s)) => s.trim().trim_end_matches("mm").trim().parse::<f64>().unwrap_or(0.0),
                Some(Width::Relative(n)) => (avail - abs_total) * f64::from((*n).max(1)) / f64::from(fr_total.max(1)),
                None => (avail - abs_total) / f64::from(fr_total.max(1)),
            };
            // The widest single-column figure in this column.
            let need = rows
                .iter()
                .flat_map(|r| column_cells(r, i))
                .filter(|c| c.numeric && c.colspan == 1)
                .map(|c| c.text.chars().map(|ch| if ch.is_ascii() { 0.55 } else { 1.0 }).sum::<f64>() * f64::from(size) * pt_to_mm + inset_mm)
                .fold(0.0, f64::max);
            if need > width + 0.01 {
                errors.push(Finding::error(
                    format!("{path}.columns[{i}]"),
                    format!("第 {} 列“{}”宽约 {width:.1}mm，放不下其中的数字（约需 {need:.1}mm），表格宽于{orientation}；{hint}", i + 1, c.title),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut header: Vec<Vec<CellData>> = t.header.iter().map(|r| r.iter().map(|c| to_cell(c).align(Align::Center)).collect()).collect();
    header.push(t.columns.iter().map(|c| CellData::text(&c.title).align(Align::Center)).collect());
    for row in &mut header {
        for c in row.iter_mut() {
            c.numeric = false;
        }
    }
    Ok(TableData { columns: widths, header, rows, size, header_at: None, relabel: None })
}

/// The cells of a row that start in column `col` (spans from above ignored:
/// good enough for the width estimate, which looks at single cells).
fn column_cells(row: &[CellData], col: usize) -> impl Iterator<Item = &CellData> {
    let mut at = 0usize;
    row.iter().filter(move |c| {
        let here = at == col;
        at += c.colspan as usize;
        here
    })
}

/// 人员编制情况表: 类别 | 编制数 | 实有人数, with the sums and the retired.
pub fn staffing_table(report: &Report, path: &str) -> Result<TableData, Finding> {
    let s = report
        .staffing
        .as_ref()
        .ok_or_else(|| Finding::error(path, "人员表（staffing_table）需要 [staffing] 的人数，但数据中没有"))?;
    let figures = crate::derive::staffing::StaffFigures::of(s);
    let count = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let mut rows: Vec<Vec<CellData>> =
        s.groups.iter().map(|g| vec![CellData::text(&g.name), CellData::num(count(g.authorized)), CellData::num(count(g.actual))]).collect();
    rows.push(vec![CellData::text("合计").align(Align::Center), CellData::num(count(figures.authorized)), CellData::num(count(figures.actual))]);
    if let Some(r) = s.retired {
        rows.push(vec![CellData::text("退休人员"), CellData::num(""), CellData::num(r.to_string())]);
    }
    let col = |w: u32, align| ColumnData { width: format!("{w}fr"), align };
    Ok(TableData {
        columns: vec![col(4, Align::Left), col(2, Align::Center), col(2, Align::Center)],
        header: vec![["类别", "编制数（名）", "实有人数（名）"].map(|t| CellData::text(t).align(Align::Center)).to_vec()],
        rows,
        size: DEFAULT_SIZE,
        header_at: None,
        relabel: None,
    })
}
