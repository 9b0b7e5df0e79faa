//! `[staffing]`: 编制数, 实有人数 and 退休人员 by category.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Staff by category, with sums. Printed through placeholders
/// (`{staffing.groups}`, `{staffing.actual}`…) or as a table (`staffing_table`).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Staffing {
    /// Categories: 行政编制, 事业编制, 工勤编制…
    #[serde(default)]
    pub groups: Vec<StaffGroup>,
    /// 退休人员, counted apart from the serving staff.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<u32>,
    /// 编制数合计 as the report states it; checked against the groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized_total: Option<u32>,
    /// 实有人数合计 (在职) as the report states it; checked against the groups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_total: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffGroup {
    pub name: String,
    /// 编制数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized: Option<u32>,
    /// 实有人数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<u32>,
}

/// Categories that are not serving staff: counted beside them, never in the
/// 在职 sums (编制数, 实有人数).
const NOT_SERVING: [&str; 3] = ["离休", "退休", "遗属"];

impl StaffGroup {
    /// Whether the category is serving staff (在职), by its name: 离休、退休
    /// and 遗属 categories are not.
    pub fn is_serving(&self) -> bool {
        !NOT_SERVING.iter().any(|k| self.name.contains(k))
    }
}
