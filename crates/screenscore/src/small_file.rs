//! Files read whole: definitions, column maps and norms files. They are small by nature, so
//! they are read only when they are regular files of at most [`MAX_FILE_BYTES`]: a device
//! (`/dev/zero`), a pipe or a file of gigabytes is refused with a message instead of being
//! read into memory.

use std::io::{self, Read};
use std::path::Path;

/// The largest definition, column map or norms file read: 16 MiB, hundreds of times the size of
/// the largest built-in definition.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// The bytes of the regular file `path`, if it holds at most [`MAX_FILE_BYTES`].
pub(crate) fn read(path: &Path) -> io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "it is not a regular file (a directory, device or pipe); give the path of a file",
        ));
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "it is larger than {} MiB, far larger than such a file is",
                MAX_FILE_BYTES >> 20
            ),
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow while it is read: read one byte past the limit at most.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::read;

    #[test]
    fn devices_and_directories_are_refused() {
        for path in ["/dev/zero", "/dev/null", "/"] {
            let err = read(std::path::Path::new(path)).unwrap_err();
            assert!(
                err.to_string().starts_with("it is not a regular file"),
                "{path}: {err}"
            );
        }
    }
}
