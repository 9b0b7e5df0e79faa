//! The rules of the 项目支出绩效自评表, on the figures of [`crate::derive::project::figures`];
//! each finding names its key path under `projects[i]`.

use rust_decimal::Decimal;

use crate::derive::project::{FORM_TOTAL, ProjectFigures};
use crate::base::diagnostic::Finding;
use crate::base::format::number;
use crate::input::model::{FundRow, Project, Sense};
use crate::input::model::parse_number;

/// Findings for every project.
pub fn check(projects: &[Project], figures: &[ProjectFigures]) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, (p, f)) in projects.iter().zip(figures).enumerate() {
        Rules { p, f, path: format!("projects[{i}]"), out: &mut out }.run();
    }
    out
}

struct Rules<'a> {
    p: &'a Project,
    f: &'a ProjectFigures,
    path: String,
    out: &'a mut Vec<Finding>,
}


const COLUMNS: [(&str, &str); 3] = [("initial", "年初预算数"), ("budget", "全年预算数"), ("executed", "全年执行数")];

fn column(r: &FundRow, key: &str) -> Option<Decimal> {
    match key {
        "initial" => r.initial,
        "budget" => Some(r.budget),
        _ => Some(r.executed),
    }
}

impl Rules<'_> {
    fn error(&mut self, key: &str, message: String) {
        self.out.push(Finding::error(format!("{}.{key}", self.path), message));
    }

    fn warning(&mut self, key: &str, message: String) {
        self.out.push(Finding::warning(format!("{}.{key}", self.path), message));
    }

    fn run(&mut self) {
        let name = self.p.name.trim();
        if name.is_empty() {
            self.error("name", "项目名称为空".into());
        }
        self.amounts();
        self.fund_sums();
        self.rate();
        self.weights();
        for k in 0..self.p.indicators.len() {
            self.indicator(k);
        }
        self.grouping();
        self.total();
    }

    /// Every amount: not negative, no more places than the form prints.
    fn amounts(&mut self) {
        let places = self.p.funds.decimals;
        let mut rows = vec![("total".to_string(), &self.p.funds.total)];
        rows.extend(self.p.funds.rows().into_iter().map(|(k, _, r)| (k, r)));
        for (row, r) in rows {
            for (col, _) in COLUMNS {
                let Some(v) = column(r, col) else { continue };
                let key = format!("funds.{row}.{col}");
                if v.is_sign_negative() && !v.is_zero() {
                    self.error(&key, format!("金额不能为负数：{v}"));
                }
                if v.scale() > places {
                    self.error(&key, format!("项目资金以万元计，最多 {places} 位小数（funds.decimals），实际为 {v}"));
                }
            }
        }
    }

    /// 年度资金总额 = 财政拨款 + 上年结转资金 + 其他资金, column by column,
    /// where the parts state the column. In 万元 each figure is rounded, so
    /// a gap within that rounding is a 尾差 (a warning), as in `[finance]`.
    fn fund_sums(&mut self) {
        let parts = self.p.funds.rows();
        if parts.is_empty() {
            return;
        }
        for (k, r) in self.p.funds.sources.iter().enumerate() {
            if r.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                self.error(&format!("funds.sources[{k}].name"), "资金来源没有名称；请写上 name，如 name = \"财政资金\"".into());
            }
        }
        for (col, label) in COLUMNS {
            let Some(total) = column(&self.p.funds.total, col) else { continue };
            let stated: Vec<(&str, Decimal)> = parts.iter().filter_map(|(_, l, r)| column(r, col).map(|v| (l.as_str(), v))).collect();
            if stated.is_empty() {
                continue;
            }
            let sum: Decimal = stated.iter().map(|s| s.1).sum();
            if sum == total {
                continue;
            }
            let terms: Vec<String> = stated.iter().map(|(l, v)| format!("{l} {v}")).collect();
            let message = format!("年度资金总额的{label}应为 {} = {sum}，实际填写 {total}（相差 {}）", terms.join(" + "), total - sum);
            let scale = stated.iter().map(|s| s.1.scale()).chain([total.scale()]).max().unwrap_or(0);
            let tolerance = Decimal::new(5, scale + 1) * Decimal::from(stated.len() as u64 + 1);
            let key = format!("funds.total.{col}");
            if (total - sum).abs() <= tolerance {
                self.warning(&key, format!("{message}；差额在万元四舍五入的尾差范围内（不超过 {}），请核对", tolerance.normalize()));
            } else {
                self.error(&key, message);
            }
        }
    }

    /// 执行率 and its score: the rule must apply, and a stated score must be
    /// the one it gives.
    fn rate(&mut self) {
        let funds = &self.p.funds;
        let full_at = funds.rate_rule.full_at;
        if full_at <= Decimal::ZERO || full_at > Decimal::ONE_HUNDRED {
            self.error("funds.rate_rule.full_at", format!("满分执行率 full_at 应在 0 到 100（%）之间，实际为 {}", number(full_at)));
            return;
        }
        if funds.weight.is_sign_negative() && !funds.weight.is_zero() {
            self.error("funds.weight", format!("执行率的分值不能为负数：{}", number(funds.weight)));
        }
        if funds.total.budget.is_zero() {
            // A starter's zeros are work to do; a stated execution over no budget is a mistake.
            if funds.total.executed.is_zero() {
                self.warning("funds.total", "项目资金尚未填写（全年预算数和全年执行数都为 0）；请填写年度资金总额".into());
            } else {
                self.error("funds.total.budget", "全年预算数为 0，无法计算执行率；请填写年度资金总额的全年预算数".into());
            }
            return;
        }
        let (Some(rate), Some(derived)) = (self.f.rate, self.f.rate_score) else { return };
        if rate > Decimal::ONE_HUNDRED {
            self.warning(
                "funds.total.executed",
                format!("执行率 {rate}% 超过 100%：全年执行数 {} 大于全年预算数 {}", funds.total.executed, funds.total.budget),
            );
        }
        if let Some(stated) = funds.score
            && stated != derived
        {
            self.error("funds.score", format!("执行率得分应为 {}，实际填写 {}", self.f.rate_working, number(stated)));
        }
    }

    /// 执行率 分值 + indicator 分值 = 100.
    fn weights(&mut self) {
        if self.p.indicators.is_empty() {
            self.warning("indicators", format!("项目“{}”没有绩效指标（[[projects.indicators]]）", self.p.name));
            return;
        }
        let want = Decimal::from(FORM_TOTAL);
        if self.f.weight_sum != want {
            let mut terms = vec![format!("执行率 {}", number(self.p.funds.weight))];
            terms.extend(self.f.weights.iter().map(|(n, w)| format!("{n} {}", number(*w))));
            self.error(
                "indicators",
                format!("项目“{}”的分值之和应为 {FORM_TOTAL}，实际为 {} = {}", self.p.name, terms.join(" + "), number(self.f.weight_sum)),
            );
        }
    }

    fn indicator(&mut self, k: usize) {
        let ind = &self.p.indicators[k];
        let key = format!("indicators[{k}]");
        let label = &ind.name;
        if ind.weight.is_sign_negative() && !ind.weight.is_zero() {
            self.error(&format!("{key}.weight"), format!("指标“{label}”的分值不能为负数：{}", number(ind.weight)));
        }
        let unit = ind.unit.as_deref().unwrap_or("");
        let target = parse_number(&ind.target);
        let actual = parse_number(&ind.actual);
        if let (Some(sense), None) = (ind.sense, target) {
            self.warning(
                &format!("{key}.target"),
                format!("指标“{label}”写了 sense = \"{}\"，但年度指标值“{}”不是数字；定性指标请删去 sense", sense.symbol(), ind.target),
            );
        }
        if ind.sense.is_some() && target.is_some() && actual.is_none() && !ind.actual.trim().is_empty() {
            self.warning(
                &format!("{key}.actual"),
                format!("指标“{label}”的实际完成值“{}”不是数字，无法与年度指标值比较；单位请写在 unit 中", ind.actual),
            );
        }
        let Some(score) = ind.score else {
            if self.p.indicators.iter().any(|i| i.score.is_some()) {
                self.warning(&format!("{key}.score"), format!("指标“{label}”{}（score）；各项都填写后才计算总分和等级", super::UNSCORED));
            }
            return;
        };
        if score.is_sign_negative() || score > ind.weight {
            self.error(&format!("{key}.score"), format!("指标“{label}”的得分 {} 应在 0 到分值 {} 之间", number(score), number(ind.weight)));
            return;
        }
        if score < ind.weight && ind.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
            self.warning(
                &format!("{key}.score"),
                format!("指标“{label}”得分 {} 低于分值 {}，请填写偏差原因分析及改进措施（reason）", number(score), number(ind.weight)),
            );
        }
        if let (Some(sense), Some(t), Some(a)) = (ind.sense, target, actual)
            && score == ind.weight
        {
            let missed = match sense {
                Sense::AtLeast => (a < t).then_some("未达到"),
                Sense::AtMost => (a > t).then_some("超过"),
                Sense::Equal => (a != t).then_some("不等于"),
            };
            if let Some(how) = missed {
                self.warning(
                    &format!("{key}.score"),
                    format!(
                        "指标“{label}”的实际完成值 {}{unit} {how}年度指标值 {}{}{unit}，却得满分 {}；请核对得分或实际完成值",
                        ind.actual.trim(),
                        sense.symbol(),
                        ind.target.trim(),
                        number(ind.weight)
                    ),
                );
            }
        }
    }

    /// Rows of one 一级 (and of one 二级 within it) stand together, or the
    /// form merges them in two places.
    fn grouping(&mut self) {
        let inds = &self.p.indicators;
        for k in 1..inds.len() {
            let (prev, cur) = (&inds[k - 1], &inds[k]);
            if cur.level1 != prev.level1 && inds[..k - 1].iter().any(|i| i.level1 == cur.level1) {
                self.warning(
                    &format!("indicators[{k}].level1"),
                    format!("一级指标“{}”的各行不相邻，表中将分两处合并；请把同一一级指标下的各行写在一起", cur.level1),
                );
            } else if cur.level1 == prev.level1
                && cur.level2 != prev.level2
                && inds[..k - 1].iter().any(|i| i.level1 == cur.level1 && i.level2 == cur.level2)
            {
                self.warning(
                    &format!("indicators[{k}].level2"),
                    format!("二级指标“{}”的各行不相邻，表中将分两处合并；请把同一二级指标下的各行写在一起", cur.level2),
                );
            }
        }
    }

    /// A stated 总分 against the derived one.
    fn total(&mut self) {
        let (Some(stated), Some(total), Some(rate), Some(ind)) = (self.p.total, self.f.total, self.f.rate_score, self.f.indicator_score) else {
            return;
        };
        if stated != total {
            self.error(
                "total",
                format!(
                    "项目“{}”的总分应为 执行率得分 {} + 指标得分 {} = {}，实际填写 {}",
                    self.p.name,
                    number(rate),
                    number(ind),
                    number(total),
                    number(stated)
                ),
            );
        }
    }
}
