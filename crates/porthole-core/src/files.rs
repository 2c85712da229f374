//! Files a person asked Porthole to save (screenshots, timeline reports): named by
//! what they show and the local time, never written over.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to a new file in `dir` (made if missing) named `STEM YYYY-MM-DD
/// HH.MM.SS.EXT` in local time; a name already taken gets a counter, `(2)`, `(3)`, ….
/// Returns the path, or the path that could not be written and why.
pub fn save_new(
    dir: &Path,
    stem: &str,
    extension: &str,
    bytes: &[u8],
) -> Result<PathBuf, (PathBuf, io::Error)> {
    std::fs::create_dir_all(dir).map_err(|e| (dir.to_owned(), e))?;
    let stem = format!(
        "{stem} {}",
        chrono::Local::now().format("%Y-%m-%d %H.%M.%S")
    );
    for n in 1..1000 {
        let name = match n {
            1 => format!("{stem}.{extension}"),
            n => format!("{stem} ({n}).{extension}"),
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                return match file.write_all(bytes) {
                    Ok(()) => Ok(path),
                    Err(e) => Err((path, e)),
                }
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err((path, e)),
        }
    }
    Err((
        dir.to_owned(),
        io::Error::other("a thousand files of that name this second"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_taken_gets_a_counter_and_nothing_is_written_over() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = save_new(dir.path(), "s", "txt", b"one").expect("saved");
        let second = save_new(dir.path(), "s", "txt", b"two").expect("saved");
        assert_ne!(
            first, second,
            "a second file the same second gets its own name"
        );
        assert_eq!(
            std::fs::read(&first).expect("there"),
            b"one",
            "the first is untouched"
        );
    }
}
