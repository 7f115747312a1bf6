//! Files of the command line: resolving `-i` arguments, opening input, keeping outputs off
//! inputs, and writing output atomically.

mod atomic;
pub mod cleanup;
mod identity;

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use screenscore::Instrument;
use screenscore::batch::ColumnMap;
use screenscore::norms::LocalNorms;

use crate::Failure;
use crate::term::Stdout;

pub use atomic::AtomicFile;
pub use identity::RunFiles;

/// A built-in id, or else a path to a definition file (which the run then reads).
pub fn instrument(arg: &str, files: &mut RunFiles) -> Result<Instrument, Failure> {
    match Instrument::builtin(arg) {
        Ok(builtin) => Ok(builtin.clone()),
        Err(_) if Path::new(arg).exists() => {
            files.input(Path::new(arg), "the definition");
            Ok(Instrument::from_path(arg)?)
        }
        Err(e) => Err(Failure(format!(
            "{e} (or give the path of a definition file)"
        ))),
    }
}

/// A column map file (which the run then reads), with commas or the data's `delimiter`.
pub fn column_map(path: &Path, delimiter: u8, files: &mut RunFiles) -> Result<ColumnMap, Failure> {
    files.input(path, "the column map");
    ColumnMap::from_path_like_data(path, delimiter).map_err(|e| match e {
        e @ screenscore::batch::BatchError::Read { .. } => Failure(e.to_string()),
        e => Failure(format!("{}: {e}", path.display())),
    })
}

/// A norms file (which the run then reads).
pub fn norms(path: &Path, files: &mut RunFiles) -> Result<LocalNorms, Failure> {
    files.input(path, "the norms file");
    Ok(LocalNorms::from_path(path)?)
}

/// Standard input for `None` or `-`, else the file.
pub fn input(path: Option<&Path>) -> Result<Box<dyn Read>, Failure> {
    match path {
        Some(p) if p != Path::new("-") => File::open(p)
            .map(|f| Box::new(f) as Box<dyn Read>)
            .map_err(|e| Failure(format!("cannot open {}: {e}", p.display()))),
        _ => Ok(Box::new(io::stdin().lock())),
    }
}

/// Input that can be read twice (change over time): a regular file as it is; standard input,
/// a named pipe or a device read into memory first.
pub fn seekable_input(path: Option<&Path>) -> Result<Box<dyn ReadSeek>, Failure> {
    let mut source = match path {
        Some(p) if p != Path::new("-") => {
            let file =
                File::open(p).map_err(|e| Failure(format!("cannot open {}: {e}", p.display())))?;
            if file.metadata().is_ok_and(|m| m.is_file()) {
                return Ok(Box::new(file));
            }
            Box::new(file) as Box<dyn Read>
        }
        _ => Box::new(io::stdin().lock()),
    };
    let mut bytes = Vec::new();
    source.read_to_end(&mut bytes).map_err(|e| {
        let name = path.map_or(PathBuf::from("standard input"), Path::to_path_buf);
        Failure(format!("cannot read {}: {e}", name.display()))
    })?;
    Ok(Box::new(io::Cursor::new(bytes)))
}

/// Read and rewind.
pub trait ReadSeek: Read + io::Seek {}

impl<T: Read + io::Seek> ReadSeek for T {}

/// Where output goes: standard output, or a file written atomically.
pub enum Output {
    Stdout(Stdout),
    File(AtomicFile),
}

impl Output {
    /// Standard output for `None`; else the file `path`, which `files` has accepted as an
    /// output.
    pub fn open(path: Option<&Path>, files: &RunFiles) -> Result<Output, Failure> {
        match path {
            None => Ok(Output::Stdout(Stdout::open()?)),
            Some(p) => Ok(Output::File(AtomicFile::create(p, files)?)),
        }
    }

    /// Flush; for a file, rename it into place.
    pub fn commit(self) -> Result<(), Failure> {
        match self {
            Output::Stdout(mut out) => Ok(out.flush()?),
            Output::File(file) => file.commit(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(buf),
            Output::File(file) => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.write_all(buf),
            Output::File(file) => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::File(file) => file.flush(),
        }
    }
}
