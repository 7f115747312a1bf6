//! Conditions flattened for evaluation: every distinct sub-condition once, parts before what they
//! are part of, so that one pass over a short array decides them all.
//!
//! The PHQ-9's rules name `item 1 >= 2` and the same nine-item count three times over; here each
//! is one node, evaluated once per administration. Evaluation does not short-circuit (every
//! node is computed), which gives the same values: conditions have no side effects.

use std::collections::HashMap;

use super::{Cond, Facts, ItemFact, Truth, decide_count, decide_range};
use crate::definition::Op;

/// A run of entries in [`Program::links`].
#[derive(Debug, Clone, Copy, PartialEq)]
struct Span {
    start: u32,
    len: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Node {
    Item {
        item: u32,
        op: Op,
        value: f64,
    },
    Scale {
        scale: u32,
        op: Op,
        value: f64,
    },
    Missing(u32),
    Attribute {
        attribute: u32,
        values: u64,
    },
    NotGiven(u32),
    /// Parts: node indices.
    All(Span),
    Any(Span),
    Not(u32),
    Count {
        of: Span,
        op: Op,
        value: f64,
    },
    /// Items: item indices.
    CountItems {
        items: Span,
        meet_op: Op,
        meet_value: f64,
        op: Op,
        value: f64,
    },
}

/// Conditions compiled into one array of nodes; each condition given to [`Program::new`] is a
/// root, read after [`Program::eval`] with [`Program::value`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Program {
    nodes: Vec<Node>,
    /// The parts of `All`, `Any` and `Count` nodes, and the items of `CountItems` nodes.
    links: Vec<u32>,
    roots: Vec<u32>,
}

impl Program {
    /// The program deciding `conds`, root `r` being `conds[r]`.
    pub(crate) fn new(conds: &[Cond]) -> Program {
        let mut builder = Builder::default();
        let roots = conds.iter().map(|c| builder.add(c)).collect();
        Program {
            nodes: builder.nodes,
            links: builder.links,
            roots,
        }
    }

    /// Number of roots.
    pub(crate) fn len(&self) -> usize {
        self.roots.len()
    }

    /// Decide every node for `facts` into `truths` (cleared first; reuse it between calls).
    pub(crate) fn eval(&self, facts: &impl Facts, truths: &mut Vec<Truth>) {
        truths.clear();
        truths.reserve(self.nodes.len());
        for node in &self.nodes {
            let truth = match *node {
                Node::Item { item, op, value } => match facts.item(item as usize) {
                    ItemFact::Value(v) => Truth::from_bool(op.holds(v, value)),
                    ItemFact::Unanswered => Truth::Unknown,
                    ItemFact::NotApplicable => Truth::False,
                },
                Node::Scale { scale, op, value } => {
                    let (lo, hi) = facts.scale(scale as usize);
                    decide_range(lo, hi, op, value)
                }
                Node::Missing(item) => {
                    Truth::from_bool(facts.item(item as usize) == ItemFact::Unanswered)
                }
                Node::Attribute { attribute, values } => {
                    match facts.attribute(attribute as usize) {
                        Some(v) => Truth::from_bool(values & (1 << v) != 0),
                        None => Truth::Unknown,
                    }
                }
                Node::NotGiven(attribute) => {
                    Truth::from_bool(facts.attribute(attribute as usize).is_none())
                }
                // Kleene logic over `False < Unknown < True`: `and` is the least part, `or`
                // the greatest; a count tallies `True` and `Unknown` parts. No branch depends
                // on the answers.
                Node::All(parts) => self
                    .links(parts)
                    .iter()
                    .map(|&p| truths[p as usize])
                    .min()
                    .unwrap_or(Truth::True),
                Node::Any(parts) => self
                    .links(parts)
                    .iter()
                    .map(|&p| truths[p as usize])
                    .max()
                    .unwrap_or(Truth::False),
                Node::Not(part) => truths[part as usize].not(),
                Node::Count { of, op, value } => {
                    let (mut yes, mut unknown) = (0, 0);
                    for &p in self.links(of) {
                        let t = truths[p as usize] as u32;
                        yes += t >> 1;
                        unknown += t & 1;
                    }
                    decide_count(yes, unknown, op, value)
                }
                Node::CountItems {
                    items,
                    meet_op,
                    meet_value,
                    op,
                    value,
                } => {
                    let (mut yes, mut unknown) = (0, 0);
                    for &i in self.links(items) {
                        match facts.item(i as usize) {
                            ItemFact::Value(v) if meet_op.holds(v, meet_value) => yes += 1,
                            ItemFact::Unanswered => unknown += 1,
                            _ => {}
                        }
                    }
                    decide_count(yes, unknown, op, value)
                }
            };
            truths.push(truth);
        }
    }

    /// The value of the first root: [`Program::eval`] then [`Program::value`].
    pub(crate) fn decide(&self, facts: &impl Facts, truths: &mut Vec<Truth>) -> Truth {
        self.eval(facts, truths);
        self.value(truths, 0)
    }

