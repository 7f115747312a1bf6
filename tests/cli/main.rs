//! Integration tests of the `screenscore` command line: one test binary, one module per area.

mod atomic;
mod bad_input;
mod browser;
mod catalogue;
mod change;
mod coding;
mod composite;
mod corpus;
mod files;
mod fixtures;
mod golden;
mod injection;
mod instruments;
mod labels;
mod limits;
mod locale;
mod outcomes;
mod privacy;
mod product_text;
mod readme;
mod report;
mod score;
mod stats;
mod stats_limits;
mod support;
mod terminal;
