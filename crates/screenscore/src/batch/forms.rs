//! What a form tool's export holds beside the answers (REDCap's, first): the answers coded its
//! own way, the tool's own score of a scale, and each form's completion status and survey
//! timestamp. A [`FormPlan`] per instrument says where these are; the batch reads them with
//! the answers, so that an export is scored as it is, and says what it found in the notes
//! ([`FormNote`]).
//!
//! ```
//! use screenscore::batch::{Batch, FormPlan, FormTool, ItemAnswers, StatedScore};
//! use screenscore::output::CsvWriter;
//! use screenscore::Instrument;
//!
//! // A label export: REDCap wrote the choices' labels, and its own total.
//! let plan = FormPlan {
//!     instrument: "gad2".into(),
//!     form: "gad2_form".into(),
//!     answers: ["1", "2"]
//!         .map(|item| ItemAnswers {
//!             item: item.into(),
//!             labels: vec![("Not at all".into(), "0".into()), ("Several days".into(), "1".into())],
//!             codes: Vec::new(),
//!         })
//!         .to_vec(),
//!     stated: vec![StatedScore { scale: "total".into(), column: "gad2_sum".into() }],
//!     status_column: Some("gad2_form_complete".into()),
//!     timestamp_column: None,
//! };
//! let batch = Batch::builder()
//!     .instrument(Instrument::builtin("gad2")?.clone())
//!     .forms(FormTool::Redcap, vec![plan])
//!     .build()?;
//! let csv = "gad2_1,gad2_2,gad2_sum,gad2_form_complete\n\
//!            Several days,Several days,3,Unverified\n";
//! let mut out = CsvWriter::new(Vec::new());
//! batch.run(csv.as_bytes(), &mut [&mut out])?;
//! let text = String::from_utf8(out.into_inner()?)?;
//! assert_eq!(
//!     text.lines().nth(1),
//!     Some("Unverified,2,ok,,,REDCap form gad2_form is marked Unverified; \
//!           REDCap's gad2_sum is 3; the total computed is 2")
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::engine::Input;
use crate::instrument::Instrument;
use crate::matcher::trim;

use super::BatchError;

/// The form tool whose export is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormTool {
    /// REDCap: `{form}_complete` is 0 (Incomplete), 1 (Unverified) or 2 (Complete); a survey
    /// timestamp of `[not completed]` means the form was not completed as a survey.
    Redcap,
}

impl FormTool {
    /// The tool's name, as notes say it.
    pub fn as_str(self) -> &'static str {
        match self {
            FormTool::Redcap => "REDCap",
        }
    }

    /// The timestamp a form not completed as a survey has.
    pub(crate) fn no_timestamp(self) -> &'static str {
        match self {
            FormTool::Redcap => "[not completed]",
        }
    }
}

/// Where one instrument is in a form tool's export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormPlan {
    /// The instrument's id.
    pub instrument: String,
    /// The form's name in the tool (for notes).
    pub form: String,
    /// Items whose cells the tool writes its own way.
    pub answers: Vec<ItemAnswers>,
    /// The tool's own scores of scales, compared with the scores computed.
    pub stated: Vec<StatedScore>,
    /// The column with the form's completion status.
    pub status_column: Option<String>,
    /// The column with the form's survey timestamp.
    pub timestamp_column: Option<String>,
}

/// How the tool writes one item's answers: each as a cell text and the answer the
/// definition reads it as (its value, as text).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemAnswers {
    /// The item's id.
    pub item: String,
    /// `(label, value)`: the labels of a label export (matched ignoring ASCII case and
    /// surrounding spaces).
    pub labels: Vec<(String, String)>,
    /// `(code, value)`: the codes of a raw export, when they differ from the definition's
    /// values (answers recoded by label: every scored administration says so in its notes).
    pub codes: Vec<(String, String)>,
}

/// A column holding the tool's own score of a scale (REDCap's calculated field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatedScore {
    /// The scale's id.
    pub scale: String,
    /// The column.
    pub column: String,
}

