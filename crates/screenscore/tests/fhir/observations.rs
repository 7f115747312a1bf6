//! ObservationWriter: US Core's PHQ-9 example answers as Observations (NDJSON, both Bundle
//! kinds, scales and items; snapshots), the PCO PROM score profile's required elements on
//! every score Observation of a varied input, the panel's shape against US Core's example
//! (tests/data/fhir/obs-uscore-phq9-*.json, CC0), determinism, statuses, uncoded scales, and
//! administrations that write nothing.

use screenscore::Instrument;
use screenscore::batch::Batch;
use screenscore::fhir::{
    BundleKind, ObservationCounts, ObservationFormat, ObservationOptions, ObservationWriter,
    PROM_SCORE_PROFILE,
};
use serde_json::Value;

use crate::data;

const HEADER: &str = "qr_id,subject,authored,encounter,author,qr_status";
/// US Core's QuestionnaireResponse-phq-9-example: its id, subject, authored, author, status
/// and answers (2,2,2,2,1,1,2,0,0; difficulty: somewhat difficult, option 1).
const EXAMPLE: &str = "phq-9-example,Patient/example,2022-11-29T20:50:32.718Z,Encounter/e1,\
                       Practitioner/practitioner-1,completed,2,2,2,2,1,1,2,0,0,1";

/// What a run wrote: the text, the counts, the scales without a code.
struct Written {
    counts: ObservationCounts,
    uncoded: Vec<String>,
}

/// The Observations written for `csv` (rows after the pass-through columns and the items of
/// `instrument`), and what the writer counted.
fn write(instrument: &str, csv: &str, options: ObservationOptions) -> (String, Written) {
    let instrument = Instrument::builtin(instrument).unwrap().clone();
    let items = instrument.definition().items.len();
    let id = instrument.id().to_owned();
    let batch = Batch::builder().instrument(instrument).build().unwrap();
    let columns: Vec<String> = (1..=items).map(|i| format!("{id}_{i}")).collect();
    let input = format!("{HEADER},{}\n{csv}", columns.join(","));
    let mut writer = ObservationWriter::new(Vec::new(), options);
    batch.run(input.as_bytes(), &mut [&mut writer]).unwrap();
    let written = Written {
        counts: writer.counts().clone(),
        uncoded: writer.uncoded_scales().to_vec(),
    };
    assert_eq!(
        writer.written(),
        written.counts.scores + written.counts.items + written.counts.panels
    );
    (String::from_utf8(writer.into_inner()).unwrap(), written)
}

fn options(format: ObservationFormat, items: bool) -> ObservationOptions {
    ObservationOptions {
        format,
        items,
        ..ObservationOptions::default()
    }
}

/// Every Observation in NDJSON or a Bundle's text.
fn observations(text: &str) -> Vec<Value> {
    if text.starts_with(r#"{"resourceType":"Bundle""#) {
        let bundle: Value = serde_json::from_str(text).unwrap();
        let entries = bundle["entry"].as_array().cloned().unwrap_or_default();
        entries.into_iter().map(|e| e["resource"].clone()).collect()
    } else {
        text.lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
}

#[test]
fn the_us_core_phq9_example_as_ndjson() {
    let flagged = "flagged,Patient/p2,2024-05-01,,,amended,3,3,3,3,3,3,3,3,2,";
    let csv = format!("{EXAMPLE}\n{flagged}\n");
    let (text, w) = write("phq9", &csv, ObservationOptions::default());
    let obs = observations(&text);
    assert_eq!(obs.len(), 2);
    assert_eq!(obs[0]["valueQuantity"]["value"], 12);
    assert_eq!(obs[0]["interpretation"][0]["text"], "moderate");
    assert_eq!(w.counts.scores, 2);
    insta::assert_snapshot!("phq9_ndjson", text);
}

#[test]
fn the_us_core_phq9_example_in_a_collection_and_a_transaction() {
    let csv = format!("{EXAMPLE}\n");
    let (collection, _) = write(
        "phq9",
        &csv,
        options(ObservationFormat::Bundle(BundleKind::Collection), false),
    );
    insta::assert_snapshot!("phq9_collection", collection);
    let (transaction, _) = write(
        "phq9",
        &csv,
        options(ObservationFormat::Bundle(BundleKind::Transaction), false),
    );
    insta::assert_snapshot!("phq9_transaction", transaction);
    let bundle: Value = serde_json::from_str(&transaction).unwrap();
    let entry = &bundle["entry"][0];
    assert_eq!(
        entry["fullUrl"],
        entry["resource"]["identifier"][0]["value"]
    );
    assert!(entry["fullUrl"].as_str().unwrap().starts_with("urn:uuid:"));
    assert_eq!(entry["request"]["method"], "POST");
    // An empty Bundle has no `entry` (FHIR forbids empty arrays).
    let (empty, _) = write(
        "phq9",
        "",
        options(ObservationFormat::Bundle(BundleKind::Collection), false),
    );
    assert_eq!(
        empty,
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}\n"
    );
}

