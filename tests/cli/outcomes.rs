//! `screenscore outcomes`: every outcome class of paired PHQ-9 and GAD-7 episodes, from
//! `tests/data/outcomes/classes.json`, whose cases state their expected results with the
//! arithmetic and the rules' sources; the caseload summary's counts and Wilson intervals; what
//! a person reads when a column is missing or rows lack a client.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::support::{Run, data, rows, screenscore};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    #[allow(dead_code)]
    about: String,
    instruments: Vec<String>,
    episodes: Vec<Case>,
    summary: SummaryCase,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    client: String,
    episode: String,
    administrations: Vec<Map<String, Value>>,
    /// Column → value; an object under an instrument id checks `{id}_{key}`, under `combined`
    /// the combined columns. Numbers compare as numbers, strings as written ("" = empty).
    expect: Map<String, Value>,
    #[allow(dead_code)]
    why: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryCase {
    /// scope → measure → [count, of] (`of` null for the count of episodes).
    expect: Map<String, Value>,
    #[allow(dead_code)]
    why: Map<String, Value>,
}

fn fixture() -> Fixture {
    let text = std::fs::read_to_string(data("outcomes/classes.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Items that add up to `total`: as many 3s as fit, then the rest, then 0s.
fn items(total: u32, count: u32) -> Vec<String> {
    assert!(total <= 3 * count, "{total} is beyond {count} items of 0-3");
    (0..count)
        .map(|i| total.saturating_sub(3 * i).min(3).to_string())
        .collect()
}

/// The fixture's administrations as one intake CSV, rows in the fixture's order.
fn intake(fixture: &Fixture) -> String {
    let counts: Vec<(String, u32)> = fixture
        .instruments
        .iter()
        .map(|id| (id.clone(), if id == "phq9" { 9 } else { 7 }))
        .collect();
    let mut header = vec!["client".to_string(), "episode".into(), "date".into()];
    for (id, n) in &counts {
        header.extend((1..=*n).map(|i| format!("{id}_{i}")));
    }
    let mut text = header.join(",") + "\n";
    for case in &fixture.episodes {
        for admin in &case.administrations {
            let mut row = vec![
                case.client.clone(),
                case.episode.clone(),
                admin["date"].as_str().unwrap().to_string(),
            ];
            for (id, n) in &counts {
                match admin[id.as_str()].as_u64() {
                    Some(total) => row.extend(items(total as u32, *n)),
                    None => row.extend((0..*n).map(|_| String::new())),
                }
            }
            text += &(row.join(",") + "\n");
        }
    }
    text
}

fn run(fixture: &Fixture, extra: &[&str]) -> Run {
    let mut args = vec!["outcomes"];
    for id in &fixture.instruments {
        args.extend(["-i", id.as_str()]);
    }
    args.extend([
        "--client-col",
        "client",
        "--date-col",
        "date",
        "--episode-col",
        "episode",
    ]);
    args.extend(extra);
    args.push("-");
    screenscore(&args, intake(fixture).as_bytes())
}

fn check(case: &Case, row: &std::collections::HashMap<String, String>, column: &str, want: &Value) {
    let got = row
        .get(column)
        .unwrap_or_else(|| panic!("{}: no column {column}", case.name));
    let ok = match want {
        Value::Number(n) => got.parse::<f64>().ok() == n.as_f64(),
        Value::String(s) => got == s,
        other => panic!(
            "{}: expected value {other} is neither a number nor a string",
            case.name
        ),
    };
    assert!(
        ok,
        "{} ({}/{}): {column} is {got:?}, expected {want}",
        case.name, case.client, case.episode
    );
}

#[test]
fn every_outcome_class_is_as_its_fixture_states() {
    let fixture = fixture();
    let out = run(&fixture, &[]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    let rows = rows(&out.stdout);
    // One row per episode, never a row dropped, in (client, episode) order.
    assert_eq!(rows.len(), fixture.episodes.len(), "{}", out.stdout);
    for case in &fixture.episodes {
        let row = rows
            .iter()
            .find(|r| r["client"] == case.client && r["episode"] == case.episode)
            .unwrap_or_else(|| {
                panic!("{}: no row for {}/{}", case.name, case.client, case.episode)
            });
        let dates: Vec<&str> = case
            .administrations
            .iter()
            .map(|a| a["date"].as_str().unwrap())
            .collect();
        check(
            case,
            row,
            "administrations",
            &Value::String(dates.len().to_string()),
        );
        for (key, want) in &case.expect {
            match want {
                Value::Object(fields) => {
                    for (field, want) in fields {
                        let column = if key == "combined" {
                            field.clone()
                        } else {
                            format!("{key}_{field}")
                        };
                        check(case, row, &column, want);
                    }
                }
                want => check(case, row, key, want),
            }
        }
    }
    let keys: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["client"].clone(), r["episode"].clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(
        keys, sorted,
        "episodes are written in (client, episode) order"
    );
}

/// The Wilson score interval, written out: (p + z²/2n ± z√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
fn wilson(count: f64, n: f64) -> (f64, f64) {
    let z = 1.959_963_984_540_054_f64;
    let p = count / n;
    let centre = p + z * z / (2.0 * n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    let denominator = 1.0 + z * z / n;
    ((centre - half) / denominator, (centre + half) / denominator)
}

#[test]
fn the_caseload_summary_counts_every_class_with_wilson_intervals() {
    let fixture = fixture();
    let out = run(&fixture, &["--summary"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    let lines = rows(&out.stdout);
    let mut checked = 0;
    for (scope, measures) in &fixture.summary.expect {
        for (measure, want) in measures.as_object().unwrap() {
            let line = lines
                .iter()
                .find(|l| &l["scope"] == scope && &l["measure"] == measure)
                .unwrap_or_else(|| panic!("no summary line {scope}/{measure}:\n{}", out.stdout));
            let count = want[0].as_u64().unwrap();
            assert_eq!(line["count"], count.to_string(), "{scope}/{measure}");
            let Some(of) = want[1].as_u64() else {
                assert_eq!(
                    line["of"], "",
                    "{scope}/{measure}: a count has no denominator"
                );
                checked += 1;
                continue;
            };
            assert_eq!(line["of"], of.to_string(), "{scope}/{measure}");
            let rate: f64 = line["rate"].parse().unwrap();
            assert!(
                (rate - count as f64 / of as f64).abs() < 5e-5,
                "{scope}/{measure}: rate {rate}"
            );
            let (lo, hi) = wilson(count as f64, of as f64);
            let (got_lo, got_hi): (f64, f64) = (
                line["ci95_low"].parse().unwrap(),
                line["ci95_high"].parse().unwrap(),
            );
            assert!(
                (got_lo - lo.max(0.0)).abs() < 5e-5,
                "{scope}/{measure}: low {got_lo}, expected {lo}"
            );
            assert!(
                (got_hi - hi.min(1.0)).abs() < 5e-5,
                "{scope}/{measure}: high {got_hi}, expected {hi}"
            );
            checked += 1;
        }
    }
    // Every line the fixture states was found; and the fixture states every line written.
    assert_eq!(checked, lines.len(), "{}", out.stdout);
}

#[test]
fn the_summary_as_json_carries_the_same_counts() {
    let fixture = fixture();
    let out = run(&fixture, &["--summary", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        json["combined_instruments"],
        serde_json::json!(["phq9", "gad7"])
    );
    let line = json["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["scope"] == "combined" && l["measure"] == "reliable_recovery")
        .unwrap();
    // 5 of the 10 cases at first recovered reliably (the fixture's arithmetic).
    assert_eq!(
        (line["count"].as_u64(), line["of"].as_u64()),
        (Some(5), Some(10))
    );
    assert_eq!(line["rate"].as_f64(), Some(0.5));
    let (lo, hi) = wilson(5.0, 10.0);
    let ci = line["ci95"].as_array().unwrap();
    assert!(
        (ci[0].as_f64().unwrap() - lo).abs() < 5e-5 && (ci[1].as_f64().unwrap() - hi).abs() < 5e-5
    );
}

#[test]
fn episodes_as_json_lines_name_the_classes() {
    let fixture = fixture();
    let out = run(&fixture, &["--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.transcript());
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), fixture.episodes.len());
    let e08 = lines.iter().find(|l| l["client"] == "E08").unwrap();
    assert_eq!(e08["combined"]["not_assessed"], "scored_once");
    let phq9 = &e08["instruments"][0];
    // 16 on 2026-01-05, 9 on 2026-03-02: -7.
    assert_eq!(
        (phq9["id"].as_str(), phq9["first"]["date"].as_str()),
        (Some("phq9"), Some("2026-01-05"))
    );
    assert_eq!(
        (
            phq9["first"]["score"].as_f64(),
            phq9["last"]["score"].as_f64()
        ),
        (Some(16.0), Some(9.0))
    );
    let e01 = lines.iter().find(|l| l["client"] == "E01").unwrap();
    // 12 → 5 and 9 → 4 (the fixture's first case).
    assert_eq!(
        e01["combined"],
        serde_json::json!({
            "instruments": ["phq9", "gad7"], "assessed": true, "case_at_first": true,
            "reliable_change": "reliable_improvement",
            "recovery": "yes", "reliable_recovery": "yes"
        })
    );
}

#[test]
fn a_missing_column_is_named_and_nothing_is_written() {
    let csv = "client,phq9_1\nA,1\n";
    let out = screenscore(
        &[
            "outcomes",
            "-i",
            "phq9",
            "--client-col",
            "client",
            "--date-col",
            "visit",
            "-",
        ],
        csv.as_bytes(),
    );
    assert_eq!(out.code, 2);
    assert_eq!(out.stdout, "");
    insta::assert_snapshot!(out.stderr, @"error: the header has no `visit` column (given as the date column)");
}

#[test]
fn rows_without_a_client_or_a_date_are_counted_and_said() {
    let header = format!("client,date,{}", crate::support::columns("phq9", 1..=9));
    let csv = format!(
        "{header}\nA,2026-01-05,2,2,2,2,1,1,2,0,0\n,2026-01-06,0,0,0,0,0,0,0,0,0\nA,2026-02-05,1,1,1,0,0,0,0,0,0\nA,next week,3,3,3,3,3,3,3,3,3\n"
    );
    let out = screenscore(
        &[
            "outcomes",
            "-i",
            "phq9",
            "--client-col",
            "client",
            "--date-col",
            "date",
            "-",
        ],
        csv.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    insta::assert_snapshot!(out.stderr, @"
    warning: 1 row has no client id in `client` and is in no episode
    warning: 1 row has no readable date in `date`: counted as `undated` in the episode, not in its administrations, first or last scores
    4 rows read: 4 scored, 0 incomplete, 0 invalid, 0 absent
    attention: phq9 item9_positive: Thoughts of death or self-harm (item 9 answered 1 or more): assess risk today — 1 row: record 4 (client A)
    1 episode of 1 client
    ");
    // 12 → 3: a fall of 9 ≥ 6, from a case (12 ≥ 10) to below 10; the undated 27 is not last.
    assert_eq!(crate::support::cell(&out.stdout, 0, "undated"), "1");
    assert_eq!(crate::support::cell(&out.stdout, 0, "administrations"), "2");
    assert_eq!(
        crate::support::cell(&out.stdout, 0, "phq9_reliable"),
        "improved"
    );
    assert_eq!(crate::support::cell(&out.stdout, 0, "phq9_change"), "-9");
}

/// The caseload page of the fixture, rendered by headless Chromium: to PNG and PDF, and the
/// outline of the DOM it parsed.
#[test]
#[ignore = "needs headless Chromium: run with --include-ignored (.ci/run installs it)"]
fn a_browser_renders_the_caseload_page() {
    use crate::browser::{chromium, dump_dom, outline, pdf_pages, render};
    let browser = chromium();
    let fixture = fixture();
    let dir = crate::support::temp_dir("caseload-browser");
    let page = dir.join("caseload.html");
    let out = run(
        &fixture,
        &["--summary", "--summary-html", page.to_str().unwrap()],
    );
    assert_eq!(out.code, 0, "{}", out.transcript());
    let html = std::fs::read_to_string(&page).unwrap();
    for forbidden in [
        "<script", "<link", "<img", "<iframe", " src=\"", " href=\"", "url(", "@import",
    ] {
        assert!(!html.contains(forbidden), "the page contains {forbidden}");
    }
    let dom = dump_dom(&browser, &page, &dir.join("profile-dom"));
    insta::assert_snapshot!(outline(&dom), @r#"
    main.report.caseload
      header.client
        h1 "Caseload outcomes"
      section.combined
        h2 "Combined outcome: Patient Health Questionnaire-9 and Generalized Anxiety Disorder 7-item scale"
        p.measures
        table.rates (11 rows)
      section.episodes
        h2 "Episodes"
        table.rates (2 rows)
      section.instrument
        h2 "Patient Health Questionnaire-9 (phq9): Depression severity (items 1-9, 0-27)"
        table.rates (6 rows)
        svg.first-last (14 circles)
        p.measures
        p.measures
      section.instrument
        h2 "Generalized Anxiety Disorder 7-item scale (gad7): Anxiety severity (items 1-7, 0-21)"
        table.rates (6 rows)
        svg.first-last (13 circles)
        p.measures
        p.measures
      footer.provenance
        h3 "How the classes are defined"
    "#);
    let (png, pdf) = (dir.join("caseload.png"), dir.join("caseload.pdf"));
    render(
        &browser,
        &page,
        &dir.join("profile-png"),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=900,1800".into(),
        ],
    );
    render(
        &browser,
        &page,
        &dir.join("profile-pdf"),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
    );
    assert!(
        std::fs::read(&png)
            .unwrap()
            .starts_with(b"\x89PNG\r\n\x1a\n")
    );
    let pdf = std::fs::read(&pdf).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    // The combined rates first, then one page per instrument (its rates and its chart).
    assert_eq!(pdf_pages(&pdf), 1 + 2);
}

/// The README shows docs/caseload-summary.png, a screenshot of the fixture's caseload page;
/// `SCREENSCORE_BLESS=1` regenerates it.
#[test]
fn the_caseload_screenshot_exists() {
    let docs = crate::support::root().join("docs/caseload-summary.png");
    if std::env::var_os("SCREENSCORE_BLESS").is_some() {
        let browser = crate::browser::chromium();
        let dir = crate::support::temp_dir("caseload-docs");
        let page = dir.join("caseload.html");
        let out = run(
            &fixture(),
            &["--summary", "--summary-html", page.to_str().unwrap()],
        );
        assert_eq!(out.code, 0, "{}", out.transcript());
        crate::browser::render(
            &browser,
            &page,
            &dir.join("profile"),
            &[
                format!("--screenshot={}", docs.display()),
                "--window-size=900,1500".into(),
            ],
        );
    }
    let bytes = std::fs::read(&docs).expect("docs/caseload-summary.png");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    let readme = std::fs::read_to_string(crate::support::root().join("README.md")).unwrap();
    assert!(readme.contains("docs/caseload-summary.png"));
}
