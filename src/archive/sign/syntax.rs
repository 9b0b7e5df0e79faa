//! PDF syntax for the objects of the signature's update (lopdf's writer is
//! private): strings in hex, which need no escaping.

use lopdf::{Object, StringFormat};

/// A PDF text string: PDFDocEncoding for ASCII, else UTF-16BE with a BOM.
pub fn text(s: &str) -> Object {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Hexadecimal);
    }
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// PDF syntax for an object (lopdf's writer is private). Strings are written
/// in hex, which needs no escaping.
pub(super) fn write_object(out: &mut Vec<u8>, obj: &Object) {
    match obj {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => out.extend_from_slice(format!("{r}").as_bytes()),
        Object::Name(n) => {
            out.push(b'/');
            for &b in n {
                if b"()<>[]{}/%#".contains(&b) || !(33..=126).contains(&b) {
                    out.extend_from_slice(format!("#{b:02X}").as_bytes());
                } else {
                    out.push(b);
                }
            }
        }
        Object::String(s, _) => {
            out.push(b'<');
            for b in s {
                out.extend_from_slice(format!("{b:02X}").as_bytes());
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(d) => {
            out.extend_from_slice(b"<<");
            for (k, v) in d.iter() {
                write_object(out, &Object::Name(k.clone()));
                out.push(b' ');
                write_object(out, v);
            }
            out.extend_from_slice(b">>");
        }
        // Only dictionaries are rewritten; a stream never is.
        Object::Stream(_) => out.extend_from_slice(b"null"),
        Object::Reference((n, g)) => out.extend_from_slice(format!("{n} {g} R").as_bytes()),
    }
}
