//! Change mode, pass 1: every row's client, date and scale scores, then each client's history.
//!
//! Memory is one score per row and scale (8 bytes each) plus the client ids and dates: change
//! since a client's first administration needs that client's earlier scores, and rows may
//! arrive in any order. Pass 2 re-reads the input and writes each row, in input order, with its
//! change filled in by [`Table::fill`].

use std::collections::HashMap;
use std::io;

use crate::change::{ChangeMethod, CutoffKind};
use crate::date::{DateFormat, Timestamp};
use crate::definition::NormGroup;
use crate::matcher::trim;
use crate::norms::Respondent;
use crate::sheet::Status;
use crate::timeline::{Entry, History, Placement};

use super::drive::drive;
use super::row::{Extras, ScaleChange};
use super::scan::{Scanner, Scorer};
use super::{Batch, BatchError};

const NONE: u32 = u32::MAX;

/// How change is computed: which columns hold the client and the date, how dates are written,
/// which cut-off is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistorySettings {
    /// The column holding the client's id.
    pub client_column: String,
    /// The column holding the administration's date.
    pub date_column: String,
    /// How dates are written (ISO 8601 unless declared).
    pub date_format: DateFormat,
    /// The Jacobson–Truax cut-off for clinically significant change (`c` unless asked).
    pub cutoff: CutoffKind,
}

struct InstrumentHistory {
    /// Per row, its entry in `history` (`NONE` where the instrument is absent).
    entry_of_row: Vec<u32>,
    /// Per entry, its row.
    row_of_entry: Vec<u32>,
    history: History,
}

/// What pass 1 keeps.
pub(crate) struct Table {
    /// Each client's id as shown in messages (ids that are not UTF-8 shown lossily; they are
    /// told apart by their bytes).
    clients: Vec<String>,
    /// A hash of the header's text and of each row's, to check that pass 2 reads the same.
    header: u64,
    hashes: Vec<u64>,
    row_client: Vec<u32>,
    row_date: Vec<Option<Timestamp>>,
    /// Per instrument, where its scales start in a row's scores.
    offsets: Vec<usize>,
    width: usize,
    /// `row × width`: scale scores, NaN where not scored.
    scores: Vec<f64>,
    instruments: Vec<InstrumentHistory>,
}

impl Table {
    /// Pass 1: read every row and build each instrument's client histories.
    pub(crate) fn collect(
        batch: &Batch,
        input: impl io::Read,
        settings: &HistorySettings,
    ) -> Result<Table, BatchError> {
        let (scan, layout) = Scanner::new(batch, input)?;
        let scan = scan.hashing();
        let header = scan.header_hash();
        let mut offsets = Vec::with_capacity(batch.instruments.len());
        let mut width = 0;
        for instrument in &batch.instruments {
            offsets.push(width);
            width += instrument.definition().scales.len();
        }
        let mut ids: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut clients = Vec::new();
        let (mut row_client, mut row_date, mut scores) = (Vec::new(), Vec::new(), Vec::new());
        let mut hashes = Vec::new();
        let mut present: Vec<Vec<(u32, bool)>> = vec![Vec::new(); batch.instruments.len()];
        drive(
            scan,
            &Scorer::scores(batch, &layout),
            batch.threads,
            |slot| {
                let row = row_client.len() as u32;
                hashes.push(slot.hash);
                let client = trim(slot.cell(layout.client).unwrap_or_default());
                row_client.push(if client.is_empty() {
                    NONE
                } else if let Some(&id) = ids.get(client) {
                    id
                } else {
                    let id = clients.len() as u32;
                    ids.insert(client.to_vec(), id);
                    clients.push(String::from_utf8_lossy(client).into_owned());
                    id
                });
                row_date.push(
                    settings
                        .date_format
                        .parse(text(slot.cell(layout.date)))
                        .ok(),
                );
                for (k, sheet) in slot.sheets.iter().enumerate() {
                    scores.extend(sheet.scales.iter().map(|s| s.score.unwrap_or(f64::NAN)));
                    if sheet.status() != Status::Absent {
                        present[k].push((row, sheet.status() != Status::Invalid));
                    }
                }
                Ok(())
            },
        )?;
        let rows = row_client.len();
        // Entries name clients by their interned number, so that ids are compared as bytes.
        let client_keys: Vec<[u8; 4]> = (0..clients.len() as u32).map(u32::to_le_bytes).collect();
        let instruments = present
            .into_iter()
            .enumerate()
            .map(|(k, entries)| {
                let mut entry_of_row = vec![NONE; rows];
                let row_of_entry: Vec<u32> = entries.iter().map(|&(r, _)| r).collect();
                for (e, &(r, _)) in entries.iter().enumerate() {
                    entry_of_row[r as usize] = e as u32;
                }
                let view: Vec<Entry<'_>> = entries
                    .iter()
                    .map(|&(r, usable)| Entry {
                        client: row_client
                            .get(r as usize)
                            .filter(|&&c| c != NONE)
                            .map_or(&[][..], |&c| &client_keys[c as usize][..]),
                        date: row_date[r as usize],
                        usable,
                    })
                    .collect();
                let scales = batch.instruments[k].definition().scales.len();
                let history = History::new(&view, scales, |e, s| {
                    scores[row_of_entry[e] as usize * width + offsets[k] + s].is_finite()
                });
                InstrumentHistory {
                    entry_of_row,
                    row_of_entry,
                    history,
                }
            })
            .collect();
        Ok(Table {
            clients,
            header,
            hashes,
            row_client,
            row_date,
            offsets,
            width,
            scores,
            instruments,
        })
    }

