//! [`ResponseReader`]: QuestionnaireResponses from a file of one resource, a Bundle or NDJSON,
//! streamed.
//!
//! How a Bundle is streamed: the reader scans the top-level object itself (keys, `:`, `,`),
//! hands every value but `entry` to serde_json one at a time (kept only while the type is not
//! known to be Bundle), and walks the `entry` array one element per call of `next`, each element
//! read by serde_json as a `Value` of its own, checked and converted, then dropped. Memory holds
//! one entry at a time, whatever the number of entries; an entry larger than
//! [`MAX_LINE`](crate::batch::limit::MAX_LINE) is an error that ends the input.
//!
//! How NDJSON is recognised: the first object is read as above; when more content follows it,
//! the input is NDJSON, the first object is its first line, and the rest is read line by line
//! into one reused buffer (a line over the limit is skipped unread: an error for that line).
//! An error in the first object while still on line 1 skips that line and goes on when the next
//! non-blank line starts with `{`: a bad first line of an NDJSON file loses only itself.

use std::collections::BTreeMap;
use std::io::Read;

use serde_json::{Map, Value};

use super::error::{FhirError, InvalidResource};
use super::response::QuestionnaireResponse;
use super::scan::{Scan, ValueError, strip_position};
use crate::batch::limit::MAX_LINE;

/// Where a response was read: the file, the line, the Bundle entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    /// The file, as the caller named it.
    pub file: Option<String>,
    /// The NDJSON line, or the line where the resource (or its Bundle entry) starts.
    pub line: u64,
    /// The Bundle entry's index (from 0).
    pub entry: Option<usize>,
    /// The Bundle entry's `fullUrl`.
    pub full_url: Option<String>,
}

/// A response and where it was read.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    /// The response.
    pub response: QuestionnaireResponse,
    /// Where it was read.
    pub origin: Origin,
}

/// Where the reader is.
enum State {
    /// Nothing read yet.
    Start,
    /// Inside the top-level object, before a key (or its end).
    TopLevel,
    /// Inside the `entry` array of a Bundle.
    Entries,
    /// NDJSON, line by line.
    Ndjson,
    /// Done.
    Done,
}

/// QuestionnaireResponses read from FHIR JSON: a single QuestionnaireResponse, a Bundle (its
/// entries of other types skipped and counted), or NDJSON (one resource per line, as a Bulk Data
/// export writes them; blank lines skipped, other types skipped and counted). The kind is told
/// from the content. An error of one line or entry is one item, and reading goes on; an error of
/// the whole input is the last item.
///
/// ```
/// use screenscore::fhir::ResponseReader;
///
/// let ndjson = concat!(
///     r#"{"resourceType":"Patient","id":"p"}"#, "\n",
///     r#"{"resourceType":"QuestionnaireResponse","id":"a","status":"completed"}"#, "\n",
///     "\n",
///     r#"{"resourceType":"QuestionnaireResponse","id":"b","item":[{"linkId":"1","answer":[{"valueInteger":1,"valueString":"1"}]}]}"#, "\n",
/// );
/// let mut reader = ResponseReader::new(ndjson.as_bytes(), Some("export.ndjson".into()));
/// let first = reader.next().unwrap()?;
/// assert_eq!((first.response.id.as_deref(), first.origin.line), (Some("a"), 2));
/// let second = reader.next().unwrap().unwrap_err();
/// assert_eq!(second.line(), Some(4));
/// assert!(reader.next().is_none());
/// assert_eq!(reader.skipped().get("Patient"), Some(&1));
/// # Ok::<(), screenscore::fhir::FhirError>(())
/// ```
pub struct ResponseReader<R: Read> {
    scan: Scan<R>,
    file: Option<String>,
    state: State,
    skipped: BTreeMap<String, u64>,
    /// The top-level object's `resourceType`, once read.
    kind: Option<String>,
    /// Its other members, while it may be a single resource.
    members: Map<String, Value>,
    /// The line where it starts.
    top_line: u64,
    /// Members read so far before the first key or after a value (`,` expected).
    after_member: bool,
    /// The next entry's index.
    entry: usize,
    /// The line buffer of NDJSON.
    line: Vec<u8>,
}

/// What a step of the reader gives.
type Step = Option<Result<Located, FhirError>>;

