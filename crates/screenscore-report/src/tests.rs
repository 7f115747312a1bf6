//! Reports of a small practice file: snapshots of the Markdown and JSON, structure of the HTML.

use std::io::Cursor;

use screenscore::Instrument;
use screenscore::batch::{Batch, HistorySettings};
use screenscore::change::CutoffKind;
use screenscore::clients::{ClientCollector, ClientHistory, attach_outcomes};
use screenscore::date::DateFormat;
use screenscore::outcomes::{Assessor, OutcomeCollector, OutcomeSettings};

use crate::{Format, Options, render};

/// Client A: PHQ-9 three times (the last with item 9 at 1), GAD-7 twice, CFFS once with item 2
/// unanswered. Client B: a hostile id, one PHQ-9 with a hostile cell value (invalid).
const INTAKE: &str = "\
client,date,sex,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9,gad7_1,gad7_2,gad7_3,gad7_4,gad7_5,gad7_6,gad7_7,cffs_1,cffs_2,cffs_3,cffs_4,cffs_5,cffs_6,cffs_7,cffs_8,cffs_9,cffs_10,cffs_11,cffs_12,cffs_13,cffs_14,cffs_15,cffs_16,cffs_17,cffs_18,cffs_19,cffs_20
A,2026-01-05,F,3,3,2,2,2,2,2,1,0,3,3,3,2,2,2,2,,,,,,,,,,,,,,,,,,,,
A,2026-02-02,F,2,2,2,1,1,1,1,1,0,1,1,1,1,1,1,1,,,,,,,,,,,,,,,,,,,,
A,2026-03-02,F,1,1,1,1,0,1,0,0,1,,,,,,,,4,,4,3,2,4,4,3,4,2,3,3,3,3,2,3,2,2,3,2
<script>alert(1)</script>,2026-01-05,M,1,<img src=x onerror=alert(1)>,1,1,1,1,1,1,0,,,,,,,,,,,,,,,,,,,,,,,,,,,
";

fn histories() -> Vec<ClientHistory> {
    let instruments: Vec<Instrument> = ["phq9", "gad7", "cffs"]
        .map(|id| Instrument::builtin(id).unwrap().clone())
        .to_vec();
    let mut builder = Batch::builder();
    for instrument in &instruments {
        builder = builder.instrument(instrument.clone());
    }
    let batch = builder
        .standard(true)
        .history(HistorySettings {
            client_column: "client".into(),
            date_column: "date".into(),
            date_format: DateFormat::Iso8601,
            cutoff: CutoffKind::C,
        })
        .build()
        .unwrap();
    let mut collector = ClientCollector::new();
    let mut episodes = OutcomeCollector::new(OutcomeSettings {
        client_column: "client".into(),
        date_column: "date".into(),
        episode_column: None,
        date_format: DateFormat::Iso8601,
    });
    batch
        .run_with_history(Cursor::new(INTAKE), &mut [&mut collector, &mut episodes])
        .unwrap();
    let mut histories = collector.into_histories();
    attach_outcomes(
        &mut histories,
        &Assessor::new(&instruments),
        &episodes.into_episodes(),
    );
    histories
}

pub(crate) fn options() -> Options {
    Options {
        tool_version: "test".into(),
        generated: "2026-11-21".into(),
    }
}

pub(crate) fn client(id: &str) -> ClientHistory {
    histories().into_iter().find(|c| c.client == id).unwrap()
}

#[test]
fn the_markdown_report() {
    insta::assert_snapshot!(
        "client_a.md",
        render(&client("A"), Format::Markdown, &options())
    );
}

#[test]
fn the_json_report() {
    insta::assert_snapshot!(
        "client_a.json",
        render(&client("A"), Format::Json, &options())
    );
}

/// The position of `needle` in `haystack`, which must hold it.
pub(crate) fn at(haystack: &str, needle: &str) -> usize {
    haystack
        .find(needle)
        .unwrap_or_else(|| panic!("missing {needle:?}"))
}

