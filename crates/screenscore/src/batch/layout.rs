//! The column layout of a batch: computed once from the header, used for every row.

use std::collections::{HashMap, HashSet};

use crate::columns::{OutputColumns, item_column};
use crate::definition::Definition;
use crate::instrument::Instrument;

use super::forms::{FormColumns, Forms};
use super::warnings::HeaderWarning;

use super::{Batch, BatchError};

/// Where each instrument's items and attributes are in the input, and which columns pass
/// through to the output.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Header names after renaming, trimmed.
    names: Vec<String>,
    /// The pass-through columns' names in the output: as in the input, but `{name}_input` for
    /// one named as an output column.
    output_names: Vec<String>,
    /// Indices of the columns passed through, in input order.
    pub(crate) passthrough: Vec<usize>,
    /// The same as runs of neighbouring columns, `from..to`.
    pub(crate) passthrough_runs: Vec<(usize, usize)>,
    /// Per instrument, in the order given.
    pub(crate) instruments: Vec<InstrumentColumns>,
    /// The `sex` and `age` columns, for norm strata.
    pub(crate) sex: Option<usize>,
    pub(crate) age: Option<usize>,
    /// The input's `input_error` column, when it has one.
    pub(crate) marked: Option<usize>,
    /// The client and date columns, when change over time is on.
    pub(crate) client: Option<usize>,
    pub(crate) date: Option<usize>,
    /// Per instrument, per scale: whether standard-score columns are written.
    standard: Vec<Vec<bool>>,
    history: bool,
    warnings: Vec<HeaderWarning>,
    /// The pass-through columns' names as keys, a repeated name as `name#2`, `name#3`, ….
    passthrough_keys: Vec<String>,
    /// Whether the input began with a UTF-8 byte-order mark.
    bom: bool,
    /// What a form tool writes in a date column for "no date" (`[not completed]`).
    no_date: Option<&'static str>,
}

/// One instrument's columns.
#[derive(Debug, Clone)]
pub(crate) struct InstrumentColumns {
    /// Column index of each item, `None` when the header lacks it.
    pub(crate) items: Vec<Option<usize>>,
    /// Column index of each respondent attribute, `None` when the header lacks it.
    pub(crate) attributes: Vec<Option<usize>>,
    /// The form tool's columns of the instrument, when the input is a form tool's export.
    pub(crate) form: FormColumns,
}

