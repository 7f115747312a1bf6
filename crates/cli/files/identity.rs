//! Files told apart by what they are, not by how they are named: `out.csv`, `./out.csv` and a
//! link to it are one file. An output is refused when it is one of the run's inputs (the intake
//! file, the file behind standard input, a definition, a column map, a norms file) or another
//! of its outputs.

use std::ffi::OsString;
use std::path::Path;
#[cfg(not(unix))]
use std::path::PathBuf;

use crate::Failure;

/// One file on this machine, whatever path names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileId {
    /// A file that exists: its device and inode (on Unix), or its canonical path.
    Existing(Identity),
    /// A file not yet created: its directory and its name there.
    New(Identity, OsString),
}

/// What identifies an existing file or directory.
#[cfg(unix)]
pub type Identity = (u64, u64);
#[cfg(not(unix))]
pub type Identity = PathBuf;

#[cfg(unix)]
fn identity(meta: &std::fs::Metadata, _: &Path) -> Identity {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata, path: &Path) -> Identity {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

impl FileId {
    /// The file `path` names (following links); `None` when neither it nor its directory can be
    /// looked at.
    pub fn of(path: &Path) -> Option<FileId> {
        if let Ok(meta) = std::fs::metadata(path) {
            return Some(FileId::Existing(identity(&meta, path)));
        }
        let name = path.file_name()?.to_os_string();
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let meta = std::fs::metadata(dir).ok()?;
        Some(FileId::New(identity(&meta, dir), name))
    }

    /// The file behind standard input, when it is a regular file (`< intake.csv`).
    #[cfg(unix)]
    pub fn of_stdin() -> Option<FileId> {
        use std::os::fd::AsFd;
        let fd = std::io::stdin().as_fd().try_clone_to_owned().ok()?;
        let meta = std::fs::File::from(fd).metadata().ok()?;
        meta.is_file()
            .then(|| FileId::Existing(identity(&meta, Path::new("-"))))
    }

    #[cfg(not(unix))]
    pub fn of_stdin() -> Option<FileId> {
        None
    }
}

/// The files a run reads and writes, to keep its outputs off its inputs and off each other.
#[derive(Debug, Default)]
pub struct RunFiles {
    inputs: Vec<(FileId, String)>,
    outputs: Vec<(FileId, String)>,
}

impl RunFiles {
    pub fn new() -> RunFiles {
        RunFiles::default()
    }

    /// The run reads `path` (`what`: "the input file", "the definition", …).
    pub fn input(&mut self, path: &Path, what: &str) {
        if let Some(FileId::Existing(id)) = FileId::of(path) {
            self.inputs
                .push((FileId::Existing(id), format!("{what} {}", path.display())));
        }
    }

    /// The run reads standard input (`None` or `-` as the input path) or the file `path`.
    pub fn intake(&mut self, path: Option<&Path>) {
        match path {
            Some(p) if p != Path::new("-") => self.input(p, "the input file"),
            _ => {
                if let Some(id) = FileId::of_stdin() {
                    self.inputs
                        .push((id, "the file on standard input".to_string()));
                }
            }
        }
    }

    /// The run writes `path`, given as `flag`: refused when it is an input or an earlier output.
    pub fn output(&mut self, path: &Path, flag: &str) -> Result<(), Failure> {
        let Some(id) = self.not_input(path, flag)? else {
            return Ok(());
        };
        if let Some((_, other)) = self.outputs.iter().find(|(o, _)| *o == id) {
            let shown = path.display();
            return Err(Failure(format!(
                "{flag} {shown} is the same file as {other}; give each output a file of its own"
            )));
        }
        self.outputs
            .push((id, format!("{flag} {}", path.display())));
        Ok(())
    }

    /// Refuse `path` (given as `flag`) when it is one of the run's inputs; else its identity,
    /// when it can be told (when its directory cannot be looked at, creating the file will fail
    /// and say why).
    pub fn not_input(&self, path: &Path, flag: &str) -> Result<Option<FileId>, Failure> {
        let Some(id) = FileId::of(path) else {
            return Ok(None);
        };
        match self.inputs.iter().find(|(i, _)| *i == id) {
            Some((_, what)) => Err(Failure(format!(
                "{flag} {} is {what}; screenscore never writes over what it reads",
                path.display()
            ))),
            None => Ok(Some(id)),
        }
    }

    /// The inputs' identities, to check a destination again when it is written.
    pub fn inputs(&self) -> Vec<(FileId, String)> {
        self.inputs.clone()
    }
}
