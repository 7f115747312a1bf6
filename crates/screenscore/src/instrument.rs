//! [`Instrument`]: a definition that has been checked and compiled, ready to score.
//!
//! This module loads and checks definitions and reads what compiling resolved; it knows
//! nothing of scoring. The rest of `Instrument`'s methods live with what they use:
//! `builtin` and `builtins` in `registry`, `score` in `responses` (and the batch path,
//! `score_into`, in `engine`).

use std::path::Path;

use crate::compile::{
    AliasConflict, Plan, RunAlias, ScaleItem, ScaleKind, add_run_aliases, compile, option_named,
};
use crate::definition::{Definition, InstrumentStatus};
use crate::error::{DefinitionError, Error, Problem};

/// A screening instrument, checked and compiled once, then used to score any number of
/// administrations.
///
/// ```
/// use screenscore::Instrument;
///
/// let gad7 = Instrument::builtin("gad7")?;
/// assert_eq!(gad7.name(), "Generalized Anxiety Disorder 7-item scale");
/// assert_eq!(gad7.definition().items.len(), 7);
/// assert_eq!(gad7.scale_range("total"), Some((0.0, 21.0)));
/// # Ok::<(), screenscore::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Instrument {
    definition: Definition,
    plan: Plan,
    origin: String,
}

impl Instrument {
    /// Load a definition from a JSON file: a regular file of at most
    /// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES) (a device such as `/dev/zero`, a pipe or a huge
    /// file is refused rather than read into memory).
    ///
    /// ```
    /// let err = screenscore::Instrument::from_path("/dev/zero").unwrap_err();
    /// # #[cfg(unix)]
    /// assert!(err.to_string().contains("is not a regular file"));
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Instrument, Error> {
        let path = path.as_ref();
        let read_error = |source| Error::Read {
            path: path.to_path_buf(),
            source,
        };
        let bytes = crate::small_file::read(path).map_err(read_error)?;
        // Editors on Windows may save UTF-8 with a byte-order mark, or as UTF-16.
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
            Err("the file is UTF-16 text; save it as UTF-8")
        } else {
            std::str::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text")
        };
        let json =
            text.map_err(|e| read_error(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        Ok(Instrument::from_json_named(
            json,
            &path.display().to_string(),
        )?)
    }

    /// Load a definition from JSON text.
    ///
    /// ```
    /// let err = screenscore::Instrument::from_json(r#"{"id": "x", "nmae": "typo"}"#).unwrap_err();
    /// assert!(err.to_string().contains("unknown field `nmae`"));
    /// ```
    pub fn from_json(json: &str) -> Result<Instrument, DefinitionError> {
        Instrument::from_json_named(json, "<json>")
    }

    /// Load a definition from JSON text; `origin` names it in error messages (usually a path).
    pub fn from_json_named(json: &str, origin: &str) -> Result<Instrument, DefinitionError> {
        let definition = parse(json, origin)?;
        Instrument::from_definition_named(definition, origin)
    }

    /// Check and compile a definition built in code.
    pub fn from_definition(definition: Definition) -> Result<Instrument, DefinitionError> {
        Instrument::from_definition_named(definition, "<definition>")
    }

    fn from_definition_named(
        definition: Definition,
        origin: &str,
    ) -> Result<Instrument, DefinitionError> {
        let plan = compile(&definition).map_err(|problems| DefinitionError {
            origin: origin.to_string(),
            problems,
        })?;
        Ok(Instrument {
            definition,
            plan,
            origin: origin.to_string(),
        })
    }

    /// The definition.
    pub fn definition(&self) -> &Definition {
        &self.definition
    }

    /// The instrument's id (for example `phq9`).
    pub fn id(&self) -> &str {
        &self.definition.id
    }

    /// The instrument's full name.
    pub fn name(&self) -> &str {
        &self.definition.name
    }

    /// Whether the scoring is validated, provisional or unvalidated.
    pub fn status(&self) -> InstrumentStatus {
        self.definition.status
    }

    /// The notice for an instrument that is not validated, as the CLI prints it and the FHIR
    /// Observations carry it (`phq9 is PROVISIONAL: …`); `None` when it is validated.
    ///
    /// ```
    /// use screenscore::Instrument;
    ///
    /// assert_eq!(Instrument::builtin("phq9")?.status_notice(), None);
    /// let cffs = Instrument::builtin("cffs")?.status_notice().unwrap();
    /// assert!(cffs.starts_with("cffs is UNVALIDATED"), "{cffs}");
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn status_notice(&self) -> Option<String> {
        let id = self.id();
        match self.status() {
            InstrumentStatus::Validated => None,
            InstrumentStatus::Provisional => Some(format!(
                "{id} is PROVISIONAL: part of its scoring key rests on a secondary source"
            )),
            InstrumentStatus::Unvalidated => Some(format!(
                "{id} is UNVALIDATED: it is not a validated instrument and its scores are not for clinical decisions"
            )),
        }
    }

    /// Where the definition came from (a path, or `<json>`).
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The position of the item with this id in the definition's `items`.
    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.plan.item_ids.get(id).copied()
    }

