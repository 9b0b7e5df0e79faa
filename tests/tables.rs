//! Attachments and tables: the generated score and finance tables, user
//! tables across pages, the blank form, and the table checks.

mod common;

use common::*;

fn example() -> std::path::PathBuf {
    repo().join("data/example-full.toml")
}

fn pages(pdf: &std::path::Path) -> Vec<String> {
    pdf_extract::extract_text_by_pages(pdf).unwrap().iter().map(|p| squeeze(p)).collect()
}

#[test]
fn example_passes_check_and_its_score_table_shows_what_check_computes() {
    let o = run(&["check", example().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let line = out.lines().find(|l| l.starts_with("总分：")).unwrap_or_else(|| panic!("{out}"));
    let (total, grade) = line.trim_start_matches("总分：").split_once("，等级：").unwrap();

    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&example(), dir.path());
    let pages = pages(&pdf);
    let all: String = pages.concat();
    assert!(all.contains(&format!("合计100{total}")), "total {total} not in the score table");
    assert!(all.contains(&format!("评价等级{grade}")), "grade {grade} not in the score table");
}

#[test]
fn long_table_repeats_its_header_on_every_page() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&example(), dir.path());
    let pages = pages(&pdf);
    // Pages of 附件3: from its title to the next attachment.
    let start = pages.iter().position(|p| p.starts_with("附件3部门整体支出绩效目标完成情况表")).unwrap();
    let end = pages.iter().position(|p| p.starts_with("附件4")).unwrap();
    assert!(end - start >= 2, "the 45-row table should span pages ({start}..{end})");
    for p in &pages[start..end] {
        assert!(p.contains("一级指标二级指标三级指标目标值实际完成值完成情况"), "header missing on a page: {p}");
    }
    // Every body row printed exactly once.
    let text: String = pages[start..end].concat();
    for row in ["梳理办事指南数量", "协作部门满意度"] {
        assert_eq!(text.matches(row).count(), 1, "{row}");
    }
}

#[test]
fn attachment_note_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&example(), dir.path());
    let pages = pages(&pdf);
    let all = pages.concat();
    assert!(all.contains("附件：1.部门整体支出绩效自评表2.部门整体支出基本情况表3.部门整体支出绩效目标完成情况表4.项目支出明细表"));
    // Each attachment starts a page with its label.
    for n in 1..=4 {
        assert!(pages.iter().any(|p| p.starts_with(&format!("附件{n}"))), "附件{n} does not start a page");
    }
    // The finance table: amounts with two decimals and shares.
    assert!(all.contains("一、收入合计8426731.58100.00"), "finance table");
    assert!(all.contains("基本支出5633775.8066.18"), "finance table");
    // The user table's computed total: 1236800.00 + 684520.45 + 957310.12.
    assert!(all.contains("合计2930000.002878630.57"), "computed total");
}

#[test]
fn seed_invents_no_attachment_and_the_blank_form_has_no_scores() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_ok(&seed_data(), dir.path());
    let plain = pages(&pdf).concat();
    assert!(!plain.contains("附件：《") && !plain.contains("一级指标"), "the seed's PDF gained an attachment");

    let out = dir.path().join("blank.pdf");
    let o = run(&["render", seed_data().to_str().unwrap(), "-o", out.to_str().unwrap(), "--blank-score-table"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pages = pages(&out);
    let table: String = pages.iter().skip_while(|p| !p.starts_with("附件")).cloned().collect();
    assert!(table.contains("一级指标二级指标三级指标分值自评得分评分说明"), "{table}");
    assert!(table.contains("预算编制合理性5预算编制规范性5"), "weights only, no scores: {table}");
    assert!(!table.contains("评价等级"), "{table}");
    let after = &table[table.find("合计100").unwrap() + "合计100".len()..];
    assert!(!after.starts_with(|c: char| c.is_ascii_digit()), "a total score was printed: {after}");
}

const HEAD: &str = "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"基本情况\"\n[[sections.blocks]]\nparagraph = \"正文。\"\n[[attachments]]\ntitle = \"表\"\n";

fn check_table(extra: &str, table: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "t.toml", &format!("{HEAD}{extra}[[attachments.blocks]]\n[attachments.blocks.table]\n{table}"));
    let o = run(&["check", data.to_str().unwrap()]);
    (o.status.code().unwrap(), stderr(&o))
}

#[test]
fn table_rows_must_fill_the_columns() {
    let (code, err) = check_table("", "columns = [{ title = \"a\" }, { title = \"b\" }]\nrows = [[\"1\", \"2\"], [{ text = \"x\", rowspan = 2 }, \"3\"], [\"4\", \"5\"]]\n");
    assert_eq!(code, 1);
    assert!(err.contains("attachments[0].blocks[0].table.rows[2]（附件《表》）：第 3 行占 3 列，而表格有 2 列（已计入上方单元格的 rowspan）"), "{err}");
}

#[test]
fn too_wide_a_table_is_an_error_unless_landscape() {
    let table = "columns = [{ title = \"a\", width = \"100mm\" }, { title = \"b\", width = \"80mm\" }]\nrows = [[\"1\", \"2\"]]\n";
    let (code, err) = check_table("", table);
    assert_eq!(code, 1);
    assert!(err.contains("各列宽之和 180.0mm 超过版心宽度 156mm"), "{err}");
    let (code, err) = check_table("landscape = true\n", table);
    assert_eq!(code, 0, "{err}");
    // Figures that cannot fit their column.
    let many: Vec<String> = (0..12).map(|i| format!("{{ title = \"c{i}\" }}")).collect();
    let row: Vec<String> = (0..12).map(|_| "\"123456789012.00\"".to_string()).collect();
    let (code, err) = check_table("", &format!("size = 12\ncolumns = [{}]\nrows = [[{}]]\n", many.join(", "), row.join(", ")));
    assert_eq!(code, 1);
    assert!(err.contains("放不下其中的数字"), "{err}");
}

#[test]
fn totals_need_numbers() {
    let (code, err) = check_table(
        "",
        "columns = [{ title = \"项目\" }, { title = \"金额\" }]\nrows = [[\"甲\", \"100.50\"], [\"乙\", \"约 20\"]]\ntotal = { columns = [2] }\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("第 2 行第 2 列“约 20”不是数字，无法计入合计"), "{err}");
}

#[test]
fn landscape_attachment_pages_are_landscape() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!("{HEAD}landscape = true\n[[attachments.blocks]]\n[attachments.blocks.table]\ncolumns = [{{ title = \"a\", width = \"200mm\" }}]\nrows = [[\"宽表\"]]\n");
    let data = write_data(dir.path(), "l.toml", &text);
    let pdf = render_ok(&data, dir.path());
    let doc = lopdf::Document::load(&pdf).unwrap();
    let sizes: Vec<(f32, f32)> = doc
        .get_pages()
        .values()
        .map(|&id| {
            let b = doc.get_dictionary(id).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
            (b[2].as_float().unwrap(), b[3].as_float().unwrap())
        })
        .collect();
    assert!((sizes[0].0 - 595.28).abs() < 0.1, "{sizes:?}");
    assert!((sizes.last().unwrap().0 - 841.89).abs() < 0.1, "{sizes:?}");
}
