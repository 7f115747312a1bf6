//! The JSON report: the same content as the HTML page, for other systems.

use serde::Serialize;

use screenscore::clients::ClientHistory;

use crate::Options;
use crate::attention::Attention;

#[derive(Serialize)]
struct Report<'a> {
    report: &'static str,
    screenscore_version: &'a str,
    generated: &'a str,
    attention: &'a [Attention],
    client: &'a ClientHistory,
}

pub(crate) fn page(client: &ClientHistory, attention: &[Attention], options: &Options) -> String {
    let report = Report {
        report: "screenscore client report",
        screenscore_version: &options.tool_version,
        generated: &options.generated,
        attention,
        client,
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
