//! Renaming input columns: a practice's export names (`PHQ9_Q1`) onto the item columns
//! screenscore expects (`phq9_1`).

use std::io;

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
    /// `(from, lowercased for matching; to)`.
    renames: Vec<(String, String)>,
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
        if self.renames.iter().any(|(f, _)| *f == key) {
            return Err(format!("`{}` is renamed twice", from.trim()));
        }
        if let Some((f, _)) = self
            .renames
            .iter()
            .find(|(_, t)| t.eq_ignore_ascii_case(to))
        {
            return Err(format!(
                "`{}` and `{f}` are both renamed to `{to}`",
                from.trim()
            ));
        }
        self.renames.push((key, to.to_string()));
        Ok(())
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
        let key = name.trim().to_lowercase();
        self.renames
            .iter()
            .find(|(f, _)| *f == key)
            .map(|(_, t)| t.clone())
    }
}