/// A form's completion status, as the tool records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStatus {
    /// 0, `Incomplete`.
    Incomplete,
    /// 1, `Unverified`.
    Unverified,
    /// 2, `Complete`.
    Complete,
}

impl FormStatus {
    /// The status of a cell (code or label), and whether the cell is a label (a label export).
    fn read(cell: &[u8]) -> Option<(FormStatus, bool)> {
        let cell = trim(cell);
        let words = [
            (FormStatus::Incomplete, "0", "Incomplete"),
            (FormStatus::Unverified, "1", "Unverified"),
            (FormStatus::Complete, "2", "Complete"),
        ];
        words.into_iter().find_map(|(status, code, label)| {
            if cell == code.as_bytes() {
                Some((status, false))
            } else if cell.eq_ignore_ascii_case(label.as_bytes()) {
                Some((status, true))
            } else {
                None
            }
        })
    }

    /// The word REDCap shows.
    pub fn as_str(self) -> &'static str {
        match self {
            FormStatus::Incomplete => "Incomplete",
            FormStatus::Unverified => "Unverified",
            FormStatus::Complete => "Complete",
        }
    }
}

/// What the form tool's export says about an administration, in its notes.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum FormNote<'a> {
    /// The form is not marked complete.
    Status {
        /// The tool.
        tool: FormTool,
        /// The form.
        form: &'a str,
        /// Its status.
        status: FormStatus,
        /// Whether the administration was therefore left unscored (only complete forms
        /// scored).
        skipped: bool,
    },
    /// The survey timestamp says the form was not completed as a survey: the administration
    /// has no date.
    NoTimestamp {
        /// The tool.
        tool: FormTool,
        /// The timestamp column.
        column: &'a str,
    },
    /// The tool's codes were recoded by label to the definition's values.
    Recoded {
        /// The tool.
        tool: FormTool,
        /// `code→value, …` of the first item recoded.
        codes: &'a str,
    },
    /// A score stated in the input (the tool's own, or a `{id}_{scale}_stated` column) differs
    /// from the score computed (which stands).
    Stated {
        /// The tool, when the input is a form tool's export.
        tool: Option<FormTool>,
        /// The column of the tool's score.
        column: &'a str,
        /// The scale.
        scale: &'a str,
        /// The tool's score.
        stated: f64,
        /// The score computed; `None` when the scale is not scored.
        computed: Option<f64>,
    },
}

impl fmt::Display for FormNote<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FormNote::Status {
                tool,
                form,
                status,
                skipped,
            } => {
                write!(
                    f,
                    "{} form {form} is marked {}",
                    tool.as_str(),
                    status.as_str()
                )?;
                if skipped {
                    f.write_str(": not scored (only forms marked Complete are)")?;
                }
                Ok(())
            }
            FormNote::NoTimestamp { tool, column } => write!(
                f,
                "{} survey timestamp {column} is {}: no date",
                tool.as_str(),
                tool.no_timestamp()
            ),
            FormNote::Recoded { tool, codes } => write!(
                f,
                "answers recoded by label from {}'s codes ({codes})",
                tool.as_str()
            ),
            FormNote::Stated {
                tool,
                column,
                scale,
                stated,
                computed,
            } => match (tool, computed) {
                (Some(tool), Some(x)) => write!(
                    f,
                    "{}'s {column} is {stated}; the {scale} computed is {x}",
                    tool.as_str()
                ),
                (Some(tool), None) => write!(
                    f,
                    "{}'s {column} is {stated}; the {scale} is not scored",
                    tool.as_str()
                ),
                (None, Some(x)) => write!(f, "stated {scale} {stated}, computed {x}"),
                (None, None) => write!(f, "stated {scale} {stated}; the {scale} is not scored"),
            },
        }
    }
}

