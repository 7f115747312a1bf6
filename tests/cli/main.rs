//! Integration tests of the `screenscore` command line: one test binary, one module per area.

mod bad_input;
mod catalogue;
mod change;
mod fixtures;
mod instruments;
mod readme;
mod report;
mod score;
mod stats;
mod support;
