//! The errors of reading FHIR JSON.

use std::fmt;
use std::io;

/// A resource that is JSON but does not fit its type: where (a JSON path such as
/// `item[3].answer[0].valueInteger`, empty for the resource itself) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidResource {
    /// The JSON path of the element, empty for the resource itself.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl InvalidResource {
    pub(crate) fn from_path(e: serde_path_to_error::Error<serde_json::Error>) -> InvalidResource {
        let path = e.path().to_string();
        InvalidResource {
            path: if path == "." { String::new() } else { path },
            message: e.into_inner().to_string(),
        }
    }
}

impl fmt::Display for InvalidResource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for InvalidResource {}

/// What went wrong reading responses ([`ResponseReader`](super::ResponseReader)).
///
/// Errors of one NDJSON line or one Bundle entry are one item of the iteration, which goes on
/// with the next line or entry; an error of the whole input (not JSON, malformed JSON outside an
/// NDJSON line, a resource over the limit) is the
/// last item.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FhirError {
    /// The input could not be read.
    #[error("cannot read the input: {0}")]
    Io(#[from] io::Error),
    /// The input does not start with a JSON object.
    #[error("not FHIR JSON: the input starts with {found}, not `{{`")]
    NotJson {
        /// What it starts with.
        found: String,
    },
    /// Malformed JSON.
    #[error("line {line}, column {column}: malformed JSON: {message}")]
    Json {
        /// The line (1-based).
        line: u64,
        /// The column (1-based, in bytes).
        column: u64,
        /// serde_json's description.
        message: String,
    },
    /// A line that is not UTF-8.
    #[error("line {line}: not UTF-8 text")]
    NotUtf8 {
        /// The line.
        line: u64,
    },
    /// An NDJSON line longer than the limit (skipped without being held in memory).
    #[error("line {line}: longer than {limit_mib} MiB, skipped")]
    LineTooLong {
        /// The line.
        line: u64,
        /// The limit.
        limit_mib: usize,
    },
    /// A resource (a whole file, or one Bundle entry) larger than the limit.
    #[error("line {line}: a resource larger than {limit_mib} MiB")]
    TooLarge {
        /// Where the resource starts.
        line: u64,
        /// The limit.
        limit_mib: usize,
    },
    /// A file of one resource that is not a QuestionnaireResponse or a Bundle.
    #[error("line {line}: a {found}, not a QuestionnaireResponse or a Bundle")]
    WrongResourceType {
        /// Where the resource starts.
        line: u64,
        /// Its resourceType.
        found: String,
    },
    /// A Bundle in a Bundle's entry.
    #[error("line {line}: entry {entry} of the Bundle is a Bundle; nested Bundles are not read")]
    NestedBundle {
        /// The entry's index (from 0).
        entry: usize,
        /// Where the entry starts.
        line: u64,
    },
    /// A Bundle entry that is not an object.
    #[error("line {line} (entry {entry}): {message}")]
    BadEntry {
        /// Where the entry starts.
        line: u64,
        /// The entry's index.
        entry: usize,
        /// What it is.
        message: String,
    },
    /// An object without a `resourceType`.
    #[error("line {line}{}: no resourceType", entry_words(*.entry))]
    NoResourceType {
        /// Where the object starts.
        line: u64,
        /// The Bundle entry, if in a Bundle.
        entry: Option<usize>,
    },
    /// A QuestionnaireResponse that does not fit the R4 types.
    #[error("line {line}{}: not a valid QuestionnaireResponse: {invalid}", entry_words(*.entry))]
    Invalid {
        /// Where the resource starts.
        line: u64,
        /// The Bundle entry, if in a Bundle.
        entry: Option<usize>,
        /// What does not fit.
        invalid: InvalidResource,
    },
    /// Content after the end of a Bundle.
    #[error("line {line}, column {column}: content after the end of the Bundle")]
    TrailingContent {
        /// The line.
        line: u64,
        /// The column.
        column: u64,
    },
}

fn entry_words(entry: Option<usize>) -> String {
    entry.map(|e| format!(" (entry {e})")).unwrap_or_default()
}

impl FhirError {
    /// The line the error is on (where its resource starts), if any.
    pub fn line(&self) -> Option<u64> {
        match self {
            FhirError::Io(_) | FhirError::NotJson { .. } => None,
            FhirError::Json { line, .. }
            | FhirError::NotUtf8 { line }
            | FhirError::LineTooLong { line, .. }
            | FhirError::TooLarge { line, .. }
            | FhirError::WrongResourceType { line, .. }
            | FhirError::NestedBundle { line, .. }
            | FhirError::BadEntry { line, .. }
            | FhirError::NoResourceType { line, .. }
            | FhirError::Invalid { line, .. }
            | FhirError::TrailingContent { line, .. } => Some(*line),
        }
    }

    /// The Bundle entry the error is about, if any.
    pub fn entry(&self) -> Option<usize> {
        match self {
            FhirError::NestedBundle { entry, .. } | FhirError::BadEntry { entry, .. } => {
                Some(*entry)
            }
            FhirError::NoResourceType { entry, .. } | FhirError::Invalid { entry, .. } => *entry,
            _ => None,
        }
    }
}
