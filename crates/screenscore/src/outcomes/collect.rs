//! Collecting episodes from scored rows, in one pass over any order of rows.

use std::collections::HashMap;
use std::io;

use crate::batch::{Batch, BatchError, Layout, RowSink, RowSource, ScoredRow, Summary};
use crate::date::{DateFormat, Timestamp};
use crate::instrument::Instrument;
use crate::matcher::trim;
use crate::norms::Respondent;
use crate::sheet::Status;

use super::assess::{Course, Point, outcome_scale};

/// Which columns name the client, the date and (optionally) the episode.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeSettings {
    /// The column holding the client's id.
    pub client_column: String,
    /// The column holding the administration's date.
    pub date_column: String,
    /// The column telling a client's courses of treatment apart, if there are several.
    pub episode_column: Option<String>,
    /// How dates are written.
    pub date_format: DateFormat,
}

/// An administration's place among a course's: its date, then its record number.
type Key = (Timestamp, u64);

/// What is kept of one instrument in one episode.
#[derive(Debug, Clone, Copy, Default)]
struct Track {
    scored: u32,
    first: Option<(Key, f64)>,
    last: Option<(Key, f64)>,
    respondent: Respondent,
}

impl Track {
    fn add(&mut self, key: Key, score: f64, respondent: Respondent) {
        self.scored += 1;
        if self.first.is_none_or(|(k, _)| key < k) {
            self.first = Some((key, score));
            self.respondent = respondent;
        }
        if self.last.is_none_or(|(k, _)| key > k) {
            self.last = Some((key, score));
        }
    }

    fn course(&self) -> Course {
        let point = |end: Option<(Key, f64)>| end.map(|((date, _), score)| Point { date, score });
        Course {
            scored: self.scored,
            first: point(self.first),
            last: point(self.last),
            respondent: self.respondent,
        }
    }
}

/// What is kept of one episode while the rows are read.
#[derive(Debug, Clone)]
struct State {
    first_date: Option<Timestamp>,
    last_date: Option<Timestamp>,
    administrations: u32,
    undated: u32,
    scored: u32,
    tracks: Box<[Track]>,
}

/// One client's course of treatment, as collected: its dates, how many administrations it had,
/// and per instrument its course.
#[derive(Debug, Clone, PartialEq)]
pub struct Episode {
    /// The client's id, as in the input (bytes that are not UTF-8 shown as U+FFFD).
    pub client: String,
    /// The episode's id, when an episode column is given.
    pub episode: Option<String>,
    /// The first and last dates of its administrations.
    pub first_date: Option<Timestamp>,
    /// The last date.
    pub last_date: Option<Timestamp>,
    /// Its dated administrations (rows).
    pub administrations: u32,
    /// Its rows whose date could not be read (not placed in the course).
    pub undated: u32,
    /// Its dated administrations that scored any instrument.
    pub scored: u32,
    /// Per instrument (in the batch's order), its course.
    pub courses: Vec<Course>,
}

/// The columns an [`OutcomeCollector`] reads, found in the header.
#[derive(Debug, Clone, Copy)]
struct Columns {
    client: usize,
    date: usize,
    episode: Option<usize>,
}

/// Collects scored rows into episodes: a [`RowSink`] for a plain batch (one pass; no change
/// stage), keeping per episode and instrument only a count and the first and last scores.
///
/// ```
/// use screenscore::batch::Batch;
/// use screenscore::date::DateFormat;
/// use screenscore::outcomes::{OutcomeCollector, OutcomeSettings};
/// use screenscore::Instrument;
///
/// let csv = "client,date,gad2_1,gad2_2\nA,2026-02-01,0,1\nA,2026-01-01,3,3\nB,2026-01-05,1,1\n";
/// let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
/// let mut collector = OutcomeCollector::new(OutcomeSettings {
///     client_column: "client".into(),
///     date_column: "date".into(),
///     episode_column: None,
///     date_format: DateFormat::Iso8601,
/// });
/// batch.run(csv.as_bytes(), &mut [&mut collector])?;
/// let episodes = collector.into_episodes();
/// assert_eq!(episodes.len(), 2);
/// let a = &episodes[0].courses[0];
/// // A's first score (2026-01-01) is 6, the last (2026-02-01) 1.
/// assert_eq!((a.scored, a.first.unwrap().score, a.last.unwrap().score), (2, 6.0, 1.0));
/// assert_eq!(episodes[1].courses[0].scored, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct OutcomeCollector {
    settings: OutcomeSettings,
    columns: Option<Columns>,
    /// Per instrument, its outcome scale.
    scales: Vec<usize>,
    /// Episode key (client, then episode, each length-prefixed) → position in `states`.
    index: HashMap<Box<[u8]>, u32>,
    states: Vec<State>,
    keys: Vec<Box<[u8]>>,
    key: Vec<u8>,
    without_client: u64,
    /// A column named in the settings that the header lacks, and what it was to hold.
    missing: Option<(String, &'static str)>,
}

