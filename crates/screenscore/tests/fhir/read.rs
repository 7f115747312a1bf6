//! ResponseReader: the same responses from a single resource, a Bundle and NDJSON; skipped
//! types; every error, with its message; streaming.

use std::io::{self, Read};

use screenscore::fhir::{FhirError, Located, QuestionnaireResponse, ResponseReader};
use serde_json::{Value, json};

use crate::data;

/// The items read, and the types skipped with their counts.
type ReadAll = (Vec<Result<Located, FhirError>>, Vec<(String, u64)>);

fn read_all(text: &str) -> ReadAll {
    let mut reader = ResponseReader::new(text.as_bytes(), Some("in.json".into()));
    let items: Vec<_> = reader.by_ref().collect();
    let skipped = reader
        .skipped()
        .iter()
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    (items, skipped)
}

fn responses(items: Vec<Result<Located, FhirError>>) -> Vec<QuestionnaireResponse> {
    items.into_iter().map(|r| r.unwrap().response).collect()
}

/// The messages of the errors among `items`.
fn errors(items: &[Result<Located, FhirError>]) -> String {
    items
        .iter()
        .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn second_response() -> Value {
    json!({"resourceType": "QuestionnaireResponse", "id": "second", "status": "in-progress",
           "item": [{"linkId": "1", "answer": [{"valueInteger": 1}]}]})
}

#[test]
fn a_single_response_a_bundle_and_ndjson_give_the_same_responses() {
    let phq9: Value = serde_json::from_str(&data("qr-uscore-phq9.json")).unwrap();
    let single = data("qr-uscore-phq9.json");
    let (items, skipped) = read_all(&single);
    assert!(skipped.is_empty());
    assert_eq!(items[0].as_ref().unwrap().origin.line, 1);
    let from_single = responses(items);
    assert_eq!(from_single.len(), 1);

    let bundle = json!({"resourceType": "Bundle", "id": "b", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:a", "resource": phq9},
        {"fullUrl": "urn:uuid:p", "resource": {"resourceType": "Patient", "id": "example"}},
        {"resource": second_response()},
        {"request": {"method": "DELETE", "url": "Patient/1"}}
    ]});
    let pretty = serde_json::to_string_pretty(&bundle).unwrap();
    let (items, skipped) = read_all(&pretty);
    assert_eq!(skipped, [("Patient".to_string(), 1)]);
    let origins: Vec<_> = items
        .iter()
        .map(|r| {
            let o = &r.as_ref().unwrap().origin;
            (o.file.clone().unwrap(), o.line, o.entry, o.full_url.clone())
        })
        .collect();
    // Each entry's line is where its `{` is in the pretty-printed file.
    let lines: Vec<u64> = pretty
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "    {")
        .map(|(i, _)| i as u64 + 1)
        .collect();
    assert_eq!(
        origins,
        [
            (
                "in.json".to_string(),
                lines[0],
                Some(0),
                Some("urn:uuid:a".to_string())
            ),
            ("in.json".to_string(), lines[2], Some(2), None),
        ]
    );
    let from_bundle = responses(items);

    // The same Bundle on one line (minified): entries streamed just the same.
    let (items, _) = read_all(&serde_json::to_string(&bundle).unwrap());
    let from_minified = responses(items);

    let ndjson = format!(
        "{}\n{}\n\n  \n{}\n",
        serde_json::to_string(&phq9).unwrap(),
        json!({"resourceType": "Patient", "id": "example"}),
        second_response()
    );
    let (items, skipped) = read_all(&ndjson);
    assert_eq!(skipped, [("Patient".to_string(), 1)]);
    let lines: Vec<u64> = items
        .iter()
        .map(|r| r.as_ref().unwrap().origin.line)
        .collect();
    assert_eq!(lines, [1, 5]);
    let from_ndjson = responses(items);

    assert_eq!(from_bundle[0], from_single[0]);
    assert_eq!(from_bundle, from_minified);
    assert_eq!(from_bundle, from_ndjson);
    assert_eq!(from_bundle[1].id.as_deref(), Some("second"));
}

#[test]
fn a_response_whose_resource_type_comes_last_reads() {
    let text = r#"{"id": "x", "item": [{"linkId": "1"}], "status": "completed", "resourceType": "QuestionnaireResponse"}"#;
    let (items, _) = read_all(text);
    assert_eq!(responses(items)[0].id.as_deref(), Some("x"));
    // A byte-order mark and leading blank lines are skipped.
    let text = "\u{FEFF}\n\n{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"y\"}\n";
    let (items, _) = read_all(text);
    let located = items.into_iter().next().unwrap().unwrap();
    assert_eq!(
        (located.response.id.as_deref(), located.origin.line),
        (Some("y"), 3)
    );
    // Empty input: nothing.
    assert!(read_all("").0.is_empty());
    assert!(read_all(" \n").0.is_empty());
}

