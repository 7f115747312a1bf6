//! [`ObservationWriter`]: a [`RowSink`] that writes each scored scale of each administration as
//! a FHIR R4 Observation, in NDJSON or in one Bundle (`collection` or `transaction`); with
//! [`ObservationOptions::items`], each answered item too, under a panel Observation.
//!
//! # The shape
//!
//! A score Observation has the shape of the HL7 Person-Centered Outcomes (PCO) IG's
//! "Patient-Reported Outcome Measure (PROM) score observation",
//! `http://hl7.org/fhir/us/pco/StructureDefinition/pco-prom-score-observation` ([`PROM_SCORE_PROFILE`];
//! PCO STU1 1.0.0, <https://hl7.org/fhir/us/pco/STU1/en/StructureDefinition-pco-prom-score-observation.html>;
//! source `input/fsh/PROMProfiles.fsh` of github.com/HL7/pco-ig at 3213629). That profile's
//! parent is US Core 6.1.0's Observation Screening Assessment ([`SCREENING_ASSESSMENT_PROFILE`],
//! `input/resources/StructureDefinition-us-core-observation-screening-assessment.json` of
//! github.com/HL7/US-Core at tag 6.1.0). Between them they require `status`, a `category` with
//! the `survey` coding (slice `survey`, 1..1), `code`, `subject` (1..1, a Patient),
//! `effective[x]` (1..1, dateTime or Period; us-core-1: a dateTime of at least a full date) and
//! `value[x]` (1..1, Quantity only); UCUM as the unit system of a Quantity (us-core-3); and
//! must-support `performer`, `hasMember`, `derivedFrom`, `dataAbsentReason`, `focus`. The
//! profile's `code` is bound (extensible) to PROM Target Measures, which holds LOINC's PHQ-9
//! and GAD-7 totals among PROMIS scores.
//!
//! So each score Observation has `status` `final`, the `survey` category, the scale's codes
//! (and `text` "{instrument name}: {scale label}"; the text alone when the definition gives the
//! scale no code, counted in [`ObservationWriter::uncoded_scales`]), `valueQuantity` (unit
//! `{score}` in UCUM), the band as `interpretation` text, and from the row's columns
//! [`SUBJECT`], [`ENCOUNTER`], [`AUTHORED`] (as `effectiveDateTime`), [`AUTHOR`] (as
//! `performer`) and [`QR_ID`] (as `derivedFrom`). It claims the profile in `meta.profile` only
//! when it has what the profile requires: a subject and a readable date of at least a day
//! (otherwise it is written without the claim, counted in
//! [`ObservationCounts::without_profile`]).
//!
//! `note`s say what a reader of the score needs: each critical flag raised (rule id and words),
//! the instrument's status when it is not validated ([`Instrument::status_notice`]), a
//! prorated score, what the response's reader noted ([`QR_NOTES`]), and [`LOINC_NOTICE`] on
//! every Observation that carries a LOINC code. LOINC's licence (<http://loinc.org/license>)
//! asks that its notice accompany LOINC content redistributed; NDJSON has no place but its
//! resources and a Bundle none for text, and a receiver stores each Observation on its own, so
//! the notice travels in each resource that carries a code.
//!
//! Ids are `{qr_id}-{instrument}-{scale}` (`-{item}`, `-panel`), made FHIR ids by
//! [`ids::fhir_id`](super::ids); each resource also has an `identifier`, the version 5 UUID of
//! that key (`urn:ietf:rfc:3986`), which is its Bundle `fullUrl` and, in a transaction, the
//! `ifNoneExist` of its `POST`, so that sending the same file twice creates nothing new. The
//! same input gives the same bytes.
//!
//! ```
//! use screenscore::batch::Batch;
//! use screenscore::fhir::{ObservationOptions, ObservationWriter};
//! use screenscore::Instrument;
//!
//! let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
//! let mut writer = ObservationWriter::new(Vec::new(), ObservationOptions::default());
//! let csv = "qr_id,subject,authored,qr_status,gad2_1,gad2_2\n\
//!            r1,Patient/p1,2024-03-01,completed,2,2\n\
//!            r2,Patient/p1,2024-04-01,in-progress,1,0\n";
//! batch.run(csv.as_bytes(), &mut [&mut writer])?;
//! assert_eq!((writer.written(), writer.skipped_by_status()), (1, 1));
//! let text = String::from_utf8(writer.into_inner())?;
//! assert!(text.starts_with(r#"{"resourceType":"Observation","id":"r1-gad2-total","#));
//! assert!(text.contains(r#""valueQuantity":{"value":4,"unit":"{score}","#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Write};

