//! Random faults for chaos runs (`shipdeck sim --faults SPEC --seed N`): every request draws its
//! fate from the spec, and the draw depends only on the seed, the method and path, and how many
//! requests to that method and path came before it, so a seed replays the same faults.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use http::Method;
use serde_json::{Value, json};

use super::FaultKind;
use super::util::{fnv64, parse_duration};

/// How long a `stall` waits between the bytes of its body, unless the spec says (`stall=10s`).
pub const STALL_EVERY: Duration = Duration::from_secs(5);
/// The `retry-after` of `secondary` and `429`, unless the spec says (`secondary=2s`): GitHub's.
pub const RETRY_AFTER: Duration = Duration::from_secs(60);
/// How long a `delay` waits before answering, unless the spec says (`delay=300ms`).
pub const DELAY: Duration = Duration::from_secs(1);

/// The kinds a spec may name, for error messages and `--help`.
pub const KINDS: &str = "NNN (a 4xx/5xx status), NNN-after-apply, reset, stall[=EVERY], \
truncate, secondary[=RETRY_AFTER], 429[=RETRY_AFTER], delay[=TIME]";

/// One entry of a spec: a fault, the share of requests it hits, and optionally which ones.
#[derive(Debug, Clone, PartialEq)]
pub struct ChaosRule {
    /// The entry as written, without its rate (`502-after-apply`, `reset@PATCH`): the name
    /// the simulator counts it under.
    pub name: String,
    /// What goes wrong.
    pub kind: FaultKind,
    /// The probability (0–1) that a request it applies to meets it.
    pub rate: f64,
    /// Only requests with this method (`@PATCH`); `None` = any.
    pub method: Option<Method>,
    /// Only requests whose path contains this (`@/issues/`); `None` = any.
    pub path_contains: Option<String>,
}

impl ChaosRule {
    fn applies(&self, method: &Method, path: &str) -> bool {
        self.method.as_ref().is_none_or(|m| m == method)
            && self.path_contains.as_ref().is_none_or(|p| path.contains(p))
    }
}

/// A fault spec such as `500:0.1,502-after-apply:0.05,reset:0.05,stall:0.02,truncate:0.05,
/// secondary:0.02,429:0.02`: comma-separated `KIND[=ARG][@SCOPE]:RATE` entries, where SCOPE is
/// an upper-case method (`@PATCH`) or a path substring starting with `/` (`@/issues`). The
/// rates of all entries add up to at most 1.
#[derive(Debug, Clone, PartialEq)]
pub struct ChaosSpec {
    /// The entries, tried in order.
    pub rules: Vec<ChaosRule>,
}

impl fmt::Display for ChaosSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .rules
            .iter()
            .map(|r| format!("{}:{}", r.name, r.rate))
            .collect();
        f.write_str(&parts.join(","))
    }
}

impl FromStr for ChaosSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut rules = Vec::new();
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            rules.push(parse_rule(entry)?);
        }
        if rules.is_empty() {
            return Err(format!(
                "no faults given; use KIND:RATE entries, KIND one of {KINDS}"
            ));
        }
        let total: f64 = rules.iter().map(|r| r.rate).sum();
        if total > 1.0 + 1e-9 {
            return Err(format!(
                "the rates add up to {total}, more than 1 (every request meets at most one fault)"
            ));
        }
        Ok(Self { rules })
    }
}

