//! Changing any one figure of the seed by 0.01, or one indicator weight, makes
//! `check` fail and name the line of the changed figure.

mod common;

use common::*;

/// Every line of the seed's data that holds a money amount, with its value.
fn money_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let start = l.find("amount = \"").map(|p| p + "amount = ".len()).or_else(|| l.find('"'))?;
            let rest = &l[start + 1..];
            let end = rest.find('"')?;
            let v = &rest[..end];
            let is_amount = !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.') && (l.contains("amount") || l.contains(" = \""));
            is_amount.then(|| (i + 1, v.to_string()))
        })
        .collect()
}

#[test]
fn any_finance_figure_off_by_a_cent_is_caught_at_its_line() {
    let text = std::fs::read_to_string(seed_data()).unwrap();
    let figures = money_lines(&text);
    assert!(figures.len() >= 11, "{figures:?}");
    let dir = tempfile::tempdir().unwrap();
    for (line, value) in figures {
        let bumped: rust_decimal::Decimal = value.parse::<rust_decimal::Decimal>().unwrap() + rust_decimal::Decimal::new(1, 2);
        let mut changed: Vec<String> = text.lines().map(str::to_string).collect();
        changed[line - 1] = changed[line - 1].replacen(&format!("\"{value}\""), &format!("\"{bumped}\""), 1);
        let path = write_data(dir.path(), "m.toml", &(changed.join("\n") + "\n"));
        let o = run(&["check", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "line {line} {value}→{bumped}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("m.toml:{line}")), "line {line} not named:\n{err}");
    }
}

#[test]
fn a_weight_that_no_longer_sums_is_caught_at_its_line() {
    let text = std::fs::read_to_string(seed_data()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let weight_lines: Vec<usize> =
        text.lines().enumerate().filter(|(_, l)| l.starts_with("weight = ")).map(|(i, _)| i + 1).collect();
    assert!(weight_lines.len() >= 30);
    for line in weight_lines {
        let mut changed: Vec<String> = text.lines().map(str::to_string).collect();
        changed[line - 1] = format!("{}1", changed[line - 1]);
        let path = write_data(dir.path(), "w.toml", &(changed.join("\n") + "\n"));
        let o = run(&["check", path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "line {line}: {}", stderr(&o));
        assert!(stderr(&o).contains(&format!("w.toml:{line}")), "line {line} not named:\n{}", stderr(&o));
    }
}

#[test]
fn the_seed_passes_check() {
    let o = run(&["check", seed_data().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("未填写自评得分：不计算总分和等级"), "{out}");
    assert!(out.contains("支出构成：基本支出 80.24%，项目支出 19.76%"), "{out}");
}
