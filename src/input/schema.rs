//! The JSON Schema of the data format, generated from the model's own types
//! (schemars), so it can never drift from what jixiao reads. Editors use it
//! for completion and validation through a `#:schema` line.

use crate::input::model::Report;

/// The schema of a data file, as pretty JSON.
pub fn schema_json() -> String {
    let mut schema = schemars::schema_for!(Report);
    schema.insert("title".into(), "jixiao 数据文件（部门整体支出绩效自评报告）".into());
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
