//! How the model's own number and date types appear in the JSON Schema
//! (see [`crate::input::schema`]).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

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

