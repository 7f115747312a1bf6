//! The outcome of a course of treatment, and of a caseload.
//!
//! An **episode** is one client's course of treatment: every row of the client (and of the
//! episode, when an episode column tells several courses apart). An [`OutcomeCollector`] reads
//! a plain batch's scored rows once, in any order, and keeps per episode its dates, how many
//! administrations it had, and per instrument how many scored the instrument's outcome scale
//! ([`outcome_scale`]) and the first and last of those scores (by date, then input order).
//! Rows without a client id are counted and left out; rows whose date cannot be read are
//! counted in their episode (`undated`) and not placed in its course.
//!
//! An [`Assessor`] judges each episode:
//!
//! - **per instrument**: first and last score, change, reliable change (improved / deteriorated /
//!   no) and caseness at first and last. Where the scale publishes a reliable-change threshold
//!   and a caseness cut-off (PHQ-9: 6 points and 10; GAD-7: 4 and 8), they are used, as services
//!   that report outcomes use them; otherwise the Jacobson–Truax reliable change index of the
//!   scale's reference groups, with the strata of the respondent at the first administration.
//! - **combined**, over the instruments that publish both thresholds (the PHQ-9 and GAD-7 pair
//!   of NHS Talking Therapies), as NHS England's published measure definitions construct them
//!   (NHS Talking Therapies annual report 2024-25, metadata, `Count_ReliableRecovery`,
//!   `Count_NotAtCaseness`, `Percentage_ReliableRecovery`; NHS Digital, Psychological Therapies
//!   reports, Outcomes, June and December 2020):
//!   - *case at first*: the first score at caseness on either measure ("above the clinical /
//!     non-clinical cut off on either their anxiety score, their depression score, or both");
//!   - *reliable improvement*: a fall of at least the threshold on at least one measure and no
//!     reliable deterioration on either;
//!   - *reliable deterioration*: a rise of at least the threshold on either measure (the
//!     published metadata name the flag without its derivation; "either measure" is the rule of
//!     the open implementations that derive it, and of CORC's definitions);
//!   - *recovery*: a case at first and below caseness on both measures at last; *not
//!     applicable* to an episode that was not a case at first ("not at caseness", which NHS
//!     subtracts from the denominator of recovery rates);
//!   - *reliable recovery*: recovery with reliable improvement.
//!
//!   An episode is assessed when every paired measure has a first and a last score (at two
//!   administrations); otherwise it is *not assessed*, and why: no score, one administration,
//!   or a measure scored once. NHS counts only referrals that finished a course of treatment
//!   (at least two attended treatment appointments); the input does not say which appointments
//!   were treatment, so two scored administrations stand for it. The thresholds are the
//!   numbers published for NHS Talking Therapies (Saunders R et al., J Affect Disord
//!   2021;294:85-93, Table 1, citing NHS Digital 2016); a change of exactly the threshold counts.
//!
//! A [`CaseloadSummary`] counts every class per instrument and combined, with rates and their
//! Wilson 95% intervals ([`Proportion::wilson`]).
//!
//! ```
//! use screenscore::batch::Batch;
//! use screenscore::date::DateFormat;
//! use screenscore::outcomes::{Assessor, Combined, CombinedChange, OutcomeCollector, OutcomeSettings, Recovery};
//! use screenscore::Instrument;
//!
//! // PHQ-9 12 → 5 and GAD-7 9 → 4: both fall by at least their thresholds (6 and 4), the
//! // client was a case at first (12 ≥ 10) and is below both cut-offs at last (5 < 10, 4 < 8).
//! let csv = "client,date,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9,\
//!            gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7\n\
//!            A,2026-01-05,2,2,2,2,1,1,2,0,0,2,2,2,1,1,1,0\n\
//!            A,2026-03-02,1,1,1,1,1,0,0,0,0,1,1,1,1,0,0,0\n";
//! let instruments = vec![
//!     Instrument::builtin("phq9")?.clone(),
//!     Instrument::builtin("gad7")?.clone(),
//! ];
//! let batch = Batch::builder().instrument(instruments[0].clone()).instrument(instruments[1].clone()).build()?;
//! let mut collector = OutcomeCollector::new(OutcomeSettings {
//!     client_column: "client".into(),
//!     date_column: "date".into(),
//!     episode_column: None,
//!     date_format: DateFormat::Iso8601,
//! });
//! batch.run(csv.as_bytes(), &mut [&mut collector])?;
//! let episodes = collector.into_episodes();
//! let assessor = Assessor::new(&instruments);
//! let outcome = assessor.episode(&episodes[0]);
//! assert_eq!(outcome.instruments[0].change, Some(-7.0));
//! let Some(Combined::Assessed(classes)) = outcome.combined else { panic!() };
//! assert_eq!(classes.change, CombinedChange::ReliableImprovement);
//! assert_eq!(classes.reliable_recovery, Recovery::Yes);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assess;
mod chart;
mod collect;
mod record;
mod summary;

pub use assess::{
    Assessor, Classes, Combined, CombinedChange, Course, InstrumentOutcome, NotAssessed, Point,
    Recovery, outcome_scale,
};
pub use chart::{Chart, ChartBand, ChartPoint};
pub use collect::{Episode, OutcomeCollector, OutcomeSettings};
pub use record::{
    CombinedRecord, EpisodeRecord, InstrumentOutcomeRecord, NotAssessedReason, PointRecord,
};
pub use summary::{
    CaseloadSummary, CombinedSummary, InstrumentSummary, Measure, Proportion, Scope, SummaryLine,
};

/// One episode, judged.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeOutcome<'e, 'a> {
    /// The episode.
    pub episode: &'e Episode,
    /// Per instrument (in the batch's order), its outcome.
    pub instruments: Vec<InstrumentOutcome<'a>>,
    /// The combined classes, when the batch has a pair of measures to combine.
    pub combined: Option<Combined<'a>>,
}

impl<'b> Assessor<'b> {
    /// Judge one episode.
    pub fn episode<'e>(&self, episode: &'e Episode) -> EpisodeOutcome<'e, '_> {
        let instruments: Vec<InstrumentOutcome<'_>> = episode
            .courses
            .iter()
            .enumerate()
            .map(|(k, course)| self.instrument(k, course))
            .collect();
        let combined = self.combine(&instruments, episode.scored);
        EpisodeOutcome {
            episode,
            instruments,
            combined,
        }
    }

    /// The caseload summary of `episodes`.
    pub fn summary(&self, episodes: &[Episode]) -> CaseloadSummary {
        let mut summary = CaseloadSummary::new(self.instruments().len(), !self.paired().is_empty());
        for episode in episodes {
            let outcome = self.episode(episode);
            summary.add(
                episode.scored,
                &outcome.instruments,
                outcome.combined.as_ref(),
            );
        }
        summary
    }
}
