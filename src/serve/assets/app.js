"use strict";
// The editor page. Each field carries the key path of its value in the
// data file (data-path); an edit sends (path, value) and gets back the
// findings and the versions of the pages.

const TOKEN = "__TOKEN__";
let model = null;
let state = null;

// Children without the empty ones (a condition that did not hold).
const present = (kids) => kids.flat().filter((k) => k !== null && k !== undefined && k !== "" && k !== false);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
}

async function api(method, url, body) {
  const r = await fetch(url, {
    method,
    headers: { "X-Jixiao-Token": TOKEN, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let json = {};
  try { json = await r.json(); } catch (_) { /* not JSON */ }
  return { status: r.status, ok: r.ok, body: json };
}

// ---- Edits: sent at once; what is typed while the server answers waits and
// goes with the next request (the latest value of each field), so the pages
// follow the typing as fast as the server can lay them out.
const pending = new Map();
let inflight = null;
function changed(path, value, from) {
  // The same value may have two fields (a score in the grid and in its section).
  document.querySelectorAll(TEXT_INPUTS.split(", ").map((t) => `[data-path="${CSS.escape(path)}"] ${t}`).join(", ")).forEach((i) => {
    if (i !== from) i.value = value ?? "";
  });
  pending.set(path, value);
  showOnPage(path);
  setBusy(true);
  if (!inflight) pump();
}
// Send what is pending, one request at a time, until nothing is left.
function pump() {
  if (!pending.size) {
    inflight = null;
    setBusy(false);
    return Promise.resolve();
  }
  const edits = [...pending];
  pending.clear();
  inflight = (async () => {
    for (const [path, value] of edits) {
      const r = await api("POST", "/api/edit", { path, value });
      if (r.ok) applyState(r.body);
      else banner(r.body.error || "修改未能应用", true);
    }
  })().catch(() => banner("修改未能送达编辑器，请检查 jixiao 是否还在运行", true)).then(() => pump());
  return inflight;
}
function flush() {
  return inflight || pump();
}
// For tests and the save button: every edit sent and answered.
window.jixiaoIdle = () => flush();

function setBusy(b) {
  document.body.classList.toggle("busy", b);
  if (b) document.getElementById("status").textContent = "正在更新……";
}

// ---- Fields
// Call `fn` when the text of `input` changes, but not while an input method
// is composing (pinyin letters before a word is chosen): the composed text
// is sent once, when the composition ends.
function onText(input, fn) {
  input.addEventListener("input", (e) => { if (!e.isComposing) fn(); });
  input.addEventListener("compositionend", () => fn());
}

// ---- Text with placeholders. A paragraph is a box the officer types in,
// where each {income.total} is a chip with its label and its value now: it
// cannot be typed into, and one Backspace next to it takes it out whole.
// The box's `value` is the text as saved, placeholders written out.
const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z0-9_.\u4e00-\u9fff]+)\}/g;

function fillChip(c) {
  const key = c.dataset.key;
  const p = (state && state.placeholders && state.placeholders[key]) || null;
  c.className = "chip" + (p && p.value ? "" : " missing");
  c.title = "自动填入的数字，随收支数字变化；可以整个删去，不能在其中打字";
  c.replaceChildren(el("b", { text: p ? p.label : key }), el("span", { class: "value", text: p && p.value ? p.value : "（暂无）" }));
}

