//! The column layout of a batch: computed once from the header, used for every row.

use std::collections::HashMap;

use crate::instrument::Instrument;
use crate::matcher::join_list;

use super::BatchError;

/// Where each instrument's items and attributes are in the input, and which columns pass
/// through to the output.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Header names after renaming, trimmed.
    names: Vec<String>,
    /// Indices of the columns passed through, in input order.
    pub(crate) passthrough: Vec<usize>,
    /// The same as runs of neighbouring columns, `from..to`.
    pub(crate) passthrough_runs: Vec<(usize, usize)>,
    /// Per instrument, in the order given.
    pub(crate) instruments: Vec<InstrumentColumns>,
    /// The `sex` and `age` columns, for norm strata.
    pub(crate) sex: Option<usize>,
    pub(crate) age: Option<usize>,
    /// The client and date columns, when change over time is on.
    pub(crate) client: Option<usize>,
    pub(crate) date: Option<usize>,
    /// Per instrument, per scale: whether standard-score columns are written.
    standard: Vec<Vec<bool>>,
    history: bool,
    warnings: Vec<String>,
}

/// One instrument's columns.
#[derive(Debug, Clone)]
pub(crate) struct InstrumentColumns {
    /// Column index of each item, `None` when the header lacks it.
    pub(crate) items: Vec<Option<usize>>,
    /// Column index of each respondent attribute, `None` when the header lacks it.
    pub(crate) attributes: Vec<Option<usize>>,
}