#[test]
fn scales_and_items_follow_us_cores_panel() {
    let csv = format!("{EXAMPLE}\n");
    let (text, _) = write("phq9", &csv, options(ObservationFormat::Ndjson, true));
    insta::assert_snapshot!("phq9_items_ndjson", text);
    let obs = observations(&text);
    // The panel, ten items (the difficulty question included), the total.
    assert_eq!(obs.len(), 12);
    let ours = &obs[0];
    let theirs: Value = serde_json::from_str(&data("obs-uscore-phq9-panel.json")).unwrap();
    for element in [
        "status",
        "subject",
        "effectiveDateTime",
        "performer",
        "derivedFrom",
    ] {
        assert!(ours.get(element).is_some(), "{element}");
    }
    for element in ["status", "subject", "performer", "derivedFrom"] {
        assert_eq!(ours[element], theirs[element], "{element}");
    }
    assert_eq!(ours["code"]["coding"], theirs["code"]["coding"]);
    assert_eq!(ours["category"][0], theirs["category"][0]);
    assert!(ours.get("valueQuantity").is_none() && ours.get("valueCodeableConcept").is_none());
    // As many members: US Core's nine questions, difficulty and total.
    let members = ours["hasMember"].as_array().unwrap();
    assert_eq!(members.len(), theirs["hasMember"].as_array().unwrap().len());
    let ids: Vec<String> = obs[1..]
        .iter()
        .map(|o| format!("Observation/{}", o["id"].as_str().unwrap()))
        .collect();
    let refs: Vec<&str> = members
        .iter()
        .map(|m| m["reference"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ids);
    // An item as US Core writes it: the question's code, the answer's LOINC code.
    let item: Value = serde_json::from_str(&data("obs-uscore-phq9-item.json")).unwrap();
    let first = &obs[1];
    assert_eq!(
        first["code"]["coding"][0]["code"],
        item["code"]["coding"][0]["code"]
    );
    for key in ["system", "code"] {
        assert_eq!(
            first["valueCodeableConcept"]["coding"][0][key],
            item["valueCodeableConcept"]["coding"][0][key]
        );
    }
    assert_eq!(
        first["valueCodeableConcept"]["text"],
        item["valueCodeableConcept"]["text"]
    );
    // In a Bundle, members are the entries' fullUrls.
    let (bundle, _) = write(
        "phq9",
        &csv,
        options(ObservationFormat::Bundle(BundleKind::Collection), true),
    );
    let bundle: Value = serde_json::from_str(&bundle).unwrap();
    let entries = bundle["entry"].as_array().unwrap();
    let urls: Vec<&Value> = entries[1..].iter().map(|e| &e["fullUrl"]).collect();
    let members: Vec<&Value> = entries[0]["resource"]["hasMember"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["reference"])
        .collect();
    assert_eq!(members, urls);
}

/// The elements the PROM score profile requires (min ≥ 1 in the profile or its parent):
/// PCO `input/fsh/PROMProfiles.fsh` (github.com/HL7/pco-ig at 3213629: `effective[x] 1..1`,
/// `value[x] 1..1`, `value[x] only Quantity`), US Core 6.1.0
/// `input/resources/StructureDefinition-us-core-observation-screening-assessment.json`
/// (`category 1..*` with slice `survey` 1..1, `subject 1..1`, us-core-1, us-core-3), and R4's
/// Observation (`status 1..1`, `code 1..1`).
fn check_prom_score(obs: &Value) -> Result<(), String> {
    let has = |cond: bool, what: &str| {
        if cond {
            Ok(())
        } else {
            Err(format!("{what}: {obs}"))
        }
    };
    has(obs["resourceType"] == "Observation", "resourceType")?;
    has(
        obs["meta"]["profile"][0] == PROM_SCORE_PROFILE,
        "meta.profile",
    )?;
    has(obs["status"] == "final", "status")?;
    let survey = obs["category"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            c["coding"].as_array().into_iter().flatten().any(|c| {
                c["system"] == "http://terminology.hl7.org/CodeSystem/observation-category"
                    && c["code"] == "survey"
            })
        });
    has(survey.count() == 1, "category:survey 1..1")?;
    let code = &obs["code"];
    has(
        code["coding"].as_array().is_some_and(|c| !c.is_empty()) || code["text"].is_string(),
        "code",
    )?;
    has(obs["subject"]["reference"].is_string(), "subject 1..1")?;
    let effective = obs["effectiveDateTime"].as_str().unwrap_or_default();
    has(effective.len() >= 10, "effective[x] 1..1, us-core-1")?;
    has(
        obs["valueQuantity"]["value"].is_number(),
        "value[x] 1..1 Quantity",
    )?;
    has(
        obs["valueQuantity"]["system"] == "http://unitsofmeasure.org",
        "us-core-3",
    )?;
    let other_values = obs
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("value") && *k != "valueQuantity");
    has(other_values.count() == 0, "value[x] only Quantity")
}

