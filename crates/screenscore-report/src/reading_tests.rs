//! What a clinician reads: the order of clinical weight, no internal id and no bracket inside
//! a bracket, each source once, scores and numbers as clinicians write them.

use screenscore::change::Reliable;

use crate::tests::{at, client, options};
use crate::{Format, render};

/// The text a reader sees of an HTML page's body: tags dropped (a block's tag starts a new
/// line), `&lt;`, `&gt;` and `&amp;` decoded.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html.find("<body").map_or(html, |b| &html[b..]);
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |c| open + c + 1);
        let tag = &rest[open..close];
        let inline = ["<strong", "</strong", "<span", "</span", "<code", "</code"];
        if !inline.iter().any(|t| tag.starts_with(t)) {
            out.push('\n');
        }
        rest = &rest[close..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The deepest brackets go in each line.
fn deepest(text: &str) -> Vec<(usize, &str)> {
    text.lines()
        .map(|line| {
            let (mut depth, mut deepest) = (0i32, 0i32);
            for c in line.chars() {
                match c {
                    '(' | '[' => depth += 1,
                    ')' | ']' => depth -= 1,
                    _ => {}
                }
                deepest = deepest.max(depth);
            }
            (deepest as usize, line)
        })
        .collect()
}

#[test]
fn no_internal_id_in_prose_and_no_bracket_inside_a_bracket() {
    let a = client("A");
    // The references quote their sources as written (a file of a public repository may be
    // named after an instrument): everything else is prose.
    let page = render(&a, Format::Html, &options());
    let (before, after) = page.split_at(at(&page, "<ul class=\"references\">"));
    let html = visible(&format!("{before}{}", &after[at(after, "</ul>")..]));
    let markdown: String = render(&a, Format::Markdown, &options())
        .replace('\\', "")
        .lines()
        .filter(|l| !(l.starts_with("- ") && l.contains(" For ")))
        .map(|l| format!("{l}\n"))
        .collect();
    for (format, text) in [("html", &html), ("markdown", &markdown)] {
        for id in [
            "phq9",
            "gad7",
            "cffs",
            "german_general_population",
            "external_focusing",
            "interpersonal_control",
            "(female)",
            "screenscore instruments",
        ] {
            let line = text.lines().find(|l| l.contains(id));
            assert!(line.is_none(), "{format}: {id} in {line:?}");
        }
        let nested: Vec<&str> = deepest(text)
            .into_iter()
            .filter(|(d, _)| *d > 1)
            .map(|(_, l)| l)
            .collect();
        assert!(nested.is_empty(), "{format}: {nested:#?}");
    }
    // The reference group by its population, in words.
    assert!(html.contains(
        "against German general population, face-to-face household surveys 2003-2008, women"
    ));
}

#[test]
fn the_sources_give_each_citation_once_and_never_a_command() {
    let html = render(&client("A"), Format::Html, &options());
    let footer = visible(&html[at(&html, "<footer")..]);
    // The PHQ-9's published threshold and caseness share one source: given once, for both.
    assert_eq!(
        footer.matches("PHQ-9 \"scores of 10 or above").count(),
        1,
        "{footer}"
    );
    assert!(footer.contains(
        "For Patient Health Questionnaire-9: reliable change of Depression severity at 6 points; caseness at 10 or more."
    ), "{footer}");
    assert_eq!(footer.matches("The PHQ-9: validity of a brief").count(), 1);
    // How change is judged: once per instrument, not once per scale.
    assert_eq!(
        footer.matches("Not judged for reliability").count(),
        1,
        "{footer}"
    );
    for command in ["screenscore instruments", "run ", "`"] {
        assert!(!footer.contains(command), "{command} in {footer}");
    }
}

#[test]
fn scores_read_as_clinicians_write_them() {
    let mut a = client("A");
    let html = render(&a, Format::Html, &options());
    let glance = visible(&html[at(&html, "class=\"glance\"")..at(&html, "class=\"course\"")]);
    // The latest PHQ-9: 6 on 0-27, mild; T to one decimal.
    assert!(glance.contains("6 (0–27), mild"), "{glance}");
    let t: Vec<&str> = glance
        .split("T ")
        .skip(1)
        .map(|r| {
            r.split(|c: char| !c.is_ascii_digit() && c != '.')
                .next()
                .unwrap()
        })
        .collect();
    assert!(
        !t.is_empty()
            && t.iter()
                .all(|t| t.split('.').nth(1).map(str::len) == Some(1)),
        "{t:?}"
    );
    // Percentiles whole, and never 100 or 0.
    let phq9 = &mut a.instruments[0];
    let standard = phq9.administrations[2].scales[0].standard.as_mut().unwrap();
    standard.percentile = Some(88.3);
    let html = render(&a, Format::Html, &options());
    assert!(
        html.contains("percentile 88 against") && !html.contains("88.3"),
        "{html}"
    );
    let standard = a.instruments[0].administrations[2].scales[0]
        .standard
        .as_mut()
        .unwrap();
    standard.percentile = Some(99.97);
    assert!(render(&a, Format::Html, &options()).contains("percentile &gt;99"));
    // A latest form that could not be read says so, in the table and in its section.
    let hostile = render(
        &client("<script>alert(1)</script>"),
        Format::Html,
        &options(),
    );
    assert_eq!(
        hostile
            .matches("not scored: an answer could not be read")
            .count(),
        3,
        "{hostile}"
    );
    assert!(!hostile.contains("0 of 0"));
}

#[test]
fn the_trend_legend_only_where_reliable_change_was_computed() {
    let legend = "reliable change since the previous administration";
    let mut a = client("A");
    let html = render(&a, Format::Html, &options());
    let phq9 = &html[at(&html, "id=\"phq9\"")..at(&html, "id=\"gad7\"")];
    assert!(phq9.contains(legend) && phq9.contains("by the published threshold"));
    let gad7 = &html[at(&html, "id=\"gad7\"")..at(&html, "class=\"factors\"")];
    assert!(gad7.contains(legend) && gad7.contains("|RCI| &gt; 1.96"));
    // Without a judged change, the same trend promises nothing and rings nothing.
    for administration in &mut a.instruments[0].administrations {
        if let Some(c) = administration.scales[0].since_previous.as_mut() {
            (c.reliable, c.rci) = (None, None);
        }
    }
    let html = render(&a, Format::Html, &options());
    let phq9 = &html[at(&html, "id=\"phq9\"")..at(&html, "id=\"gad7\"")];
    assert!(
        phq9.contains("class=\"trend\"") && !phq9.contains(legend),
        "{phq9}"
    );
    assert!(!phq9.contains(&format!("reliable {}", Reliable::Improved.as_str())));
}
