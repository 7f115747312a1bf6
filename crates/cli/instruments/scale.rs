//! `instruments show`: one scale in words (its items or component scales, keys, missing rule,
//! rounding, norms and bands).

use std::fmt::Write as _;

use screenscore::definition::{Condition, Definition, Method, Scale};
use screenscore::text::count;
use screenscore::{Instrument, format_score};

use super::{Author, show_codes, source};

pub(super) fn show_scale(o: &mut String, instrument: &Instrument, scale: &Scale) {
    let def = instrument.definition();
    let author = Author::of(instrument);
    let (lo, hi) = instrument.scale_range(&scale.id).unwrap_or((0.0, 0.0));
    let _ = writeln!(o, "  {}: {}", scale.id, scale.label);
    let direction = match scale.higher_is {
        screenscore::definition::Direction::Worse => "higher is worse",
        screenscore::definition::Direction::Better => "higher is better",
    };
    let _ = writeln!(
        o,
        "    column {}_{}, range {}-{}, {direction}",
        def.id,
        scale.id,
        format_score(lo),
        format_score(hi)
    );
    if scale.method != Some(Method::Mean) {
        for (when, items, (lo, hi)) in ranges_where_items_do_not_apply(def, scale, (lo, hi)) {
            let (them, verb) = match items.as_slice() {
                [one] => (format!("item {one}"), "applies"),
                _ => (format!("items {}", items.join(", ")), "apply"),
            };
            let _ = writeln!(
                o,
                "    range {}-{} {}: {them} {verb} only if {}",
                format_score(lo),
                format_score(hi),
                for_whom(def, &when),
                condition(&when)
            );
        }
    }
    show_codes(o, "    ", &scale.codes, author);
    if let Some(items) = &scale.items {
        let method = match scale.method {
            Some(Method::Mean) => "mean",
            _ => "sum",
        };
        let _ = writeln!(o, "    {method} of items {}", items.join(", "));
        if !scale.reverse.is_empty() {
            let _ = writeln!(
                o,
                "    reverse-keyed: {} ((min + max) - x)",
                scale.reverse.join(", ")
            );
            if let Some(s) = &scale.key_source {
                let _ = writeln!(o, "    key source: {}", source(s, author));
            }
        }
    }
    if let Some(components) = &scale.scales {
        let method = match scale.method {
            Some(Method::Mean) => "mean",
            _ => "sum",
        };
        let _ = writeln!(o, "    {method} of scales {}", components.join(", "));
    }
    if let Some(derived) = &scale.derived {
        let mut expression = derived.from.clone();
        if derived.multiply != 1.0 {
            let _ = write!(expression, " x {}", format_score(derived.multiply));
        }
        if derived.add > 0.0 {
            let _ = write!(expression, " + {}", format_score(derived.add));
        } else if derived.add < 0.0 {
            let _ = write!(expression, " - {}", format_score(-derived.add));
        }
        let _ = writeln!(
            o,
            "    = {expression}; source: {}",
            source(&derived.source, author)
        );
    }
    if let Some(missing) = &scale.missing {
        let rule = if scale.scales.is_some() {
            match (missing.max_missing, missing.min_answered) {
                (Some(0), _) => "scored only when every component scale is scored".to_string(),
                (Some(max), _) => format!(
                    "scored when at most {} unscored",
                    count(u64::from(max), "component scale is", "component scales are")
                ),
                (_, Some(min)) => format!(
                    "scored when at least {} scored",
                    count(u64::from(min), "component scale is", "component scales are")
                ),
                _ => String::new(),
            }
        } else {
            match (missing.max_missing, missing.min_answered) {
                (Some(0), _) => "scored only when every item is answered".to_string(),
                (Some(1), _) => "scored when at most 1 item is missing".to_string(),
                (Some(max), _) => format!("scored when at most {max} items are missing"),
                (_, Some(min)) => format!(
                    "scored when at least {} answered",
                    count(u64::from(min), "item is", "items are")
                ),
                _ => String::new(),
            }
        };
        let prorate = match (missing.prorate, scale.scales.is_some()) {
            (false, _) => "",
            (true, false) => ", prorated (mean of answered x items)",
            (true, true) => ", prorated (mean of scored components x components)",
        };
        let _ = writeln!(
            o,
            "    missing: {rule}{prorate}; source: {}",
            source(&missing.source, author)
        );
    }
    if let Some(r) = &scale.rounding {
        let method = match r.method {
            screenscore::definition::RoundingMethod::HalfUp => "halves away from zero",
            screenscore::definition::RoundingMethod::HalfEven => "halves to even",
        };
        let decimals = count(u64::from(r.decimals), "decimal", "decimals");
        let _ = writeln!(o, "    rounding: {decimals}, {method}");
    }
    for group in &scale.norms {
        let role = match group.role {
            Some(screenscore::definition::NormRole::Functional) => ", functional (for change)",
            Some(screenscore::definition::NormRole::Dysfunctional) => {
                ", dysfunctional (for change)"
            }
            None => "",
        };
        let _ = writeln!(o, "    norms {}{role}: {}", group.id, group.population);
        for stratum in &group.strata {
            let mut who = Vec::new();
            if let Some(sex) = &stratum.sex {
                who.push(sex.clone());
            }
            if let Some(age) = stratum.age {
                who.push(format!(
                    "age {}-{}",
                    format_score(age.from),
                    format_score(age.to)
                ));
            }
            let who = if who.is_empty() {
                "all".to_string()
            } else {
                who.join(", ")
            };
            let n = stratum.n.map(|n| format!(", n {n}")).unwrap_or_default();
            let _ = writeln!(
                o,
                "      {who}: mean {}, SD {}{n}",
                format_score(stratum.mean),
                format_score(stratum.sd)
            );
        }
        if let Some(r) = &group.reliability {
            let _ = writeln!(
                o,
                "      reliability: {} {}",
                r.kind.as_str(),
                format_score(r.value)
            );
        }
        let _ = writeln!(o, "      source: {}", source(&group.source, author));
    }
    if let Some(construct) = scale.construct {
        let _ = writeln!(
            o,
            "    construct: {} (four-factor model)",
            construct.label()
        );
    }
    if !scale.bands.is_empty() {
        let integral = scores_are_whole(def, scale);
        let _ = writeln!(
            o,
            "    bands ({}):",
            scale
                .band_source
                .as_ref()
                .map(|s| source(s, author))
                .unwrap_or_default()
        );
        for (b, band) in scale.bands.iter().enumerate() {
            let range = match scale.bands.get(b + 1) {
                Some(next) if integral && next.from - 1.0 == band.from => format_score(band.from),
                Some(next) if integral => format!(
                    "{}-{}",
                    format_score(band.from),
                    format_score(next.from - 1.0)
                ),
                Some(next) => format!(
                    "{} to below {}",
                    format_score(band.from),
                    format_score(next.from)
                ),
                None => format!("{}-{}", format_score(band.from), format_score(hi)),
            };
            let _ = writeln!(o, "      {range:<12} {}", band.label);
        }
    }
}