#[test]
fn every_score_observation_meets_the_prom_score_profile_or_does_not_claim_it() {
    let varied = [
        ("phq9", format!("{EXAMPLE}\nq2,Patient/b,2024-01-02,,,completed,3,3,3,3,3,3,3,3,1,3\nq3,,2024-01-02,,,completed,0,0,0,0,0,0,0,0,0,0\nq4,Patient/c,2024,,,completed,1,1,1,1,1,1,1,1,1,\n")),
        ("k10", "k1,Patient/a,2024-02-03T10:00:00+10:00,,,completed,1,2,3,4,5,,1,2,3,4\nk2,Patient/a,03/02/2024,,,completed,5,5,5,5,5,5,5,5,5,5\n".to_owned()),
        ("cffs", "c1,Patient/a,2024-02-03,,Patient/a,amended,1,2,3,4,5,1,2,3,4,5,1,2,3,4,5,1,2,3,4,5\n".to_owned()),
        ("who5", "w1,urn:uuid:3f1c,2024-02-03,,,completed,5,4,3,2,1\n".to_owned()),
    ];
    let (mut claimed, mut unclaimed) = (0, 0);
    for (instrument, csv) in &varied {
        for format in [
            ObservationFormat::Ndjson,
            ObservationFormat::Bundle(BundleKind::Transaction),
        ] {
            let (text, w) = write(instrument, csv, options(format, false));
            let obs = observations(&text);
            assert!(!obs.is_empty(), "{instrument}");
            for o in &obs {
                if o.get("meta").is_some() {
                    check_prom_score(o).unwrap();
                    claimed += 1;
                } else {
                    // Written without the claim: no subject, or no date of a full day.
                    let effective = o["effectiveDateTime"].as_str().unwrap_or_default();
                    assert!(o.get("subject").is_none() || effective.len() < 10, "{o}");
                    assert!(check_prom_score(o).is_err());
                    unclaimed += 1;
                }
            }
            assert_eq!(
                w.counts.without_profile as usize,
                obs.iter().filter(|o| o.get("meta").is_none()).count()
            );
        }
    }
    assert!(claimed >= 10 && unclaimed >= 4, "{claimed} {unclaimed}");
    // K10: the prorated total says so; the unreadable date is counted and left out.
    let (text, w) = write("k10", &varied[1].1, ObservationOptions::default());
    assert!(text.contains("total prorated from 9 of 10 items"), "{text}");
    assert_eq!(w.counts.unreadable_dates, 1);
    // PHQ-9 item 9 raised: the critical flag is noted with its id and words.
    let (text, _) = write("phq9", &varied[0].1, ObservationOptions::default());
    assert!(
        text.contains("Critical flag item9_positive: Thoughts of death"),
        "{text}"
    );
    // CFFS: the instrument's status notice.
    let (text, _) = write("cffs", &varied[2].1, ObservationOptions::default());
    let notice = Instrument::builtin("cffs")
        .unwrap()
        .status_notice()
        .unwrap();
    assert_eq!(
        observations(&text)
            .iter()
            .filter(|o| o.to_string().contains(&notice))
            .count(),
        5
    );
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let csv = format!("{EXAMPLE}\nq2,Patient/b,2024-01-02,,,completed,3,3,3,3,3,3,3,3,1,3\n");
    for format in [
        ObservationFormat::Ndjson,
        ObservationFormat::Bundle(BundleKind::Collection),
        ObservationFormat::Bundle(BundleKind::Transaction),
    ] {
        for items in [false, true] {
            let (first, _) = write("phq9", &csv, options(format, items));
            let (second, _) = write("phq9", &csv, options(format, items));
            assert_eq!(first, second);
            assert!(!first.is_empty());
        }
    }
}

