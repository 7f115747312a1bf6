//! The command line, parsed into the CLI's own structs. Nothing here scores.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod read;

pub(crate) use read::delimiter;
pub use read::{MissingCodes, ReadArgs};

/// The exit-status rule of every subcommand that reads an intake file, for its help.
macro_rules! exit_status {
    () => {
        "Exit status: 0 when everything asked was done; 1 when the run finished but some rows \
         are invalid or item columns of a requested instrument are missing from the header \
         (the output is complete; its rows and the warnings say what is wrong); 2 when nothing could be done (a wrong \
         argument, an unreadable input or definition, an empty input)."
    };
}

/// The exit-status rule, for the help of subcommands that read no intake file.
macro_rules! exit_status_no_rows {
    () => {
        "Exit status: 0 when done; 2 when nothing could be done (a wrong argument, an unknown \
         instrument, a definition with problems). 1, for invalid rows or missing item columns, \
         does not arise: this subcommand reads no intake file."
    };
}

/// Score clinical screening questionnaires from CSV intake files, on this machine.
///
/// Instruments are data: built-in definitions (run `screenscore instruments list`) or your own
/// JSON files. Patient data never leaves the machine: screenscore has no network code.
#[derive(Debug, Parser)]
#[command(
    name = "screenscore",
    version,
    max_term_width = 100,
    after_help = concat!(
        "Every subcommand has one exit-status rule: 0 when everything asked was done; 1 when the run \
         finished but some rows are invalid or item columns of a requested instrument are missing \
         from the header (the output is complete; its rows and the warnings say what is wrong); 2 when nothing could be \
         done; 128 + n after signal n.\n\n",
        "Shell completions: `screenscore completions bash` (zsh, fish, powershell); the manual page: \
         `screenscore man`."
    )
)]
pub struct Cli {
    /// Print only warnings, errors and each run's counts: no notices about instruments, no
    /// attention summary, no progress. The exit status still tells what happened.
    #[arg(short, long, global = true)]
    pub quiet: bool,

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
    /// On standard error: header warnings, the counts of the rows, and what needs attention
    /// (each critical flag raised and each critical item left unanswered, with the first record
    /// numbers, and the clients with --client-col).
    #[command(after_help = concat!(
        "Example:\n  screenscore score -i phq9 -i gad7 intake.csv -o scored.csv --errors bad-cells.csv\n\n",
        exit_status!()
    ))]
    Score(ScoreArgs),
    /// List, show, check and template instrument definitions.
    #[command(
        subcommand,
        after_help = concat!(
            "Examples:\n  screenscore instruments list\n  screenscore instruments show phq9\n  screenscore instruments template phq9 gad7 > intake.csv\n  screenscore instruments check my-instrument.json\n\n",
            exit_status_no_rows!()
        )
    )]
    Instruments(InstrumentsCommand),
    /// Write one report per client: where the client stands on each scale, what changed, and
    /// what needs attention; HTML (self-contained, printable), Markdown or JSON.
    ///
    /// Invalid rows are in their client's report as not scored; every report is still written,
    /// and standard error names the invalid rows.
    #[command(after_help = concat!(
        "Example:\n  screenscore report -i phq9 -i gad7 intake.csv --client-col client_id --date-col date --out-dir reports\n\n",
        exit_status!()
    ))]
    Report(ReportArgs),
    /// The outcome of each client's course of treatment, and of a caseload.
    ///
    /// One row per client episode (client, or client and --episode-col): first and last date,
    /// administrations; per instrument the first and last score, change, reliable change
    /// (improved / deteriorated / no; by the published threshold where the instrument has one,
    /// else the RCI) and caseness at first and last; for PHQ-9 with GAD-7, the combined classes
    /// of NHS Talking Therapies (case at first, reliable improvement, reliable deterioration, no
    /// reliable change, recovery, reliable recovery, or not assessed and why). With --summary,
    /// counts and rates of each class with Wilson 95% intervals instead.
    #[command(after_help = concat!(
        "Examples:\n  screenscore outcomes -i phq9 -i gad7 intake.csv --client-col client_id --date-col date -o outcomes.csv\n  screenscore outcomes -i phq9 -i gad7 intake.csv --client-col client_id --date-col date --summary --summary-html caseload.html\n\n",
        exit_status!()
    ))]
    Outcomes(OutcomesArgs),
    /// Build local norms from a sample: per scale n, mean, SD, Cronbach's alpha of the sample
    /// and empirical percentiles, for `score --norms` (for instruments without published norms).
    #[command(after_help = concat!(
        "Example:\n  screenscore norms -i cffs intake.csv -o cffs-norms.json\n  screenscore score -i cffs intake.csv --norms cffs-norms.json --standard\n\n",
        exit_status!()
    ))]
    Norms(NormsArgs),
    /// Reliability of each scale in a sample and signs of mis-keyed items, as R's psych computes
    /// them.
    ///
    /// Per scale n, mean, SD, Cronbach's alpha (raw and standardised) with its standard error and
    /// Feldt 95% interval, Guttman's lambda 6, average and median inter-item r, signal/noise; per
    /// item mean, SD, item-total r (raw, standardised, corrected for overlap, and against the rest
    /// of the scale), alpha if deleted and the answers given; scale intercorrelations.
    ///
    /// Warns of items whose corrected item-total r is below 0 (likely mis-keyed), items without
    /// variance and scales with fewer than 30 complete cases. Rows with unreadable answers are
    /// left out and counted.
    #[command(after_help = concat!(
        "Example:\n  screenscore stats -i cffs intake.csv\n  screenscore stats -i phq9 intake.csv --format csv --deletion listwise --missing -99 -o phq9-stats.csv\n\n",
        exit_status!()
    ))]
    Stats(StatsArgs),
    #[command(subcommand)]
    Redcap(crate::redcap::RedcapCommand),
    #[command(subcommand)]
    Fhir(crate::fhir::FhirCommand),
    /// Print a shell's completion script for screenscore.
    #[command(after_help = concat!(
        "Install (one of):\n",
        "  screenscore completions bash > ~/.local/share/bash-completion/completions/screenscore\n",
        "  screenscore completions zsh > ~/.zfunc/_screenscore   (with fpath+=~/.zfunc before compinit in ~/.zshrc)\n",
        "  screenscore completions fish > ~/.config/fish/completions/screenscore.fish\n",
        "  screenscore completions powershell >> $PROFILE\n\n",
        exit_status_no_rows!()
    ))]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page (roff) of screenscore and its subcommands.
    #[command(after_help = concat!(
        "Install:\n  mkdir -p ~/.local/share/man/man1 && screenscore man > ~/.local/share/man/man1/screenscore.1\n",
        "Read without installing:\n  screenscore man | man -l -\n\n",
        exit_status_no_rows!()
    ))]
    Man,
}

