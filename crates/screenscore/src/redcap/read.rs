//! Reading the CSV: the header, then one [`Field`] per row, with the line it starts on.
//!
//! Records are read by the batch reader (`batch::RecordReader`), which counts lines as an
//! editor shows them (`\n`, `\r\n` and a lone `\r` each end one; a quoted label spanning lines
//! counts them all) and drops a UTF-8 byte-order mark.

use super::choices;
use super::dictionary::{Choice, DictionaryError, Field, FieldType, HeaderKind};
use super::header::{self, col};
use crate::batch::{Record, RecordReader};

/// How many characters of a header a message shows.
const HEADER_SHOWN: usize = 200;

/// The header's kind and the fields of the dictionary `bytes`, in order.
pub(super) fn fields(bytes: &[u8]) -> Result<(HeaderKind, Vec<Field>), DictionaryError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DictionaryError::Csv {
            line: 1,
            message: "the file is UTF-16; save the data dictionary as CSV in UTF-8 \
                      (REDCap downloads it so)"
                .to_string(),
        });
    }
    let mut reader = RecordReader::new(bytes, b',');
    let mut record = Record::default();
    let csv_error = |record: &Record, e: std::io::Error| DictionaryError::Csv {
        line: record.line.max(1),
        message: e.to_string(),
    };
    if !reader
        .read(&mut record)
        .map_err(|e| csv_error(&record, e))?
    {
        return Err(DictionaryError::Empty);
    }
    let header = cells(&record)?;
    let Some(kind) = header::kind(&header) else {
        if header.iter().all(|h| h.trim().is_empty()) {
            return Err(DictionaryError::Empty);
        }
        return Err(DictionaryError::NotADictionary {
            found: shown_header(&header),
            looks_like_export: header::looks_like_export(&header),
        });
    };
    let mut fields = Vec::new();
    while reader
        .read(&mut record)
        .map_err(|e| csv_error(&record, e))?
    {
        let row = cells(&record)?;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if row.len() != header.len() {
            return Err(DictionaryError::Cells {
                line: record.line,
                found: row.len(),
                expected: header.len(),
            });
        }
        fields.push(field(row, record.line)?);
    }
    if fields.is_empty() {
        return Err(DictionaryError::Empty);
    }
    Ok((kind, fields))
}

/// The record's cells as text; a cell that is not UTF-8 is an error naming the line.
fn cells(record: &Record) -> Result<Vec<String>, DictionaryError> {
    record
        .iter()
        .map(|cell| {
            String::from_utf8(cell.to_vec()).map_err(|_| DictionaryError::Csv {
                line: record.line,
                message: "the row is not UTF-8 text; save the data dictionary as CSV in UTF-8 \
                          (REDCap downloads it so)"
                    .to_string(),
            })
        })
        .collect()
}

/// The header as a message shows it: its cells joined by commas, cut after
/// [`HEADER_SHOWN`] characters, control characters escaped.
fn shown_header(header: &[String]) -> String {
    super::error::shown(&header.join(","), HEADER_SHOWN)
}

/// One row as a field.
fn field(mut row: Vec<String>, line: u64) -> Result<Field, DictionaryError> {
    // Columns a short header lacks read as empty.
    row.resize(header::UI.len(), String::new());
    let take = |row: &mut Vec<String>, i: usize| std::mem::take(&mut row[i]);
    // An optional cell: trimmed, a bare `NA` (R's write.csv) is empty.
    let optional = |row: &mut Vec<String>, i: usize| {
        let cell = take(row, i);
        let trimmed = cell.trim();
        if trimmed.is_empty() || trimmed == "NA" {
            None
        } else if trimmed.len() == cell.len() {
            Some(cell)
        } else {
            Some(trimmed.to_string())
        }
    };
    let name = take(&mut row, col::NAME).trim().to_string();
    check_name(&name, line)?;
    let form = take(&mut row, col::FORM).trim().to_string();
    if form.is_empty() {
        return Err(DictionaryError::NoForm { field: name, line });
    }
    let found = take(&mut row, col::TYPE);
    let Some(field_type) = FieldType::parse(&found) else {
        return Err(DictionaryError::UnknownFieldType {
            field: name,
            line,
            found,
        });
    };
    let label = take(&mut row, col::LABEL);
    let choices_text = optional(&mut row, col::CHOICES);
    let yes = |flag: Option<String>| flag.is_some_and(|f| f.eq_ignore_ascii_case("y"));
    let mut field = Field {
        section_header: optional(&mut row, col::SECTION).unwrap_or_default(),
        choices: Vec::new(),
        calculation: None,
        slider_labels: None,
        note: optional(&mut row, col::NOTE).unwrap_or_default(),
        validation: optional(&mut row, col::VALIDATION),
        validation_min: optional(&mut row, col::MIN),
        validation_max: optional(&mut row, col::MAX),
        identifier: yes(optional(&mut row, col::IDENTIFIER)),
        required: yes(optional(&mut row, col::REQUIRED)),
        branching_logic: optional(&mut row, col::BRANCHING),
        annotation: optional(&mut row, col::ANNOTATION).unwrap_or_default(),
        name,
        form,
        field_type,
        label,
        line,
    };
    match field_type {
        t if t.has_choice_list() => {
            let text = choices_text.unwrap_or_default();
            field.choices = choices::parse(&text).map_err(|refusal| DictionaryError::Choices {
                field: field.name.clone(),
                line,
                text: refusal.text,
                reason: refusal.reason,
            })?;
        }
        FieldType::Yesno => field.choices = fixed(&[("1", "Yes"), ("0", "No")]),
        FieldType::Truefalse => field.choices = fixed(&[("1", "True"), ("0", "False")]),
        FieldType::Calc => field.calculation = choices_text,
        FieldType::Slider => field.slider_labels = choices_text,
        _ => {}
    }
    Ok(field)
}

/// The choices REDCap gives yes/no and true/false fields.
fn fixed(pairs: &[(&str, &str)]) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(code, label)| Choice {
            code: code.to_string(),
            label: label.to_string(),
        })
        .collect()
}

/// A field name as REDCap allows it: lowercase letters, digits and `_`, starting with a letter
/// (REDCap's guide to the data dictionary, column A).
fn check_name(name: &str, line: u64) -> Result<(), DictionaryError> {
    let reason = if name.is_empty() {
        "it is empty; every row needs a field name"
    } else if !name.as_bytes()[0].is_ascii_lowercase() {
        "REDCap field names start with a lowercase letter"
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        "REDCap field names hold only lowercase letters, digits and `_`"
    } else {
        return Ok(());
    };
    Err(DictionaryError::FieldName {
        field: name.to_string(),
        line,
        reason: reason.to_string(),
    })
}
