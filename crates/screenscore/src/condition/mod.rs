//! Compiled conditions and their evaluation in three-valued (Kleene) logic.
//!
//! A comparison on an item that is missing, or a scale that could not be scored, is `Unknown`.
//! `all` is false as soon as one part is false, `any` true as soon as one part is true, and a
//! count is decided as soon as every way the unknown parts could fall gives the same answer.
//! A rule raises its flag only when its condition is `True`, so missing data never raises a
//! flag by accident; and since a known `True` stays `True` whatever else is missing, missing
//! data never clears a flag either (PHQ-9 item 9).

mod program;

pub(crate) use program::Program;

use crate::definition::Op;

/// The value of a condition. Ordered `False < Unknown < True`, so that Kleene's `and` is the
/// least of its parts, `or` the greatest, and `not` the mirror image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub(crate) enum Truth {
    False = 0,
    Unknown = 1,
    True = 2,
}

impl Truth {
    pub(crate) fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }

    pub(crate) fn not(self) -> Truth {
        match self {
            Truth::False => Truth::True,
            Truth::True => Truth::False,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

/// A condition with every id resolved to an index.
#[derive(Debug, Clone)]
pub(crate) enum Cond {
    Item {
        item: usize,
        op: Op,
        value: f64,
    },
    Scale {
        scale: usize,
        op: Op,
        value: f64,
    },
    Missing(usize),
    /// The attribute's value index is in the bit set.
    Attribute {
        attribute: usize,
        values: u64,
    },
    /// The attribute is not given.
    NotGiven(usize),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    Count {
        of: Vec<Cond>,
        op: Op,
        value: f64,
    },
    CountItems {
        items: Vec<usize>,
        meet_op: Op,
        meet_value: f64,
        op: Op,
        value: f64,
    },
}

/// What a condition can see of one administration.
pub(crate) trait Facts {
    /// The item's response value; `None` when it is missing, unreadable or does not apply.
    fn item(&self, item: usize) -> ItemFact;
    /// The lowest and highest score the scale can have given what is known: equal when it is
    /// scored; otherwise the range its complete score would lie in.
    fn scale(&self, scale: usize) -> (f64, f64);
    /// The attribute's value index, `None` when not given or not recognised.
    fn attribute(&self, attribute: usize) -> Option<usize>;
}

/// An item as a condition sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ItemFact {
    Value(f64),
    /// Unanswered or unreadable although the item applies (or may apply).
    Unanswered,
    /// The item does not apply to this respondent: comparisons on it are false.
    NotApplicable,
}

/// A value somewhere in `lo..=hi`: the comparison is known when it holds at every value of the
/// range, or at none.
pub(crate) fn decide_range(lo: f64, hi: f64, op: Op, value: f64) -> Truth {
    if lo.is_nan() || hi.is_nan() {
        return Truth::Unknown;
    }
    if lo == hi {
        return Truth::from_bool(op.holds(lo, value));
    }
    let outside = value < lo || value > hi;
    match op {
        Op::Ge if lo >= value => Truth::True,
        Op::Ge if hi < value => Truth::False,
        Op::Gt if lo > value => Truth::True,
        Op::Gt if hi <= value => Truth::False,
        Op::Le if hi <= value => Truth::True,
        Op::Le if lo > value => Truth::False,
        Op::Lt if hi < value => Truth::True,
        Op::Lt if lo >= value => Truth::False,
        Op::Eq if outside => Truth::False,
        Op::Ne if outside => Truth::True,
        _ => Truth::Unknown,
    }
}

/// The count is at least `yes` and at most `yes + unknown`: the comparison is known when it
/// comes out the same at every count in that range. For `<`, `<=`, `>`, `>=` the two ends
/// decide (the comparison is monotone in the count); `==` and `!=` look at every count.
pub(crate) fn decide_count(yes: u32, unknown: u32, op: Op, value: f64) -> Truth {
    let holds = |n: u32| op.holds(f64::from(n), value);
    let first = holds(yes);
    let same = match op {
        Op::Lt | Op::Le | Op::Gt | Op::Ge => holds(yes + unknown) == first,
        Op::Eq | Op::Ne => (yes..=yes + unknown).all(|n| holds(n) == first),
    };
    if same {
        Truth::from_bool(first)
    } else {
        Truth::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Row {
        items: Vec<ItemFact>,
        scales: Vec<(f64, f64)>,
        attributes: Vec<Option<usize>>,
    }

    impl Facts for Row {
        fn item(&self, item: usize) -> ItemFact {
            self.items[item]
        }
        fn scale(&self, scale: usize) -> (f64, f64) {
            self.scales[scale]
        }
        fn attribute(&self, attribute: usize) -> Option<usize> {
            self.attributes[attribute]
        }
    }

    fn items(values: &[Option<f64>]) -> Row {
        Row {
            items: values
                .iter()
                .map(|v| v.map_or(ItemFact::Unanswered, ItemFact::Value))
                .collect(),
            scales: vec![],
            attributes: vec![],
        }
    }

    impl Cond {
        /// The condition's value, through the one evaluator there is.
        fn eval(&self, facts: &impl Facts) -> Truth {
            Program::new(std::slice::from_ref(self)).decide(facts, &mut Vec::new())
        }
    }

    fn ge(item: usize, value: f64) -> Cond {
        Cond::Item {
            item,
            op: Op::Ge,
            value,
        }
    }

    #[test]
    fn comparisons_on_missing_items_are_unknown() {
        let row = items(&[Some(1.0), None]);
        assert_eq!(ge(0, 1.0).eval(&row), Truth::True);
        assert_eq!(ge(0, 2.0).eval(&row), Truth::False);
        assert_eq!(ge(1, 1.0).eval(&row), Truth::Unknown);
        assert_eq!(Cond::Missing(1).eval(&row), Truth::True);
        assert_eq!(Cond::Missing(0).eval(&row), Truth::False);
    }

    #[test]
    fn all_and_any_follow_kleene_logic() {
        let row = items(&[Some(1.0), None, Some(0.0)]);
        let t = ge(0, 1.0);
        let u = ge(1, 1.0);
        let f = ge(2, 1.0);
        assert_eq!(
            Cond::All(vec![t.clone(), u.clone()]).eval(&row),
            Truth::Unknown
        );
        assert_eq!(
            Cond::All(vec![u.clone(), f.clone()]).eval(&row),
            Truth::False
        );
        assert_eq!(
            Cond::All(vec![t.clone(), t.clone()]).eval(&row),
            Truth::True
        );
        assert_eq!(
            Cond::Any(vec![u.clone(), t.clone()]).eval(&row),
            Truth::True
        );
        assert_eq!(
            Cond::Any(vec![u.clone(), f.clone()]).eval(&row),
            Truth::Unknown
        );
        assert_eq!(
            Cond::Any(vec![f.clone(), f.clone()]).eval(&row),
            Truth::False
        );
        assert_eq!(Cond::Not(Box::new(u)).eval(&row), Truth::Unknown);
        assert_eq!(Cond::Not(Box::new(f)).eval(&row), Truth::True);
        assert_eq!(Cond::All(vec![]).eval(&row), Truth::True);
        assert_eq!(Cond::Any(vec![]).eval(&row), Truth::False);
    }

    #[test]
    fn counts_are_decided_when_unknowns_cannot_change_them() {
        // Two items meet the threshold, two are missing, one does not.
        let row = items(&[Some(2.0), Some(3.0), None, None, Some(0.0)]);
        let count = |op, value| Cond::CountItems {
            items: vec![0, 1, 2, 3, 4],
            meet_op: Op::Ge,
            meet_value: 2.0,
            op,
            value,
        };
        // The count lies in 2..=4.
        assert_eq!(count(Op::Ge, 2.0).eval(&row), Truth::True);
        assert_eq!(count(Op::Ge, 3.0).eval(&row), Truth::Unknown);
        assert_eq!(count(Op::Ge, 5.0).eval(&row), Truth::False);
        assert_eq!(count(Op::Lt, 2.0).eval(&row), Truth::False);
        assert_eq!(count(Op::Le, 4.0).eval(&row), Truth::True);
        assert_eq!(count(Op::Eq, 1.0).eval(&row), Truth::False);
        assert_eq!(count(Op::Eq, 3.0).eval(&row), Truth::Unknown);
        assert_eq!(count(Op::Ne, 7.0).eval(&row), Truth::True);
    }

    #[test]
    fn items_that_do_not_apply_compare_false() {
        let row = Row {
            items: vec![ItemFact::NotApplicable],
            scales: vec![(f64::NEG_INFINITY, f64::INFINITY)],
            attributes: vec![Some(1), None],
        };
        assert_eq!(ge(0, 0.0).eval(&row), Truth::False);
        assert_eq!(Cond::Missing(0).eval(&row), Truth::False);
        let scale = Cond::Scale {
            scale: 0,
            op: Op::Ge,
            value: 0.0,
        };
        assert_eq!(scale.eval(&row), Truth::Unknown);
        let female = |attribute| Cond::Attribute {
            attribute,
            values: 1 << 1,
        };
        assert_eq!(female(0).eval(&row), Truth::True);
        assert_eq!(female(1).eval(&row), Truth::Unknown);
        assert_eq!(Cond::NotGiven(0).eval(&row), Truth::False);
        assert_eq!(Cond::NotGiven(1).eval(&row), Truth::True);
    }

    #[test]
    fn scale_comparisons_are_decided_over_the_possible_range() {
        // A scale whose complete score lies in 3..=6 (say, PHQ-2 answered 3 and blank).
        let row = Row {
            items: vec![],
            scales: vec![(3.0, 6.0), (4.0, 4.0)],
            attributes: vec![],
        };
        let cmp = |scale, op, value| Cond::Scale { scale, op, value }.eval(&row);
        assert_eq!(cmp(0, Op::Ge, 3.0), Truth::True);
        assert_eq!(cmp(0, Op::Ge, 4.0), Truth::Unknown);
        assert_eq!(cmp(0, Op::Gt, 6.0), Truth::False);
        assert_eq!(cmp(0, Op::Lt, 3.0), Truth::False);
        assert_eq!(cmp(0, Op::Le, 6.0), Truth::True);
        assert_eq!(cmp(0, Op::Eq, 7.0), Truth::False);
        assert_eq!(cmp(0, Op::Eq, 5.0), Truth::Unknown);
        assert_eq!(cmp(0, Op::Ne, 2.0), Truth::True);
        assert_eq!(cmp(1, Op::Eq, 4.0), Truth::True);
        assert_eq!(cmp(1, Op::Gt, 4.0), Truth::False);
    }
}
