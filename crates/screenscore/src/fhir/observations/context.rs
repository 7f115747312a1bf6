//! What an Observation takes from its row: the columns a QuestionnaireResponse's reader passes
//! through ([`QR_ID`], [`SUBJECT`], …), found by name, and read as FHIR elements.

use crate::batch::ScoredRow;

use super::super::datatypes::{CodeableConcept, Coding, Reference};
use super::super::ids;
use super::super::observation::Observation;
use super::{
    AUTHOR, AUTHORED, CATEGORY_SYSTEM, ENCOUNTER, INPUT_ERROR, QR_ID, QR_NOTES, QR_STATUS, SUBJECT,
};

/// The positions of the pass-through columns, where the input has them.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Columns {
    qr_id: Option<usize>,
    subject: Option<usize>,
    authored: Option<usize>,
    encounter: Option<usize>,
    qr_status: Option<usize>,
    author: Option<usize>,
    input_error: Option<usize>,
    qr_notes: Option<usize>,
}

impl Columns {
    /// The columns among `names` (matched regardless of case and surrounding spaces).
    pub(super) fn find(names: &[String]) -> Columns {
        let at = |name: &str| {
            names
                .iter()
                .position(|n| n.trim().eq_ignore_ascii_case(name))
        };
        Columns {
            qr_id: at(QR_ID),
            subject: at(SUBJECT),
            authored: at(AUTHORED),
            encounter: at(ENCOUNTER),
            qr_status: at(QR_STATUS),
            author: at(AUTHOR),
            input_error: at(INPUT_ERROR),
            qr_notes: at(QR_NOTES),
        }
    }
}

/// One row's response, as its Observations use it.
#[derive(Debug)]
pub(super) struct Context<'r> {
    /// The start of every key: the response's id, else `row{record}`.
    pub(super) key: String,
    pub(super) subject: Option<&'r str>,
    pub(super) encounter: Option<&'r str>,
    /// `authored`, when it is a FHIR dateTime.
    pub(super) effective: Option<&'r str>,
    /// Whether `authored` is given but not a FHIR dateTime.
    pub(super) unreadable_date: bool,
    pub(super) author: Option<&'r str>,
    pub(super) qr_status: Option<&'r str>,
    pub(super) input_error: bool,
    pub(super) qr_notes: Option<&'r str>,
    /// `derivedFrom`: the response.
    derived_from: Option<Reference>,
}