use crate::batch::{InstrumentRow, Layout, RowSink, ScoredRow};
use crate::definition::{Code, LOINC_NOTICE, LOINC_SYSTEM, Severity};
use crate::instrument::Instrument;
use crate::sheet::{ItemState, Note, ScaleScore, Status};

use super::bundle::{BundleEntry, BundleRequest};
use super::datatypes::{
    Annotation, CodeableConcept, Coding, Identifier, Meta, Quantity, Reference,
};
use super::flatten::{AUTHOR, AUTHORED, ENCOUNTER, QR_ID, QR_NOTES, QR_STATUS, SUBJECT};
use super::ids;
use super::observation::Observation;
use super::resource::Resource;
use crate::batch::INPUT_ERROR;

mod context;

use context::{Columns, Context};

/// The canonical URL of the PCO IG's PROM score Observation profile (see the module's doc).
pub const PROM_SCORE_PROFILE: &str =
    "http://hl7.org/fhir/us/pco/StructureDefinition/pco-prom-score-observation";

/// The canonical URL of US Core's Observation Screening Assessment profile, the PROM score
/// profile's parent, claimed by item and panel Observations that have a subject.
pub const SCREENING_ASSESSMENT_PROFILE: &str =
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment";

const UCUM: &str = "http://unitsofmeasure.org";
const SCORE_UNIT: &str = "{score}";
const CATEGORY_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const URI_SYSTEM: &str = "urn:ietf:rfc:3986";

/// Whether the writer writes NDJSON or one Bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ObservationFormat {
    /// One Observation per line (FHIR Bulk Data's NDJSON).
    #[default]
    Ndjson,
    /// One Bundle of every Observation, an entry per line.
    Bundle(BundleKind),
}

/// The type of the Bundle written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BundleKind {
    /// `collection`: entries with a `fullUrl`.
    Collection,
    /// `transaction`: each entry a conditional `POST` to `Observation`.
    Transaction,
}

/// What an [`ObservationWriter`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservationOptions {
    /// NDJSON or a Bundle.
    pub format: ObservationFormat,
    /// Scales and items (`--observations scales+items`): each answered item and a panel too.
    pub items: bool,
    /// The response statuses whose rows are written (a row whose [`QR_STATUS`] is another is
    /// skipped and counted; a row without one is written).
    pub statuses: Vec<String>,
}

impl Default for ObservationOptions {
    /// NDJSON, scales only, responses `completed` and `amended`.
    fn default() -> Self {
        ObservationOptions {
            format: ObservationFormat::Ndjson,
            items: false,
            statuses: vec!["completed".to_owned(), "amended".to_owned()],
        }
    }
}

/// What an [`ObservationWriter`] wrote and left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObservationCounts {
    /// Score Observations (one per scored scale).
    pub scores: u64,
    /// Item Observations.
    pub items: u64,
    /// Panel Observations.
    pub panels: u64,
    /// Rows skipped because their response's status is not among those written.
    pub skipped_by_status: u64,
    /// Rows skipped because their response could not be read ([`INPUT_ERROR`]).
    pub skipped_by_error: u64,
    /// Score Observations written without the profile claim (no subject, or no date of at
    /// least a day).
    pub without_profile: u64,
    /// Rows whose [`AUTHORED`] cell is not a FHIR dateTime (left out of `effectiveDateTime`).
    pub unreadable_dates: u64,
    /// Observations that carry a LOINC code (and so [`LOINC_NOTICE`]).
    pub with_loinc: u64,
}

