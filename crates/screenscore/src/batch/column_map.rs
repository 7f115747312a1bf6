//! Renaming input columns: a practice's export names (`PHQ9_Q1`) onto the item columns
//! screenscore expects (`phq9_1`).

use std::collections::HashMap;
use std::io;
use std::path::Path;

use super::BatchError;
use super::reader::RecordReader;
use super::record::Record;

/// Column renames, applied to the header before columns are matched to items.
///
/// A map file is a CSV with the header `from,to`, or `from,to,recode` where a line may also
/// say how the column's codes become the definition's values (`1=0|2=1|3=2|4=3`, written by
/// `screenscore redcap map --recode-by-label` and used with a REDCap data dictionary):
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
    /// `(from, to)` as given (trimmed), in the order given.
    entries: Vec<(String, String)>,
    /// `to`, lowercased → `(code, value)` pairs.
    recodes: HashMap<String, Vec<(String, String)>>,
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
        self.entries.push((from.trim().to_string(), to.to_string()));
        Ok(())
    }

    /// Rename column `from` to `to`, its codes becoming the definition's values as `recode`
    /// says (`(code, value)` pairs).
    ///
    /// ```
    /// use screenscore::batch::ColumnMap;
    ///
    /// let mut map = ColumnMap::new();
    /// map.insert_recoded("q1", "phq9_1", vec![("1".into(), "0".into()), ("2".into(), "1".into())])?;
    /// assert_eq!(map.recode("PHQ9_1").unwrap()[1], ("2".to_string(), "1".to_string()));
    /// assert_eq!(map.to_csv(), "from,to,recode\nq1,phq9_1,1=0|2=1\n");
    /// assert_eq!(ColumnMap::from_csv(map.to_csv().as_bytes())?, map);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn insert_recoded(
        &mut self,
        from: &str,
        to: &str,
        recode: Vec<(String, String)>,
    ) -> Result<(), String> {
        self.insert(from, to)?;
        if !recode.is_empty() {
            self.recodes.insert(to.trim().to_lowercase(), recode);
        }
        Ok(())
    }

    /// How the codes of the column renamed to `to` become the definition's values, when the
    /// map says.
    pub fn recode(&self, to: &str) -> Option<&[(String, String)]> {
        self.recodes
            .get(&to.trim().to_lowercase())
            .map(Vec::as_slice)
    }

    /// Whether any line recodes values.
    pub fn has_recodes(&self) -> bool {
        !self.recodes.is_empty()
    }

    /// The column renamed to `to`, as the map gives it.
    pub fn source_of(&self, to: &str) -> Option<&str> {
        self.targets
            .get(&to.trim().to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The renames, `(from, to)`, in the order given.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(f, t)| (f.as_str(), t.as_str()))
    }

    /// The map as a file: `from,to` lines, with a third column `recode` when a line recodes.
    pub fn to_csv(&self) -> String {
        let mut out = csv::Writer::from_writer(Vec::new());
        let recodes = self.has_recodes();
        let header: &[&str] = if recodes {
            &["from", "to", "recode"]
        } else {
            &["from", "to"]
        };
        let mut lines = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        for (from, to) in &self.entries {
            let mut line = vec![from.clone(), to.clone()];
            if recodes {
                let pairs = self.recode(to).unwrap_or_default();
                let cells: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}={b}")).collect();
                line.push(cells.join("|"));
            }
            lines.push(line);
        }
        for line in lines {
            out.write_record(&line).expect("writing to memory");
        }
        String::from_utf8(out.into_inner().expect("writing to memory")).expect("UTF-8 cells")
    }

    /// Read a map from the file `path`: a regular file of at most
    /// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES).
    pub fn from_path(path: impl AsRef<Path>) -> Result<ColumnMap, BatchError> {
        ColumnMap::from_csv(&read(path.as_ref())?[..])
    }

    /// Read a map from the file `path`, as [`ColumnMap::from_csv_like_data`] reads it.
    pub fn from_path_like_data(
        path: impl AsRef<Path>,
        delimiter: u8,
    ) -> Result<ColumnMap, BatchError> {
        ColumnMap::from_csv_like_data(&read(path.as_ref())?, delimiter)
    }

    /// Read a map written with commas, or with the data's own `delimiter`: a map whose header
    /// is one cell holding that delimiter (`from;to` beside a `;`-separated intake file) is
    /// read with it.
    ///
    /// ```
    /// use screenscore::batch::ColumnMap;
    ///
    /// let map = ColumnMap::from_csv_like_data(b"from;to\nPHQ9_Q1;phq9_1\n", b';')?;
    /// assert_eq!(map.len(), 1);
    /// let map = ColumnMap::from_csv_like_data(b"from,to\nPHQ9_Q1,phq9_1\n", b';')?;
    /// assert_eq!(map.len(), 1);
    /// # Ok::<(), screenscore::batch::BatchError>(())
    /// ```
    pub fn from_csv_like_data(input: &[u8], delimiter: u8) -> Result<ColumnMap, BatchError> {
        ColumnMap::read(input, small_csv_delimiter(input, delimiter))
    }

    /// Read a map from CSV with the header `from,to` (lines counted as an editor counts them,
    /// in messages).
    pub fn from_csv(input: impl io::Read) -> Result<ColumnMap, BatchError> {
        ColumnMap::read(input, b',')
    }

    fn read(input: impl io::Read, delimiter: u8) -> Result<ColumnMap, BatchError> {
        let csv_error = |e: io::Error| BatchError::Csv { source: e.into() };
        let mut reader = RecordReader::new(input, delimiter);
        let mut record = Record::default();
        if !reader.read(&mut record).map_err(csv_error)? {
            return Err(BatchError::ColumnMap {
                line: 1,
                message: "the file is empty: expected the header `from,to`".to_string(),
            });
        }
        let names: Vec<String> = record
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_lowercase())
            .collect();
        let width = names.len();
        if names != ["from", "to"] && names != ["from", "to", "recode"] {
            let header: Vec<String> = record
                .iter()
                .map(|h| String::from_utf8_lossy(h).into_owned())
                .collect();
            return Err(BatchError::ColumnMap {
                line: record.line,
                message: format!(
                    "expected the header `from,to`, found `{}`",
                    header.join(",")
                ),
            });
        }
        let mut map = ColumnMap::new();
        while reader.read(&mut record).map_err(csv_error)? {
            let line = record.line;
            if record.len() != width {
                let header = if width == 2 {
                    "from,to"
                } else {
                    "from,to,recode"
                };
                return Err(BatchError::ColumnMap {
                    line,
                    message: format!("expected {width} cells ({header}), found {}", record.len()),
                });
            }
            let cell = |i| String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned();
            let recode = if width == 3 {
                recode(&cell(2))
            } else {
                Ok(Vec::new())
            };
            recode
                .and_then(|recode| map.insert_recoded(&cell(0), &cell(1), recode))
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

    /// The renames, `(from, to)`, whose `from` names none of `names` (matched as
    /// [`ColumnMap::insert`] says), in the order given.
    ///
    /// ```
    /// use screenscore::batch::ColumnMap;
    ///
    /// let map = ColumnMap::from_csv("from,to\nQ1,phq9_1\nQ2,phq9_2\n".as_bytes())?;
    /// let header = ["client".to_string(), " q1 ".to_string()];
    /// assert_eq!(map.unmatched(&header).collect::<Vec<_>>(), [("Q2", "phq9_2")]);
    /// # Ok::<(), screenscore::batch::BatchError>(())
    /// ```
    pub fn unmatched<'a>(&'a self, names: &[String]) -> impl Iterator<Item = (&'a str, &'a str)> {
        let present: std::collections::HashSet<String> =
            names.iter().map(|n| n.trim().to_lowercase()).collect();
        self.entries
            .iter()
            .filter(move |(from, _)| !present.contains(&from.to_lowercase()))
            .map(|(from, to)| (from.as_str(), to.as_str()))
    }
}

