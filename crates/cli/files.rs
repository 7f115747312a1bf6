//! Files of the command line: resolving `-i` arguments, opening input, and writing output
//! atomically (a temporary file in the same directory, renamed into place when complete).

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use screenscore::Instrument;

use crate::Failure;

/// A built-in id, or else a path to a definition file.
pub fn instrument(arg: &str) -> Result<Instrument, Failure> {
    match Instrument::builtin(arg) {
        Ok(builtin) => Ok(builtin.clone()),
        Err(_) if Path::new(arg).exists() => Ok(Instrument::from_path(arg)?),
        Err(e) => Err(Failure(format!(
            "{e}; or give the path of a definition file"
        ))),
    }
}

/// Standard input for `None` or `-`, else the file.
pub fn input(path: Option<&Path>) -> Result<Box<dyn Read>, Failure> {
    match path {
        None => Ok(Box::new(io::stdin().lock())),
        Some(p) if p == Path::new("-") => Ok(Box::new(io::stdin().lock())),
        Some(p) => File::open(p)
            .map(|f| Box::new(f) as Box<dyn Read>)
            .map_err(|e| Failure(format!("cannot open {}: {e}", p.display()))),
    }
}

/// Input that can be read twice (change over time): the file, or standard input read into
/// memory.
pub fn seekable_input(path: Option<&Path>) -> Result<Box<dyn ReadSeek>, Failure> {
    match path {
        Some(p) if p != Path::new("-") => File::open(p)
            .map(|f| Box::new(f) as Box<dyn ReadSeek>)
            .map_err(|e| Failure(format!("cannot open {}: {e}", p.display()))),
        _ => {
            let mut bytes = Vec::new();
            io::stdin().lock().read_to_end(&mut bytes)?;
            Ok(Box::new(io::Cursor::new(bytes)))
        }
    }
}

/// Read and rewind.
pub trait ReadSeek: Read + io::Seek {}

impl<T: Read + io::Seek> ReadSeek for T {}

/// Refuse to write over the input file.
pub fn refuse_overwriting_input(
    input: Option<&Path>,
    output: &Path,
    flag: &str,
) -> Result<(), Failure> {
    let Some(input) = input.filter(|p| *p != Path::new("-")) else {
        return Ok(());
    };
    let same = match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Failure(format!(
            "{flag} {} is the input file; screenscore never modifies its input",
            output.display()
        )));
    }
    Ok(())
}

/// Where output goes: standard output, or a file written atomically.
pub enum Output {
    Stdout(BufWriter<io::Stdout>),
    File(AtomicFile),
}

impl Output {
    pub fn open(path: Option<&Path>) -> Result<Output, Failure> {
        match path {
            None => Ok(Output::Stdout(BufWriter::with_capacity(
                1 << 16,
                io::stdout(),
            ))),
            Some(p) => Ok(Output::File(AtomicFile::create(p)?)),
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

/// A file written to a temporary name beside its destination and renamed into place by
/// [`AtomicFile::commit`]. Dropped without commit, the temporary file is removed, so a failed
/// run leaves the destination as it was. A destination that exists and is not a regular file
/// (`/dev/null`, a named pipe, a terminal) is written directly: renaming over it would replace
/// the device or pipe with a file.
pub struct AtomicFile {
    /// The temporary file, `None` when writing directly.
    temp: Option<PathBuf>,
    dest: PathBuf,
    file: Option<BufWriter<File>>,
    committed: bool,
}

impl AtomicFile {
    pub fn create(dest: &Path) -> Result<AtomicFile, Failure> {
        let fail = |e: io::Error| Failure(format!("cannot create {}: {e}", dest.display()));
        let special = std::fs::metadata(dest).is_ok_and(|m| !m.file_type().is_file());
        if special {
            let file = File::options().write(true).open(dest).map_err(fail)?;
            return Ok(AtomicFile {
                temp: None,
                dest: dest.to_path_buf(),
                file: Some(BufWriter::with_capacity(1 << 16, file)),
                committed: false,
            });
        }
        let name = dest
            .file_name()
            .ok_or_else(|| Failure(format!("{} is not a file name", dest.display())))?;
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let temp = dir.join(format!(
            ".{}.{}.tmp",
            name.to_string_lossy(),
            std::process::id()
        ));
        let file = File::create(&temp).map_err(fail)?;
        Ok(AtomicFile {
            temp: Some(temp),
            dest: dest.to_path_buf(),
            file: Some(BufWriter::with_capacity(1 << 16, file)),
            committed: false,
        })
    }

    pub fn commit(mut self) -> Result<(), Failure> {
        let fail = |e: io::Error| Failure(format!("cannot write {}: {e}", self.dest.display()));
        if let Some(file) = self.file.take() {
            let file = file.into_inner().map_err(|e| fail(e.into_error()))?;
            if self.temp.is_some() {
                file.sync_all().map_err(fail)?;
            }
        }
        if let Some(temp) = &self.temp {
            std::fs::rename(temp, &self.dest).map_err(fail)?;
        }
        self.committed = true;
        Ok(())
    }

    fn writer(&mut self) -> io::Result<&mut BufWriter<File>> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("file already committed"))
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let (false, Some(temp)) = (self.committed, &self.temp) {
            let _ = std::fs::remove_file(temp);
        }
    }
}
