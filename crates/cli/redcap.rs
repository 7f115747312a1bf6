//! `screenscore redcap`: REDCap data dictionaries.

mod args;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use screenscore::redcap::{Dictionary, DictionaryError, build_skeleton, derive_map};

pub use args::RedcapCommand;

use crate::files::{Output, RunFiles};
use crate::term::{inform, say};
use crate::{Failure, Outcome};

pub fn run(command: RedcapCommand) -> Outcome {
    match command {
        RedcapCommand::Map {
            dictionary,
            form,
            to,
            recode_by_label,
            output,
        } => map(&dictionary, &form, &to, recode_by_label, output.as_deref()),
        RedcapCommand::Skeleton {
            dictionary,
            form,
            output,
        } => skeleton(&dictionary, &form, output.as_deref()),
    }
}

/// `redcap map`: the map to the output, what a person should know to stderr.
fn map(path: &Path, form: &str, to: &str, recode_by_label: bool, output: Option<&Path>) -> Outcome {
    let mut files = RunFiles::new();
    files.input(path, "the data dictionary");
    let instrument = crate::files::instrument(to, &mut files)?;
    if let Some(out) = output {
        files.output(out, "-o")?;
    }
    let dictionary = Dictionary::from_path(path).map_err(|e| in_file(path, e))?;
    let derived = derive_map(&dictionary, form, &instrument, recode_by_label)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    let mut out = Output::open(output, &files)?;
    out.write_all(derived.map.to_csv().as_bytes())?;
    out.commit()?;
    for notice in &derived.notices {
        say(format!("note: {notice}"));
    }
    let items = derived.items;
    say(format!(
        "form `{form}`: {} matched to {}{}",
        screenscore::text::count(items as u64, "field", "fields"),
        instrument.id(),
        if derived.map.has_recodes() {
            ", recoded by label"
        } else {
            ""
        }
    ));
    Ok(ExitCode::SUCCESS)
}

/// A dictionary error, in the file's name.
fn in_file(path: &Path, e: DictionaryError) -> Failure {
    match e {
        e @ DictionaryError::Read { .. } => Failure(e.to_string()),
        e => Failure(format!("{}: {e}", path.display())),
    }
}

/// `redcap skeleton`: the definition to the output, one line per left-out field to stderr.
fn skeleton(path: &Path, form: &str, output: Option<&Path>) -> Outcome {
    let mut files = RunFiles::new();
    files.input(path, "the data dictionary");
    if let Some(out) = output {
        files.output(out, "-o")?;
    }
    let in_file = |e| in_file(path, e);
    let dictionary = Dictionary::from_path(path).map_err(in_file)?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let skeleton = build_skeleton(&dictionary, form, &name).map_err(in_file)?;
    let text = skeleton.to_json_pretty();
    let mut out = Output::open(output, &files)?;
    out.write_all(text.as_bytes())?;
    out.commit()?;
    for left in &skeleton.left_out {
        inform(format!("note: {left}"));
    }
    let items = skeleton.definition["items"].as_array().map_or(0, Vec::len);
    say(format!(
        "{} from form `{}`; {}; status unvalidated: replace scale `placeholder_sum` with the \
         instrument's scoring",
        screenscore::text::count(items as u64, "item", "items"),
        skeleton.definition["name"]
            .as_str()
            .and_then(|n| n.strip_prefix("REDCap form "))
            .unwrap_or(form),
        screenscore::text::count(
            skeleton.left_out.len() as u64,
            "field left out",
            "fields left out"
        ),
    ));
    Ok(ExitCode::SUCCESS)
}
