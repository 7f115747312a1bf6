//! One row's reused buffers ([`Slot`]) and the fixed stages run over them ([`Stages`]): score
//! every instrument, then standard scores, then change, each prepared once per batch. After the
//! first rows nothing is allocated per row (a row with a bad cell keeps the cell's text).

use crate::date::Timestamp;
use crate::engine::Input;
use crate::matcher::Decimals;
use crate::norms::Respondent;
use crate::sheet::{ScoreSheet, Status};

use super::change_stage::ChangeStage;
use super::forms::{Form, FormColumns, FormInput, FormNote, FormRow, Forms, NotGiven, compare};
use super::record::Record;
use super::row::InstrumentExtras;
use super::standard::StandardStage;
use super::{Batch, Layout, RowNote, RowProblem, ScoredRow, row_status};
use crate::matcher::trim;

/// One row's buffers, reused from row to row: the record as read and what was made of it.
pub(crate) struct Slot<'s> {
    /// 1-based number of the record.
    pub(crate) number: u64,
    pub(crate) record: Record,
    /// Why the record is left unscored as a whole, if it is.
    pub(crate) problem: Option<RowProblem>,
    /// How the record differs from the header where that is resolved.
    pub(crate) note: Option<RowNote>,
    /// A hash of the record's text, when the scanner keeps them (change over time compares
    /// the two passes' records).
    pub(crate) hash: u64,
    /// One sheet per instrument.
    pub(crate) sheets: Vec<ScoreSheet<'s>>,
    /// Per instrument: standard scores and change, when on.
    pub(crate) extras: Vec<InstrumentExtras<'s>>,
    /// The row's date, when change is on and it is readable.
    date: Option<Timestamp>,
    /// See [`ScoredRow::status`].
    status: Status,
    /// See [`ScoredRow::formula_free`].
    formula_free: bool,
}

impl<'s> Slot<'s> {
    pub(crate) fn new(batch: &'s Batch) -> Slot<'s> {
        Slot {
            number: 0,
            record: Record::default(),
            problem: None,
            note: None,
            hash: 0,
            sheets: batch.instruments.iter().map(ScoreSheet::new).collect(),
            extras: batch
                .instruments
                .iter()
                .map(|i| InstrumentExtras::sized(i.definition().scales.len()))
                .collect(),
            date: None,
            status: Status::Absent,
            formula_free: false,
        }
    }

    /// The cell of column `c`, if any.
    pub(crate) fn cell(&self, c: Option<usize>) -> Option<&[u8]> {
        c.and_then(|c| self.record.get(c))
    }

    /// The row as sinks see it.
    pub(crate) fn row<'a>(&'a self, layout: &'a Layout) -> ScoredRow<'a> {
        ScoredRow {
            record: self.number,
            line: self.record.line,
            problem: self.problem,
            note: self.note,
            cells: &self.record,
            status: self.status,
            formula_free: self.formula_free,
            sheets: &self.sheets,
            layout,
            extras: &self.extras,
            date: self.date,
        }
    }
}

/// The stages a record read into a [`Slot`] goes through: each instrument scored, then
/// standard scores and change when they are on. Shared by the threads that score.
pub(crate) struct Stages<'s> {
    batch: &'s Batch,
    layout: &'s Layout,
    standard: Option<StandardStage<'s>>,
    /// Change since earlier administrations, when on and this is pass 2.
    change: Option<&'s ChangeStage<'s>>,
}

