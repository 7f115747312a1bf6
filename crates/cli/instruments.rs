//! `screenscore instruments list | show | template | check | schema`.

use std::fmt::Write as _;
use std::io::Write;
use std::process::ExitCode;

use screenscore::columns::{OutputColumns, input_columns, item_column};
use screenscore::definition::{Code, CommercialUse, Definition, Evidence, LOINC_NOTICE, Source};
use screenscore::text::count;
use screenscore::{Instrument, format_score};

use crate::args::{InstrumentsCommand, TemplateExtra};
use crate::files::{self, RunFiles};
use crate::score::Notes;
use crate::term::{Stdout, escape_controls};
use crate::{Failure, Outcome};

mod scale;
use scale::{condition, show_scale};

pub fn run(command: InstrumentsCommand) -> Outcome {
    let mut files = RunFiles::new();
    let text = match command {
        InstrumentsCommand::List => list(),
        InstrumentsCommand::Show { instrument } => {
            show(&files::instrument(&instrument, &mut files)?)
        }
        InstrumentsCommand::Template { instruments, with } => {
            let loaded = instruments
                .iter()
                .map(|arg| files::instrument(arg, &mut files))
                .collect::<Result<Vec<_>, _>>()?;
            template(&loaded, &with)?
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

/// Whose choices a definition's `policy` and `authored` sources are: screenscore's for a
/// bundled definition, the definition's author's for a user's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Author {
    /// A definition bundled with screenscore (as built in, or its file).
    Screenscore,
    /// A user's own definition.
    Definition,
}

impl Author {
    pub(crate) fn of(instrument: &Instrument) -> Author {
        let def = instrument.definition();
        if Instrument::builtin(&def.id).is_ok_and(|b| b.definition() == def) {
            Author::Screenscore
        } else {
            Author::Definition
        }
    }
}

fn source(s: &Source, author: Author) -> String {
    let evidence = match (s.evidence, author) {
        (Evidence::Verified, _) => "verified",
        (Evidence::Secondary, _) => "secondary source",
        (Evidence::Policy, Author::Screenscore) => "screenscore policy",
        (Evidence::Policy, Author::Definition) => "policy of this definition",
        (Evidence::Authored, Author::Screenscore) => "written by screenscore",
        (Evidence::Authored, Author::Definition) => "written by this definition's author",
        (Evidence::Sample, _) => "computed from the practice's sample",
    };
    format!("{} [{evidence}]", s.reference)
}

/// Each code on a line of its own (`code: http://loinc.org|44250-9 "display"`), its source on
/// the next.
fn show_codes(o: &mut String, indent: &str, codes: &[Code], author: Author) {
    for code in codes {
        let _ = write!(o, "{indent}code: {}|{}", code.system, code.code);
        if let Some(display) = &code.display {
            let _ = write!(o, " \"{display}\"");
        }
        let _ = writeln!(o, "\n{indent}  source: {}", source(&code.source, author));
    }
}

/// Everything a clinician or a definition author needs to know about one instrument.
fn show(instrument: &Instrument) -> String {
    let def = instrument.definition();
    let author = Author::of(instrument);
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
    let _ = writeln!(
        o,
        "           Source: {}",
        source(&def.license.source, author)
    );
    if def.status != screenscore::InstrumentStatus::Validated
        && let Some(notice) = crate::score::status_notice(instrument, Notes::Written)
    {
        let _ = writeln!(o, "Notice:    {notice}");
    }
    if !def.codes.is_empty() {
        let _ = writeln!(o, "Codes:");
        show_codes(&mut o, "  ", &def.codes, author);
    }
    if !def.questionnaires.is_empty() {
        let _ = writeln!(o, "FHIR Questionnaires:");
        for questionnaire in &def.questionnaires {
            let _ = writeln!(o, "  {}", questionnaire.url);
            let _ = writeln!(o, "    source: {}", source(&questionnaire.source, author));
        }
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
            let _ = writeln!(o, "      from: {}", source(s, author));
        }
        show_codes(&mut o, "      ", &item.codes, author);
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
                source(&other.source, author)
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
            let _ = writeln!(o, "    source: {}", source(&skip.source, author));
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
            let _ = writeln!(o, "    source: {}", source(&rule.source, author));
        }
    }

    if !def.notes.is_empty() {
        let _ = writeln!(o, "\nNotes:");
        for note in &def.notes {
            let _ = writeln!(o, "  - {note}");
        }
    }

    if def.uses_loinc() {
        let _ = writeln!(o, "\nLOINC notice: {LOINC_NOTICE}");
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

/// An empty intake CSV: the header of every instrument's input columns (attributes once).
fn template(instruments: &[Instrument], with: &[TemplateExtra]) -> Result<String, Failure> {
    let mut columns: Vec<String> = Vec::new();
    if with.contains(&TemplateExtra::Ids) {
        // The columns `--client-col client_id --date-col date` name, for change over time.
        columns.extend(["client_id".to_string(), "date".to_string()]);
    }
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
