"""Make the .docx fixtures of tests/import.rs, as units make them: direct
formatting only (no heading styles), numbers typed as text, run-in headings
inside their paragraphs, text split over several runs.

    pip install python-docx
    python3 tests/support/make_import_docx.py

Writes tests/fixtures/import/seed.docx (the seed report, from
data/lechang-fulian-2022.toml) and tests/fixtures/import/table.docx (a table
with merged cells).
"""

import pathlib
import tomllib

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fixtures/import"

CN = "一二三四五六七八九十"
FIGURES = {
    "{year}": "2022",
    "{income.total}": "1485562.08元",
    "{income.sources}": "财政拨款收入1485562.08元，经营收入0元，其他收入0元",
    "{expenditure.total}": "1485562.08元",
    "{expenditure.basic}": "1192005.88元",
    "{expenditure.personnel}": "1050805.88元",
    "{expenditure.public}": "141200.00元",
    "{expenditure.project}": "293556.20元",
    "{fixed_assets.original}": "115594.66元",
    "{fixed_assets.depreciation}": "45211.42元",
    "{fixed_assets.net}": "70383.24元",
}


def run(p, text, bold=False, font="仿宋_GB2312"):
    r = p.add_run(text)
    r.bold = bold
    r.font.size = Pt(16)
    r.font.name = font
    r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return r


def para(doc, indent=True):
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)
    p.paragraph_format.line_spacing = Pt(28)
    return p


def number(level, i):
    return [f"{CN[i - 1]}、", f"（{CN[i - 1]}）", f"{i}.", f"（{i}）"][level]


def body(doc, text):
    for k, v in FIGURES.items():
        text = text.replace(k, v)
    p = para(doc)
    # Word splits text into runs wherever an edit happened.
    half = len(text) // 2
    run(p, text[:half])
    run(p, text[half:])


def section(doc, s, level, i):
    weight = s.get("weight")
    at = s.get("weight_at") or ("run_in" if s.get("run_in") else "title")
    end = s.get("end", "。" if level >= 2 else "")
    head = s["title"]
    if weight is not None and at == "title":
        head += f"（{weight}分）"
    head += end
    p = para(doc)
    font = ["黑体", "楷体_GB2312", "仿宋_GB2312", "仿宋_GB2312"][level]
    run(p, number(level, i), bold=level == 2, font=font)
    run(p, head, bold=level == 2, font=font)
    if s.get("run_in"):
        text = s["run_in"]
        if weight is not None and at == "run_in":
            text = f"指标分值{weight}分，" + text
        run(p, text)
    for b in s.get("blocks", []):
        if "paragraph" in b:
            body(doc, b["paragraph"])
        elif "figures" in b:
            body(doc, b["figures"])
        elif "list" in b:
            p = para(doc)
            for n, item in enumerate(b["list"]["items"], 1):
                run(p, f"（{n}）{item}")
    for n, c in enumerate(s.get("sections", []), 1):
        section(doc, c, level + 1, n)


def seed():
    data = tomllib.loads((ROOT / "data/lechang-fulian-2022.toml").read_text())
    doc = Document()
    t = doc.add_paragraph()
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(t, f"{data['unit']}{data['year']}年度部门整体支出绩效自评报告", font="方正小标宋简体").font.size = Pt(22)
    for n, s in enumerate(data["sections"], 1):
        section(doc, s, 0, n)
    doc.core_properties.author = "jixiao tests"
    doc.save(OUT / "seed.docx")


def table():
    doc = Document()
    run(para(doc, False), "示例市示例局2023年度部门整体支出绩效自评报告")
    run(para(doc, False), "一、部门基本情况")
    run(para(doc), "收支情况见下表。")
    tbl = doc.add_table(rows=4, cols=3)
    tbl.style = "Table Grid"
    tbl.cell(0, 0).text = "项目"
    tbl.cell(0, 1).merge(tbl.cell(0, 2)).text = "金额（元）"
    tbl.cell(1, 0).merge(tbl.cell(2, 0)).text = "收入"
    tbl.cell(1, 1).text = "财政拨款"
    tbl.cell(1, 2).text = "100.00"
    tbl.cell(2, 1).text = "其他"
    tbl.cell(2, 2).text = "0"
    tbl.cell(3, 0).text = "支出"
    tbl.cell(3, 1).text = "合计"
    tbl.cell(3, 2).text = "100.00"
    run(para(doc, False), "二、自评结论")
    run(para(doc), "良好。")
    doc.save(OUT / "table.docx")


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    seed()
    table()
