//! Composite scales (scales made of scales), the order scales are scored in, and the keying of
//! an item that more than one scale lists.
//!
//! A composite may name any scale of the definition, before or after it: scales are scored in
//! an order that puts every scale after the scales it is computed from. A composite that
//! includes itself, directly or through others, is refused with the cycle named.

use std::collections::HashMap;

use super::Compiler;
use super::ids::Ids;
use super::plan::{ScaleKind, ScalePlan};
use super::scales::Parts;
use crate::definition::Scale;

/// Where a depth-first walk of the scales stands with one scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    New,
    Open,
    Done,
}

impl<'d> Compiler<'d> {
    /// The order to score scales in (each after the scales it is computed from, otherwise in
    /// the definition's order), and which scales are part of a cycle (each cycle reported once).
    pub(super) fn scale_order(&mut self, scale_ids: &Ids<'d>) -> (Vec<usize>, Vec<bool>) {
        let def = self.def;
        let n = def.scales.len();
        // The scales each one is computed from: a composite's components; a derived scale's
        // source when it comes before it (a later one is refused where derived is compiled).
        let needs: Vec<Vec<usize>> = def
            .scales
            .iter()
            .enumerate()
            .map(|(s, scale)| match (&scale.scales, &scale.derived) {
                (Some(ids), _) => ids.iter().filter_map(|id| scale_ids.get(id)).collect(),
                (None, Some(d)) => scale_ids
                    .get(&d.from)
                    .filter(|&f| f < s)
                    .into_iter()
                    .collect(),
                (None, None) => Vec::new(),
            })
            .collect();
        let mut visit = vec![Visit::New; n];
        let mut in_cycle = vec![false; n];
        let mut order = Vec::with_capacity(n);
        for root in 0..n {
            if visit[root] != Visit::New {
                continue;
            }
            // An explicit stack of (scale, next dependency to look at): no recursion, however
            // long the chain.
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            visit[root] = Visit::Open;
            while let Some(&mut (s, ref mut next)) = stack.last_mut() {
                if let Some(&d) = needs[s].get(*next) {
                    *next += 1;
                    match visit[d] {
                        Visit::New => {
                            visit[d] = Visit::Open;
                            stack.push((d, 0));
                        }
                        Visit::Open => {
                            let from = stack.iter().position(|&(x, _)| x == d).unwrap_or(0);
                            let cycle: Vec<usize> = stack[from..].iter().map(|&(x, _)| x).collect();
                            self.report_cycle(&cycle, &mut in_cycle);
                        }
                        Visit::Done => {}
                    }
                } else {
                    visit[s] = Visit::Done;
                    order.push(s);
                    stack.pop();
                }
            }
        }
        (order, in_cycle)
    }

    fn report_cycle(&mut self, cycle: &[usize], in_cycle: &mut [bool]) {
        let def = self.def;
        if cycle.iter().any(|&s| in_cycle[s]) {
            return;
        }
        for &s in cycle {
            in_cycle[s] = true;
        }
        let first = cycle[0];
        let names: Vec<String> = cycle
            .iter()
            .chain(std::iter::once(&first))
            .map(|&s| format!("`{}`", def.scales[s].id))
            .collect();
        let message = if cycle.len() == 1 {
            format!("`{}` includes itself", def.scales[first].id)
        } else {
            format!(
                "scales that include each other cannot be scored: {}",
                names.join(" → ")
            )
        };
        let field = if def.scales[first].scales.is_some() {
            "scales"
        } else {
            "derived.from"
        };
        self.problem(format!("scales[{first}].{field}"), message);
    }

