//! A strict reader of the revisions appended to a PDF after a first part
//! that is known (the bytes jixiao renders). It is the second, independent
//! reader of those revisions: where PDF readers may resolve a file
//! differently (an object number twice in one cross-reference section, an
//! offset that points elsewhere than at its object, bytes no cross-reference
//! accounts for, which only a fallback scan would find, a hybrid or stream
//! cross-reference), the file is bad input. What it reads is then compared
//! with what lopdf read (see [`crate::archive::revisions`]).
//!
//! Only the classic form is read: a cross-reference table per revision, as
//! the rendered file has and as signing tools write when they append to it.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Object, Stream, StringFormat};

/// The most revisions read after the first part.
pub const MAX_REVISIONS: usize = 64;
/// The most objects one appended revision may hold.
pub const MAX_OBJECTS: usize = 10_000;
/// How deep arrays and dictionaries may nest.
const MAX_DEPTH: usize = 32;

/// One appended revision, as its bytes say.
#[derive(Debug)]
pub struct Revision {
    /// Where it ends (after `%%EOF` and its end of line).
    pub end: usize,
    /// The offset of its cross-reference table.
    pub xref_at: usize,
    /// Its objects by number: (offset, generation, object).
    pub objects: BTreeMap<u32, (usize, u16, Object)>,
}

/// Read the revisions after the first `base` bytes of `pdf`, strictly.
pub fn appended_revisions(pdf: &[u8], base: usize) -> Result<Vec<Revision>, String> {
    let head = pdf.get(..base).ok_or("签名前的版本超出了文件")?;
    let mut prev_xref = last_startxref(head).ok_or("签名前的版本末尾没有 startxref")?;
    let mut revisions = Vec::new();
    let mut pos = base;
    while pos < pdf.len() {
        if revisions.len() >= MAX_REVISIONS {
            return Err(format!("生成之后追加的修订多于 {MAX_REVISIONS} 个，不予处理"));
        }
        let n = revisions.len() + 1;
        let rev = revision(pdf, pos, prev_xref).map_err(|m| format!("生成之后追加的第 {n} 个修订（第 {pos} 字节起）{m}；不同的 PDF 阅读器可能把它读成不同的内容，不予认可"))?;
        prev_xref = rev.xref_at;
        pos = rev.end;
        revisions.push(rev);
    }
    Ok(revisions)
}

