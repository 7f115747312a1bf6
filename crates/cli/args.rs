//! The command line, parsed into the CLI's own structs. Nothing here scores.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Score clinical screening questionnaires from CSV intake files, on this machine.
///
/// Instruments are data: built-in definitions (run `screenscore instruments list`) or your own
/// JSON files. Patient data never leaves the machine: screenscore has no network code.
#[derive(Debug, Parser)]
#[command(name = "screenscore", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Score a CSV intake file: one output row per input row, in order, with a status.
    ///
    /// Item columns are named `{instrument}_{item}` (for example phq9_1 … phq9_9); every other
    /// column passes through. Output columns per instrument: `{id}_{scale}`,
    /// `{id}_{scale}_band`, `{id}_status` (ok, incomplete, invalid, absent), `{id}_flags`,
    /// `{id}_error`, `{id}_notes`.
    ///
    /// Exit status: 0 when every row was scored (ok, incomplete or absent), 1 when some rows
    /// are invalid, 2 when nothing could be done.
    #[command(
        after_help = "Example:\n  screenscore score -i phq9 -i gad7 intake.csv -o scored.csv --errors bad-cells.csv"
    )]
    Score(ScoreArgs),
    /// List, show, check and template instrument definitions.
    #[command(subcommand)]
    Instruments(InstrumentsCommand),
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// Instrument to score: a built-in id (phq9, gad7, …) or a path to a definition file.
    /// Repeat for several instruments.
    #[arg(
        short = 'i',
        long = "instrument",
        value_name = "ID|FILE",
        required = true
    )]
    pub instruments: Vec<String>,

    /// The intake CSV; `-` or nothing reads standard input.
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,

    /// Write the scores here instead of standard output (written to a temporary file first,
    /// then renamed, so a failed run never leaves a half-written file).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Csv)]
    pub format: Format,

    /// Also write one CSV line per bad cell: record, line, column, value, reason.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,

    /// Rename input columns first, from a CSV file with the header `from,to`.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,

    /// Treat this cell value as missing for every item (for example -99 or NA). Repeatable.
    #[arg(long = "missing", value_name = "CODE")]
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated values, one row per input row.
    Csv,
    /// JSON Lines, one object per input row.
    Jsonl,
}

#[derive(Debug, Subcommand)]
pub enum InstrumentsCommand {
    /// List the built-in instruments: id, status, items, scales, licence, name.
    List,
    /// Show an instrument: items and their CSV columns, response options, scales, bands,
    /// rules, and where every number comes from.
    Show {
        /// A built-in id or a path to a definition file.
        #[arg(value_name = "ID|FILE")]
        instrument: String,
    },
    /// Print an empty intake CSV header for one or more instruments.
    Template {
        /// Built-in ids or paths to definition files.
        #[arg(value_name = "ID|FILE", required = true)]
        instruments: Vec<String>,
    },
    /// Check a definition file; every problem is reported with its JSON path.
    Check {
        /// The definition file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print the JSON Schema of definition files (instruments/schema.json).
    Schema,
}