#[test]
fn responses_of_other_statuses_are_skipped_and_counted() {
    let csv = format!(
        "{EXAMPLE}\nq2,Patient/b,2024-01-02,,,in-progress,3,3,3,3,3,3,3,3,1,3\nq3,Patient/b,2024-01-02,,,entered-in-error,3,3,3,3,3,3,3,3,1,3\n"
    );
    let (text, w) = write("phq9", &csv, ObservationOptions::default());
    assert_eq!(observations(&text).len(), 1);
    assert_eq!(w.counts.skipped_by_status, 2);
    let in_progress = ObservationOptions {
        statuses: vec!["in-progress".to_owned()],
        ..ObservationOptions::default()
    };
    let (text, w) = write("phq9", &csv, in_progress);
    assert_eq!(observations(&text)[0]["id"], "q2-phq9-total");
    assert_eq!(w.counts.skipped_by_status, 2);
}

#[test]
fn a_scale_without_a_code_gets_its_text() {
    let (text, w) = write(
        "who5",
        "w1,Patient/a,2024-02-03,,,completed,5,4,3,2,1\n",
        ObservationOptions::default(),
    );
    let obs = observations(&text);
    assert_eq!(obs.len(), 2);
    assert_eq!(
        obs[0]["code"],
        serde_json::json!({"text": "World Health Organization-Five Well-Being Index (WHO-5): Well-being, raw score (items 1-5, 0-25)"})
    );
    assert_eq!(w.counts.with_loinc, 0);
    assert_eq!(w.uncoded, ["who5: total", "who5: percent"]);
    assert!(!text.contains("LOINC"));
}

#[test]
fn invalid_and_absent_administrations_write_nothing() {
    let csv = "bad,Patient/a,2024-01-02,,,completed,9,0,0,0,0,0,0,0,0,0\nnone,Patient/a,2024-01-02,,,completed,,,,,,,,,,\nshort,Patient/a,2024-01-02,,,completed,1,1,1,1,1,1,1,1,,\n";
    for items in [false, true] {
        let (text, w) = write("phq9", csv, options(ObservationFormat::Ndjson, items));
        assert_eq!(text, "");
        assert_eq!(w.counts, ObservationCounts::default());
    }
}
