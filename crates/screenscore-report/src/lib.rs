//! Per-client reports of screenscore results: HTML, Markdown and JSON.
//!
//! This crate renders; it never scores. Its input is a [`ClientHistory`] built by the core
//! library (`screenscore::clients`), which holds every score, band, standard score, change and
//! flag already computed. What this crate adds is layout:
//!
//! - **HTML**: one self-contained page per client (inline CSS and SVG; no script, nothing
//!   fetched), readable on screen and printable on A4 and Letter (print CSS: sections flow on,
//!   the trend beside the history; tables within the page's width, long values wrapped). It is written with [maud](https://maud.lambda.xyz), whose templates are
//!   checked at compile time and escape every interpolated value, so a client id such as
//!   `<script>alert(1)</script>` is shown as text. The charts (a score on its band ranges, a trend
//!   with band zones and reliable changes marked, subscale and four-factor profiles) are drawn in
//!   [`svg`](crate) from rectangles, lines and text; three simple figures do not need a charting
//!   crate.
//! - **Markdown**: the same content for pasting into notes, charts given as tables, every text
//!   escaped.
//! - **JSON**: the [`ClientHistory`] with the attention list and the tool version.
//!
//! The order of a report: a header (client id, administration dates, instruments); what needs
//! attention (critical and warning flags of the latest administrations, unscorable latest
//! administrations); the scores at a glance; the course of treatment; per instrument, by
//! clinical weight (validated, then provisional, then unvalidated), the latest score and band,
//! standard scores, the score on its bands, change, subscales, the trend and the history,
//! flags and the item table, with the four-factor profile (where scales declare the factors)
//! after the instruments more established than its sources; the sources (citations, licences,
//! status, how change is judged, and each reference behind bands, norms and thresholds once)
//! and the tool version. An instrument that is not validated says so next to its scores.
//!
//! ```
//! use screenscore::clients::ClientHistory;
//! use screenscore_report::{Format, Options, render};
//!
//! let client = ClientHistory { client: "<b>C1</b>".into(), dates: vec![], instruments: vec![], outcome: None };
//! let options = Options { tool_version: "0.1.0".into(), generated: "2026-11-21".into() };
//! let html = render(&client, Format::Html, &options);
//! assert!(html.contains("&lt;b&gt;C1&lt;/b&gt;"));
//! assert!(!html.contains("<b>C1</b>"));
//! assert!(!html.contains("<script"));
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod attention;
pub mod caseload;
mod episode;
pub mod filename;
mod html;
mod json;
mod markdown;
mod profile;
mod scatter;
mod section;
mod sources;
mod svg;
mod words;

use screenscore::InstrumentStatus;
use screenscore::clients::{ClientHistory, InstrumentRecord};

/// How far an instrument is established, heaviest first: validated 0, provisional 1,
/// unvalidated 2.
pub(crate) fn weight(status: InstrumentStatus) -> u8 {
    match status {
        InstrumentStatus::Validated => 0,
        InstrumentStatus::Provisional => 1,
        _ => 2,
    }
}

/// The client's instruments in the order of clinical weight: validated, then provisional,
/// then unvalidated, each in the order given.
pub(crate) fn by_weight(client: &ClientHistory) -> Vec<&InstrumentRecord> {
    let mut instruments: Vec<&InstrumentRecord> = client.instruments.iter().collect();
    instruments.sort_by_key(|i| weight(i.status));
    instruments
}

/// What every report states about how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The screenscore version.
    pub tool_version: String,
    /// When the report was generated (a date).
    pub generated: String,
}

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A self-contained HTML page.
    Html,
    /// Markdown.
    Markdown,
    /// JSON.
    Json,
}

impl Format {
    /// The file extension: `html`, `md` or `json`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
            Format::Json => "json",
        }
    }
}

/// One client's report.
pub fn render(client: &ClientHistory, format: Format, options: &Options) -> String {
    let attention = attention::attention(client);
    match format {
        Format::Html => html::page(client, &attention, options),
        Format::Markdown => markdown::page(client, &attention, options),
        Format::Json => json::page(client, &attention, options),
    }
}

#[cfg(test)]
mod reading_tests;
#[cfg(test)]
mod tests;