/// For a summed item scale with items that apply to some respondents only (`applies_if`), the
/// range of the scale for the others, per condition: its range `(lo, hi)` less each left-out
/// item's lowest and highest value (PHQ-15: 0-28 where item 4, women only, does not apply).
fn ranges_where_items_do_not_apply(
    def: &Definition,
    scale: &Scale,
    (lo, hi): (f64, f64),
) -> Vec<(Condition, Vec<String>, (f64, f64))> {
    let mut out: Vec<(Condition, Vec<String>, (f64, f64))> = Vec::new();
    for id in scale.items.iter().flatten() {
        let Some(item) = def.items.iter().find(|i| i.id == *id) else {
            continue;
        };
        let Some(when) = item.applies_if.clone() else {
            continue;
        };
        let values = def
            .response_sets
            .iter()
            .find(|s| s.id == item.response_set)
            .into_iter()
            .flat_map(|s| s.options.iter().filter_map(|o| o.value));
        let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        if !min.is_finite() {
            continue;
        }
        match out.iter_mut().find(|(w, ..)| *w == when) {
            Some((_, ids, range)) => {
                ids.push(id.clone());
                *range = (range.0 - min, range.1 - max);
            }
            None => out.push((when, vec![id.clone()], (lo - min, hi - max))),
        }
    }
    out
}