function richNodes(text) {
  const out = [];
  let last = 0, m;
  PLACEHOLDER.lastIndex = 0;
  while ((m = PLACEHOLDER.exec(text))) {
    if (!m[1]) continue;
    if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
    const c = el("span", { contenteditable: "false", "data-key": m[1] });
    fillChip(c);
    out.push(c);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

// The text of a box: chips as their placeholders; a line break the
// browser made (<br>, <div>) as a newline.
function richText(box) {
  let out = "";
  const walk = (n) => {
    for (const k of n.childNodes) {
      if (k.nodeType === Node.TEXT_NODE) out += k.data;
      else if (k.dataset && k.dataset.key) out += "{" + k.dataset.key + "}";
      else if (k.nodeName === "BR") { if (k !== box.lastChild) out += "\n"; }
      else {
        if ((k.nodeName === "DIV" || k.nodeName === "P") && out && !out.endsWith("\n")) out += "\n";
        walk(k);
      }
    }
  };
  walk(box);
  return out;
}

function richBox(value) {
  const box = el("div", { class: "rich", role: "textbox", "aria-multiline": "true", spellcheck: "false" });
  // Plain text only: what is pasted or typed (Enter too) stays text.
  box.contentEditable = "plaintext-only";
  if (box.contentEditable !== "plaintext-only") {
    box.contentEditable = "true";
    box.addEventListener("paste", (e) => {
      e.preventDefault();
      document.execCommand("insertText", false, e.clipboardData.getData("text/plain"));
    });
  }
  Object.defineProperty(box, "value", { get: () => richText(box), set: (v) => box.replaceChildren(...richNodes(v || "")) });
  box.value = value;
  // A placeholder typed by hand becomes a chip once the box is left.
  box.addEventListener("blur", () => {
    const typed = [...box.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && /\{[A-Za-z0-9_.\u4e00-\u9fff]+\}/.test(n.data.replace(/\{\{|\}\}/g, "")));
    if (typed) box.value = box.value;
  });
  return box;
}

// The values of the chips follow the figures after every edit.
function refreshChips() {
  document.querySelectorAll(".rich .chip").forEach(fillChip);
}

const TEXT_INPUTS = "input, textarea, .rich";

function field(label, path, value, opts = {}) {
  const input = opts.multiline ? richBox(value ?? "") : el("input", { type: "text" });
  input.value = value ?? "";
  onText(input, () => {
    const v = input.value;
    changed(path, v === "" && opts.removable ? null : v, input);
    if (opts.oninput) opts.oninput(v);
  });
  input.addEventListener("blur", () => { if (pending.size) flush(); });
  return el("div", { class: "field", "data-path": path },
    label ? el("label", { text: label }) : null, input, el("div", { class: "findings" }));
}

function renderBasics(b) {
  const box = document.getElementById("basics");
  box.replaceChildren(...present([
    el("h2", { text: "基本信息" }),
    el("div", { class: "inline" },
      field("单位名称", "unit", b.unit),
      el("div", { style: "flex:0 0 120px" }, field("年度", "year", b.year))),
    field("标题（不填则为“单位＋年度＋部门整体支出绩效自评报告”）", "title", b.title, { removable: true }),
    el("h3", { text: "落款" }),
    el("div", { class: "inline" }, closingUnitField(b), dateField("成文日期", "closing.date", b.closing_date)),
  ]));
  document.getElementById("docname").textContent = (b.unit || "") + (b.year ? " · " + b.year + " 年度" : "");
}

// The signing unit is the report's unit unless another is typed: it shows
// the unit, and only a different name is written to the file.
function closingUnitField(b) {
  const input = el("input", { type: "text", id: "closing-unit" });
  input.value = b.closing_unit ?? b.unit ?? "";
  onText(input, () => {
    const v = input.value.trim();
    const unit = ((document.querySelector('[data-path="unit"] input') || {}).value || "").trim();
    changed("closing.unit", v === "" || v === unit ? null : input.value, input);
  });
  input.addEventListener("blur", () => { if (pending.size) flush(); });
  return el("div", { class: "field", "data-path": "closing.unit" },
    el("label", { text: "落款单位（与单位名称相同时不必改）" }), input, el("div", { class: "findings" }));
}

// A date with the browser's date picker; the file holds a TOML date (2025-03-15).
function dateField(label, path, value) {
  const input = el("input", { type: "date", id: "closing-date" });
  const m = /^(\d{4})\D+(\d{1,2})\D+(\d{1,2})/.exec(value || "");
  input.value = m ? `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}` : "";
  input.addEventListener("change", () => { changed(path, input.value || null, input); flush(); });
  return el("div", { class: "field date", "data-path": path, style: "flex:0 0 190px" },
    el("label", { text: label }), input, el("div", { class: "findings" }));
}

function renderFinance(money) {
  const box = document.getElementById("finance");
  if (!money || !money.nodes.length) { box.hidden = true; return; }
  box.hidden = false;
  const rows = money.nodes.map((n) =>
    el("div", { class: "fin-wrap" },
      el("div", { class: "fin-row", style: `padding-left:${n.depth * 18}px` },
        el("label", { text: n.name + (n.breakdown ? "（" + n.breakdown + "）" : "") }),
        field(null, n.path, n.value)),
    ));
  box.replaceChildren(el("h2", { text: "收支数字（" + money.unit + "）" }), ...rows, el("div", { id: "sums", class: "sums" }));
}

// A report without indicators (an imported one) is offered a framework;
// once added, its score grid is shown.
function offerFrameworks(box) {
  box.hidden = false;
  box.replaceChildren(
    el("h2", { text: "指标评分" }),
    el("p", { class: "muted", text: "这份报告还没有评分指标。选一套指标框架加入报告，再逐项填写自评得分；报告末尾会附上自评表。" }),
    el("div", { class: "offers" }, ((model && model.frameworks) || []).map((f) =>
      el("button", { type: "button", class: "offer", "data-framework": f.key, onclick: async () => {
        if (await structure("framework_add", f.key)) document.getElementById("scores").scrollIntoView({ block: "start" });
      } }, el("b", { text: "加入" + f.label.replace(/：.*$/, "") + "指标" }), el("span", { class: "muted", text: f.label.replace(/^[^：]*：/, "") }))),
      el("button", { type: "button", class: "offer", id: "own-indicators", onclick: () => structure("indicator_after", "") },
        el("b", { text: "自建指标" }), el("span", { class: "muted", text: "从一项指标开始，逐项添加、命名，填写分值和下级指标" }))));
}

// The score grid. A tree of the unit's own ([[indicators]]) is edited here:
// names, weights, an indicator more, a level below, one taken out; a tree
// written in the sections is renamed and weighted here, built in the body.
function renderScores(scores) {
  const box = document.getElementById("scores");
  if (!scores) { box.hidden = true; return; }
  if (!scores.rows.length) { offerFrameworks(box); return; }
  box.hidden = false;
  const own = scores.own;
  const body = scores.rows.map((r) => {
    const cell = r.leaf
      ? el("td", { class: "num" }, scoreInput(r))
      : el("td", { class: "num", "data-score-of": r.path, text: r.score ?? "" });
    const into = `[data-findings-of="${CSS.escape(r.path)}"]`;
    const name = own ? gridInput(r.name_path, r.name, { class: "name", findingsIn: into }) : r.name;
    // A level whose weight is its children's sum shows the sum, to fill in if wanted.
    const weight = own
      ? gridInput(r.weight_path, r.weight_written ?? "", { numeric: true, findingsIn: into, placeholder: r.weight })
      : el("span", { "data-weight-of": r.path, text: r.weight });
    const tools = own ? el("span", { class: "tools" },
      tool("＋同级", "在这一项之后添加一项同级指标", () => structure("indicator_after", r.path), { op: "indicator_after" }),
      tool("＋下级", "在这一项之下添加一级下级指标（第一项下级承接它的分值和得分）", () => structure("indicator_child", r.path), { op: "indicator_child", disabled: r.depth >= 3 }),
      tool("删除", "删除这一项指标" + (r.leaf ? "" : "和它的下级"), () => removeAsked("指标“" + r.name + "”" + (r.leaf ? "" : "及其全部下级指标"), r.path), { danger: true, op: "delete" })) : null;
    return el("tr", { class: r.leaf ? "" : "parent", "data-indicator": r.path },
      el("td", { style: `padding-left:${6 + r.depth * 16}px` }, el("div", { class: "ind-name" }, name, tools),
        el("div", { class: "findings", "data-findings-of": r.path })),
      el("td", { class: "num" }, weight),
      cell);
  });
  for (const b of scores.bonuses || []) {
    body.push(el("tr", {},
      el("td", {}, b.name + "（上限 " + b.cap + " 分）", el("div", { class: "findings", "data-findings-of": b.path })),
      el("td", { class: "num", text: "" }),
      el("td", { class: "num" }, scoreInput({ path: b.path, given: b.score }))));
  }
  const tops = scores.rows.filter((r) => r.depth === 0);
  box.replaceChildren(...present([
    el("h2", { text: "指标评分" }),
    own ? el("p", { class: "muted", text: "指标名称和分值可直接修改；下级分值之和须等于上级分值，一级指标分值之和须为 " + scores.full + " 分。" }) : null,
    el("div", { id: "scores-summary" }),
    el("table", { class: "grid" + (own ? " own" : "") },
      el("thead", {}, el("tr", {}, el("th", { text: "指标" }), el("th", { class: "num", text: "分值" }), el("th", { class: "num", text: "自评得分" }))),
      el("tbody", {}, body),
      el("tfoot", {}, el("tr", { class: "total" },
        el("td", { id: "grade-cell" }),
        el("td", { class: "num", id: "weight-total" }),
        el("td", { class: "num", id: "total-cell" })))),
    own ? el("div", { class: "adders" },
      tool("＋ 一级指标", "在最后添加一项一级指标", () => structure("indicator_after", tops.length ? tops[tops.length - 1].path : ""), { op: "indicator_top" })) : null,
  ]));
}

// A text box of the grid (a name, a weight, a score) for the value at `path`.
function gridInput(path, value, opts = {}) {
  const input = el("input", { type: "text", inputmode: opts.numeric ? "decimal" : null, placeholder: opts.placeholder || null });
  input.value = value ?? "";
  onText(input, () => {
    const v = opts.numeric ? input.value.trim() : input.value;
    changed(path, v === "" && (opts.numeric || opts.removable) ? null : v, input);
  });
  input.addEventListener("blur", () => { if (pending.size) flush(); });
  return el("div", { class: "field" + (opts.class ? " " + opts.class : ""), "data-path": path, "data-findings-in": opts.findingsIn || null },
    input, opts.findingsIn ? null : el("div", { class: "findings" }));
}

function scoreInput(r) {
  return gridInput(r.path + ".score", r.given, { numeric: true });
}

// ---- Structural edits: sections, blocks, attachments, table rows. The
// server answers with the whole model (paths change) and the path to show.
async function structure(op, path, extra) {
  await flush();
  setBusy(true);
  const r = await api("POST", "/api/outline", Object.assign({ op, path }, extra || {}));
  if (!r.ok) {
    setBusy(false);
    banner(r.body.error || "操作未能完成", true);
    return false;
  }
  build(r.body);
  setBusy(false);
  if (r.body.focus) reveal(r.body.focus, true);
  return true;
}
window.jixiaoStructure = structure;

function tool(label, title, onclick, opts = {}) {
  return el("button", { type: "button", class: "tool" + (opts.danger ? " danger" : ""), title, text: label,
    disabled: opts.disabled ? true : null, "data-op": opts.op || null, onclick });
}

// A question in the page (a dialog the browser draws may be blocked or look foreign).
function ask(text, ok) {
  return new Promise((resolve) => {
    const close = (v) => { back.remove(); document.removeEventListener("keydown", esc, true); resolve(v); };
    const esc = (e) => { if (e.key === "Escape") { e.preventDefault(); close(false); } };
    const back = el("div", { class: "modal-back" },
      el("div", { class: "modal", role: "dialog", "aria-modal": "true" },
        el("p", { text }),
        el("div", { class: "modal-actions" },
          el("button", { type: "button", class: "cancel", onclick: () => close(false), text: "取消" }),
          el("button", { type: "button", class: "confirm danger", onclick: () => close(true), text: ok || "确定" }))));
    document.addEventListener("keydown", esc, true);
    document.body.append(back);
    back.querySelector(".confirm").focus();
  });
}

// Where to move a section or block: every section of the body but itself
// and what is in it, as the outline shows them.
function moveAsked(path, what) {
  const choices = [];
  const walk = (sections, level) => sections.forEach((s) => {
    if (s.path === path || s.path.startsWith(path + ".")) return;
    choices.push(el("button", { type: "button", class: "move-choice", "data-to": s.path, style: `padding-left:${10 + level * 18}px`,
      text: s.number + s.title, onclick: () => { back.remove(); structure("move_into", path, { to: s.path }); } }));
    walk(s.sections, level + 1);
  });
  walk((model && model.outline) || [], 0);
  const back = el("div", { class: "modal-back" },
    el("div", { class: "modal move", role: "dialog", "aria-modal": "true" },
      el("h2", { text: "把" + what + "移到哪一节？" }),
      el("p", { class: "muted", text: path.includes(".blocks[") ? "放在所选那一节正文的末尾。" : "成为所选那一节的最后一个下级章节，编号自动调整。" }),
      el("div", { class: "move-list" }, choices),
      el("div", { class: "modal-actions" }, el("button", { type: "button", class: "cancel", onclick: () => back.remove(), text: "取消" }))));
  document.body.append(back);
}

// Scroll the pages to where the block or section at `path` is printed.
function showOnPage(path) {
  const marks = (state && state.marks) || [];
  for (let n = 0; n < marks.length; n++) {
    for (const [top, p] of marks[n]) {
      if (p === path || p.startsWith(path + ".") || path.startsWith(p + ".")) {
        const img = document.querySelector(`#pagelist img[data-page="${n + 1}"]`);
        const pages = document.getElementById("pages");
        if (!img || !pages) return false;
        const y = pages.scrollTop + img.getBoundingClientRect().top - pages.getBoundingClientRect().top + top * img.clientHeight - 40;
        pages.scrollTo({ top: Math.max(0, y) });
        document.body.dataset.shownPage = String(n + 1);
        return true;
      }
    }
  }
  return false;
}
window.jixiaoShowOnPage = showOnPage;

async function removeAsked(what, path) {
  if (await ask("删除" + what + "？删除后可以用“撤销”恢复。", "删除")) await structure("delete", path);
}

const BLOCK_NAMES = { paragraph: "段落", figures: "数字句", list: "列举", table: "表格",
  score_table: "自评表", finance_table: "收支表", staffing_table: "人员表" };

// The blocks of a section or an attachment, each with its own tools.
function blockEditors(blocks, owner) {
  const out = [];
  blocks.forEach((b, j) => {
    const name = BLOCK_NAMES[b.kind] || b.kind;
    const tools = el("span", { class: "tools" },
      tool("上移", "与上一块交换位置", () => structure("up", b.block), { disabled: j === 0, op: "up" }),
      tool("下移", "与下一块交换位置", () => structure("down", b.block), { disabled: j === blocks.length - 1, op: "down" }),
      owner.startsWith("sections") ? tool("移到…", "把这一块移到另一节的末尾", () => moveAsked(b.block, "这一块" + name), { op: "move_into" }) : null,
      tool("删除", "删除这一块", () => removeAsked("这一" + (b.kind === "table" ? "张表格" : "块" + name), b.block), { danger: true, op: "delete" }));
    const bar = (label) => el("div", { class: "block-bar" }, el("span", { class: "block-kind", text: label }), tools);
    let body;
    if (b.kind === "paragraph") body = [bar("段落"), field(null, b.path, b.text, { multiline: true })];
    else if (b.kind === "figures") body = [bar("数字句（带底色的数字自动填入）"), field(null, b.path, b.text, { multiline: true })];
    else if (b.kind === "list") body = [bar("列举（各项按下一层编号）"), ...listItems(b)];
    else if (b.kind === "table") body = [bar("表格"), gridEditor(b)];
    else body = [bar(name), el("p", { class: "muted", "data-path": b.path, text: blockNote(b.kind) })];
    out.push(el("div", { class: "block", "data-block": b.block }, body));
  });
  out.push(el("div", { class: "adders" },
    tool("＋ 段落", "在末尾添加一个段落", () => structure("paragraph_add", owner), { op: "paragraph_add" }),
    tool("＋ 表格", "在末尾添加一张空白表格（3 列 2 行，带标题）", () => structure("table_add", owner), { op: "table_add" }),
    tool("＋ 列举", "在末尾添加一组按下一层编号的列举", () => structure("list_add", owner), { op: "list_add" }),
    tool("＋ 数字句", "在末尾添加一句含收支数字的话", () => structure("figures_add", owner), { op: "figures_add" })));
  return out;
}

// The items of a list, each with its tools, and a button for one more.
function listItems(b) {
  const n = b.items.length;
  const items = b.items.map((t, k) => {
    const path = b.path + "[" + k + "]";
    return el("div", { class: "list-item" },
      el("span", { class: "tools" },
        tool("上移", "与上一项交换位置", () => structure("up", path), { disabled: k === 0, op: "up" }),
        tool("下移", "与下一项交换位置", () => structure("down", path), { disabled: k === n - 1, op: "down" }),
        tool("删除", "删除这一项", () => removeAsked("第 " + (k + 1) + " 项", path), { danger: true, op: "delete" })),
      field("第 " + (k + 1) + " 项", path, t, { multiline: true }));
  });
  const last = n ? b.path + "[" + (n - 1) + "]" : b.path;
  items.push(el("div", { class: "adders" },
    tool("＋ 项", "在最后添加一项", () => structure("item_add", last), { op: "item_add" })));
  return items;
}

function blockNote(kind) {
  return { score_table: "由指标和得分自动生成，请在“指标评分”中填写",
    finance_table: "由收支数字自动生成，请在“收支数字”中填写",
    staffing_table: "由人员编制数字自动生成" }[kind] || "请在数据文件中编辑";
}

// A table block as a grid of cells; merged cells keep their span. Header
// rows (above the column titles) are edited like the rows; the cell last
// clicked is merged with the one to its right or below, or split.
function gridEditor(b) {
  const width = Math.max(1, b.columns.length, ...b.rows.map((r) => r.cells.reduce((n, c) => n + (c.colspan || 1), 0)));
  let chosen = null;
  const bar = el("div", { class: "merge-bar" },
    el("span", { class: "muted", text: "单元格：" }),
    ...[["merge_right", "向右合并", "与右边的单元格合并为一格（文字接在一起）"],
      ["merge_down", "向下合并", "与下面的单元格合并为一格（文字接在一起）"],
      ["unmerge", "拆分", "把合并的单元格拆回一格一格"]].map(([op, label, title]) =>
      tool(label, title, () => { if (chosen) structure(op, chosen); }, { op, disabled: true })));
  const choose = (c) => (e) => {
    chosen = c.at;
    bar.querySelectorAll(".tool").forEach((t) => { t.disabled = t.dataset.op === "unmerge" ? !(c.rowspan > 1 || c.colspan > 1) : false; });
    bar.dataset.chosen = c.at;
  };
  const cellsOf = (r, isHead) => r.cells.map((c) => el(isHead ? "th" : "td", { colspan: c.colspan > 1 ? c.colspan : null, rowspan: c.rowspan > 1 ? c.rowspan : null,
    "data-cell": c.at, onfocusin: choose(c) }, cellInput(c)));
  const headRows = (b.header || []).map((r) => el("tr", { class: "header-row", "data-row": r.path }, cellsOf(r, true),
    el("th", { class: "act" }, tool("×", "删除这一表头行", () => removeAsked("这一表头行", r.path), { danger: true, op: "delete" }))));
  // Column titles are edited in place, like the cells.
  const head = el("tr", {}, b.columns.map((c, i) => el("th", {},
    b.column_paths ? cellInput({ path: b.column_paths[i], text: c }) : c)), el("th", { class: "act" }));
  const rows = b.rows.map((r) => el("tr", { "data-row": r.path }, cellsOf(r, false),
    el("td", { class: "act" }, tool("×", "删除这一行", () => removeAsked("这一行", r.path), { danger: true, op: "delete" }))));
  return el("div", { class: "table-edit", "data-path": b.path },
    bar,
    el("div", { class: "grid-scroll" }, el("table", { class: "cells" }, el("thead", {}, headRows, head), el("tbody", {}, rows))),
    el("div", { class: "adders" },
      tool("＋ 添加一行", "在表格末尾添加一个空行", () => structure("row_add", b.path + ".rows", { count: b.columns.length || width }), { op: "row_add" }),
      tool("＋ 表头行", "在列标题之上添加一行表头（可与左右、上下合并）", () => structure("header_add", b.path), { op: "header_add" })),
    el("div", { class: "findings" }));
}

function cellInput(c) {
  const input = el("textarea", { rows: 1 });
  input.value = c.text;
  input.addEventListener("input", () => fit(input));
  onText(input, () => changed(c.path, input.value, input));
  input.addEventListener("blur", () => { if (pending.size) flush(); });
  return el("div", { class: "field cell", "data-path": c.path }, input, el("div", { class: "findings" }));
}

function checkbox(label, path, checked) {
  const input = el("input", { type: "checkbox" });
  input.checked = !!checked;
  input.addEventListener("change", () => { changed(path, input.checked ? "true" : null, input); flush(); });
  return el("label", { class: "check", "data-path": path }, input, label);
}

function renderBody(outline) {
  const body = document.getElementById("body");
  const tree = document.getElementById("tree");
  body.replaceChildren();
  tree.replaceChildren();
  const walk = (sections, level, into, treeInto) => {
    sections.forEach((s, i) => {
      const head = el("div", { class: "section-head" });
      const num = s.number;
      const link = el("a", { "data-section": s.path, onclick: () => { reveal(s.path + ".title", false); showOnPage(s.path); } });
      const setHead = (t) => { head.textContent = num + t; link.textContent = num + t; };
      const last = i === sections.length - 1;
      const tools = el("div", { class: "tools" },
        tool("上移", "与上一节交换位置", () => structure("up", s.path), { disabled: i === 0, op: "up" }),
        tool("下移", "与下一节交换位置", () => structure("down", s.path), { disabled: last, op: "down" }),
        tool("升级", "移到上一层，排在所属章节之后", () => structure("outdent", s.path), { disabled: level === 0, op: "outdent" }),
        tool("降级", "归入上一节，作为它的最后一个下级", () => structure("indent", s.path), { disabled: i === 0 || level >= 3, op: "indent" }),
        tool("＋同级", "在这一节之后添加一节", () => structure("section_after", s.path), { op: "section_after" }),
        tool("＋下级", "在这一节中添加一个下级章节", () => structure("section_child", s.path), { disabled: level >= 3, op: "section_child" }),
        tool("移到…", "把这一节（连同下级）移到另一节中，作为它的最后一个下级", () => moveAsked(s.path, "“" + num + s.title + "”"), { op: "move_into" }),
        tool("删除", "删除这一节和它的全部内容", () => removeAsked("“" + num + s.title + "”及其全部内容（含下级章节）", s.path), { danger: true, op: "delete" }));
      const kids = [el("div", { class: "section-top" }, head, tools),
        field("标题", s.path + ".title", s.title, { oninput: setHead })];
      if (s.run_in !== null) kids.push(field("接排文字（紧接标题）", s.path + ".run_in", s.run_in, { multiline: true }));
      if (s.weight !== null) {
        kids.push(el("div", { class: "inline" },
          field("分值", s.path + ".weight", s.weight),
          field("自评得分", s.path + ".score", s.score, { removable: true })));
      }
      kids.push(...blockEditors(s.blocks, s.path));
      const card = el("div", { class: "section level" + level, id: "sec-" + s.path, "data-path": s.path }, kids, el("div", { class: "findings" }));
      setHead(s.title);
      into.append(card);
      const li = el("li", {}, link);
      treeInto.append(li);
      if (s.sections.length) {
        const ul = el("ul");
        li.append(ul);
        walk(s.sections, level + 1, card, ul);
      }
    });
  };
  walk(outline, 0, body, tree);
  const lastTop = outline.length ? outline[outline.length - 1].path : "";
  body.append(el("div", { class: "adders" },
    tool("＋ 添加一章", "在报告末尾添加第一层的一节", () => structure("section_after", lastTop), { op: "section_after" })));
}

function renderAttachments(list) {
  const box = document.getElementById("attachments");
  const rows = list.map((a, i) => el("div", { class: "attachment", "data-path": a.path },
    el("div", { class: "att-row" },
      el("span", { class: "att-label", text: list.length > 1 ? "附件" + (i + 1) : "附件" }),
      field(null, a.path + ".title", a.title),
      checkbox("横向", a.path + ".landscape", a.landscape),
      el("span", { class: "tools" },
        tool("上移", "与上一个附件交换位置", () => structure("up", a.path), { disabled: i === 0, op: "up" }),
        tool("下移", "与下一个附件交换位置", () => structure("down", a.path), { disabled: i === list.length - 1, op: "down" }),
        tool("删除", "删除这个附件", () => removeAsked("附件“" + a.title + "”", a.path), { danger: true, op: "delete" }))),
    el("div", { class: "att-blocks" }, blockEditors(a.blocks, a.path))));
  box.replaceChildren(...present([el("h2", { text: "附件" }),
    list.length ? null : el("p", { class: "muted", text: "没有附件。附件排在正文之后，各自另起一页。" }),
    ...rows]),
    el("div", { class: "adders" },
      tool("＋ 添加附件", "在最后添加一个附件", () => structure("attachment_add", list.length ? list[list.length - 1].path : ""), { op: "attachment_add" })));
}

// A cell grows with its text.
function fit(t) {
  t.style.height = "auto";
  t.style.height = t.scrollHeight + 2 + "px";
}

// ---- From a page to its field
function fieldFor(path) {
  const q = (sel) => document.querySelector("#body " + sel) || document.querySelector("#attachments " + sel) || document.querySelector(sel);
  let f = q(`[data-path="${CSS.escape(path)}"]`);
  if (!f) f = [...document.querySelectorAll("#body [data-path], #attachments [data-path], #scores [data-path]")]
    .find((e) => e.dataset.path.startsWith(path + "[") || e.dataset.path.startsWith(path + "."));
  return f || target(path);
}

function reveal(path, focus) {
  const f = fieldFor(path);
  if (!f) return false;
  f.scrollIntoView({ block: "center" });
  const input = f.matches(TEXT_INPUTS) ? f : f.querySelector("textarea, .rich, input[type=text]");
  if (focus && input) input.focus({ preventScroll: true });
  f.classList.remove("flash");
  void f.offsetWidth;
  f.classList.add("flash");
  setTimeout(() => f.classList.remove("flash"), 1600);
  document.body.dataset.revealed = f.dataset.path || path;
  return true;
}
window.jixiaoReveal = reveal;

// The block a click at (fraction y) of page n (0-based) falls in.
function markAt(n, y) {
  const marks = (state && state.marks && state.marks[n]) || [];
  let pick = null;
  for (const [top, path] of marks) {
    if (top <= y + 0.012) pick = path; else break;
  }
  return pick;
}

function pageClicked(e) {
  const img = e.currentTarget;
  const n = Number(img.dataset.page) - 1;
  const path = markAt(n, e.offsetY / img.clientHeight);
  if (path) reveal(path, true);
}

// ---- State: findings, pages, computed figures
function target(path) {
  let p = path;
  while (p) {
    const found = document.querySelector(`[data-path="${CSS.escape(p)}"]`) || document.querySelector(`[data-findings-of="${CSS.escape(p)}"]`);
    if (found) return found;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return null;
}

function findingsBox(t) {
  if (t.classList.contains("findings")) return t;
  // A narrow field (a weight in the grid) shows its findings in its row.
  if (t.dataset.findingsIn) return document.querySelector(t.dataset.findingsIn) || t;
  return t.querySelector(":scope > .findings") || t;
}

function placeFindings(findings) {
  document.querySelectorAll(".findings").forEach((f) => f.replaceChildren());
  document.querySelectorAll(".has-error, .has-warning").forEach((f) => f.classList.remove("has-error", "has-warning"));
  document.querySelectorAll(".tree a.bad").forEach((a) => a.classList.remove("bad"));
  document.querySelectorAll(".blank-score").forEach((f) => f.classList.remove("blank-score"));
  const summary = document.getElementById("scores-summary");
  if (summary) summary.replaceChildren();
  const general = [];
  for (const f of findings) {
    if (f.items) { placeSummary(f); continue; }
    const text = f.label + "：" + f.message;
    const t = f.path ? target(f.path) : null;
    if (!t) { general.push(findingLink(f)); continue; }
    findingsBox(t).append(el("div", { class: "finding " + f.severity, "data-finding-of": f.path, text }));
    if (t.classList.contains("field")) t.classList.add(f.severity === "error" ? "has-error" : "has-warning");
    if (f.severity === "error") markTree(t);
    for (const r of f.related || []) {
      const rt = target(r);
      if (rt && rt !== t) findingsBox(rt).append(el("div", { class: "finding related", text: "相关：" + f.message }));
    }
  }
  document.getElementById("general").replaceChildren(...(general.length ? [el("div", { class: "card" }, el("h2", { text: "其他提示" }), general)] : []));
  if (!document.getElementById("checks").hidden) renderChecks();
}

// Many blank scores are one line at the head of the grid; each blank
// score field is only tinted (its words are in that line and in the list).
function placeSummary(f) {
  const box = document.getElementById("scores-summary");
  if (box) box.replaceChildren(findingEntry(f));
  else document.getElementById("general").append(findingEntry(f));
  for (const i of f.items) {
    const t = target(i.path);
    if (t && t.classList.contains("field")) t.classList.add("blank-score");
  }
}

// A line of the list of findings; a summary with its items, each to click.
function findingEntry(f) {
  if (!f.items) return findingLink(f);
  return el("div", { class: "finding-group" }, findingLink(Object.assign({}, f, { path: f.items[0].path })),
    el("details", {}, el("summary", { text: "逐项列出（" + f.items.length + " 项）" }),
      el("div", { class: "group-items" }, f.items.map(findingLink))));
}

// A finding as a line to click: its place in the outline, then the message;
// the click goes to its field.
function findingLink(f) {
  return el("button", { type: "button", class: "finding-link finding " + f.severity, "data-goto": f.path || null,
    onclick: () => { if (f.path && !reveal(f.path, true)) banner("这一条没有对应的输入框：" + f.message, false); } },
    f.place ? el("span", { class: "where", text: f.place }) : null,
    el("span", { text: f.label + "：" + f.message }));
}

// The list of every finding, opened from the counter in the bar.
function renderChecks() {
  const box = document.getElementById("checks");
  const list = (state && state.findings) || [];
  box.hidden = false;
  box.replaceChildren(
    el("div", { class: "find-head" }, el("h2", { text: list.length ? "检查结果（" + list.length + " 条）" : "检查结果" }),
      el("button", { type: "button", class: "tool", text: "关闭", onclick: () => { box.hidden = true; } })),
    list.length ? el("p", { class: "muted", text: "点击一条，转到要改的地方。" }) : el("p", { text: "检查通过，没有错误和警告。" }),
    el("div", { class: "checks-list" }, list.map(findingEntry)));
}
function toggleChecks() {
  const box = document.getElementById("checks");
  if (box.hidden) { renderChecks(); box.scrollIntoView({ block: "start" }); } else box.hidden = true;
}

function markTree(t) {
  const sec = t.closest(".section");
  if (!sec) return;
  const a = document.querySelector(`.tree a[data-section="${CSS.escape(sec.dataset.path)}"]`);
  if (a) a.classList.add("bad");
}

function applyState(s) {
  state = s;
  refreshChips();
  placeFindings(s.findings);
  const errors = s.findings.filter((f) => f.severity === "error").length;
  const warnings = s.findings.length - errors;
  const status = document.getElementById("status");
  status.replaceChildren(...present([
    (errors || warnings) ? el("button", { type: "button", id: "counter", class: "counter", title: "列出全部错误和警告", onclick: toggleChecks },
      errors ? el("span", { class: "err", text: errors + " 个错误" }) : null,
      warnings ? el("span", { class: "warn", text: (errors ? "，" : "") + warnings + " 个警告" }) : null) : null,
    (errors || warnings) ? "　" : "检查通过　",
    s.dirty ? "有未保存的修改" : "已保存"]));
  document.getElementById("undo").disabled = !s.can_undo;
  if (s.scores) {
    for (const r of s.scores.rows) {
      const c = document.querySelector(`[data-score-of="${CSS.escape(r.path)}"]`);
      if (c) c.textContent = r.score ?? "";
    }
    for (const r of s.scores.rows) {
      const w = document.querySelector(`[data-weight-of="${CSS.escape(r.path)}"]`);
      if (w) w.textContent = r.weight;
    }
    const weights = document.getElementById("weight-total");
    if (weights) weights.textContent = s.scores.rows.filter((r) => r.depth === 0).reduce((n, r) => n + Number(r.weight), 0).toString();
    const total = document.getElementById("total-cell");
    const grade = document.getElementById("grade-cell");
    if (total) total.textContent = s.scores.total ?? "";
    if (grade) {
      grade.replaceChildren(...present(["总分" + (s.scores.total ? "" : (s.scores.any_given ? "（得分未填全）" : "（未填写得分）")),
        s.scores.grade ? el("span", { class: "grade", text: "等级：" + s.scores.grade }) : ""]));
    }
  }
  const sums = document.getElementById("sums");
  if (sums && s.money) {
    sums.replaceChildren(...present([...s.money.sums.map((t) => el("div", { text: "合计：" + t })),
      s.execution_rate ? el("div", { text: "预算执行率：" + s.execution_rate + "%" }) : ""]));
  }
  renderPages(s);
  if (s.external) {
    banner("数据文件已在别处被修改（例如另一个编辑器）。这里的修改尚未保存。", true, [
      el("button", { type: "button", onclick: reload, text: "载入文件中的版本（放弃这里的修改）" }),
      el("button", { type: "button", onclick: () => save(true), text: "仍然保存（覆盖文件）" }),
    ]);
  } else if (document.getElementById("banner").dataset.kind === "external") {
    banner(null);
  }
}

function renderPages(s) {
  const list = document.getElementById("pagelist");
  list.classList.toggle("stale", s.stale);
  document.getElementById("pagehead").replaceChildren(...present([
    "共 " + s.pages.length + " 页",
    s.stale ? el("span", { class: "stale", text: "数据有误：显示的是上一次正确时的页面" }) : ""]));
  s.pages.forEach((v, i) => {
    let img = list.children[i];
    if (!img) {
      img = el("img", { alt: "第 " + (i + 1) + " 页", "data-page": i + 1, title: "点击页面上的文字，转到它在左边的输入框" });
      img.addEventListener("click", pageClicked);
      list.append(img);
    }
    const src = `/page/${i + 1}.png?v=${v}&token=${TOKEN}`;
    if (img.getAttribute("src") !== src) { img.setAttribute("src", src); img.dataset.version = v; }
  });
  while (list.children.length > s.pages.length) list.lastChild.remove();
}

function banner(text, bad, buttons) {
  const b = document.getElementById("banner");
  if (!text) { b.hidden = true; b.dataset.kind = ""; return; }
  b.hidden = false;
  b.dataset.kind = buttons ? "external" : "message";
  b.className = "banner" + (bad ? " bad" : "");
  b.replaceChildren(el("span", { class: "grow", text }), ...(buttons || []),
    el("button", { type: "button", onclick: () => banner(null), text: "关闭" }));
}

// ---- Actions
async function save(force) {
  await flush();
  const r = await api("POST", "/api/save", { force: !!force });
  if (r.ok) { banner(null); applyState(r.body); }
  else if (r.status === 409) {
    banner(r.body.error, true, [
      el("button", { type: "button", onclick: reload, text: "载入文件中的版本（放弃这里的修改）" }),
      el("button", { type: "button", onclick: () => save(true), text: "仍然保存（覆盖文件）" }),
    ]);
  } else banner(r.body.error || "保存失败", true);
}
window.jixiaoSave = save;

async function reload() {
  const r = await api("POST", "/api/reload");
  if (r.ok) { banner(null); build(r.body); } else banner(r.body.error || "无法重新载入", true);
}

async function undo() {
  await flush();
  const r = await api("POST", "/api/undo");
  if (r.ok) build(r.body);
}

// What the import was unsure of: stays (in the file) until each item is ticked.
function renderTodo(items) {
  const box = document.getElementById("todo");
  box.hidden = !items.length;
  box.replaceChildren(
    el("h2", { text: "导入后待核对（" + items.length + " 项）" }),
    el("p", { class: "muted", text: "导入时没有把握的地方。核对、改好一项，就勾掉一项；没勾掉的会一直留在这里（保存、关闭后再打开也在）。" }),
    el("ul", { class: "todo-list" }, items.map((t) => el("li", {},
      el("label", {}, el("input", { type: "checkbox", class: "todo-tick", onchange: async (e) => {
        e.target.disabled = true;
        await flush();
        const r = await api("POST", "/api/todo", { done: t.item });
        if (r.ok) build(r.body); else { e.target.disabled = false; e.target.checked = false; banner(r.body.error || "未能勾掉", true); }
      } }), el("span", { text: t.text }))))));
}

function build(m) {
  model = m;
  renderTodo(m.todo || []);
  renderBasics(m.basics);
  renderFinance(m.state.money);
  renderScores(m.state.scores);
  renderBody(m.outline);
  renderAttachments(m.attachments || []);
  applyState(m.state);
  document.querySelectorAll("table.cells textarea").forEach(fit);
  document.body.dataset.ready = "1";
}

document.getElementById("save").addEventListener("click", () => save(false));
document.getElementById("undo").addEventListener("click", undo);
document.getElementById("pdf").setAttribute("href", "/report.pdf?token=" + TOKEN);
document.getElementById("pdf").addEventListener("click", (e) => {
  if (state && state.findings.some((f) => f.severity === "error")) {
    e.preventDefault();
    banner("数据有误，不能生成 PDF：请先按各处的红色提示修改。", true);
  } else if (state && state.dirty) {
    banner("PDF 按当前（尚未保存）的内容生成。", false);
  }
});
document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(false); }
});
window.addEventListener("beforeunload", (e) => {
  if (pending.size || (state && state.dirty)) { e.preventDefault(); e.returnValue = ""; }
});
// Notice another program's change to the file.
setInterval(async () => {
  if (!model || pending.size || document.body.classList.contains("busy")) return;
  const r = await api("GET", "/api/state");
  if (!r.ok) return;
  if (r.body.reloaded) { build(r.body); banner("数据文件已在别处修改，已载入新的内容。", false); }
  else applyState(r.body);
}, 3000);