    /// Check that pass 2 reads the header pass 1 read.
    pub(crate) fn check_header(&self, hash: u64) -> Result<(), BatchError> {
        if hash == self.header {
            return Ok(());
        }
        Err(BatchError::InputChanged { record: 0, line: 1 })
    }

    /// Check that pass 2's record `number` (1-based) is pass 1's.
    pub(crate) fn check_row(&self, number: u64, line: u64, hash: u64) -> Result<(), BatchError> {
        match self.hashes.get(number as usize - 1) {
            Some(&h) if h == hash => Ok(()),
            _ => Err(BatchError::InputChanged {
                record: number,
                line,
            }),
        }
    }

    /// Check that pass 2 read as many rows as pass 1.
    pub(crate) fn check_rows(&self, rows: u64) -> Result<(), BatchError> {
        if rows == self.hashes.len() as u64 {
            return Ok(());
        }
        Err(BatchError::InputRows {
            first: self.hashes.len() as u64,
            second: rows,
        })
    }

    fn score(&self, row: usize, k: usize, s: usize) -> f64 {
        self.scores[row * self.width + self.offsets[k] + s]
    }

    /// Pass 2: the change of row `row` (0-based) into `extras`.
    pub(crate) fn fill<'b>(
        &self,
        row: usize,
        batch: &'b Batch,
        respondent: &Respondent,
        date_cell: &str,
        extras: &mut Extras<'b>,
    ) {
        // A row pass 1 did not read (the input changed) is stopped by `check_row`.
        let (Some(settings), true) = (&batch.history, row < self.row_date.len()) else {
            return;
        };
        extras.date = self.row_date[row];
        for (k, instrument) in batch.instruments.iter().enumerate() {
            extras.change[k].fill(ScaleChange::default());
            extras.notes[k].clear();
            extras.methods[k].clear();
            let h = &self.instruments[k];
            let e = h.entry_of_row[row];
            if e == NONE {
                continue;
            }
            let e = e as usize;
            let notes = &mut extras.notes[k];
            match h.history.placement(e) {
                Placement::NoClient => {
                    notes.push("no client id: not compared with other administrations".into())
                }
                Placement::NoDate => notes.push(match settings.date_format.parse(date_cell) {
                    Err(_) if date_cell.is_empty() => {
                        "no date: not compared with other administrations".into()
                    }
                    Err(message) => format!("{message}: not compared with other administrations"),
                    Ok(_) => "no date: not compared with other administrations".into(),
                }),
                Placement::Duplicate { .. } => {
                    let same: Vec<String> = h
                        .history
                        .client_order(e)
                        .iter()
                        .filter(|&&o| {
                            o != e
                                && self.row_date[h.row_of_entry[o] as usize] == self.row_date[row]
                        })
                        .map(|&o| (h.row_of_entry[o] + 1).to_string())
                        .collect();
                    notes.push(format!(
                        "client {} has another administration on {} (record {}): neither is compared with other administrations",
                        self.clients[self.row_client[row] as usize],
                        self.row_date[row].map_or(String::new(), |d| d.to_string()),
                        same.join(", ")
                    ));
                }
                Placement::Unusable => notes.push("invalid: not used for change".into()),
                Placement::Placed => {
                    let def = instrument.definition();
                    let mut methods = Vec::with_capacity(def.scales.len());
                    let mut has_earlier = false;
                    for (s, scale) in def.scales.iter().enumerate() {
                        let extra: Vec<&NormGroup> = batch.local[k][s].iter().collect();
                        let method = ChangeMethod::new(scale, &extra, respondent, settings.cutoff);
                        methods.push(format!("{}: {method}", scale.id));
                        let links = h.history.links(e, s);
                        has_earlier |= links.first.is_some();
                        if let Some(skipped) = links.skipped {
                            let r = h.row_of_entry[skipped] as usize;
                            let note = format!(
                                "the administration on {} (record {}) is invalid and skipped",
                                self.row_date[r].map_or(String::new(), |d| d.to_string()),
                                r + 1
                            );
                            if !notes.contains(&note) {
                                notes.push(note);
                            }
                        }
                        let now = self.score(row, k, s);
                        if !now.is_finite() {
                            continue;
                        }
                        let compare = |entry: Option<usize>| {
                            let r = h.row_of_entry[entry?] as usize;
                            Some((self.row_date[r]?, method.compare(self.score(r, k, s), now)))
                        };
                        extras.change[k][s] = ScaleChange {
                            first: compare(links.first),
                            previous: compare(links.previous),
                        };
                    }
                    if !has_earlier {
                        notes.push("first administration: the baseline for later change".into());
                    }
                    extras.methods[k] = methods.join(" | ");
                }
            }
        }
    }
}

/// A cell as text, trimmed; empty when absent or not UTF-8 (a date that is not UTF-8 is
/// unreadable).
fn text(cell: Option<&[u8]>) -> &str {
    cell.and_then(|c| std::str::from_utf8(c).ok())
        .map_or("", str::trim)
}
