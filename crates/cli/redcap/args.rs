//! The command line of `screenscore redcap`.

use std::path::PathBuf;

use clap::Subcommand;

/// `screenscore redcap …`: REDCap data dictionaries. (The about and after-help here are
/// the `redcap` subcommand's: args.rs names only the variant.)
#[derive(Debug, Subcommand)]
#[command(
    about = "REDCap data dictionaries: a checked column map from a form to a built-in instrument, or the skeleton of a definition from a form",
    after_help = concat!(
        "Examples:\n  screenscore redcap map MyProject_DataDictionary.csv --form phq9_form --to phq9 -o phq9.map.csv\n  screenscore redcap skeleton MyProject_DataDictionary.csv --form phq9 -o phq9-local.json\n\n",
        "Exit status: 0 when done; 2 when nothing could be done. 1, for invalid rows or missing \
         item columns, does not arise: this subcommand reads no intake file."
    )
)]
pub enum RedcapCommand {
    /// Write the column map of a form for a validated definition: the form's single-choice
    /// fields (radio, dropdown, yesno, truefalse), in form order, are the instrument's items
    /// (all of them, or the scored ones when the form leaves out an unscored item such as the
    /// PHQ-9's difficulty question).
    ///
    /// Each field is checked: its choice codes must be the item's answer values and no label
    /// may be another answer's; anything else is refused with the reason. A calculated field
    /// of the form holding the score is recorded, so that `score --redcap` compares REDCap's
    /// total with the one computed. Use the map with `score --redcap DICT.csv --map FILE`.
    #[command(after_help = concat!(
        "Example:\n  screenscore redcap map MyProject_DataDictionary.csv --form phq9_form --to phq9 -o phq9.map.csv\n  screenscore score --redcap MyProject_DataDictionary.csv -i phq9 --map phq9.map.csv export.csv -o scored.csv\n\n",
        "Exit status: 0 when done; 2 when nothing could be done (a wrong argument, an unreadable \
         dictionary, an unknown form, a form that does not match the instrument). 1, for invalid \
         rows or missing item columns, does not arise: this subcommand reads no intake file."
    ))]
    Map {
        /// The data dictionary (CSV).
        #[arg(value_name = "DICT.csv")]
        dictionary: PathBuf,
        /// The form (instrument) holding the items, by its form name.
        #[arg(long, value_name = "FORM")]
        form: String,
        /// The instrument: a built-in id or a path to a definition file.
        #[arg(long, value_name = "ID|FILE")]
        to: String,
        /// Where the form's codes differ from the definition's values (1–4 for 0–3), recode
        /// them by their labels: only when every choice label is one of the item's answer
        /// labels or aliases. The recode is written in the map (a `recode` column) and every
        /// scored row notes it.
        #[arg(long)]
        recode_by_label: bool,
        /// Write the map here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write the skeleton of an instrument definition from one form of a REDCap data
    /// dictionary.
    ///
    /// Radio, dropdown, yesno, truefalse and slider fields become items (ids: the field
    /// names; labels: REDCap's, without HTML or piping); their choices become response sets
    /// (fields with the same choices share one). Every item names the dictionary line it was
    /// read from. The definition is `unvalidated` and scores nothing of its own: its one scale,
    /// `placeholder_sum`, sums the scored items and is there because a definition needs a
    /// scale; replace it with the instrument's published scoring. Other fields (text, notes,
    /// checkbox, calc, file, descriptive, sql) are left out, one line each on standard error.
    ///
    /// Reads the Data Dictionary page's download or the API's metadata export (CSV).
    #[command(after_help = concat!(
        "Example:\n  screenscore redcap skeleton MyProject_DataDictionary.csv --form phq9 -o phq9-local.json\n  screenscore instruments check phq9-local.json\n\n",
        "Exit status: 0 when done; 2 when nothing could be done (a wrong argument, an unreadable \
         dictionary, an unknown form, a form with nothing to make items of). 1, for invalid rows \
         or missing item columns, does not arise: this subcommand reads no intake file."
    ))]
    Skeleton {
        /// The data dictionary (CSV).
        #[arg(value_name = "DICT.csv")]
        dictionary: PathBuf,
        /// The form (instrument) to build the definition from, by its form name.
        #[arg(long, value_name = "FORM")]
        form: String,
        /// Write the definition here instead of standard output.
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}
