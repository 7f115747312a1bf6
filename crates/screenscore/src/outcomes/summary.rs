//! A caseload summary: counts and rates of each outcome class, with Wilson 95% intervals.

use super::assess::{Combined, CombinedChange, InstrumentOutcome, NotAssessed, Recovery};
use crate::change::Reliable;

/// The two-sided 95% normal quantile, `Φ⁻¹(0.975)`.
const Z_95: f64 = 1.959_963_984_540_054;

/// `count` of `of`: a rate with its Wilson score interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Proportion {
    /// How many have the property.
    pub count: u64,
    /// Of how many (the denominator).
    pub of: u64,
}

impl Proportion {
    /// `count / of`, when `of` is not 0.
    pub fn rate(&self) -> Option<f64> {
        (self.of > 0).then(|| self.count as f64 / self.of as f64)
    }

    /// The Wilson score 95% interval of the rate (Wilson 1927; Newcombe 1998, method 3):
    /// `(p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n)`, which stays within 0 to 1 and
    /// keeps its coverage near 95% for small counts and rates near 0 or 1, where the Wald
    /// interval does not.
    ///
    /// ```
    /// use screenscore::outcomes::Proportion;
    ///
    /// // Newcombe (1998), Stat Med 17:857-872, Table II: 81/263 → 0.2553 to 0.3662.
    /// let (lo, hi) = Proportion { count: 81, of: 263 }.wilson().unwrap();
    /// assert_eq!(((lo * 1e4).round(), (hi * 1e4).round()), (2553.0, 3662.0));
    /// ```
    pub fn wilson(&self) -> Option<(f64, f64)> {
        let p = self.rate()?;
        let n = self.of as f64;
        let z2 = Z_95 * Z_95;
        let centre = p + z2 / (2.0 * n);
        let half = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
        let scale = 1.0 + z2 / n;
        // At a count of 0 (or of all) the bound is exactly 0 (or 1); the formula gives it only
        // up to rounding.
        let low = if self.count == 0 {
            0.0
        } else {
            (centre - half) / scale
        };
        let high = if self.count == self.of {
            1.0
        } else {
            (centre + half) / scale
        };
        Some((low.max(0.0), high.min(1.0)))
    }

    fn add(&mut self, counts: bool) {
        self.of += 1;
        self.count += u64::from(counts);
    }
}

/// One instrument's outcomes over a caseload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstrumentSummary {
    /// Episodes scored at two administrations or more, of all episodes.
    pub scored_twice: Proportion,
    /// Reliable improvement, of the episodes scored twice whose change was judged.
    pub reliable_improvement: Proportion,
    /// Reliable deterioration, of the same.
    pub reliable_deterioration: Proportion,
    /// No reliable change, of the same.
    pub no_reliable_change: Proportion,
    /// A case at first, of the episodes scored twice (with a caseness cut-off).
    pub case_at_first: Proportion,
    /// Below caseness at last, of those that were a case at first.
    pub recovery: Proportion,
}

/// The combined classes over a caseload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CombinedSummary {
    /// Episodes with a first and a last score on every paired measure, of all episodes.
    pub assessed: Proportion,
    /// Not assessed because no administration scored the paired measures.
    pub no_score: u64,
    /// Not assessed because there was one scored administration.
    pub one_administration: u64,
    /// Not assessed because a paired measure was scored once.
    pub scored_once: u64,
    /// A case at first, of the assessed.
    pub case_at_first: Proportion,
    /// Not a case at first, of the assessed.
    pub not_at_caseness: Proportion,
    /// Reliable improvement, of the assessed.
    pub reliable_improvement: Proportion,
    /// Reliable deterioration, of the assessed.
    pub reliable_deterioration: Proportion,
    /// No reliable change, of the assessed.
    pub no_reliable_change: Proportion,
    /// Recovery, of the assessed that were a case at first.
    pub recovery: Proportion,
    /// Reliable recovery, of the same.
    pub reliable_recovery: Proportion,
}