/// Who an item that applies only `when` does not apply to: the attribute's other values for a
/// test of one attribute (`for sex male`), else `for the others`.
fn for_whom(def: &Definition, when: &Condition) -> String {
    if let Condition::Attribute(test) = when
        && let Some(attribute) = def.attributes.iter().find(|a| a.id == test.id)
    {
        let others: Vec<&str> = attribute
            .values
            .iter()
            .map(|v| v.value.as_str())
            .filter(|v| !test.any_of.iter().any(|t| t.eq_ignore_ascii_case(v)))
            .collect();
        if !others.is_empty() {
            return format!("for {} {}", test.id, others.join(" or "));
        }
    }
    "for the others".to_string()
}

/// Whether every score of the scale is a whole number (so bands read as `0-4`, `5-9`).
fn scores_are_whole(def: &Definition, scale: &Scale) -> bool {
    let whole_values = |item_id: &String| {
        def.items
            .iter()
            .find(|i| i.id == *item_id)
            .and_then(|i| def.response_sets.iter().find(|s| s.id == i.response_set))
            .is_some_and(|s| {
                s.options
                    .iter()
                    .all(|o| o.value.is_none_or(|v| v.fract() == 0.0))
            })
    };
    let rounded_whole = scale.rounding.as_ref().is_some_and(|r| r.decimals == 0);
    if let Some(components) = &scale.scales {
        let prorated = scale.missing.as_ref().is_some_and(|m| m.prorate);
        return (scale.method == Some(Method::Sum)
            && !prorated
            && components.iter().all(|id| {
                def.scales
                    .iter()
                    .find(|s| s.id == *id && s.scales.is_none())
                    .is_some_and(|s| scores_are_whole(def, s))
            }))
            || rounded_whole;
    }
    match (&scale.items, &scale.derived) {
        (Some(items), _) => {
            let prorated = scale.missing.as_ref().is_some_and(|m| m.prorate);
            scale.method == Some(Method::Sum)
                && items.iter().all(whole_values)
                && (!prorated || rounded_whole)
        }
        (None, Some(d)) => {
            d.multiply.fract() == 0.0
                && d.add.fract() == 0.0
                && def
                    .scales
                    .iter()
                    .find(|s| s.id == d.from)
                    .is_some_and(|s| scores_are_whole(def, s))
        }
        _ => rounded_whole,
    }
}

/// A condition in words.
pub(super) fn condition(c: &Condition) -> String {
    let join = |parts: &[Condition], separator: &str| {
        let texts: Vec<String> = parts.iter().map(condition).collect();
        format!("({})", texts.join(separator))
    };
    match c {
        Condition::Item(cmp) => format!(
            "item {} {} {}",
            cmp.id,
            cmp.op.as_str(),
            format_score(cmp.value)
        ),
        Condition::Scale(cmp) => {
            format!("{} {} {}", cmp.id, cmp.op.as_str(), format_score(cmp.value))
        }
        Condition::Missing(item) => format!("item {item} unanswered"),
        Condition::NotGiven(attribute) => format!("{attribute} not given"),
        Condition::Attribute(test) => format!("{} is {}", test.id, test.any_of.join(" or ")),
        Condition::All(parts) => join(parts, " and "),
        Condition::Any(parts) => join(parts, " or "),
        Condition::Not(inner) => format!("not {}", condition(inner)),
        Condition::Count(count) => format!(
            "count of {} {} {}",
            join(&count.of, ", "),
            count.op.as_str(),
            format_score(count.value)
        ),
        Condition::CountItems(count) => format!(
            "number of items {} at {} {} is {} {}",
            count.items.join(", "),
            count.meeting.op.as_str(),
            format_score(count.meeting.value),
            count.op.as_str(),
            format_score(count.value)
        ),
    }
}
