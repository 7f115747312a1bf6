//! Conditions, and where they are used: skips and rules (and `applies_if`, from items).

use super::ids::{Case, shown};
use super::plan::SkipPlan;
use super::{Compiler, Scope, limits};
use crate::condition::{Cond, Program};
use crate::definition::Condition;
use crate::matcher::Matcher;
use crate::numeric::format_value;

impl<'d> Compiler<'d> {
    pub(super) fn skips(&mut self, sets: &[Matcher]) -> Vec<SkipPlan> {
        let def = self.def;
        let mut plans = Vec::new();
        for (k, skip) in def.skips.iter().enumerate() {
            let path = format!("skips[{k}]");
            let when = self.condition(&skip.when, &format!("{path}.when"), Scope::Responses);
            let mut items = Vec::new();
            let finite = limits::finite(skip.value);
            self.number(format!("{path}.value"), finite);
            for (j, id) in skip.items.iter().enumerate() {
                let ipath = format!("{path}.items[{j}]");
                let Some(i) = self.item(id, &ipath) else {
                    continue;
                };
                if finite.is_err() {
                    continue;
                }
                let set = self.sets.get(&def.items[i].response_set);
                match set.and_then(|s| sets[s].option_with_value(skip.value)) {
                    Some(option) => items.push((i, option)),
                    None => self.problem(
                        format!("{path}.value"),
                        format!(
                            "{} is not a value of item `{id}`, so it cannot be its skipped score",
                            format_value(skip.value)
                        ),
                    ),
                }
            }
            plans.push(SkipPlan {
                when: Program::new(&[when]),
                items,
            });
        }
        plans
    }

    pub(super) fn rules(&mut self) -> Program {
        let def = self.def;
        self.index_ids(&def.rules, "rules", "rule", Case::Exact, |r| &r.id);
        let conds: Vec<Cond> = def
            .rules
            .iter()
            .enumerate()
            .map(|(r, rule)| {
                if rule.label.trim().is_empty() {
                    self.problem(format!("rules[{r}].label"), "must not be empty");
                }
                self.condition(&rule.when, &format!("rules[{r}].when"), Scope::Everything)
            })
            .collect();
        Program::new(&conds)
    }

    fn item(&mut self, id: &str, path: &str) -> Option<usize> {
        let found = self.items.get(id);
        if found.is_none() {
            self.problem(path, format!("unknown item `{id}`{}", self.items.known()));
        }
        found
    }

    pub(super) fn condition(&mut self, cond: &Condition, path: &str, scope: Scope) -> Cond {
        let outside = |what: &str| match scope {
            Scope::Attributes => Some(format!(
                "`applies_if` may only test respondent attributes, not {what}"
            )),
            Scope::Responses if what == "scales" => Some(
                "skip conditions may not test scales: scales are scored after skips".to_string(),
            ),
            _ => None,
        };
        match cond {
            Condition::Item(cmp) => {
                let path = format!("{path}.item");
                if let Some(m) = outside("items") {
                    self.problem(&path, m);
                }
                let item = self.item(&cmp.id, &format!("{path}.id")).unwrap_or(0);
                self.number(format!("{path}.value"), limits::finite(cmp.value));
                Cond::Item {
                    item,
                    op: cmp.op,
                    value: cmp.value,
                }
            }
            Condition::Scale(cmp) => {
                let path = format!("{path}.scale");
                if let Some(m) = outside("scales") {
                    self.problem(&path, m);
                }
                let scale = match self.scales.get(&cmp.id) {
                    Some(s) => s,
                    None => {
                        self.problem(
                            format!("{path}.id"),
                            format!("unknown scale `{}`{}", cmp.id, self.scales.known()),
                        );
                        0
                    }
                };
                self.number(format!("{path}.value"), limits::finite(cmp.value));
                Cond::Scale {
                    scale,
                    op: cmp.op,
                    value: cmp.value,
                }
            }
            Condition::Missing(id) => {
                let path = format!("{path}.missing");
                if let Some(m) = outside("items") {
                    self.problem(&path, m);
                }
                Cond::Missing(self.item(id, &path).unwrap_or(0))
            }
            Condition::Attribute(test) => {
                let path = format!("{path}.attribute");
                let Some(a) = self.attributes.get(&test.id) else {
                    self.problem(
                        format!("{path}.id"),
                        format!("unknown attribute `{}`{}", test.id, self.attributes.known()),
                    );
                    return Cond::Attribute {
                        attribute: 0,
                        values: 0,
                    };
                };
                let mut values = 0u64;
                for (k, v) in test.any_of.iter().enumerate() {
                    match self.attribute_values[a].get(v.as_str()) {
                        Some(&i) if i < 64 => values |= 1 << i,
                        // Past the 64th value there is no bit; the attribute is refused for
                        // having that many values (`attributes[a].values`).
                        Some(_) => {}
                        None => {
                            let declared = self.declared_values(a);
                            self.problem(
                                format!("{path}.in[{k}]"),
                                format!(
                                    "`{v}` is not a value of attribute `{}` ({declared})",
                                    test.id
                                ),
                            );
                        }
                    }
                }
                Cond::Attribute {
                    attribute: a,
                    values,
                }
            }
            Condition::NotGiven(id) => {
                let path = format!("{path}.not_given");
                match self.attributes.get(id) {
                    Some(a) => Cond::NotGiven(a),
                    None => {
                        self.problem(
                            path,
                            format!("unknown attribute `{id}`{}", self.attributes.known()),
                        );
                        Cond::NotGiven(0)
                    }
                }
            }
            Condition::All(parts) => {
                Cond::All(self.conditions(parts, &format!("{path}.all"), scope))
            }
            Condition::Any(parts) => {
                Cond::Any(self.conditions(parts, &format!("{path}.any"), scope))
            }
            Condition::Not(inner) => Cond::Not(Box::new(self.condition(
                inner,
                &format!("{path}.not"),
                scope,
            ))),
            Condition::Count(count) => {
                let path = format!("{path}.count");
                self.number(format!("{path}.value"), limits::finite(count.value));
                Cond::Count {
                    of: self.conditions(&count.of, &format!("{path}.of"), scope),
                    op: count.op,
                    value: count.value,
                }
            }
            Condition::CountItems(count) => {
                let path = format!("{path}.count_items");
                if let Some(m) = outside("items") {
                    self.problem(&path, m);
                }
                let items = count
                    .items
                    .iter()
                    .enumerate()
                    .filter_map(|(k, id)| self.item(id, &format!("{path}.items[{k}]")))
                    .collect();
                let meeting = limits::finite(count.meeting.value);
                self.number(format!("{path}.meeting.value"), meeting);
                self.number(format!("{path}.value"), limits::finite(count.value));
                Cond::CountItems {
                    items,
                    meet_op: count.meeting.op,
                    meet_value: count.meeting.value,
                    op: count.op,
                    value: count.value,
                }
            }
        }
    }

    fn conditions(&mut self, parts: &[Condition], path: &str, scope: Scope) -> Vec<Cond> {
        parts
            .iter()
            .enumerate()
            .map(|(k, c)| self.condition(c, &format!("{path}[{k}]"), scope))
            .collect()
    }

    /// `female, male`: an attribute's values for a message, the first ten, each cut short
    /// when long.
    fn declared_values(&self, attribute: usize) -> String {
        let values = &self.def.attributes[attribute].values;
        let mut text = values
            .iter()
            .take(10)
            .map(|d| shown(&d.value))
            .collect::<Vec<_>>()
            .join(", ");
        if values.len() > 10 {
            text.push_str(&format!(" … and {} more", values.len() - 10));
        }
        text
    }
}
