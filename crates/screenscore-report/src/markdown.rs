//! The Markdown report, for pasting into clinical notes: the same content as the HTML page,
//! in the same order, with the charts given as tables.

use std::fmt::Write as _;

use screenscore::clients::{ClientHistory, InstrumentRecord, ItemStatus};

use crate::attention::{Attention, latest};
use crate::profile::Profile;
use crate::svg::score_text;
use crate::{Options, by_weight, sources, weight, words};

/// Text placed in a Markdown table cell or line: pipes, backticks, angle brackets and markup
/// characters escaped, line breaks removed.
pub(crate) fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn page(client: &ClientHistory, attention: &[Attention], options: &Options) -> String {
    let instruments = by_weight(client);
    let mut o = String::new();
    let _ = writeln!(o, "# Client {}\n", text(&client.client));
    let _ = writeln!(
        o,
        "- Administrations: {}: {}",
        client.dates.len(),
        client.dates.join(", ")
    );
    let names: Vec<String> = instruments.iter().map(|i| text(&i.name)).collect();
    let _ = writeln!(o, "- Instruments: {}", names.join(", "));
    let _ = writeln!(
        o,
        "- Report: generated {} by screenscore {} on this computer\n",
        options.generated, options.tool_version
    );
    let _ = writeln!(o, "## Needs attention\n");
    if attention.is_empty() {
        let _ = writeln!(
            o,
            "No critical flag and no unanswered critical item in the latest administration of any instrument.\n"
        );
    } else {
        for item in attention {
            let name = instruments
                .iter()
                .find(|i| i.id == item.instrument)
                .map_or(item.instrument.as_str(), |i| i.name.as_str());
            let _ = writeln!(
                o,
                "- **{}** {}{}: {}",
                item.severity.as_str().to_uppercase(),
                text(name),
                item.date
                    .as_deref()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default(),
                text(&item.message)
            );
        }
        o.push('\n');
    }
    let ids: Vec<&str> = instruments.iter().map(|i| i.id.as_str()).collect();
    if let Some(outcome) = &client.outcome {
        crate::episode::markdown(&mut o, outcome, &ids);
    }
    // The profile comes with the least established of the instruments it draws on.
    let factors = factors(&instruments);
    let at = factors.as_ref().map_or(usize::MAX, |(w, _)| {
        instruments
            .iter()
            .position(|i| weight(i.status) >= *w)
            .unwrap_or(instruments.len())
    });
    for (k, instrument) in instruments.iter().enumerate() {
        if k == at {
            o.push_str(
                factors
                    .as_ref()
                    .map(|(_, t)| t.as_str())
                    .unwrap_or_default(),
            );
        }
        section(&mut o, instrument);
    }
    if at == instruments.len() {
        o.push_str(
            factors
                .as_ref()
                .map(|(_, t)| t.as_str())
                .unwrap_or_default(),
        );
    }
    provenance(&mut o, &instruments, options);
    o
}

/// The four-factor profile as a table, with the weight of its least established source; `None`
/// where no scale measures one of the four factors.
fn factors(instruments: &[&InstrumentRecord]) -> Option<(u8, String)> {
    let profile = Profile::of(instruments)?;
    let mut o = String::from("## Four-factor profile of codependency\n\n");
    for instrument in &profile.sources {
        if let Some(w) = words::status_warning(instrument.status) {
            let _ = writeln!(o, "> **{}: {w}**\n", text(&instrument.name));
        }
    }
    let _ = writeln!(o, "| Factor | Instrument | Score |\n|---|---|---|");
    for s in &profile.scales {
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            s.construct.label(),
            text(&s.instrument.name),
            text(&words::score(s.info, s.scale, s.status))
        );
    }
    o.push('\n');
    Some((profile.weight, o))
}

fn provenance(o: &mut String, instruments: &[&InstrumentRecord], options: &Options) {
    let _ = writeln!(o, "## Sources\n");
    for s in sources::instruments(instruments) {
        let _ = write!(
            o,
            "- **{}**, {}. {}. Licence: {}.",
            text(s.name),
            text(&s.about),
            text(s.citation),
            text(&s.licence)
        );
        if let Some(change) = &s.change {
            let _ = write!(o, " Change: {}.", text(change));
        }
        o.push('\n');
    }
    let references = sources::references(instruments);
    if !references.is_empty() {
        o.push('\n');
        for r in &references {
            let _ = writeln!(o, "- {} {}", text(&r.cited()), text(&r.uses()));
        }
    }
    let _ = writeln!(
        o,
        "\n{}",
        sources::made(&options.tool_version, &options.generated)
    );
}