impl OutcomeCollector {
    /// A collector reading the columns `settings` names.
    pub fn new(settings: OutcomeSettings) -> OutcomeCollector {
        OutcomeCollector {
            settings,
            columns: None,
            scales: Vec::new(),
            index: HashMap::new(),
            states: Vec::new(),
            keys: Vec::new(),
            key: Vec::new(),
            without_client: 0,
            missing: None,
        }
    }

    /// Run `batch` once over `source` into this collector and `sinks`. A client, date or
    /// episode column the header lacks stops the batch before the first row
    /// ([`BatchError::MissingColumn`]).
    pub fn run(
        &mut self,
        batch: &Batch,
        source: impl RowSource,
        sinks: &mut [&mut dyn RowSink],
    ) -> Result<Summary, BatchError> {
        let result = {
            let mut all: Vec<&mut dyn RowSink> = Vec::with_capacity(sinks.len() + 1);
            all.push(self);
            for sink in sinks.iter_mut() {
                all.push(&mut **sink);
            }
            batch.run_source(source, &mut all)
        };
        match (result, self.missing.take()) {
            (Err(_), Some((column, what))) => Err(BatchError::MissingColumn { column, what }),
            (result, _) => result,
        }
    }

    /// Rows with no client id (in no episode).
    pub fn without_client(&self) -> u64 {
        self.without_client
    }

    /// The episodes, sorted by client id, then episode id.
    pub fn into_episodes(mut self) -> Vec<Episode> {
        self.take_episodes()
    }

    /// The episodes collected so far, sorted by client id, then episode id, leaving the
    /// collector ready for more rows: a caller handing it one client's rows at a time takes
    /// each client's episodes when the client ends, and memory holds one client's.
    ///
    /// ```
    /// use screenscore::batch::Batch;
    /// use screenscore::date::DateFormat;
    /// use screenscore::outcomes::{OutcomeCollector, OutcomeSettings};
    /// use screenscore::Instrument;
    ///
    /// let batch = Batch::builder().instrument(Instrument::builtin("gad2")?.clone()).build()?;
    /// let mut collector = OutcomeCollector::new(OutcomeSettings {
    ///     client_column: "client".into(),
    ///     date_column: "date".into(),
    ///     episode_column: None,
    ///     date_format: DateFormat::Iso8601,
    /// });
    /// let a = "client,date,gad2_1,gad2_2\nA,2026-01-01,3,3\nA,2026-02-01,0,1\n";
    /// batch.run(a.as_bytes(), &mut [&mut collector])?;
    /// let taken = collector.take_episodes();
    /// assert_eq!((taken.len(), taken[0].client.as_str()), (1, "A"));
    /// // Nothing of A is kept: the next rows make episodes of their own.
    /// let b = "client,date,gad2_1,gad2_2\nB,2026-01-05,1,1\n";
    /// batch.run(b.as_bytes(), &mut [&mut collector])?;
    /// let clients: Vec<String> = collector.into_episodes().into_iter().map(|e| e.client).collect();
    /// assert_eq!(clients, ["B"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn take_episodes(&mut self) -> Vec<Episode> {
        self.index.clear();
        let states = std::mem::take(&mut self.states);
        let keys = std::mem::take(&mut self.keys);
        self.episodes(states, keys)
    }

    fn episodes(&self, states: Vec<State>, keys: Vec<Box<[u8]>>) -> Vec<Episode> {
        let mut order: Vec<usize> = (0..states.len()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        order
            .into_iter()
            .map(|i| {
                let state = &states[i];
                let (client, episode) =
                    split(&keys[i], self.columns.is_some_and(|c| c.episode.is_some()));
                Episode {
                    client: String::from_utf8_lossy(client).into_owned(),
                    episode: episode.map(|e| String::from_utf8_lossy(e).into_owned()),
                    first_date: state.first_date,
                    last_date: state.last_date,
                    administrations: state.administrations,
                    undated: state.undated,
                    scored: state.scored,
                    courses: state.tracks.iter().map(Track::course).collect(),
                }
            })
            .collect()
    }
}

