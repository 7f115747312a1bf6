//! Renaming input columns: a practice's export names (`PHQ9_Q1`) onto the item columns
//! screenscore expects (`phq9_1`).

use std::collections::HashMap;
use std::io;
use std::path::Path;

use super::BatchError;

/// Column renames, applied to the header before columns are matched to items.
///
/// A map file is a CSV with the header `from,to`:
///
/// ```
/// use screenscore::batch::ColumnMap;
///
/// let map = ColumnMap::from_csv("from,to\nPHQ9_Q1,phq9_1\nPHQ9_Q2,phq9_2\n".as_bytes())?;
/// assert_eq!(map.len(), 2);
/// # Ok::<(), screenscore::batch::BatchError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// `from`, lowercased for matching → `to`.
    renames: HashMap<String, String>,
    /// `to`, lowercased → `from` as given (two columns renamed to one name are refused).
    targets: HashMap<String, String>,
}

impl ColumnMap {
    /// No renames.
    pub fn new() -> ColumnMap {
        ColumnMap::default()
    }

    /// Rename column `from` (matched case-insensitively, trimmed) to `to`.
    pub fn insert(&mut self, from: &str, to: &str) -> Result<(), String> {
        let key = from.trim().to_lowercase();
        let to = to.trim();
        if key.is_empty() || to.is_empty() {
            return Err("both `from` and `to` must be given".to_string());
        }
        if self.renames.contains_key(&key) {
            return Err(format!("`{}` is renamed twice", from.trim()));
        }
        if let Some(f) = self.targets.get(&to.to_ascii_lowercase()) {
            return Err(format!(
                "`{}` and `{f}` are both renamed to `{to}`",
                from.trim()
            ));
        }
        self.targets
            .insert(to.to_ascii_lowercase(), from.trim().to_string());
        self.renames.insert(key, to.to_string());
        Ok(())
    }

    /// Read a map from the file `path`: a regular file of at most
    /// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES).
    pub fn from_path(path: impl AsRef<Path>) -> Result<ColumnMap, BatchError> {
        let path = path.as_ref();
        let bytes = crate::small_file::read(path).map_err(|source| BatchError::Read {
            what: "column map",
            path: path.to_path_buf(),
            source,
        })?;
        ColumnMap::from_csv(&bytes[..])
    }

    /// Read a map from CSV with the header `from,to`.
    pub fn from_csv(input: impl io::Read) -> Result<ColumnMap, BatchError> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
        let header = reader
            .headers()
            .map_err(|source| BatchError::Csv { source })?
            .clone();
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        if names != ["from", "to"] {
            return Err(BatchError::ColumnMap {
                line: 1,
                message: format!(
                    "expected the header `from,to`, found `{}`",
                    header.iter().collect::<Vec<_>>().join(",")
                ),
            });
        }
        let mut map = ColumnMap::new();
        for record in reader.records() {
            let record = record.map_err(|source| BatchError::Csv { source })?;
            let line = record.position().map_or(0, |p| p.line());
            if record.len() != 2 {
                return Err(BatchError::ColumnMap {
                    line,
                    message: format!("expected 2 cells (from,to), found {}", record.len()),
                });
            }
            map.insert(&record[0], &record[1])
                .map_err(|message| BatchError::ColumnMap { line, message })?;
        }
        Ok(map)
    }

    /// Number of renames.
    pub fn len(&self) -> usize {
        self.renames.len()
    }

    /// Whether there are no renames.
    pub fn is_empty(&self) -> bool {
        self.renames.is_empty()
    }

    /// The new name of a column, if it is renamed.
    pub(crate) fn rename(&self, name: &str) -> Option<String> {
        self.renames.get(&name.trim().to_lowercase()).cloned()
    }
}
