//! A definition as an R4 Questionnaire (`screenscore fhir questionnaire`), for an SDC form
//! renderer (LHC-Forms, tests/cli/lforms.rs).
//!
//! - `url`: the definition's first Questionnaire URL when it is the definition's own (its
//!   source's evidence is `authored`: written by the definition's authors for this
//!   definition); otherwise [`questionnaire_url`], `urn:screenscore:questionnaire:{id}`, with
//!   the definition's `version` in `version`. The published Questionnaires a definition lists
//!   (US Core's, the PCO IG's, LOINC's) are other artefacts, with their own wording and
//!   layout: their canonical URLs are not claimed for this one.
//! - Items: one per item of the definition, in order; `linkId` is `/` and the item's LOINC
//!   code where it has one (`/44250-9`, as US Core's PHQ-9 Questionnaire writes it), else the
//!   item id; `code` its codes; `prefix` its id; `text` its label (the definition's labels are
//!   short summaries in the project's words, never the copyrighted wording); `type: choice`;
//!   `required: true` when it is scored (PHQ-9 item 10 is there, not required); the item
//!   control `radio-button` ([`ITEM_CONTROL`]), so that a renderer shows every answer at once,
//!   as the paper forms do (LHC-Forms shows a drop-down list without it).
//! - Answer options: a `valueCoding` of the option's LOINC answer code (system
//!   `http://loinc.org`) where it has one, else of system [`answer_system`]
//!   (`urn:screenscore:answers:{id}:{response set}`) and code the option's value (or its own
//!   code, or its label, for an option without a value); `display` its label. The option's
//!   value is its weight, written twice: as `itemWeight`
//!   ([`ITEM_WEIGHT`](super::ITEM_WEIGHT), the FHIR Extensions Pack's name, which SDC's
//!   `weight()` reads) and as `ordinalValue` ([`ORDINAL_VALUE`](super::ORDINAL_VALUE), R4
//!   core's name, which US Core's PHQ-9 carries and LHC-Forms reads into an answer's score);
//!   both in `valueDecimal`, on the answer option.
//! - `copyright`: the licence's name and terms, and [`LOINC_NOTICE`] when the definition
//!   uses LOINC.

use crate::Instrument;
use crate::definition::{Code, Definition, Evidence, Item, LOINC_NOTICE, ResponseOption};

use super::datatypes::{Coding, Extension, ITEM_WEIGHT, ORDINAL_VALUE};
use super::questionnaire::{Questionnaire, QuestionnaireItem};
use super::value::{AnswerOption, AnswerValue};

/// The `url` of the Questionnaire of a definition that names none of its own:
/// `urn:screenscore:questionnaire:{id}` (its version is the Questionnaire's `version`).
pub fn questionnaire_url(id: &str) -> String {
    format!("urn:screenscore:questionnaire:{id}")
}

/// The code system of the answers of response set `set` of definition `id` that have no LOINC
/// answer code: `urn:screenscore:answers:{id}:{set}`; its codes are the options' values.
pub fn answer_system(id: &str, set: &str) -> String {
    format!("urn:screenscore:answers:{id}:{set}")
}

/// The R4 Questionnaire of `instrument`'s definition (see the module documentation).
///
/// ```
/// use screenscore::Instrument;
/// use screenscore::fhir::questionnaire_of;
///
/// let q = questionnaire_of(Instrument::builtin("phq9")?);
/// assert_eq!(q.url.as_deref(), Some("urn:screenscore:questionnaire:phq9"));
/// let first = &q.item[0];
/// assert_eq!(first.link_id, "/44250-9");
/// assert_eq!(first.required, Some(true));
/// assert_eq!(first.answer_option[3].weight(), Some(3.0));
/// assert_eq!(q.item[9].required, None);
/// # Ok::<(), screenscore::Error>(())
/// ```
pub fn questionnaire_of(instrument: &Instrument) -> Questionnaire {
    let definition = instrument.definition();
    let own = definition
        .questionnaires
        .first()
        .filter(|q| q.source.evidence == Evidence::Authored)
        .map(|q| q.url.clone());
    Questionnaire {
        id: Some(fhir_id(&definition.id)),
        url: Some(own.unwrap_or_else(|| questionnaire_url(&definition.id))),
        version: Some(definition.version.clone()),
        name: Some(computer_name(&definition.id)),
        title: Some(definition.name.clone()),
        status: Some("active".to_string()),
        copyright: Some(copyright(definition)),
        code: definition.codes.iter().map(coding).collect(),
        item: definition
            .items
            .iter()
            .map(|item| question(definition, item))
            .collect(),
        ..Questionnaire::default()
    }
}

