//! What kind of value the data format expects at a key path, read from the
//! model's JSON schema (the one `jixiao schema` prints), so a value typed
//! into a field takes the type of the field, not of whatever the field held
//! last (a slip that was kept as text).

use std::sync::OnceLock;

use serde_json::Value as Json;

use crate::input::key_path::Seg;

/// The kinds of value the schema admits at a path (null left out).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(super) struct Expected {
    pub string: bool,
    pub integer: bool,
    pub number: bool,
    pub boolean: bool,
    /// A date (`#/$defs/Date`): written as a TOML date where it reads as one.
    pub date: bool,
}

fn schema() -> &'static Json {
    static SCHEMA: OnceLock<Json> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(&crate::input::schema::schema_json()).unwrap_or(Json::Null))
}

/// The kinds expected at `path`; None where the schema does not say (a
/// path it does not know, or a value of any kind).
pub(super) fn at(path: &[Seg]) -> Option<Expected> {
    let root = schema();
    let mut date = false;
    let mut here = Vec::new();
    flatten(root, root, &mut here, &mut date, 0);
    for seg in path {
        date = false;
        let mut next = Vec::new();
        for s in &here {
            let child = match seg {
                Seg::Key(k) => s.get("properties").and_then(|p| p.get(k.as_str())).or_else(|| s.get("additionalProperties").filter(|a| a.is_object())),
                Seg::Index(i) => s.get("items").filter(|i| i.is_object()).or_else(|| s.get("prefixItems").and_then(|p| p.get(*i))),
            };
            if let Some(c) = child {
                flatten(root, c, &mut next, &mut date, 0);
            }
        }
        if next.is_empty() {
            return None;
        }
        here = next;
    }
    let mut e = Expected { date, ..Expected::default() };
    for s in &here {
        let types: Vec<&str> = match s.get("type") {
            Some(Json::String(t)) => vec![t.as_str()],
            Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
            // No type: any value.
            _ => return None,
        };
        for t in types {
            match t {
                "string" => e.string = true,
                "integer" => e.integer = true,
                "number" => e.number = true,
                "boolean" => e.boolean = true,
                _ => {}
            }
        }
    }
    (e != Expected { date, ..Expected::default() }).then_some(e)
}

/// The alternatives of a schema, references followed and unions opened.
fn flatten<'a>(root: &'a Json, s: &'a Json, out: &mut Vec<&'a Json>, date: &mut bool, depth: usize) {
    if depth > 16 {
        return;
    }
    if let Some(r) = s.get("$ref").and_then(Json::as_str) {
        if r == "#/$defs/Date" {
            *date = true;
        }
        if let Some(t) = r.strip_prefix("#/").and_then(|p| root.pointer(&format!("/{p}"))) {
            flatten(root, t, out, date, depth + 1);
        }
        return;
    }
    let mut union = false;
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(alts) = s.get(key).and_then(Json::as_array) {
            union = true;
            for a in alts {
                flatten(root, a, out, date, depth + 1);
            }
        }
    }
    if !union {
        out.push(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::key_path::parse as parse_path;

    fn kinds(path: &str) -> Option<Expected> {
        at(&parse_path(path).unwrap())
    }

    #[test]
    fn the_schema_names_the_kind_of_each_field() {
        let year = kinds("year").unwrap();
        assert!(year.integer && !year.string, "{year:?}");
        assert!(kinds("unit").unwrap().string);
        let score = kinds("sections[3].sections[1].score").unwrap();
        assert!(score.number && score.string, "{score:?}");
        let date = kinds("closing.date").unwrap();
        assert!(date.date && date.string, "{date:?}");
        assert!(kinds("closing.seal").unwrap().boolean);
        assert!(kinds("attachments[0].landscape").unwrap().boolean);
        assert!(kinds("no.such.key").is_none());
    }
}
