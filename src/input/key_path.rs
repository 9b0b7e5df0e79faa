//! Key paths as messages and the editor name a place in the data file:
//! `sections[2].blocks[0].paragraph`.

use std::fmt;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// `a.b[2].c` → [a, b, 2, c]; None when malformed.
pub fn parse(path: &str) -> Option<Vec<Seg>> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return None;
        }
        segs.push(Seg::Key(key.to_string()));
        while !rest.is_empty() {
            let close = rest.find(']')?;
            segs.push(Seg::Index(rest.get(1..close)?.parse().ok()?));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return None;
            }
        }
    }
    (!segs.is_empty()).then_some(segs)
}

/// [a, b, 2, c] → `a.b[2].c`.
pub fn format(segs: &[Seg]) -> String {
    Path(segs).to_string()
}

struct Path<'a>(&'a [Seg]);

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) if n == 0 => f.write_str(k)?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_reads_and_prints_back() {
        let p = "sections[2].blocks[0].paragraph";
        let segs = parse(p).unwrap();
        assert_eq!(segs[1], Seg::Index(2));
        assert_eq!(format(&segs), p);
        assert_eq!(parse("a..b"), None);
        assert_eq!(parse("a[x]"), None);
    }
}