    /// The position of the scale with this id in the definition's `scales`.
    pub fn scale_index(&self, id: &str) -> Option<usize> {
        self.plan.scale_ids.get(id).copied()
    }

    /// The lowest and highest possible score of a scale (with every item applying).
    pub fn scale_range(&self, id: &str) -> Option<(f64, f64)> {
        self.scale_index(id).map(|s| self.plan.scales[s].range)
    }

    /// The keyed items of the scale at `scale` (its position in the definition's `scales`):
    /// each item's position, its `min + max` when reverse-keyed, and its range; `None` for a
    /// derived or composite scale.
    pub(crate) fn scale_items(&self, scale: usize) -> Option<&[ScaleItem]> {
        match &self.plan.scales[scale].kind {
            ScaleKind::Items { items, .. } => Some(items),
            ScaleKind::Derived { .. } | ScaleKind::Composite { .. } => None,
        }
    }

    /// The position of the scale a derived scale is computed from; `None` for an item scale.
    pub(crate) fn derived_from(&self, scale: usize) -> Option<usize> {
        match &self.plan.scales[scale].kind {
            ScaleKind::Derived { from, .. } => Some(*from),
            ScaleKind::Items { .. } | ScaleKind::Composite { .. } => None,
        }
    }

    /// How many options the response set of the item at `item` has.
    pub(crate) fn option_count(&self, item: usize) -> usize {
        self.plan.sets[self.plan.items[item].set].options()
    }

    /// The value of option `option` of the item at `item`, if it has one.
    pub(crate) fn option_value(&self, item: usize, option: usize) -> Option<f64> {
        let option = u16::try_from(option).ok()?;
        self.plan.sets[self.plan.items[item].set].value(option)
    }

    /// The first option of the item at `item` whose value is `value`.
    pub(crate) fn option_with_value(&self, item: usize, value: f64) -> Option<usize> {
        self.plan.sets[self.plan.items[item].set]
            .option_with_value(value)
            .map(usize::from)
    }

    /// The id of the first response set that would take `text` as an answer.
    pub(crate) fn answer_set_accepting(&self, text: &str) -> Option<&str> {
        let matcher = self.plan.sets.iter().find(|m| m.accepts(text))?;
        Some(&self.definition.response_sets[matcher.set].id)
    }

    /// The option of the item at `item` that `text` names (a value, with a point or a comma
    /// as its decimal mark, a label, a code or an alias).
    pub(crate) fn option_named(&self, item: usize, text: &str) -> Option<usize> {
        option_named(&self.plan, item, text)
    }

    /// What the item at `item` accepts, for messages: `0, 1, 2, 3, or a label: "Not at all", …`.
    pub(crate) fn expected(&self, item: usize) -> &str {
        &self.plan.sets[self.plan.items[item].set].expected
    }

    /// This instrument, its items also accepting `aliases` (given for one run, as by a labels
    /// file); the definition is unchanged. On a conflict, the alias's position and why.
    pub(crate) fn with_run_aliases(
        &self,
        aliases: &[RunAlias],
    ) -> Result<Instrument, (usize, AliasConflict)> {
        let mut plan = self.plan.clone();
        add_run_aliases(&self.definition, &mut plan, aliases)?;
        Ok(Instrument {
            definition: self.definition.clone(),
            plan,
            origin: self.origin.clone(),
        })
    }

    /// The compiled plan, for scoring (the engine) and the sheet's views of it. Elsewhere, use
    /// the accessors above: the plan's enums are compilation's own.
    pub(crate) fn plan(&self) -> &Plan {
        &self.plan
    }
}

/// Parse definition JSON, reporting the JSON path of a parse error.
fn parse(json: &str, origin: &str) -> Result<Definition, DefinitionError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let result: Result<Definition, _> = serde_path_to_error::deserialize(&mut de);
    let fail = |path: String, message: String| DefinitionError {
        origin: origin.to_string(),
        problems: vec![Problem::new(path, message)],
    };
    let definition = result.map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        fail(path, e.into_inner().to_string())
    })?;
    de.end().map_err(|e| fail(String::new(), e.to_string()))?;
    Ok(definition)
}