/// A [`RowSink`] writing FHIR Observations (see the module's doc).
#[derive(Debug)]
pub struct ObservationWriter<W: Write> {
    out: W,
    options: ObservationOptions,
    columns: Columns,
    counts: ObservationCounts,
    /// Per instrument and scale: whether an uncoded Observation of it was written.
    uncoded: Vec<Vec<bool>>,
    /// `instrument: scale` of each scale written without a code, in the order first met.
    uncoded_names: Vec<String>,
    /// Entries written to the Bundle so far.
    entries: u64,
}

/// One Observation to write, with its key (for the fullUrl).
struct Built {
    uuid: String,
    observation: Observation,
}

impl<W: Write> ObservationWriter<W> {
    /// A writer to `out`.
    pub fn new(out: W, options: ObservationOptions) -> Self {
        ObservationWriter {
            out,
            options,
            columns: Columns::default(),
            counts: ObservationCounts::default(),
            uncoded: Vec::new(),
            uncoded_names: Vec::new(),
            entries: 0,
        }
    }

    /// Every count.
    pub fn counts(&self) -> &ObservationCounts {
        &self.counts
    }

    /// Observations written (scores, items and panels).
    pub fn written(&self) -> u64 {
        self.counts.scores + self.counts.items + self.counts.panels
    }

    /// Rows skipped for their response's status.
    pub fn skipped_by_status(&self) -> u64 {
        self.counts.skipped_by_status
    }

    /// The scales written with `code.text` only (`phq15: somatic`), for "N scales have no
    /// code".
    pub fn uncoded_scales(&self) -> &[String] {
        &self.uncoded_names
    }

    /// Whether something written carries a LOINC code, so that [`LOINC_NOTICE`] is due where
    /// the output is shown.
    pub fn needs_loinc_notice(&self) -> bool {
        self.counts.with_loinc > 0
    }

    /// The output.
    pub fn into_inner(self) -> W {
        self.out
    }

    /// Writes one Observation in the chosen format.
    fn emit(&mut self, built: Built) -> io::Result<()> {
        let Built { uuid, observation } = built;
        match self.options.format {
            ObservationFormat::Ndjson => {
                serde_json::to_writer(&mut self.out, &observation)?;
            }
            ObservationFormat::Bundle(kind) => {
                if self.entries == 0 {
                    writeln!(self.out, "{},\"entry\":[", bundle_head(kind))?;
                } else {
                    self.out.write_all(b",\n")?;
                }
                let request = (kind == BundleKind::Transaction).then(|| BundleRequest {
                    method: "POST".to_owned(),
                    url: "Observation".to_owned(),
                    if_none_exist: Some(format!("identifier={URI_SYSTEM}|{uuid}")),
                });
                let entry = BundleEntry {
                    full_url: Some(uuid),
                    resource: Some(Resource::Observation(Box::new(observation))),
                    request,
                };
                serde_json::to_writer(&mut self.out, &entry)?;
                self.entries += 1;
                return Ok(());
            }
        }
        self.out.write_all(b"\n")
    }

