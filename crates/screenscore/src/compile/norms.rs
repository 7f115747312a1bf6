//! The checks of a reference group: the same for a definition's norms and for a local norms
//! file (`screenscore norms` writes one, `score --norms` reads it back), whose text reaches
//! the output (a group's id and a stratum's sex in the `_norm` column, its population in
//! reports) and whose numbers reach every standard score.

use std::collections::{HashMap, HashSet};

use super::ids::is_part_id;
use super::{Compiler, limits};
use crate::definition::{NormGroup, Scale, Sex};
use crate::error::Problem;

impl Compiler<'_> {
    /// Check a scale's reference groups: each on its own, and their ids and roles together.
    pub(super) fn norm_groups(&mut self, scale: &Scale, path: &str) {
        let mut ids = HashSet::new();
        let mut roles = HashMap::new();
        for (g, group) in scale.norms.iter().enumerate() {
            let gpath = format!("{path}.norms[{g}]");
            check_group(group, &gpath, &mut self.problems);
            if !ids.insert(group.id.as_str()) {
                self.problem(
                    format!("{gpath}.id"),
                    format!("norm group id `{}` is used twice in this scale", group.id),
                );
            }
            if let Some(role) = group.role
                && let Some(first) = roles.insert(role, g)
            {
                self.problem(
                    format!("{gpath}.role"),
                    format!("norms[{first}] already has this role; a scale has at most one functional and one dysfunctional group"),
                );
            }
        }
    }
}

/// Check one reference group, whose JSON path is `path`; every problem found is added to
/// `problems`. The bounds on its numbers are those of [`limits`].
pub(crate) fn check_group(group: &NormGroup, path: &str, problems: &mut Vec<Problem>) {
    let mut problem = |at: String, message: &str| problems.push(Problem::new(at, message));
    if !is_part_id(&group.id) {
        problem(
            format!("{path}.id"),
            &format!(
                "`{}` is not a valid norm group id: use letters, digits, `_` and `-`",
                group.id
            ),
        );
    }
    for (field, text) in [
        ("population", &group.population),
        ("source.ref", &group.source.reference),
    ] {
        if text.trim().is_empty() {
            problem(format!("{path}.{field}"), "must not be empty");
        } else if text.chars().any(char::is_control) {
            problem(
                format!("{path}.{field}"),
                "must not contain control characters (line breaks, tabs, escapes)",
            );
        }
    }
    if group.strata.is_empty() {
        problem(
            format!("{path}.strata"),
            "a norm group needs at least one stratum",
        );
    }
    for (k, stratum) in group.strata.iter().enumerate() {
        let spath = format!("{path}.strata[{k}]");
        if let Err(message) = limits::mean(stratum.mean) {
            problem(format!("{spath}.mean"), message);
        }
        if let Err(message) = limits::sd(stratum.sd) {
            problem(format!("{spath}.sd"), message);
        }
        if let Some(n) = stratum.n {
            if n < 2 {
                problem(
                    format!("{spath}.n"),
                    "a reference group needs at least 2 people",
                );
            } else if let Err(message) = limits::people(n) {
                problem(format!("{spath}.n"), message);
            }
        }
        if let Some(sex) = &stratum.sex
            && Sex::parse(sex).is_none()
        {
            problem(
                format!("{spath}.sex"),
                &format!("`{sex}` is not `female` or `male`"),
            );
        }
        if let Some(age) = stratum.age {
            let from = limits::age(age.from);
            let to = limits::age(age.to);
            for (field, check) in [("from", from), ("to", to)] {
                if let Err(message) = check {
                    problem(format!("{spath}.age.{field}"), message);
                }
            }
            if from.is_ok() && to.is_ok() && age.from > age.to {
                problem(format!("{spath}.age"), "`from` must not be above `to`");
            }
        }
    }
    if let Some(r) = &group.reliability
        && !(r.value > 0.0 && r.value < 1.0)
    {
        problem(
            format!("{path}.reliability.value"),
            "a reliability must lie strictly between 0 and 1",
        );
    }
    let mut last = f64::NEG_INFINITY;
    for (k, p) in group.percentiles.iter().enumerate() {
        if !(p.p > 0.0 && p.p < 100.0 && p.p > last) {
            problem(
                format!("{path}.percentiles[{k}].p"),
                "percentiles must rise strictly between 0 and 100",
            );
        }
        last = p.p;
        if let Err(message) = limits::finite(p.score) {
            problem(format!("{path}.percentiles[{k}].score"), message);
        }
    }
    let mut people: u64 = 0;
    for (k, f) in group.frequencies.iter().enumerate() {
        if let Err(message) = limits::finite(f.score) {
            problem(format!("{path}.frequencies[{k}].score"), message);
        }
        people = people.saturating_add(f.count);
    }
    if limits::people(people).is_err() {
        problem(
            format!("{path}.frequencies"),
            "the counts must add up to at most 1000000000000 people",
        );
    }
}
