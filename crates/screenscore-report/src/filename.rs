//! File names made from client ids: safe on every file system, never outside the output
//! directory, never hidden, and never the same for two clients.

/// A safe file stem for a client id: ASCII letters, digits, `-` and `_` kept; every other
/// character (path separators, dots, spaces, control characters, non-ASCII) becomes `_`; runs
/// of `_` collapse; at most 64 characters; names reserved on Windows get a `client-` prefix; an
/// id with nothing left becomes `client`.
///
/// ```
/// use screenscore_report::filename::safe_stem;
///
/// assert_eq!(safe_stem("C001"), "C001");
/// assert_eq!(safe_stem("../../etc/passwd"), "etc_passwd");
/// assert_eq!(safe_stem(".hidden"), "hidden");
/// assert_eq!(safe_stem("<script>alert(1)</script>"), "script_alert_1_script");
/// assert_eq!(safe_stem("CON"), "client-CON");
/// assert_eq!(safe_stem("lpt0"), "client-lpt0");
/// assert_eq!(safe_stem("..."), "client");
/// ```
pub fn safe_stem(client: &str) -> String {
    let mut stem = String::with_capacity(client.len());
    for c in client.chars() {
        let keep = c.is_ascii_alphanumeric() || c == '-' || c == '_';
        let c = if keep { c } else { '_' };
        if c == '_' && (stem.ends_with('_') || stem.is_empty()) {
            continue;
        }
        stem.push(c);
    }
    let mut stem: String = stem.trim_matches(['_', '-']).chars().take(64).collect();
    if stem.is_empty() {
        return "client".to_string();
    }
    // Device names on Windows, COM0 and LPT0 among them (Microsoft, "Naming Files, Paths, and
    // Namespaces").
    const RESERVED: [&str; 24] = [
        "CON", "PRN", "AUX", "NUL", "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
        "COM8", "COM9", "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
        "LPT9",
    ];
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(&stem)) {
        stem.insert_str(0, "client-");
    }
    stem
}

/// File names for `clients` (in the order given) with `extension`, and for each the note
/// naming the earlier client whose name it would have taken, when two ids map to the same name.
///
/// Names are compared case-insensitively (as on common file systems). The first client keeps
/// `stem.ext`; later ones get `stem-2.ext`, `stem-3.ext`, … in order, so the result depends only
/// on the ids and their order.
///
/// ```
/// use screenscore_report::filename::file_names;
///
/// let names = file_names(&["a/b", "a_b", "A_B", "c"], "html");
/// assert_eq!(names[0].0, "a_b.html");
/// assert_eq!(names[1].0, "a_b-2.html");
/// assert_eq!(names[2].0, "A_B-3.html");
/// assert_eq!(names[3], ("c.html".to_string(), None));
/// assert!(names[1].1.as_deref().unwrap().contains("a/b"));
/// ```
pub fn file_names(clients: &[&str], extension: &str) -> Vec<(String, Option<String>)> {
    let mut taken: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    // Per stem, the next number to try: linear in the clients however many share a stem.
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    clients
        .iter()
        .map(|&client| {
            let stem = safe_stem(client);
            let mut name = format!("{stem}.{extension}");
            let mut note = None;
            while let Some(&other) = taken.get(&name.to_lowercase()) {
                let n = next.entry(stem.to_lowercase()).or_insert(2);
                note.get_or_insert_with(|| {
                    format!("client ids {other:?} and {client:?} give the same file name; {client:?} is written as")
                });
                name = format!("{stem}-{n}.{extension}");
                *n += 1;
            }
            taken.insert(name.to_lowercase(), client);
            let note = note.map(|n| format!("{n} {name}"));
            (name, note)
        })
        .collect()
}
