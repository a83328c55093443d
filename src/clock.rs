//! The server's notion of "now", injected so that expiry, `search_timestamp`, weekly limits and the
//! fixtures' relative dates can be driven by tests (and, later, by the testbed's virtual clock).
//!
//! The standard's dates and times are Korean local time without a zone (§1.1), so the clock hands
//! out KST (UTC+9, no daylight saving).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};

/// Korean Standard Time.
pub fn kst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// A clock: the system time shifted by an offset, a fixed instant shifted by it, or another clock
/// shifted by it (a namespace's virtual clock follows the server's clock plus its own offset).
#[derive(Debug, Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    base: Base,
    offset_ns: AtomicI64,
}

#[derive(Debug)]
enum Base {
    System,
    Fixed(DateTime<Utc>),
    Parent(Clock),
}

impl Clock {
    /// The real time.
    pub fn system() -> Self {
        Clock {
            inner: Arc::new(Inner {
                base: Base::System,
                offset_ns: AtomicI64::new(0),
            }),
        }
    }

    /// A clock that reads `self` plus its own offset, which starts at zero; moving it does not move
    /// `self`, while moving `self` moves it.
    pub fn child(&self) -> Self {
        Clock {
            inner: Arc::new(Inner {
                base: Base::Parent(self.clone()),
                offset_ns: AtomicI64::new(0),
            }),
        }
    }

    /// A clock standing still at `at` until advanced.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock {
            inner: Arc::new(Inner {
                base: Base::Fixed(at),
                offset_ns: AtomicI64::new(0),
            }),
        }
    }

    /// Moves the clock forward (or back, for a negative delta).
    pub fn advance(&self, by: TimeDelta) {
        self.inner
            .offset_ns
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |o| {
                Some(o.saturating_add(by.num_nanoseconds().unwrap_or(i64::MAX)))
            })
            .ok();
    }

    /// Sets the clock so that it reads `at` now (and runs on from there).
    pub fn set(&self, at: DateTime<Utc>) {
        let delta = at - self.now();
        self.advance(delta);
    }

    /// Puts the clock back on its base (offset zero).
    pub fn reset(&self) {
        self.inner.offset_ns.store(0, Ordering::Relaxed);
    }

    /// How far this clock is from its base.
    pub fn offset(&self) -> TimeDelta {
        TimeDelta::nanoseconds(self.inner.offset_ns.load(Ordering::Relaxed))
    }

    /// Now, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        let base = match &self.inner.base {
            Base::System => Utc::now(),
            Base::Fixed(at) => *at,
            Base::Parent(parent) => parent.now(),
        };
        base + self.offset()
    }

    /// Now, in Korean time.
    pub fn now_kst(&self) -> DateTime<FixedOffset> {
        self.now().with_timezone(&kst())
    }

    /// Today's date in Korea.
    pub fn today(&self) -> NaiveDate {
        self.now_kst().date_naive()
    }

    /// Now as a `DTIME` (`YYYYMMDDhhmmss`), the form of `search_timestamp`.
    pub fn dtime(&self) -> String {
        self.now_kst().format("%Y%m%d%H%M%S").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_reads_korean_time_and_advances() {
        let at = DateTime::parse_from_rfc3339("2026-03-01T15:30:00Z")
            .expect("time")
            .to_utc();
        let clock = Clock::fixed(at);
        assert_eq!(clock.dtime(), "20260302003000");
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 3, 2).expect("date")
        );
        clock.advance(TimeDelta::days(7));
        assert_eq!(clock.dtime(), "20260309003000");
    }

    #[test]
    fn a_child_clock_follows_its_parent_plus_its_own_offset() {
        let at = DateTime::parse_from_rfc3339("2026-03-01T00:00:00Z")
            .expect("time")
            .to_utc();
        let parent = Clock::fixed(at);
        let child = parent.child();
        child.advance(TimeDelta::days(1));
        assert_eq!(child.now(), at + TimeDelta::days(1));
        assert_eq!(parent.now(), at, "the child's offset is its own");
        parent.advance(TimeDelta::hours(1));
        assert_eq!(child.now(), at + TimeDelta::days(1) + TimeDelta::hours(1));
        child.set(at);
        assert_eq!(child.now(), at);
        // Setting is exact to the nanosecond, so a set midnight is that day, not the one before.
        let system = Clock::system().child();
        let midnight = DateTime::parse_from_rfc3339("2026-12-01T00:00:00+09:00")
            .expect("time")
            .to_utc();
        system.set(midnight);
        assert_eq!(
            system.today(),
            NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")
        );
        child.reset();
        assert_eq!(child.now(), parent.now());
    }
}
