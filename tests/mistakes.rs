//! The ordinary mistakes of someone typing Chinese in a text editor, one
//! file each, and the exact words each gets: wholly Chinese, at the cause,
//! with what to type instead. And a file with several independent mistakes
//! gets every one of them in one run.

mod common;

use common::*;

const HEAD: &str = "unit = \"示例局\"\nyear = 2023\n";

/// (what, data, the message as printed after `file:line:col 错误：`).
const CASES: &[(&str, &str, &str)] = &[
    ("english quote inside a text", "unit = \"示例局\"\nyear = 2023\ntitle = \"关于\"三公\"经费的报告\"\n", "3:12 错误：title：文字里的英文双引号会提前结束这段文字；文字中的引号请改用中文引号“”"),
    (
        "paragraph pasted with a line break",
        "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"概况\"\n[[sections.blocks]]\nparagraph = \"第一行\n第二行\"\n",
        "6:16 错误：sections[0].blocks[0].paragraph（一、概况）：一段文字要写在一行里，或用三个英文引号 \"\"\"…\"\"\" 把多行文字包起来；这里的文字在行末断开了",
    ),
    ("curly quotes", "unit = “示例县农业农村局”\nyear = 2023\n", "1:8 错误：unit：值两边要用英文双引号 \"…\"，不能用中文引号 “…（Word 会自动把引号换成中文的）；请写成 unit = \"示例县农业农村局\""),
    ("single curly quotes", "unit = ‘示例局’\nyear = 2023\n", "请写成 unit = \"示例局\""),
    ("chinese colon", "unit：\"示例局\"\nyear = 2023\n", "1:5 错误：键和值之间要用英文等号 =，不能用“：”；请写成 unit = …"),
    ("full-width equals", "unit ＝ \"示例局\"\nyear = 2023\n", "1:6 错误：键和值之间要用英文等号 =，不能用“＝”；请写成 unit = …"),
    ("date with slashes", "unit = \"示例局\"\nyear = 2023\n[closing]\ndate = 2026/3/15\n", "4:8 错误：closing.date：成文日期写成 2026-03-15，年月日用“-”连接，月和日都写两位，不加引号"),
    ("date without leading zeros", "unit = \"示例局\"\nyear = 2023\n[closing]\ndate = 2026-3-15\n", "4:8 错误：closing.date：成文日期写成 2026-03-15"),
    ("full-width digits", "unit = \"示例局\"\nyear = ２０２３\n", "2:8 错误：year：数字要用半角（英文）数字，不能用全角数字；请写成 year = 2023"),
    ("chinese key name", "标题 = \"x\"\nunit = \"示例局\"\nyear = 2023\n", "1:1 错误：标题：键名要用英文（如 title、unit、paragraph），“标题”不是 jixiao 认识的键，这里多半是 title"),
    ("missing closing quote", "unit = \"示例局\nyear = 2023\n", "1:11 错误：unit：这段文字缺少结尾的英文双引号 \"；请在文字末尾补上 \""),
    ("thousands separators, unquoted", "unit = \"示例局\"\nyear = 2023\n[finance]\nbudget = 1,200.00\n", "4:10 错误：finance.budget：金额要写成带英文引号的纯数字：去掉千分位逗号，写成 budget = \"1200.00\""),
    ("thousands separators, quoted", "unit = \"示例局\"\nyear = 2023\n[finance]\nbudget = \"37,985,200.00\"\n", "4:10 错误：finance.budget：“37,985,200.00”不是数字：去掉千分位逗号，写成 \"37985200.00\""),
    ("unit after the amount", "unit = \"示例局\"\nyear = 2023\n[finance]\nbudget = \"38652418.36元\"\n", "不要写单位（单位在 finance.money_unit 中写一次），写成 \"38652418.36\""),
    (
        "万 typed in an amount",
        "unit = \"示例局\"\nyear = 2023\n[finance]\nbudget = \"150万\"\n",
        "4:10 错误：finance.budget：“150万”不是数字：金额里不要写“万”：金额的单位在 [finance] 的 money_unit 中写一次（不写时为元）。以元为单位写成 \"1500000\"；报告以万元为单位时，写 money_unit = \"万元\"，这里写 \"150\"",
    ),
    ("full-width digits in an amount", "unit = \"示例局\"\nyear = 2023\n[finance]\nbudget = \"１０５０８０５．８８\"\n", "不是数字：数字请用半角（英文状态）输入，写成 \"1050805.88\""),
    (
        "分 typed after a weight",
        "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"概况\"\nweight = \"4分\"\n",
        "5:10 错误：sections[0].weight（一、概况）：“4分”不是数字：分值和得分只写数字，不写“分”，写成 4",
    ),
    ("% typed after a weight", "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"概况\"\nweight = \"18%\"\n", "“18%”不是数字：百分数只写数字，不写“%”，写成 18"),
    ("a unit typed after a count", "unit = \"示例局\"\nyear = 2023\n[finance]\nbudget = \"21人\"\n", "“21人”不是数字：只写数字，不写单位“人”，写成 \"21\""),
    ("a number where a text goes", "unit = \"示例局\"\nyear = \"2023\"\n", "2:8 错误：year：类型不对：这里需要整数，实际是文字 \"2023\""),
    (
        "misspelt block key",
        "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"概况\"\n[[sections.blocks]]\nparagrph = \"正文。\"\n",
        "6:1 错误：sections[0].blocks[0].paragrph（一、概况）：未知的取值或块类型 `paragrph`，是否想写 `paragraph`？",
    ),
    (
        "two keys in one block",
        "unit = \"示例局\"\nyear = 2023\n[[sections]]\ntitle = \"概况\"\n[[sections.blocks]]\nparagraph = \"一。\"\nlist = { items = [\"二。\"] }\n",
        "5:1 错误：sections[0].blocks（一、概况）：一个块只能写一个键（paragraph、list、table 等），这里写了好几个；请分成几个块",
    ),
];

