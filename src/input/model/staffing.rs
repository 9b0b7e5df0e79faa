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