fn parse_rule(entry: &str) -> Result<ChaosRule, String> {
    let bad = |why: &str| format!("fault `{entry}`: {why}");
    let (name, rate) = entry
        .rsplit_once(':')
        .ok_or_else(|| bad("expected KIND:RATE, e.g. 500:0.1"))?;
    let rate: f64 = rate
        .trim()
        .parse()
        .ok()
        .filter(|r: &f64| (0.0..=1.0).contains(r))
        .ok_or_else(|| bad("the rate must be a number from 0 to 1"))?;
    let (what, scope) = match name.split_once('@') {
        Some((w, s)) => (w, Some(s)),
        None => (name, None),
    };
    let (kind, arg) = match what.split_once('=') {
        Some((k, a)) => (k, Some(a)),
        None => (what, None),
    };
    let duration = |default: Duration| match arg {
        None => Ok(default),
        Some(a) => parse_duration(a).ok_or_else(|| bad("expected a time such as 2s or 300ms")),
    };
    let no_arg = || match arg {
        None => Ok(()),
        Some(_) => Err(bad("this kind takes no `=` value")),
    };
    let status = |code: &str| {
        code.parse::<u16>()
            .ok()
            .filter(|c| (400..=599).contains(c))
            .ok_or_else(|| bad(&format!("unknown kind; one of {KINDS}")))
    };
    let kind = match kind {
        "reset" => no_arg().map(|()| FaultKind::Reset)?,
        "stall" => FaultKind::Trickle(duration(STALL_EVERY)?),
        "truncate" => no_arg().map(|()| FaultKind::Malformed)?,
        "delay" => FaultKind::Delay(duration(DELAY)?),
        "secondary" => FaultKind::Limited {
            status: 403,
            retry_after: duration(RETRY_AFTER)?,
        },
        "429" => FaultKind::Limited {
            status: 429,
            retry_after: duration(RETRY_AFTER)?,
        },
        k => match k.strip_suffix("-after-apply") {
            Some(code) => {
                no_arg()?;
                FaultKind::StatusAfterApply(status(code)?)
            }
            None => {
                no_arg()?;
                FaultKind::Status(status(k)?)
            }
        },
    };
    let (method, path_contains) = match scope {
        None => (None, None),
        Some(p) if p.starts_with('/') => (None, Some(p.to_owned())),
        Some(m) if !m.is_empty() && m.bytes().all(|b| b.is_ascii_uppercase()) => (
            Some(Method::from_bytes(m.as_bytes()).map_err(|_| bad("not a method"))?),
            None,
        ),
        Some(_) => {
            return Err(bad(
                "the scope after @ is a method (@PATCH) or a path (@/issues)",
            ));
        }
    };
    Ok(ChaosRule {
        name: name.trim().to_owned(),
        kind,
        rate,
        method,
        path_contains,
    })
}

/// A spec in force: the seed, how many requests each method and path has had, and what was
/// injected.
#[derive(Debug, Clone)]
pub struct Chaos {
    spec: ChaosSpec,
    seed: u64,
    seen: HashMap<(Method, String), u64>,
    requests: u64,
    injected: BTreeMap<String, u64>,
}

impl Chaos {
    /// `spec` with `seed`, nothing drawn yet.
    #[must_use]
    pub fn new(spec: ChaosSpec, seed: u64) -> Self {
        Self {
            spec,
            seed,
            seen: HashMap::new(),
            requests: 0,
            injected: BTreeMap::new(),
        }
    }

    /// The fault for the next request to `method` `path` (no query string), if any. The n-th
    /// request to a method and path meets the same fate for the same seed, whatever other
    /// requests came in between.
    pub fn draw(&mut self, method: &Method, path: &str) -> Option<FaultKind> {
        let n = self
            .seen
            .entry((method.clone(), path.to_owned()))
            .or_insert(0);
        let nth = *n;
        *n += 1;
        self.requests += 1;
        let key = fnv64(format!("{method} {path}").as_bytes());
        let u = unit(mix(self.seed ^ mix(key ^ mix(nth))));
        let mut below = 0.0;
        let rule = self.spec.rules.iter().find(|r| {
            if !r.applies(method, path) {
                return false;
            }
            below += r.rate;
            u < below
        })?;
        *self.injected.entry(rule.name.clone()).or_insert(0) += 1;
        Some(rule.kind.clone())
    }

    /// What it has done so far: `{"spec", "seed", "requests", "injected": {name: count}}`.
    #[must_use]
    pub fn stats(&self) -> Value {
        json!({
            "spec": self.spec.to_string(),
            "seed": self.seed,
            "requests": self.requests,
            "injected": self.injected,
        })
    }
}

