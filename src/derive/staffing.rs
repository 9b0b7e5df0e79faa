//! Staff counts derived from `[staffing]`: the sums, once, for the checks,
//! the sentences and the table.

use serde::Serialize;

use crate::input::model::Staffing;

#[derive(Debug, Clone, Default, Serialize)]
pub struct StaffFigures {
    /// 编制数合计, when any group states one.
    pub authorized: Option<u32>,
    /// 实有人数合计 (在职), when any group states one.
    pub actual: Option<u32>,
    pub retired: Option<u32>,
    /// 在职 + 退休, when both are known.
    pub total: Option<u32>,
}

impl StaffFigures {
    pub fn of(s: &Staffing) -> StaffFigures {
        // The 在职 sums are over serving categories only; 离休、退休 categories
        // listed beside them count as retired.
        let sum = |serving: bool, f: fn(&crate::input::model::StaffGroup) -> Option<u32>| -> Option<u32> {
            let v: Vec<u32> = s.groups.iter().filter(|g| g.is_serving() == serving).filter_map(f).collect();
            (!v.is_empty()).then(|| v.iter().fold(0u32, |a, b| a.saturating_add(*b)))
        };
        let authorized = sum(true, |g| g.authorized).or(s.authorized_total);
        let actual = sum(true, |g| g.actual).or(s.actual_total);
        let retired = s.retired.or_else(|| sum(false, |g| g.actual.or(g.authorized)));
        let total = match (actual, retired) {
            (Some(a), Some(r)) => Some(a.saturating_add(r)),
            _ => None,
        };
        StaffFigures { authorized, actual, retired, total }
    }
}

/// `行政编制6名，工勤人员1名`: each group with its 编制数 (or, without
/// one, its 实有人数).
pub fn groups_text(s: &Staffing) -> String {
    s.groups
        .iter()
        .filter_map(|g| g.authorized.or(g.actual).map(|n| format!("{}{n}名", g.name)))
        .collect::<Vec<_>>()
        .join("，")
}