impl<R: Read> ResponseReader<R> {
    /// A reader of `input`; `file` names it in each [`Origin`].
    pub fn new(input: R, file: Option<String>) -> ResponseReader<R> {
        ResponseReader {
            scan: Scan::new(input),
            file,
            state: State::Start,
            skipped: BTreeMap::new(),
            kind: None,
            members: Map::new(),
            top_line: 1,
            after_member: false,
            entry: 0,
            line: Vec::new(),
        }
    }

    /// The file read, as given.
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// Resources of other types skipped so far, by type.
    pub fn skipped(&self) -> &BTreeMap<String, u64> {
        &self.skipped
    }

    fn origin(&self, line: u64, entry: Option<usize>, full_url: Option<String>) -> Origin {
        Origin {
            file: self.file.clone(),
            line,
            entry,
            full_url,
        }
    }

    /// Ends the input with `error`.
    fn fail(&mut self, error: FhirError) -> Step {
        self.state = State::Done;
        Some(Err(error))
    }

    /// One step: an item, or `None` when the step gave none (the caller steps again) — the
    /// state says whether there is more.
    fn step(&mut self) -> Step {
        match self.state {
            State::Done => None,
            State::Start => self.start(),
            State::TopLevel => self.member(),
            State::Entries => self.next_entry(),
            State::Ndjson => self.ndjson_line(),
        }
    }

    fn start(&mut self) -> Step {
        if let Err(e) = self.scan.skip_bom() {
            return self.fail(e.into());
        }
        match self.scan.skip_ws() {
            Err(e) => self.fail(e.into()),
            Ok(None) => {
                self.state = State::Done;
                None
            }
            Ok(Some(b'{')) => {
                self.top_line = self.scan.pos().line;
                self.scan.consume(1);
                self.state = State::TopLevel;
                None
            }
            Ok(Some(b)) => self.fail(FhirError::NotJson { found: describe(b) }),
        }
    }

    /// The next member of the top-level object, or its end.
    fn member(&mut self) -> Step {
        let next = match self.scan.skip_ws() {
            Ok(next) => next,
            Err(e) => return self.fail(e.into()),
        };
        match next {
            Some(b'}') => {
                self.scan.consume(1);
                return self.end_of_top();
            }
            Some(b',') if self.after_member => {
                self.scan.consume(1);
                self.after_member = false;
                return None;
            }
            Some(b'"') if !self.after_member => {}
            None => return self.top_error(self.json_error("EOF while parsing an object")),
            Some(_) => {
                let expected = if self.after_member {
                    "`,` or `}`"
                } else {
                    "a key"
                };
                let message = format!("expected {expected}");
                return self.top_error(self.json_error(&message));
            }
        }
        let key: String = match self.scan.value(1 << 10) {
            Ok(key) => key,
            Err(e) => return self.top_error(self.value_error(e)),
        };
        match self.scan.skip_ws() {
            Ok(Some(b':')) => self.scan.consume(1),
            Ok(_) => return self.top_error(self.json_error("expected `:`")),
            Err(e) => return self.fail(e.into()),
        }
        self.after_member = true;
        let bundle_or_unknown = matches!(self.kind.as_deref(), None | Some("Bundle"));
        if key == "entry" && bundle_or_unknown {
            match self.scan.skip_ws() {
                Ok(Some(b'[')) => {
                    self.scan.consume(1);
                    self.entry = 0;
                    self.state = State::Entries;
                    return None;
                }
                Ok(_) => {}
                Err(e) => return self.fail(e.into()),
            }
        }
        let value = match self.top_value() {
            Ok(value) => value,
            Err(e) => return self.top_error(e),
        };
        if key == "resourceType" {
            match value.as_str() {
                Some(kind) => self.kind = Some(kind.to_owned()),
                None => {
                    let invalid = InvalidResource {
                        path: "resourceType".into(),
                        message: format!("not a string: {value}"),
                    };
                    return self.fail(self.invalid(self.top_line, None, invalid));
                }
            }
        }
        if self.kind.as_deref() != Some("Bundle") {
            self.members.insert(key, value);
        }
        None
    }

    /// A value of the top-level object or of the entry list, its size counted against the
    /// limit.
    fn top_value(&mut self) -> Result<Value, FhirError> {
        let line = self.scan.pos().line;
        let result = match self.scan.skip_ws()? {
            Some(b'-' | b'0'..=b'9') => self.scan.number(),
            _ => self.scan.value(MAX_LINE as u64),
        };
        result.map_err(|e| match e {
            ValueError::TooLarge if matches!(self.state, State::Entries) => FhirError::TooLarge {
                line,
                limit_mib: MAX_LINE >> 20,
            },
            e => self.value_error(e),
        })
    }

