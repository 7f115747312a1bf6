//! Change over time: the reliable change index and clinically significant change (Jacobson &
//! Truax 1991, *J Consult Clin Psychol* 59(1):12–19).
//!
//! - `SEM = SD₁·√(1 − r)`, with SD₁ the pre-treatment (clinical) or normative SD and `r` the
//!   test–retest or internal-consistency reliability;
//! - `S_diff = √(2·SEM²)`; `RCI = (x₂ − x₁) / S_diff`; the change is reliable when |RCI| > 1.96;
//! - cut-offs between the dysfunctional (clinical) and functional populations:
//!   `a` = 2 SD beyond the dysfunctional mean towards health, `b` = 2 SD beyond the functional
//!   mean towards illness, `c = (SD_func·M_dys + SD_dys·M_func) / (SD_func + SD_dys)`;
//! - classes: *recovered* (reliable improvement and crossed the cut-off from the dysfunctional to
//!   the functional side), *improved* (reliable improvement, not recovered), *unchanged* (not
//!   reliable), *deteriorated* (reliable worsening). A score equal to the cut-off counts as on
//!   the dysfunctional side.
//!
//! Which way is better comes from the scale's `higher_is`. Every result carries its method
//! ([`ChangeMethod::describe`]): computations vary between tools (Blampied 2022), so the SD, the
//! reliability, the groups and the cut-off used are always stated.
//!
//! ```
//! use screenscore::change::{rci, s_diff, Z_RELIABLE};
//! use screenscore::definition::Direction;
//!
//! // SD 5, alpha .84: SEM = 5·√.16 = 2; S_diff = √(2·4) = 2.828…; 20 → 12 gives RCI −2.83.
//! let sem = screenscore::norms::sem(5.0, 0.84);
//! assert!((s_diff(sem) - 8f64.sqrt()).abs() < 1e-12);
//! let index = rci(20.0, 12.0, sem);
//! assert!((index - (-8.0 / 8f64.sqrt())).abs() < 1e-12);
//! assert!(index.abs() > Z_RELIABLE);
//! ```

use std::fmt;

use crate::definition::{Direction, NormGroup, NormRole, ReliabilityKind, Scale};
use crate::norms::{Respondent, select_stratum};

/// |RCI| above this is reliable change (p < .05, two-sided).
pub const Z_RELIABLE: f64 = 1.96;

/// `√(2·SEM²)`: the standard error of the difference of two scores.
pub fn s_diff(sem: f64) -> f64 {
    (2.0 * sem * sem).sqrt()
}

/// `(after − before) / S_diff`.
pub fn rci(before: f64, after: f64, sem: f64) -> f64 {
    (after - before) / s_diff(sem)
}

/// Which Jacobson–Truax cut-off separates the dysfunctional from the functional range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CutoffKind {
    /// 2 SD beyond the dysfunctional mean, towards health.
    A,
    /// 2 SD beyond the functional mean, towards illness.
    B,
    /// Between the two means, weighted by the SDs (the default).
    #[default]
    C,
}

impl CutoffKind {
    /// `a`, `b` or `c`.
    pub fn as_str(self) -> &'static str {
        match self {
            CutoffKind::A => "a",
            CutoffKind::B => "b",
            CutoffKind::C => "c",
        }
    }
}

/// Cut-off `a`: 2 SD beyond the dysfunctional mean towards health.
pub fn cutoff_a(dysfunctional_mean: f64, dysfunctional_sd: f64, higher_is: Direction) -> f64 {
    match higher_is {
        Direction::Worse => dysfunctional_mean - 2.0 * dysfunctional_sd,
        Direction::Better => dysfunctional_mean + 2.0 * dysfunctional_sd,
    }
}

/// Cut-off `b`: 2 SD beyond the functional mean towards illness.
pub fn cutoff_b(functional_mean: f64, functional_sd: f64, higher_is: Direction) -> f64 {
    match higher_is {
        Direction::Worse => functional_mean + 2.0 * functional_sd,
        Direction::Better => functional_mean - 2.0 * functional_sd,
    }
}