/// Push `bytes` length-prefixed, so that (`ab`, `c`) and (`a`, `bc`) differ.
fn push_part(key: &mut Vec<u8>, bytes: &[u8]) {
    key.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    key.extend_from_slice(bytes);
}

/// The client and episode of a key.
fn split(key: &[u8], has_episode: bool) -> (&[u8], Option<&[u8]>) {
    let part = |at: usize| {
        let len = u64::from_le_bytes(key[at..at + 8].try_into().unwrap_or_default()) as usize;
        (&key[at + 8..at + 8 + len], at + 8 + len)
    };
    let (client, next) = part(0);
    (client, has_episode.then(|| part(next).0))
}

impl RowSink for OutcomeCollector {
    fn begin(&mut self, layout: &Layout, instruments: &[Instrument]) -> io::Result<()> {
        let find = |name: &str| {
            layout
                .names()
                .iter()
                .position(|n| n.eq_ignore_ascii_case(name))
        };
        let s = &self.settings;
        let wanted = [
            (Some(&s.client_column), "client"),
            (Some(&s.date_column), "date"),
            (s.episode_column.as_ref(), "episode"),
        ];
        let mut found = [None; 3];
        for ((name, what), slot) in wanted.into_iter().zip(&mut found) {
            let Some(name) = name else { continue };
            match find(name) {
                Some(c) => *slot = Some(c),
                None => {
                    self.missing = Some((name.clone(), what));
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("the input has no {what} column `{name}`"),
                    ));
                }
            }
        }
        let [Some(client), Some(date), episode] = found else {
            return Ok(());
        };
        self.columns = Some(Columns {
            client,
            date,
            episode,
        });
        self.scales = instruments
            .iter()
            .map(|i| outcome_scale(i.definition()))
            .collect();
        Ok(())
    }

    fn row(&mut self, row: &ScoredRow<'_>) -> io::Result<()> {
        let Some(columns) = self.columns else {
            return Ok(());
        };
        let cells = row.cells;
        let cell = |c: usize| trim(cells.get(c).unwrap_or_default());
        let client = cell(columns.client);
        if client.is_empty() {
            self.without_client += 1;
            return Ok(());
        }
        self.key.clear();
        push_part(&mut self.key, client);
        if let Some(e) = columns.episode {
            push_part(&mut self.key, cell(e));
        }
        let at = match self.index.get(self.key.as_slice()) {
            Some(&at) => at as usize,
            None => {
                let at = self.states.len();
                self.index
                    .insert(self.key.clone().into_boxed_slice(), at as u32);
                self.keys.push(self.key.clone().into_boxed_slice());
                self.states.push(State {
                    first_date: None,
                    last_date: None,
                    administrations: 0,
                    undated: 0,
                    scored: 0,
                    tracks: vec![Track::default(); self.scales.len()].into_boxed_slice(),
                });
                at
            }
        };
        let state = &mut self.states[at];
        let text = row.layout().date_text(Some(cell(columns.date)));
        // A row without a date where nothing was administered is no administration (a row
        // of other forms in a form tool's export); one with a date is.
        if text.is_empty() && row.status() == Status::Absent {
            return Ok(());
        }
        let Ok(date) = self.settings.date_format.parse(text) else {
            state.undated += 1;
            return Ok(());
        };
        state.administrations += 1;
        state.first_date = Some(state.first_date.map_or(date, |d| d.min(date)));
        state.last_date = Some(state.last_date.map_or(date, |d| d.max(date)));
        let respondent = row.respondent();
        let key = (date, row.record);
        let mut any = false;
        for (k, (track, &s)) in state.tracks.iter_mut().zip(&self.scales).enumerate() {
            let score = row.sheets()[k].scales().nth(s).and_then(|x| x.score());
            if let Some(score) = score {
                track.add(key, score, respondent);
                any = true;
            }
        }
        state.scored += u32::from(any);
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}