fn section(o: &mut String, instrument: &InstrumentRecord) {
    let Some(last) = latest(instrument) else {
        return;
    };
    let _ = writeln!(
        o,
        "## {}, {}\n",
        text(&instrument.name),
        instrument.status.as_str()
    );
    if let Some(w) = words::status_warning(instrument.status) {
        let _ = writeln!(o, "> **{w}**\n");
    }
    let main_info = &instrument.scales[instrument.main_scale()];
    let main = &last.scales[instrument.main_scale()];
    let _ = writeln!(
        o,
        "{}, latest {}: **{}**",
        text(words::head(&main_info.label)),
        last.date.as_deref().unwrap_or("undated"),
        text(&words::score(main_info, main, last.status))
    );
    if let Some(s) = &main.standard {
        let _ = writeln!(o, "\n{}", text(&words::standard(s)));
    }
    if let Some(c) = &main.since_previous {
        let _ = writeln!(o, "\nSince previous: {}", text(&words::change(c)));
    }
    if let Some(c) = main
        .since_first
        .as_ref()
        .filter(|f| Some(&f.date) != main.since_previous.as_ref().map(|p| &p.date))
    {
        let _ = writeln!(o, "\nSince first: {}", text(&words::change(c)));
    }
    o.push('\n');
    if instrument.scales.len() > 1 {
        let _ = writeln!(
            o,
            "| Scale | Score | Against norms | Since previous |\n|---|---|---|---|"
        );
        for (info, scale) in instrument.scales.iter().zip(&last.scales) {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                text(&info.label),
                text(&words::score(info, scale, last.status)),
                scale
                    .standard
                    .as_ref()
                    .map(|s| text(&words::standard_short(s)))
                    .unwrap_or_default(),
                scale
                    .since_previous
                    .as_ref()
                    .map(|c| text(&words::change_step(c)))
                    .unwrap_or_default()
            );
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "| Date | {} | Change |\n|---|---|---|",
        text(words::head(&main_info.label))
    );
    for a in &instrument.administrations {
        let s = &a.scales[instrument.main_scale()];
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            a.date.as_deref().unwrap_or("undated"),
            text(&words::score(main_info, s, a.status)),
            s.since_previous
                .as_ref()
                .map(|c| text(&words::change_step(c)))
                .unwrap_or_default()
        );
    }
    o.push('\n');
    if !last.flags.is_empty() {
        let _ = writeln!(o, "Flags (latest):\n");
        for flag in &last.flags {
            let _ = writeln!(o, "- {}: {}", flag.severity.as_str(), text(&flag.label));
        }
        o.push('\n');
    }
    let _ = writeln!(o, "| # | Item | Answer | Value |\n|---|---|---|---|");
    for (info, item) in instrument.items.iter().zip(&last.items) {
        let reversed = if info.reversed_in.is_empty() {
            ""
        } else {
            " R"
        };
        let unscored = if info.scored { "" } else { ", not scored" };
        let answer = match item.state {
            ItemStatus::Answered => text(item.answer.as_deref().unwrap_or("")),
            state => format!("*{}*", words::item_state(state)),
        };
        let _ = writeln!(
            o,
            "| {}{reversed} | {}{unscored} | {answer} | {} |",
            text(&info.id),
            text(&info.label),
            item.value.map(score_text).unwrap_or_default()
        );
    }
    if instrument.items.iter().any(|i| !i.reversed_in.is_empty()) {
        let _ = writeln!(
            o,
            "\nR: reverse-keyed, scored (min + max) − value; the value shown is the answer as given."
        );
    }
    let notes: Vec<&String> = last
        .errors
        .iter()
        .chain(&last.notes)
        .chain(&last.change_notes)
        .collect();
    if !notes.is_empty() {
        o.push('\n');
        for note in notes {
            let _ = writeln!(o, "- {}", text(note));
        }
    }
    o.push('\n');
}
