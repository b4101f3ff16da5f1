//! Reading the config file: errors that name the line and column, and the file's
//! permissions (refused when others can write it, since it decides where the token is sent;
//! a warning when others can read a token in it).

use std::path::{Path, PathBuf};

use super::{Config, default_path};

/// A loaded config: the file it came from (`None`: all defaults) and warnings about it for
/// the user (stderr before the dashboard starts, then its status line).
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub path: Option<PathBuf>,
    pub warnings: Vec<String>,
}

/// Why the config could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Others can write the file: they could point `github.api_url` at their own server and
    /// receive the token, whichever source it comes from.
    #[error(
        "{path}: others can write to this config file (mode {mode:03o}), so they could send the token to a server of their choosing (github.api_url); refusing to use it. Fix: chmod 600 {path}"
    )]
    Insecure { path: PathBuf, mode: u32 },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Config {
    /// Parses TOML text; errors name `path`, the line and the column.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] for bad syntax, unknown keys, wrong types or bad values.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |span| line_col(text, span.start));
            ConfigError::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })
    }

    /// Loads the config: `explicit` (from `--config` or `SHIPDECK_CONFIG`) must exist; the
    /// platform default may be absent, which means all defaults.
    ///
    /// # Errors
    /// Unreadable or invalid file.
    pub fn load(explicit: Option<&Path>) -> Result<Loaded, ConfigError> {
        let (path, must_exist) = match explicit {
            Some(p) => (Some(p.to_path_buf()), true),
            None => (default_path(), false),
        };
        let defaults = Loaded {
            config: Config::default(),
            path: None,
            warnings: Vec::new(),
        };
        let Some(path) = path else {
            return Ok(defaults);
        };
        let mut file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if !must_exist && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(defaults);
            }
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        // The mode of the file as opened, so the check and the read are about the same file.
        let mode = file_mode(&file).map_err(|source| ConfigError::Read {
            path: path.clone(),
            source,
        })?;
        if let Some(mode) = mode
            && mode & 0o002 != 0
        {
            return Err(ConfigError::Insecure { path, mode });
        }
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).map_err(|source| {
            ConfigError::Read {
                path: path.clone(),
                source,
            }
        })?;
        let config = Config::parse(&text, &path)?;
        let warnings = mode.map_or_else(Vec::new, |m| {
            mode_warnings(&path, m, config.github.token.is_some())
        });
        Ok(Loaded {
            config,
            path: Some(path),
            warnings,
        })
    }
}

/// The permission bits of an open regular file (`None` for devices and pipes such as
/// `/dev/null` or `<(…)`, which hold no file others could edit, and where there are no such
/// bits, e.g. on Windows).
fn file_mode(file: &std::fs::File) -> std::io::Result<Option<u32>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let meta = file.metadata()?;
        Ok(meta.is_file().then(|| meta.permissions().mode() & 0o777))
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        Ok(None)
    }
}

/// What the user should hear about a config file with `mode`: a token others can read, or a
/// file its group can change (which could redirect `github.api_url`). Others able to write it
/// is refused before this (see [`ConfigError::Insecure`]).
fn mode_warnings(path: &Path, mode: u32, has_token: bool) -> Vec<String> {
    let p = path.display();
    let mut warnings = Vec::new();
    if has_token && mode & 0o044 != 0 {
        warnings.push(format!(
            "{p} holds a token and others can read it (mode {mode:03o}); fix: chmod 600 {p}"
        ));
    }
    if mode & 0o020 != 0 {
        warnings.push(format!(
            "{p} can be changed by its group (mode {mode:03o}), which could redirect github.api_url; fix: chmod 600 {p}"
        ));
    }
    warnings
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
