//! Scores written back for REDCap's Data Import Tool: the record id, the event and repeat
//! columns where the export has them, and each score in the field named for it. screenscore
//! never calls REDCap: the person uploads the file.

use std::io;

use crate::batch::{FormPlan, Layout, RowSink, ScoredRow};
use crate::instrument::Instrument;
use crate::sheet::Status;

use super::{Dictionary, FieldType, RedcapError};

/// Columns an import file copies from the export, after the record id, when it has them.
const ROW_COLUMNS: [&str; 3] = [
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
];

/// How a score is written in its field, from the field's validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// No validation, or `number`: as computed (`12`, `12.5`).
    AsIs,
    /// `integer`: whole scores only.
    Integer,
    /// `number_Ndp`: with N decimals.
    Decimals(usize),
}

/// One score column of the import file.
#[derive(Debug, Clone)]
struct ScoreField {
    instrument: usize,
    scale: usize,
    field: String,
    written: Written,
    min: Option<f64>,
    max: Option<f64>,
}

/// A score that the field's validation does not accept: left empty.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    /// The row's record number.
    pub record: u64,
    /// The field.
    pub field: String,
    /// The score.
    pub score: f64,
    /// What the field accepts.
    pub accepts: String,
}

/// Writes the import file: one line per row where an instrument with a score field was
/// administered.
///
/// ```
/// use screenscore::batch::{Batch, FormTool};
/// use screenscore::redcap::{Dictionary, ImportWriter, ScoreFields, form_plans};
/// use screenscore::batch::ColumnMap;
/// use screenscore::Instrument;
///
/// let dictionary = Dictionary::from_csv(
///     b"field_name,form_name,section_header,field_type,field_label,\
///       select_choices_or_calculations,field_note,text_validation_type_or_show_slider_number\n\
///       record_id,gad,,text,Record ID,,,\n\
///       gad2_1,gad,,radio,One,\"0, Not at all | 3, Nearly every day\",,\n\
///       gad2_2,gad,,radio,Two,\"0, Not at all | 3, Nearly every day\",,\n\
///       gad2_score,gad,,text,Score,,,integer\n",
/// )?;
/// let gad2 = Instrument::builtin("gad2")?.clone();
/// let plans = form_plans(&dictionary, &ColumnMap::new(), &[gad2.clone()])?;
/// let fields = ScoreFields::new(
///     &dictionary,
///     &[gad2.clone()],
///     &plans,
///     &[("gad2_total".into(), "gad2_score".into())],
/// )?;
/// let writer = ImportWriter::new(Vec::new(), fields);
/// let batch = Batch::builder().instrument(gad2).forms(FormTool::Redcap, plans).build()?;
/// let mut writer = writer;
/// let csv = "record_id,redcap_event_name,gad2_1,gad2_2\nA1,visit_1_arm_1,3,Nearly every day\nA2,visit_1_arm_1,,\n";
/// batch.run(csv.as_bytes(), &mut [&mut writer])?;
/// let text = String::from_utf8(writer.into_inner()?)?;
/// assert_eq!(text, "record_id,redcap_event_name,gad2_score\nA1,visit_1_arm_1,6\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ImportWriter<W: io::Write> {
    out: csv::Writer<W>,
    record_id: String,
    fields: Vec<ScoreField>,
    /// The record id column, then the copied columns present in the export.
    columns: Vec<usize>,
    refused: Vec<Refused>,
    line: Vec<String>,
    /// The project's forms (a repeat instrument is one of them in a raw export).
    forms: Vec<String>,
}

/// The score fields of an import file, checked against the dictionary, and what the writer
/// needs of it (the record id, the forms).
#[derive(Debug, Clone)]
pub struct ScoreFields {
    record_id: String,
    fields: Vec<ScoreField>,
    forms: Vec<String>,
}