    /// An error in the top-level object: on line 1 with more lines starting with `{` after it,
    /// an error of the first NDJSON line; otherwise the end.
    fn top_error(&mut self, error: FhirError) -> Step {
        if self.top_line == 1 && self.scan.pos().line == 1 && !matches!(error, FhirError::Io(_)) {
            if self.kind.as_deref() == Some("Bundle") && self.entry > 0 {
                return self.fail(error);
            }
            let error = match error {
                FhirError::TooLarge { .. } => FhirError::LineTooLong {
                    line: 1,
                    limit_mib: MAX_LINE >> 20,
                },
                other => other,
            };
            if let Err(e) = self.scan.skip_line() {
                return self.fail(e.into());
            }
            match self.scan.skip_ws() {
                Ok(Some(b'{')) => {
                    self.state = State::Ndjson;
                    return Some(Err(error));
                }
                Ok(_) => return self.fail(error),
                Err(e) => return self.fail(e.into()),
            }
        }
        self.fail(error)
    }

    /// The top-level object has ended: a Bundle is done; a single resource is given, or is the
    /// first line of NDJSON when more follows.
    fn end_of_top(&mut self) -> Step {
        let end_line = self.scan.pos().line;
        let more = match self.scan.skip_ws() {
            Ok(next) => next,
            Err(e) => return self.fail(e.into()),
        };
        let members = std::mem::take(&mut self.members);
        let kind = self.kind.take();
        if kind.as_deref() == Some("Bundle") || (kind.is_none() && self.entry > 0) {
            if more.is_some() {
                let pos = self.scan.pos();
                return self.fail(FhirError::TrailingContent {
                    line: pos.line,
                    column: pos.column,
                });
            }
            self.state = State::Done;
            return match kind {
                Some(_) => None,
                None => Some(Err(FhirError::NoResourceType {
                    line: self.top_line,
                    entry: None,
                })),
            };
        }
        let ndjson = more.is_some() && self.top_line == 1 && end_line == 1;
        if more.is_some() && !ndjson {
            let pos = self.scan.pos();
            return self.fail(FhirError::TrailingContent {
                line: pos.line,
                column: pos.column,
            });
        }
        self.state = if ndjson { State::Ndjson } else { State::Done };
        let line = self.top_line;
        let Some(kind) = kind else {
            return Some(Err(FhirError::NoResourceType { line, entry: None }));
        };
        if kind != "QuestionnaireResponse" {
            if ndjson {
                *self.skipped.entry(kind).or_default() += 1;
                return None;
            }
            return Some(Err(FhirError::WrongResourceType { line, found: kind }));
        }
        let mut members = members;
        members.insert("resourceType".into(), Value::String(kind));
        Some(self.response(Value::Object(members), line, None, None))
    }

    /// The next entry of the Bundle's `entry` array, or its end.
    fn next_entry(&mut self) -> Step {
        let next = match self.scan.skip_ws() {
            Ok(next) => next,
            Err(e) => return self.fail(e.into()),
        };
        match next {
            Some(b']') => {
                self.scan.consume(1);
                self.state = State::TopLevel;
                return None;
            }
            Some(b',') if self.entry > 0 => {
                self.scan.consume(1);
                if let Err(e) = self.scan.skip_ws() {
                    return self.fail(e.into());
                }
            }
            None => return self.fail(self.json_error("EOF while parsing the entry list")),
            Some(_) if self.entry == 0 => {}
            Some(_) => return self.fail(self.json_error("expected `,` or `]`")),
        }
        let index = self.entry;
        self.entry += 1;
        let line = self.scan.pos().line;
        let entry = match self.top_value() {
            Ok(entry) => entry,
            Err(e) => return self.fail(e),
        };
        let Value::Object(mut entry) = entry else {
            return Some(Err(FhirError::BadEntry {
                line,
                entry: index,
                message: format!("not an object: {}", short(&entry)),
            }));
        };
        let full_url = entry
            .get("fullUrl")
            .and_then(Value::as_str)
            .map(str::to_owned);
        // An entry without a resource (a deletion in a transaction) gives nothing.
        let resource = entry.remove("resource")?;
        match resource.get("resourceType").and_then(Value::as_str) {
            Some("QuestionnaireResponse") => {
                Some(self.response(resource, line, Some(index), full_url))
            }
            Some("Bundle") => Some(Err(FhirError::NestedBundle { entry: index, line })),
            Some(other) => {
                *self.skipped.entry(other.to_owned()).or_default() += 1;
                None
            }
            None => Some(Err(FhirError::NoResourceType {
                line,
                entry: Some(index),
            })),
        }
    }