impl Layout {
    /// Plan the columns of `header` (already renamed) for `instruments`.
    pub(crate) fn new(
        header: Vec<String>,
        instruments: &[Instrument],
        standard: Vec<Vec<bool>>,
        history: Option<(&str, &str)>,
        forms: Option<&Forms>,
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
            for (i, item) in def.items.iter().enumerate() {
                let name = item_column(def, i).to_string();
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
                warnings.push(HeaderWarning::NoItemColumns {
                    instrument: def.id.clone(),
                    first: item_column(def, 0).to_string(),
                    last: item_column(def, def.items.len() - 1).to_string(),
                });
            } else if !lacking.is_empty() {
                warnings.push(HeaderWarning::LackingItemColumns {
                    instrument: def.id.clone(),
                    columns: lacking,
                });
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
                    warnings.push(HeaderWarning::NoAttributeColumn {
                        instrument: def.id.clone(),
                        attribute: attribute.id.clone(),
                        label: attribute.label.clone(),
                    });
                }
                attributes.push(column);
            }
            planned.push(InstrumentColumns {
                items,
                attributes,
                form: FormColumns::default(),
            });
        }
        // The form tool's columns: its scores are compared, not passed through; its status
        // and timestamp columns pass through, without a warning that they are named alike.
        let mut known = vec![false; header.len()];
        let plans = forms.map(|f| f.plans.as_slice()).unwrap_or_default();
        for (columns, plan) in planned.iter_mut().zip(plans) {
            let Some(plan) = plan else { continue };
            let find = |name: &Option<String>| {
                name.as_ref()
                    .and_then(|n| index.get(&n.to_lowercase()).copied())
            };
            columns.form.status = find(&plan.status_column);
            columns.form.timestamp = find(&plan.timestamp_column);
            for c in [columns.form.status, columns.form.timestamp]
                .into_iter()
                .flatten()
            {
                known[c] = true;
            }
            for (scale, column) in &plan.stated {
                if let Some(&c) = index.get(&column.to_lowercase()) {
                    used[c] = true;
                    columns.form.stated.push((*scale, c));
                }
            }
        }
        // Without a form plan, a column `{id}_{scale}_stated` is a score computed elsewhere
        // (a form's own total), compared with the one computed.
        for ((columns, instrument), k) in planned.iter_mut().zip(instruments).zip(0..) {
            if plans.get(k).is_some_and(Option::is_some) {
                continue;
            }
            let def = instrument.definition();
            for (s, scale) in def.scales.iter().enumerate() {
                let name = format!("{}_{}_stated", def.id, scale.id).to_lowercase();
                if let Some(&c) = index.get(&name) {
                    used[c] = true;
                    columns.form.stated.push((s, c));
                }
            }
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
        let marked = column(super::INPUT_ERROR);
        if standard.iter().flatten().any(|&on| on) && sex.is_none() && age.is_none() {
            warnings.push(HeaderWarning::NoSexOrAge);
        }
        let passthrough: Vec<usize> = (0..header.len()).filter(|&c| !used[c]).collect();
        let output_names = output_names(&header, &passthrough, instruments, &standard, history);
        for (&c, name) in passthrough.iter().zip(&output_names) {
            if *name != header[c] {
                warnings.push(HeaderWarning::RenamedInOutput {
                    column: header[c].clone(),
                    renamed: name.clone(),
                });
            }
        }
        for instrument in instruments {
            let prefix = format!("{}_", instrument.id().to_lowercase());
            let alike: Vec<String> = passthrough
                .iter()
                .zip(&output_names)
                .filter(|&(&c, name)| !known[c] && *name == header[c])
                .map(|(&c, _)| header[c].clone())
                .filter(|name| name.to_lowercase().starts_with(&prefix))
                .collect();
            if !alike.is_empty() {
                warnings.push(HeaderWarning::NamedAlike {
                    instrument: instrument.id().to_string(),
                    columns: alike,
                });
            }
        }
        let passthrough_keys = unique_keys(output_names.iter().map(String::as_str));
        Ok(Layout {
            passthrough_keys,
            output_names,
            names: header,
            passthrough_runs: runs(&passthrough),
            passthrough,
            instruments: planned,
            sex,
            age,
            marked,
            client,
            date,
            standard,
            history: history.is_some(),
            warnings,
            bom: false,
            no_date: forms.map(|f| f.tool.no_timestamp()),
        })
    }

    /// The input's column names (after renaming).
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The names of the columns passed through to the output, in input order: as in the
    /// input, except that a column named as one of the output's own columns (a `phq9_total`
    /// exported by a form tool) is `{name}_input`.
    ///
    /// ```
    /// use screenscore::batch::Batch;
    /// use screenscore::output::CsvWriter;
    /// use screenscore::Instrument;
    ///
    /// let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
    /// let mut out = CsvWriter::new(Vec::new());
    /// batch.run("gad2_1,gad2_2,gad2_total\n1,1,2\n".as_bytes(), &mut [&mut out])?;
    /// let text = String::from_utf8(out.into_inner()?)?;
    /// assert!(text.starts_with("gad2_total_input,gad2_total,"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn passthrough_names(&self) -> impl Iterator<Item = &str> {
        self.output_names.iter().map(String::as_str)
    }

    /// Warnings about the header: instruments with some or all item columns absent, attribute
    /// columns absent. Each is said once for the whole file.
    pub fn warnings(&self) -> &[HeaderWarning] {
        &self.warnings
    }

    /// Whether the input began with a UTF-8 byte-order mark (spreadsheets write one in
    /// "CSV UTF-8"); writers may keep it ([`Bom::AsInput`](crate::output::Bom::AsInput)).
    ///
    /// ```
    /// use std::io;
    /// use screenscore::batch::{Batch, Layout, RowSink, ScoredRow};
    /// use screenscore::Instrument;
    ///
    /// struct Mark(bool);
    /// impl RowSink for Mark {
    ///     fn begin(&mut self, layout: &Layout, _: &[Instrument]) -> io::Result<()> {
    ///         self.0 = layout.byte_order_mark();
    ///         Ok(())
    ///     }
    ///     fn row(&mut self, _: &ScoredRow<'_>) -> io::Result<()> { Ok(()) }
    ///     fn finish(&mut self) -> io::Result<()> { Ok(()) }
    /// }
    ///
    /// let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
    /// let mut mark = Mark(false);
    /// batch.run("\u{feff}gad2_1,gad2_2\n1,1\n".as_bytes(), &mut [&mut mark])?;
    /// assert!(mark.0);
    /// batch.run("gad2_1,gad2_2\n1,1\n".as_bytes(), &mut [&mut mark])?;
    /// assert!(!mark.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn byte_order_mark(&self) -> bool {
        self.bom
    }

    /// Record whether the input began with a byte-order mark.
    pub(crate) fn set_byte_order_mark(&mut self, bom: bool) {
        self.bom = bom;
    }

    /// Add a warning found after the columns were planned.
    pub(crate) fn warn(&mut self, warning: HeaderWarning) {
        self.warnings.push(warning);
    }

    /// Whether standard-score columns are written for scale `s` of instrument `k`.
    pub fn has_standard(&self, k: usize, s: usize) -> bool {
        self.standard
            .get(k)
            .and_then(|scales| scales.get(s))
            .copied()
            .unwrap_or(false)
    }

    /// The output columns of instrument `k` (whose definition is `def`) in this run: standard
    /// scores where its scales have them, change when it is on.
    pub fn output_columns<'d>(&self, k: usize, def: &'d Definition) -> OutputColumns<'d> {
        OutputColumns::new(def)
            .standard(|s| self.has_standard(k, s))
            .change(self.history)
    }

    /// The pass-through columns' names as unique keys (for JSON): a name repeating an earlier
    /// one is `name#2`, `name#3`, ….
    pub fn passthrough_keys(&self) -> &[String] {
        &self.passthrough_keys
    }

    /// Whether change columns are written.
    pub fn has_history(&self) -> bool {
        self.history
    }

    /// The date cell of a row as text, trimmed: empty when absent, not UTF-8, or what the
    /// form tool writes for "no date".
    pub(crate) fn date_text<'c>(&self, cell: Option<&'c [u8]>) -> &'c str {
        let text = cell
            .and_then(|c| std::str::from_utf8(c).ok())
            .map_or("", str::trim);
        if self.no_date == Some(text) { "" } else { text }
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

