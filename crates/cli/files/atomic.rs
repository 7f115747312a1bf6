//! Output files written whole or not at all, only where asked, never readable by more people
//! than before.
//!
//! A regular file is written to a temporary file in the destination's directory, created
//! exclusively (`O_EXCL`) under an unpredictable name (`.NAME.XXXXXXXX.tmp`, by the tempfile
//! crate), so a link planted at a predictable name is never followed; it is renamed into place
//! when complete. A file it replaces keeps its mode, and where permitted its owner and group; a
//! new file gets the mode the umask gives. A destination that exists and is not a regular file
//! (`/dev/null`, a named pipe) is written directly: renaming over it would replace the device
//! or pipe with a file.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use super::cleanup;
use super::identity::{FileId, RunFiles};
use crate::Failure;

/// A file written beside its destination and renamed into place by [`AtomicFile::commit`].
/// Dropped without commit, the temporary file is removed, so a failed run leaves the
/// destination as it was.
pub struct AtomicFile {
    dest: PathBuf,
    target: Target,
    /// The run's inputs, checked again just before the destination is replaced.
    inputs: Vec<(FileId, String)>,
}

enum Target {
    /// A device or pipe, written directly.
    Direct(BufWriter<File>),
    /// A temporary file, and what is known of the file it will replace.
    Temporary {
        file: BufWriter<NamedTempFile>,
        replaces: Option<Replaced>,
    },
    Done,
}

/// What a replaced file keeps: its mode, owner and group.
#[derive(Debug, Clone, Copy)]
struct Replaced {
    mode: u32,
    uid: u32,
    gid: u32,
}

impl Replaced {
    #[cfg(unix)]
    fn of(meta: &std::fs::Metadata) -> Replaced {
        use std::os::unix::fs::MetadataExt;
        Replaced {
            mode: meta.mode() & 0o777,
            uid: meta.uid(),
            gid: meta.gid(),
        }
    }

    #[cfg(not(unix))]
    fn of(_: &std::fs::Metadata) -> Replaced {
        Replaced {
            mode: 0o666,
            uid: 0,
            gid: 0,
        }
    }
}

impl AtomicFile {
    /// Start writing `dest`, which `files` has already accepted as an output.
    pub fn create(dest: &Path, files: &RunFiles) -> Result<AtomicFile, Failure> {
        let fail = |e: io::Error| Failure(format!("cannot create {}: {e}", dest.display()));
        let meta = std::fs::metadata(dest).ok();
        if let Some(meta) = meta.as_ref().filter(|m| !m.file_type().is_file()) {
            if meta.is_dir() {
                return Err(Failure(format!(
                    "cannot create {}: it is a directory",
                    dest.display()
                )));
            }
            let file = File::options().write(true).open(dest).map_err(fail)?;
            return Ok(AtomicFile {
                dest: dest.to_path_buf(),
                target: Target::Direct(BufWriter::with_capacity(1 << 16, file)),
                inputs: files.inputs(),
            });
        }
        let name = dest
            .file_name()
            .ok_or_else(|| Failure(format!("{} is not a file name", dest.display())))?;
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let replaces = meta.as_ref().map(Replaced::of);
        let prefix = format!(".{}.", name.to_string_lossy());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp").rand_bytes(10);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // The mode the replaced file has, or a new file's 0666: the umask applies, as to
            // any file the user creates (the replaced file's exact mode is set on commit).
            let mode = replaces.map_or(0o666, |r| r.mode);
            builder.permissions(std::fs::Permissions::from_mode(mode));
        }
        let temp =
            cleanup::create(|| builder.tempfile_in(dir), NamedTempFile::path).map_err(fail)?;
        Ok(AtomicFile {
            dest: dest.to_path_buf(),
            target: Target::Temporary {
                file: BufWriter::with_capacity(1 << 16, temp),
                replaces,
            },
            inputs: files.inputs(),
        })
    }

    /// Write everything out; rename a temporary file into place.
    pub fn commit(mut self) -> Result<(), Failure> {
        let dest = self.dest.clone();
        let fail = |e: io::Error| Failure(format!("cannot write {}: {e}", dest.display()));
        match std::mem::replace(&mut self.target, Target::Done) {
            Target::Done => Ok(()),
            Target::Direct(mut file) => file.flush().map_err(fail),
            Target::Temporary { file, replaces } => {
                let temp = file.into_inner().map_err(|e| fail(e.into_error()))?;
                let path = temp.path().to_path_buf();
                let result = finish(&temp, replaces)
                    .map_err(fail)
                    .and_then(|()| self.check_destination())
                    .and_then(|()| {
                        temp.persist(&self.dest)
                            .map(drop)
                            .map_err(|e| fail(e.error))
                    });
                cleanup::forget(&path);
                result
            }
        }
    }

    /// The destination is still none of the run's inputs (it may have changed since the run
    /// started, or been named in another spelling on a file system that ignores case).
    fn check_destination(&self) -> Result<(), Failure> {
        let Some(id @ FileId::Existing(_)) = FileId::of(&self.dest) else {
            return Ok(());
        };
        match self.inputs.iter().find(|(input, _)| *input == id) {
            Some((_, what)) => Err(Failure(format!(
                "{} is now {what}; screenscore never writes over what it reads",
                self.dest.display()
            ))),
            None => Ok(()),
        }
    }

    fn writer(&mut self) -> io::Result<&mut dyn Write> {
        match &mut self.target {
            Target::Direct(file) => Ok(file),
            Target::Temporary { file, .. } => Ok(file),
            Target::Done => Err(io::Error::other("file already committed")),
        }
    }
}

/// Make the temporary file durable, with the owner, group and mode of the file it replaces.
fn finish(temp: &NamedTempFile, replaces: Option<Replaced>) -> io::Result<()> {
    let file = temp.as_file();
    file.sync_all()?;
    #[cfg(unix)]
    if let Some(old) = replaces {
        use std::os::unix::fs::PermissionsExt;
        // Owner and group where permitted (the owner only by root); the mode after, as
        // changing the owner may clear some mode bits.
        if std::os::unix::fs::fchown(file, Some(old.uid), Some(old.gid)).is_err() {
            let _ = std::os::unix::fs::fchown(file, None, Some(old.gid));
        }
        file.set_permissions(std::fs::Permissions::from_mode(old.mode))?;
    }
    #[cfg(not(unix))]
    let _ = replaces;
    Ok(())
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl Drop for AtomicFile {
    /// Unfinished, the temporary file is removed (what is buffered is not written).
    fn drop(&mut self) {
        if let Target::Temporary { file, .. } = std::mem::replace(&mut self.target, Target::Done) {
            let (temp, _) = file.into_parts();
            let path = temp.path().to_path_buf();
            let _ = temp.close();
            cleanup::forget(&path);
        }
    }
}
