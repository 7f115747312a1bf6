//! Change mode, pass 1: every row's client, date and scale scores, then each client's history.
//!
//! Memory is one score per row and scale (8 bytes each) plus the client ids and dates: change
//! since a client's first administration needs that client's earlier scores, and rows may
//! arrive in any order. Pass 2 re-reads the input and writes each row, in input order, with its
//! change filled in by the change stage (`change_stage.rs`).

use std::collections::HashMap;

use crate::change::CutoffKind;
use crate::date::{DateFormat, Timestamp};
use crate::matcher::trim;
use crate::sheet::Status;
use crate::timeline::{Entry, History, Placement};

use super::by_client::{ClientIndex, Place};
use super::drive::drive;
use super::scan::Scanner;
use super::slot::Stages;
use super::source::RowSource;
use super::{Batch, BatchError, Layout};

pub(crate) const NONE: u32 = u32::MAX;

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

#[derive(Debug)]
struct InstrumentHistory {
    /// Per row, its entry in `history` (`NONE` where the instrument is absent).
    entry_of_row: Vec<u32>,
    /// Per entry, its row.
    row_of_entry: Vec<u32>,
    history: History,
    /// Per entry sharing its client and date with others, where those others' rows are in
    /// `others`.
    duplicates: HashMap<u32, (u32, u32)>,
    others: Vec<u32>,
}

/// What pass 1 keeps.
#[derive(Debug)]
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
    pub(crate) fn collect<S: RowSource>(
        batch: &Batch,
        source: S,
    ) -> Result<(Table, S), BatchError> {
        let (table, _, _, source) = Table::collect_indexed(batch, source, false)?;
        Ok((table, source))
    }

    /// Pass 1, and, when `index` is set, where each row is in the input and the rows in client
    /// order (see [`ClientIndex`]); the header's layout.
    pub(crate) fn collect_indexed<S: RowSource>(
        batch: &Batch,
        source: S,
        index: bool,
    ) -> Result<(Table, Option<ClientIndex>, Layout, S), BatchError> {
        let settings = batch.history.as_ref().ok_or(BatchError::NeedsRewind)?;
        let (scan, layout) = Scanner::new(batch, source)?;
        let mut scan = scan.hashing();
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
        let mut places = Vec::new();
        let mut present: Vec<Vec<(u32, bool)>> = vec![Vec::new(); batch.instruments.len()];
        drive(
            &mut scan,
            &Stages::scores(batch, &layout),
            batch.threads,
            |slot| {
                let row = row_client.len() as u32;
                hashes.push(slot.hash);
                if index {
                    let record = &slot.record;
                    places.push(Place {
                        offset: record.offset,
                        length: (record.raw.len() - record.text.0) as u64,
                        line: record.line,
                    });
                }
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
                        .parse(layout.date_text(slot.cell(layout.date)))
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
        let index = index.then(|| ClientIndex::new(places, &ids, &row_client));
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
                let (mut duplicates, mut others) = (HashMap::new(), Vec::new());
                for e in 0..row_of_entry.len() {
                    if !matches!(history.placement(e), Placement::Duplicate { .. }) {
                        continue;
                    }
                    let date = row_date[row_of_entry[e] as usize];
                    let start = others.len() as u32;
                    others.extend(
                        history
                            .client_order(e)
                            .iter()
                            .filter(|&&o| o != e && row_date[row_of_entry[o] as usize] == date)
                            .map(|&o| row_of_entry[o]),
                    );
                    duplicates.insert(e as u32, (start, others.len() as u32 - start));
                }
                InstrumentHistory {
                    entry_of_row,
                    row_of_entry,
                    history,
                    duplicates,
                    others,
                }
            })
            .collect();
        let table = Table {
            clients,
            header,
            hashes,
            row_client,
            row_date,
            offsets,
            width,
            scores,
            instruments,
        };
        Ok((table, index, layout, scan.into_source()))
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

    /// Rows read by pass 1.
    pub(crate) fn rows(&self) -> usize {
        self.row_client.len()
    }

    /// The score of scale `s` of instrument `k` in row `row` (NaN where not scored).
    pub(crate) fn score(&self, row: usize, k: usize, s: usize) -> f64 {
        self.scores[row * self.width + self.offsets[k] + s]
    }

    /// Row `row`'s entry in instrument `k`'s history (`None` where it is absent).
    pub(crate) fn entry(&self, k: usize, row: usize) -> Option<usize> {
        let e = self.instruments[k].entry_of_row[row];
        (e != NONE).then_some(e as usize)
    }

    /// The row of entry `e` of instrument `k`.
    pub(crate) fn row_of(&self, k: usize, e: usize) -> usize {
        self.instruments[k].row_of_entry[e] as usize
    }

    /// Instrument `k`'s client histories.
    pub(crate) fn history(&self, k: usize) -> &History {
        &self.instruments[k].history
    }

    /// Row `row`'s client, as shown (empty when it has none).
    pub(crate) fn client_of(&self, row: usize) -> &str {
        match self.row_client[row] {
            NONE => "",
            c => &self.clients[c as usize],
        }
    }

    /// Row `row`'s date, when readable.
    pub(crate) fn date(&self, row: usize) -> Option<Timestamp> {
        self.row_date[row]
    }

    /// The rows of the other administrations sharing entry `e`'s client and date.
    pub(crate) fn duplicates(&self, k: usize, e: usize) -> &[u32] {
        let h = &self.instruments[k];
        match h.duplicates.get(&(e as u32)) {
            Some(&(start, len)) => &h.others[start as usize..(start + len) as usize],
            None => &[],
        }
    }
}
