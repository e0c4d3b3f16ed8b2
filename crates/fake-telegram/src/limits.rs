//! Telegram's sending limits, opt-in (`FakeTelegram::enforce_limits`), and the log of every
//! message the bot created.
//!
//! Telegram documents its limits loosely: about one message a second to a private chat (short
//! bursts are fine), 20 messages a minute to a group, about 30 messages a second overall; going
//! faster earns `429 Too Many Requests` with `retry_after` in whole seconds. The fake enforces:
//!
//! - a private chat: a token bucket of [`PRIVATE_BURST`] messages refilled one a second, lenient
//!   by [`PRIVATE_SLACK`] (a send that comes that much early still passes), so that network
//!   jitter between two sends a second apart never earns a 429;
//! - a group: at most [`GROUP_PER_MINUTE`] messages in any 60 seconds;
//! - overall: at most [`GLOBAL_PER_SECOND`] + [`GLOBAL_SLACK`] messages in any second.
//!
//! Only calls that create messages count: `sendMessage`, `send<Media>`, `copyMessage`,
//! `forwardMessage` (one each), `sendMediaGroup` and `copyMessages` (one toward the chat, one
//! per item toward the global limit, as Telegram counts an album as several messages). Edits,
//! pins, deletes, `answerCallbackQuery`, `getUpdates`, `getFile` and the rest do not. A refused
//! call (429 or any other error) counts for nothing.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::params::{ApiError, Params};

/// Messages a private chat may receive at once.
pub const PRIVATE_BURST: u32 = 3;
/// One message a second to a private chat, sustained.
pub const PRIVATE_INTERVAL: Duration = Duration::from_secs(1);
/// How early a private-chat send may come and still pass.
pub const PRIVATE_SLACK: Duration = Duration::from_millis(250);
/// Messages a group may receive in any 60 seconds.
pub const GROUP_PER_MINUTE: usize = 20;
/// Messages the bot may send in any second, across all chats...
pub const GLOBAL_PER_SECOND: usize = 30;
/// ...plus this many, for jitter.
pub const GLOBAL_SLACK: usize = 3;

const MINUTE: Duration = Duration::from_secs(60);
const SECOND: Duration = Duration::from_secs(1);

/// A message-creating call the fake answered successfully, as the bot's send log shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRecord {
    /// When the fake created the messages (after the modelled latency).
    pub at: Instant,
    pub chat_id: i64,
    /// The Bot API method as the bot called it, lower-cased (`sendmessage`, `copymessage`…).
    pub method: String,
    /// The messages it created, in order (an album: one per item).
    pub message_ids: Vec<i32>,
}

/// Which of Telegram's limits refused a send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// About one message a second to a private chat, after a burst.
    PrivateChat,
    /// 20 messages a minute to a group.
    Group,
    /// 30 messages a second across all chats.
    Global,
}

/// A send the enforced limits refused with 429.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitRefusal {
    pub at: Instant,
    pub chat_id: i64,
    pub method: String,
    /// The limit that refused it (the chat's when both would have).
    pub limit: Limit,
    pub retry_after: u32,
}

/// The limits' state and the send log.
#[derive(Debug, Default)]
pub(crate) struct Limits {
    pub enforce: bool,
    /// Per private chat: when its bucket is full again (GCRA's theoretical arrival time).
    private: HashMap<i64, Instant>,
    /// Per group: when its recent messages were sent.
    groups: HashMap<i64, VecDeque<Instant>>,
    /// Every message of the last second, across chats (an album's items are separate entries).
    global: VecDeque<Instant>,
    /// The calls the limits refused, oldest first.
    pub refused: Vec<LimitRefusal>,
    pub log: Vec<SendRecord>,
}

/// How a call counts: toward the chat (0 or 1) and toward the global limit (its messages).
fn weight(method: &str, params: &Params) -> Option<usize> {
    match method {
        "sendmessage" | "sendphoto" | "sendvideo" | "senddocument" | "sendaudio" | "sendvoice"
        | "sendvideonote" | "copymessage" | "forwardmessage" => Some(1),
        "sendmediagroup" => Some(items(params, "media")),
        "copymessages" => Some(items(params, "message_ids")),
        _ => None,
    }
}

fn items(params: &Params, key: &str) -> usize {
    params
        .json(key)
        .ok()
        .flatten()
        .and_then(|v| v.as_array().map(Vec::len))
        .unwrap_or(1)
        .max(1)
}