#[test]
fn html_sections_come_in_the_clinical_order() {
    let html = render(&client("A"), Format::Html, &options());
    // By clinical weight: the validated instruments, then the four-factor profile of the
    // unvalidated CFFS, then the CFFS itself.
    let order = [
        "<header class=\"client\"",
        "<section class=\"attention\"",
        "<section class=\"glance\"",
        "<section class=\"course\"",
        "<section class=\"instrument\" id=\"phq9\"",
        "<section class=\"instrument\" id=\"gad7\"",
        "<section class=\"factors\"",
        "<section class=\"instrument\" id=\"cffs\"",
        "<footer class=\"provenance\"",
    ];
    let positions: Vec<usize> = order.iter().map(|s| at(&html, s)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{order:?} at {positions:?}"
    );
    // The attention box names the critical flag of the latest PHQ-9 (item 9 = 1 on 2026-03-02).
    let attention = &html[positions[1]..positions[2]];
    // Inside each instrument: latest score, band bar, change, trend, history, items, in order.
    let phq9 = &html[positions[4]..positions[5]];
    assert!(attention.contains("class=\"critical\""));
    assert!(attention.contains("2026-03-02"));
    assert!(attention.contains("Thoughts of death or self-harm"));
    let inner = [
        "class=\"latest\"",
        "class=\"band-bar\"",
        "Since previous:",
        "class=\"trend\"",
        "class=\"history\"",
        "class=\"items\"",
    ];
    let inner_positions: Vec<usize> = inner.iter().map(|s| at(phq9, s)).collect();
    assert!(
        inner_positions.windows(2).all(|w| w[0] < w[1]),
        "{inner:?} at {inner_positions:?}"
    );
}

#[test]
fn the_course_of_treatment_is_judged_under_the_glance_table() {
    let html = render(&client("A"), Format::Html, &options());
    // Dates are kept on one line in spans of their own: read without them.
    let html = html
        .replace("<span class=\"d\">", "")
        .replace("</span>", "");
    let course = &html[at(&html, "<section class=\"course\"")..at(&html, "id=\"phq9\"")];
    let row = |name: &str| {
        let row = &course[at(course, name)..];
        row[..at(row, "</tr>")].to_string()
    };
    // PHQ-9: 3+3+2+2+2+2+2+1+0 = 17 on 2026-01-05, 1+1+1+1+0+1+0+0+1 = 6 on 2026-03-02: -11,
    // a fall of 6 or more (reliable), from 17 >= 10 (a case) to 6 < 10.
    let phq9 = row("Patient Health Questionnaire-9");
    for cell in [
        "17 (2026-01-05)",
        "6 (2026-03-02)",
        ">-11<",
        "reliable improvement",
        "a case → not a case",
    ] {
        assert!(phq9.contains(cell), "{cell} not in {phq9}");
    }
    // GAD-7: 3+3+3+2+2+2+2 = 17, then 7 x 1 = 7 on 2026-02-02 (not given on 2026-03-02): -10,
    // from 17 >= 8 to 7 < 8.
    let gad7 = row("Generalized Anxiety Disorder");
    for cell in [
        "17 (2026-01-05)",
        "7 (2026-02-02)",
        ">-10<",
        "reliable improvement",
        "a case → not a case",
    ] {
        assert!(gad7.contains(cell), "{cell} not in {gad7}");
    }
    // The CFFS was given once and publishes no thresholds.
    let cffs = row("Codependency Four-Factor Screen");
    assert!(
        cffs.contains("scored once") && cffs.contains("no cut-off"),
        "{cffs}"
    );
    // Both fell reliably, 17 was a case on both, and both are below caseness at last.
    assert!(
        course.contains("a case at first; reliable improvement; reliable recovery"),
        "{course}"
    );
    // The hostile client has one administration: nothing to compare, and the words say so.
    let hostile = render(
        &client("<script>alert(1)</script>"),
        Format::Html,
        &options(),
    );
    assert!(
        hostile.contains("One date, <span class=\"d\">2026-01-05</span>: nothing to compare yet.")
    );
}