/// splitmix64's finaliser: a well-spread 64-bit hash of `x`.
pub fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform number in [0, 1) from the top 53 bits of `x`.
#[allow(clippy::cast_precision_loss)] // 53 bits fit an f64 exactly
fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUE_SPEC: &str =
        "500:0.1,502-after-apply:0.05,reset:0.05,stall:0.02,truncate:0.05,secondary:0.02,429:0.02";

    #[test]
    fn parses_the_documented_spec() {
        let spec: ChaosSpec = ISSUE_SPEC.parse().unwrap();
        let kinds: Vec<_> = spec
            .rules
            .iter()
            .map(|r| (r.kind.clone(), r.rate))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (FaultKind::Status(500), 0.1),
                (FaultKind::StatusAfterApply(502), 0.05),
                (FaultKind::Reset, 0.05),
                (FaultKind::Trickle(STALL_EVERY), 0.02),
                (FaultKind::Malformed, 0.05),
                (
                    FaultKind::Limited {
                        status: 403,
                        retry_after: RETRY_AFTER
                    },
                    0.02
                ),
                (
                    FaultKind::Limited {
                        status: 429,
                        retry_after: RETRY_AFTER
                    },
                    0.02
                ),
            ]
        );
        assert_eq!(spec.to_string(), ISSUE_SPEC);
    }

    #[test]
    fn parses_arguments_and_scopes() {
        let spec: ChaosSpec = "stall=2s:0.1, secondary=1s@PATCH:0.2, reset@/issues:0.3"
            .parse()
            .unwrap();
        assert_eq!(
            spec.rules[0].kind,
            FaultKind::Trickle(Duration::from_secs(2))
        );
        assert_eq!(spec.rules[1].method, Some(Method::PATCH));
        assert_eq!(
            spec.rules[1].kind,
            FaultKind::Limited {
                status: 403,
                retry_after: Duration::from_secs(1)
            }
        );
        assert_eq!(spec.rules[2].path_contains.as_deref(), Some("/issues"));
        assert_eq!(spec.rules[2].name, "reset@/issues");
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let err = |s: &str| s.parse::<ChaosSpec>().unwrap_err();
        assert!(err("").contains("no faults given"));
        assert!(err("boom:0.1").contains("fault `boom:0.1`: unknown kind; one of NNN"));
        assert!(err("200:0.1").contains("unknown kind"));
        assert!(err("500").contains("expected KIND:RATE"));
        assert!(err("500:1.5").contains("from 0 to 1"));
        assert!(err("500:0.6,reset:0.6").contains("add up to 1.2"));
        assert!(err("stall=fast:0.1").contains("a time such as 2s"));
        assert!(err("reset=1s:0.1").contains("takes no `=` value"));
        assert!(err("500@patch:0.1").contains("a method (@PATCH)"));
    }

    fn fates(seed: u64, order: &[(&Method, &str)]) -> Vec<Option<FaultKind>> {
        let mut chaos = Chaos::new(ISSUE_SPEC.parse().unwrap(), seed);
        order.iter().map(|(m, p)| chaos.draw(m, p)).collect()
    }

    #[test]
    fn a_seed_replays_the_same_faults_whatever_comes_in_between() {
        let a = "/repos/acme/storefront/issues/200";
        let b = "/repos/acme/storefront/milestones";
        let mut order: Vec<(&Method, &str)> = Vec::new();
        for i in 0..200 {
            order.push((&Method::GET, if i % 3 == 0 { b } else { a }));
        }
        let first = fates(7, &order);
        assert_eq!(first, fates(7, &order));
        assert_ne!(first, fates(8, &order), "another seed, other faults");
        // The same requests to `a` in another interleaving meet the same fates.
        let only_a = |v: &[Option<FaultKind>], o: &[(&Method, &str)]| -> Vec<Option<FaultKind>> {
            v.iter()
                .zip(o)
                .filter(|(_, (_, p))| *p == a)
                .map(|(f, _)| f.clone())
                .collect()
        };
        let mut shuffled = order.clone();
        shuffled.sort_by_key(|(_, p)| *p);
        let second = fates(7, &shuffled);
        assert_eq!(only_a(&first, &order), only_a(&second, &shuffled));
    }

    #[test]
    fn rates_are_kept_and_scopes_respected() {
        let spec: ChaosSpec = "500:0.2,reset@PATCH:0.3".parse().unwrap();
        let mut chaos = Chaos::new(spec, 42);
        let mut gets = 0;
        let mut patch_resets = 0;
        for _ in 0..10_000 {
            if chaos.draw(&Method::GET, "/x") == Some(FaultKind::Status(500)) {
                gets += 1;
            }
            assert_ne!(chaos.draw(&Method::GET, "/y"), Some(FaultKind::Reset));
            if chaos.draw(&Method::PATCH, "/x") == Some(FaultKind::Reset) {
                patch_resets += 1;
            }
        }
        assert!((1_800..2_200).contains(&gets), "{gets} of 10000 at 0.2");
        assert!(
            (2_750..3_250).contains(&patch_resets),
            "{patch_resets} of 10000 at 0.3"
        );
        assert_eq!(chaos.stats()["requests"], 30_000);
        assert_eq!(chaos.stats()["injected"]["reset@PATCH"], patch_resets);
    }
}
