//! QuestionnaireResponses as rows: [`FlattenSource`] is a [`RowSource`] that reads responses
//! one at a time ([`ResponseReader`]) and gives each as a record of the intake CSV the rest of
//! the tool reads. `fhir flatten` writes these rows; `fhir score` scores them as they come, so
//! both give the same rows.
//!
//! Columns: [`FIXED`], then each instrument's item columns (`{id}_{item}`), then each scale's
//! `{id}_{scale}_stated` (a total the response states, compared with the score computed). A
//! response that cannot be read or matched is a row with its reason in `input_error` (the batch
//! makes such a row `invalid`), so every response is a row and the counts add up.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::Read;

use crate::batch::{BatchError, ColumnMap, INPUT_ERROR, Record, RowSource};
use crate::columns::item_column;
use crate::instrument::Instrument;

use super::answers::{AnswerNote, Cell, cell};
use super::link::{LinkIndex, Target};
use super::{Located, Questionnaire, QuestionnaireResponse, ResponseReader};

/// The columns before the items: the response's id (else its Bundle fullUrl, else its file and
/// line), subject, authored, encounter, questionnaire, status and author, then why it could not
/// be read (`input_error`) and what was noticed reading it (`qr_notes`).
pub const FIXED: [&str; 9] = [
    QR_ID,
    SUBJECT,
    AUTHORED,
    ENCOUNTER,
    QUESTIONNAIRE,
    QR_STATUS,
    AUTHOR,
    INPUT_ERROR,
    QR_NOTES,
];

/// The column of the QuestionnaireResponse's id (its `id`, its Bundle `fullUrl`, or
/// `file:line`).
pub const QR_ID: &str = "qr_id";
/// The column of the subject, a reference (`Patient/example`).
pub const SUBJECT: &str = "subject";
/// The column of the response's `authored` dateTime.
pub const AUTHORED: &str = "authored";
/// The column of the encounter, a reference.
pub const ENCOUNTER: &str = "encounter";
/// The column of the response's `questionnaire` canonical.
pub const QUESTIONNAIRE: &str = "questionnaire";
/// The column of the response's status (`completed`, `amended`, `in-progress`, …).
pub const QR_STATUS: &str = "qr_status";
/// The column of the response's author, a reference.
pub const AUTHOR: &str = "author";
/// The column of what the response's reader noted about it.
pub const QR_NOTES: &str = "qr_notes";

/// The unknown linkIds kept to be named (memory stays bounded however many there are).
const UNKNOWN_SHOWN: usize = 100;

/// The statuses of a response whose answers are final (others are scored with a note).
const FINAL: [&str; 2] = ["completed", "amended"];

/// Turns responses into rows for a run's instruments.
pub struct Flattener {
    instruments: Vec<Instrument>,
    index: LinkIndex,
    /// Per instrument, the column of its first item and of its first stated score.
    items_at: Vec<usize>,
    stated_at: Vec<usize>,
    cells: Vec<String>,
    notes: Vec<AnswerNote>,
    unknown: BTreeSet<String>,
    /// Answers under unknown linkIds past the first [`UNKNOWN_SHOWN`] linkIds.
    more_unknown: u64,
}

impl Flattener {
    /// A flattener for `instruments`, matching linkIds with `map` (`from` = linkId, `to` = the
    /// item's column) and the items of `questionnaires`.
    pub fn new(
        instruments: Vec<Instrument>,
        map: &ColumnMap,
        questionnaires: Vec<Questionnaire>,
    ) -> Result<Flattener, String> {
        let index = LinkIndex::new(&instruments, map, questionnaires)?;
        let mut at = FIXED.len();
        let items_at = instruments
            .iter()
            .map(|i| {
                let start = at;
                at += i.definition().items.len();
                start
            })
            .collect();
        let stated_at = instruments
            .iter()
            .map(|i| {
                let start = at;
                at += i.definition().scales.len();
                start
            })
            .collect();
        Ok(Flattener {
            instruments,
            index,
            items_at,
            stated_at,
            cells: vec![String::new(); at],
            notes: Vec::new(),
            unknown: BTreeSet::new(),
            more_unknown: 0,
        })
    }

    /// The header's cells.
    pub fn header(&self) -> Vec<String> {
        let mut header: Vec<String> = FIXED.iter().map(|c| c.to_string()).collect();
        for instrument in &self.instruments {
            let def = instrument.definition();
            header.extend((0..def.items.len()).map(|i| item_column(def, i).to_string()));
        }
        for instrument in &self.instruments {
            let def = instrument.definition();
            header.extend(
                def.scales
                    .iter()
                    .map(|s| format!("{}_{}_stated", def.id, s.id)),
            );
        }
        header
    }

    /// LinkIds with answers that matched no item, in the run so far (the first 100), and
    /// the answers under others.
    pub fn unknown_link_ids(&self) -> (&BTreeSet<String>, u64) {
        (&self.unknown, self.more_unknown)
    }

    /// The row of a response read, or of one that could not be read, into `record`.
    pub fn row(&mut self, read: Result<&Located, (&str, String)>, record: &mut Record) {
        for cell in &mut self.cells {
            cell.clear();
        }
        match read {
            Ok(located) => self.response(located),
            Err((id, error)) => {
                self.cells[0].push_str(id);
                self.cells[7].push_str(&error);
            }
        }
        record.clear();
        for cell in &self.cells {
            record.push(cell.as_bytes());
        }
    }

