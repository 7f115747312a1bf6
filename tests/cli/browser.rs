//! A real browser: headless Chromium renders the pages screenscore writes (reports, the
//! caseload summary), prints them to PDF, and gives back the DOM it parsed, whose outline is
//! snapshot-tested.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Chromium. The tests that need it are `#[ignore]`d, so that `cargo test` lists them as
/// ignored where no browser is installed; run with `--include-ignored` (as .ci/run does, after
/// installing chromium), a missing browser fails them.
pub fn chromium() -> PathBuf {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            let ok = Command::new(name)
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            ok.ok().filter(|s| s.success()).map(|_| PathBuf::from(name))
        });
    found.expect("no chromium, chromium-browser or google-chrome found: install one to run the browser tests")
}

/// Run headless chromium on a file with extra flags, within a minute.
pub fn render(browser: &Path, page: &Path, profile: &Path, flags: &[String]) {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(flags)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("chromium did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Pages of a PDF: its `/Type /Page` objects (not `/Pages`).
pub fn pdf_pages(pdf: &[u8]) -> usize {
    let mut count = 0;
    for pattern in [&b"/Type /Page"[..], b"/Type/Page"] {
        count += pdf
            .windows(pattern.len() + 1)
            .filter(|w| w.starts_with(pattern) && w[pattern.len()] != b's')
            .count();
    }
    count
}

/// The DOM Chromium parsed from `page` (`--dump-dom`), within a minute.
pub fn dump_dom(browser: &Path, page: &Path, profile: &Path) -> String {
    dump_dom_at(browser, &format!("file://{}", page.display()), profile, &[])
}

/// The DOM Chromium parsed from `url` (`--dump-dom`) with extra flags (a
/// `--virtual-time-budget` for a page that works after its load event), within a minute.
pub fn dump_dom_at(browser: &Path, url: &str, profile: &Path, flags: &[&str]) -> String {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(flags)
        .arg(url)
        .stderr(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium --dump-dom failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The outline of an HTML document: one line per structural element (`main`, `header`,
/// `section`, `footer`, headings, `table`, `svg`, `p` with a class), indented by nesting, with
/// its class and, for headings, its text; a table gives its body rows' classes (or count), an
/// SVG the count of its marks. Text, styles and attributes beyond the class are left out, so
/// the outline changes only when the structure does.
pub fn outline(html: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let close = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..close];
        rest = &rest[close.min(rest.len())..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let structural = matches!(
            name.as_str(),
            "main" | "header" | "section" | "footer" | "table" | "svg" | "h1" | "h2" | "h3"
        ) || (name == "p" && tag.contains("class="));
        if !structural {
            continue;
        }
        let container = !matches!(name.as_str(), "h1" | "h2" | "h3" | "p");
        if closing {
            if container {
                depth = depth.saturating_sub(1);
            }
            continue;
        }
        let class = tag
            .split("class=\"")
            .nth(1)
            .and_then(|c| c.split('"').next())
            .map(|c| format!(".{}", c.replace(' ', ".")))
            .unwrap_or_default();
        let body = &rest[1.min(rest.len())..];
        let detail = match name.as_str() {
            "h1" | "h2" | "h3" => {
                let end = body.find(&format!("</{name}>")).unwrap_or(0);
                let text = strip_tags(&body[..end]);
                format!(" {text:?}")
            }
            "table" => {
                let end = body.find("</table>").unwrap_or(body.len());
                let rows = body[..end].matches("<tr").count().saturating_sub(1);
                format!(" ({rows} rows)")
            }
            "svg" => {
                let end = body.find("</svg>").unwrap_or(body.len());
                let marks = body[..end].matches("<circle").count();
                format!(" ({marks} circles)")
            }
            _ => String::new(),
        };
        out.push_str(&format!("{}{name}{class}{detail}\n", "  ".repeat(depth)));
        if container {
            depth += 1;
        }
    }
    out
}

/// Text without its tags, spaces collapsed.
fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A copy of `page` with a script that writes, into a `pre#layout` element, the width of
/// `main` and, per table, its class, its width and how many of its cells overflow; `print`: laid
/// out as it prints (its print rules applied on screen, its screen rules not). The report
/// itself has no script: only this copy, made by the test, has one.
pub fn with_layout_probe(page: &str, print: bool) -> String {
    let probe = "<script>\n\
        const main = document.querySelector('main').getBoundingClientRect().width;\n\
        const lines = [`main ${Math.floor(main)}`];\n\
        for (const t of document.querySelectorAll('table')) {\n\
          const over = [...t.querySelectorAll('td, th')].filter(c => c.scrollWidth > c.clientWidth + 1).length;\n\
          lines.push(`${t.className || 'table'} ${Math.ceil(t.getBoundingClientRect().width)} ${over}`);\n\
        }\n\
        const out = document.createElement('pre');\n\
        out.id = 'layout';\n\
        out.textContent = lines.join('\\n');\n\
        document.body.appendChild(out);\n\
        </script>";
    let page = if print {
        page.replace("@media print", "@media all")
            .replace("@media screen", "@media not all")
    } else {
        page.to_string()
    };
    page.replace("</body>", &format!("{probe}</body>"))
}

/// The probe's lines from a DOM dumped after [`with_layout_probe`]: `main WIDTH`, then `CLASS
/// WIDTH OVERFLOWING` per table.
pub fn layout_lines(dom: &str) -> Vec<String> {
    let start =
        dom.find("<pre id=\"layout\">").expect("the probe ran") + "<pre id=\"layout\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    dom[start..end].lines().map(str::to_string).collect()
}
