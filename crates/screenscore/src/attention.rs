//! What needs attention in a whole run, for the person who started it: the rows each critical
//! rule was raised in, the rows that left a critical item unanswered, and the rows left
//! invalid. [`AttentionCollector`] is a [`RowSink`]; it keeps counts, the first few record
//! numbers and client ids, and the distinct client ids of those rows (to count them), so its
//! memory grows with those clients only, not with the input.
//!
//! A *critical item* is an item whose answer a critical rule compares (PHQ-9 item 9, which
//! `item9_positive` tests): left unanswered, the rule could not be decided. Definitions mark
//! rules, not items, as critical, so the items are found from the rules.
//!
//! ```
//! use screenscore::attention::AttentionCollector;
//! use screenscore::batch::Batch;
//! use screenscore::Instrument;
//!
//! let csv = "client,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9\n\
//!            a,0,0,0,0,0,0,0,0,2\n\
//!            b,0,0,0,0,0,0,0,0,\n\
//!            a,1,0,0,0,0,0,0,0,1\n";
//! let batch = Batch::builder().instrument(Instrument::builtin("phq9")?.clone()).build()?;
//! let mut attention = AttentionCollector::new(Some("client"));
//! batch.run(csv.as_bytes(), &mut [&mut attention])?;
//! let summary = attention.finish();
//!
//! let flag = &summary.flags[0];
//! assert_eq!((flag.instrument.as_str(), flag.rule.as_str()), ("phq9", "item9_positive"));
//! assert_eq!((flag.rows.count, &flag.rows.records[..]), (2, &[1, 3][..]));
//! assert_eq!(flag.rows.clients, ["a"]);
//! let item = &summary.unanswered[0];
//! assert_eq!((item.item.as_str(), item.column.as_str()), ("9", "phq9_9"));
//! assert_eq!(&item.rows.records[..], [2]);
//! assert_eq!(summary.invalid.count, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashSet;
use std::io;

use crate::batch::{Layout, RowSink, ScoredRow};
use crate::columns::item_column;
use crate::definition::{Condition, Definition, Severity};
use crate::instrument::Instrument;
use crate::sheet::{ItemState, Status};

/// How many record numbers a [`Rows`] keeps (the first ones).
pub const FIRST_RECORDS: usize = 10;

/// How many client ids a [`Rows`] keeps (the first distinct ones).
pub const FIRST_CLIENTS: usize = 10;

/// Some rows of a run: how many, the first record numbers and the first client ids.
///
/// ```
/// use screenscore::attention::AttentionCollector;
/// use screenscore::batch::Batch;
/// use screenscore::Instrument;
///
/// let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
/// let mut attention = AttentionCollector::new(Some("id"));
/// batch.run("id,gad2_1,gad2_2\na,1,9\nb,0,0\na,x,1\n".as_bytes(), &mut [&mut attention])?;
/// let invalid = attention.finish().invalid;
/// assert_eq!((invalid.count, &invalid.records[..]), (2, &[1, 3][..]));
/// assert_eq!((invalid.client_count, &invalid.clients[..]), (1, &["a".to_string()][..]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    /// How many rows.
    pub count: u64,
    /// The first [`FIRST_RECORDS`] rows' record numbers (1-based data records), ascending.
    pub records: Vec<u64>,
    /// The first [`FIRST_CLIENTS`] distinct client ids of the rows, in order of first
    /// appearance (shown lossily when not UTF-8); empty without a client column.
    pub clients: Vec<String>,
    /// How many distinct client ids the rows have (0 without a client column).
    pub client_count: u64,
    /// Every distinct client id seen, to count them (only those of these rows).
    seen: HashSet<Vec<u8>>,
}

impl Rows {
    fn add(&mut self, record: u64, client: Option<&[u8]>) {
        self.count += 1;
        if self.records.len() < FIRST_RECORDS {
            self.records.push(record);
        }
        if let Some(client) = client.filter(|c| !c.is_empty())
            && !self.seen.contains(client)
        {
            self.seen.insert(client.to_vec());
            self.client_count += 1;
            if self.clients.len() < FIRST_CLIENTS {
                self.clients
                    .push(String::from_utf8_lossy(client).into_owned());
            }
        }
    }
}