impl Layout {
    /// Plan the columns of `header` (already renamed) for `instruments`.
    pub(crate) fn new(
        header: Vec<String>,
        instruments: &[Instrument],
        standard: Vec<Vec<bool>>,
        history: Option<(&str, &str)>,
    ) -> Result<Layout, BatchError> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut duplicates: HashMap<String, (usize, usize)> = HashMap::new();
        for (c, name) in header.iter().enumerate() {
            let key = name.to_lowercase();
            if let Some(&first) = index.get(&key) {
                duplicates.entry(key).or_insert((first, c));
            } else {
                index.insert(key, c);
            }
        }
        let mut used = vec![false; header.len()];
        let mut warnings = Vec::new();
        let mut planned = Vec::with_capacity(instruments.len());
        for instrument in instruments {
            let def = instrument.definition();
            let mut items = Vec::with_capacity(def.items.len());
            let mut lacking = Vec::new();
            for item in &def.items {
                let name = format!("{}_{}", def.id, item.id);
                let key = name.to_lowercase();
                if let Some(&(first, second)) = duplicates.get(&key) {
                    return Err(BatchError::DuplicateColumn {
                        column: name,
                        first: first + 1,
                        second: second + 1,
                    });
                }
                match index.get(&key) {
                    Some(&c) => {
                        used[c] = true;
                        items.push(Some(c));
                    }
                    None => {
                        if item.scored {
                            lacking.push(name);
                        }
                        items.push(None);
                    }
                }
            }
            let none_present = items.iter().all(Option::is_none);
            if none_present {
                lacking = def
                    .items
                    .iter()
                    .map(|i| format!("{}_{}", def.id, i.id))
                    .collect();
                warnings.push(format!(
                    "{}: the input has no column for any of its items ({} … {}); it is `absent` in every row",
                    def.id,
                    lacking[0],
                    lacking[lacking.len() - 1]
                ));
            } else if !lacking.is_empty() {
                let names: Vec<&str> = lacking.iter().map(String::as_str).collect();
                warnings.push(format!(
                    "{}: the input has no {} {}; {} counted as missing in every row",
                    def.id,
                    if lacking.len() == 1 {
                        "column"
                    } else {
                        "columns"
                    },
                    join_list(&names, "and"),
                    if lacking.len() == 1 {
                        "that item is"
                    } else {
                        "those items are"
                    }
                ));
            }
            let mut attributes = Vec::with_capacity(def.attributes.len());
            for attribute in &def.attributes {
                let key = attribute.id.to_lowercase();
                if let Some(&(first, second)) = duplicates.get(&key) {
                    return Err(BatchError::DuplicateColumn {
                        column: attribute.id.clone(),
                        first: first + 1,
                        second: second + 1,
                    });
                }
                let column = index.get(&key).copied();
                if column.is_none() && !none_present {
                    warnings.push(format!(
                        "{}: the input has no `{}` column ({}); what depends on it is scored as if it were not given",
                        def.id, attribute.id, attribute.label
                    ));
                }
                attributes.push(column);
            }
            planned.push(InstrumentColumns { items, attributes });
        }
        if !instruments.is_empty() && planned.iter().all(|p| p.items.iter().all(Option::is_none)) {
            let expected: Vec<String> = instruments
                .iter()
                .map(|i| {
                    let def = i.definition();
                    format!("{}_{}", def.id, def.items[0].id)
                })
                .collect();
            return Err(BatchError::NoInstrumentColumns {
                expected: expected.join(", "),
                hint: separator_hint(&header),
            });
        }
        let column = |name: &str| index.get(&name.to_lowercase()).copied();
        let (client, date) = match history {
            None => (None, None),
            Some((client, date)) => {
                let find = |name: &str, what| {
                    column(name)
                        .map(Some)
                        .ok_or_else(|| BatchError::MissingColumn {
                            column: name.to_string(),
                            what,
                        })
                };
                (find(client, "client")?, find(date, "date")?)
            }
        };
        let (sex, age) = (column("sex"), column("age"));
        if standard.iter().flatten().any(|&on| on) && sex.is_none() && age.is_none() {
            warnings.push(
                "standard scores: the input has no `sex` or `age` column; norm groups stratified by them give no standard score"
                    .to_string(),
            );
        }
        let passthrough: Vec<usize> = (0..header.len()).filter(|&c| !used[c]).collect();
        for instrument in instruments {
            let prefix = format!("{}_", instrument.id().to_lowercase());
            let alike: Vec<&str> = passthrough
                .iter()
                .map(|&c| header[c].as_str())
                .filter(|name| name.to_lowercase().starts_with(&prefix))
                .collect();
            if !alike.is_empty() {
                let (columns, are, they) = match alike.len() {
                    1 => ("column", "is", "it passes"),
                    _ => ("columns", "are", "they pass"),
                };
                warnings.push(format!(
                    "{}: {columns} {} {are} named like its columns but {are} not its items; \
                     {they} through as read",
                    instrument.id(),
                    join_list(&alike, "and"),
                ));
            }
        }
        Ok(Layout {
            names: header,
            passthrough_runs: runs(&passthrough),
            passthrough,
            instruments: planned,
            sex,
            age,
            client,
            date,
            standard,
            history: history.is_some(),
            warnings,
        })
    }

    /// The input's column names (after renaming).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The names of the columns passed through to the output, in input order.
    pub fn passthrough_names(&self) -> impl Iterator<Item = &str> {
        self.passthrough.iter().map(|&c| self.names[c].as_str())
    }

    /// Warnings about the header: instruments with some or all item columns absent, attribute
    /// columns absent. Each is said once for the whole file.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Whether standard-score columns are written for scale `s` of instrument `k`.
    pub fn has_standard(&self, k: usize, s: usize) -> bool {
        self.standard
            .get(k)
            .and_then(|scales| scales.get(s))
            .copied()
            .unwrap_or(false)
    }

    /// Whether change columns are written.
    pub fn has_history(&self) -> bool {
        self.history
    }

    /// Number of columns in the header.
    pub fn width(&self) -> usize {
        self.names.len()
    }

    /// The column name of an instrument's item, for messages.
    pub(crate) fn column_name(&self, instrument: usize, item: usize) -> Option<&str> {
        self.instruments[instrument].items[item].map(|c| self.names[c].as_str())
    }
}

/// When the header is one column holding semicolons or tabs, the file is probably separated by
/// them: say so.
fn separator_hint(header: &[String]) -> String {
    let [only] = header else {
        return String::new();
    };
    let (what, flag) = if only.contains(';') {
        ("';'", "';'")
    } else if only.contains('\t') {
        ("tabs", "tab")
    } else {
        return String::new();
    };
    format!(
        ". The header is one column containing {what}: if the file is separated by {what}, \
         give --delimiter {flag}"
    )
}

/// Ascending column indices as runs of neighbours: `[0, 1, 2, 5, 6]` → `[(0, 3), (5, 7)]`.
fn runs(columns: &[usize]) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &c in columns {
        match runs.last_mut() {
            Some((_, to)) if *to == c => *to = c + 1,
            _ => runs.push((c, c + 1)),
        }
    }
    runs
}