// ---- 查找/替换 over the whole report, each match by its place.
let finding = null; // the last search: { find, with, number, found, note }

function openFind(opts) {
  finding = Object.assign({ find: "", with: "", number: false, found: null, note: null }, finding || {}, opts || {});
  renderFind();
  const p = document.getElementById("findpanel");
  p.scrollIntoView({ block: "start" });
  if (!opts || !opts.found) p.querySelector("#find-text").focus();
}

async function runFind() {
  await flush();
  const r = await api("POST", "/api/find", { find: finding.find, number: finding.number });
  if (r.ok) { finding.found = r.body; renderFind(); }
}

async function replaceAt(m) {
  await flush();
  setBusy(true);
  const r = await api("POST", "/api/replace", Object.assign({ find: finding.find, with: finding.with, number: finding.number },
    m ? { path: m.path, nth: m.nth } : {}));
  setBusy(false);
  if (!r.ok) { banner(r.body.error || "未能替换", true); return; }
  build(r.body);
  finding.found = r.body.found;
  renderFind();
}

function renderFind() {
  const p = document.getElementById("findpanel");
  p.hidden = false;
  const what = el("input", { type: "text", id: "find-text", placeholder: "要查找的文字" });
  what.value = finding.find;
  const with_ = el("input", { type: "text", id: "find-with", placeholder: "替换为" });
  with_.value = finding.with;
  what.addEventListener("input", () => { finding.find = what.value; });
  what.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); runFind(); } });
  with_.addEventListener("input", () => { finding.with = with_.value; });
  const number = el("input", { type: "checkbox", id: "find-number", checked: finding.number ? true : null });
  number.addEventListener("change", () => { finding.number = number.checked; runFind(); });
  const f = finding.found;
  const list = f ? f.matches.map((m) => el("li", { class: "match", "data-path": null, "data-match": m.path + "#" + m.nth },
    el("div", { class: "place", text: m.place }),
    el("div", { class: "snippet" }, (m.before ? "…" + m.before : ""), el("mark", { text: m.found }), (m.after ? m.after + "…" : "")),
    el("div", { class: "match-acts" },
      el("button", { type: "button", class: "tool", text: "转到", title: "转到这一处的输入框", onclick: () => reveal(m.path, true) }),
      el("button", { type: "button", class: "tool replace-one", text: "替换", title: "把这一处替换为“" + finding.with + "”", onclick: () => replaceAt(m) })))) : [];
  p.replaceChildren(...present([
    el("div", { class: "find-head" }, el("h2", { text: "查找/替换" }),
      el("button", { type: "button", class: "tool", text: "关闭", onclick: () => { p.hidden = true; } })),
    finding.note ? el("p", { class: "find-note", text: finding.note }) : null,
    el("div", { class: "inline find-row" }, what, with_,
      el("button", { type: "button", id: "find-go", text: "查找", onclick: runFind }),
      el("button", { type: "button", id: "find-all", text: "全部替换", disabled: !(f && f.matches.length) || null,
        onclick: async () => { if (await ask("把全部 " + f.matches.length + " 处“" + finding.find + "”替换为“" + finding.with + "”？可以用“撤销”恢复。", "全部替换")) replaceAt(null); } })),
    el("label", { class: "check" }, number, " 只找完整的数字（找 2023 时不算 12023）"),
    f ? el("p", { class: "muted", id: "find-count", text: f.matches.length ? "共 " + f.matches.length + " 处" + (f.capped ? "（只列出前 " + f.matches.length + " 处）" : "") + "：" : "没有找到“" + f.needle + "”。" }) : null,
    f ? el("ol", { class: "matches" }, list) : null,
  ]));
}

