//! What the import was unsure of, kept in the data file itself as comment
//! lines (`# 【待核对】…`) at its top: the to-do list survives saves,
//! restarts and other editors, and an item goes only when it is ticked.

const MARK: &str = "# 【待核对】";

/// `text` with `items` as to-do lines before it.
pub fn prepend(text: &str, items: &[String]) -> String {
    let mut out = String::new();
    for item in items {
        // One line each: a line break in a note would end the comment.
        let line: String = item.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        out.push_str(MARK);
        out.push_str(line.trim());
        out.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(text);
    out
}

/// The to-do items in `text`, in order.
pub fn items(text: &str) -> Vec<String> {
    text.lines().filter_map(|l| l.strip_prefix(MARK)).map(str::to_string).collect()
}

/// `text` without the to-do line `item` (its first such line); None when it is not there.
pub fn tick(text: &str, item: &str) -> Option<String> {
    let line = format!("{MARK}{item}\n");
    let at = text.match_indices(&line).map(|(i, _)| i).find(|&i| i == 0 || text[..i].ends_with('\n'))?;
    let mut out = format!("{}{}", &text[..at], &text[at + line.len()..]);
    // The blank line after the last item goes with it.
    if items(&out).is_empty() && at == 0 && out.starts_with('\n') {
        out.remove(0);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_stay_until_ticked() {
        let text = prepend("unit = \"局\"\n", &["人员编制已转为 [staffing]，请核对".into(), "两行\n的说明".into()]);
        assert_eq!(items(&text), ["人员编制已转为 [staffing]，请核对", "两行 的说明"]);
        let once = tick(&text, "两行 的说明").unwrap();
        assert_eq!(items(&once), ["人员编制已转为 [staffing]，请核对"]);
        let done = tick(&once, "人员编制已转为 [staffing]，请核对").unwrap();
        assert_eq!(done, "unit = \"局\"\n");
        assert!(tick(&done, "没有").is_none());
    }
}
