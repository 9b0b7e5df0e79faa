//! The data file, written as a person would: comments naming each first-level
//! heading, `[[sections]]` tables in order. Every string goes through the
//! `toml` crate's own quoting.

use std::fmt::Write;

use super::Summary;
use super::doc::{Amt, Blk, Doc, Sec};

/// A TOML string literal.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Text as the data format reads it: braces print as braces when doubled.
fn lit(s: &str) -> String {
    q(&s.replace('{', "{{").replace('}', "}}"))
}

/// An amount, with what the sentence stated of last year. (Moving a report
/// to a new year is `input::new_year`, run on the data file written here.)
fn amount(a: &Amt) -> String {
    let fields = extras(a);
    if fields.is_empty() { q(&a.amount) } else { format!("{{ amount = {}{fields} }}", q(&a.amount)) }
}

/// `, prior = …, growth = …, growth_rate = …` as stated.
fn extras(a: &Amt) -> String {
    let mut s = String::new();
    for (k, v) in [("prior", &a.prior), ("growth", &a.growth), ("growth_rate", &a.rate)] {
        if let Some(v) = v {
            let _ = write!(s, ", {k} = {}", q(v));
        }
    }
    s
}

pub fn emit(doc: &Doc, summary: &mut Summary) -> String {
    let mut o = String::new();
    let unit = doc.unit.clone().or_else(|| doc.closing_unit.clone()).or_else(|| guess_unit(doc));
    if let (None, Some(u)) = (&doc.unit, &unit) {
        let whence = if doc.closing_unit.as_ref() == Some(u) { "落款" } else { "正文中最常出现的单位名称" };
        let why = if doc.unit_unsure { "标题中的单位名称不像单位名" } else { "没有找到含单位名称的标题" };
        summary.notes.push(format!("{why}，单位名称取自{whence}“{u}”（不确定），请核对"));
    }
    let title_default = |u: &str, y: i32| format!("{u}{y}年度部门整体支出绩效自评报告");
    let shown_title = doc.title.clone().unwrap_or_else(|| match (&unit, doc.year) {
        (Some(u), Some(y)) => title_default(u, y),
        _ => "部门整体支出绩效自评报告".into(),
    });
    let _ = writeln!(o, "# {}", shown_title.replace('\n', " "));
    let _ = writeln!(o, "# 由 jixiao import 从{}导入；编号由层级生成，不手写。原文的错别字照录，请核对后再用。", summary.source_kind);
    o.push('\n');
    match &unit {
        Some(u) => {
            let _ = writeln!(o, "unit = {}", q(u));
        }
        None => {
            summary.notes.push("未能从文中确定单位名称，已写为“【请填写：单位名称】”".into());
            let _ = writeln!(o, "unit = {}", q("【请填写：单位名称】"));
        }
    }
    match doc.year {
        Some(y) => {
            let _ = writeln!(o, "year = {y}");
        }
        None => {
            summary.notes.push("未能从文中确定年度，暂写为 2000，请改为报告所属年度".into());
            let _ = writeln!(o, "year = 2000   # 【请填写：报告所属年度】");
        }
    }
    if let (Some(t), Some(u), Some(y)) = (&doc.title, &unit, doc.year)
        && *t != title_default(u, y)
    {
        let _ = writeln!(o, "title = {}", lit(t));
    }
    if let Some(n) = &doc.numbering {
        let _ = writeln!(o, "\n[style]\n# 原文的编号样式，逐层\nnumbering = [{}]", n.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "));
    }
    if let Some(f) = &doc.finance {
        o.push_str("\n[finance]\n");
        if f.money_unit.as_deref() == Some("万元") {
            o.push_str("money_unit = \"万元\"\n");
        }
        if f.decimals != 2 {
            let _ = writeln!(o, "decimals = {}", f.decimals);
        }
        if let Some((total, sources)) = &f.income {
            o.push_str("\n[finance.income]\n");
            if let Some(total) = total {
                let _ = writeln!(o, "total = {}", amount(total));
            }
            if !sources.is_empty() {
                o.push_str("sources = [\n");
                for (n, a) in sources {
                    let _ = writeln!(o, "  {{ name = {}, amount = {}{} }},", q(n), q(&a.amount), extras(a));
                }
                o.push_str("]\n");
            }
        }
        if !f.expenditure.is_empty() {
            o.push_str("\n[finance.expenditure]\n");
            for (k, a) in &f.expenditure {
                let _ = writeln!(o, "{k} = {}", amount(a));
            }
        }
        if let Some(parts) = &f.economic {
            o.push_str("\n[[finance.expenditure.breakdowns]]\nname = \"按经济分类\"\nparts = [\n");
            for (n, a) in parts {
                let _ = writeln!(o, "  {{ name = {}, amount = {}{} }},", q(n), q(&a.amount), extras(a));
            }
            o.push_str("]\n");
        }
        if !f.fixed_assets.is_empty() {
            o.push_str("\n[finance.fixed_assets]\n");
            for (k, a) in &f.fixed_assets {
                let _ = writeln!(o, "{k} = {}", amount(a));
            }
        }
    }
    if let Some(st) = &doc.staffing {
        o.push_str("\n[staffing]\n");
        o.push_str("# authorized：编制数（“…人员”一类为原文所写人数）\ngroups = [\n");
        for (n, c) in &st.groups {
            let _ = writeln!(o, "  {{ name = {}, authorized = {c} }},", q(n));
        }
        o.push_str("]\n");
        if let Some(a) = st.actual_total {
            let _ = writeln!(o, "actual_total = {a}   # 实有人数");
        }
        if let Some(r) = st.retired {
            let _ = writeln!(o, "retired = {r}");
        }
    }
    if doc.closing_date.is_some() || doc.closing_month.is_some() || doc.closing_unit.is_some() {
        o.push_str("\n[closing]\n");
        if let Some(u) = &doc.closing_unit {
            if Some(u) != unit.as_ref() {
                let _ = writeln!(o, "unit = {}", q(u));
            }
        }
        if let Some(d) = &doc.closing_date {
            let _ = writeln!(o, "date = {d}");
        }
        if let Some((y, m)) = doc.closing_month {
            summary.notes.push(format!("落款日期“{y}年{m}月”没有写日，成文日期须写到日：[closing] 中的 date 已写好年月，请补上日并去掉行首的 #（没有日期时不印落款）"));
            let _ = writeln!(o, "# 原文落款日期为“{y}年{m}月”，没有写日；补上日后去掉行首的 #：\n# date = {y:04}-{m:02}-");
        }
    }
    for s in &doc.sections {
        let _ = write!(o, "\n# {}\n", s.title.replace('\n', " "));
        section(&mut o, s, "sections");
    }
    if !doc.indicators.is_empty() {
        o.push_str("\n# 评价指标：取自原文的自评表（分值、得分）\n");
        indicators(&mut o, &doc.indicators, "indicators");
    }
    if let Some(t) = &doc.score_attachment {
        let _ = write!(o, "\n# 原文的自评表，由上面的指标生成\n[[attachments]]\ntitle = {}\n\n[[attachments.blocks]]\nscore_table = {{}}\n", q(t));
    }
    o
}

fn indicators(o: &mut String, inds: &[super::doc::Ind], path: &str) {
    for i in inds {
        let _ = writeln!(o, "\n[[{path}]]\nname = {}", q(&i.name));
        if let Some(w) = &i.weight {
            let _ = writeln!(o, "weight = {w}");
        }
        if let Some(s) = &i.score {
            let _ = writeln!(o, "score = {s}");
        }
        indicators(o, &i.children, &format!("{path}.indicators"));
    }
}

fn section(o: &mut String, s: &Sec, path: &str) {
    let _ = writeln!(o, "[[{path}]]");
    let _ = writeln!(o, "title = {}", lit(&s.title));
    if let Some(w) = &s.weight {
        let _ = writeln!(o, "weight = {w}");
    }
    if let Some(w) = s.weight_at {
        let _ = writeln!(o, "weight_at = {}", q(w));
    }
    if let Some(e) = &s.end {
        let why = if e.is_empty() { "   # 原文此标题后无“。”" } else { "" };
        let _ = writeln!(o, "end = {}{why}", q(e));
    }
    match (&s.run_in, &s.run_in_source) {
        // Placeholders already in place, braces of the text doubled.
        (Some(r), Some(_)) => {
            let _ = writeln!(o, "run_in = {}", q(r));
        }
        (Some(r), None) => {
            let _ = writeln!(o, "run_in = {}", lit(r));
        }
        _ => {}
    }
    o.push('\n');
    for b in &s.blocks {
        let _ = writeln!(o, "[[{path}.blocks]]");
        match b {
            Blk::Para(t, _) => {
                let _ = writeln!(o, "paragraph = {}", lit(t));
            }
            Blk::Figures(t, ..) => {
                let _ = writeln!(o, "figures = {}", q(t));
            }
            Blk::List(items) => {
                o.push_str("list = { run_in = true, items = [\n");
                for i in items {
                    let _ = writeln!(o, "  {},", lit(i));
                }
                o.push_str("] }\n");
            }
            Blk::Table(rows, columns) => table(o, rows, *columns),
        }
        o.push('\n');
    }
    let sub = format!("{path}.sections");
    for c in &s.sections {
        section(o, c, &sub);
    }
}

/// A table block: the first row gives the column titles when it has no
/// merged cells; otherwise the columns are untitled and every row is a row.
fn table(o: &mut String, rows: &[Vec<super::SrcCell>], columns: usize) {
    let plain_head = rows.first().is_some_and(|r| r.len() == columns && r.iter().all(|c| c.rowspan == 1 && c.colspan == 1));
    let cell = |c: &super::SrcCell| {
        if c.rowspan > 1 || c.colspan > 1 {
            let mut s = format!("{{ text = {}", lit(&c.text));
            if c.rowspan > 1 {
                let _ = write!(s, ", rowspan = {}", c.rowspan);
            }
            if c.colspan > 1 {
                let _ = write!(s, ", colspan = {}", c.colspan);
            }
            s + " }"
        } else {
            lit(&c.text)
        }
    };
    o.push_str("table.columns = [\n");
    for i in 0..columns {
        let title = if plain_head { rows[0][i].text.as_str() } else { "" };
        let _ = writeln!(o, "  {{ title = {} }},", lit(title));
    }
    o.push_str("]\n");
    let body = if plain_head { &rows[1..] } else { rows };
    o.push_str("table.rows = [\n");
    for r in body {
        let _ = writeln!(o, "  [{}],", r.iter().map(cell).collect::<Vec<_>>().join(", "));
    }
    o.push_str("]\n");
}

/// The unit named most often as the subject of a sentence: `乐昌市妇女联合会设…`.
fn guess_unit(doc: &Doc) -> Option<String> {
    use std::sync::LazyLock;
    static RE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(\p{Han}{2,4}(?:省|市|县|区|自治州|旗)\p{Han}{1,14}?(?:联合会|委员会|办公室|管理局|局|中心|委|院|馆|站|所|厅|会|部|处|社|团))").unwrap()
    });
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    fn texts<'a>(secs: &'a [Sec], out: &mut Vec<&'a str>) {
        for s in secs {
            out.push(&s.title);
            if let Some(r) = &s.run_in {
                out.push(r);
            }
            for b in &s.blocks {
                if let Blk::Para(t, _) = b {
                    out.push(t);
                }
            }
            texts(&s.sections, out);
        }
    }
    let mut all = Vec::new();
    texts(&doc.sections, &mut all);
    for t in all {
        for m in RE.find_iter(t) {
            *counts.entry(m.as_str().to_string()).or_default() += 1;
        }
    }
    counts.into_iter().filter(|(_, n)| *n >= 2).max_by_key(|(u, n)| (*n, u.chars().count())).map(|(u, _)| u)
}
