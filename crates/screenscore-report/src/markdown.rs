//! The Markdown report, for pasting into clinical notes: the same content as the HTML page,
//! with the charts given as tables.

use std::fmt::Write as _;

use screenscore::clients::{ClientHistory, InstrumentRecord, ItemStatus};

use crate::attention::{Attention, latest};
use crate::svg::score_text;
use crate::{Options, words};

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
    let mut o = String::new();
    let _ = writeln!(o, "# Client {}\n", text(&client.client));
    let _ = writeln!(
        o,
        "- Administrations: {} ({})",
        client.dates.join(", "),
        client.dates.len()
    );
    let names: Vec<String> = client.instruments.iter().map(|i| text(&i.name)).collect();
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
            let _ = writeln!(
                o,
                "- **{}** {}{}: {}",
                item.severity.as_str().to_uppercase(),
                text(&item.instrument),
                item.date
                    .as_deref()
                    .map(|d| format!(", {d}"))
                    .unwrap_or_default(),
                text(&item.message)
            );
        }
        o.push('\n');
    }
    if let Some(outcome) = &client.outcome {
        crate::episode::markdown(&mut o, outcome);
    }
    for instrument in &client.instruments {
        section(&mut o, instrument);
    }
    let _ = writeln!(o, "## Sources\n");
    for instrument in &client.instruments {
        let _ = writeln!(
            o,
            "- {} {}: {}. {}. Licence: {}. Status: {}.",
            text(&instrument.id),
            text(&instrument.version),
            text(&instrument.name),
            text(&instrument.citation),
            text(&instrument.license.name),
            instrument.status.as_str()
        );
    }
    let _ = writeln!(
        o,
        "\nScored by screenscore {} on {}. This report was made on this computer; no data was sent anywhere.",
        options.tool_version, options.generated
    );
    o
}

fn section(o: &mut String, instrument: &InstrumentRecord) {
    let Some(last) = latest(instrument) else {
        return;
    };
    let _ = writeln!(
        o,
        "## {} ({}) — {}\n",
        text(&instrument.name),
        text(&instrument.id),
        instrument.status.as_str()
    );
    if let Some(w) = words::status_warning(instrument.status) {
        let _ = writeln!(o, "> **{w}**\n");
    }
    let main = &last.scales[instrument.main_scale()];
    let _ = writeln!(
        o,
        "Latest ({}): {}: **{}**",
        last.date.as_deref().unwrap_or("no date"),
        text(&instrument.scales[instrument.main_scale()].label),
        text(&words::score(instrument, main))
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
                text(&words::score(instrument, scale)),
                scale
                    .standard
                    .as_ref()
                    .map(|s| text(&words::standard(s)))
                    .unwrap_or_default(),
                scale
                    .since_previous
                    .as_ref()
                    .map(|c| text(&words::change(c)))
                    .unwrap_or_default()
            );
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "| Date | Status | {} | Since previous |\n|---|---|---|---|",
        text(&instrument.scales[instrument.main_scale()].label)
    );
    for a in &instrument.administrations {
        let s = &a.scales[instrument.main_scale()];
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            a.date.as_deref().unwrap_or("no date"),
            a.status,
            text(&words::score(instrument, s)),
            s.since_previous
                .as_ref()
                .map(|c| text(&words::change_short(c)))
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
            " (R)"
        };
        let unscored = if info.scored { "" } else { " (not scored)" };
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
            "\n(R) reverse-keyed: scored (min + max) − value; the value shown is the answer as given."
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
