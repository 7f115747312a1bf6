//! Progress on long runs, on standard error, only when it is a terminal (and `--quiet` is
//! off): rows and megabytes read, the rate and the time taken; for `report`, the clients
//! written. Otherwise nothing is drawn, nothing is counted and nothing is wrapped, so output
//! and messages are the same bytes as without it.
//!
//! indicatif draws the line (at most a few times a second, redrawn in place, cleared at the
//! end); [`crate::term::say`] prints messages above it while it is shown.

use std::io::{self, IsTerminal, Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{HumanCount, ProgressBar, ProgressState, ProgressStyle};
use screenscore::Instrument;
use screenscore::batch::{Layout, RowSink, ScoredRow};

use crate::term;

/// How often the line is redrawn even when no row arrives (while change over time reads the
/// input a first time, the rows reach no sink).
const TICK: Duration = Duration::from_millis(250);

/// Rows between two updates of the line's count.
const EVERY: u64 = 256;

/// Whether progress is shown in this run: standard error is a terminal and `--quiet` is off.
pub fn wanted() -> bool {
    !term::quiet() && io::stderr().is_terminal()
}

/// Whether a run writes its rows to standard output as it reads (`score` without `-o`), or
/// only at the end or into files: rows streaming to a terminal would be drawn over by the
/// progress line, so then there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writes {
    /// Rows go to standard output as they are scored.
    Streamed,
    /// Nothing reaches standard output while the input is read.
    AtEnd,
}

/// The progress of reading an input: a [`RowSink`] that counts rows, and the bytes read
/// through [`Reading::wrap`]. Inert when progress is not [`wanted`].
pub struct Reading {
    bar: Option<ProgressBar>,
    bytes: Arc<AtomicU64>,
    rows: u64,
}

impl Reading {
    /// Start showing progress, if [`wanted`] (and, for [`Writes::Streamed`], standard
    /// output is not a terminal); `twice` when change over time reads the input a first time
    /// before any row is written.
    pub fn start(twice: bool, writes: Writes) -> Reading {
        let bytes = Arc::new(AtomicU64::new(0));
        let shown = wanted() && (writes == Writes::AtEnd || !io::stdout().is_terminal());
        let bar = shown.then(|| {
            let read = Arc::clone(&bytes);
            let style = ProgressStyle::with_template(
                "{spinner} {elapsed_precise} {msg}{human_pos} rows, {mb} read, {rate}",
            )
            .expect("the template is valid")
            .with_key(
                "mb",
                move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let mb = read.load(Ordering::Relaxed) as f64 / 1e6;
                    let _ = write!(w, "{mb:.1} MB");
                },
            )
            .with_key(
                "rate",
                |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{} rows/s", HumanCount(state.per_sec() as u64));
                },
            );
            let bar = ProgressBar::new_spinner().with_style(style);
            if twice {
                bar.set_message("first reading (for change over time): ");
            }
            bar.enable_steady_tick(TICK);
            term::show_progress(bar.clone());
            bar
        });
        Reading {
            bar,
            bytes,
            rows: 0,
        }
    }

    /// `input`, counting the bytes read when progress is shown; else `input` itself.
    pub fn wrap<'a>(&self, input: Box<dyn Read + 'a>) -> Box<dyn Read + 'a> {
        match self.bar {
            Some(_) => Box::new(Counting::new(input, Arc::clone(&self.bytes))),
            None => input,
        }
    }

    /// As [`Reading::wrap`], for an input read twice.
    pub fn wrap_seekable<'a>(
        &self,
        input: Box<dyn crate::files::ReadSeek + 'a>,
    ) -> Box<dyn crate::files::ReadSeek + 'a> {
        match self.bar {
            Some(_) => Box::new(Counting::new(input, Arc::clone(&self.bytes))),
            None => input,
        }
    }

    /// Stop showing progress and clear its line (as dropping it does, on any path).
    pub fn finish(self) {}
}

impl Drop for Reading {
    fn drop(&mut self) {
        clear(self.bar.take());
    }
}

/// Stop showing `bar`, if any, and clear its line.
fn clear(bar: Option<ProgressBar>) {
    if let Some(bar) = bar {
        term::hide_progress();
        bar.finish_and_clear();
    }
}

impl RowSink for Reading {
    fn begin(&mut self, _: &Layout, _: &[Instrument]) -> io::Result<()> {
        if let Some(bar) = &self.bar {
            bar.set_message("");
        }
        Ok(())
    }

    fn row(&mut self, _: &ScoredRow<'_>) -> io::Result<()> {
        self.rows += 1;
        if self.rows.is_multiple_of(EVERY)
            && let Some(bar) = &self.bar
        {
            bar.set_position(self.rows);
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if let Some(bar) = &self.bar {
            bar.set_position(self.rows);
        }
        Ok(())
    }
}

/// The progress of writing one report per client; inert when progress is not [`wanted`].
pub struct Writing(Option<ProgressBar>);

impl Writing {
    /// Start showing `clients` reports being written, if [`wanted`].
    pub fn start(clients: u64) -> Writing {
        Writing(wanted().then(|| {
            let style = ProgressStyle::with_template(
                "{spinner} {elapsed_precise} writing reports: {human_pos} of {human_len} clients",
            )
            .expect("the template is valid");
            let bar = ProgressBar::new(clients).with_style(style);
            bar.enable_steady_tick(TICK);
            term::show_progress(bar.clone());
            bar
        }))
    }

    /// One more report written.
    pub fn written(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// Stop showing progress and clear its line (as dropping it does, on any path).
    pub fn finish(self) {}
}

impl Drop for Writing {
    fn drop(&mut self) {
        clear(self.0.take());
    }
}

/// A reader that adds the bytes it reads to a shared count (set back on a seek).
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R> Counting<R> {
    fn new(inner: R, count: Arc<AtomicU64>) -> Counting<R> {
        Counting { inner, count }
    }
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let at = self.inner.seek(to)?;
        self.count.store(at, Ordering::Relaxed);
        Ok(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_reads_add_up_and_a_rewind_sets_the_count_back() {
        let count = Arc::new(AtomicU64::new(0));
        let mut reader = Counting::new(io::Cursor::new(vec![7u8; 1000]), Arc::clone(&count));
        let mut buf = [0u8; 300];
        reader.read_exact(&mut buf).unwrap();
        reader.read_exact(&mut buf).unwrap();
        assert_eq!(count.load(Ordering::Relaxed), 600);
        reader.rewind().unwrap();
        assert_eq!(count.load(Ordering::Relaxed), 0);
        assert_eq!(io::copy(&mut reader, &mut io::sink()).unwrap(), 1000);
        assert_eq!(count.load(Ordering::Relaxed), 1000);
    }
}
