//! A round trip through a real form renderer: `screenscore fhir questionnaire phq9` is rendered
//! by LHC-Forms (the npm package `lforms`, pinned in tests/browser/package.json and
//! package-lock.json, installed by `npm ci` in tests/browser as .ci/run does) in headless
//! Chromium, answers are clicked, and the QuestionnaireResponse LHC-Forms makes of them is
//! flattened and scored by screenscore.
//!
//! Nothing leaves the machine: the page (tests/browser/roundtrip.html), the Questionnaire, the
//! answers and the package are served from this test's thread on 127.0.0.1 (LHC-Forms' scripts
//! are JavaScript modules, which Chromium does not run from `file://`).

use std::path::PathBuf;

use serde_json::{Value, json};

use crate::browser::{chromium, dump_dom_at};
use crate::serve::Server;
use crate::support::{cell, read, root, screenscore, temp_dir};

/// The pinned package's built files (`dist/lforms`, as its README says).
fn lforms_dist() -> PathBuf {
    let dist = root().join("tests/browser/node_modules/lforms/dist/lforms");
    assert!(
        dist.join("webcomponent/main.js").is_file(),
        "{} is missing: run `npm ci` in tests/browser (as .ci/run does)",
        dist.display()
    );
    dist
}

/// The text of `<pre id="{id}">` in a DOM dump, unescaped.
fn pre(dom: &str, id: &str) -> String {
    let open = format!("<pre id=\"{id}\">");
    let start = dom.find(&open).map(|i| i + open.len()).unwrap_or(dom.len());
    let end = dom[start..].find("</pre>").map_or(dom.len(), |i| start + i);
    dom[start..end]
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[test]
#[ignore = "needs chromium and the lforms npm package (tests/browser: npm ci); .ci/run installs both"]
fn phq9_round_trip_through_lhc_forms() {
    let dist = lforms_dist();
    let browser = chromium();
    let dir = temp_dir("lforms-phq9");
    let q_path = dir.join("q.json");
    let run = screenscore(
        &[
            "fhir",
            "questionnaire",
            "phq9",
            "-o",
            q_path.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let q: Value = serde_json::from_str(&read(&q_path)).unwrap();

    // What is filled in: the option of each of the ten items, by its place in the item's
    // answers (the value, for PHQ-9: 0 to 3). Items 1-9 are the total; item 10 is not scored.
    let chosen: [usize; 10] = [0, 1, 2, 3, 0, 1, 2, 3, 1, 2];
    let total = 1 + 2 + 3 + 1 + 2 + 3 + 1; // items 1-9: 0+1+2+3+0+1+2+3+1 = 13
    assert_eq!(total, chosen[..9].iter().sum::<usize>());
    let items = q["item"].as_array().unwrap();
    assert_eq!(items.len(), 10);
    let answers: Vec<Value> = items
        .iter()
        .zip(chosen)
        .map(|(item, i)| {
            let coding = &item["answerOption"][i]["valueCoding"];
            json!({"linkId": item["linkId"], "system": coding["system"], "code": coding["code"]})
        })
        .collect();
    std::fs::write(
        dir.join("answers.json"),
        Value::from(answers.clone()).to_string(),
    )
    .unwrap();
    std::fs::copy(
        root().join("tests/browser/roundtrip.html"),
        dir.join("index.html"),
    )
    .unwrap();

    let server = Server::start(vec![
        ("/lforms/".to_string(), dist),
        ("/".to_string(), dir.to_path_buf()),
    ]);
    let profile = dir.join("profile");
    // Virtual time runs the page's timers without waiting and stops the dump only when the
    // budget is spent (network waits do not count against it).
    let dom = dump_dom_at(
        &browser,
        &server.url("/index.html"),
        &profile,
        &["--virtual-time-budget=60000"],
    );
    drop(server);
    let error = pre(&dom, "error");
    assert!(error.is_empty(), "the page failed: {error}");
    let qr_text = pre(&dom, "qr");
    assert!(!qr_text.is_empty(), "no QuestionnaireResponse in the page");
    let qr_path = dir.join("qr.json");
    std::fs::write(&qr_path, &qr_text).unwrap();
    let qr: Value = serde_json::from_str(&qr_text).unwrap();

    // (a) The response holds the answers clicked, each with the weight LHC-Forms read from the
    // Questionnaire (it writes it back as ordinalValue on the coding).
    assert_eq!(qr["resourceType"], "QuestionnaireResponse");
    assert_eq!(
        qr["questionnaire"],
        "urn:screenscore:questionnaire:phq9|1.0.0"
    );
    let answered = qr["item"].as_array().unwrap();
    assert_eq!(answered.len(), 10);
    for ((item, filled), value) in answered.iter().zip(&answers).zip(chosen) {
        assert_eq!(item["linkId"], filled["linkId"]);
        let coding = &item["answer"][0]["valueCoding"];
        assert_eq!(coding["system"], filled["system"], "{}", item["linkId"]);
        assert_eq!(coding["code"], filled["code"], "{}", item["linkId"]);
        let weight = coding["extension"]
            .as_array()
            .and_then(|e| e.iter().find_map(|e| e["valueDecimal"].as_f64()));
        assert_eq!(weight, Some(value as f64), "{}", item["linkId"]);
    }

    // (b) `fhir flatten` gives the values filled, item by item.
    let qr_arg = qr_path.to_str().unwrap();
    let flat = screenscore(&["fhir", "flatten", "-i", "phq9", qr_arg], b"");
    assert_eq!(flat.code, 0, "{}", flat.transcript());
    for (n, value) in (1..=10).zip(chosen) {
        assert_eq!(
            cell(&flat.stdout, 0, &format!("phq9_{n}")),
            value.to_string(),
            "item {n}"
        );
    }

    // (c) The total is the sum filled: by `fhir score --out-format csv`, or, where that is
    // not built, by `fhir flatten` into `score`.
    let scored = screenscore(
        &["fhir", "score", "-i", "phq9", qr_arg, "--out-format", "csv"],
        b"",
    );
    let scores = if scored.stderr.contains("not built yet") {
        screenscore(&["score", "-i", "phq9"], flat.stdout.as_bytes())
    } else {
        scored
    };
    assert_eq!(scores.code, 0, "{}", scores.transcript());
    assert_eq!(cell(&scores.stdout, 0, "phq9_total"), total.to_string());
    assert_eq!(cell(&scores.stdout, 0, "phq9_total_band"), "moderate");
}
