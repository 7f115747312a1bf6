//! [`Instrument`]: a definition that has been checked and compiled, ready to score.

use std::path::Path;

use crate::compile::{Plan, compile};
use crate::definition::{Definition, InstrumentStatus};
use crate::engine::{self, Input};
use crate::error::{DefinitionError, Error, Problem};
use crate::responses::Responses;
use crate::sheet::ScoreSheet;

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
    /// A built-in instrument by id (`phq9`, `gad7`, …): parsed and checked once per process.
    ///
    /// ```
    /// let err = screenscore::Instrument::builtin("phq8").unwrap_err();
    /// assert!(err.to_string().starts_with("unknown instrument `phq8`"));
    /// ```
    pub fn builtin(id: &str) -> Result<&'static Instrument, Error> {
        crate::registry::builtin(id)
    }

    /// Every built-in instrument, in catalogue order.
    pub fn builtins() -> impl Iterator<Item = &'static Instrument> {
        crate::registry::builtins()
    }

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

    /// The id of the first response set that would take `text` as an answer.
    pub(crate) fn answer_set_accepting(&self, text: &str) -> Option<&str> {
        let s = self.plan.sets.iter().position(|m| m.accepts(text))?;
        Some(&self.definition.response_sets[s].id)
    }

    /// Score one administration.
    ///
    /// Bad cells are not errors of this call: they make the sheet's status `invalid` and are
    /// listed in [`ScoreSheet::errors`]. The call fails only when `responses` names an item or
    /// attribute the instrument does not have.
    ///
    /// ```
    /// use screenscore::{Instrument, Responses, Status};
    ///
    /// let gad7 = Instrument::builtin("gad7")?;
    /// let sheet = gad7.score(&Responses::in_order(["3", "0", "1", "2", "0", "0", "1"]))?;
    /// assert_eq!(sheet.total(), Some(7.0));
    /// assert_eq!(sheet.scale("total").unwrap().band(), Some("mild"));
    ///
    /// let sheet = gad7.score(&Responses::in_order(["3", "0", "9", "2", "0", "0", "1"]))?;
    /// assert_eq!(sheet.status(), Status::Invalid);
    /// let error = sheet.errors().next().unwrap();
    /// assert_eq!(error.id(), "3");
    /// assert!(error.to_string().starts_with("\"9\" is not an answer to this item"));
    /// # Ok::<(), screenscore::Error>(())
    /// ```
    pub fn score(&self, responses: &Responses) -> Result<ScoreSheet<'_>, Error> {
        let resolved = responses.resolve(self)?;
        let mut sheet = ScoreSheet::new(self);
        engine::score(&resolved, &mut sheet);
        Ok(sheet)
    }

    /// Score cells read through `input` into a reused sheet (the batch path).
    pub(crate) fn score_into(&self, input: &impl Input, sheet: &mut ScoreSheet<'_>) {
        debug_assert!(std::ptr::eq(sheet.instrument, self));
        engine::score(input, sheet);
    }

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