#[test]
fn whole_file_errors_end_the_input() {
    let cases = [
        "[1, 2]",
        "PK\u{3}\u{4}",
        r#"{"resourceType": "Patient", "id": "p"}"#,
        "{\n  \"resourceType\": \"QuestionnaireResponse\",\n  \"item\": [\n    {\"linkId\": \"1\",}\n  ]\n}",
        "{\n  \"resourceType\": \"QuestionnaireResponse\"\n  \"id\": \"a\"\n}",
        "{\"resourceType\": \"Bundle\", \"entry\": [{\"resource\": {}}]}\n{\"resourceType\": \"Bundle\"}",
        "{\"resourceType\": \"Bundle\",\n \"entry\": [{\"resource\": {\"resourceType\": \"QuestionnaireResponse\"}}, {\"resource\": {",
        "{\"resourceType\": 3}",
        "{\n\"id\": \"no type\"\n}",
    ];
    let mut out = String::new();
    for case in cases {
        let (items, _) = read_all(case);
        let last = items.last().unwrap().as_ref().unwrap_err();
        out.push_str(&format!("{last}\n"));
    }
    insta::assert_snapshot!(out, @r#"
    not FHIR JSON: the input starts with `[` (a JSON array), not `{`
    not FHIR JSON: the input starts with `P`, not `{`
    line 1: a Patient, not a QuestionnaireResponse or a Bundle
    line 4, column 20: malformed JSON: trailing comma
    line 3, column 3: malformed JSON: expected `,` or `}`
    line 2, column 1: content after the end of the Bundle
    line 2, column 82: malformed JSON: EOF while parsing an object
    line 1: not a valid QuestionnaireResponse: resourceType: not a string: 3
    line 1: no resourceType
    "#);
}

#[test]
fn bundle_entries_in_error_are_items_and_reading_goes_on() {
    // (json! sorts keys: `entry` comes before `resourceType`, which the reader allows.)
    let bundle = json!({"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": {"resourceType": "Bundle", "type": "collection"}},
        {"resource": {"id": "no type"}},
        {"resource": {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "1", "answer": [{"valueInteger": "two"}]}]}},
        {"resource": {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "1", "answer": [{"valueInteger": 1, "valueDecimal": 1.0}]}]}},
        "not an entry",
        12,
        {"resource": second_response()}
    ]});
    let (items, _) = read_all(&serde_json::to_string_pretty(&bundle).unwrap());
    insta::assert_snapshot!(errors(&items), @r#"
    line 3: entry 0 of the Bundle is a Bundle; nested Bundles are not read
    line 9 (entry 1): no resourceType
    line 14 (entry 2): not a valid QuestionnaireResponse: item[0].answer[0].valueInteger: invalid type: string "two", expected i64
    line 29 (entry 3): not a valid QuestionnaireResponse: item[0].answer[0]: an answer has both valueDecimal and valueInteger
    line 45 (entry 4): not an object: "not an entry"
    line 46 (entry 5): not an object: 12
    "#);
    let last = items.last().unwrap().as_ref().unwrap();
    assert_eq!(
        (last.origin.entry, last.response.id.as_deref()),
        (Some(6), Some("second"))
    );
}

#[test]
fn ndjson_lines_in_error_are_items_and_reading_goes_on() {
    let mut text = Vec::new();
    text.extend_from_slice(b"{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"a\"}\n");
    text.extend_from_slice(b"{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"b\",}\n");
    text.extend_from_slice(b"{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"\xFF\"}\n");
    text.extend_from_slice(b"{\"id\": \"no type\"}\n");
    text.extend_from_slice(b"{\"resourceType\": \"QuestionnaireResponse\", \"status\": 7}\n");
    text.extend_from_slice(b"{\"resourceType\": \"Bundle\", \"type\": \"collection\"}\n");
    text.extend_from_slice(b"{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"c\"}");
    let mut reader = ResponseReader::new(&text[..], None);
    let items: Vec<_> = reader.by_ref().collect();
    insta::assert_snapshot!(errors(&items), @r#"
    line 2, column 53: malformed JSON: trailing comma
    line 3: not UTF-8 text
    line 4: no resourceType
    line 5: not a valid QuestionnaireResponse: status: invalid type: integer `7`, expected a string
    "#);
    let ids: Vec<_> = items
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|l| (l.response.id.clone().unwrap(), l.origin.line))
        .collect();
    assert_eq!(ids, [("a".to_string(), 1), ("c".to_string(), 7)]);
    assert_eq!(reader.skipped().get("Bundle"), Some(&1));
}