    /// The value of root `root` after [`Program::eval`] filled `truths`.
    pub(crate) fn value(&self, truths: &[Truth], root: usize) -> Truth {
        truths[self.roots[root] as usize]
    }

    fn links(&self, span: Span) -> &[u32] {
        &self.links[span.start as usize..(span.start + span.len) as usize]
    }
}

/// Adds conditions part by part, each distinct node once.
#[derive(Default)]
struct Builder {
    nodes: Vec<Node>,
    links: Vec<u32>,
    /// Each node's description, to find it again.
    seen: HashMap<String, u32>,
    /// Where each run of entries added to `links` starts, to find it again.
    runs: HashMap<Vec<u32>, u32>,
}

impl Builder {
    /// The index of the node deciding `cond`, added with its parts when new.
    fn add(&mut self, cond: &Cond) -> u32 {
        let index = |i: usize| u32::try_from(i).expect("fewer than 2^32 nodes");
        let node = match cond {
            Cond::Item { item, op, value } => Node::Item {
                item: index(*item),
                op: *op,
                value: *value,
            },
            Cond::Scale { scale, op, value } => Node::Scale {
                scale: index(*scale),
                op: *op,
                value: *value,
            },
            Cond::Missing(item) => Node::Missing(index(*item)),
            Cond::Attribute { attribute, values } => Node::Attribute {
                attribute: index(*attribute),
                values: *values,
            },
            Cond::NotGiven(attribute) => Node::NotGiven(index(*attribute)),
            Cond::All(parts) => Node::All(self.parts(parts)),
            Cond::Any(parts) => Node::Any(self.parts(parts)),
            Cond::Not(part) => Node::Not(self.add(part)),
            Cond::Count { of, op, value } => Node::Count {
                of: self.parts(of),
                op: *op,
                value: *value,
            },
            Cond::CountItems {
                items,
                meet_op,
                meet_value,
                op,
                value,
            } => {
                let items: Vec<u32> = items.iter().map(|&i| index(i)).collect();
                Node::CountItems {
                    items: self.span(&items),
                    meet_op: *meet_op,
                    meet_value: *meet_value,
                    op: *op,
                    value: *value,
                }
            }
        };
        // Spans point into `links`, so equal nodes have equal descriptions only when their
        // parts were also equal: describe a node by what its spans hold.
        let key = self.describe(&node);
        if let Some(&known) = self.seen.get(&key) {
            return known;
        }
        self.nodes.push(node);
        let at = index(self.nodes.len() - 1);
        self.seen.insert(key, at);
        at
    }

    fn parts(&mut self, parts: &[Cond]) -> Span {
        let indices: Vec<u32> = parts.iter().map(|p| self.add(p)).collect();
        self.span(&indices)
    }

    /// `entries` in `links`: an equal run added before is reused (found in a map, not by a
    /// search of `links`, which made building quadratic in the number of parts).
    fn span(&mut self, entries: &[u32]) -> Span {
        let len = u32::try_from(entries.len()).expect("fewer than 2^32 parts");
        let start = match self.runs.get(entries) {
            Some(&at) => at,
            None if entries.is_empty() => 0,
            None => {
                let at = u32::try_from(self.links.len()).expect("fewer than 2^32 links");
                self.links.extend_from_slice(entries);
                self.runs.insert(entries.to_vec(), at);
                at
            }
        };
        Span { start, len }
    }

    fn describe(&self, node: &Node) -> String {
        let links =
            |span: &Span| &self.links[span.start as usize..(span.start + span.len) as usize];
        match node {
            Node::All(s) => format!("all {:?}", links(s)),
            Node::Any(s) => format!("any {:?}", links(s)),
            Node::Count { of, op, value } => format!("count {:?} {op:?} {value:?}", links(of)),
            Node::CountItems {
                items,
                meet_op,
                meet_value,
                op,
                value,
            } => format!(
                "count items {:?} {meet_op:?} {meet_value:?} {op:?} {value:?}",
                links(items)
            ),
            other => format!("{other:?}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_parts_are_one_node() {
        let ge = |item| Cond::Item {
            item,
            op: Op::Ge,
            value: 2.0,
        };
        let count = |op, value| Cond::Count {
            of: vec![ge(0), ge(1), ge(2)],
            op,
            value,
        };
        let program = Program::new(&[
            Cond::All(vec![Cond::Any(vec![ge(0), ge(1)]), count(Op::Ge, 2.0)]),
            Cond::All(vec![Cond::Any(vec![ge(0), ge(1)]), count(Op::Le, 1.0)]),
        ]);
        // Three comparisons, one `any`, two counts, two `all`s.
        assert_eq!(program.nodes.len(), 3 + 1 + 2 + 2);
        assert_eq!(program.len(), 2);
    }
}