#[test]
fn each_mistake_gets_its_words_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    for (what, text, says) in CASES {
        let data = write_data(dir.path(), "m.toml", text);
        let o = run(&["check", data.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{what}: {err}");
        assert!(err.contains(&format!("m.toml:{says}")) || err.contains(says), "{what}: expected «{says}» in:\n{err}");
        assert_eq!(err.matches(" 错误：").count(), 1, "{what}: one mistake, one finding:\n{err}");
        for english in ["expected", "invalid", "TOML datetime", "string values", "key with no value", "unexpected", "wanted", "element"] {
            assert!(!err.contains(english), "{what}: English parser text «{english}» in:\n{err}");
        }
    }
}

#[test]
fn a_date_written_as_in_word_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "d.toml", &format!("{HEAD}[[sections]]\ntitle = \"概况。\"\n[closing]\ndate = \"2026年3月15日\"\n"));
    let out = dir.path().join("d.pdf");
    let o = run(&["render", data.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(squeeze(&pdf_text(&out)).contains("2026年3月15日"));
}

#[test]
fn four_independent_mistakes_are_four_findings() {
    // Two amounts pasted from Excel, a sum that does not add up, a score above its weight.
    let text = format!(
        "{HEAD}[finance.income]\ntotal = \"37,985,200.00\"\nsources = [{{ name = \"财政拨款收入\", amount = \"667,218.36\" }}]\n\
[finance.expenditure]\ntotal = \"100.00\"\nbasic = \"60.00\"\npersonnel = \"50.00\"\npublic = \"10.00\"\nproject = \"50.00\"\n\
[[sections]]\ntitle = \"绩效\"\nweight = 100\nscore = 120\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), "four.toml", &text);
    let o = run(&["check", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for says in [
        "finance.income.total：“37,985,200.00”不是数字：去掉千分位逗号",
        "finance.income.sources[0].amount：“667,218.36”不是数字：去掉千分位逗号",
        "finance.expenditure.total：支出合计应为 基本支出 60.00 + 项目支出 50.00 = 110.00，实际填写 100.00",
        "sections[0].score（一、绩效）：指标“绩效”的自评得分 120 应在 0 到分值 100 之间",
    ] {
        assert!(err.contains(says), "expected «{says}» in:\n{err}");
    }
    assert!(err.contains("共 4 个错误"), "{err}");
}

/// Text written after a subsection with the parent's table header belongs to
/// the parent and prints before the subsections: the file order misleads, so
/// it is named, and the report still renders.
#[test]
fn a_block_after_subsections_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{HEAD}[[sections]]\ntitle = \"概况\"\n[[sections.blocks]]\nparagraph = \"总述。\"\n[[sections.sections]]\ntitle = \"职责\"\n[[sections.blocks]]\nparagraph = \"本应属于职责的一段。\"\n"
    );
    let data = write_data(dir.path(), "order.toml", &text);
    let o = run(&["check", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("order.toml:9:1 警告：sections[0].blocks[1]（一、概况）：这个块写在下级章节之后，却属于上一层的章节"),
        "{err}"
    );
    assert!(err.contains("[[sections.sections.blocks]]"), "{err}");
}

/// A table's shape is checked in the same run as the file's syntax: a merged
/// cell past the edge is named beside an amount pasted from Excel.
#[test]
fn table_shape_and_syntax_mistakes_come_together() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{HEAD}[finance]\nbudget = \"1,200.00\"\n[[sections]]\ntitle = \"概况\"\n[[sections.blocks]]\n[sections.blocks.table]\ncolumns = [{{ title = \"a\" }}, {{ title = \"b\" }}]\nrows = [[{{ text = \"x\", rowspan = 3 }}, \"1\"], [\"2\"]]\n"
    );
    let data = write_data(dir.path(), "shape.toml", &text);
    let o = run(&["check", data.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("finance.budget：“1,200.00”不是数字"), "{err}");
    assert!(err.contains("sections[0].blocks[0].table.rows[0]（一、概况）：第 1 行的单元格“x”跨 3 行 1 列，超出了表格"), "{err}");
    assert!(err.contains("共 2 个错误"), "{err}");
}