/// Counts and rates of every outcome class over a caseload.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseloadSummary {
    /// Episodes.
    pub episodes: u64,
    /// Episodes with one scored administration, of all episodes (counted, never dropped).
    pub single_administration: Proportion,
    /// Per instrument (in the batch's order).
    pub instruments: Vec<InstrumentSummary>,
    /// The combined classes, when the batch has a pair of measures to combine.
    pub combined: Option<CombinedSummary>,
}

impl CaseloadSummary {
    /// An empty summary of `instruments` instruments, with combined classes or not.
    pub fn new(instruments: usize, combined: bool) -> CaseloadSummary {
        CaseloadSummary {
            instruments: vec![InstrumentSummary::default(); instruments],
            combined: combined.then(CombinedSummary::default),
            ..CaseloadSummary::default()
        }
    }

    /// Count one episode: `scored` administrations of which scored any instrument, its
    /// instruments' outcomes and its combined outcome.
    pub fn add(
        &mut self,
        scored: u32,
        outcomes: &[InstrumentOutcome<'_>],
        combined: Option<&Combined<'_>>,
    ) {
        self.episodes += 1;
        self.single_administration.add(scored == 1);
        for (summary, o) in self.instruments.iter_mut().zip(outcomes) {
            let twice = o.course.scored >= 2;
            summary.scored_twice.add(twice);
            if !twice {
                continue;
            }
            if let Some(r) = o.reliable {
                summary.reliable_improvement.add(r == Reliable::Improved);
                summary
                    .reliable_deterioration
                    .add(r == Reliable::Deteriorated);
                summary.no_reliable_change.add(r == Reliable::No);
            }
            if let Some(case) = o.case_first {
                summary.case_at_first.add(case);
                if case {
                    summary.recovery.add(o.case_last == Some(false));
                }
            }
        }
        let (Some(summary), Some(combined)) = (&mut self.combined, combined) else {
            return;
        };
        let classes = match combined {
            Combined::NotAssessed(why) => {
                summary.assessed.add(false);
                match why {
                    NotAssessed::NoScore => summary.no_score += 1,
                    NotAssessed::OneAdministration => summary.one_administration += 1,
                    NotAssessed::ScoredOnce { .. } => summary.scored_once += 1,
                }
                return;
            }
            Combined::Assessed(classes) => classes,
        };
        summary.assessed.add(true);
        summary.case_at_first.add(classes.case_at_first);
        summary.not_at_caseness.add(!classes.case_at_first);
        let change = classes.change;
        summary
            .reliable_improvement
            .add(change == CombinedChange::ReliableImprovement);
        summary
            .reliable_deterioration
            .add(change == CombinedChange::ReliableDeterioration);
        summary
            .no_reliable_change
            .add(change == CombinedChange::NoReliableChange);
        if classes.recovery != Recovery::NotApplicable {
            summary.recovery.add(classes.recovery == Recovery::Yes);
            summary
                .reliable_recovery
                .add(classes.reliable_recovery == Recovery::Yes);
        }
    }
}

/// What a line of a caseload summary counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Episodes (a count).
    Episodes,
    /// Episodes with one scored administration.
    SingleAdministration,
    /// Episodes scored at two administrations or more.
    ScoredTwice,
    /// Episodes with a first and a last score on every paired measure.
    Assessed,
    /// Not assessed: no administration scored the paired measures.
    NotAssessedNoScore,
    /// Not assessed: one scored administration.
    NotAssessedOneAdministration,
    /// Not assessed: a paired measure scored once.
    NotAssessedScoredOnce,
    /// A case at first.
    CaseAtFirst,
    /// Not a case at first.
    NotAtCaseness,
    /// Reliable improvement.
    ReliableImprovement,
    /// Reliable deterioration.
    ReliableDeterioration,
    /// No reliable change.
    NoReliableChange,
    /// Recovery.
    Recovery,
    /// Reliable recovery.
    ReliableRecovery,
}