impl ScoreFields {
    /// The scores named by `score_fields` (`(score column, field)`, as `phq9_total` →
    /// `phq9_score`). Each field must be a text field of the dictionary on the instrument's
    /// own form (so that it is in every event and repeat of the form), with no validation or a
    /// numeric one (`integer`, `number`, `number_1dp`, …).
    pub fn new(
        dictionary: &Dictionary,
        instruments: &[Instrument],
        plans: &[FormPlan],
        score_fields: &[(String, String)],
    ) -> Result<ScoreFields, RedcapError> {
        let mut fields = Vec::new();
        for (column, name) in score_fields {
            let refuse = |reason: String| RedcapError::ScoreField {
                column: column.clone(),
                field: name.clone(),
                reason,
            };
            let found = instruments.iter().enumerate().find_map(|(k, i)| {
                let def = i.definition();
                let s = def.scales.iter().position(|s| {
                    format!("{}_{}", def.id, s.id).eq_ignore_ascii_case(column.trim())
                })?;
                Some((k, s))
            });
            let Some((k, s)) = found else {
                return Err(refuse(
                    "it is not a score column of the instruments scored".into(),
                ));
            };
            let Some(field) = dictionary.field(name.trim()) else {
                return Err(refuse("the data dictionary has no such field".into()));
            };
            if field.field_type != FieldType::Text {
                return Err(refuse(format!(
                    "it is a {} field; a score is imported into a text field (REDCap computes \
                     calculated fields itself)",
                    field.field_type.as_str()
                )));
            }
            let form = plans
                .iter()
                .find(|p| p.instrument == instruments[k].id())
                .map(|p| p.form.as_str())
                .unwrap_or_default();
            if !field.form.eq_ignore_ascii_case(form) {
                return Err(refuse(format!(
                    "it is on form {}, not on {} where the {} items are: a value is imported \
                     only into a form of the row's event (and repeat), so put the score field \
                     on {}",
                    field.form,
                    if form.is_empty() { "the form" } else { form },
                    instruments[k].id(),
                    if form.is_empty() { "that form" } else { form }
                )));
            }
            let written = match field.validation.as_deref().map(str::trim) {
                None | Some("") | Some("number") => Written::AsIs,
                Some("integer") => Written::Integer,
                Some(other) => match other
                    .strip_prefix("number_")
                    .and_then(|rest| rest.strip_suffix("dp"))
                    .and_then(|n| n.parse().ok())
                {
                    Some(n) => Written::Decimals(n),
                    None => {
                        return Err(refuse(format!(
                            "its validation {other} does not accept a score (none, integer, \
                             number or number_Ndp does)"
                        )));
                    }
                },
            };
            let bound = |b: &Option<String>| b.as_deref().and_then(|t| t.trim().parse().ok());
            fields.push(ScoreField {
                instrument: k,
                scale: s,
                field: field.name.clone(),
                written,
                min: bound(&field.validation_min),
                max: bound(&field.validation_max),
            });
        }
        Ok(ScoreFields {
            record_id: dictionary.record_id().name.clone(),
            fields,
            forms: dictionary.forms().iter().map(|f| f.to_string()).collect(),
        })
    }
}

impl<W: io::Write> ImportWriter<W> {
    /// Write the scores of `fields` to `out`.
    pub fn new(out: W, fields: ScoreFields) -> ImportWriter<W> {
        ImportWriter {
            out: csv::Writer::from_writer(out),
            record_id: fields.record_id,
            fields: fields.fields,
            columns: Vec::new(),
            refused: Vec::new(),
            line: Vec::new(),
            forms: fields.forms,
        }
    }

    /// Scores left empty because their field did not accept them.
    pub fn refused(&self) -> &[Refused] {
        &self.refused
    }

    /// The writer, flushed.
    pub fn into_inner(self) -> io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }

    /// A score as its field takes it, or what the field accepts.
    fn written(field: &ScoreField, score: f64) -> Result<String, String> {
        let text = match field.written {
            Written::AsIs => format!("{score}"),
            Written::Integer if score.fract() == 0.0 => format!("{score}"),
            Written::Integer => return Err("whole numbers (integer)".into()),
            Written::Decimals(n) => format!("{score:.n$}"),
        };
        let below = field.min.is_some_and(|min| score < min);
        let above = field.max.is_some_and(|max| score > max);
        if below || above {
            let show = |b: Option<f64>| b.map_or("…".to_string(), |b| format!("{b}"));
            return Err(format!("{} to {}", show(field.min), show(field.max)));
        }
        Ok(text)
    }
}

impl<W: io::Write> RowSink for ImportWriter<W> {
    fn begin(&mut self, layout: &Layout, _: &[Instrument]) -> io::Result<()> {
        let find = |name: &str| {
            layout
                .names()
                .iter()
                .position(|n| n.eq_ignore_ascii_case(name))
        };
        let Some(id) = find(&self.record_id) else {
            return Err(io::Error::other(format!(
                "the export has no column {}, the project's record id",
                self.record_id
            )));
        };
        self.columns = vec![id];
        let mut header = vec![layout.names()[id].clone()];
        for name in ROW_COLUMNS {
            if let Some(c) = find(name) {
                self.columns.push(c);
                header.push(name.to_string());
            }
        }
        header.extend(self.fields.iter().map(|f| f.field.clone()));
        self.out.write_record(&header).map_err(io::Error::other)
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        let given = |f: &ScoreField| row.sheets()[f.instrument].status() != Status::Absent;
        if !self.fields.iter().any(given) {
            return Ok(());
        }
        self.line.clear();
        for (n, &c) in self.columns.iter().enumerate() {
            let cell = String::from_utf8_lossy(row.get(c).unwrap_or_default())
                .trim()
                .to_string();
            let label = match n {
                // The unique event name: lowercase letters, digits and underscores.
                1 => !cell
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                // A form's name, or empty on a row that is not a repeat.
                2 => !cell.is_empty() && !self.forms.contains(&cell),
                _ => false,
            };
            if label {
                return Err(io::Error::other(format!(
                    "record {}: {} is `{cell}`, a label, not REDCap's name: an import file is \
                     made from an export of raw data (codes), not of labels",
                    row.record,
                    ROW_COLUMNS[n - 1]
                )));
            }
            self.line.push(cell);
        }
        for field in &self.fields {
            let inst = row.instrument(field.instrument);
            let score = inst.scales().nth(field.scale).and_then(|s| s.score.score());
            let text = match score {
                Some(score) if given(field) => match Self::written(field, score) {
                    Ok(text) => text,
                    Err(accepts) => {
                        self.refused.push(Refused {
                            record: row.record,
                            field: field.field.clone(),
                            score,
                            accepts,
                        });
                        String::new()
                    }
                },
                _ => String::new(),
            };
            self.line.push(text);
        }
        self.out.write_record(&self.line).map_err(io::Error::other)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
