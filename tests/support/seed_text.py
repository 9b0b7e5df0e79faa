#!/usr/bin/env python3
"""Print the text a jixiao data file will show, in reading order, and
optionally compare it with the text extracted from the original report.

Usage:
    python3 tests/support/seed_text.py DATA.toml
    python3 tests/support/seed_text.py DATA.toml --compare SEED.txt [--max N]
    python3 tests/support/seed_text.py DATA.toml --title   # also print the title line

Rendering follows docs/data-format.md:
  * numbering by depth: "一、", "（一）", "1.", "（1）" (or style.numbering);
  * a weight is printed "（{w}分）" after the title, before its end punctuation,
    unless the section has run_in text (then "指标分值{w}分，" leads the run-in
    text) or weight_at says otherwise ("title" / "run_in" / "none");
  * end punctuation: levels 1-2 none, levels 3-4 "。" unless the title already
    ends with one of 。！？：; an explicit `end` key overrides;
  * list items are numbered at the next level and joined into one line when
    run_in = true; figures placeholders are expanded from [finance].

With --compare both texts are normalised (lines that are only a page number
dropped, all whitespace removed) and compared character by character with
difflib.SequenceMatcher; the ratio and the first differing places are shown.

Python 3.11+, standard library only.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tomllib

CN_DIGITS = "零一二三四五六七八九"
DEFAULT_NUMBERING = ["{cn}、", "（{cn}）", "{n}.", "（{n}）"]
DEFAULT_WEIGHT_IN_TITLE = "（{weight}分）"
DEFAULT_WEIGHT_RUN_IN = "指标分值{weight}分，"
TITLE_ENDS = "。！？："


def cn_number(n: int) -> str:
    """1..99 as Chinese numerals: 一, 十, 十一, 二十, 九十九."""
    if not 1 <= n <= 99:
        raise ValueError(f"cannot write {n} in Chinese numerals (1..99)")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def fmt_number(v) -> str:
    """A weight as written in TOML: 5 -> "5", 0.5 -> "0.5"."""
    if isinstance(v, bool):
        raise TypeError("a weight cannot be a boolean")
    return str(v)


class Renderer:
    def __init__(self, doc: dict):
        self.doc = doc
        style = doc.get("style", {})
        self.numbering = style.get("numbering", DEFAULT_NUMBERING)
        self.weight_in_title = style.get("weight_in_title", DEFAULT_WEIGHT_IN_TITLE)
        self.weight_run_in = style.get("weight_run_in", DEFAULT_WEIGHT_RUN_IN)
        self.finance = doc.get("finance", {})
        self.money_unit = self.finance.get("money_unit", "元")
        self.warnings: list[str] = []

    # -- numbering ---------------------------------------------------------
    def number(self, level: int, n: int) -> str:
        fmt = self.numbering[min(level, len(self.numbering)) - 1]
        cn = cn_number(n) if "{cn}" in fmt else ""
        return fmt.replace("{cn}", cn).replace("{n}", str(n))

    # -- figures -----------------------------------------------------------
    def money(self, amount: str) -> str:
        if not isinstance(amount, str):
            self.warnings.append(f"amount {amount!r} is not a string")
        return f"{amount}{self.money_unit}"

    def placeholder(self, name: str) -> str:
        f = self.finance
        if name == "year":
            return str(self.doc["year"])
        if name == "unit":
            return self.doc["unit"]
        if name == "income.sources":
            return "，".join(
                s["name"] + self.money(s["amount"]) for s in f["income"]["sources"]
            )
        group, _, key = name.partition(".")
        try:
            return self.money(f[group][key])
        except KeyError:
            raise KeyError(f"unknown figures placeholder {{{name}}}") from None

    def figures(self, text: str) -> str:
        return re.sub(r"\{([a-z_.]+)\}", lambda m: self.placeholder(m.group(1)), text)

    # -- sections ----------------------------------------------------------
    def end_of(self, sec: dict, level: int) -> str:
        if "end" in sec:
            return sec["end"]
        if level <= 2:
            return ""
        return "" if sec["title"].endswith(tuple(TITLE_ENDS)) else "。"

    def heading(self, sec: dict, level: int, n: int) -> str:
        title = sec["title"]
        end = self.end_of(sec, level)
        weight = sec.get("weight")
        run_in = sec.get("run_in")
        weight_at = sec.get("weight_at", "run_in" if run_in else "title")
        if weight_at not in ("title", "run_in", "none"):
            self.warnings.append(f"{title}: unknown weight_at {weight_at!r}")
        text = self.number(level, n) + title
        if weight is not None and weight_at == "title":
            text += self.weight_in_title.replace("{weight}", fmt_number(weight))
        text += end
        if run_in is not None:
            if weight is not None and weight_at == "run_in":
                text += self.weight_run_in.replace("{weight}", fmt_number(weight))
            text += run_in
        return text

    def blocks(self, blocks: list, level: int) -> list[str]:
        out = []
        for b in blocks:
            if len(b) != 1:
                self.warnings.append(f"a block must have exactly one key: {sorted(b)}")
            if "paragraph" in b:
                out.append(b["paragraph"])
            elif "figures" in b:
                out.append(self.figures(b["figures"]))
            elif "list" in b:
                lst = b["list"]
                items = [
                    self.number(level + 1, i) + item
                    for i, item in enumerate(lst["items"], 1)
                ]
                if lst.get("run_in", False):
                    out.append("".join(items))
                else:
                    out.extend(items)
            else:
                self.warnings.append(f"unknown block {sorted(b)}")
        return out

    def section(self, sec: dict, level: int, n: int) -> list[str]:
        lines = [self.heading(sec, level, n)]
        lines += self.blocks(sec.get("blocks", []), level)
        for i, child in enumerate(sec.get("sections", []), 1):
            lines += self.section(child, level + 1, i)
        self.check_weights(sec)
        return lines

    def check_weights(self, sec: dict) -> None:
        kids = [c["weight"] for c in sec.get("sections", []) if "weight" in c]
        if "weight" in sec and kids and sum(kids) != sec["weight"]:
            self.warnings.append(
                f"{sec['title']}: weight {sec['weight']} != sum of children {sum(kids)}"
            )

    def title(self) -> str:
        return self.doc.get("title", f"{self.doc['unit']}{self.doc['year']}年度部门整体支出绩效自评报告")

    def render(self, with_title: bool = False) -> list[str]:
        lines = [self.title()] if with_title else []
        for i, sec in enumerate(self.doc.get("sections", []), 1):
            lines += self.section(sec, 1, i)
        tops = [s["weight"] for s in self.doc.get("sections", []) for s in s.get("sections", []) if "weight" in s]
        if tops and sum(tops) != 100:
            self.warnings.append(f"level-2 indicator weights sum to {sum(tops)}, not 100")
        return lines


# -- comparison --------------------------------------------------------------
def normalise(text: str) -> str:
    kept = [l for l in text.splitlines() if not re.fullmatch(r"\s*\d+\s*", l)]
    return re.sub(r"\s+", "", "".join(kept))


# A space between a CJK character (or full-width punctuation) and an ASCII
# letter or digit is a word-processor spacing artefact of the PDF text.
_ARTEFACT_SPACE = re.compile(r"(?<=[^\x00-\x7f]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) +(?=[^\x00-\x7f])")


def normalise_spaces(text: str) -> str:
    """Stricter: join lines (each stripped), drop page-number lines and the
    artefact spaces, but keep every other space (e.g. "家越美 粤幸福")."""
    kept = [l.strip() for l in text.splitlines() if not re.fullmatch(r"\s*\d*\s*", l)]
    return _ARTEFACT_SPACE.sub("", "".join(kept))


def compare(ours: str, seed: str, max_diffs: int) -> float:
    a, b = normalise_spaces(ours), normalise_spaces(seed)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    diffs = [op for op in sm.get_opcodes() if op[0] != "equal"]
    print("== with word spaces kept (artefact spaces removed) ==")
    print(f"similarity: {sm.ratio():.6f} ({sm.ratio() * 100:.4f}%), differing places: {len(diffs)}")
    for tag, i1, i2, j1, j2 in diffs[:max_diffs]:
        print(f"  {tag:7s} after …{a[max(0, i1 - 12):i1]}  data: {a[i1:i2]!r}  seed: {b[j1:j2]!r}")

    a, b = normalise(ours), normalise(seed)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ratio = sm.ratio()
    diffs = [op for op in sm.get_opcodes() if op[0] != "equal"]
    print("== all whitespace removed ==")
    print(f"characters: data {len(a)}, seed {len(b)}")
    print(f"similarity: {ratio:.6f} ({ratio * 100:.4f}%)")
    print(f"differing places: {len(diffs)}")
    for tag, i1, i2, j1, j2 in diffs[:max_diffs]:
        ctx = a[max(0, i1 - 12):i1]
        print(f"  {tag:7s} at data[{i1}] seed[{j1}] after …{ctx}")
        print(f"          data: {a[i1:i2]!r}")
        print(f"          seed: {b[j1:j2]!r}")
    if len(diffs) > max_diffs:
        print(f"  … {len(diffs) - max_diffs} more")
    return ratio


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", help="the TOML data file")
    ap.add_argument("--compare", metavar="SEED.txt", help="compare with extracted text")
    ap.add_argument("--max", type=int, default=30, help="differences to show (default 30)")
    ap.add_argument("--title", action="store_true", help="print the title line first")
    args = ap.parse_args(argv)

    with open(args.data, "rb") as f:
        doc = tomllib.load(f)
    r = Renderer(doc)
    lines = r.render(with_title=args.title)
    for w in r.warnings:
        print(f"warning: {w}", file=sys.stderr)

    if args.compare:
        with open(args.compare, encoding="utf-8") as f:
            seed = f.read()
        compare("\n".join(lines), seed, args.max)
    else:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
