//! Temporary files are removed when the run is interrupted: on SIGINT (Ctrl-C), SIGTERM and
//! SIGHUP the program removes every temporary file it holds and exits with 128 + the signal's
//! number (130, 143, 129), so no partial patient data is left beside an output.
//!
//! Every temporary file is created and forgotten under one lock, which the signal's thread
//! takes before it removes them: a file is either known to it or not yet created.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The temporary files that exist now.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn temporary() -> MutexGuard<'static, Vec<PathBuf>> {
    // A thread that panicked while holding the lock left the list as it was: still usable.
    TEMPORARY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Create a temporary file with `create` and remember its path until [`forget`].
pub fn create<T>(
    create: impl FnOnce() -> io::Result<T>,
    path: impl Fn(&T) -> &Path,
) -> io::Result<T> {
    let mut files = temporary();
    let created = create()?;
    files.push(path(&created).to_path_buf());
    Ok(created)
}

/// The temporary file at `path` was renamed into place or removed.
pub fn forget(path: &Path) {
    temporary().retain(|p| p != path);
}

/// Watch for SIGINT, SIGTERM and SIGHUP on a thread of their own. Without that thread (it could
/// not be started), a signal ends the program as it would have anyway.
#[cfg(unix)]
pub fn on_signals_remove_temporary_files() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("screenscore-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let files = temporary();
                for file in files.iter() {
                    let _ = std::fs::remove_file(file);
                }
                let name = match signal {
                    SIGINT => "interrupted",
                    SIGTERM => "terminated",
                    _ => "hung up",
                };
                crate::term::say(format!(
                    "error: {name}; the files being written were removed (files already complete are kept)"
                ));
                // The lock is held until the process ends: no temporary file is created now.
                std::process::exit(128 + signal);
            }
        });
}

#[cfg(not(unix))]
pub fn on_signals_remove_temporary_files() {}