    /// The Observations of one administration: panel, items, scales (nothing when no scale
    /// is scored).
    fn administration(&mut self, context: &Context<'_>, admin: InstrumentRow<'_>) -> Vec<Built> {
        let instrument = admin.instrument();
        let def = instrument.definition();
        let base = format!("{}-{}", context.key, instrument.id());
        let shared = shared_notes(instrument, admin);
        let mut scales = Vec::new();
        for scale in admin.scales().map(|s| s.score) {
            let Some(score) = scale.score() else { continue };
            let key = format!("{base}-{}", scale.id());
            let mut obs = context.observation(&key, &scale_code(instrument, scale));
            obs.value_quantity = Some(score_quantity(score));
            if let Some(band) = scale.band() {
                obs.interpretation = vec![text_concept(band)];
            }
            obs.note.extend(shared.iter().cloned());
            if let Some(note) = prorated_note(scale) {
                obs.note.push(Annotation::text(note));
            }
            if obs.code.coding.is_empty() {
                self.note_uncoded(admin.index(), instrument, scale);
            }
            if context.conforms() {
                obs.meta = Some(Meta::profile(PROM_SCORE_PROFILE));
            } else {
                self.counts.without_profile += 1;
            }
            scales.push(self.finish_one(context, &key, obs));
        }
        if scales.is_empty() || !self.options.items {
            self.counts.scores += scales.len() as u64;
            return scales;
        }
        let mut items = Vec::new();
        for (item, state) in admin.sheet().items() {
            let ItemState::Answered { value, option } = state else {
                continue;
            };
            let key = format!("{base}-{}", item.id);
            let code = CodeableConcept {
                coding: codings(&item.codes),
                text: Some(format!("{}: item {}, {}", def.name, item.id, item.label)),
                ..CodeableConcept::default()
            };
            let mut obs = context.observation(&key, &code);
            let answer = def
                .response_sets
                .iter()
                .find(|s| s.id == item.response_set)
                .and_then(|s| s.options.get(option));
            match answer {
                Some(o) if o.code.as_deref().is_some_and(is_loinc_answer) => {
                    let code = o.code.clone().unwrap_or_default();
                    obs.value_codeable_concept = Some(CodeableConcept {
                        coding: vec![Coding::new(LOINC_SYSTEM, code)],
                        text: Some(o.label.clone()),
                        ..CodeableConcept::default()
                    });
                }
                _ if !value.is_nan() => obs.value_quantity = Some(score_quantity(value)),
                Some(o) => obs.value_codeable_concept = Some(text_concept(&o.label)),
                None => continue,
            }
            if context.subject.is_some() {
                obs.meta = Some(Meta::profile(SCREENING_ASSESSMENT_PROFILE));
            }
            items.push(self.finish_one(context, &key, obs));
        }
        let key = format!("{base}-panel");
        let code = CodeableConcept {
            coding: codings(&def.codes),
            text: Some(def.name.clone()),
            ..CodeableConcept::default()
        };
        let mut panel = context.observation(&key, &code);
        let member = |b: &Built| match self.options.format {
            ObservationFormat::Ndjson => format!(
                "Observation/{}",
                b.observation.id.as_deref().unwrap_or_default()
            ),
            ObservationFormat::Bundle(_) => b.uuid.clone(),
        };
        panel.has_member = items
            .iter()
            .chain(&scales)
            .map(|b| Reference::to(member(b)))
            .collect();
        panel.note.extend(shared);
        if context.subject.is_some() {
            panel.meta = Some(Meta::profile(SCREENING_ASSESSMENT_PROFILE));
        }
        let panel = self.finish_one(context, &key, panel);
        self.counts.scores += scales.len() as u64;
        self.counts.items += items.len() as u64;
        self.counts.panels += 1;
        let mut all = vec![panel];
        all.extend(items);
        all.extend(scales);
        all
    }

    /// Adds what every Observation ends with (the reader's notes, the LOINC notice) and its
    /// identifier.
    fn finish_one(&mut self, context: &Context<'_>, key: &str, mut obs: Observation) -> Built {
        if let Some(notes) = context.qr_notes {
            obs.note.push(Annotation::text(format!(
                "Notes on reading the response: {notes}"
            )));
        }
        let loinc = |c: &CodeableConcept| {
            c.coding
                .iter()
                .any(|c| c.system.as_deref() == Some(LOINC_SYSTEM))
        };
        if loinc(&obs.code) || obs.value_codeable_concept.as_ref().is_some_and(loinc) {
            obs.note.push(Annotation::text(LOINC_NOTICE));
            self.counts.with_loinc += 1;
        }
        let uuid = ids::urn_uuid(key);
        obs.identifier = vec![Identifier {
            system: Some(URI_SYSTEM.to_owned()),
            value: Some(uuid.clone()),
            ..Identifier::default()
        }];
        Built {
            uuid,
            observation: obs,
        }
    }

    /// Counts a scale written without a code, once per scale.
    fn note_uncoded(&mut self, k: usize, instrument: &Instrument, scale: ScaleScore<'_>) {
        let seen = &mut self.uncoded[k][scale.index()];
        if !*seen {
            *seen = true;
            self.uncoded_names
                .push(format!("{}: {}", instrument.id(), scale.id()));
        }
    }
}