    /// The next line of NDJSON.
    fn ndjson_line(&mut self) -> Step {
        let line_no = self.scan.pos().line;
        let mut buf = std::mem::take(&mut self.line);
        let step = match self.scan.read_line(&mut buf, MAX_LINE) {
            Err(e) => self.fail(e.into()),
            Ok(None) => {
                self.state = State::Done;
                None
            }
            Ok(Some(false)) => Some(Err(FhirError::LineTooLong {
                line: line_no,
                limit_mib: MAX_LINE >> 20,
            })),
            Ok(Some(true)) => self.ndjson_resource(&buf, line_no),
        };
        self.line = buf;
        step
    }

    fn ndjson_resource(&mut self, line: &[u8], line_no: u64) -> Step {
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            return None;
        }
        // The common case, read straight into its type (serde_json checks the UTF-8); anything
        // else (another resource type, an error to locate by its path) through a `Value`.
        // (The type reads a missing resourceType as its own: the line must name one.)
        let named = memchr::memmem::find(line, b"\"resourceType\"").is_some();
        if let Some(response) = named
            .then(|| serde_json::from_slice::<QuestionnaireResponse>(line).ok())
            .flatten()
        {
            return Some(Ok(Located {
                response,
                origin: self.origin(line_no, None, None),
            }));
        }
        if std::str::from_utf8(line).is_err() {
            return Some(Err(FhirError::NotUtf8 { line: line_no }));
        }
        let value: Value = match serde_json::from_slice(line) {
            Ok(value) => value,
            Err(e) => {
                return Some(Err(FhirError::Json {
                    line: line_no,
                    column: e.column() as u64,
                    message: strip_position(&e.to_string()),
                }));
            }
        };
        match value.get("resourceType").and_then(Value::as_str) {
            Some("QuestionnaireResponse") => Some(self.response(value, line_no, None, None)),
            Some(other) => {
                *self.skipped.entry(other.to_owned()).or_default() += 1;
                None
            }
            None => Some(Err(FhirError::NoResourceType {
                line: line_no,
                entry: None,
            })),
        }
    }

    /// A QuestionnaireResponse from its JSON.
    fn response(
        &self,
        value: Value,
        line: u64,
        entry: Option<usize>,
        full_url: Option<String>,
    ) -> Result<Located, FhirError> {
        match serde_path_to_error::deserialize::<_, QuestionnaireResponse>(value) {
            Ok(response) => Ok(Located {
                response,
                origin: self.origin(line, entry, full_url),
            }),
            Err(e) => Err(self.invalid(line, entry, InvalidResource::from_path(e))),
        }
    }

    fn invalid(&self, line: u64, entry: Option<usize>, invalid: InvalidResource) -> FhirError {
        FhirError::Invalid {
            line,
            entry,
            invalid,
        }
    }

    /// A syntax error at the current position.
    fn json_error(&self, message: &str) -> FhirError {
        let pos = self.scan.pos();
        FhirError::Json {
            line: pos.line,
            column: pos.column,
            message: message.to_owned(),
        }
    }

    fn value_error(&self, e: ValueError) -> FhirError {
        match e {
            ValueError::Io(e) => FhirError::Io(e),
            ValueError::TooLarge => FhirError::TooLarge {
                line: self.top_line,
                limit_mib: MAX_LINE >> 20,
            },
            ValueError::Json {
                line, utf8: true, ..
            } => FhirError::NotUtf8 { line },
            ValueError::Json {
                line,
                column,
                message,
                ..
            } => FhirError::Json {
                line,
                column,
                message,
            },
        }
    }
}

impl<R: Read> Iterator for ResponseReader<R> {
    type Item = Result<Located, FhirError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.step() {
                return Some(item);
            }
            if matches!(self.state, State::Done) {
                return None;
            }
        }
    }
}

/// A value in a message: its JSON, cut at 40 characters.
fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

/// A first byte, in words.
fn describe(b: u8) -> String {
    match b {
        b'[' => "`[` (a JSON array)".into(),
        b'<' => "`<` (XML?)".into(),
        0xFF | 0xFE => "a UTF-16 byte-order mark".into(),
        b if b.is_ascii_graphic() => format!("`{}`", b as char),
        b => format!("byte 0x{b:02X}"),
    }
}
