//! What the command line writes for a person: messages on standard error, which never stop the
//! program, with control characters shown escaped; and the state of standard output.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use indicatif::ProgressBar;

/// Print one line on standard error. Control characters in it (other than line breaks and
/// tabs) are shown escaped, so a column name or label holding an escape sequence cannot retitle
/// or clear the terminal. A standard error that cannot be written (closed, full, a pipe nobody
/// reads) is ignored: diagnostics never stop a run.
pub fn say(line: impl Display) {
    let line = line.to_string();
    let write = || {
        let mut err = io::stderr().lock();
        let _ = err.write_all(escape_controls(&line).as_bytes());
        let _ = err.write_all(b"\n");
    };
    // A progress line being drawn is taken away while the message is written, then redrawn.
    let progress = PROGRESS.lock().ok().and_then(|p| p.clone());
    match progress {
        Some(bar) => bar.suspend(write),
        None => write(),
    }
}

/// The progress line shown on standard error, if any (`crate::progress`).
static PROGRESS: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Messages are written above `bar` until [`hide_progress`].
pub fn show_progress(bar: ProgressBar) {
    if let Ok(mut progress) = PROGRESS.lock() {
        *progress = Some(bar);
    }
}

/// No progress line is shown any more.
pub fn hide_progress() {
    if let Ok(mut progress) = PROGRESS.lock() {
        *progress = None;
    }
}

/// Set by `--quiet`: notices and the attention summary are not printed.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Silence what [`inform`] prints (`--quiet`).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `--quiet` was given.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Print a line that `--quiet` silences: a notice about an instrument, a note about a file
/// name, the attention summary. Warnings and errors go through [`say`] and are never silenced.
pub fn inform(line: impl Display) {
    if !quiet() {
        say(line);
    }
}

/// `text` with every control character but `\n` and `\t` escaped (`\u{1b}`, `\r`, `\0`), and
/// the invisible marks that reorder text shown right to left (U+202A–U+202E, U+2066–U+2069,
/// U+200E, U+200F, U+061C), which could make a message read other than it is.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    let bidi = |c: char| matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}');
    let shown = |c: char| (!c.is_control() || c == '\n' || c == '\t') && !bidi(c);
    if text.chars().all(shown) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if shown(c) {
            out.push(c);
        } else {
            out.extend(c.escape_debug());
        }
    }
    Cow::Owned(out)
}

/// Set when writing standard output failed because its reader went away (`| head -1`).
static STDOUT_BROKEN: AtomicBool = AtomicBool::new(false);

/// Whether standard output's reader went away: the run then ends quietly with exit 0, as
/// ripgrep does.
pub fn stdout_broken() -> bool {
    STDOUT_BROKEN.load(Ordering::Relaxed)
}

/// Standard output, buffered; a broken pipe is recorded (see [`stdout_broken`]).
pub struct Stdout(io::BufWriter<io::Stdout>);

impl Stdout {
    /// Standard output, after checking it is open.
    pub fn open() -> Result<Stdout, crate::Failure> {
        if stdout_closed() {
            return Err(crate::Failure::new(
                "standard output is closed (or is /dev/null opened for reading and writing), so the output would be lost; \
                 give -o FILE (or -o /dev/null to discard it)",
            ));
        }
        Ok(Stdout(io::BufWriter::with_capacity(1 << 16, io::stdout())))
    }

    fn note<T>(result: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &result
            && e.kind() == io::ErrorKind::BrokenPipe
        {
            STDOUT_BROKEN.store(true, Ordering::Relaxed);
        }
        result
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        Stdout::note(self.0.write(buf))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        Stdout::note(self.0.write_all(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        Stdout::note(self.0.flush())
    }
}

/// Whether standard output was closed when the program started (`screenscore … >&-`).
///
/// Before `main`, Rust's runtime reopens a closed standard stream on `/dev/null`, for reading
/// and writing, so that no file opened later takes its place; writes then vanish without an
/// error. A shell's `>/dev/null` opens it for writing only, so the two can be told apart.
#[cfg(unix)]
fn stdout_closed() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;

    let stdout = io::stdout();
    let Ok(fd) = stdout.as_fd().try_clone_to_owned() else {
        return true;
    };
    let (Ok(ours), Ok(null)) = (
        std::fs::File::from(fd).metadata(),
        std::fs::metadata("/dev/null"),
    ) else {
        return false;
    };
    let is_null = ours.dev() == null.dev() && ours.ino() == null.ino();
    is_null
        && rustix::fs::fcntl_getfl(stdout.as_fd())
            .is_ok_and(|flags| flags & rustix::fs::OFlags::RWMODE == rustix::fs::OFlags::RDWR)
}

#[cfg(not(unix))]
fn stdout_closed() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::escape_controls;

    #[test]
    fn control_characters_are_escaped_but_line_breaks_and_tabs_are_kept() {
        assert_eq!(escape_controls("plain"), "plain");
        assert_eq!(
            escape_controls("a\u{1b}]0;pwned\u{7}b\r\n\tc\u{9b}2J"),
            "a\\u{1b}]0;pwned\\u{7}b\\r\n\tc\\u{9b}2J"
        );
        assert_eq!(
            escape_controls("client \u{202e}fdp.exe"),
            "client \\u{202e}fdp.exe"
        );
    }
}
