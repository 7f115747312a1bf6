//! `screenscore instruments list | show | template | check | schema`.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use screenscore::columns::{OutputColumns, input_columns, item_column};
use screenscore::definition::{
    CommercialUse, Condition, Definition, Evidence, Method, Scale, Source,
};
use screenscore::text::count;
use screenscore::{Instrument, format_score};

use crate::args::InstrumentsCommand;
use crate::files::{self, RunFiles};
use crate::score::Notes;
use crate::term::{Stdout, escape_controls};
use crate::{Failure, Outcome};

pub fn run(command: InstrumentsCommand) -> Outcome {
    let mut files = RunFiles::new();
    let text = match command {
        InstrumentsCommand::List => list(),
        InstrumentsCommand::Show { instrument } => {
            show(&files::instrument(&instrument, &mut files)?)
        }
        InstrumentsCommand::Template { instruments } => {
            let loaded = instruments
                .iter()
                .map(|arg| files::instrument(arg, &mut files))
                .collect::<Result<Vec<_>, _>>()?;
            template(&loaded)?
        }
        InstrumentsCommand::Check { file } => match Instrument::from_path(&file) {
            Ok(instrument) => check_ok(&file.display().to_string(), &instrument),
            Err(e) => return Err(Failure(e.to_string())),
        },
        InstrumentsCommand::Schema => screenscore::schema::definition_schema(),
    };
    // Text from a definition (names, labels, sources) is shown with control characters escaped.
    let mut out = Stdout::open()?;
    out.write_all(escape_controls(&text).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The catalogue table.
fn list() -> String {
    let rows: Vec<[String; 6]> = Instrument::builtins()
        .map(|i| {
            let def = i.definition();
            let scored = def.items.iter().filter(|item| item.scored).count();
            let scales: Vec<&str> = def.scales.iter().map(|s| s.id.as_str()).collect();
            let commercial = match def.license.commercial_use {
                CommercialUse::Allowed => "allowed",
                CommercialUse::NotAllowed => "NOT ALLOWED",
                CommercialUse::NotStated => "not stated",
            };
            [
                def.id.clone(),
                def.status.as_str().to_string(),
                scored.to_string(),
                commercial.to_string(),
                def.name.clone(),
                scales.join(", "),
            ]
        })
        .collect();
    let mut out = table(
        &["ID", "STATUS", "ITEMS", "COMMERCIAL USE", "NAME", "SCALES"],
        &rows,
    );
    out.push_str(
        "\nCOMMERCIAL USE NOT ALLOWED: the instrument's terms are non-commercial. \
         `screenscore instruments show ID` gives its licence, citation and sources.\n",
    );
    out
}

fn license_short(def: &Definition) -> String {
    match def.license.commercial_use {
        CommercialUse::NotAllowed => format!("{} (NON-COMMERCIAL)", def.license.name),
        CommercialUse::NotStated => format!("{} (commercial use not stated)", def.license.name),
        CommercialUse::Allowed => def.license.name.clone(),
    }
}

fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> String {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut text = String::new();
        for (k, cell) in cells.enumerate() {
            if k + 1 == N {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<width$}  ", width = widths[k]);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut header.iter().copied());
    for row in rows {
        line(&mut row.iter().map(String::as_str));
    }
    out
}

fn source(s: &Source) -> String {
    let evidence = match s.evidence {
        Evidence::Verified => "verified",
        Evidence::Secondary => "secondary source",
        Evidence::Policy => "screenscore policy",
        Evidence::Authored => "written by screenscore",
        Evidence::Sample => "computed from the practice's sample",
    };
    format!("{} [{evidence}]", s.reference)
}

/// Everything a clinician or a definition author needs to know about one instrument.
fn show(instrument: &Instrument) -> String {
    let def = instrument.definition();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{}: {} (definition version {})",
        def.id, def.name, def.version
    );
    let _ = writeln!(o, "Measures:  {}", def.measures);
    let _ = writeln!(o, "Status:    {}", def.status.as_str());
    let _ = writeln!(o, "Citation:  {}", def.citation);
    let _ = writeln!(o, "Licence:   {}", license_short(def));
    let _ = writeln!(o, "           {}", def.license.terms);
    let _ = writeln!(o, "           Source: {}", source(&def.license.source));
    if def.status != screenscore::InstrumentStatus::Validated
        && let Some(notice) = crate::score::status_notice(instrument, Notes::Written)
    {
        let _ = writeln!(o, "Notice:    {notice}");
    }

    let _ = writeln!(o, "\nItems (CSV column: summary [response set]):");
    for (i, item) in def.items.iter().enumerate() {
        let column = item_column(def, i);
        let mut extra = String::new();
        if !item.scored {
            extra.push_str(", not scored");
        }
        if let Some(cond) = &item.applies_if {
            let _ = write!(extra, ", applies only if {}", condition(cond));
        }
        let _ = writeln!(
            o,
            "  {column}: {} [{}{extra}]",
            item.label, item.response_set
        );
        if let Some(s) = &item.source {
            let _ = writeln!(o, "      from: {}", source(s));
        }
    }
    for attribute in &def.attributes {
        let values: Vec<String> = attribute
            .values
            .iter()
            .map(|v| {
                if v.accepted.is_empty() {
                    v.value.clone()
                } else {
                    format!("{} (or {})", v.value, v.accepted.join(", "))
                }
            })
            .collect();
        let _ = writeln!(
            o,
            "  {}: respondent attribute, {}: {}",
            attribute.id,
            attribute.label,
            values.join("; ")
        );
    }

    let _ = writeln!(o, "\nResponse sets:");
    for set in &def.response_sets {
        let options: Vec<String> = set
            .options
            .iter()
            .map(|opt| {
                let mut text = match opt.value {
                    Some(v) => format!("{} = {}", format_score(v), opt.label),
                    None => opt.label.clone(),
                };
                if let Some(code) = &opt.code {
                    let _ = write!(text, " [{code}]");
                }
                for alias in &opt.aliases {
                    let _ = match &alias.language {
                        Some(language) => write!(text, " / {} ({language})", alias.label),
                        None => write!(text, " / {}", alias.label),
                    };
                }
                text
            })
            .collect();
        let _ = writeln!(o, "  {}: {}", set.id, options.join(", "));
        if let Some(other) = &set.other_coding {
            let _ = writeln!(
                o,
                "    other coding: {} (each value {}{}), warned about when a file looks coded so; source: {}",
                other.label,
                if other.offset > 0.0 { "+" } else { "" },
                format_score(other.offset),
                source(&other.source)
            );
        }
    }
    if !def.missing_codes.is_empty() {
        let _ = writeln!(o, "  missing codes: {}", def.missing_codes.join(", "));
    }

    let _ = writeln!(o, "\nScales:");
    for scale in &def.scales {
        show_scale(&mut o, instrument, scale);
    }

    if !def.skips.is_empty() {
        let _ = writeln!(o, "\nSkip logic:");
        for skip in &def.skips {
            let _ = writeln!(
                o,
                "  if {}: items {} are not asked; unanswered, they score {}",
                condition(&skip.when),
                skip.items.join(", "),
                format_score(skip.value)
            );
            let _ = writeln!(o, "    source: {}", source(&skip.source));
        }
    }

    if !def.rules.is_empty() {
        let _ = writeln!(o, "\nRules (flags written to {}_flags):", def.id);
        for rule in &def.rules {
            let _ = writeln!(
                o,
                "  {} [{}]: {}",
                rule.id,
                rule.severity.as_str(),
                rule.label
            );
            let _ = writeln!(o, "    when {}", condition(&rule.when));
            let _ = writeln!(o, "    source: {}", source(&rule.source));
        }
    }

    if !def.notes.is_empty() {
        let _ = writeln!(o, "\nNotes:");
        for note in &def.notes {
            let _ = writeln!(o, "  - {note}");
        }
    }

    let inputs: Vec<String> = input_columns(def).collect();
    let _ = writeln!(o, "\nInput columns: {}", inputs.join(","));
    let outputs: Vec<String> = OutputColumns::new(def)
        .names()
        .map(|n| n.to_string())
        .collect();
    let _ = writeln!(o, "Output columns: {}", outputs.join(","));
    o
}

fn show_scale(o: &mut String, instrument: &Instrument, scale: &Scale) {
    let def = instrument.definition();
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
                let _ = writeln!(o, "    key source: {}", source(s));
            }
        }
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
        let _ = writeln!(o, "    = {expression}; source: {}", source(&derived.source));
    }
    if let Some(missing) = &scale.missing {
        let rule = match (missing.max_missing, missing.min_answered) {
            (Some(0), _) => "scored only when every item is answered".to_string(),
            (Some(1), _) => "scored when at most 1 item is missing".to_string(),
            (Some(max), _) => format!("scored when at most {max} items are missing"),
            (_, Some(min)) => format!(
                "scored when at least {} answered",
                count(u64::from(min), "item is", "items are")
            ),
            _ => String::new(),
        };
        let prorate = if missing.prorate {
            ", prorated (mean of answered x items)"
        } else {
            ""
        };
        let _ = writeln!(
            o,
            "    missing: {rule}{prorate}; source: {}",
            source(&missing.source)
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
        let _ = writeln!(o, "      source: {}", source(&group.source));
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
            scale.band_source.as_ref().map(source).unwrap_or_default()
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
fn condition(c: &Condition) -> String {
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

/// An empty intake CSV: the header of every instrument's input columns (attributes once).
fn template(instruments: &[Instrument]) -> Result<String, Failure> {
    let mut columns: Vec<String> = Vec::new();
    for instrument in instruments {
        for column in input_columns(instrument.definition()) {
            if !columns.contains(&column) {
                columns.push(column);
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&columns)?;
    let bytes = writer.into_inner().map_err(|e| Failure(e.to_string()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn check_ok(path: &str, instrument: &Instrument) -> String {
    let def = instrument.definition();
    let scored = def.items.iter().filter(|i| i.scored).count();
    let many = |n: usize, one, many| count(n as u64, one, many);
    let mut out = format!(
        "ok: {path} defines `{}` ({}): {} ({scored} scored), {}, {}; status {}\n",
        def.id,
        def.name,
        many(def.items.len(), "item", "items"),
        many(def.scales.len(), "scale", "scales"),
        many(def.rules.len(), "rule", "rules"),
        def.status.as_str()
    );
    if let Some(notice) = crate::score::status_notice(instrument, Notes::Written) {
        let _ = writeln!(out, "notice: {notice}");
    }
    out
}