#[test]
fn a_bad_first_ndjson_line_loses_only_itself() {
    let text = "{\"resourceType\": \"QuestionnaireResponse\", \"id\": }\n{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"b\"}\n";
    let (items, _) = read_all(text);
    insta::assert_snapshot!(errors(&items), @"line 1, column 49: malformed JSON: expected value");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].as_ref().unwrap().response.id.as_deref(), Some("b"));
}

/// Bytes: `head`, then `count` times `fill`, then `tail`, made as they are read.
struct Generated {
    head: Vec<u8>,
    fill: Vec<u8>,
    count: u64,
    tail: Vec<u8>,
    /// Where in the current piece (head: -1 … ).
    piece: u64,
    at: usize,
}

impl Generated {
    fn new(head: &str, fill: &str, count: u64, tail: &str) -> Generated {
        Generated {
            head: head.into(),
            fill: fill.into(),
            count,
            tail: tail.into(),
            piece: 0,
            at: 0,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        loop {
            let piece: &[u8] = if self.piece == 0 {
                &self.head
            } else if self.piece <= self.count {
                &self.fill
            } else if self.piece == self.count + 1 {
                &self.tail
            } else {
                return Ok(0);
            };
            if self.at < piece.len() {
                let n = (piece.len() - self.at).min(out.len());
                out[..n].copy_from_slice(&piece[self.at..self.at + n]);
                self.at += n;
                return Ok(n);
            }
            self.piece += 1;
            self.at = 0;
        }
    }
}

#[test]
fn a_line_over_the_limit_is_an_error_and_the_next_line_is_read() {
    // Line 2 is 40 MiB of one string, never held whole.
    let head = "{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"a\"}\n{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"";
    let tail = "\"}\n{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"c\"}\n";
    let input = Generated::new(head, &"x".repeat(1 << 20), 40, tail);
    let items: Vec<_> = ResponseReader::new(input, None).collect();
    insta::assert_snapshot!(errors(&items), @"line 2: longer than 16 MiB, skipped");
    let ids: Vec<_> = items
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|l| (l.response.id.clone().unwrap(), l.origin.line))
        .collect();
    assert_eq!(ids, [("a".to_string(), 1), ("c".to_string(), 3)]);
}

#[test]
fn a_first_line_over_the_limit_is_an_error_of_that_line() {
    let head = "{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"";
    let tail = "\"}\n{\"resourceType\": \"QuestionnaireResponse\", \"id\": \"b\"}\n";
    let input = Generated::new(head, &"x".repeat(1 << 20), 20, tail);
    let items: Vec<_> = ResponseReader::new(input, None).collect();
    insta::assert_snapshot!(errors(&items), @"line 1: longer than 16 MiB, skipped");
    assert_eq!(items.len(), 2);
    // In a pretty-printed file, a resource over the limit ends the input.
    let head = "{\n\"resourceType\": \"QuestionnaireResponse\",\n\"id\": \"";
    let input = Generated::new(head, &"x".repeat(1 << 20), 20, "\"\n}\n");
    let items: Vec<_> = ResponseReader::new(input, None).collect();
    insta::assert_snapshot!(errors(&items), @"line 1: a resource larger than 16 MiB");
}

#[test]
fn bundle_entries_are_yielded_before_the_end_is_read() {
    // A Bundle of a billion entries: the first ten are read without reading the rest.
    let entry = r#"{"resource": {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "1", "answer": [{"valueInteger": 1}]}]}},"#;
    let input = Generated::new(
        r#"{"resourceType": "Bundle", "type": "collection", "entry": ["#,
        entry,
        1_000_000_000,
        "]}",
    );
    let reader = ResponseReader::new(input, None);
    let first: Vec<_> = reader
        .take(10)
        .map(|r| r.unwrap().origin.entry.unwrap())
        .collect();
    assert_eq!(first, (0..10).collect::<Vec<_>>());
}

#[test]
fn a_response_of_100000_items_reads() {
    let mut text = String::from(r#"{"resourceType": "QuestionnaireResponse", "item": ["#);
    for i in 0..100_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"linkId": "{i}", "answer": [{{"valueInteger": {}}}]}}"#,
            i % 4
        ));
    }
    text.push_str("]}");
    let (items, _) = read_all(&text);
    let response = responses(items).remove(0);
    assert_eq!(response.item.len(), 100_000);
    assert_eq!(response.item[99_999].link_id, "99999");
}
