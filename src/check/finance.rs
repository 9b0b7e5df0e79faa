//! The finance checks, on the tree of amounts: every amount in range and to
//! the unit's places, every stated sum, every stated growth, the balance of
//! income and expenditure with the carry-over as stated.

use rust_decimal::Decimal;

use super::{Checker, sum_text};
use crate::base::diagnostic::Finding;
use crate::input::model::{Finance, MoneyUnit};
use crate::derive::money_tree::{MoneyTree, Node, Part, exact_rate, rate_agrees};

impl Checker<'_> {
    pub(super) fn finance(&mut self, f: &Finance) {
        let Some(tree) = &self.figures.money else { return };
        for path in &tree.unknown_totals {
            let (what, parts) = if path.contains("income") { ("收入合计", "各项收入（sources）") } else { ("支出合计", "基本支出和项目支出，或人员经费、公用经费和项目支出，或各项支出（parts）") };
            self.error(path.clone(), format!("没有{what}：请写上 total = \"金额\"，或写出{parts}，由它们相加"), vec![]);
        }
        self.amounts(f, tree);
        for rule in &tree.sums {
            let total = &tree.nodes[rule.total];
            let parts: Vec<&Node> = rule.parts.iter().map(|&i| &tree.nodes[i]).collect();
            self.sum_rule(&rule.what, total, &parts);
        }
        for node in &tree.nodes {
            self.growth(node, f.money_unit);
        }
        self.sub_units(f);
        if let Some(a) = &f.fixed_assets
            && a.original.amount - a.depreciation.amount != a.net.amount
        {
            let (o, d, n) = (a.original.amount, a.depreciation.amount, a.net.amount);
            self.mismatch(
                "finance.fixed_assets.net".into(),
                format!("固定资产净值应为 原值 {o} − 累计折旧 {d} = {}，实际填写 {n}（相差 {}）", o - d, n - (o - d)),
                vec!["finance.fixed_assets.original".into(), "finance.fixed_assets.depreciation".into()],
                &[o, d, n],
                n - (o - d),
            );
        }
        self.balance(f, tree);
        self.rates(f);
    }

    /// `total` must equal the sum of `parts`.
    fn sum_rule(&mut self, what: &str, total: &Node, parts: &[&Node]) {
        let parts: Vec<(String, String, Decimal)> = parts.iter().map(|p| (p.path.clone(), p.name.clone(), p.value.amount)).collect();
        self.sum_of(what, &total.path, total.value.amount, parts);
    }

    /// `stated` (at `path`) must equal the sum of `parts` (key path, name, amount).
    fn sum_of(&mut self, what: &str, path: &str, stated: Decimal, parts: Vec<(String, String, Decimal)>) {
        let sum: Decimal = parts.iter().map(|p| p.2).sum();
        if sum != stated {
            let shown: Vec<(String, Decimal)> = parts.iter().map(|p| (p.1.clone(), p.2)).collect();
            let terms: Vec<Decimal> = parts.iter().map(|p| p.2).chain([stated]).collect();
            self.mismatch(
                path.to_string(),
                format!("{what}应为 {} = {sum}，实际填写 {stated}（相差 {}）", sum_text(&shown), stated - sum),
                parts.into_iter().map(|p| p.0).collect(),
                &terms,
                stated - sum,
            );
        }
    }

    /// Figures that do not add up. Amounts in 元 come from the accounts and
    /// must agree to the cent. Amounts in 万元 are each rounded from 元, so a
    /// gap within their rounding (half a unit of the last place per term) is
    /// a 尾差, worth a warning; anything larger is an error.
    pub(super) fn mismatch(&mut self, path: String, message: String, related: Vec<String>, terms: &[Decimal], gap: Decimal) {
        let wan = self.report.finance.as_ref().is_some_and(|f| f.money_unit == MoneyUnit::WanYuan);
        let scale = terms.iter().map(|d| d.scale()).max().unwrap_or(0);
        let tolerance = Decimal::new(5, scale + 1) * Decimal::from(terms.len() as u64);
        if wan && gap.abs() <= tolerance {
            let mut f = Finding::warning(path, format!("{message}；差额在万元四舍五入的尾差范围内（不超过 {}），请核对", tolerance.normalize()));
            f.related = related;
            self.findings.push(f);
        } else {
            self.error(path, message, related);
        }
    }

    /// A stated growth against the one derived from this year's and last
    /// year's figures.
    fn growth(&mut self, node: &Node, unit: MoneyUnit) {
        let v = &node.value;
        let base = node.path.strip_suffix(".amount").unwrap_or(&node.path).to_string();
        // `prior`, `growth` and `growth_rate` sit beside the amount.
        let field = |k: &str| format!("{base}.{k}");
        let u = unit.label();
        // Without last year's figure, a stated growth and rate stand as the
        // report states them; with both, they are checked against each other
        // (last year = this year − growth).
        if v.prior.is_none() {
            if let (Some(g), Some(r)) = (v.growth, v.growth_rate)
                && let Some(exact) = exact_rate(v)
                && !rate_agrees(r, exact)
            {
                let implied = v.amount - g;
                let shown = crate::base::format::round(exact, r.scale().max(2));
                self.error(
                    field("growth_rate"),
                    format!(
                        "“{}”的增减率应为 增减额 {g} ÷ 上年 ({} − {g} = {implied}) = {shown}%，实际填写 {r}%；请核对增减额和增减率",
                        node.name, v.amount
                    ),
                    vec![field("growth")],
                );
            }
            return;
        }
        let (Some(prior), Some(change)) = (v.prior, node.change) else { return };
        if let Some(g) = v.growth
            && g != change
        {
            self.mismatch(
                field("growth"),
                format!(
                    "“{}”的增减额应为 本年 {} − 上年 {prior} = {change}{u}，实际填写 {g}{u}（相差 {}）",
                    node.name,
                    v.amount,
                    g - change
                ),
                vec![field("prior")],
                &[v.amount, prior, g],
                g - change,
            );
        }
        if let Some(r) = v.growth_rate {
            match exact_rate(v) {
                None => self.error(field("growth_rate"), format!("“{}”的上年数为 0，增减率无从计算；请删去 growth_rate", node.name), vec![]),
                Some(exact) if !rate_agrees(r, exact) => {
                    let shown = crate::base::format::round(exact, r.scale().max(2));
                    self.error(
                        field("growth_rate"),
                        format!(
                            "“{}”的增减率应为 ({} − {prior}) ÷ {prior} = {shown}%，实际填写 {r}%",
                            node.name, v.amount
                        ),
                        vec![field("prior")],
                    );
                }
                Some(_) => {}
            }
        }
    }

    fn sub_units(&mut self, f: &Finance) {
        if f.units.is_empty() {
            return;
        }
        for (field, label, total) in [
            ("income", "收入", self.figures.money.as_ref().and_then(|t| t.total(Part::Income))),
            ("expenditure", "支出", self.figures.money.as_ref().and_then(|t| t.total(Part::Expenditure))),
        ] {
            let Some(total) = total else { continue };
            // Checked only when every unit states it: units listed by name
            // alone are a list, not a sum.
            let parts: Option<Vec<(String, String, Decimal)>> = f
                .units
                .iter()
                .enumerate()
                .map(|(i, u)| {
                    let v = if field == "income" { u.income } else { u.expenditure };
                    v.map(|v| (format!("finance.units[{i}].{field}"), u.name.clone(), v))
                })
                .collect();
            if let Some(parts) = parts {
                self.sum_of(&format!("各单位{label}合计"), &format!("finance.{field}.total"), total, parts);
            }
        }
    }

    /// income + opening = expenditure + closing, on what is stated.
    fn balance(&mut self, f: &Finance, tree: &MoneyTree) {
        let (Some(i), Some(e)) = (tree.total(Part::Income), tree.total(Part::Expenditure)) else { return };
        let u = f.money_unit.label();
        let stated = f.carry_over.as_ref().map(|c| (c.opening.as_ref().map(|a| a.amount), c.closing.as_ref().map(|a| a.amount)));
        match stated {
            Some((Some(o), Some(c))) => {
                let (left, right) = (i + o, e + c);
                if left != right {
                    self.mismatch(
                        "finance.carry_over.closing".into(),
                        format!(
                            "收支不平衡：收入 {i} + 年初结转结余 {o} = {left}，支出 {e} + 年末结转结余 {c} = {right}，相差 {}",
                            left - right
                        ),
                        vec!["finance.income.total".into(), "finance.expenditure.total".into(), "finance.carry_over.opening".into()],
                        &[i, o, e, c],
                        left - right,
                    );
                }
            }
            // One side stated: the other is what balances. The report's own
            // numbers stand; a side it leaves unexplained is named, never
            // blocking (a negative one cannot be a carry-over at all).
            Some(_) => {
                if let Some((side, v)) = tree.inferred_carry_over
                    && !v.is_zero()
                {
                    let (name, known) = if side == "closing" { ("年末结转结余", "年初") } else { ("年初结转结余", "年末") };
                    let rule = "按 收入 + 年初结转结余 = 支出 + 年末结转结余";
                    let message = if v.is_sign_negative() {
                        format!(
                            "收支不平衡：{rule}，由所填的{known}结转结余推得{name}为 {v}{u}，不能为负：收入 {i} 与支出 {e} 之间有 {}{u} 报告没有说明；请核对收入、支出和结转结余",
                            -v
                        )
                    } else {
                        format!("报告没有写明{name}：{rule}，由收入 {i}、支出 {e} 和所填的{known}结转结余推得为 {v}{u}；如属实，可在 [finance.carry_over] 写明 {side} = \"{v}\"")
                    };
                    self.warning(format!("finance.carry_over.{side}"), message);
                }
            }
            None if i != e => self.warning(
                "finance.expenditure.total".into(),
                format!(
                    "总收入 {i} 与总支出 {e} 相差 {}；如有结转结余，请在 [finance.carry_over] 填写 opening（年初）和 closing（年末），以核对收支平衡",
                    i - e
                ),
            ),
            None => {}
        }
    }

    /// The execution rate as [`crate::derive::figures`] computed it.
    fn rates(&mut self, f: &Finance) {
        if f.budget.as_ref().is_some_and(|b| b.amount.is_zero()) {
            self.warning(
                "finance.budget".into(),
                "全年预算数为 0，无法计算预算执行率；请填写全年预算数，没有预算数时删去 budget 这一行".into(),
            );
        }
        if let (Some(rate), Some(budget)) = (self.figures.execution_rate, f.budget.as_ref().map(|b| b.amount))
            && rate > Decimal::ONE_HUNDRED
        {
            let total = self.figures.money.as_ref().and_then(|t| t.total(Part::Expenditure)).unwrap_or_default();
            self.warning("finance.budget".into(), format!("预算执行率 {rate}% 超过 100%：支出 {total} 大于预算 {budget}"));
        }
    }

    /// Every amount: not negative, at most `decimals` places.
    fn amounts(&mut self, f: &Finance, tree: &MoneyTree) {
        let mut all: Vec<(String, Decimal)> = tree.nodes.iter().map(|n| (n.path.clone(), n.value.amount)).collect();
        for n in &tree.nodes {
            if let Some(p) = n.value.prior {
                let base = n.path.strip_suffix(".amount").unwrap_or(&n.path);
                all.push((format!("{base}.prior"), p));
            }
        }
        for (k, u) in f.units.iter().enumerate() {
            all.extend(u.income.map(|v| (format!("finance.units[{k}].income"), v)));
            all.extend(u.expenditure.map(|v| (format!("finance.units[{k}].expenditure"), v)));
        }
        let meaning = f.money_unit.places_meaning(f.decimals);
        for (path, v) in all {
            if v.is_sign_negative() && !v.is_zero() {
                self.error(path.clone(), format!("金额不能为负数：{v}"), vec![]);
            }
            if v.scale() > f.decimals {
                self.error(
                    path,
                    format!(
                        "金额最多 {} 位小数（{meaning}），实际为 {v}；如确需更多位，请在 [finance] 写 decimals = {}",
                        f.decimals,
                        v.scale()
                    ),
                    vec![],
                );
            }
        }
    }
}
