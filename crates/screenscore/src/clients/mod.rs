//! Per-client histories: every administration of every instrument for one client, scored, with
//! standard scores and change — the content of a per-client report.
//!
//! A [`ClientCollector`] is a [`RowSink`]: run a batch with standard scores and change on
//! ([`Batch::run_with_history`](crate::batch::Batch::run_with_history)) into it, then take its
//! [`ClientHistory`]s. Everything in them is owned, plain data (serde), so a renderer (the
//! `screenscore-report` crate) can lay it out without scoring anything, and the JSON report is
//! this data as is.
//!
//! ```
//! use std::io::Cursor;
//! use screenscore::batch::{Batch, HistorySettings};
//! use screenscore::change::CutoffKind;
//! use screenscore::clients::ClientCollector;
//! use screenscore::date::DateFormat;
//! use screenscore::Instrument;
//!
//! let csv = "client,date,gad2_1,gad2_2\nA,2026-02-01,0,1\nB,2026-01-01,1,1\nA,2026-01-01,3,3\n";
//! let batch = Batch::builder()
//!     .instrument(Instrument::builtin("gad2")?.clone())
//!     .history(HistorySettings {
//!         client_column: "client".into(),
//!         date_column: "date".into(),
//!         date_format: DateFormat::Iso8601,
//!         cutoff: CutoffKind::C,
//!     })
//!     .build()?;
//! let mut collector = ClientCollector::new();
//! batch.run_with_history(Cursor::new(csv), &mut [&mut collector])?;
//! let clients = collector.into_histories();
//! assert_eq!(clients.len(), 2);
//! let a = &clients[0];
//! assert_eq!(a.client, "A");
//! let gad2 = &a.instruments[0];
//! // In date order: 2026-01-01 (total 6), then 2026-02-01 (total 1, 5 less).
//! assert_eq!(gad2.administrations[0].scales[0].score, Some(6.0));
//! assert_eq!(gad2.administrations[1].scales[0].since_first.as_ref().unwrap().change, -5.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;
use std::io;

use crate::batch::{InstrumentNote, InstrumentRow, Layout, RowSink, ScoredRow};
use crate::change::{Change, ChangeMethod};
use crate::date::Timestamp;
use crate::instrument::Instrument;
use crate::outcomes::{Assessor, Episode};
use crate::output::NormLabel;
use crate::sheet::{ItemState, Note, Status};

mod record;
mod stream;

pub use record::{
    AdministrationRecord, BandInfo, ChangeRecord, ClientHistory, CutoffRecord, FlagRecord,
    GroupInfo, InstrumentRecord, ItemInfo, ItemRecord, ItemStatus, MethodRecord, ReliableBy,
    ScaleInfo, ScaleRecord, StandardRecord,
};
pub use stream::ClientStream;

/// Give each client the outcome of its course of treatment: `episodes` collected from the same
/// rows (by an [`OutcomeCollector`](crate::outcomes::OutcomeCollector) without an episode
/// column, so one episode per client) and judged by `assessor`.
///
/// ```
/// use std::io::Cursor;
/// use screenscore::batch::{Batch, HistorySettings};
/// use screenscore::change::CutoffKind;
/// use screenscore::clients::{ClientCollector, attach_outcomes};
/// use screenscore::date::DateFormat;
/// use screenscore::outcomes::{Assessor, OutcomeCollector, OutcomeSettings};
/// use screenscore::Instrument;
///
/// let csv = "client,date,gad2_1,gad2_2\nA,2026-01-01,3,3\nA,2026-02-01,0,1\n";
/// let instruments = vec![Instrument::builtin("gad2")?.clone()];
/// let batch = Batch::builder()
///     .instrument(instruments[0].clone())
///     .history(HistorySettings {
///         client_column: "client".into(),
///         date_column: "date".into(),
///         date_format: DateFormat::Iso8601,
///         cutoff: CutoffKind::C,
///     })
///     .build()?;
/// let mut clients = ClientCollector::new();
/// let mut episodes = OutcomeCollector::new(OutcomeSettings {
///     client_column: "client".into(),
///     date_column: "date".into(),
///     episode_column: None,
///     date_format: DateFormat::Iso8601,
/// });
/// batch.run_with_history(Cursor::new(csv), &mut [&mut clients, &mut episodes])?;
/// let mut histories = clients.into_histories();
/// attach_outcomes(&mut histories, &Assessor::new(&instruments), &episodes.into_episodes());
/// let outcome = histories[0].outcome.as_ref().unwrap();
/// // 6 on 2026-01-01, 1 on 2026-02-01.
/// assert_eq!(outcome.instruments[0].change, Some(-5.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn attach_outcomes(
    clients: &mut [ClientHistory],
    assessor: &Assessor<'_>,
    episodes: &[Episode],
) {
    let by_client: std::collections::HashMap<&str, &Episode> =
        episodes.iter().map(|e| (e.client.as_str(), e)).collect();
    for client in clients {
        client.outcome = by_client
            .get(client.client.as_str())
            .map(|episode| assessor.episode(episode).record(assessor));
    }
}

