//! The command line of `screenscore redcap`.

use std::path::PathBuf;

use clap::Subcommand;

/// `screenscore redcap …`: REDCap data dictionaries. (The about and after-help here are
/// the `redcap` subcommand's: args.rs names only the variant.)
#[derive(Debug, Subcommand)]
#[command(
    about = "REDCap data dictionaries: the skeleton of an instrument definition from a form",
    after_help = concat!(
        "Example:\n  screenscore redcap skeleton MyProject_DataDictionary.csv --form phq9 -o phq9-local.json\n\n",
        "Exit status: 0 when done; 2 when nothing could be done. 1, for invalid rows or missing \
         item columns, does not arise: this subcommand reads no intake file."
    )
)]
pub enum RedcapCommand {
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
