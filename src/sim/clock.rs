//! The simulator's clock (real time plus a settable offset) and moving a [`World`] in time.

use std::sync::Mutex;

use chrono::{DateTime, TimeDelta, Utc};

use super::lock;
use super::world::{Commit, Run, World};

/// Real time shifted by an offset that [`Clock::set`] chooses; every time the simulator reads
/// comes from here, so a test can put it at any instant and it runs on from there.
#[derive(Debug, Default)]
pub struct Clock {
    offset: Mutex<TimeDelta>,
}

impl Clock {
    /// The simulator's current time.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + *lock(&self.offset)
    }

    /// Makes the clock read `now` at this instant; it keeps running from there.
    pub fn set(&self, now: DateTime<Utc>) {
        *lock(&self.offset) = now - Utc::now();
    }
}

/// The HTTP `Date` header form of `t` (RFC 7231 IMF-fixdate: `Tue, 01 Dec 2026 10:00:00 GMT`).
pub fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

impl World {
    /// Moves every time in the world by `by`, so a world dated from one instant reads as if it
    /// had been dated from another ([`World::dated_at`] moves too).
    pub fn shift(&mut self, by: TimeDelta) {
        if by.is_zero() {
            return;
        }
        let mv = |t: &mut DateTime<Utc>| *t += by;
        let mv_opt = |t: &mut Option<DateTime<Utc>>| {
            if let Some(t) = t {
                *t += by;
            }
        };
        let mv_commit = |c: &mut Commit| c.timestamp += by;
        mv(&mut self.dated_at);
        self.rate.reset += by.num_seconds();
        for repo in &mut self.repos {
            mv(&mut repo.created_at);
            repo.branches.values_mut().for_each(mv_commit);
            repo.tags.values_mut().for_each(mv_commit);
            repo.graph
                .nodes
                .values_mut()
                .for_each(|n| mv_commit(&mut n.commit));
            for m in &mut repo.milestones {
                mv_opt(&mut m.due_on);
                mv(&mut m.created_at);
                mv(&mut m.updated_at);
                mv_opt(&mut m.closed_at);
            }
            for i in &mut repo.issues {
                mv(&mut i.created_at);
                mv(&mut i.updated_at);
                mv_opt(&mut i.closed_at);
                if let Some(p) = &mut i.pull {
                    mv_opt(&mut p.merged_at);
                }
                for c in &mut i.comments {
                    mv(&mut c.created_at);
                    mv(&mut c.updated_at);
                }
            }
            for w in &mut repo.workflows {
                mv(&mut w.created_at);
                mv(&mut w.updated_at);
            }
            for s in repo.statuses.values_mut().flatten() {
                mv(&mut s.created_at);
                mv(&mut s.updated_at);
            }
            for r in &mut repo.releases {
                mv(&mut r.created_at);
                mv(&mut r.updated_at);
                mv_opt(&mut r.published_at);
            }
            for r in &mut repo.runs {
                shift_run(r, by);
            }
        }
    }
}

/// Moves every time of one run (its commit, jobs and steps) by `by`.
pub fn shift_run(r: &mut Run, by: TimeDelta) {
    let mv = |t: &mut DateTime<Utc>| *t += by;
    let mv_opt = |t: &mut Option<DateTime<Utc>>| {
        if let Some(t) = t {
            *t += by;
        }
    };
    r.head_commit.timestamp += by;
    mv(&mut r.created_at);
    mv(&mut r.updated_at);
    mv(&mut r.run_started_at);
    mv_opt(&mut r.waiting_since);
    if let Some(p) = &mut r.live {
        mv(&mut p.cursor);
    }
    for j in &mut r.jobs {
        mv(&mut j.created_at);
        mv(&mut j.started_at);
        mv_opt(&mut j.completed_at);
        for s in &mut j.steps {
            mv_opt(&mut s.started_at);
            mv_opt(&mut s.completed_at);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn formats_imf_fixdate() {
        let t = Utc
            .with_ymd_and_hms(2026, 12, 1, 10, 0, 0)
            .single()
            .expect("valid");
        assert_eq!(http_date(t), "Tue, 01 Dec 2026 10:00:00 GMT");
    }

    #[test]
    fn a_set_clock_runs_on() {
        let clock = Clock::default();
        let t = Utc
            .with_ymd_and_hms(2030, 1, 1, 0, 0, 0)
            .single()
            .expect("valid");
        clock.set(t);
        let read = clock.now();
        assert!(read >= t && read < t + TimeDelta::seconds(2), "{read}");
    }

    #[test]
    fn shifting_the_demo_moves_it_whole() {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 21, 10, 0, 0)
            .single()
            .expect("valid");
        let mut w = crate::sim::demo_world(t);
        w.shift(TimeDelta::days(10));
        assert_eq!(w, crate::sim::demo_world(t + TimeDelta::days(10)));
    }
}
