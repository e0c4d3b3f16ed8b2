//! Fault injection per method: rate limits, server errors, delays, dropped connections.

use std::time::Duration;

/// What to do to a call instead of (or before) answering it normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 Too Many Requests with `parameters.retry_after`.
    TooManyRequests { retry_after: u32 },
    /// A 5xx status (teloxide waits 10 s after these; prefer 4xx faults unless testing 5xx).
    ServerError { status: u16 },
    /// Answer normally, after a delay.
    Delay(Duration),
    /// Close the connection without answering.
    DropConnection,
    /// 400 Bad Request with this description (without the "Bad Request: " prefix).
    BadRequest(String),
}

#[derive(Debug)]
pub(crate) struct FaultRule {
    pub fault: Fault,
    /// Fire for this many more calls; `None` means "every call" (with `percent`).
    pub remaining: Option<u32>,
    /// Fire for this share of calls (deterministic spread), when `remaining` is `None`.
    pub percent: u32,
    pub calls: u64,
}

impl FaultRule {
    /// Whether this call gets the fault.
    pub fn fires(&mut self) -> bool {
        self.calls += 1;
        match &mut self.remaining {
            Some(0) => false,
            Some(n) => {
                *n -= 1;
                true
            }
            // Calls 1..=100 fire for exactly `percent` of them, spread evenly.
            None => (self.calls * u64::from(self.percent)) % 100 < u64::from(self.percent),
        }
    }

    pub fn exhausted(&self) -> bool {
        self.remaining == Some(0)
    }
}
