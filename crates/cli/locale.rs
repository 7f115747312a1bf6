//! Spreadsheets in other locales: how CSV output is written (the separator, byte-order mark and
//! decimal mark of what was read, unless the flags say otherwise), the warning about dates a
//! run could not read, and the notice about a labels file's lines for instruments not scored.

use std::io;
use std::path::Path;

use clap::Args;
use screenscore::Instrument;
use screenscore::batch::{DateTally, DateVerdict, Labels, Layout, RowSink, ScoredRow, Suggestion};
use screenscore::output::{Bom, CsvStyle, DecimalMark};

use crate::Failure;
use crate::files::RunFiles;

/// How CSV output is written for the spreadsheet that will open it. By default as the input
/// was read: its separator, and a UTF-8 byte-order mark when it began with one.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// The character between cells of the CSV written [default: the --delimiter read].
    #[arg(
        long = "out-delimiter",
        value_name = "CHAR",
        value_parser = crate::args::delimiter,
        help_heading = "Spreadsheets"
    )]
    pub out_delimiter: Option<u8>,

    /// Write no UTF-8 byte-order mark, even when the input began with one.
    #[arg(long = "no-bom", help_heading = "Spreadsheets")]
    pub no_bom: bool,

    /// Write decimals with a comma (2,5), so that a spreadsheet in a locale that reads decimal
    /// commas (German, French, Dutch, …) reads numbers, not dates or text; whole scores are
    /// written as they are. Needs a separator other than the comma (--delimiter ';').
    #[arg(long = "decimal-comma", help_heading = "Spreadsheets")]
    pub decimal_comma: bool,
}

impl WriteArgs {
    /// The style of the CSV written from an input read with `delimiter`.
    pub fn style(&self, delimiter: u8) -> Result<CsvStyle, Failure> {
        let delimiter = self.out_delimiter.unwrap_or(delimiter);
        let bom = if self.no_bom {
            Bom::Never
        } else {
            Bom::AsInput
        };
        let decimal = if self.decimal_comma {
            DecimalMark::Comma
        } else {
            DecimalMark::Point
        };
        CsvStyle::new(delimiter, bom, decimal).map_err(|e| match e {
            screenscore::output::StyleError::DecimalCommaWithCommas => Failure(format!(
                "--decimal-comma writes 2,5 for 2.5, which needs cells separated by something other than commas; \
                 give --out-delimiter ';' (or read a ';'-separated file with --delimiter ';'){}",
                if self.out_delimiter.is_some() {
                    ""
                } else {
                    ", or leave out --decimal-comma"
                }
            )),
            e => Failure(e.to_string()),
        })
    }
}

/// A labels file (which the run then reads).
pub fn labels(path: &Path, delimiter: u8, files: &mut RunFiles) -> Result<Labels, Failure> {
    files.input(path, "the labels file");
    // Messages name the file themselves.
    Ok(Labels::from_path(path, delimiter)?)
}

/// `notice: labels.csv: 2 lines are for gad7, which is not scored in this run; they are not
/// used` when the file names instruments the run does not score.
pub fn unused_labels(path: &Path, labels: &Labels, scored: &[Instrument]) -> Option<String> {
    let unused: Vec<&str> = labels
        .instruments()
        .into_iter()
        .filter(|id| !scored.iter().any(|i| i.id().eq_ignore_ascii_case(id)))
        .collect();
    if unused.is_empty() {
        return None;
    }
    let (names, is) = match unused.len() {
        1 => (format!("`{}`", unused[0]), "is"),
        _ => (
            unused
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", "),
            "are",
        ),
    };
    Some(format!(
        "notice: {}: the labels for {names} are not used: {} not scored in this run",
        path.display(),
        if is == "is" { "it is" } else { "they are" }
    ))
}

/// The warning for a run whose dates were mostly not understood, naming the column, an
/// example, and the `--date-format` that reads them; `None` when they were understood.
pub fn date_warning(tally: &DateTally) -> Option<String> {
    let DateVerdict::NotUnderstood {
        dated,
        unread,
        example,
        suggestion,
    } = tally.verdict()
    else {
        return None;
    };
    let column = tally.column();
    let format = tally.format().describe();
    let (what, consequence) = if unread == dated {
        (
            format!("none of the {dated} dates in `{column}` could be read as {format}"),
            "so no administration is placed in time (no change over time, no course of treatment)",
        )
    } else {
        (
            format!("{unread} of the {dated} dates in `{column}` could not be read as {format}"),
            "so those administrations are not placed in time",
        )
    };
    let mut text = format!("warning: {what}, for example \"{example}\", {consequence}");
    match suggestion {
        Suggestion::Layout(layout) => {
            text.push_str(&format!("; --date-format {layout} reads them"));
        }
        Suggestion::Ambiguous(layouts) => {
            let flags: Vec<String> = layouts
                .iter()
                .map(|l| match order(l) {
                    "" => format!("--date-format {l}"),
                    order => format!("--date-format {l} ({order})"),
                })
                .collect();
            let both = if flags.len() == 2 { "both " } else { "" };
            text.push_str(&format!(
                "; {both}{} read every one of them, and the dates do not say which is meant: give the layout the file was written in",
                join_list(&flags, "and")
            ));
        }
        Suggestion::None => text.push_str(
            "; none of the common layouts reads them: give --date-format with the layout they are written in (%Y year, %m month, %d day, %H %M %S)",
        ),
        _ => {}
    }
    Some(text)
}

/// `day first` or `month first` for a layout with both; empty otherwise.
fn order(layout: &str) -> &'static str {
    match (layout.find("%d"), layout.find("%m")) {
        (Some(d), Some(m)) if d < m => "day first",
        (Some(_), Some(_)) => "month first",
        _ => "",
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_list(words: &[String], conjunction: &str) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// Remembers whether the input began with a byte-order mark (for outputs written after the
/// run, which see no layout).
#[derive(Debug, Default)]
pub struct InputBom(pub bool);

impl RowSink for InputBom {
    fn begin(&mut self, layout: &Layout, _: &[Instrument]) -> io::Result<()> {
        self.0 = layout.byte_order_mark();
        Ok(())
    }

    fn row(&mut self, _: &ScoredRow<'_>) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}