/// Extra columns of `instruments template`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateExtra {
    /// `client_id` and `date`, for change over time.
    Ids,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
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
    #[arg(long, visible_alias = "out-format", value_enum, default_value_t = Format::Csv)]
    pub format: Format,

    /// Also write one CSV line per bad cell: record, line, column, value, reason.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,

    /// With --format redcap-import: the fields the scores go into, `SCORE=FIELD` (for
    /// example phq9_total=phq9_score), comma-separated or repeated. Each must be a text field
    /// on the instrument's form whose validation accepts the score.
    #[arg(
        long,
        value_name = "SCORE=FIELD",
        value_delimiter = ',',
        requires = "redcap",
        help_heading = "REDCap"
    )]
    pub score_fields: Vec<String>,

    /// Copy input cells into CSV output exactly as read. By default a copied cell that a
    /// spreadsheet would run as a formula (one starting with =, +, -, @, a tab or a carriage
    /// return that is not a plain number) gets a leading ' so it shows as text.
    #[arg(long)]
    pub raw: bool,

    #[command(flatten)]
    pub read: ReadArgs,

    #[command(flatten)]
    pub write: crate::locale::WriteArgs,

    #[command(flatten)]
    pub missing: MissingCodes,

    /// Add standard scores for every scale with a reference group: z, T (50 + 10z), percentile
    /// from the group's data (local norms; empty for a group of a mean and an SD), percentile by
    /// the normal approximation, SEM and 95% band (clipped to the scale's range), and the group
    /// used. Norm strata use the `sex` and `age` columns.
    #[arg(long, help_heading = "Standard scores")]
    pub standard: bool,

    /// Local norms built by `screenscore norms`; they give the standard scores of their
    /// instrument and the SD and reliability for change. Repeatable.
    #[arg(long = "norms", value_name = "FILE", help_heading = "Standard scores")]
    pub norms: Vec<PathBuf>,

    /// The reference group for standard scores (`local` for local norms; default: local norms,
    /// else the definition's first general group).
    #[arg(
        long = "norm-group",
        value_name = "ID",
        help_heading = "Standard scores"
    )]
    pub norm_group: Option<String>,

    /// The column with each client's id: adds change since the client's first and previous
    /// administrations (needs --date-col). Rows may come in any order; output keeps input order.
    #[arg(
        long = "client-col",
        value_name = "COLUMN",
        help_heading = "Change over time"
    )]
    pub client_col: Option<String>,

    /// The column with each administration's date (ISO 8601, e.g. 2026-01-31, unless --date-format).
    #[arg(
        long = "date-col",
        value_name = "COLUMN",
        help_heading = "Change over time"
    )]
    pub date_col: Option<String>,

    /// How dates are written, when not ISO 8601: %Y year, %m month, %d day, %H %M %S (e.g. %d/%m/%Y).
    #[arg(
        long = "date-format",
        value_name = "FORMAT",
        requires = "date_col",
        help_heading = "Change over time"
    )]
    pub date_format: Option<String>,

    /// The Jacobson-Truax cut-off for clinically significant change, where a scale has
    /// functional and dysfunctional reference groups.
    #[arg(long, value_enum, default_value_t = Cutoff::C, help_heading = "Change over time")]
    pub cutoff: Cutoff,
}