fn revision(pdf: &[u8], start: usize, prev_xref: usize) -> Result<Revision, String> {
    let mut p = Parser { b: pdf, pos: start };
    let mut objects: BTreeMap<u32, (usize, u16, Object)> = BTreeMap::new();
    loop {
        p.skip_space();
        if p.at_keyword(b"xref") {
            break;
        }
        if p.pos >= pdf.len() {
            return Err("没有交叉引用表（xref）就结束了".into());
        }
        if objects.len() >= MAX_OBJECTS {
            return Err(format!("对象多于 {MAX_OBJECTS} 个"));
        }
        let at = p.pos;
        let (num, generation, obj) = p.indirect_object().map_err(|m| format!("第 {at} 字节处不是完整的对象（{m}）"))?;
        if objects.insert(num, (at, generation, obj)).is_some() {
            return Err(format!("同一个修订中第 {num} 号对象写了两次"));
        }
    }
    let xref_at = p.pos;
    let entries = p.xref_table()?;
    p.skip_space();
    if !p.eat_keyword(b"trailer") {
        return Err("交叉引用表之后没有 trailer".into());
    }
    p.skip_space();
    let trailer = match p.object(0).map_err(|m| format!("trailer 无法读取（{m}）"))? {
        Object::Dictionary(d) => d,
        _ => return Err("trailer 不是字典".into()),
    };
    p.skip_space();
    if !p.eat_keyword(b"startxref") {
        return Err("trailer 之后没有 startxref".into());
    }
    p.skip_space();
    let startxref = p.unsigned().ok_or("startxref 之后没有数字")?;
    // Not `skip_space`: `%%EOF` reads as a comment.
    while p.peek().is_some_and(is_space) {
        p.pos += 1;
    }
    if !p.b[p.pos..].starts_with(b"%%EOF") {
        return Err("startxref 之后没有 %%EOF".into());
    }
    p.pos += 5;
    for eol in [&b"\r\n"[..], b"\n", b"\r"] {
        if p.b[p.pos..].starts_with(eol) {
            p.pos += eol.len();
            break;
        }
    }
    if startxref != xref_at as u64 {
        return Err(format!("startxref（{startxref}）没有指向它的交叉引用表（第 {xref_at} 字节）"));
    }
    match trailer.get(b"Prev") {
        Ok(Object::Integer(prev)) if *prev == prev_xref as i64 => {}
        _ => return Err(format!("trailer 的 /Prev 没有指向上一个版本的交叉引用表（第 {prev_xref} 字节）")),
    }
    for key in [&b"XRefStm"[..], b"Encrypt"] {
        if trailer.get(key).is_ok() {
            return Err(format!("trailer 含 /{}", String::from_utf8_lossy(key)));
        }
    }
    let size = match trailer.get(b"Size") {
        Ok(Object::Integer(s)) if *s > 0 => *s as u64,
        _ => return Err("trailer 没有 /Size".into()),
    };
    // Every entry points at its own object in this revision, and every
    // object of this revision has its entry: nothing is left to a reader's
    // repair.
    let mut listed = 0;
    for (num, entry) in &entries {
        match entry {
            Entry::Free if *num == 0 => {}
            Entry::Free => return Err(format!("交叉引用表把第 {num} 号对象标为已删除")),
            Entry::InUse { .. } if *num == 0 => return Err("交叉引用表把第 0 号对象标为在用".into()),
            Entry::InUse { offset, generation } => {
                let Some((at, g, _)) = objects.get(num) else {
                    return Err(format!("交叉引用表中第 {num} 号对象的位置（第 {offset} 字节）不在这个修订里，或那里不是这个对象"));
                };
                if *at as u64 != *offset || g != generation {
                    return Err(format!("交叉引用表中第 {num} 号对象的位置（第 {offset} 字节）与它实际所在（第 {at} 字节）不符"));
                }
                if u64::from(*num) >= size {
                    return Err(format!("第 {num} 号对象超出了 trailer 的 /Size"));
                }
                listed += 1;
            }
        }
    }
    if listed != objects.len() {
        let missing: Vec<String> = objects.keys().filter(|n| !entries.contains_key(n)).take(5).map(u32::to_string).collect();
        return Err(format!("第 {} 号对象不在交叉引用表中（只有修复文件的阅读器才会找到它）", missing.join("、")));
    }
    Ok(Revision { end: p.pos, xref_at, objects })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    Free,
    InUse { offset: u64, generation: u16 },
}

/// The offset after the last `startxref` of `pdf`.
pub fn last_startxref(pdf: &[u8]) -> Option<usize> {
    let tail = &pdf[pdf.len().saturating_sub(1024)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let rest = std::str::from_utf8(&tail[at + 9..]).ok()?;
    rest.split_whitespace().next()?.parse().ok()
}

struct Parser<'a> {
    b: &'a [u8],
    pos: usize,
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0')
}

