//! `screenscore stats` and `screenscore norms` refuse instruments whose pairwise moments would
//! not fit, before reading any row, with the limit in the message (exit 2).

use crate::support::{screenscore, temp_dir};

/// A definition of `items` items answered 0–4, all in one scale `total`, written to a file.
fn definition(dir: &std::path::Path, items: usize) -> String {
    let source = r#"{"ref": "test", "evidence": "policy"}"#;
    let ids: Vec<String> = (0..items).map(|i| format!("i{i}")).collect();
    let json = format!(
        r#"{{"id": "big", "name": "big", "measures": "a test", "version": "1",
            "status": "validated", "citation": "a test",
            "license": {{"name": "test", "terms": "test", "commercial_use": "allowed",
                         "source": {source}}},
            "response_sets": [{{"id": "r", "options": [{{"value": 0, "label": "0"}},
                                                      {{"value": 4, "label": "4"}}]}}],
            "items": [{}],
            "scales": [{{"id": "total", "label": "total", "items": [{}], "method": "sum",
                         "higher_is": "worse",
                         "missing": {{"max_missing": 0, "source": {source}}}}}]}}"#,
        ids.iter()
            .map(|i| format!(r#"{{"id": "{i}", "label": "{i}", "response_set": "r"}}"#))
            .collect::<Vec<_>>()
            .join(","),
        ids.iter()
            .map(|i| format!(r#""{i}""#))
            .collect::<Vec<_>>()
            .join(",")
    );
    let path = dir.join(format!("big-{items}.json"));
    std::fs::write(&path, json).unwrap();
    path.display().to_string()
}

/// 20,000 items would need 200 million cells (9.6 GB): refused at once.
#[test]
fn stats_refuses_a_scale_beyond_the_limit() {
    let dir = temp_dir("stats-limits");
    let path = definition(&dir, 20_000);
    let run = screenscore(&["stats", "-i", &path, "-"], b"big_i0,big_i1\n0,4\n4,0\n");
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: scale `total` of `big` has 20000 items; sample statistics handle at most 1000 items per scale (they keep a cell of pairwise moments for each pair of items: 200,010,000 cells for 20000 items, 500,500 for 1000)
    ");
}

/// Norms keep the same moments for alpha on the complete cases, and refuse the same way.
#[test]
fn norms_refuse_a_scale_beyond_the_limit() {
    let dir = temp_dir("norms-limits");
    let path = definition(&dir, 1001);
    let run = screenscore(&["norms", "-i", &path, "-"], b"");
    insta::assert_snapshot!(run.transcript(), @"
    exit: 2
    --- stderr
    error: scale `total` of `big` has 1001 items; sample statistics handle at most 1000 items per scale (they keep a cell of pairwise moments for each pair of items: 501,501 cells for 1001 items, 500,500 for 1000)
    ");
}
