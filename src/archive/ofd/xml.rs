//! The small pieces every OFD part shares: the namespace, numbers in
//! millimetres written short and stable, and a writer set up alike.

use xmlwriter::{Indent, Options, XmlWriter};

pub const NS: &str = "http://www.ofdspec.org/2016";

/// A writer for one part, its root element opened with the OFD namespace.
pub fn part(root: &str) -> XmlWriter {
    let mut w = XmlWriter::new(Options { indent: Indent::None, attributes_indent: Indent::None, use_single_quote: false });
    w.write_declaration();
    w.start_element(root);
    w.write_attribute("xmlns:ofd", NS);
    w
}

/// A number with at most three decimals (a micrometre in mm), no trailing
/// zeros and never "-0": the same layout always gives the same text.
pub fn num(v: f64) -> String {
    let r = (v * 1000.0).round() / 1000.0;
    if r == 0.0 || !r.is_finite() {
        return "0".into();
    }
    let s = format!("{r:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Numbers joined by spaces, as OFD's ST_Array.
pub fn nums(vs: &[f64]) -> String {
    vs.iter().map(|v| num(*v)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.0001), "0");
        assert_eq!(num(5.6444), "5.644");
        assert_eq!(num(210.0), "210");
        assert_eq!(nums(&[0.0, 0.5]), "0 0.5");
    }
}