/// The form plans of a batch, checked against its instruments.
#[derive(Debug, Clone)]
pub(crate) struct Forms {
    pub(crate) tool: FormTool,
    pub(crate) require_complete: bool,
    /// Per instrument, its plan.
    pub(crate) plans: Vec<Option<Form>>,
    /// The columns an export may have, lowercased, when known.
    pub(crate) columns: Option<std::collections::BTreeSet<String>>,
}

/// `(cell, value)` pairs: how an item's answers are written, and what they mean.
type Pairs = Vec<(Box<[u8]>, Box<[u8]>)>;

/// One instrument's plan, by item and scale position.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    form: String,
    /// Per item: `(labels, codes)`.
    answers: Vec<Option<(Pairs, Pairs)>>,
    /// `code→value, …` when answers are recoded.
    recoded: Option<String>,
    /// `(scale, column)`.
    pub(crate) stated: Vec<(usize, String)>,
    pub(crate) status_column: Option<String>,
    pub(crate) timestamp_column: Option<String>,
}

impl Forms {
    /// Check `plans` against the batch's `instruments`.
    pub(crate) fn new(
        tool: FormTool,
        require_complete: bool,
        plans: Vec<FormPlan>,
        instruments: &[Instrument],
    ) -> Result<Forms, BatchError> {
        let mut compiled: Vec<Option<Form>> = vec![None; instruments.len()];
        for plan in plans {
            let problem = |message: String| BatchError::FormPlan {
                instrument: plan.instrument.clone(),
                message,
            };
            let Some(k) = instruments.iter().position(|i| i.id() == plan.instrument) else {
                return Err(problem("it is not among the instruments scored".into()));
            };
            let instrument = &instruments[k];
            let mut answers = vec![None; instrument.definition().items.len()];
            let mut recoded = None;
            for item in &plan.answers {
                let Some(i) = instrument.item_index(&item.item) else {
                    return Err(problem(format!("it has no item `{}`", item.item)));
                };
                let pairs = |pairs: &[(String, String)]| {
                    pairs
                        .iter()
                        .map(|(from, to)| (bytes(from.trim()), bytes(to.trim())))
                        .collect::<Vec<_>>()
                };
                if !item.codes.is_empty() && recoded.is_none() {
                    let shown: Vec<String> =
                        item.codes.iter().map(|(a, b)| format!("{a}→{b}")).collect();
                    recoded = Some(shown.join(", "));
                }
                answers[i] = Some((pairs(&item.labels), pairs(&item.codes)));
            }
            let mut stated = Vec::new();
            for score in &plan.stated {
                let Some(s) = instrument.scale_index(&score.scale) else {
                    return Err(problem(format!("it has no scale `{}`", score.scale)));
                };
                stated.push((s, score.column.clone()));
            }
            compiled[k] = Some(Form {
                form: plan.form,
                answers,
                recoded,
                stated,
                status_column: plan.status_column,
                timestamp_column: plan.timestamp_column,
            });
        }
        Ok(Forms {
            tool,
            require_complete,
            plans: compiled,
            columns: None,
        })
    }
}

fn bytes(text: &str) -> Box<[u8]> {
    text.as_bytes().into()
}

/// Where one instrument's form columns are in the input.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormColumns {
    pub(crate) status: Option<usize>,
    pub(crate) timestamp: Option<usize>,
    /// `(scale, column)`.
    pub(crate) stated: Vec<(usize, usize)>,
}

/// How a row is read for an instrument with a form plan: whether it is scored at all, and the
/// cells' translation.
pub(crate) struct FormRow<'f> {
    pub(crate) status: Option<FormStatus>,
    /// Whether the row is a label export (its status cell is a label).
    labels: Option<bool>,
    form: &'f Form,
}

