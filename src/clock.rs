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

/// A clock: the system time shifted by an offset, or a fixed instant shifted by it.
#[derive(Debug, Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    fixed: Option<DateTime<Utc>>,
    offset_ms: AtomicI64,
}

impl Clock {
    /// The real time.
    pub fn system() -> Self {
        Clock {
            inner: Arc::new(Inner {
                fixed: None,
                offset_ms: AtomicI64::new(0),
            }),
        }
    }

    /// A clock standing still at `at` until advanced.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock {
            inner: Arc::new(Inner {
                fixed: Some(at),
                offset_ms: AtomicI64::new(0),
            }),
        }
    }

    /// Moves the clock forward (or back, for a negative delta).
    pub fn advance(&self, by: TimeDelta) {
        self.inner
            .offset_ms
            .fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }

    /// Now, in UTC.
    pub fn now(&self) -> DateTime<Utc> {
        let base = self.inner.fixed.unwrap_or_else(Utc::now);
        base + TimeDelta::milliseconds(self.inner.offset_ms.load(Ordering::Relaxed))
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
}