#[derive(Debug, Args)]
pub struct OutcomesArgs {
    /// Instrument: a built-in id or a path to a definition file. Repeatable.
    #[arg(
        short = 'i',
        long = "instrument",
        value_name = "ID|FILE",
        required = true
    )]
    pub instruments: Vec<String>,

    /// The intake CSV (standard input when omitted or `-`).
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,

    #[command(flatten)]
    pub clients: ClientDates,

    /// The column telling a client's courses of treatment apart (one row per client and episode).
    #[arg(long = "episode-col", value_name = "COLUMN")]
    pub episode_col: Option<String>,

    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// csv, or json (JSON Lines, one object per episode; one object for --summary).
    #[arg(long, value_enum, default_value_t = OutcomesFormat::Csv)]
    pub format: OutcomesFormat,

    /// Write the caseload summary (counts and rates of each class, with Wilson 95% intervals)
    /// instead of one row per episode.
    #[arg(long)]
    pub summary: bool,

    /// Also write the caseload summary as a self-contained, printable HTML page
    /// (rates, and first against last score per episode).
    #[arg(long = "summary-html", value_name = "FILE")]
    pub summary_html: Option<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,

    #[command(flatten)]
    pub write: crate::locale::WriteArgs,

    #[command(flatten)]
    pub missing: MissingCodes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutcomesFormat {
    /// Comma-separated values.
    Csv,
    /// JSON.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Cutoff {
    /// 2 SD beyond the dysfunctional mean, towards health.
    A,
    /// 2 SD beyond the functional mean, towards illness.
    B,
    /// Between the two means, weighted by their SDs.
    C,
}

/// One instrument in a sample: what `norms` and `stats` read.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// The instrument: a built-in id or a path to a definition file.
    #[arg(short = 'i', long = "instrument", value_name = "ID|FILE")]
    pub instrument: String,

    /// The sample: an intake CSV; `-` or nothing reads standard input.
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,

    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct NormsArgs {
    #[command(flatten)]
    pub sample: SampleArgs,

    /// Write the norms here (JSON) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Describe the sample (default: the input file's name and the date).
    #[arg(long, value_name = "TEXT")]
    pub population: Option<String>,

    #[command(flatten)]
    pub missing: MissingCodes,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub sample: SampleArgs,

    /// Write the statistics here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Output format: a table to read, JSON, or CSV with one number per line.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,

    /// How rows with unanswered items enter: pairwise (each covariance from the rows where both
    /// items are answered, as psych) or listwise (only rows where every item of the scale is).
    #[arg(long, value_enum, default_value_t = Deletion::Pairwise)]
    pub deletion: Deletion,

    #[command(flatten)]
    pub missing: MissingCodes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// Plain text for a person.
    Table,
    /// One JSON object with every statistic.
    Json,
    /// `instrument,scale,item,statistic,value`, one number per line.
    Csv,
}