/// A recode cell: `code=value` pairs separated by `|` (empty: none).
fn recode(cell: &str) -> Result<Vec<(String, String)>, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(Vec::new());
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    for part in cell.split('|') {
        let Some((code, value)) = part.split_once('=') else {
            return Err(format!("recode `{part}` is not `code=value`"));
        };
        let (code, value) = (code.trim(), value.trim());
        if code.is_empty() || value.is_empty() {
            return Err(format!("recode `{part}` is not `code=value`"));
        }
        if pairs.iter().any(|(c, _)| c == code) {
            return Err(format!("the recode gives code `{code}` twice"));
        }
        pairs.push((code.to_string(), value.to_string()));
    }
    Ok(pairs)
}

/// The separator of a small CSV file given beside the data (a column map, a labels file):
/// commas, unless its first line holds no comma and does hold the data's `delimiter` (a file
/// saved by the same spreadsheet as the data).
pub(crate) fn small_csv_delimiter(input: &[u8], delimiter: u8) -> u8 {
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let end = memchr::memchr2(b'\n', b'\r', input).unwrap_or(input.len());
    let header = &input[..end];
    if delimiter != b',' && !header.contains(&b',') && header.contains(&delimiter) {
        delimiter
    } else {
        b','
    }
}

/// The bytes of the map file `path` (a regular file of at most
/// [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES)).
fn read(path: &Path) -> Result<Vec<u8>, BatchError> {
    crate::small_file::read(path).map_err(|source| BatchError::Read {
        what: "column map",
        path: path.to_path_buf(),
        source,
    })
}