#[test]
fn html_is_one_self_contained_file() {
    for client in histories() {
        let html = render(&client, Format::Html, &options());
        // Tags and attributes as markup (escaped text such as `&lt;img src=x` is harmless).
        for forbidden in [
            "<script", "<link", "<img", "<iframe", " src=\"", " href=\"", "url(", "@import",
            "<object", "<embed",
        ] {
            assert!(
                !html.contains(forbidden),
                "{}: contains {forbidden}",
                client.client
            );
        }
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<style>"));
        assert!(html.contains("@media print"));
    }
}

#[test]
fn client_ids_and_cell_values_are_escaped_everywhere() {
    let hostile = client("<script>alert(1)</script>");
    let html = render(&hostile, Format::Html, &options());
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script>alert(1)"));
    // The bad cell is quoted in the error, as text.
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "{html}"
    );
    let markdown = render(&hostile, Format::Markdown, &options());
    // Every `<` in the Markdown is escaped, so no renderer reads a tag.
    let unescaped = markdown
        .match_indices('<')
        .filter(|(i, _)| !markdown[..*i].ends_with('\\'))
        .count();
    assert_eq!(unescaped, 0, "{markdown}");
    assert!(markdown.contains("\\<script\\>"));
    let json: serde_json::Value =
        serde_json::from_str(&render(&hostile, Format::Json, &options())).unwrap();
    assert_eq!(json["client"]["client"], "<script>alert(1)</script>");
}

#[test]
fn an_unvalidated_instrument_is_marked_next_to_its_scores() {
    let html = render(&client("A"), Format::Html, &options());
    let cffs = &html[at(&html, "id=\"cffs\"")..at(&html, "<footer")];
    let warning = at(cffs, "class=\"status-warning\"");
    assert!(warning < at(cffs, "class=\"latest\""));
    assert!(cffs[warning..].starts_with("class=\"status-warning\">UNVALIDATED"));
    // In the summary table and the four-factor profile too.
    let glance = &html[at(&html, "class=\"glance\"")..at(&html, "class=\"course\"")];
    assert!(glance.contains("badge unvalidated"));
    let factors = &html[at(&html, "class=\"factors\"")..at(&html, "id=\"cffs\"")];
    assert!(factors.contains("UNVALIDATED"));
    // A validated instrument carries no such warning.
    let phq9 = &html[at(&html, "id=\"phq9\"")..at(&html, "id=\"gad7\"")];
    assert!(!phq9.contains("status-warning"));
}

#[test]
fn the_item_table_marks_reverse_keyed_and_unanswered_items() {
    let html = render(&client("A"), Format::Html, &options());
    let cffs = &html[at(&html, "id=\"cffs\"")..at(&html, "<footer")];
    let items = &cffs[at(cffs, "class=\"items\"")..];
    // Items 5, 10, 15 and 20 are reverse-keyed; item 2 was left blank.
    assert_eq!(items.matches("title=\"reverse-keyed\"").count(), 4);
    let row2 = &items[at(items, "<td>2</td>")..];
    let row2 = &row2[..at(row2, "</tr>")];
    assert!(row2.contains("class=\"missing\">not answered"), "{row2}");
}

#[test]
fn charts_are_drawn_to_scale() {
    let html = render(&client("A"), Format::Html, &options());
    let phq9 = &html[at(&html, "id=\"phq9\"")..at(&html, "id=\"gad7\"")];
    // Latest PHQ-9 total: 1+1+1+1+0+1+0+0+1 = 6 on 0-27. The bar runs from x = 12 to 588, so
    // the marker is at 12 + 6/27 x 576 = 140.0.
    assert!(phq9.contains("d=\"M 140.0 12 l -6 -9 h 12 z\""), "{phq9}");
    // Three scored administrations: a trend with three points.
    let trend = &phq9[at(phq9, "class=\"trend\"")..];
    let trend = &trend[..at(trend, "</svg>")];
    assert_eq!(trend.matches("r=\"4\"").count(), 3);
    // A client with one administration gets no trend chart.
    let hostile = render(
        &client("<script>alert(1)</script>"),
        Format::Html,
        &options(),
    );
    assert!(!hostile.contains("class=\"trend\""));
    assert!(hostile.contains("no trend yet"));
}