impl<'r> Context<'r> {
    /// The row's cells of `columns`.
    pub(super) fn read(row: &ScoredRow<'r>, columns: &Columns) -> Context<'r> {
        let cell = |c: Option<usize>| {
            let bytes = row.get(c?)?;
            let text = std::str::from_utf8(bytes).ok()?.trim();
            (!text.is_empty()).then_some(text)
        };
        let qr_id = cell(columns.qr_id);
        let authored = cell(columns.authored);
        let effective = authored.filter(|d| is_date_time(d));
        Context {
            key: qr_id.map_or_else(|| format!("row{}", row.record), str::to_owned),
            subject: cell(columns.subject),
            encounter: cell(columns.encounter),
            effective,
            unreadable_date: authored.is_some() && effective.is_none(),
            author: cell(columns.author),
            qr_status: cell(columns.qr_status),
            input_error: cell(columns.input_error).is_some(),
            qr_notes: cell(columns.qr_notes),
            derived_from: qr_id.map(response_reference),
        }
    }

    /// Whether a score Observation of this row has what the PROM score profile requires of
    /// the row: a subject, and a date of at least a day (us-core-1).
    pub(super) fn conforms(&self) -> bool {
        self.subject.is_some() && self.effective.is_some_and(|d| d.len() >= 10)
    }

    /// An Observation of this row with `code`: id, status, category, subject, encounter,
    /// effective, performer, derivedFrom.
    pub(super) fn observation(&self, key: &str, code: &CodeableConcept) -> Observation {
        Observation {
            id: Some(ids::fhir_id(key)),
            status: "final".to_owned(),
            category: vec![CodeableConcept::coding(
                Coding::new(CATEGORY_SYSTEM, "survey").with_display("Survey"),
            )],
            code: code.clone(),
            subject: self.subject.map(Reference::to),
            encounter: self.encounter.map(Reference::to),
            effective_date_time: self.effective.map(str::to_owned),
            performer: self.author.map(Reference::to).into_iter().collect(),
            derived_from: self.derived_from.clone().into_iter().collect(),
            ..Observation::default()
        }
    }
}

/// The reference to a response from its id: `QuestionnaireResponse/{id}` for a FHIR id, the
/// URL as it is for an absolute URL or a `urn:` (a Bundle's `fullUrl`), else (`file:line`) a
/// reference of type `QuestionnaireResponse` whose display says where it was read.
fn response_reference(id: &str) -> Reference {
    if ids::is_fhir_id(id) {
        Reference::to(format!("QuestionnaireResponse/{id}"))
    } else if ["http://", "https://", "urn:uuid:", "urn:oid:"]
        .iter()
        .any(|p| id.starts_with(p))
    {
        Reference::to(id)
    } else {
        Reference {
            type_: Some("QuestionnaireResponse".to_owned()),
            display: Some(format!("QuestionnaireResponse read at {id}")),
            ..Reference::default()
        }
    }
}

/// Whether `text` is a FHIR dateTime (<https://hl7.org/fhir/R4/datatypes.html#dateTime>):
/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm:ss(.f…)` with `Z` or `±hh:mm`.
pub(super) fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| {
        b.get(from..from + n)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let number = |from: usize| u32::from(b[from] - b'0') * 10 + u32::from(b[from + 1] - b'0');
    let in_range =
        |from: usize, lo: u32, hi: u32| digits(from, 2) && (lo..=hi).contains(&number(from));
    if !digits(0, 4) {
        return false;
    }
    match b.len() {
        4 => return true,
        7 => return b[4] == b'-' && in_range(5, 1, 12),
        10 => return b[4] == b'-' && in_range(5, 1, 12) && b[7] == b'-' && in_range(8, 1, 31),
        _ => {}
    }
    let date = b.len() > 19
        && b[4] == b'-'
        && in_range(5, 1, 12)
        && b[7] == b'-'
        && in_range(8, 1, 31)
        && b[10] == b'T'
        && in_range(11, 0, 23)
        && b[13] == b':'
        && in_range(14, 0, 59)
        && b[16] == b':'
        && in_range(17, 0, 60);
    if !date {
        return false;
    }
    let mut at = 19;
    if b[at] == b'.' {
        let start = at + 1;
        at = start;
        while at < b.len() && b[at].is_ascii_digit() {
            at += 1;
        }
        if at == start {
            return false;
        }
    }
    match &b[at..] {
        [b'Z'] => true,
        [b'+' | b'-', ..] => {
            b.len() == at + 6
                && in_range(at + 1, 0, 14)
                && b[at + 3] == b':'
                && in_range(at + 4, 0, 59)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fhir_date_times_are_told_from_other_dates() {
        for good in [
            "2022",
            "2022-11",
            "2022-11-29",
            "2022-11-29T20:50:32Z",
            "2022-11-29T20:50:32.718Z",
            "2022-11-29T20:50:32.718000+00:00",
            "2022-11-29T20:50:32-05:00",
        ] {
            assert!(is_date_time(good), "{good}");
        }
        for bad in [
            "",
            "29/11/2022",
            "2022-13-01",
            "2022-11-29T20:50",
            "2022-11-29T20:50:32",
            "2022-11-29 20:50:32Z",
            "2022-11-29T20:50:32.Z",
            "2022-11-29T20:50:32+0000",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn responses_are_referred_to_by_id_url_or_place() {
        assert_eq!(
            response_reference("phq-9-example").reference.as_deref(),
            Some("QuestionnaireResponse/phq-9-example")
        );
        assert_eq!(
            response_reference("urn:uuid:1").reference.as_deref(),
            Some("urn:uuid:1")
        );
        let place = response_reference("in.ndjson:3");
        assert_eq!(place.reference, None);
        assert_eq!(
            place.display.as_deref(),
            Some("QuestionnaireResponse read at in.ndjson:3")
        );
    }
}