document.getElementById("find-open").addEventListener("click", () => openFind());
document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === "f" && model && !model.start) { e.preventDefault(); openFind(); }
});

// ---- 新年度: the report moved to a new year, in a new file.
function askYear(from) {
  return new Promise((resolve) => {
    const input = el("input", { type: "text", id: "newyear-year", inputmode: "numeric" });
    input.value = from ? String(from + 1) : "";
    const close = (v) => { back.remove(); resolve(v); };
    const back = el("div", { class: "modal-back" },
      el("div", { class: "modal", role: "dialog", "aria-modal": "true" },
        el("h2", { text: "转入新年度" }),
        el("p", { text: "按这份报告做新一年度的报告：另存为新的文件（" + (from || "上一") + " 年度的文件保持不变），收支数字的原数记为上年数，去年的成文日期去掉；正文中写着去年年份的地方会逐处列出，由您决定改不改。" }),
        state && state.dirty ? el("p", { class: "muted", text: "这里有尚未保存的修改：它们会带入新年度的文件；" + (from || "上一") + " 年度的文件保持上次保存时的样子。" }) : null,
        el("div", { class: "field" }, el("label", { text: "新的年度" }), input),
        el("div", { class: "modal-actions" },
          el("button", { type: "button", class: "cancel", onclick: () => close(null), text: "取消" }),
          el("button", { type: "button", class: "confirm primary", id: "newyear-go", text: "转入新年度",
            onclick: () => { const y = Number(input.value.trim()); if (Number.isInteger(y) && y > 1900) close(y); else input.focus(); } }))));
    document.body.append(back);
    input.focus();
    input.select();
  });
}