fn is_delimiter(c: u8) -> bool {
    b"()<>[]{}/%".contains(&c)
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    /// White space and comments.
    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if is_space(c) {
                self.pos += 1;
            } else if c == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\r' || c == b'\n' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Whether a keyword stands here, ended by a delimiter, space or the end.
    fn at_keyword(&self, word: &[u8]) -> bool {
        self.b[self.pos..].starts_with(word) && self.b.get(self.pos + word.len()).is_none_or(|&c| is_space(c) || is_delimiter(c))
    }

    fn eat_keyword(&mut self, word: &[u8]) -> bool {
        let here = self.at_keyword(word);
        if here {
            self.pos += word.len();
        }
        here
    }

    fn unsigned(&mut self) -> Option<u64> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == start || self.pos - start > 18 {
            self.pos = start;
            return None;
        }
        std::str::from_utf8(&self.b[start..self.pos]).ok()?.parse().ok()
    }

    /// `N G obj … endobj`, with a stream when there is one.
    fn indirect_object(&mut self) -> Result<(u32, u16, Object), String> {
        let num = self.unsigned().and_then(|n| u32::try_from(n).ok()).ok_or("缺少对象号")?;
        self.skip_space();
        let generation = self.unsigned().and_then(|n| u16::try_from(n).ok()).ok_or("缺少代号")?;
        self.skip_space();
        if !self.eat_keyword(b"obj") {
            return Err("缺少 obj".into());
        }
        self.skip_space();
        let mut obj = self.object(0)?;
        self.skip_space();
        if self.eat_keyword(b"stream") {
            let Object::Dictionary(dict) = obj else { return Err("stream 之前不是字典".into()) };
            // The keyword is followed by CRLF or LF (ISO 32000-1, 7.3.8.1).
            if self.b[self.pos..].starts_with(b"\r\n") {
                self.pos += 2;
            } else if self.peek() == Some(b'\n') {
                self.pos += 1;
            } else {
                return Err("stream 之后没有换行".into());
            }
            let len = match dict.get(b"Length") {
                Ok(Object::Integer(n)) if *n >= 0 => *n as usize,
                _ => return Err("流的 /Length 不是直接写出的长度".into()),
            };
            let end = self.pos.checked_add(len).filter(|&e| e <= self.b.len()).ok_or("流的 /Length 超出了文件")?;
            let content = self.b[self.pos..end].to_vec();
            self.pos = end;
            self.skip_space();
            if !self.eat_keyword(b"endstream") {
                return Err("流的 /Length 之后不是 endstream".into());
            }
            self.skip_space();
            obj = Object::Stream(Stream::new(dict, content));
        }
        if !self.eat_keyword(b"endobj") {
            return Err("缺少 endobj".into());
        }
        Ok((num, generation, obj))
    }

    /// One direct object, or a reference `N G R`.
    fn object(&mut self, depth: usize) -> Result<Object, String> {
        if depth > MAX_DEPTH {
            return Err("嵌套过深".into());
        }
        match self.peek().ok_or("文件在对象中间结束")? {
            b'/' => Ok(Object::Name(self.name()?)),
            b'(' => Ok(Object::String(self.literal_string()?, StringFormat::Literal)),
            b'<' if self.b.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                let mut dict = Dictionary::new();
                loop {
                    self.skip_space();
                    if self.b[self.pos..].starts_with(b">>") {
                        self.pos += 2;
                        return Ok(Object::Dictionary(dict));
                    }
                    if self.peek() != Some(b'/') {
                        return Err("字典的键不是名字".into());
                    }
                    let key = self.name()?;
                    self.skip_space();
                    let value = self.object(depth + 1)?;
                    if dict.has(&key) {
                        return Err(format!("字典中的键 /{} 写了两次", String::from_utf8_lossy(&key)));
                    }
                    dict.set(key, value);
                }
            }
            b'<' => Ok(Object::String(self.hex_string()?, StringFormat::Hexadecimal)),
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        return Ok(Object::Array(items));
                    }
                    items.push(self.object(depth + 1)?);
                }
            }
            c if c.is_ascii_digit() || c == b'-' || c == b'+' || c == b'.' => self.number_or_reference(),
            _ if self.eat_keyword(b"true") => Ok(Object::Boolean(true)),
            _ if self.eat_keyword(b"false") => Ok(Object::Boolean(false)),
            _ if self.eat_keyword(b"null") => Ok(Object::Null),
            c => Err(format!("意外的字符 0x{c:02x}")),
        }
    }

    fn number_or_reference(&mut self) -> Result<Object, String> {
        let start = self.pos;
        if let Some(num) = self.unsigned() {
            // `N G R`, or an integer.
            let after_first = self.pos;
            if !self.peek().is_some_and(|c| c == b'.') {
                self.skip_space();
                if let Some(generation) = self.unsigned() {
                    self.skip_space();
                    if self.eat_keyword(b"R") {
                        let num = u32::try_from(num).map_err(|_| "对象号过大")?;
                        let generation = u16::try_from(generation).map_err(|_| "代号过大")?;
                        return Ok(Object::Reference((num, generation)));
                    }
                }
                self.pos = after_first;
                return i64::try_from(num).map(Object::Integer).map_err(|_| "数字过大".into());
            }
            self.pos = start;
        }
        let mut end = self.pos;
        while self.b.get(end).is_some_and(|&c| c.is_ascii_digit() || b"+-.".contains(&c)) {
            end += 1;
        }
        let text = std::str::from_utf8(&self.b[self.pos..end]).map_err(|_| "数字无法读取")?;
        if text.len() > 40 {
            return Err("数字过长".into());
        }
        self.pos = end;
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Object::Integer(i));
        }
        text.parse::<f32>().map(Object::Real).map_err(|_| format!("“{text}”不是数字"))
    }

    fn name(&mut self) -> Result<Vec<u8>, String> {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            if is_space(c) || is_delimiter(c) {
                break;
            }
            if c == b'#' {
                let hex = self.b.get(self.pos + 1..self.pos + 3).ok_or("名字中的 # 之后没有两位十六进制数")?;
                let hex = std::str::from_utf8(hex).ok().and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or("名字中的 # 之后不是十六进制数")?;
                out.push(hex);
                self.pos += 3;
            } else {
                out.push(c);
                self.pos += 1;
            }
        }
        Ok(out)
    }

    fn hex_string(&mut self) -> Result<Vec<u8>, String> {
        self.pos += 1;
        let mut digits = Vec::new();
        loop {
            let c = self.peek().ok_or("十六进制字符串没有结束")?;
            self.pos += 1;
            match c {
                b'>' => break,
                c if c.is_ascii_hexdigit() => digits.push(c),
                c if is_space(c) => {}
                _ => return Err("十六进制字符串中有非十六进制字符".into()),
            }
        }
        if digits.len() % 2 == 1 {
            digits.push(b'0');
        }
        Ok(digits
            .chunks(2)
            .map(|p| {
                let v = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
                v(p[0]) << 4 | v(p[1])
            })
            .collect())
    }

    fn literal_string(&mut self) -> Result<Vec<u8>, String> {
        self.pos += 1;
        let mut out = Vec::new();
        let mut depth = 0usize;
        loop {
            let c = self.peek().ok_or("字符串没有结束")?;
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' if depth == 0 => return Ok(out),
                b')' => {
                    depth -= 1;
                    out.push(c);
                }
                b'\\' => {
                    let e = self.peek().ok_or("字符串没有结束")?;
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                // An end of line in a string reads as LF (7.3.4.2).
                b'\r' => {
                    if self.peek() == Some(b'\n') {
                        self.pos += 1;
                    }
                    out.push(b'\n');
                }
                c => out.push(c),
            }
        }
    }

    /// A classic cross-reference table: `xref`, then subsections of
    /// 20-byte entries. An object number twice is refused.
    fn xref_table(&mut self) -> Result<BTreeMap<u32, Entry>, String> {
        self.pos += 4;
        let mut entries = BTreeMap::new();
        loop {
            self.skip_space();
            if self.at_keyword(b"trailer") {
                return Ok(entries);
            }
            let first = self.unsigned().and_then(|n| u32::try_from(n).ok()).ok_or("交叉引用表的小节头不是数字")?;
            if self.peek() != Some(b' ') {
                return Err("交叉引用表的小节头格式不对".into());
            }
            self.pos += 1;
            let count = self.unsigned().and_then(|n| u32::try_from(n).ok()).ok_or("交叉引用表的小节头不是数字")?;
            while self.peek() == Some(b' ') {
                self.pos += 1;
            }
            match self.peek() {
                Some(b'\n') => self.pos += 1,
                Some(b'\r') => self.pos += if self.b.get(self.pos + 1) == Some(&b'\n') { 2 } else { 1 },
                _ => return Err("交叉引用表的小节头之后没有换行".into()),
            }
            if count as usize > MAX_OBJECTS || entries.len() + count as usize > MAX_OBJECTS {
                return Err("交叉引用表的条目过多".into());
            }
            for i in 0..count {
                let e = self.b.get(self.pos..self.pos + 20).ok_or("交叉引用表在条目中间结束")?;
                let ok = e[..10].iter().all(u8::is_ascii_digit)
                    && e[10] == b' '
                    && e[11..16].iter().all(u8::is_ascii_digit)
                    && e[16] == b' '
                    && matches!(e[17], b'n' | b'f')
                    && matches!(&e[18..20], b"\r\n" | b" \n" | b" \r");
                if !ok {
                    return Err("交叉引用表的条目不是 20 字节的标准格式".into());
                }
                let digits = |r: &[u8]| r.iter().fold(0u64, |v, d| v * 10 + u64::from(d - b'0'));
                let num = first.checked_add(i).ok_or("交叉引用表的对象号过大")?;
                let entry = if e[17] == b'n' {
                    Entry::InUse { offset: digits(&e[..10]), generation: digits(&e[11..16]) as u16 }
                } else {
                    Entry::Free
                };
                if entries.insert(num, entry).is_some() {
                    return Err(format!("交叉引用表中第 {num} 号对象出现了两次"));
                }
                self.pos += 20;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Vec<u8> {
        b"%PDF-1.7\n1 0 obj\n<</Type/Catalog>>\nendobj\nxref\n0 2\n0000000000 65535 f\r\n0000000009 00000 n\r\ntrailer\n<</Size 2/Root 1 0 R>>\nstartxref\n42\n%%EOF\n".to_vec()
    }

    fn append(pdf: &mut Vec<u8>, objects: &[(u32, &str)], xref: impl Fn(&BTreeMap<u32, usize>) -> String, prev: usize) -> usize {
        let mut at = BTreeMap::new();
        for (n, body) in objects {
            at.insert(*n, pdf.len());
            pdf.extend_from_slice(format!("{n} 0 obj\n{body}\nendobj\n").as_bytes());
        }
        let xref_at = pdf.len();
        pdf.extend_from_slice(xref(&at).as_bytes());
        pdf.extend_from_slice(format!("trailer\n<</Size 9/Root 1 0 R/Prev {prev}>>\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        xref_at
    }

    #[test]
    fn a_clean_update_reads_and_a_duplicate_entry_is_refused() {
        let mut pdf = base();
        let len = pdf.len();
        append(&mut pdf, &[(2, "<</A (x\\)y) /B [1 2 0 R 3.5] /C <414>>>")], |at| format!("xref\n2 1\n{:010} 00000 n\r\n", at[&2]), 42);
        let revs = appended_revisions(&pdf, len).unwrap();
        assert_eq!(revs.len(), 1);
        let (_, _, Object::Dictionary(d)) = &revs[0].objects[&2] else { panic!() };
        assert_eq!(d.get(b"A").unwrap(), &Object::String(b"x)y".to_vec(), StringFormat::Literal));
        assert_eq!(d.get(b"C").unwrap().as_str().unwrap(), b"A@");

        let mut pdf = base();
        append(&mut pdf, &[(2, "<<>>")], |at| format!("xref\n2 1\n{:010} 00000 n\r\n2 1\n{:010} 00000 n\r\n", at[&2], at[&2]), 42);
        assert!(appended_revisions(&pdf, len).unwrap_err().contains("出现了两次"));
    }

    #[test]
    fn unlisted_objects_stray_bytes_and_offsets_elsewhere_are_refused() {
        let len = base().len();
        let mut pdf = base();
        append(&mut pdf, &[(2, "<<>>"), (3, "<<>>")], |at| format!("xref\n2 1\n{:010} 00000 n\r\n", at[&2]), 42);
        assert!(appended_revisions(&pdf, len).unwrap_err().contains("不在交叉引用表中"));
        let mut pdf = base();
        append(&mut pdf, &[(2, "<<>>")], |_| "xref\n2 1\n0000000009 00000 n\r\n".to_string(), 42);
        assert!(appended_revisions(&pdf, len).is_err());
        let mut pdf = base();
        pdf.extend_from_slice(b"garbage\n");
        append(&mut pdf, &[(2, "<<>>")], |at| format!("xref\n2 1\n{:010} 00000 n\r\n", at[&2]), 42);
        assert!(appended_revisions(&pdf, len).is_err());
        let mut pdf = base();
        append(&mut pdf, &[(2, "<<>>")], |at| format!("xref\n2 1\n{:010} 00000 n\r\n", at[&2]), 7);
        assert!(appended_revisions(&pdf, len).unwrap_err().contains("/Prev"));
        let mut pdf = base();
        append(&mut pdf, &[(1, "<</Type/Catalog>>")], |_| "xref\n1 1\n0000000000 00000 f\r\n".to_string(), 42);
        assert!(appended_revisions(&pdf, len).is_err());
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let mut pdf = base();
        let len = pdf.len();
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        append(&mut pdf, &[(2, &deep)], |at| format!("xref\n2 1\n{:010} 00000 n\r\n", at[&2]), 42);
        assert!(appended_revisions(&pdf, len).is_err());
    }
}
