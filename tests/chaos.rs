//! Chaos: the simulator's random faults (`shipdeck sim --faults SPEC --seed N`) replay per
//! seed, and hundreds of refreshes through the real client under faults never show wrong data
//! and each ends within its deadline.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use shipdeck::github::GitHubApi;
use shipdeck::github::sync::{REFRESH_DEADLINES, fetch_within};
use shipdeck::sim::{Chaos, ChaosSpec};

const BIN: &str = env!("CARGO_BIN_EXE_shipdeck");

/// A `shipdeck sim` process, killed when dropped.
struct SimProcess {
    child: Child,
    url: String,
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `shipdeck sim` on a free port with `args` added; waits for its URL.
fn sim_process(args: &[&str]) -> SimProcess {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(BIN)
        .args(["sim", "--port", &port.to_string()])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    if first.trim().is_empty() {
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let _ = child.wait();
        panic!("shipdeck sim {args:?} did not start: {err}");
    }
    SimProcess {
        child,
        url: first.trim().to_string(),
    }
}

/// What one request met, as a client sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// A status, and whether the body was whole JSON.
    Answered {
        status: u16,
        json: bool,
        retry_after: Option<String>,
    },
    /// The connection closed before any answer.
    Dropped,
}

/// One raw HTTP/1.1 request (`Connection: close`), classified.
fn request(url: &str, method: &str, path: &str, body: Option<&str>) -> Outcome {
    let addr = url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let body = body.unwrap_or("");
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Authorization: token shipdeck-demo\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    // A reset may end the read with an error rather than EOF: what arrived is what counts.
    let _ = stream.read_to_end(&mut raw);
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        assert!(
            raw.is_empty(),
            "a partial head: {:?}",
            String::from_utf8_lossy(&raw)
        );
        return Outcome::Dropped;
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap();
    let retry_after = head
        .lines()
        .find_map(|l| l.strip_prefix("retry-after:"))
        .map(|v| v.trim().to_string());
    let chunked = head.contains("transfer-encoding: chunked");
    let mut payload = raw[split + 4..].to_vec();
    if chunked {
        payload = dechunk(&payload);
    }
    let json = serde_json::from_slice::<serde_json::Value>(&payload).is_ok();
    Outcome::Answered {
        status,
        json,
        retry_after,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&data[..eol]).unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&data[start..(start + size).min(data.len())]);
        data = &data[(start + size + 2).min(data.len())..];
    }
    out
}

const REPLAY_SPEC: &str =
    "500:0.15,502-after-apply:0.1,reset:0.1,truncate:0.1,secondary=1s:0.05,429=2s:0.05";

/// The same requests, in the same order, against a simulator with `seed`.
fn outcomes(seed: &str) -> (Vec<Outcome>, serde_json::Value) {
    let sim = sim_process(&["--faults", REPLAY_SPEC, "--seed", seed]);
    let mut seen = Vec::new();
    for i in 0..90 {
        let path = if i % 3 == 0 {
            "/repos/acme/storefront/milestones"
        } else {
            "/repos/acme/storefront/issues/200"
        };
        seen.push(request(&sim.url, "GET", path, None));
    }
    let stats = request_json(&sim.url, "GET", "/_sim/chaos");
    (seen, stats)
}

fn request_json(url: &str, method: &str, path: &str) -> serde_json::Value {
    let addr = url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Authorization: token shipdeck-demo\r\nContent-Length: 0\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{raw}");
    serde_json::from_str(body).unwrap()
}

#[test]
fn sim_faults_replay_per_seed_and_count_what_they_did() {
    let (first, stats) = outcomes("7");
    let (again, _) = outcomes("7");
    assert_eq!(first, again, "the same seed, the same faults");
    let (other, _) = outcomes("8");
    assert_ne!(first, other, "another seed, other faults");

    // Every kind happened, as the client sees it.
    let answered = |status: u16| {
        first
            .iter()
            .filter(|o| matches!(o, Outcome::Answered { status: s, .. } if *s == status))
            .count()
    };
    let truncated = first
        .iter()
        .filter(|o| {
            matches!(
                o,
                Outcome::Answered {
                    status: 200,
                    json: false,
                    ..
                }
            )
        })
        .count();
    let dropped = first.iter().filter(|o| **o == Outcome::Dropped).count();
    assert!(answered(500) > 0 && answered(502) > 0, "{first:?}");
    assert!(truncated > 0 && dropped > 0, "{first:?}");
    assert!(first.contains(&Outcome::Answered {
        status: 403,
        json: true,
        retry_after: Some("1".into())
    }));
    assert!(first.contains(&Outcome::Answered {
        status: 429,
        json: true,
        retry_after: Some("2".into())
    }));
    // The simulator's own account agrees with what the client saw.
    assert_eq!(stats["seed"], 7);
    assert_eq!(stats["requests"], 90);
    let injected = &stats["injected"];
    assert_eq!(injected["500"], answered(500) as u64);
    assert_eq!(injected["502-after-apply"], answered(502) as u64);
    assert_eq!(injected["reset"], dropped as u64);
    assert_eq!(injected["truncate"], truncated as u64);
    assert_eq!(
        injected["secondary=1s"].as_u64().unwrap() + injected["429=2s"].as_u64().unwrap(),
        (answered(403) + answered(429)) as u64
    );
    let clean = answered(200) - truncated;
    let faults: u64 = injected
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(clean as u64 + faults, 90);
}

