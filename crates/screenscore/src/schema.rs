//! The JSON Schema of the definition format, generated from the Rust types.
//!
//! `instruments/schema.json` is this schema, committed so that editors validate and complete
//! definitions; a test fails when the committed file is stale.

use crate::definition::Definition;

/// The JSON Schema of [`Definition`], pretty-printed, with a final newline.
///
/// ```
/// let schema = screenscore::schema::definition_schema();
/// assert!(schema.contains("\"additionalProperties\": false"));
/// ```
pub fn definition_schema() -> String {
    let schema = schemars::schema_for!(Definition);
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    text.push('\n');
    text
}