impl Batch {
    /// Plan the columns of a header record.
    pub fn layout(&self, header: &csv::ByteRecord) -> Result<Layout, BatchError> {
        let read: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(c, raw)| {
                let raw = if c == 0 {
                    raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
                } else {
                    raw
                };
                String::from_utf8_lossy(raw).trim().to_string()
            })
            .collect();
        let unmatched: Vec<HeaderWarning> = self
            .column_map
            .unmatched(&read)
            .map(|(from, to)| HeaderWarning::UnmatchedRename {
                from: from.to_string(),
                to: to.to_string(),
            })
            .collect();
        let unknown: Vec<HeaderWarning> = match self
            .forms
            .as_ref()
            .and_then(|f| Some((f.tool, f.columns.as_ref()?)))
        {
            Some((tool, columns)) => {
                let unknown: Vec<String> = read
                    .iter()
                    .filter(|name| !name.is_empty() && !columns.contains(&name.to_lowercase()))
                    .cloned()
                    .collect();
                if unknown.is_empty() {
                    Vec::new()
                } else {
                    vec![HeaderWarning::NotInProject {
                        tool: tool.as_str(),
                        columns: unknown,
                    }]
                }
            }
            None => Vec::new(),
        };
        let names = read
            .into_iter()
            .map(|name| self.column_map.rename(&name).unwrap_or(name))
            .collect();
        let standard: Vec<Vec<bool>> = self
            .standard_groups()
            .iter()
            .map(|scales| {
                scales
                    .iter()
                    .map(|g| self.standard && g.is_some())
                    .collect()
            })
            .collect();
        let history = self
            .history
            .as_ref()
            .map(|h| (h.client_column.as_str(), h.date_column.as_str()));
        let mut layout = Layout::new(
            names,
            &self.instruments,
            standard,
            history,
            self.forms.as_ref(),
        )?;
        for warning in unmatched.into_iter().chain(unknown) {
            layout.warn(warning);
        }
        let without: Vec<String> = self
            .instruments
            .iter()
            .zip(self.standard_groups())
            .flat_map(|(instrument, groups)| {
                let scales = &instrument.definition().scales;
                scales.iter().zip(groups).filter_map(|(scale, group)| {
                    let group = group.filter(|g| self.standard && g.frequencies.is_empty())?;
                    Some(format!(
                        "{} {} (group `{}`)",
                        instrument.id(),
                        scale.id,
                        group.id
                    ))
                })
            })
            .collect();
        if !without.is_empty() {
            layout.warn(HeaderWarning::NoPercentileFromData { scales: without });
        }
        Ok(layout)
    }
}

/// The output names of the pass-through columns: a column named as one of the output's own
/// columns (case aside) is `{name}_input` (`_input2`, … if that is taken too).
fn output_names(
    header: &[String],
    passthrough: &[usize],
    instruments: &[Instrument],
    standard: &[Vec<bool>],
    history: Option<(&str, &str)>,
) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    for (k, instrument) in instruments.iter().enumerate() {
        let def = instrument.definition();
        let on = |s: usize| {
            standard
                .get(k)
                .and_then(|v| v.get(s))
                .copied()
                .unwrap_or(false)
        };
        for name in OutputColumns::new(def)
            .standard(on)
            .change(history.is_some())
            .names()
        {
            taken.insert(name.to_string().to_lowercase());
        }
    }
    let inputs: HashSet<String> = passthrough
        .iter()
        .map(|&c| header[c].to_lowercase())
        .collect();
    passthrough
        .iter()
        .map(|&c| {
            let name = &header[c];
            if !taken.contains(&name.to_lowercase()) {
                return name.clone();
            }
            let free = |n: &String| {
                !taken.contains(&n.to_lowercase()) && !inputs.contains(&n.to_lowercase())
            };
            let mut renamed = format!("{name}_input");
            let mut n = 2;
            while !free(&renamed) {
                renamed = format!("{name}_input{n}");
                n += 1;
            }
            renamed
        })
        .collect()
}

/// `names` as unique keys: a name repeating an earlier one gets `#2`, `#3`, … (the first number
/// no other key has), in time linear in the names.
fn unique_keys<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut keys = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    let mut next: HashMap<&str, usize> = HashMap::new();
    for name in names {
        let mut key = name.to_string();
        if taken.contains(&key) {
            let n = next.entry(name).or_insert(2);
            loop {
                key = format!("{name}#{n}");
                *n += 1;
                if !taken.contains(&key) {
                    break;
                }
            }
        }
        taken.insert(key.clone());
        keys.push(key);
    }
    keys
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