/// Whole seconds, rounded up, at least one: Telegram's `retry_after`.
fn whole_seconds(wait: Duration) -> u32 {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(secs.max(1)).unwrap_or(u32::MAX)
}

fn too_many(wait: Duration) -> ApiError {
    let retry_after = whole_seconds(wait);
    ApiError {
        code: 429,
        description: format!("Too Many Requests: retry after {retry_after}"),
        retry_after: Some(retry_after),
    }
}

fn forget_before(window: &mut VecDeque<Instant>, since: Instant) {
    while window.front().is_some_and(|t| *t <= since) {
        window.pop_front();
    }
}

impl Limits {
    /// Runs `call` (a Bot API method) under the limits: refuses it with 429 if it would exceed
    /// one (when enforced), else runs it and, if it created messages, counts and logs them.
    pub fn run(
        &mut self,
        method: &str,
        params: &Params,
        call: impl FnOnce() -> Result<Value, ApiError>,
    ) -> Result<Value, ApiError> {
        let (Some(weight), Ok(chat_id)) = (weight(method, params), params.chat_id()) else {
            return call();
        };
        let now = Instant::now();
        if self.enforce
            && let Err((limit, wait)) = self.check(chat_id, weight, now)
        {
            let error = too_many(wait);
            self.refused.push(LimitRefusal {
                at: now,
                chat_id,
                method: method.to_owned(),
                limit,
                retry_after: error.retry_after.unwrap_or(1),
            });
            return Err(error);
        }
        let result = call()?;
        if self.enforce {
            self.take(chat_id, weight, now);
        }
        self.log.push(SendRecord {
            at: Instant::now(),
            chat_id,
            method: method.to_owned(),
            message_ids: message_ids(&result),
        });
        Ok(result)
    }

    /// Whether a call of `weight` messages to `chat_id` may go now; if not, the limit in the
    /// way (the chat's first) and how long until it would pass.
    fn check(
        &mut self,
        chat_id: i64,
        weight: usize,
        now: Instant,
    ) -> Result<(), (Limit, Duration)> {
        let chat = if chat_id > 0 {
            let full_at = self.private.get(&chat_id).copied().unwrap_or(now);
            let allowed = PRIVATE_INTERVAL * (PRIVATE_BURST - 1) + PRIVATE_SLACK;
            let wait = full_at
                .saturating_duration_since(now)
                .saturating_sub(allowed);
            (Limit::PrivateChat, wait)
        } else {
            let window = self.groups.entry(chat_id).or_default();
            forget_before(window, now.checked_sub(MINUTE).unwrap_or(now));
            let wait = match window.front() {
                Some(oldest) if window.len() >= GROUP_PER_MINUTE => {
                    (*oldest + MINUTE).saturating_duration_since(now)
                }
                _ => Duration::ZERO,
            };
            (Limit::Group, wait)
        };
        forget_before(&mut self.global, now.checked_sub(SECOND).unwrap_or(now));
        let limit = GLOBAL_PER_SECOND + GLOBAL_SLACK;
        let mut global = Duration::ZERO;
        if self.global.len() + weight > limit {
            // The window must drop enough old messages for these to fit.
            let must_leave = (self.global.len() + weight - limit).min(self.global.len());
            let until = match must_leave.checked_sub(1).and_then(|i| self.global.get(i)) {
                Some(t) => *t + SECOND,
                // An album larger than the whole allowance: it never fits; say a second.
                None => now + SECOND,
            };
            global = until
                .saturating_duration_since(now)
                .max(Duration::from_nanos(1));
        }
        if !chat.1.is_zero() {
            Err((chat.0, chat.1.max(global)))
        } else if !global.is_zero() {
            Err((Limit::Global, global))
        } else {
            Ok(())
        }
    }

    fn take(&mut self, chat_id: i64, weight: usize, now: Instant) {
        if chat_id > 0 {
            let full_at = self.private.entry(chat_id).or_insert(now);
            *full_at = (*full_at).max(now) + PRIVATE_INTERVAL;
        } else {
            self.groups.entry(chat_id).or_default().push_back(now);
        }
        self.global.extend(std::iter::repeat_n(now, weight));
    }
}

/// The message ids in a result: one message, or an array of messages (or of `{message_id}`).
fn message_ids(result: &Value) -> Vec<i32> {
    let id = |v: &Value| {
        v.get("message_id")
            .and_then(Value::as_i64)
            .and_then(|id| i32::try_from(id).ok())
    };
    match result {
        Value::Array(items) => items.iter().filter_map(id).collect(),
        other => id(other).into_iter().collect(),
    }
}