/// Cut-off `c`: `(SD_func·M_dys + SD_dys·M_func) / (SD_func + SD_dys)` (the same whichever way
/// is better).
pub fn cutoff_c(functional: (f64, f64), dysfunctional: (f64, f64)) -> f64 {
    let ((m_func, sd_func), (m_dys, sd_dys)) = (functional, dysfunctional);
    (sd_func * m_dys + sd_dys * m_func) / (sd_func + sd_dys)
}

/// Whether a score lies on the functional side of `cutoff` (equal counts as dysfunctional).
pub fn is_functional(score: f64, cutoff: f64, higher_is: Direction) -> bool {
    match higher_is {
        Direction::Worse => score < cutoff,
        Direction::Better => score > cutoff,
    }
}

/// Whether a change was reliable, and which way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reliable {
    /// |RCI| > 1.96 in the better direction.
    Improved,
    /// |RCI| > 1.96 in the worse direction.
    Deteriorated,
    /// |RCI| ≤ 1.96.
    No,
}

impl Reliable {
    /// `improved`, `deteriorated` or `no`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reliable::Improved => "improved",
            Reliable::Deteriorated => "deteriorated",
            Reliable::No => "no",
        }
    }
}

/// Jacobson–Truax clinically significant change classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeClass {
    /// Reliable improvement and crossed the cut-off into the functional range.
    Recovered,
    /// Reliable improvement without recovering.
    Improved,
    /// No reliable change.
    Unchanged,
    /// Reliable worsening.
    Deteriorated,
}

impl ChangeClass {
    /// `recovered`, `improved`, `unchanged` or `deteriorated`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeClass::Recovered => "recovered",
            ChangeClass::Improved => "improved",
            ChangeClass::Unchanged => "unchanged",
            ChangeClass::Deteriorated => "deteriorated",
        }
    }
}

/// Classify the change from `before` to `after`.
pub fn classify(
    before: f64,
    after: f64,
    sem: f64,
    cutoff: f64,
    higher_is: Direction,
) -> ChangeClass {
    class_of(
        reliable(before, after, sem, higher_is),
        before,
        after,
        cutoff,
        higher_is,
    )
}

/// Whether a change of `delta` points is reliable by a published threshold of `points`: a
/// change of at least that many points, and which way.
pub fn reliable_by_points(delta: f64, points: f64, higher_is: Direction) -> Reliable {
    if delta.abs() < points || delta.is_nan() {
        return Reliable::No;
    }
    let better = match higher_is {
        Direction::Worse => delta < 0.0,
        Direction::Better => delta > 0.0,
    };
    if better {
        Reliable::Improved
    } else {
        Reliable::Deteriorated
    }
}

/// The class of a change whose reliability is known: recovered when reliably improved from the
/// dysfunctional side of `cutoff` to the functional side.
fn class_of(
    reliable: Reliable,
    before: f64,
    after: f64,
    cutoff: f64,
    higher_is: Direction,
) -> ChangeClass {
    match reliable {
        Reliable::No => ChangeClass::Unchanged,
        Reliable::Deteriorated => ChangeClass::Deteriorated,
        Reliable::Improved
            if !is_functional(before, cutoff, higher_is)
                && is_functional(after, cutoff, higher_is) =>
        {
            ChangeClass::Recovered
        }
        Reliable::Improved => ChangeClass::Improved,
    }
}

/// Whether the change from `before` to `after` is reliable, and which way.
pub fn reliable(before: f64, after: f64, sem: f64, higher_is: Direction) -> Reliable {
    let index = rci(before, after, sem);
    if index.abs() <= Z_RELIABLE || index.is_nan() {
        return Reliable::No;
    }
    let better = match higher_is {
        Direction::Worse => index < 0.0,
        Direction::Better => index > 0.0,
    };
    if better {
        Reliable::Improved
    } else {
        Reliable::Deteriorated
    }
}

