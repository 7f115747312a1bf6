//! The command line of `screenscore fhir`.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// `screenscore fhir …`: FHIR QuestionnaireResponses in, Observations and Questionnaires out.
#[derive(Debug, Subcommand)]
#[command(
    about = "FHIR R4: score QuestionnaireResponses, write scores as Observations, write and read Questionnaires (files only: screenscore never talks to a FHIR server)",
    after_help = concat!(
        "Examples:\n",
        "  screenscore fhir flatten -i phq9 -i gad7 responses.ndjson > intake.csv\n",
        "  screenscore fhir score -i phq9 -i gad7 responses.ndjson -o observations.ndjson\n",
        "  screenscore fhir questionnaire phq9 > phq9.Questionnaire.json\n",
        "  screenscore fhir import-questionnaire Q.json -o my-instrument.json\n\n",
        "Exit status: 0 when everything asked was done; 1 when the run finished but some \
         responses are invalid; 2 when nothing could be done."
    )
)]
pub enum FhirCommand {
    /// Write the intake CSV of QuestionnaireResponses: `qr_id, subject, authored, encounter,
    /// questionnaire, qr_status, author, input_error, qr_notes`, then each instrument's item
    /// columns (and `{id}_{scale}_stated` for a total the response states), one row per
    /// response; `score`, `report`, `outcomes` and `stats` read it as any intake file.
    #[command(after_help = concat!(
        "Example:\n  screenscore fhir flatten -i phq9 -i gad7 responses.ndjson > intake.csv\n  screenscore score -i phq9 -i gad7 intake.csv\n\n",
        "Exit status: 0 when every response was read; 1 when some could not be read or matched \
         (their rows say why in input_error); 2 when nothing could be done."
    ))]
    Flatten(FhirRead),
    /// Score QuestionnaireResponses and write one Observation per scored scale (the PCO PROM
    /// score profile's shape), as NDJSON or a Bundle; or the scores CSV (`--out-format csv`,
    /// byte for byte what `fhir flatten` then `score` gives).
    #[command(after_help = concat!(
        "Example:\n  screenscore fhir score -i phq9 -i gad7 responses.ndjson -o observations.ndjson\n\n",
        "Exit status: 0 when every response was scored or absent; 1 when some are invalid; 2 when \
         nothing could be done."
    ))]
    Score(FhirScore),
    /// Write an R4 Questionnaire of a definition (items, answer options with their codes and
    /// itemWeight, the definition's canonical URL), for an SDC form renderer.
    #[command(after_help = concat!(
        "Example:\n  screenscore fhir questionnaire phq9 > phq9.Questionnaire.json\n\n",
        "Exit status: 0 when done; 2 when nothing could be done."
    ))]
    Questionnaire {
        /// A built-in id or a path to a definition file.
        #[arg(value_name = "ID|FILE")]
        instrument: String,
        /// Write here instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a definition skeleton from a Questionnaire whose answers carry weights
    /// (`status: unvalidated`, each value sourced to the Questionnaire; scales left to a person).
    #[command(after_help = concat!(
        "Example:\n  screenscore fhir import-questionnaire Q.json -o my-instrument.json\n\n",
        "Exit status: 0 when done; 2 when nothing could be done."
    ))]
    ImportQuestionnaire {
        /// The Questionnaire (JSON).
        #[arg(value_name = "Q.json")]
        questionnaire: PathBuf,
        /// Write here instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// What `fhir flatten` and `fhir score` read.
#[derive(Debug, Args)]
pub struct FhirRead {
    /// Instrument: a built-in id or a path to a definition file. Repeatable.
    #[arg(
        short = 'i',
        long = "instrument",
        value_name = "ID|FILE",
        required = true
    )]
    pub instruments: Vec<String>,

    /// QuestionnaireResponses: a resource, a Bundle of them, or NDJSON (a Bulk Data export);
    /// several files are read in order. Standard input when none or `-`.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Match linkIds to items with a CSV file `from,to` (`from`: the linkId; `to`: the item
    /// column, e.g. phq9_1), before item codes are tried.
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,

    /// A Questionnaire the responses answer: its items' codes match linkIds to items, and its
    /// answer weights (itemWeight, ordinalValue) read codings of other systems. Repeatable.
    #[arg(long = "questionnaire", value_name = "Q.json")]
    pub questionnaires: Vec<PathBuf>,

    /// Write here instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `fhir score`'s options.
#[derive(Debug, Args)]
pub struct FhirScore {
    #[command(flatten)]
    pub read: FhirRead,

    /// What to write.
    #[arg(long = "out-format", value_enum, default_value_t = FhirOut::Ndjson)]
    pub out_format: FhirOut,

    /// With --out-format bundle: the Bundle's type.
    #[arg(long = "bundle-type", value_enum, default_value_t = BundleKind::Collection)]
    pub bundle_type: BundleKind,

    /// Which Observations: one per scored scale, or also one per item under a panel
    /// Observation (hasMember), so that a receiving system sees each answer.
    #[arg(long, value_enum, default_value_t = ObservationSet::Scales)]
    pub observations: ObservationSet,

    /// Response statuses whose scores are written as Observations (default: completed,
    /// amended). Comma-separated.
    #[arg(long, value_name = "STATUS", value_delimiter = ',')]
    pub status: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FhirOut {
    /// One Observation per line.
    Ndjson,
    /// One Bundle (see --bundle-type).
    Bundle,
    /// The scores CSV, as `score` writes it.
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BundleKind {
    /// A collection Bundle.
    Collection,
    /// A transaction Bundle (POST, urn:uuid: ids).
    Transaction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ObservationSet {
    /// One Observation per scored scale.
    Scales,
    /// Also a panel Observation with one member per item.
    #[value(name = "scales+items")]
    ScalesAndItems,
}
