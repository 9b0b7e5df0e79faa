//! The JSON Schema of the data format, generated from the model's own types
//! (schemars), so it can never drift from what jixiao reads. Editors use it
//! for completion and validation through a `#:schema` line.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::model::Report;

/// A money amount: a decimal string such as `"1485562.08"`, or an integer.
pub struct Money;

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "金额：写成字符串（如 \"1485562.08\"），或整数",
            "anyOf": [
                { "type": "string", "pattern": "^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$" },
                { "type": "integer" }
            ]
        })
    }
}

/// A weight, score or cap: a number (`5`, `0.5`) or a decimal string.
pub struct Number;

impl JsonSchema for Number {
    fn schema_name() -> Cow<'static, str> {
        "Number".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "分值、得分或上限：数字（如 5、0.5）",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": "^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$" }
            ]
        })
    }
}

/// A TOML local date (`2023-03-01`), a string once converted to JSON.
pub struct Date;

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "日期，如 2023-03-01",
            "type": "string",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

/// The schema of a data file, as pretty JSON.
pub fn schema_json() -> String {
    let mut schema = schemars::schema_for!(Report);
    schema.insert("title".into(), "jixiao 数据文件（部门整体支出绩效自评报告）".into());
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}
