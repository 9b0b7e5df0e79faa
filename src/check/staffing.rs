//! The staffing checks: stated totals against the groups, and 实有 against 编制.

use super::Checker;
use crate::input::model::Staffing;

impl Checker<'_> {
    pub(super) fn staffing(&mut self, s: &Staffing) {
        let sums = |f: fn(&crate::input::model::StaffGroup) -> Option<u32>| -> (u64, bool) {
            let v: Vec<u32> = s.groups.iter().filter(|g| g.is_serving()).filter_map(f).collect();
            (v.iter().map(|&n| u64::from(n)).sum(), !v.is_empty())
        };
        for (stated, (sum, any), key, what, field) in [
            (s.authorized_total, sums(|g| g.authorized), "authorized_total", "编制数", "authorized"),
            (s.actual_total, sums(|g| g.actual), "actual_total", "实有人数", "actual"),
        ] {
            if let Some(t) = stated
                && any
                && u64::from(t) != sum
            {
                let parts: Vec<String> = s
                    .groups
                    .iter()
                    .filter(|g| g.is_serving())
                    .filter_map(|g| if field == "authorized" { g.authorized } else { g.actual }.map(|n| format!("{} {n}", g.name)))
                    .collect();
                self.error(
                    format!("staffing.{key}"),
                    format!("{what}合计应为 {} = {sum}，实际填写 {t}", parts.join(" + ")),
                    s.groups.iter().enumerate().filter(|(_, g)| g.is_serving()).map(|(i, _)| format!("staffing.groups[{i}].{field}")).collect(),
                );
            }
        }
        for (i, g) in s.groups.iter().enumerate() {
            if g.name.trim().is_empty() {
                self.error(format!("staffing.groups[{i}].name"), "人员类别的名称为空；请写如“行政编制”".into(), vec![]);
            }
            if g.authorized.is_none() && g.actual.is_none() {
                self.warning(
                    format!("staffing.groups[{i}]"),
                    format!("人员类别“{}”既没有编制数（authorized）也没有实有人数（actual）", g.name),
                );
            }
        }
    }
}