/// The change between two scores of a scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// `after − before`.
    pub delta: f64,
    /// The reliable change index, when the scale has an SD and a reliability.
    pub rci: Option<f64>,
    /// Whether the change is reliable.
    pub reliable: Option<Reliable>,
    /// The clinically significant change class, when the scale has cut-offs.
    pub class: Option<ChangeClass>,
}

/// How change is computed for one scale: the SD and reliability behind the RCI (or, where no
/// reference group gives them, the scale's published reliable-change threshold), the cut-off
/// (Jacobson–Truax from the groups, or the published caseness cut-off), the direction, and
/// which groups they come from.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeMethod {
    /// Which way is better.
    pub higher_is: Direction,
    /// SD₁, reliability, its kind, and the group they come from.
    pub reliability: Option<(f64, f64, ReliabilityKind, String)>,
    /// The published reliable-change threshold, in points, used when there is no reliability.
    pub threshold: Option<f64>,
    /// The cut-off used, its kind, and the groups it comes from.
    pub cutoff: Option<(f64, CutoffKind, String)>,
    /// The published caseness cut-off, used for the class of change when the groups give no
    /// cut-off.
    pub caseness: Option<f64>,
}

impl ChangeMethod {
    /// The method for `scale`, from its reference groups (definition groups, then `extra` ones
    /// such as local norms), with strata chosen for `respondent`.
    ///
    /// SD₁ and `r` come from the dysfunctional group when it gives a reliability (the
    /// pre-treatment population), else from the first other group that does. The cut-off
    /// needs a dysfunctional group (`a`), a functional one (`b`), or both (`c`).
    pub fn new(
        scale: &Scale,
        extra: &[&NormGroup],
        respondent: &Respondent,
        kind: CutoffKind,
    ) -> ChangeMethod {
        let groups: Vec<&NormGroup> = scale.norms.iter().chain(extra.iter().copied()).collect();
        let with_role = |role| groups.iter().copied().find(|g| g.role == Some(role));
        let stats = |g: &NormGroup| select_stratum(g, respondent).map(|s| (s.mean, s.sd));
        let mut candidates: Vec<&NormGroup> = groups.clone();
        candidates.sort_by_key(|g| g.role != Some(NormRole::Dysfunctional));
        let reliability = candidates.iter().find_map(|g| {
            let r = g.reliability.as_ref()?;
            let (_, sd) = stats(g)?;
            Some((sd, r.value, r.kind, g.id.clone()))
        });
        let functional = with_role(NormRole::Functional).and_then(|g| Some((g, stats(g)?)));
        let dysfunctional = with_role(NormRole::Dysfunctional).and_then(|g| Some((g, stats(g)?)));
        let cutoff = match (kind, functional, dysfunctional) {
            (CutoffKind::A, _, Some((d, (m, sd)))) => Some((
                cutoff_a(m, sd, scale.higher_is),
                kind,
                format!("dysfunctional {}", d.id),
            )),
            (CutoffKind::B, Some((f, (m, sd))), _) => Some((
                cutoff_b(m, sd, scale.higher_is),
                kind,
                format!("functional {}", f.id),
            )),
            (CutoffKind::C, Some((f, fs)), Some((d, ds))) => Some((
                cutoff_c(fs, ds),
                kind,
                format!("functional {}, dysfunctional {}", f.id, d.id),
            )),
            _ => None,
        };
        let thresholds = scale.thresholds.as_ref();
        ChangeMethod {
            higher_is: scale.higher_is,
            threshold: thresholds
                .and_then(|t| t.reliable_change.as_ref())
                .map(|r| r.points)
                .filter(|_| reliability.is_none()),
            caseness: thresholds
                .and_then(|t| t.caseness.as_ref())
                .map(|c| c.from)
                .filter(|_| cutoff.is_none()),
            reliability,
            cutoff,
        }
    }

