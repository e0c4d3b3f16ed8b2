//! Fault injection per method (or for every call, with the method `"*"`): rate limits,
//! server errors, front-end error pages, delays, dropped connections.

use std::time::Duration;

/// What to do to a call instead of (or before) answering it normally.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// 429 Too Many Requests with `parameters.retry_after`.
    TooManyRequests { retry_after: u32 },
    /// A 5xx status with Telegram's JSON envelope. teloxide's own request code sleeps 10 s
    /// after these; ServiceBot's `servicebot_telegram::api` client does not, it returns a
    /// transient error at once and lets the caller decide when to retry.
    ServerError { status: u16 },
    /// That status with an nginx HTML page instead of JSON, as Telegram's front end answers
    /// when the Bot API behind it is down (`502 Bad Gateway`, `504 Gateway Time-out`).
    ErrorPage { status: u16 },
    /// Answer normally, after a delay.
    Delay(Duration),
    /// Close the connection without answering.
    DropConnection,
    /// 400 Bad Request with this description (without the "Bad Request: " prefix).
    BadRequest(String),
}

/// The method name that makes a rule apply to every call: Bot API methods (`getUpdates`
/// included) and file downloads. Rules for the exact method are tried first.
pub(crate) const EVERY_METHOD: &str = "*";

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