/// A critical rule raised in some rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RaisedFlag {
    /// The instrument's id.
    pub instrument: String,
    /// The rule's id (as written in `{instrument}_flags`).
    pub rule: String,
    /// What the flag means, for a clinician.
    pub label: String,
    /// The rule's severity (critical).
    pub severity: Severity,
    /// The rows it was raised in.
    pub rows: Rows,
}

/// A critical item left unanswered in some rows of administrations that took place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnansweredItem {
    /// The instrument's id.
    pub instrument: String,
    /// The item's id.
    pub item: String,
    /// The item's label.
    pub label: String,
    /// Its column in the input (as the header names it), or the expected name when lacking.
    pub column: String,
    /// The rows that left it unanswered.
    pub rows: Rows,
}

/// What needs attention in a run, from [`AttentionCollector::finish`]: every critical flag
/// raised and every critical item left unanswered (in the order of instruments, then of their
/// rules or items; those that never happened are left out), and the rows left invalid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttentionSummary {
    /// Critical rules raised.
    pub flags: Vec<RaisedFlag>,
    /// Critical items left unanswered.
    pub unanswered: Vec<UnansweredItem>,
    /// Rows with an instrument `invalid`.
    pub invalid: Rows,
}

impl AttentionSummary {
    /// Whether no critical flag was raised and no critical item left unanswered.
    ///
    /// ```
    /// use screenscore::attention::AttentionCollector;
    /// use screenscore::batch::Batch;
    /// use screenscore::Instrument;
    ///
    /// let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
    /// let mut attention = AttentionCollector::new(None);
    /// batch.run("gad2_1,gad2_2\n3,3\n".as_bytes(), &mut [&mut attention])?;
    /// // GAD-2 has no critical rule: a positive screen needs no attention today.
    /// assert!(attention.finish().is_calm());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_calm(&self) -> bool {
        self.flags.is_empty() && self.unanswered.is_empty()
    }
}

/// Collects an [`AttentionSummary`] as rows are scored.
///
/// ```
/// use screenscore::attention::AttentionCollector;
/// use screenscore::batch::Batch;
/// use screenscore::Instrument;
///
/// let phq9 = Instrument::builtin("phq9")?.clone();
/// let batch = Batch::builder().instrument(phq9).build()?;
/// let mut attention = AttentionCollector::new(None);
/// let csv = "phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9\n1,1,1,1,1,1,1,1,3\n";
/// batch.run(csv.as_bytes(), &mut [&mut attention])?;
/// let summary = attention.finish();
/// assert_eq!(summary.flags[0].rule, "item9_positive");
/// assert!(summary.flags[0].rows.clients.is_empty(), "no client column given");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct AttentionCollector {
    client_column: Option<String>,
    /// The client column's index, found in the header.
    client: Option<usize>,
    /// Per instrument: its critical rules, by index in the definition.
    rules: Vec<Vec<usize>>,
    /// Per instrument: its critical items, by index in the definition.
    items: Vec<Vec<usize>>,
    flags: Vec<RaisedFlag>,
    unanswered: Vec<UnansweredItem>,
    invalid: Rows,
}

impl AttentionCollector {
    /// A collector; with `client_column`, it also keeps the client ids of the rows (the column
    /// matched as item columns are: case-insensitively, trimmed; none when the header lacks it).
    pub fn new(client_column: Option<&str>) -> AttentionCollector {
        AttentionCollector {
            client_column: client_column.map(str::to_string),
            ..AttentionCollector::default()
        }
    }

    /// What needs attention, once every row was seen.
    pub fn finish(self) -> AttentionSummary {
        AttentionSummary {
            flags: self
                .flags
                .into_iter()
                .filter(|f| f.rows.count > 0)
                .collect(),
            unanswered: self
                .unanswered
                .into_iter()
                .filter(|i| i.rows.count > 0)
                .collect(),
            invalid: self.invalid,
        }
    }
}