impl<'s> Stages<'s> {
    /// Scores only (pass 1 of change over time).
    pub(crate) fn scores(batch: &'s Batch, layout: &'s Layout) -> Stages<'s> {
        Stages {
            batch,
            layout,
            standard: None,
            change: None,
        }
    }

    /// Scores, standard scores when on, and change when given.
    pub(crate) fn full(
        batch: &'s Batch,
        layout: &'s Layout,
        change: Option<&'s ChangeStage<'s>>,
    ) -> Stages<'s> {
        Stages {
            batch,
            layout,
            standard: batch
                .standard
                .then(|| StandardStage::new(&batch.instruments, batch.standard_groups())),
            change,
        }
    }

    /// The batch scored.
    pub(crate) fn batch(&self) -> &'s Batch {
        self.batch
    }

    /// Run every stage over the record in `slot`.
    pub(crate) fn run(&self, slot: &mut Slot<'s>) {
        let marked = self.layout.marked.and_then(|c| slot.record.get(c));
        if slot.problem.is_none() && marked.is_some_and(|cell| !trim(cell).is_empty()) {
            slot.problem = Some(RowProblem::Marked);
        }
        for (k, ((instrument, cols), sheet)) in self
            .batch
            .instruments
            .iter()
            .zip(&self.layout.instruments)
            .zip(&mut slot.sheets)
            .enumerate()
        {
            let notes = &mut slot.extras[k].form;
            notes.clear();
            if slot.problem.is_some() {
                sheet.mark_invalid();
                continue;
            }
            let input = RecordInput {
                record: &slot.record,
                items: &cols.items,
                attributes: &cols.attributes,
                missing_codes: &self.batch.missing_codes,
                decimals: Decimals::for_delimiter(self.batch.delimiter),
            };
            let forms = self.batch.forms.as_ref();
            let plan = forms.and_then(|f| Some((f, f.plans[k].as_ref()?)));
            let scored = match plan {
                None => {
                    instrument.score_into(&input, sheet);
                    true
                }
                Some((forms, form)) => {
                    score_form(forms, form, &cols.form, &slot.record, &input, sheet, notes)
                }
            };
            if !scored || sheet.status() == Status::Absent {
                continue;
            }
            // A score the input states (a form tool's own total) is compared.
            let tool = plan.map(|(forms, _)| forms.tool);
            for &(s, c) in &cols.form.stated {
                let computed = sheet.scales[s].score;
                let column = self.layout.names()[c].as_str();
                let scale = instrument.definition().scales[s].id.as_str();
                let cell = slot.record.get(c).unwrap_or_default();
                notes.extend(compare(tool, column, scale, cell, computed));
            }
        }
        slot.status = row_status(&slot.sheets);
        slot.formula_free = ScoredRow::formula_free(&slot.record, self.layout);
        if self.standard.is_none() && self.change.is_none() {
            return;
        }
        let respondent =
            Respondent::from_cells(slot.cell(self.layout.sex), slot.cell(self.layout.age));
        if let Some(standard) = &self.standard {
            standard.apply(&slot.sheets, &respondent, &mut slot.extras);
        }
        if let Some(change) = self.change {
            let cell = self.layout.date.and_then(|c| slot.record.get(c));
            let date = self.layout.date_text(cell);
            let row = slot.number as usize - 1;
            slot.date = change.fill(row, date, &respondent, &mut slot.extras);
        }
    }
}

/// Score an instrument read through its form plan: answers translated, the form left
/// unscored when only complete forms are, and what the export says in `notes`. Whether the
/// administration was scored (not left unscored for its status).
fn score_form<'s>(
    forms: &'s Forms,
    form: &'s Form,
    columns: &FormColumns,
    record: &Record,
    input: &RecordInput<'_>,
    sheet: &mut ScoreSheet<'s>,
    notes: &mut Vec<FormNote<'s>>,
) -> bool {
    let row = FormRow::new(form, columns.status.and_then(|c| record.get(c)));
    let translated = FormInput {
        inner: input,
        row: &row,
    };
    sheet.instrument().score_into(&translated, sheet);
    if sheet.status() == Status::Absent {
        return true;
    }
    row.notes(forms, columns.timestamp.and_then(|c| record.get(c)), notes);
    if row.skipped(forms) {
        sheet.instrument().score_into(&NotGiven, sheet);
        return false;
    }
    true
}

/// A record's cells as the engine reads them: items and attributes by their columns.
struct RecordInput<'a> {
    record: &'a Record,
    items: &'a [Option<usize>],
    attributes: &'a [Option<usize>],
    missing_codes: &'a [String],
    /// `2,0` is 2 when the cells are not separated by commas.
    decimals: Decimals,
}

impl Input for RecordInput<'_> {
    #[inline]
    fn item(&self, item: usize) -> Option<&[u8]> {
        self.items[item].and_then(|c| self.record.get(c))
    }

    #[inline]
    fn attribute(&self, attribute: usize) -> Option<&[u8]> {
        self.attributes[attribute].and_then(|c| self.record.get(c))
    }

    fn is_missing_code(&self, cell: &[u8]) -> bool {
        self.missing_codes
            .iter()
            .any(|m| m.as_bytes().eq_ignore_ascii_case(cell))
    }

    #[inline]
    fn decimals(&self) -> Decimals {
        self.decimals
    }
}