impl<'f> FormRow<'f> {
    /// Read the row's status cell.
    pub(crate) fn new(form: &'f Form, status_cell: Option<&[u8]>) -> FormRow<'f> {
        let read = status_cell.and_then(FormStatus::read);
        FormRow {
            status: read.map(|(s, _)| s),
            labels: read.map(|(_, labels)| labels),
            form,
        }
    }

    /// Whether the form is to be left unscored (only complete forms scored, and this one is
    /// not marked complete).
    pub(crate) fn skipped(&self, forms: &Forms) -> bool {
        forms.require_complete && self.status != Some(FormStatus::Complete)
    }

    /// The answer `cell` of item `item` means, as the definition writes it.
    fn translate<'c>(&self, item: usize, cell: &'c [u8]) -> &'c [u8]
    where
        'f: 'c,
    {
        let Some(Some((labels, codes))) = self.form.answers.get(item) else {
            return cell;
        };
        let key = trim(cell);
        let find = |pairs: &'f Pairs| {
            pairs
                .iter()
                .find(|(from, _)| from.eq_ignore_ascii_case(key))
                .map(|(_, to)| &to[..])
        };
        // A raw export's codes, a label export's labels; either, when the status is unknown
        // (codes first: a label that is another choice's code is read as the code).
        let found = match self.labels {
            Some(false) => find(codes),
            Some(true) => find(labels),
            None => find(codes).or_else(|| find(labels)),
        };
        found.unwrap_or(cell)
    }

    /// The notes of a scored administration (its status, the recode, the timestamp), in
    /// `notes`.
    pub(crate) fn notes(
        &self,
        forms: &Forms,
        timestamp_cell: Option<&[u8]>,
        notes: &mut Vec<FormNote<'f>>,
    ) {
        let tool = forms.tool;
        if let Some(status) = self.status.filter(|s| *s != FormStatus::Complete) {
            notes.push(FormNote::Status {
                tool,
                form: &self.form.form,
                status,
                skipped: forms.require_complete,
            });
        }
        if forms.require_complete && self.status != Some(FormStatus::Complete) {
            return;
        }
        if let Some(codes) = &self.form.recoded
            && self.labels != Some(true)
        {
            notes.push(FormNote::Recoded { tool, codes });
        }
        let no_timestamp = tool.no_timestamp().as_bytes();
        if let (Some(column), Some(cell)) = (&self.form.timestamp_column, timestamp_cell)
            && trim(cell) == no_timestamp
        {
            notes.push(FormNote::NoTimestamp { tool, column });
        }
    }
}

/// An instrument's cells read through its form plan.
pub(crate) struct FormInput<'a, I> {
    pub(crate) inner: &'a I,
    pub(crate) row: &'a FormRow<'a>,
}

impl<I: Input> Input for FormInput<'_, I> {
    fn item(&self, item: usize) -> Option<&[u8]> {
        let cell = self.inner.item(item)?;
        Some(self.row.translate(item, cell))
    }

    fn attribute(&self, attribute: usize) -> Option<&[u8]> {
        self.inner.attribute(attribute)
    }

    fn is_missing_code(&self, cell: &[u8]) -> bool {
        self.inner.is_missing_code(cell)
    }

    fn decimals(&self) -> crate::matcher::Decimals {
        self.inner.decimals()
    }
}

/// No cells at all: an administration not given.
pub(crate) struct NotGiven;

impl Input for NotGiven {
    fn item(&self, _: usize) -> Option<&[u8]> {
        None
    }

    fn attribute(&self, _: usize) -> Option<&[u8]> {
        None
    }
}

/// The note comparing a stated score with the computed one, when they differ (a stated cell
/// that is empty or not a number says nothing).
pub(crate) fn compare<'f>(
    tool: Option<FormTool>,
    column: &'f str,
    scale: &'f str,
    cell: &[u8],
    computed: Option<f64>,
) -> Option<FormNote<'f>> {
    let text = std::str::from_utf8(trim(cell)).ok()?;
    let stated: f64 = text.parse().ok().filter(|x: &f64| x.is_finite())?;
    let same = computed.is_some_and(|x| (x - stated).abs() <= 1e-9 * stated.abs().max(1.0));
    (!same).then_some(FormNote::Stated {
        tool,
        column,
        scale,
        stated,
        computed,
    })
}
