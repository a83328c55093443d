//! Where specs and fixtures are read from: the copies embedded in the binary, or a directory.
//!
//! Embedding means `mydata-testbed serve` works from any directory with no flags; a directory given
//! on the command line replaces the embedded copy whole.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

static EMBEDDED_SPECS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/specs");
static EMBEDDED_FIXTURES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/fixtures");

/// A tree of JSON files, embedded or on disk.
#[derive(Debug, Clone)]
pub enum Source {
    Embedded {
        dir: &'static Dir<'static>,
        label: &'static str,
    },
    Disk(PathBuf),
}

/// A failure to read a file of a [`Source`], naming the file.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ReadError {
    pub path: String,
    pub message: String,
}

impl Source {
    /// The specs compiled into the binary.
    pub fn embedded_specs() -> Self {
        Source::Embedded {
            dir: &EMBEDDED_SPECS,
            label: "specs",
        }
    }

    /// The default fixtures compiled into the binary.
    pub fn embedded_fixtures() -> Self {
        Source::Embedded {
            dir: &EMBEDDED_FIXTURES,
            label: "fixtures",
        }
    }

    /// How a file of this source is named in messages: `fixtures/bank/C001.json` or a disk path.
    pub fn display(&self, rel: &str) -> String {
        match self {
            Source::Embedded { label, .. } => format!("{label}/{rel} (embedded)"),
            Source::Disk(root) => root.join(rel).display().to_string(),
        }
    }

    /// Whether the file exists.
    pub fn exists(&self, rel: &str) -> bool {
        match self {
            Source::Embedded { dir, .. } => dir.get_file(rel).is_some(),
            Source::Disk(root) => root.join(rel).is_file(),
        }
    }

    /// Reads a UTF-8 file.
    pub fn read(&self, rel: &str) -> Result<String, ReadError> {
        let err = |message: String| ReadError {
            path: self.display(rel),
            message,
        };
        match self {
            Source::Embedded { dir, .. } => dir
                .get_file(rel)
                .ok_or_else(|| err("no such file".into()))?
                .contents_utf8()
                .map(str::to_owned)
                .ok_or_else(|| err("not UTF-8".into())),
            Source::Disk(root) => {
                std::fs::read_to_string(root.join(rel)).map_err(|e| err(e.to_string()))
            }
        }
    }

    /// The `.json` files directly inside a sub-directory, sorted by name; empty when it is absent.
    pub fn json_files(&self, sub: &str) -> Result<Vec<String>, ReadError> {
        let mut names: Vec<String> = match self {
            Source::Embedded { dir, .. } => dir
                .get_dir(sub)
                .map(|d| {
                    d.files()
                        .map(|f| f.path().to_string_lossy().replace('\\', "/"))
                        .collect()
                })
                .unwrap_or_default(),
            Source::Disk(root) => {
                let path = root.join(sub);
                if !path.is_dir() {
                    return Ok(Vec::new());
                }
                std::fs::read_dir(&path)
                    .map_err(|e| ReadError {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    })?
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_file())
                    .map(|e| format!("{sub}/{}", e.file_name().to_string_lossy()))
                    .collect()
            }
        };
        names.retain(|n| n.ends_with(".json"));
        names.sort();
        Ok(names)
    }

    /// A source for a directory given by the user, checked to exist.
    pub fn disk(path: &Path) -> Result<Self, ReadError> {
        if path.is_dir() {
            Ok(Source::Disk(path.to_path_buf()))
        } else {
            Err(ReadError {
                path: path.display().to_string(),
                message: "not a directory".into(),
            })
        }
    }
}
