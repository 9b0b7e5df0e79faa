//! Symbol fonts and check boxes as characters the report's fonts have.

use roxmltree::Node;

use super::attr;

/// A symbol (`w:sym`) from a symbol font: the check marks and boxes of a
/// score table; other private-use symbols are left out.
pub(super) fn symbol(n: Node) -> Option<char> {
    let code = u32::from_str_radix(attr(&n, "char")?, 16).ok()?;
    symbol_char(code, attr(&n, "font").unwrap_or(""))
}

/// A character `code` of the symbol font `font`, as a character the
/// report's fonts have; `None` for one they cannot print.
pub(super) fn symbol_char(code: u32, font: &str) -> Option<char> {
    let private = (0xF000..=0xF0FF).contains(&code);
    let code = if private { code - 0xF000 } else { code };
    let font = font.trim().to_ascii_lowercase();
    if font == "wingdings 2" {
        // `R` in Wingdings 2 is how many a form types its ☑.
        return match code {
            0x50 => Some('√'),
            0x4F => Some('×'),
            0x52..=0x54 => Some('■'),
            0xA3 | 0x2A => Some('□'),
            _ => None,
        };
    }
    if font.starts_with("wingdings 3") || font.starts_with("webdings") || font == "marlett" {
        return None;
    }
    if font.starts_with("wingdings") {
        return match code {
            // As units type them: √ and × are in every Chinese font.
            0xFC => Some('√'),
            0xFB => Some('×'),
            // Ticked and crossed boxes: ■, as forms print them (the report's
            // fonts have no ☑ or ☒).
            0xFD | 0xFE | 0x78 => Some('■'),
            0xA8 | 0x6F => Some('□'),
            0x6C => Some('●'),
            0x9F => Some('•'),
            _ => None,
        };
    }
    if font == "symbol" {
        return match code {
            0xB7 => Some('•'),
            0xB4 => Some('×'),
            0xB1 => Some('±'),
            0xB3 => Some('≥'),
            0xA3 => Some('≤'),
            _ => None,
        };
    }
    if private {
        return None;
    }
    char::from_u32(code).filter(|c| !('\u{E000}'..='\u{F8FF}').contains(c) && !c.is_control()).map(printable_box)
}

/// A font whose letters are pictures: `R` in Wingdings 2 prints ☑.
pub(super) fn symbol_font(font: &str) -> bool {
    let f = font.trim().to_ascii_lowercase();
    f.starts_with("wingdings") || f.starts_with("webdings") || f == "symbol" || f == "marlett"
}

/// The check boxes of Word's check box controls (☒ ☐ in MS Gothic) as the
/// report's fonts have them.
pub(super) fn printable_box(c: char) -> char {
    match c {
        '☑' | '☒' => '■',
        '☐' => '□',
        c => c,
    }
}

