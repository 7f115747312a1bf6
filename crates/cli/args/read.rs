//! How every subcommand that reads an intake file reads it: separator, renames, labels,
//! threads, a form tool's export, missing codes.

use std::path::PathBuf;

use clap::Args;
use screenscore::batch::MAX_THREADS;

/// How the intake CSV is read: the cell separator and column renames.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// The character between cells: `,`, `;` as spreadsheets in many European locales
    /// save CSV, or `tab`.
    #[arg(long, value_name = "CHAR", default_value = ",", value_parser = delimiter)]
    pub delimiter: u8,

    /// Rename input columns first, from a CSV file with the header `from,to` (or `from;to`
    /// in the --delimiter of the data).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,

    /// Accept other wordings of answers in this run, from a CSV file with the header
    /// `instrument,item,value,label` (or in the --delimiter of the data): each line makes
    /// `label` one more way of writing answer `value` of that item.
    #[arg(long, value_name = "FILE")]
    pub labels: Option<PathBuf>,

    /// Threads to score on, 1 to 64 [default: one per core]. With more than one, this thread
    /// reads and writes while the others score; the output is the same, in input order.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS as i64))]
    pub threads: Option<u16>,

    #[command(flatten)]
    pub export: crate::export::ExportArgs,
}

impl ReadArgs {
    /// The threads to score on: as given, else one per core.
    pub fn threads(&self) -> usize {
        self.threads.map_or_else(
            || {
                std::thread::available_parallelism()
                    .map_or(1, usize::from)
                    .min(MAX_THREADS)
            },
            usize::from,
        )
    }
}

/// Cell values that mean missing for every item: `--missing CODE` in every subcommand that
/// reads an intake file (`stats` names its treatment of missing answers `--deletion`).
#[derive(Debug, Args)]
pub struct MissingCodes {
    /// Treat this cell value as missing for every item (for example -99 or NA). Repeatable.
    #[arg(
        long = "missing",
        visible_alias = "missing-code",
        value_name = "CODE",
        allow_hyphen_values = true
    )]
    pub codes: Vec<String>,
}

/// `,`, `;`, `tab` or `\t`: one ASCII character.
pub(crate) fn delimiter(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        _ if text.len() == 1 && text.is_ascii() => Ok(text.as_bytes()[0]),
        _ => Err("give one ASCII character, such as ';', or tab".to_string()),
    }
}