/// The linkId of `item`: `/` and its first LOINC code, else its id.
pub fn link_id(item: &Item) -> String {
    match item.codes.iter().find(|c| c.is_loinc()) {
        Some(code) => format!("/{}", code.code),
        None => item.id.clone(),
    }
}

fn question(definition: &Definition, item: &Item) -> QuestionnaireItem {
    let set = definition
        .response_sets
        .iter()
        .find(|s| s.id == item.response_set);
    QuestionnaireItem {
        link_id: link_id(item),
        code: item.codes.iter().map(coding).collect(),
        prefix: Some(item.id.clone()),
        text: Some(item.label.clone()),
        type_: Some("choice".to_string()),
        extension: vec![radio_buttons()],
        required: item.scored.then_some(true),
        answer_option: set
            .map(|set| {
                set.options
                    .iter()
                    .map(|o| answer(&answer_system(&definition.id, &set.id), o))
                    .collect()
            })
            .unwrap_or_default(),
        ..QuestionnaireItem::default()
    }
}

/// The `questionnaire-itemControl` extension (R4 core,
/// <https://hl7.org/fhir/R4/extension-questionnaire-itemcontrol.html>) of code `radio-button`:
/// every answer shown at once, as on a paper form, rather than in a drop-down list.
fn radio_buttons() -> Extension {
    let coding = Coding::new(ITEM_CONTROL_SYSTEM, "radio-button").with_display("Radio Button");
    Extension::new(
        ITEM_CONTROL,
        "valueCodeableConcept",
        serde_json::json!({ "coding": [coding] }),
    )
}

/// The URL of the item control extension.
pub const ITEM_CONTROL: &str = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl";

/// The code system of item controls (<https://hl7.org/fhir/R4/codesystem-questionnaire-item-control.html>).
const ITEM_CONTROL_SYSTEM: &str = "http://hl7.org/fhir/questionnaire-item-control";

fn answer(system: &str, option: &ResponseOption) -> AnswerOption {
    let loinc = option
        .code
        .as_deref()
        .filter(|c| crate::definition::is_loinc_answer(c));
    let coding = match loinc {
        Some(code) => Coding::new(crate::definition::LOINC_SYSTEM, code),
        None => {
            let code = option
                .value
                .map(crate::format_score)
                .or_else(|| option.code.clone())
                .unwrap_or_else(|| option.label.clone());
            Coding::new(system, code)
        }
    };
    let extension = match option.value {
        Some(v) => vec![
            Extension::new(ITEM_WEIGHT, "valueDecimal", crate::skeleton::number(v)),
            Extension::new(ORDINAL_VALUE, "valueDecimal", crate::skeleton::number(v)),
        ],
        None => Vec::new(),
    };
    AnswerOption {
        extension,
        value: AnswerValue::Coding(coding.with_display(option.label.clone())),
        initial_selected: None,
    }
}

fn coding(code: &Code) -> Coding {
    let coding = Coding::new(code.system.clone(), code.code.clone());
    match &code.display {
        Some(display) => coding.with_display(display.clone()),
        None => coding,
    }
}

fn copyright(definition: &Definition) -> String {
    let license = &definition.license;
    let mut text = format!("{}. {}", license.name.trim_end_matches('.'), license.terms);
    if definition.uses_loinc() {
        text.push_str("\n\n");
        text.push_str(LOINC_NOTICE);
    }
    text
}

/// A definition id as a FHIR id (`[A-Za-z0-9\-\.]{1,64}`): `_` becomes `-`.
fn fhir_id(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(64)
        .collect()
}

/// A definition id as a Questionnaire `name` (starts with a capital, letters, digits, `_`).
fn computer_name(id: &str) -> String {
    let mut name: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    if !name.starts_with(|c: char| c.is_ascii_uppercase()) {
        name.insert(0, 'Q');
    }
    name
}