#[test]
fn without_anything_to_flag_the_attention_box_says_so() {
    let mut a = client("A");
    a.instruments.retain(|i| i.id == "gad7");
    let html = render(&a, Format::Html, &options());
    assert!(html.contains("<section class=\"attention none\">"));
}

#[test]
fn the_caseload_chart_is_drawn_to_scale() {
    let instruments = vec![Instrument::builtin("phq9").unwrap().clone()];
    let batch = Batch::builder()
        .instrument(instruments[0].clone())
        .build()
        .unwrap();
    let mut episodes = OutcomeCollector::new(OutcomeSettings {
        client_column: "client".into(),
        date_column: "date".into(),
        episode_column: None,
        date_format: DateFormat::Iso8601,
    });
    // Two clients go from 12 to 5, one from 20 to 20.
    let csv = "client,date,phq9_1,phq9_2,phq9_3,phq9_4,phq9_5,phq9_6,phq9_7,phq9_8,phq9_9\n\
               A,2026-01-05,3,3,3,3,0,0,0,0,0\nA,2026-03-02,3,2,0,0,0,0,0,0,0\n\
               B,2026-01-05,3,3,3,3,0,0,0,0,0\nB,2026-03-02,3,2,0,0,0,0,0,0,0\n\
               C,2026-01-05,3,3,3,3,3,3,2,0,0\nC,2026-03-02,3,3,3,3,3,3,2,0,0\n";
    batch.run(Cursor::new(csv), &mut [&mut episodes]).unwrap();
    let episodes = episodes.into_episodes();
    let assessor = Assessor::new(&instruments);
    let html = crate::caseload::page(
        &assessor,
        &episodes,
        &assessor.summary(&episodes),
        &options(),
    );
    let chart = &html[at(&html, "class=\"first-last\"")..];
    let chart = &chart[..at(chart, "</svg>")];
    // The plot runs from x = 56 to 416 and y = 372 (score 0) up to 12 (score 27), 360 / 27
    // units a point. 12 → 5: x = 56 + 12 × 360/27 = 216.0, y = 372 − 5 × 360/27 = 305.3; two
    // episodes, the largest mark: r = 0.45 × 360/27 = 6.0.
    assert!(
        chart.contains("cx=\"216.0\" cy=\"305.3\" r=\"6.0\""),
        "{chart}"
    );
    // 20 → 20, one episode: x = 56 + 20 × 360/27 = 322.7, y = 372 − 20 × 360/27 = 105.3,
    // r = 6.0 × √(1/2) = 4.2.
    assert!(
        chart.contains("cx=\"322.7\" cy=\"105.3\" r=\"4.2\""),
        "{chart}"
    );
    // Caseness 10: x = 56 + 10 × 360/27 = 189.3; y = 372 − 10 × 360/27 = 238.7.
    assert!(chart.contains("x1=\"189.3\" x2=\"189.3\""), "{chart}");
    assert!(chart.contains("y1=\"238.7\" y2=\"238.7\""), "{chart}");
    // The corridor's lower edge starts at (6, 0): x = 56 + 6 × 360/27 = 136.0, y = 372.
    assert!(
        chart.contains("class=\"corridor-edge\" x1=\"136.0\" y1=\"372.0\""),
        "{chart}"
    );
    // The rates: 2 of 3 improved reliably (12 → 5 is a fall of 7 ≥ 6; 20 → 20 is none).
    let phq9 = &html[at(&html, "id=\"phq9\"")..];
    let row = &phq9[at(phq9, "<tr class=\"reliable_improvement\"")..];
    let row = &row[..at(row, "</tr>")];
    assert!(
        row.contains(">2<") && row.contains(">3<") && row.contains("66.7%"),
        "{row}"
    );
}
