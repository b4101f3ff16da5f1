//! Which links `o` may open: http(s) pages on the web host of the configured GitHub, named
//! safely when refused.

use std::fmt;

/// The web host of the configured GitHub: `github.com` for `https://api.github.com`, `HOST`
/// for GitHub Enterprise Server's `https://HOST/api/v3`, `SUB.ghe.com` for
/// `https://api.SUB.ghe.com`, and otherwise the API's own host and port (the simulator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebHost {
    /// Lower case; empty when the API URL had no host (then nothing opens).
    host: String,
    /// An explicit port, as in the API URL.
    port: Option<u16>,
}

impl Default for WebHost {
    fn default() -> Self {
        WebHost::for_api("https://api.github.com")
    }
}

impl WebHost {
    /// The web host for the API root `api_url`.
    #[must_use]
    pub fn for_api(api_url: &str) -> Self {
        let Ok(url) = url::Url::parse(api_url) else {
            return WebHost {
                host: String::new(),
                port: None,
            };
        };
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let host = if host == "api.github.com" {
            "github.com".to_string()
        } else if let Some(sub) = host
            .strip_prefix("api.")
            .filter(|rest| rest.ends_with(".ghe.com"))
        {
            sub.to_string()
        } else {
            host
        };
        WebHost {
            host,
            port: url.port(),
        }
    }

    /// Whether `link` may be opened: an http(s) URL on this host and port, without
    /// credentials.
    ///
    /// # Errors
    /// The message for the status line, naming the link (see [`shown_url`]).
    pub fn check(&self, link: &str) -> Result<(), String> {
        let ok = url::Url::parse(link).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && !self.host.is_empty()
                && u.host_str() == Some(self.host.as_str())
                && u.port() == self.port
                && u.username().is_empty()
                && u.password().is_none()
        });
        if ok {
            Ok(())
        } else {
            Err(format!(
                "not opening {}: only http(s) pages on {self} are opened",
                shown_url(link)
            ))
        }
    }
}

impl fmt::Display for WebHost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.host)?;
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        Ok(())
    }
}

/// Longest link shown in a message, in characters.
const SHOWN_MAX: usize = 120;

/// `link` as printable ASCII: a URL as its serialisation (control and non-ASCII characters
/// percent-encoded, the host in punycode), anything else with each character outside
/// printable ASCII escaped (`\u{1b}`); cut to [`SHOWN_MAX`] characters.
#[must_use]
pub fn shown_url(link: &str) -> String {
    let text = match url::Url::parse(link) {
        Ok(u) => u.as_str().to_string(),
        Err(_) => link
            .chars()
            .map(|c| {
                if c == ' ' || c.is_ascii_graphic() {
                    c.to_string()
                } else {
                    c.escape_unicode().to_string()
                }
            })
            .collect(),
    };
    let mut chars = text.chars();
    let mut shown: String = chars.by_ref().take(SHOWN_MAX).collect();
    if chars.next().is_some() {
        shown.push('…');
    }
    shown
}
