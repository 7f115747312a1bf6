//! Integration tests of the `screenscore` command line: one test binary, one module per area.

mod bad_input;
mod catalogue;
mod fixtures;
mod instruments;
mod score;
mod support;
