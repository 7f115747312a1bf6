//! `screenscore redcap`: REDCap data dictionaries.

mod args;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use screenscore::redcap::{Dictionary, DictionaryError, build_skeleton};

pub use args::RedcapCommand;

use crate::files::{Output, RunFiles};
use crate::term::{inform, say};
use crate::{Failure, Outcome};

pub fn run(command: RedcapCommand) -> Outcome {
    match command {
        RedcapCommand::Skeleton {
            dictionary,
            form,
            output,
        } => skeleton(&dictionary, &form, output.as_deref()),
    }
}

/// `redcap skeleton`: the definition to the output, one line per left-out field to stderr.
fn skeleton(path: &Path, form: &str, output: Option<&Path>) -> Outcome {
    let mut files = RunFiles::new();
    files.input(path, "the data dictionary");
    if let Some(out) = output {
        files.output(out, "-o")?;
    }
    let in_file = |e: DictionaryError| match e {
        e @ DictionaryError::Read { .. } => Failure(e.to_string()),
        e => Failure(format!("{}: {e}", path.display())),
    };
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
