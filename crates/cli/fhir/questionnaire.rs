//! `fhir questionnaire` and `fhir import-questionnaire`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use screenscore::fhir::{questionnaire_of, skeleton_of};

use crate::files::{Output, RunFiles};
use crate::term::{inform, say};
use crate::{Failure, Outcome};

/// `fhir questionnaire ID`: the definition as an R4 Questionnaire.
pub fn write(instrument: &str, output: Option<&Path>) -> Outcome {
    let mut files = RunFiles::new();
    let instrument = crate::files::instrument(instrument, &mut files)?;
    if let Some(out) = output {
        files.output(out, "-o")?;
    }
    let questionnaire = questionnaire_of(&instrument);
    let mut text = serde_json::to_string_pretty(&questionnaire)
        .map_err(|e| Failure(format!("cannot write the Questionnaire: {e}")))?;
    text.push('\n');
    let mut out = Output::open(output, &files)?;
    out.write_all(text.as_bytes())?;
    out.commit()?;
    Ok(ExitCode::SUCCESS)
}

/// `fhir import-questionnaire Q.json`: a definition skeleton to the output, one line per
/// left-out item to standard error.
pub fn import(questionnaire: &Path, output: Option<&Path>) -> Outcome {
    let mut files = RunFiles::new();
    let q = super::score::questionnaire(questionnaire, &mut files)?;
    if let Some(out) = output {
        files.output(out, "-o")?;
    }
    let shown = questionnaire.display();
    let name = questionnaire
        .file_name()
        .map_or_else(|| shown.to_string(), |n| n.to_string_lossy().into_owned());
    let skeleton = skeleton_of(&q, &name).map_err(|e| Failure(format!("{shown}: {e}")))?;
    let mut out = Output::open(output, &files)?;
    out.write_all(skeleton.to_json_pretty().as_bytes())?;
    out.commit()?;
    for left in &skeleton.left_out {
        inform(format!("note: {left}"));
    }
    let items = skeleton.definition["items"].as_array().map_or(0, Vec::len);
    say(format!(
        "{} from {name}; {}; status unvalidated: replace scale `placeholder_sum` with the \
         instrument's scoring",
        screenscore::text::count(items as u64, "item", "items"),
        screenscore::text::count(
            skeleton.left_out.len() as u64,
            "item left out",
            "items left out"
        ),
    ));
    Ok(ExitCode::SUCCESS)
}
