//! A skeleton's JSON as a person reads it: keys in the order of the definition format (`id`
//! first, not alphabetical), and an object of plain values on one line when it fits, as the
//! bundled definitions are written.

use std::fmt::Write as _;

use serde_json::Value;

/// Keys in the order they are written; others follow in alphabetical order.
const ORDER: [&str; 31] = [
    "id",
    "value",
    "name",
    "label",
    "measures",
    "version",
    "status",
    "citation",
    "license",
    "notes",
    "codes",
    "questionnaires",
    "response_sets",
    "items",
    "scales",
    "system",
    "code",
    "display",
    "response_set",
    "scored",
    "terms",
    "commercial_use",
    "options",
    "method",
    "missing",
    "max_missing",
    "higher_is",
    "url",
    "source",
    "ref",
    "evidence",
];

/// How wide a one-line object may be.
const WIDTH: usize = 100;

/// `value` written with two-space indents and a final line break.
pub(crate) fn pretty(value: &Value) -> String {
    let mut out = String::new();
    write(value, 0, &mut out);
    out.push('\n');
    out
}

fn scalar(value: &Value) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

fn keys(map: &serde_json::Map<String, Value>) -> Vec<&String> {
    let mut keys: Vec<&String> = map.keys().collect();
    let rank = |k: &str| ORDER.iter().position(|o| *o == k).unwrap_or(ORDER.len());
    keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    keys
}

fn write(value: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            let keys = keys(map);
            if map.values().all(scalar) {
                let mut line = String::from("{ ");
                for (i, k) in keys.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    let _ = write!(line, "{sep}{}: {}", Value::from(k.as_str()), map[*k]);
                }
                line.push_str(" }");
                if indent * 2 + line.len() <= WIDTH {
                    out.push_str(&line);
                    return;
                }
            }
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                let _ = write!(out, "{}{}: ", pad(indent + 1), Value::from(k.as_str()));
                write(&map[*k], indent + 1, out);
                out.push_str(if i + 1 < keys.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{}}}", pad(indent));
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            if items.iter().all(scalar) {
                let line: Vec<String> = items.iter().map(Value::to_string).collect();
                let line = format!("[{}]", line.join(", "));
                if indent * 2 + line.len() <= WIDTH {
                    out.push_str(&line);
                    return;
                }
            }
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            let _ = write!(out, "{}]", pad(indent));
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}
