//! Classifying Telegram errors: what to retry, what to give up on, what is harmless.

use std::time::Duration;

use teloxide::{ApiError, RequestError};

/// What to do after a failed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The user blocked the bot: stop sending to them.
    Blocked,
    /// Try again after this long (rate limit, network, server error).
    Retry(Duration),
    /// A permanent refusal: retrying would fail the same way.
    Permanent(String),
}

/// Backoff for the `attempt`-th retry (1-based): 2 s doubling, at most 10 minutes.
pub fn backoff(attempt: u32) -> Duration {
    let seconds = 2u64.saturating_pow(attempt.min(10)).min(600);
    Duration::from_secs(seconds)
}

pub fn classify(error: &RequestError, attempt: u32) -> Failure {
    match error {
        RequestError::Api(ApiError::BotBlocked) | RequestError::Api(ApiError::UserDeactivated) => {
            Failure::Blocked
        }
        RequestError::RetryAfter(seconds) => Failure::Retry(seconds.duration()),
        RequestError::Network(_) | RequestError::Io(_) => Failure::Retry(backoff(attempt)),
        RequestError::Api(ApiError::Unknown(text))
            if text.contains("Internal Server Error") || text.contains("Bad Gateway") =>
        {
            Failure::Retry(backoff(attempt))
        }
        other => Failure::Permanent(other.to_string()),
    }
}

/// An edit that changed nothing is not a failure.
pub fn is_not_modified(error: &RequestError) -> bool {
    matches!(error, RequestError::Api(ApiError::MessageNotModified))
}