#[test]
fn a_bad_fault_spec_is_refused_with_the_reason() {
    let out = Command::new(BIN)
        .args(["sim", "--port", "0", "--faults", "500:0.5,teapot:0.1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fault `teapot:0.1`: unknown kind; one of NNN (a 4xx/5xx status)"),
        "{err}"
    );
}

/// The faults of the in-process refresh run: every kind, rates low enough that a refresh of
/// some twenty requests gets through now and then.
const REFRESH_SPEC: &str = "500:0.02,502-after-apply:0.01,reset:0.02,stall=1s:0.004,\
truncate:0.01,secondary=1s:0.004,429=1s:0.004";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_refreshes_under_faults_show_only_true_data_within_their_deadline() {
    let sim = common::demo_sim().await;
    sim.with_world(|w| {
        // Runs frozen: the world does not move, so every good refresh must equal the first.
        for repo in &mut w.repos {
            for run in &mut repo.runs {
                run.live = None;
            }
        }
        w.rate.limit = 1_000_000;
        // Three pages of issues in one repository: refreshes read pages concurrently and
        // incrementally (a change probe), where a fault on one page must not lose the others.
        let repo = w.repo_mut("acme/storefront").unwrap();
        let model = repo
            .issues
            .iter()
            .find(|i| i.milestone.is_some() && i.pull.is_none())
            .unwrap()
            .clone();
        for n in 0..220 {
            let mut extra = model.clone();
            extra.number = 5000 + n;
            extra.id = 77_000_000 + n;
            extra.title = format!("Chaos filler {n}");
            extra.state = if n % 3 == 0 { "closed" } else { "open" }.to_string();
            repo.issues.push(extra);
        }
    });
    let timeout = Duration::from_millis(500);
    let api = common::client_with(&sim, sim.token(), timeout);
    let mut plan = common::demo_plan();
    plan.timeout = timeout;
    let now = chrono::Utc::now();
    let truth = fetch_within(api.as_ref() as &dyn GitHubApi, &plan, now, None, true)
        .await
        .unwrap();
    let issues: usize = truth.repos.iter().map(|r| r.issues.len()).sum();
    assert!(issues > 250, "{issues} issues: more than two pages");

    let spec: ChaosSpec = REFRESH_SPEC.parse().unwrap();
    sim.set_chaos(Some(Chaos::new(spec, 2024)));
    let deadline = timeout * REFRESH_DEADLINES;
    let (mut good, mut failed, mut slowest) = (0, 0, Duration::ZERO);
    let mut prev = Some(truth.clone());
    for i in 0..300 {
        // Mostly incremental refreshes on the last good snapshot; every tenth a cold one.
        let base = if i % 10 == 0 { None } else { prev.as_ref() };
        let started = Instant::now();
        let result = fetch_within(api.as_ref(), &plan, now, base, i % 7 == 0).await;
        let took = started.elapsed();
        slowest = slowest.max(took);
        assert!(
            took < deadline + Duration::from_millis(300),
            "refresh {i} took {took:?}, its deadline is {deadline:?}: {result:?}"
        );
        match result {
            Ok(snapshot) => {
                assert!(
                    snapshot == truth,
                    "refresh {i} under faults differs from GitHub's data"
                );
                good += 1;
                prev = Some(snapshot);
            }
            Err(e) => {
                assert!(!e.to_string().is_empty());
                failed += 1;
            }
        }
    }
    let stats = sim.chaos_stats().unwrap();
    eprintln!("{good} good, {failed} failed refreshes; slowest {slowest:?}; {stats}");
    for kind in ["500", "502-after-apply", "reset", "stall=1s", "truncate"] {
        assert!(
            stats["injected"][kind].as_u64().unwrap_or(0) > 0,
            "{kind}: {stats}"
        );
    }
    assert!(good >= 30, "{good} good refreshes of 300: {stats}");
    assert!(failed > 0, "the faults made some refreshes fail: {stats}");
}

#[tokio::test]
async fn a_reset_drops_the_connection_and_the_request_log_says_so() {
    let sim = common::demo_sim().await;
    sim.inject(shipdeck::sim::Fault {
        method: None,
        path_contains: "/issues/200".into(),
        kind: shipdeck::sim::FaultKind::Reset,
        times: 1,
    });
    let api = common::client(&sim);
    // A GET is retried after a transport error: the second try is answered.
    assert_eq!(api.issue("acme/storefront", 200).await.unwrap().number, 200);
    let statuses: Vec<u16> = sim
        .requests()
        .iter()
        .filter(|r| r.path.contains("/issues/200"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, vec![0, 200], "the first got no answer at all");
}