async function newYear() {
  await flush();
  const from = Number((model && model.basics.year) || 0) || null;
  const year = await askYear(from);
  if (!year) return;
  setBusy(true);
  const r = await api("POST", "/api/new_year", { year });
  setBusy(false);
  if (!r.ok) { banner(r.body.error || "未能转入新年度", true); return; }
  build(r.body);
  const n = r.body.new_year;
  banner("已转为 " + n.to + " 年度，另存为 " + n.file + "；" + n.old_file + " 保持不变。" +
    (n.moved ? n.moved + " 个金额的原数已记为上年数，请逐项改为本年数。" : "") +
    (n.date_removed ? "请填写今年的成文日期。" : ""), false);
  if (n.found) {
    const count = n.found.matches.length;
    openFind({ find: String(n.from), with: String(n.to), number: true, found: n.found,
      note: count ? "正文中还有 " + count + " 处写着 " + n.from + "。有的是历史（如“" + n.from + "年以来”），应保留；该改为 " + n.to + " 的，请逐处点“替换”。"
        : "正文中没有别处写着 " + n.from + "。" });
  }
}
document.getElementById("newyear").addEventListener("click", newYear);

// ---- Started without a data file: new (a framework), import, or open.
function renderStart(info) {
  document.querySelector("main").hidden = true;
  document.querySelector("#bar .actions").hidden = true;
  document.getElementById("status").textContent = "";
  document.getElementById("docname").textContent = "新建或导入报告";
  const box = document.getElementById("start");
  box.hidden = false;

  const unit = el("input", { type: "text", id: "start-unit", placeholder: "如：示例市示例局" });
  const year = el("input", { type: "text", id: "start-year", inputmode: "numeric" });
  year.value = info.year;
  const name = el("input", { type: "text", id: "start-name" });
  const suggest = () => {
    if (name.dataset.touched) return;
    name.value = (unit.value.trim() ? unit.value.trim() + year.value.trim() + "年度" : "") + "绩效自评报告.toml";
  };
  suggest();
  unit.addEventListener("input", suggest);
  year.addEventListener("input", suggest);
  name.addEventListener("input", () => { name.dataset.touched = "1"; });
  const choices = [{ key: "", label: "通用：按广东式框架逐项分节的正文，每个字段都有填写说明" }, ...info.frameworks];
  const frameworks = el("div", { class: "choices" }, choices.map((f, i) =>
    el("label", { class: "choice" },
      el("input", { type: "radio", name: "framework", value: f.key, checked: i === 0 ? true : null }),
      el("span", {}, el("b", { text: { "": "通用", guangdong: "广东式", sichuan: "四川式", project: "项目支出" }[f.key] || f.key }),
        el("span", { class: "muted", text: f.label.replace(/^[^：]*：/, "") })))));
  const create = el("button", { type: "button", class: "primary", id: "start-create", text: "新建报告" });
  create.addEventListener("click", async () => {
    const framework = box.querySelector("input[name=framework]:checked").value || null;
    const y = Number(year.value.trim());
    if (!Number.isInteger(y)) { banner("年度请写四位数字，如 " + info.year, true); return; }
    opened(await api("POST", "/api/init", { framework, unit: unit.value.trim() || null, year: y, name: name.value.trim() }));
  });

  const file = el("input", { type: "file", id: "start-file", accept: ".docx,.txt,.pdf" });
  const chosen = el("span", { class: "chosen", text: "未选择文件" });
  file.addEventListener("change", () => { chosen.textContent = file.files[0] ? file.files[0].name : "未选择文件"; });
  const picker = el("label", { class: "picker" }, file, el("span", { class: "button", text: "选择文件…" }), chosen);
  const importYear = el("input", { type: "text", id: "start-import-year", inputmode: "numeric", placeholder: "不填则保持原年度" });
  const doImport = el("button", { type: "button", class: "primary", id: "start-import", text: "导入" });
  doImport.addEventListener("click", async () => {
    const f = file.files[0];
    if (!f) { banner("请先选择去年的报告文件（.docx、.txt 或 .pdf）", true); return; }
    doImport.disabled = true;
    setBusy(true);
    const y = importYear.value.trim();
    const r = await fetch("/api/import" + (y ? "?year=" + encodeURIComponent(y) : ""), {
      method: "POST", body: f,
      headers: { "X-Jixiao-Token": TOKEN, "X-File-Name": encodeURIComponent(f.name), "Content-Type": "application/octet-stream" },
    });
    let body = {};
    try { body = await r.json(); } catch (_) { /* not JSON */ }
    setBusy(false);
    doImport.disabled = false;
    opened({ ok: r.ok, status: r.status, body });
  });

  box.replaceChildren(
    el("div", { class: "start-head" },
      el("h1", { text: "新建或导入一份绩效自评报告" }),
      el("p", { class: "muted", text: "报告保存为数据文件，放在这个文件夹中：" + info.dir + "。已有的文件不会被覆盖。" })),
    el("div", { class: "start-cols" },
      el("div", { class: "card", id: "start-new" },
        el("h2", { text: "新建" }),
        el("div", { class: "inline" },
          el("div", { class: "field" }, el("label", { text: "单位名称" }), unit),
          el("div", { class: "field", style: "flex:0 0 110px" }, el("label", { text: "报告年度" }), year)),
        el("div", { class: "field" }, el("label", { text: "评分框架" }), frameworks),
        el("div", { class: "field" }, el("label", { text: "文件名" }), name),
        create),
      el("div", { class: "start-side" },
        el("div", { class: "card", id: "start-importer" },
          el("h2", { text: "从去年的报告导入" }),
          el("p", { class: "muted", text: "Word 文档（.docx）、文本（.txt）或带文字层的 PDF。大纲、段落、表格和收支数字会转成数据文件，请导入后逐项核对。" }),
          el("div", { class: "field" }, el("label", { text: "报告文件" }), picker),
          el("div", { class: "field" }, el("label", { text: "改为年度（原文的金额作为上年数保留）" }), importYear),
          doImport),
        info.files.length ? el("div", { class: "card", id: "start-files" },
          el("h2", { text: "打开本文件夹中的数据文件" }),
          el("ul", { class: "files" }, info.files.map((n) => el("li", {},
            el("a", { "data-file": n, text: n, onclick: async () => opened(await api("POST", "/api/open", { name: n })) }))))) : null)));
}

function opened(r) {
  if (!r.ok) { banner(r.body.error || "未能打开（" + r.status + "）", true); return; }
  document.getElementById("start").hidden = true;
  document.querySelector("main").hidden = false;
  document.querySelector("#bar .actions").hidden = false;
  banner(null);
  build(r.body);
  if (r.body.notes && r.body.notes.length) banner(r.body.notes.join("；"), false);
}

api("GET", "/api/model").then((r) => {
  if (r.ok && r.body.start) { renderStart(r.body.start); document.body.dataset.ready = "start"; }
  else if (r.ok) build(r.body);
  else banner("无法载入报告：" + (r.body.error || r.status), true);
});