    fn response(&mut self, located: &Located) {
        let r: &QuestionnaireResponse = &located.response;
        let origin = &located.origin;
        fn reference(r: &Option<super::Reference>) -> &str {
            r.as_ref()
                .and_then(|r| r.reference.as_deref())
                .unwrap_or_default()
        }
        match r.id.as_deref().or(origin.full_url.as_deref()) {
            Some(id) => self.cells[0].push_str(id),
            None => {
                let file = origin.file.as_deref().unwrap_or("-");
                let _ = write!(self.cells[0], "{file}:{}", origin.line);
            }
        }
        self.cells[1].push_str(reference(&r.subject));
        self.cells[2].push_str(r.authored.as_deref().unwrap_or_default());
        self.cells[3].push_str(reference(&r.encounter));
        self.cells[4].push_str(r.questionnaire.as_deref().unwrap_or_default());
        self.cells[5].push_str(r.status.as_deref().unwrap_or_default());
        self.cells[6].push_str(reference(&r.author));
        let only = r
            .questionnaire
            .as_deref()
            .and_then(|q| self.index.instrument_of(q));
        self.notes.clear();
        let mut matched = false;
        let mut answered = false;
        let mut problems: Vec<String> = Vec::new();
        for item in r.items() {
            if item.answer.is_empty() {
                continue;
            }
            answered = true;
            match self.index.target(&item.link_id, only) {
                Ok(Some(Target::Item { instrument, item: i })) => {
                    matched = true;
                    let def = self.instruments[instrument].definition();
                    let c = self.items_at[instrument] + i;
                    let questionnaires = self.index.questionnaires();
                    let text = match cell(&item.link_id, &item.answer, def.options(i), questionnaires, &mut self.notes) {
                        Cell::Missing => String::new(),
                        Cell::Text(text) => text,
                    };
                    if self.cells[c].is_empty() {
                        self.cells[c].push_str(&text);
                    } else {
                        self.cells[c] = format!("several answers: {}; {text}", self.cells[c]);
                    }
                }
                Ok(Some(Target::Stated { instrument, scale })) => {
                    let stated = item.answer.iter().find_map(|a| a.value.as_ref()?.as_f64());
                    if let Some(x) = stated {
                        let _ = write!(self.cells[self.stated_at[instrument] + scale], "{x}");
                    }
                }
                Ok(None) => {
                    if self.unknown.len() < UNKNOWN_SHOWN {
                        self.unknown.insert(item.link_id.clone());
                    } else if !self.unknown.contains(&item.link_id) {
                        self.more_unknown += 1;
                    }
                }
                Err(n) => problems.push(format!(
                    "linkId {} is an item of {n} instruments given (give --map, or the response's questionnaire)",
                    item.link_id
                )),
            }
        }
        if !problems.is_empty() {
            self.cells[7] = problems.join("; ");
        } else if answered && !matched {
            let q = r.questionnaire.as_deref().unwrap_or("(none)");
            self.cells[7] = format!(
                "no item of the instruments given matches the response (questionnaire {q}): give --map or --questionnaire"
            );
        }
        let mut notes: Vec<String> = Vec::new();
        let status = &self.cells[5];
        if !FINAL.contains(&status.as_str()) {
            let status = if status.is_empty() { "(none)" } else { status };
            notes.push(format!("status {status}: scored as given"));
        }
        for note in &self.notes {
            let AnswerNote::NoSystem { link_id, code } = note;
            notes.push(format!(
                "answer {code} of {link_id} has no system: read as LOINC's"
            ));
        }
        self.cells[8].push_str(&notes.join("; "));
    }
}

/// Responses from several inputs, in order, as rows.
pub struct FlattenSource<R: Read> {
    inputs: std::vec::IntoIter<(Option<String>, R)>,
    reader: Option<ResponseReader<R>>,
    flattener: Flattener,
    skipped: std::collections::BTreeMap<String, u64>,
}

impl<R: Read> FlattenSource<R> {
    /// Read `inputs` (`(file name, reader)`), in order, into rows by `flattener`.
    pub fn new(inputs: Vec<(Option<String>, R)>, flattener: Flattener) -> FlattenSource<R> {
        FlattenSource {
            inputs: inputs.into_iter(),
            reader: None,
            flattener,
            skipped: Default::default(),
        }
    }

    /// The flattener (its unknown linkIds).
    pub fn flattener(&self) -> &Flattener {
        &self.flattener
    }

    /// Resources of other types skipped, by type, in the inputs read so far.
    pub fn skipped(&self) -> &std::collections::BTreeMap<String, u64> {
        &self.skipped
    }
}

impl<R: Read> RowSource for FlattenSource<R> {
    fn header(&mut self, header: &mut Record) -> Result<bool, BatchError> {
        header.clear();
        for name in self.flattener.header() {
            header.push(name.as_bytes());
        }
        Ok(true)
    }

    fn record(&mut self, record: &mut Record) -> Result<bool, BatchError> {
        loop {
            if self.reader.is_none() {
                let Some((file, input)) = self.inputs.next() else {
                    return Ok(false);
                };
                self.reader = Some(ResponseReader::new(input, file));
            }
            let reader = self.reader.as_mut().expect("a reader was just set");
            match reader.next() {
                Some(Ok(located)) => {
                    self.flattener.row(Ok(&located), record);
                    record.set_line(located.origin.line);
                    return Ok(true);
                }
                Some(Err(error)) => {
                    let line = error.line().unwrap_or(0);
                    let id = format!("{}:{line}", reader.file().unwrap_or("-"));
                    self.flattener.row(Err((&id, error.to_string())), record);
                    record.set_line(line);
                    return Ok(true);
                }
                None => {
                    for (kind, n) in reader.skipped() {
                        *self.skipped.entry(kind.clone()).or_default() += n;
                    }
                    self.reader = None;
                }
            }
        }
    }
}