impl Measure {
    /// The snake_case name written in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Episodes => "episodes",
            Measure::SingleAdministration => "single_administration",
            Measure::ScoredTwice => "scored_twice",
            Measure::Assessed => "assessed",
            Measure::NotAssessedNoScore => "not_assessed_no_score",
            Measure::NotAssessedOneAdministration => "not_assessed_one_administration",
            Measure::NotAssessedScoredOnce => "not_assessed_scored_once",
            Measure::CaseAtFirst => "case_at_first",
            Measure::NotAtCaseness => "not_at_caseness",
            Measure::ReliableImprovement => "reliable_improvement",
            Measure::ReliableDeterioration => "reliable_deterioration",
            Measure::NoReliableChange => "no_reliable_change",
            Measure::Recovery => "recovery",
            Measure::ReliableRecovery => "reliable_recovery",
        }
    }

    /// The measure in words, for a page a person reads.
    pub fn words(self) -> &'static str {
        match self {
            Measure::Episodes => "Episodes",
            Measure::SingleAdministration => "One scored administration only",
            Measure::ScoredTwice => "Scored at two administrations or more",
            Measure::Assessed => "Assessed (first and last score on each measure)",
            Measure::NotAssessedNoScore => "Not assessed: no score",
            Measure::NotAssessedOneAdministration => "Not assessed: one administration",
            Measure::NotAssessedScoredOnce => "Not assessed: a measure scored once",
            Measure::CaseAtFirst => "A case at first",
            Measure::NotAtCaseness => "Not at caseness at first",
            Measure::ReliableImprovement => "Reliable improvement",
            Measure::ReliableDeterioration => "Reliable deterioration",
            Measure::NoReliableChange => "No reliable change",
            Measure::Recovery => "Recovery",
            Measure::ReliableRecovery => "Reliable recovery",
        }
    }
}

/// Which part of a caseload a summary line is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every episode.
    All,
    /// One instrument (its position among the batch's).
    Instrument(usize),
    /// The combined classes of the paired measures.
    Combined,
}

/// One line of a caseload summary: what is counted, in which part, and the count (with its
/// denominator, except for the count of episodes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SummaryLine {
    /// The part of the caseload.
    pub scope: Scope,
    /// What is counted.
    pub measure: Measure,
    /// The count and its denominator (`of` is the count itself for [`Measure::Episodes`]).
    pub value: Proportion,
}

impl CaseloadSummary {
    /// Every line of the summary, in the order written: all episodes, each instrument, then the
    /// combined classes.
    pub fn lines(&self) -> Vec<SummaryLine> {
        let all = |measure, value| SummaryLine {
            scope: Scope::All,
            measure,
            value,
        };
        let episodes = Proportion {
            count: self.episodes,
            of: self.episodes,
        };
        let mut lines = vec![
            all(Measure::Episodes, episodes),
            all(Measure::SingleAdministration, self.single_administration),
        ];
        for (k, s) in self.instruments.iter().enumerate() {
            let scope = Scope::Instrument(k);
            lines.extend(
                [
                    (Measure::ScoredTwice, s.scored_twice),
                    (Measure::ReliableImprovement, s.reliable_improvement),
                    (Measure::ReliableDeterioration, s.reliable_deterioration),
                    (Measure::NoReliableChange, s.no_reliable_change),
                    (Measure::CaseAtFirst, s.case_at_first),
                    (Measure::Recovery, s.recovery),
                ]
                .map(|(measure, value)| SummaryLine {
                    scope,
                    measure,
                    value,
                }),
            );
        }
        if let Some(c) = &self.combined {
            let of = c.assessed.of;
            let reason = |count| Proportion { count, of };
            lines.extend(
                [
                    (Measure::Assessed, c.assessed),
                    (Measure::NotAssessedNoScore, reason(c.no_score)),
                    (
                        Measure::NotAssessedOneAdministration,
                        reason(c.one_administration),
                    ),
                    (Measure::NotAssessedScoredOnce, reason(c.scored_once)),
                    (Measure::CaseAtFirst, c.case_at_first),
                    (Measure::NotAtCaseness, c.not_at_caseness),
                    (Measure::ReliableImprovement, c.reliable_improvement),
                    (Measure::ReliableDeterioration, c.reliable_deterioration),
                    (Measure::NoReliableChange, c.no_reliable_change),
                    (Measure::Recovery, c.recovery),
                    (Measure::ReliableRecovery, c.reliable_recovery),
                ]
                .map(|(measure, value)| SummaryLine {
                    scope: Scope::Combined,
                    measure,
                    value,
                }),
            );
        }
        lines
    }
}