    /// The method by the scale's published thresholds alone (a change of at least the published
    /// number of points is reliable; the published caseness cut-off), as services that report
    /// outcomes use them; `None` when the scale publishes no reliable-change threshold.
    ///
    /// ```
    /// use screenscore::change::{ChangeMethod, Reliable};
    /// use screenscore::Instrument;
    ///
    /// let phq9 = Instrument::builtin("phq9")?;
    /// let total = &phq9.definition().scales[0];
    /// let method = ChangeMethod::published(total).unwrap();
    /// // 6 points or more is reliable, 10 or more is a case.
    /// assert_eq!(method.compare(12.0, 6.0).reliable, Some(Reliable::Improved));
    /// assert_eq!(method.compare(12.0, 7.0).reliable, Some(Reliable::No));
    /// assert_eq!(method.caseness, Some(10.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn published(scale: &Scale) -> Option<ChangeMethod> {
        let thresholds = scale.thresholds.as_ref()?;
        Some(ChangeMethod {
            higher_is: scale.higher_is,
            reliability: None,
            threshold: Some(thresholds.reliable_change.as_ref()?.points),
            cutoff: None,
            caseness: thresholds.caseness.as_ref().map(|c| c.from),
        })
    }

    /// Whether `score` is a case by the published caseness cut-off (a score at the cut-off is a
    /// case); `None` without one.
    pub fn is_case(&self, score: f64) -> Option<bool> {
        self.caseness
            .map(|c| !is_functional(score, c, self.higher_is))
    }

    /// The SEM behind the RCI.
    pub fn sem(&self) -> Option<f64> {
        self.reliability
            .as_ref()
            .map(|(sd, r, _, _)| crate::norms::sem(*sd, *r))
    }

    /// Compare two scores.
    pub fn compare(&self, before: f64, after: f64) -> Change {
        let delta = after - before;
        if let Some(sem) = self.sem() {
            return Change {
                delta,
                rci: Some(rci(before, after, sem)),
                reliable: Some(reliable(before, after, sem, self.higher_is)),
                class: self
                    .cutoff
                    .as_ref()
                    .map(|(c, _, _)| *c)
                    .or(self.caseness_cutoff())
                    .map(|c| classify(before, after, sem, c, self.higher_is)),
            };
        }
        let Some(points) = self.threshold else {
            return Change {
                delta,
                rci: None,
                reliable: None,
                class: None,
            };
        };
        let reliable = reliable_by_points(delta, points, self.higher_is);
        Change {
            delta,
            rci: None,
            reliable: Some(reliable),
            class: self
                .caseness_cutoff()
                .map(|c| class_of(reliable, before, after, c, self.higher_is)),
        }
    }

    /// The caseness cut-off as a Jacobson–Truax cut-off: a score at it is a case, as a score
    /// at a cut-off counts as dysfunctional.
    fn caseness_cutoff(&self) -> Option<f64> {
        self.caseness
    }

    /// The method in words, for output: `RCI (Jacobson-Truax): SD 5.2, internal consistency
    /// .89 (group x); cut-off c = 9.8 (functional y, dysfunctional z)`.
    pub fn describe(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ChangeMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reliability {
            Some((sd, r, kind, group)) => {
                let kind = match kind {
                    ReliabilityKind::InternalConsistency => "internal consistency",
                    ReliabilityKind::TestRetest => "test-retest",
                };
                write!(
                    f,
                    "RCI (Jacobson-Truax): SD {}, {kind} {} ({group})",
                    round3(*sd),
                    round3(*r)
                )?;
            }
            None => match self.threshold {
                Some(points) => write!(
                    f,
                    "published threshold: a change of {} points or more is reliable",
                    round3(points)
                )?,
                None => f.write_str("no RCI: no reference group gives an SD and a reliability")?,
            },
        }
        if let Some((c, kind, groups)) = &self.cutoff {
            write!(f, "; cut-off {} = {} ({groups})", kind.as_str(), round3(*c))?;
        } else if let Some(c) = self.caseness {
            let side = match self.higher_is {
                Direction::Worse => "or more",
                Direction::Better => "or less",
            };
            write!(f, "; published caseness: {} {side} is a case", round3(c))?;
        }
        Ok(())
    }
}

/// A number to at most 3 decimals, for method statements.
fn round3(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    crate::numeric::format_value(r)
}

#[cfg(test)]
mod tests;