/// How `stats` treats rows with unanswered items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Deletion {
    /// Each covariance from the rows where both items are answered.
    Pairwise,
    /// Only rows where every item of the scale is answered.
    Listwise,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Comma-separated values, one row per input row.
    Csv,
    /// JSON Lines, one object per input row.
    Jsonl,
    /// With --redcap and --score-fields: a CSV for REDCap's Data Import Tool.
    RedcapImport,
}

#[derive(Debug, Subcommand)]
pub enum InstrumentsCommand {
    /// List the built-in instruments: id, status, items, scales, licence, name.
    #[command(after_help = concat!("Example:\n  screenscore instruments list", "\n\n", exit_status_no_rows!()))]
    List,
    /// Show an instrument: items and their CSV columns, response options, scales, bands,
    /// rules, and where every number comes from.
    #[command(
        after_help = concat!("Examples:\n  screenscore instruments show phq9\n  screenscore instruments show my-instrument.json", "\n\n", exit_status_no_rows!())
    )]
    Show {
        /// A built-in id or a path to a definition file.
        #[arg(value_name = "ID|FILE")]
        instrument: String,
    },
    /// Print an empty intake CSV header for one or more instruments.
    #[command(
        after_help = concat!("Examples:\n  screenscore instruments template phq9 gad7 > intake.csv\n  screenscore instruments template --with ids phq9 > visits.csv", "\n\n", exit_status_no_rows!())
    )]
    Template {
        /// Built-in ids or paths to definition files.
        #[arg(value_name = "ID|FILE", required = true)]
        instruments: Vec<String>,
        /// Extra columns first: `ids` adds `client_id,date` (for change over time, read with
        /// `--client-col client_id --date-col date`).
        #[arg(long, value_enum, value_delimiter = ',')]
        with: Vec<TemplateExtra>,
    },
    /// Check a definition file; every problem is reported with its JSON path.
    #[command(after_help = concat!("Example:\n  screenscore instruments check my-instrument.json", "\n\n", exit_status_no_rows!()))]
    Check {
        /// The definition file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print the JSON Schema of definition files (instruments/schema.json).
    #[command(after_help = concat!("Example:\n  screenscore instruments schema > schema.json", "\n\n", exit_status_no_rows!()))]
    Schema,
}

/// Which columns name the client and the date of each administration (report, outcomes).
#[derive(Debug, Args)]
pub struct ClientDates {
    /// The column with each client's id (with --redcap, default: the record id).
    #[arg(long = "client-col", value_name = "COLUMN")]
    pub client_col: Option<String>,

    /// The column with each administration's date, ISO 8601 unless --date-format (with
    /// --redcap, default: the first instrument's survey timestamp, `{form}_timestamp`).
    #[arg(long = "date-col", value_name = "COLUMN")]
    pub date_col: Option<String>,

    /// How dates are written, when not ISO 8601: %Y year, %m month, %d day, %H %M %S (e.g.
    /// %d/%m/%Y).
    #[arg(long = "date-format", value_name = "FORMAT")]
    pub date_format: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Instrument to report: a built-in id or a path to a definition file. Repeatable.
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

    #[command(flatten)]
    pub clients: ClientDates,

    /// The directory the reports are written to (created if needed).
    #[arg(long = "out-dir", value_name = "DIR")]
    pub out_dir: PathBuf,

    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,

    /// Only this client.
    #[arg(long = "client", value_name = "ID")]
    pub client: Option<String>,

    /// Replace reports already in the output directory.
    #[arg(long)]
    pub force: bool,

    /// Local norms built by `screenscore norms`. Repeatable.
    #[arg(long = "norms", value_name = "FILE")]
    pub norms: Vec<PathBuf>,

    /// The reference group for standard scores.
    #[arg(long = "norm-group", value_name = "ID")]
    pub norm_group: Option<String>,

    /// The Jacobson-Truax cut-off for clinically significant change.
    #[arg(long, value_enum, default_value_t = Cutoff::C)]
    pub cutoff: Cutoff,

    #[command(flatten)]
    pub read: ReadArgs,

    #[command(flatten)]
    pub missing: MissingCodes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML page per client (inline CSS and SVG, no script).
    Html,
    /// Markdown, for pasting into notes.
    Md,
    /// JSON, for other systems.
    Json,
}