impl<W: Write> RowSink for ObservationWriter<W> {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        self.columns = Columns::find(layout.names());
        self.uncoded = instruments
            .iter()
            .map(|i| vec![false; i.definition().scales.len()])
            .collect();
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        let context = Context::read(row, &self.columns);
        if context.input_error {
            self.counts.skipped_by_error += 1;
            return Ok(());
        }
        if let Some(status) = context.qr_status
            && !self.options.statuses.iter().any(|s| s == status)
        {
            self.counts.skipped_by_status += 1;
            return Ok(());
        }
        if context.unreadable_date {
            self.counts.unreadable_dates += 1;
        }
        for admin in row.instruments() {
            if !matches!(admin.status(), Status::Ok | Status::Incomplete) {
                continue;
            }
            for built in self.administration(&context, admin) {
                self.emit(built)?;
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if let ObservationFormat::Bundle(kind) = self.options.format {
            if self.entries == 0 {
                writeln!(self.out, "{}}}", bundle_head(kind))?;
            } else {
                self.out.write_all(b"\n]}\n")?;
            }
        }
        self.out.flush()
    }
}

/// The Bundle's opening, up to its type: `{"resourceType":"Bundle","type":"collection"`.
fn bundle_head(kind: BundleKind) -> &'static str {
    match kind {
        BundleKind::Collection => r#"{"resourceType":"Bundle","type":"collection""#,
        BundleKind::Transaction => r#"{"resourceType":"Bundle","type":"transaction""#,
    }
}

/// The notes every Observation of an administration (its scales and panel) carries: each
/// critical flag raised, then the instrument's status when it is not validated.
fn shared_notes(instrument: &Instrument, admin: InstrumentRow<'_>) -> Vec<Annotation> {
    let flags = admin
        .raised()
        .filter(|f| f.rule().severity == Severity::Critical)
        .map(|f| Annotation::text(format!("Critical flag {}: {f}", f.rule().id)));
    flags
        .chain(instrument.status_notice().map(Annotation::text))
        .collect()
}

/// The note of a prorated scale (`total prorated from 8 of 9 items`).
fn prorated_note(scale: ScaleScore<'_>) -> Option<String> {
    if !scale.prorated() {
        return None;
    }
    let note = if scale.definition().scales.is_some() {
        Note::ProratedFromScales {
            scale: scale.id(),
            scored: scale.answered(),
            components: scale.applicable(),
        }
    } else {
        Note::Prorated {
            scale: scale.id(),
            answered: scale.answered(),
            applicable: scale.applicable(),
        }
    };
    Some(note.to_string())
}

/// The code of a scale's Observation: its codes, and the text "{instrument name}: {label}".
fn scale_code(instrument: &Instrument, scale: ScaleScore<'_>) -> CodeableConcept {
    let def = scale.definition();
    CodeableConcept {
        coding: codings(&def.codes),
        text: Some(format!("{}: {}", instrument.name(), def.label)),
        ..CodeableConcept::default()
    }
}

/// A definition's codes as FHIR codings.
fn codings(codes: &[Code]) -> Vec<Coding> {
    codes
        .iter()
        .map(|c| Coding {
            display: c.display.clone(),
            ..Coding::new(&c.system, &c.code)
        })
        .collect()
}

/// A score as a Quantity of UCUM's `{score}`.
fn score_quantity(value: f64) -> Quantity {
    Quantity {
        value: Some(value),
        unit: Some(SCORE_UNIT.to_owned()),
        system: Some(UCUM.to_owned()),
        code: Some(SCORE_UNIT.to_owned()),
        ..Quantity::default()
    }
}

/// A concept of text only.
fn text_concept(text: &str) -> CodeableConcept {
    CodeableConcept {
        text: Some(text.to_owned()),
        ..CodeableConcept::default()
    }
}

fn is_loinc_answer(code: &str) -> bool {
    crate::definition::is_loinc_answer(code)
}

impl Meta {
    /// Metadata claiming one profile.
    fn profile(url: &str) -> Meta {
        Meta {
            profile: vec![url.to_owned()],
            ..Meta::default()
        }
    }
}

impl Annotation {
    /// A note of `text` alone.
    fn text(text: impl Into<String>) -> Annotation {
        Annotation {
            text: text.into(),
            ..Annotation::default()
        }
    }
}