/// The items a definition's critical rules compare, by index, in the order of the items.
///
/// ```
/// use screenscore::attention::critical_items;
/// use screenscore::Instrument;
///
/// // PHQ-9's critical rule `item9_positive` compares item 9 (index 8); GAD-7 has none.
/// assert_eq!(critical_items(Instrument::builtin("phq9")?.definition()), [8]);
/// assert!(critical_items(Instrument::builtin("gad7")?.definition()).is_empty());
/// # Ok::<(), screenscore::Error>(())
/// ```
pub fn critical_items(def: &Definition) -> Vec<usize> {
    let mut ids: Vec<&str> = Vec::new();
    for rule in def
        .rules
        .iter()
        .filter(|r| r.severity == Severity::Critical)
    {
        compared_items(&rule.when, &mut ids);
    }
    (0..def.items.len())
        .filter(|&i| ids.contains(&def.items[i].id.as_str()))
        .collect()
}

/// The ids of the items whose answers `condition` compares.
fn compared_items<'d>(condition: &'d Condition, ids: &mut Vec<&'d str>) {
    match condition {
        Condition::Item(comparison) => ids.push(&comparison.id),
        Condition::CountItems(count) => ids.extend(count.items.iter().map(String::as_str)),
        Condition::All(parts) | Condition::Any(parts) => {
            parts.iter().for_each(|c| compared_items(c, ids));
        }
        Condition::Count(count) => count.of.iter().for_each(|c| compared_items(c, ids)),
        Condition::Not(inner) => compared_items(inner, ids),
        Condition::Scale(_)
        | Condition::Missing(_)
        | Condition::Attribute(_)
        | Condition::NotGiven(_) => {}
    }
}

impl RowSink for AttentionCollector {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        self.client = self.client_column.as_ref().and_then(|name| {
            let name = name.trim().to_lowercase();
            layout.names().iter().position(|n| n.to_lowercase() == name)
        });
        for (k, instrument) in instruments.iter().enumerate() {
            let def = instrument.definition();
            let rules: Vec<usize> = (0..def.rules.len())
                .filter(|&r| def.rules[r].severity == Severity::Critical)
                .collect();
            for &r in &rules {
                self.flags.push(RaisedFlag {
                    instrument: def.id.clone(),
                    rule: def.rules[r].id.clone(),
                    label: def.rules[r].label.clone(),
                    severity: def.rules[r].severity,
                    rows: Rows::default(),
                });
            }
            let items = critical_items(def);
            for &i in &items {
                self.unanswered.push(UnansweredItem {
                    instrument: def.id.clone(),
                    item: def.items[i].id.clone(),
                    label: def.items[i].label.clone(),
                    column: layout
                        .column_name(k, i)
                        .map_or_else(|| item_column(def, i).to_string(), str::to_string),
                    rows: Rows::default(),
                });
            }
            self.rules.push(rules);
            self.items.push(items);
        }
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        let client = self
            .client
            .map(|c| row.get(c).unwrap_or_default().trim_ascii());
        let (mut flag, mut item) = (0, 0);
        for (k, sheet) in row.sheets().iter().enumerate() {
            let rules = &sheet.instrument().definition().rules;
            for &r in &self.rules[k] {
                if sheet.flags().any(|raised| std::ptr::eq(raised, &rules[r])) {
                    self.flags[flag].rows.add(row.record, client);
                }
                flag += 1;
            }
            // An administration that took place, read from cells that are where the header
            // says (a row of the wrong shape may have its cells shifted).
            let taken = sheet.status() != Status::Absent && row.problem.is_none();
            for &i in &self.items[k] {
                let missing = || {
                    sheet
                        .items()
                        .nth(i)
                        .is_some_and(|(_, state)| state == ItemState::Missing)
                };
                if taken && missing() {
                    self.unanswered[item].rows.add(row.record, client);
                }
                item += 1;
            }
        }
        if row.status() == Status::Invalid {
            self.invalid.add(row.record, client);
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}