/// Collects scored rows into per-client histories.
#[derive(Debug, Default)]
pub struct ClientCollector {
    instruments: Vec<InstrumentRecord>,
    /// Client id (its bytes: ids that are not UTF-8 are told apart too) → per instrument,
    /// administrations in input order.
    clients: BTreeMap<Vec<u8>, Vec<Vec<AdministrationRecord>>>,
    without_client: u64,
}

impl ClientCollector {
    /// An empty collector.
    pub fn new() -> ClientCollector {
        ClientCollector::default()
    }

    /// Rows that had no client id (not in any history).
    pub fn without_client(&self) -> u64 {
        self.without_client
    }

    /// The histories, sorted by client id; each instrument's administrations in date order.
    pub fn into_histories(mut self) -> Vec<ClientHistory> {
        self.take_histories()
    }

    /// The histories collected so far (as [`ClientCollector::into_histories`]), leaving the
    /// collector ready for more rows.
    fn take_histories(&mut self) -> Vec<ClientHistory> {
        let clients = std::mem::take(&mut self.clients);
        clients
            .into_iter()
            .map(|(client, per_instrument)| history(&self.instruments, &client, per_instrument))
            .collect()
    }
}

/// One client's history: its dates, and the instruments it was given, each with its
/// administrations in date order.
fn history(
    instruments: &[InstrumentRecord],
    client: &[u8],
    per_instrument: Vec<Vec<AdministrationRecord>>,
) -> ClientHistory {
    let mut dates: Vec<String> = per_instrument
        .iter()
        .flatten()
        .filter_map(|a| a.date.clone())
        .collect();
    dates.sort();
    dates.dedup();
    let instruments = instruments
        .iter()
        .zip(per_instrument)
        .filter(|(_, administrations)| !administrations.is_empty())
        .map(|(info, mut administrations)| {
            // Dates are ISO 8601, so text order is date order; undated last.
            administrations.sort_by(|a, b| match (&a.date, &b.date) {
                (Some(x), Some(y)) => x.cmp(y).then(a.record.cmp(&b.record)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => a.record.cmp(&b.record),
            });
            InstrumentRecord {
                administrations,
                ..info.clone()
            }
        })
        .collect();
    ClientHistory {
        client: String::from_utf8_lossy(client).into_owned(),
        dates,
        instruments,
        outcome: None,
    }
}

fn info(instrument: &Instrument) -> InstrumentRecord {
    let def = instrument.definition();
    let scales = def
        .scales
        .iter()
        .map(|s| {
            let range = instrument.scale_range(&s.id).unwrap_or((0.0, 0.0));
            let bands = s
                .bands
                .iter()
                .enumerate()
                .map(|(b, band)| BandInfo {
                    from: band.from,
                    to: s.bands.get(b + 1).map_or(range.1, |next| next.from),
                    label: band.label.clone(),
                })
                .collect();
            ScaleInfo {
                id: s.id.clone(),
                label: s.label.clone(),
                range,
                higher_is: s.higher_is,
                construct: s.construct,
                bands,
                band_source: s.band_source.clone(),
                groups: s
                    .norms
                    .iter()
                    .map(|g| GroupInfo {
                        id: g.id.clone(),
                        population: g.population.clone(),
                        source: g.source.clone(),
                    })
                    .collect(),
                thresholds: s.thresholds.clone(),
                components: s.scales.clone().unwrap_or_default(),
            }
        })
        .collect();
    let items = def
        .items
        .iter()
        .map(|item| ItemInfo {
            id: item.id.clone(),
            label: item.label.clone(),
            scored: item.scored,
            reversed_in: def
                .scales
                .iter()
                .filter(|s| s.reverse.contains(&item.id))
                .map(|s| s.id.clone())
                .collect(),
        })
        .collect();
    InstrumentRecord {
        id: def.id.clone(),
        name: def.name.clone(),
        measures: def.measures.clone(),
        version: def.version.clone(),
        status: def.status,
        citation: def.citation.clone(),
        license: def.license.clone(),
        scales,
        items,
        administrations: Vec::new(),
    }
}

/// A stratum in words a clinician reads: `women`, `men aged 18-29`, `aged 60-99`.
fn stratum_words(stratum: &crate::definition::Stratum) -> String {
    let who = match stratum.sex.as_deref().map(crate::definition::Sex::parse) {
        Some(Some(crate::definition::Sex::Female)) => "women",
        Some(Some(crate::definition::Sex::Male)) => "men",
        _ => "",
    };
    let age = stratum.age.map(|a| {
        format!(
            "aged {}-{}",
            crate::format_score(a.from),
            crate::format_score(a.to)
        )
    });
    match (who, age) {
        ("", None) => String::new(),
        ("", Some(age)) => age,
        (who, None) => who.to_string(),
        (who, Some(age)) => format!("{who} {age}"),
    }
}

/// A change method as data.
fn method(m: &ChangeMethod) -> MethodRecord {
    let reliable_by = match (&m.reliability, m.threshold) {
        (Some((sd, reliability, kind, group)), _) => ReliableBy::Rci {
            sd: *sd,
            reliability: *reliability,
            kind: *kind,
            group: group.clone(),
        },
        (None, Some(points)) => ReliableBy::Threshold { points },
        (None, None) => ReliableBy::NotJudged,
    };
    let cutoff = match (&m.cutoff, m.caseness) {
        (Some((value, ..)), _) => Some(CutoffRecord::JacobsonTruax { value: *value }),
        (None, Some(value)) => Some(CutoffRecord::Caseness { value }),
        (None, None) => None,
    };
    MethodRecord {
        reliable_by,
        cutoff,
    }
}

/// A change as the report keeps it.
fn change(side: Option<(Timestamp, Change)>) -> Option<ChangeRecord> {
    side.map(|(date, c)| ChangeRecord {
        date: date.to_string(),
        change: c.delta,
        rci: c.rci,
        reliable: c.reliable,
        class: c.class,
    })
}

impl AdministrationRecord {
    /// The owned record of one instrument's administration in a row (`date`: the row's).
    fn new(inst: &InstrumentRow<'_>, record: u64, date: Option<String>) -> AdministrationRecord {
        let sheet = inst.sheet();
        let def = sheet.instrument().definition();
        let scales = inst
            .scales()
            .map(|s| ScaleRecord {
                id: s.score.id().to_string(),
                score: s.score.score(),
                band: s.score.band().map(str::to_string),
                band_index: s.score.band_index(),
                prorated: s.score.prorated(),
                answered: s.score.answered(),
                applicable: s.score.applicable(),
                standard: s.standard.map(|x| StandardRecord {
                    z: x.z,
                    t: x.t,
                    percentile: x.percentile,
                    percentile_normal: x.percentile_normal,
                    sem: x.sem,
                    ci95: x.band,
                    ci95_clipped: x.band_clipped,
                    norm: NormLabel(x).to_string(),
                    group: x.group.id.clone(),
                    population: x.group.population.clone(),
                    stratum: stratum_words(x.stratum),
                }),
                since_first: change(s.change.first),
                since_previous: change(s.change.previous),
                method: s.change.method.map(|m| method(m.method())),
            })
            .collect();
        let items = sheet
            .items()
            .map(|(item, state)| {
                let set = def.response_sets.iter().find(|r| r.id == item.response_set);
                let value = state.value();
                let (state, answer) = match state {
                    ItemState::Answered { option, .. } => (
                        ItemStatus::Answered,
                        set.and_then(|s| s.options.get(option))
                            .map(|o| o.label.clone()),
                    ),
                    ItemState::Skipped { .. } => (ItemStatus::Skipped, None),
                    ItemState::Missing => (ItemStatus::Missing, None),
                    ItemState::Invalid => (ItemStatus::Invalid, None),
                    ItemState::NotApplicable => (ItemStatus::NotApplicable, None),
                };
                ItemRecord {
                    id: item.id.clone(),
                    state,
                    answer,
                    value,
                }
            })
            .collect();
        let mut errors = String::new();
        for (n, error) in inst.errors().enumerate() {
            if n > 0 {
                errors.push_str("; ");
            }
            match error.column() {
                "" => errors.push_str(&error.to_string()),
                column => errors.push_str(&format!("{column}: {error}")),
            }
        }
        AdministrationRecord {
            date,
            record,
            status: inst.status(),
            scales,
            // The flag's words: an unreadable answer is said to be unreadable, never "not
            // answered" as the rule's label would say.
            flags: inst
                .raised()
                .map(|flag| FlagRecord {
                    id: flag.rule().id.clone(),
                    label: flag.to_string(),
                    severity: flag.rule().severity,
                })
                .collect(),
            items,
            errors: if errors.is_empty() {
                Vec::new()
            } else {
                vec![errors]
            },
            // The instrument's status and its scales' proration and want of answers are held
            // in the record itself (and said from it): the notes are the rest.
            notes: inst
                .notes()
                .filter(|n| {
                    !matches!(
                        n,
                        InstrumentNote::Sheet(
                            Note::Status(_)
                                | Note::Prorated { .. }
                                | Note::ProratedFromScales { .. }
                                | Note::TooManyMissing { .. }
                        )
                    )
                })
                .map(|n| n.to_string())
                .collect(),
            change_method: inst.change_method().to_string(),
            change_notes: inst.change_notes().map(|n| n.to_string()).collect(),
        }
    }
}

impl RowSink for ClientCollector {
    fn begin(&mut self, _: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        self.instruments = instruments.iter().map(info).collect();
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        let Some(client) = row.client().filter(|c| !c.is_empty()) else {
            self.without_client += 1;
            return Ok(());
        };
        let date = row.date().map(|d| d.to_string());
        let n = self.instruments.len();
        let slot = self
            .clients
            .entry(client.to_vec())
            .or_insert_with(|| vec![Vec::new(); n]);
        for inst in row.instruments() {
            if inst.status() != Status::Absent {
                let record = AdministrationRecord::new(&inst, row.record, date.clone());
                slot[inst.index()].push(record);
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}
