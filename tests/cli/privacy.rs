//! What SECURITY.md promises about patient data, checked: no network code in any crate of the
//! project, and no networking crate among its dependencies.

use crate::support::root;

/// Rust sources of the project (the crates and the command line), not the tests.
fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_source_file_opens_a_network_connection() {
    let mut files = Vec::new();
    sources(&root().join("crates"), &mut files);
    assert!(files.len() > 50, "{} source files", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for word in [
            "std::net",
            "TcpStream",
            "TcpListener",
            "UdpSocket",
            "ToSocketAddrs",
        ] {
            assert!(!text.contains(word), "{} mentions {word}", file.display());
        }
    }
}

#[test]
fn no_networking_crate_is_a_dependency() {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let packages: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert!(packages.contains(&"csv"), "{packages:?}");
    for network in [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "attohttpc",
        "h2",
        "tokio",
        "async-std",
        "mio",
        "socket2",
        "rustls",
        "native-tls",
        "openssl",
        "tungstenite",
        "sentry",
        "opentelemetry",
    ] {
        assert!(!packages.contains(&network), "{network} is in Cargo.lock");
    }
}