    /// A composite: the final scores of `components` summed or averaged.
    pub(super) fn composite_scale(
        &mut self,
        scale: &'d Scale,
        components: &[String],
        path: &str,
        scale_ids: &Ids<'d>,
        plans: &[Option<ScalePlan>],
    ) -> Option<ScalePlan> {
        for (field, set) in [
            ("items", scale.items.is_some()),
            ("reverse", !scale.reverse.is_empty()),
            ("derived", scale.derived.is_some()),
        ] {
            if set {
                self.problem(
                    format!("{path}.{field}"),
                    "a composite scale takes its score from the scales listed in `scales`: list either `items` or `scales`, not both (make a separate item scale and list its id in `scales`)",
                );
            }
        }
        if scale.keying.is_some() {
            self.problem(
                format!("{path}.keying"),
                "a composite has no items of its own to key: its components are keyed in their own scales; remove this key",
            );
        }
        if components.is_empty() {
            self.problem(
                format!("{path}.scales"),
                "a composite scale needs at least one scale",
            );
        }
        let mut seen: HashMap<usize, usize> = HashMap::with_capacity(components.len());
        let mut resolved = Vec::with_capacity(components.len());
        let mut ranges = Vec::with_capacity(components.len());
        let mut sound = true;
        for (k, id) in components.iter().enumerate() {
            let Some(c) = scale_ids.get(id) else {
                self.problem(
                    format!("{path}.scales[{k}]"),
                    format!(
                        "unknown scale `{id}`{}; a composite lists the ids of this file's scales",
                        scale_ids.known()
                    ),
                );
                sound = false;
                continue;
            };
            if seen.insert(c, k).is_some() {
                self.problem(
                    format!("{path}.scales[{k}]"),
                    format!("scale `{id}` is listed twice"),
                );
            }
            match plans[c].as_ref() {
                Some(plan) => ranges.push(plan.range),
                // Broken, or part of a cycle: reported where it is.
                None => sound = false,
            }
            resolved.push(c);
        }
        let (method, policy, prorate, range) =
            self.scoring(scale, path, Parts::Components, components.len(), &ranges);
        if !sound {
            return None;
        }
        Some(ScalePlan {
            kind: ScaleKind::Composite {
                components: resolved,
                method,
                missing: policy,
                prorate,
            },
            rounding: None,
            bands: Vec::new(),
            range,
        })
    }

    /// An item reverse-keyed in one scale and listed unreversed in another is refused, unless
    /// one of the two says `keying: as_listed` (with a `key_source`): the exception is rare, the
    /// mistake common. Composites are covered through their item scales.
    pub(super) fn keying(&mut self, plans: &[Option<ScalePlan>]) {
        let def = self.def;
        for (s, scale) in def.scales.iter().enumerate() {
            if scale.keying.is_some() && scale.key_source.is_none() {
                self.problem(
                    format!("scales[{s}].key_source"),
                    "`keying: as_listed` needs a `key_source` saying why the items are keyed as listed",
                );
            }
        }
        // Each item's first reverse-keyed and first unreversed listing: (scale, position).
        let mut reversed: HashMap<usize, usize> = HashMap::new();
        let mut plain: HashMap<usize, usize> = HashMap::new();
        let mut reported = std::collections::HashSet::new();
        let mut ids = std::collections::HashSet::new();
        for (s, plan) in plans.iter().enumerate() {
            let Some(ScaleKind::Items { items, .. }) = plan.as_ref().map(|p| &p.kind) else {
                continue;
            };
            // A scale whose id is taken already is reported as such, not compared.
            if !ids.insert(def.scales[s].id.to_lowercase()) || def.scales[s].keying.is_some() {
                continue;
            }
            for item in items {
                let (mine, other) = if item.reverse.is_some() {
                    (&mut reversed, &plain)
                } else {
                    (&mut plain, &reversed)
                };
                mine.entry(item.item).or_insert(s);
                if let Some(&o) = other.get(&item.item)
                    && reported.insert(item.item)
                {
                    let (rev, unrev) = if item.reverse.is_some() {
                        (s, o)
                    } else {
                        (o, s)
                    };
                    let id = &def.items[item.item].id;
                    let k = def.scales[s].items.iter().flatten().position(|x| x == id);
                    let (rev, unrev) = (&def.scales[rev].id, &def.scales[unrev].id);
                    self.problem(
                        format!("scales[{s}].items[{}]", k.unwrap_or(0)),
                        format!(
                            "item `{id}` is reverse-keyed in scale `{rev}` but listed unreversed in scale `{unrev}`; key it the same way in both (add it to `{unrev}`'s `reverse`, or take it out of `{rev}`'s), or, if the source keys it differently in the two, say `\"keying\": \"as_listed\"` with a `key_source` in the scale that differs"
                        ),
                    );
                }
            }
        }
    }
}
