//! Telegram's sending limits as token buckets, sans-IO.
//!
//! Telegram allows about one message a second per private chat (with short bursts), 20 messages
//! a minute per group and 30 messages a second overall; going faster earns a 429 with
//! `retry_after`. A reply to a user's own action should go out at once — that is what the burst
//! is for — while a long series to one chat is paced. The outbox worker asks [`Pacer::reserve`]
//! before each send and sleeps for the returned wait; nothing here reads the clock, so every
//! decision is a function of the `now` passed in and tests are exact.
//!
//! Only message-like calls are paced (send, copy, forward, media groups, edits, pins): they are
//! what Telegram counts. Calls such as `answerCallbackQuery`, `getFile` or `setMyCommands` are not
//! passed through the pacer at all — the caller decides, and a callback answer must never wait
//! behind a chat's queue (Telegram shows a spinner until it comes).

pub mod priority;

use std::collections::HashMap;
use std::time::{Duration, Instant};

const NANOS_PER_SECOND: f64 = 1e9;
/// The slowest refill a bucket accepts; slower (or invalid) rates are clamped to it so that the
/// arithmetic below never overflows.
const MAX_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);

/// A token bucket: up to `capacity` sends at once, refilled at one token per `interval`.
///
/// It is kept in the equivalent "theoretical arrival time" form (GCRA) rather than as a
/// fractional token count: the state is one instant and all arithmetic is on whole nanoseconds,
/// so waits are exact — 20 a minute is one token every 3 s, not every 2.9999999 s — and a caller
/// that sleeps for the returned wait always finds its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenBucket {
    capacity: u32,
    interval: Duration,
    /// When the bucket would be full again if nothing more were taken. At or before `now` the
    /// bucket is full; each token taken moves it one `interval` later.
    full_at: Instant,
}

impl TokenBucket {
    /// A full bucket holding `capacity` tokens (at least one), refilled at `per_second` tokens a
    /// second. The refill interval is rounded up to a whole nanosecond, so the bucket never lets
    /// more through than the rate allows.
    pub fn new(capacity: u32, per_second: f64, now: Instant) -> Self {
        // `as` saturates (NaN becomes 0); the clamp below handles zero, negative and infinite.
        let nanos = (NANOS_PER_SECOND / per_second).ceil();
        let interval = if nanos.is_finite() && nanos > 0.0 {
            Duration::from_nanos(nanos as u64)
        } else {
            MAX_INTERVAL
        };
        Self::with_interval(capacity, interval, now)
    }

    /// A full bucket holding `capacity` tokens (at least one), refilled one token per `interval`
    /// (clamped to 1 ns … 1 day). Use this when the rate is "N per period": `period / N` rounded
    /// up keeps integer periods exact.
    pub fn with_interval(capacity: u32, interval: Duration, now: Instant) -> Self {
        Self {
            capacity: capacity.max(1),
            interval: interval.clamp(Duration::from_nanos(1), MAX_INTERVAL),
            full_at: now,
        }
    }

    /// How much later than `full_at` may lie while a token is still available: the other
    /// `capacity - 1` tokens.
    fn tolerance(&self) -> Duration {
        self.interval.saturating_mul(self.capacity - 1)
    }

    /// How long until a token is available; zero when one is available now.
    pub fn wait(&self, now: Instant) -> Duration {
        self.full_at
            .saturating_duration_since(now)
            .saturating_sub(self.tolerance())
    }

    /// Takes one token, or says how long until one is available (and takes nothing).
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        let wait = self.wait(now);
        if !wait.is_zero() {
            return Err(wait);
        }
        let base = self.full_at.max(now);
        self.full_at = base.checked_add(self.interval).unwrap_or(base);
        Ok(())
    }

    /// No token before `until` (Telegram's `retry_after`), then one token at `until` and the
    /// normal rate after it: a burst right after a flood wait would only earn another one.
    /// A pause that ends earlier than one already in force changes nothing.
    pub fn pause_until(&mut self, until: Instant) {
        if let Some(full_at) = until.checked_add(self.tolerance()) {
            self.full_at = self.full_at.max(full_at);
        }
    }

    /// Whether the bucket holds all its tokens at `now`: then it is indistinguishable from a new
    /// one and may be forgotten.
    pub fn is_full(&self, now: Instant) -> bool {
        self.full_at <= now
    }

    /// The time one token takes to come back.
    pub fn interval(&self) -> Duration {
        self.interval
    }
}

/// What Telegram limits a chat by. Group and supergroup ids are negative, users' ids positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatKind {
    Private,
    Group,
}

impl ChatKind {
    /// The kind of chat an id belongs to (negative ids are groups and channels).
    pub fn of(chat_id: i64) -> Self {
        if chat_id < 0 {
            ChatKind::Group
        } else {
            ChatKind::Private
        }
    }
}

/// Telegram's sending limits. The defaults are the documented ones with the burst kept small:
/// three messages to a chat at once covers a reply with a keyboard and a follow-up.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Messages one private chat may receive at once.
    pub private_burst: u32,
    /// Sustained messages a second to one private chat.
    pub private_per_second: f64,
    /// Messages one group may receive at once.
    pub group_burst: u32,
    /// Sustained messages a minute to one group.
    pub group_per_minute: u32,
    /// Sustained messages a second across all chats.
    pub global_per_second: u32,
    /// Messages across all chats at once.
    pub global_burst: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            private_burst: 3,
            private_per_second: 1.0,
            group_burst: 3,
            group_per_minute: 20,
            // Telegram says "about 30 messages a second" and refuses more in any one second:
            // a bucket of 2 refilled 28 times a second never puts more than 30 into a second,
            // while keeping 93% of the ceiling.
            global_per_second: 28,
            global_burst: 2,
        }
    }
}

impl Limits {
    /// Limits no test will reach (about four billion messages at once, a billion a second), for
    /// tests that must never wait. A 429 pause still applies.
    pub fn unlimited() -> Self {
        Self {
            private_burst: u32::MAX,
            private_per_second: 1e9,
            group_burst: u32::MAX,
            group_per_minute: u32::MAX,
            global_per_second: u32::MAX,
            global_burst: u32::MAX,
        }
    }

    fn chat_bucket(&self, kind: ChatKind, now: Instant) -> TokenBucket {
        match kind {
            ChatKind::Private => TokenBucket::new(self.private_burst, self.private_per_second, now),
            ChatKind::Group => TokenBucket::with_interval(
                self.group_burst,
                per_period(Duration::from_secs(60), self.group_per_minute),
                now,
            ),
        }
    }

    fn global_bucket(&self, now: Instant) -> TokenBucket {
        TokenBucket::with_interval(
            self.global_burst,
            per_period(Duration::from_secs(1), self.global_per_second),
            now,
        )
    }
}

/// One token's interval for `count` tokens per `period`, rounded up to a whole nanosecond so the
/// rate is never exceeded.
fn per_period(period: Duration, count: u32) -> Duration {
    if count == 0 {
        return MAX_INTERVAL;
    }
    let nanos = period.as_nanos().div_ceil(u128::from(count));
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// The sending limits of one bot: a global bucket and one bucket per chat, created when the chat
/// is first sent to and forgotten once full again ([`Pacer::forget_idle`]).
#[derive(Debug, Clone)]
pub struct Pacer {
    limits: Limits,
    global: TokenBucket,
    chats: HashMap<i64, TokenBucket>,
}

impl Pacer {
    /// A pacer with every bucket full at `now`.
    pub fn new(limits: Limits, now: Instant) -> Self {
        Self {
            global: limits.global_bucket(now),
            limits,
            chats: HashMap::new(),
        }
    }

    /// Takes a token for a send to `chat_id` from both the chat's bucket and the global one, or
    /// from neither: a chat that must wait does not use up the global allowance other chats could
    /// use, and a full global bucket does not eat the chat's burst. On refusal, the longer of the
    /// two waits.
    pub fn reserve(&mut self, chat_id: i64, now: Instant) -> Result<(), Duration> {
        let wait = self.wait(chat_id, now);
        if !wait.is_zero() {
            return Err(wait);
        }
        let chat = self
            .chats
            .entry(chat_id)
            .or_insert_with(|| self.limits.chat_bucket(ChatKind::of(chat_id), now));
        // Both waits are zero, so both takes succeed; the results are checked anyway so that a
        // change to one bucket's rules can never make them disagree silently.
        chat.take(now)?;
        self.global.take(now)
    }

    /// How long until a send to `chat_id` may go out; zero when [`Pacer::reserve`] would succeed.
    pub fn wait(&self, chat_id: i64, now: Instant) -> Duration {
        // A chat with no bucket yet has a full one.
        let chat = self
            .chats
            .get(&chat_id)
            .map_or(Duration::ZERO, |b| b.wait(now));
        chat.max(self.global.wait(now))
    }

    /// Telegram answered a send to this chat with 429 `retry_after`: nothing more to it before
    /// `until`. Other chats are not delayed.
    pub fn pause_chat(&mut self, chat_id: i64, until: Instant) {
        // A new bucket created at `until` is full then; the pause makes it empty before it.
        self.chats
            .entry(chat_id)
            .or_insert_with(|| self.limits.chat_bucket(ChatKind::of(chat_id), until))
            .pause_until(until);
    }

    /// Telegram imposed a flood wait on the whole bot: nothing to anyone before `until`.
    pub fn pause_all(&mut self, until: Instant) {
        self.global.pause_until(until);
    }

    /// Forgets the chats whose buckets are full again at `now`. A full bucket behaves exactly like
    /// the one created on the next send, so forgetting changes no decision; it only keeps the map
    /// as small as the set of recently active chats. Call it now and then (say, once a minute).
    pub fn forget_idle(&mut self, now: Instant) {
        self.chats.retain(|_, bucket| !bucket.is_full(now));
    }

    /// How many chats currently have a bucket.
    pub fn tracked_chats(&self) -> usize {
        self.chats.len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used, reason = "test code")]

    use super::*;

    const SECOND: Duration = Duration::from_secs(1);
    /// One thirtieth of a second, rounded up to the nanosecond.
    const GLOBAL_INTERVAL: Duration = Duration::from_nanos(33_333_334);

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn chat_kinds_follow_the_sign_of_the_id() {
        let cases = [
            ("user", 42, ChatKind::Private),
            ("group", -42, ChatKind::Group),
            ("supergroup", -1_001_234_567_890, ChatKind::Group),
        ];
        for (name, id, expected) in cases {
            assert_eq!(ChatKind::of(id), expected, "{name}");
        }
    }

    #[test]
    fn bucket_waits_are_exact() {
        let t0 = Instant::now();
        struct Case {
            name: &'static str,
            bucket: TokenBucket,
            /// Offsets from t0 of attempts, with the expected outcome.
            steps: Vec<(Duration, Result<(), Duration>)>,
        }
        let cases = vec![
            Case {
                name: "one a second, burst of two",
                bucket: TokenBucket::new(2, 1.0, t0),
                steps: vec![
                    (ms(0), Ok(())),
                    (ms(0), Ok(())),
                    (ms(0), Err(SECOND)),
                    (ms(250), Err(ms(750))),
                    (ms(1000), Ok(())),
                    (ms(1000), Err(SECOND)),
                ],
            },
            Case {
                name: "twenty a minute is one every 3 s",
                bucket: TokenBucket::with_interval(1, per_period(60 * SECOND, 20), t0),
                steps: vec![
                    (ms(0), Ok(())),
                    (ms(1), Err(ms(2999))),
                    (ms(3000), Ok(())),
                    (ms(5999), Err(ms(1))),
                    (ms(6000), Ok(())),
                ],
            },
            Case {
                name: "half a token a second",
                bucket: TokenBucket::new(1, 0.5, t0),
                steps: vec![
                    (ms(0), Ok(())),
                    (ms(0), Err(2 * SECOND)),
                    (ms(2000), Ok(())),
                ],
            },
            Case {
                name: "an idle bucket refills only up to its capacity",
                bucket: TokenBucket::new(2, 1.0, t0),
                steps: vec![
                    (ms(60_000), Ok(())),
                    (ms(60_000), Ok(())),
                    (ms(60_000), Err(SECOND)),
                ],
            },
            Case {
                name: "an invalid rate is clamped, not a panic",
                bucket: TokenBucket::new(1, 0.0, t0),
                steps: vec![(ms(0), Ok(())), (ms(0), Err(MAX_INTERVAL))],
            },
        ];
        for Case {
            name,
            mut bucket,
            steps,
        } in cases
        {
            for (i, (offset, expected)) in steps.into_iter().enumerate() {
                let now = t0 + offset;
                let wait = bucket.wait(now);
                let got = bucket.take(now);
                assert_eq!(got, expected, "{name}, step {i}");
                assert_eq!(
                    wait,
                    expected.err().unwrap_or_default(),
                    "{name}, step {i}: wait() agrees with take()"
                );
            }
        }
    }

    #[test]
    fn private_chat_bursts_three_then_one_a_second() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(chat_only(), t0);
        for i in 0..3 {
            assert_eq!(
                pacer.reserve(42, t0),
                Ok(()),
                "burst message {i} goes at once"
            );
        }
        assert_eq!(
            pacer.reserve(42, t0),
            Err(SECOND),
            "the fourth waits a second"
        );
        assert_eq!(pacer.reserve(42, t0 + ms(400)), Err(ms(600)));
        assert_eq!(pacer.reserve(42, t0 + SECOND), Ok(()));
        assert_eq!(pacer.reserve(42, t0 + SECOND), Err(SECOND));
        assert_eq!(pacer.reserve(42, t0 + 2 * SECOND), Ok(()));
    }

    #[test]
    fn group_gets_twenty_a_minute_after_its_burst() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(chat_only(), t0);
        let group = -100_123;
        let mut sent = Vec::new();
        let mut now = t0;
        while now <= t0 + 60 * SECOND {
            match pacer.reserve(group, now) {
                Ok(()) => sent.push(now - t0),
                Err(wait) => now += wait,
            }
        }
        let mut expected = vec![Duration::ZERO; 3];
        expected.extend((1..=20).map(|i| i * 3 * SECOND));
        assert_eq!(sent, expected, "3 at once, then one every 3 s");
    }

    /// The default chat limits with a global limit out of reach: a chat's own bucket, alone.
    fn chat_only() -> Limits {
        Limits {
            global_per_second: 1_000_000,
            global_burst: 1_000_000,
            ..Limits::default()
        }
    }

    /// A global bucket of 30 refilled 30 times a second: the mechanism, at round numbers.
    fn thirty_at_once() -> Limits {
        Limits {
            global_per_second: 30,
            global_burst: 30,
            ..Limits::default()
        }
    }

    #[test]
    fn the_default_limits_never_put_more_than_30_into_any_second() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(Limits::default(), t0);
        let mut now = t0;
        let mut sent: Vec<Duration> = Vec::new();
        let mut chat = 0;
        while now < t0 + 10 * SECOND {
            match pacer.reserve(chat % 100 + 1, now) {
                Ok(()) => {
                    sent.push(now - t0);
                    chat += 1;
                }
                Err(wait) => now += wait,
            }
        }
        let busiest = sent
            .iter()
            .map(|start| {
                sent.iter()
                    .filter(|at| **at >= *start && **at < *start + SECOND)
                    .count()
            })
            .max()
            .unwrap_or(0);
        assert!(busiest <= 30, "{busiest} sends in one second");
        assert!(
            sent.len() >= 270,
            "at least 90% of 30/s over 10 s: {}",
            sent.len()
        );
    }

    #[test]
    fn global_limit_is_thirty_a_second_across_chats() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(thirty_at_once(), t0);
        let outcomes: Vec<_> = (1..=100).map(|chat| pacer.reserve(chat, t0)).collect();
        assert!(
            outcomes[..30].iter().all(Result::is_ok),
            "the first 30 chats go at once"
        );
        assert!(
            outcomes[30..].iter().all(|o| *o == Err(GLOBAL_INTERVAL)),
            "the other 70 wait for the global bucket: {:?}",
            &outcomes[30..]
        );
        assert_eq!(pacer.tracked_chats(), 30, "refused chats got no bucket");
        assert_eq!(pacer.reserve(31, t0 + GLOBAL_INTERVAL), Ok(()));
        assert_eq!(
            pacer.reserve(32, t0 + GLOBAL_INTERVAL),
            Err(GLOBAL_INTERVAL)
        );

        // Sustained: sending to 100 chats round-robin as fast as allowed for 10 s never exceeds
        // the burst plus the rate.
        let mut pacer = Pacer::new(thirty_at_once(), t0);
        let mut now = t0;
        let mut sent = 0u32;
        let mut chat = 0;
        while now < t0 + 10 * SECOND {
            match pacer.reserve(chat % 100 + 1, now) {
                Ok(()) => {
                    sent += 1;
                    chat += 1;
                }
                Err(wait) => now += wait,
            }
        }
        assert!(
            (329..=330).contains(&sent),
            "30 at once + 30/s for 10 s, got {sent}"
        );
    }

    #[test]
    fn reserve_takes_from_both_buckets_or_neither() {
        let t0 = Instant::now();
        // Global empty: the chat's (slowly refilling) token must stay.
        let limits = Limits {
            private_burst: 1,
            private_per_second: 1.0 / 3600.0,
            global_burst: 1,
            global_per_second: 1,
            ..Limits::default()
        };
        let mut pacer = Pacer::new(limits, t0);
        assert_eq!(pacer.reserve(1, t0), Ok(()));
        assert_eq!(pacer.reserve(2, t0), Err(SECOND), "global empty");
        assert_eq!(
            pacer.reserve(2, t0 + SECOND),
            Ok(()),
            "chat 2's only token was not consumed by the refused reserve"
        );

        // Chat empty: the global token must stay for another chat.
        let limits = Limits {
            global_burst: 4,
            global_per_second: 1,
            ..Limits::default()
        };
        let mut pacer = Pacer::new(limits, t0);
        for _ in 0..3 {
            assert_eq!(pacer.reserve(1, t0), Ok(()));
        }
        for _ in 0..5 {
            assert_eq!(pacer.reserve(1, t0), Err(SECOND), "chat 1 is empty");
        }
        assert_eq!(
            pacer.reserve(2, t0),
            Ok(()),
            "chat 1's refusals did not consume the last global token"
        );
        assert_eq!(pacer.reserve(3, t0), Err(SECOND), "now the global is empty");
    }

    #[test]
    fn refusal_reports_the_longer_wait() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(Limits::default(), t0);
        pacer.pause_all(t0 + ms(200));
        pacer.pause_chat(7, t0 + ms(900));
        let cases = [
            ("chat pause is longer", 7, ms(900)),
            ("only the global pause", 8, ms(200)),
        ];
        for (name, chat, expected) in cases {
            assert_eq!(pacer.wait(chat, t0), expected, "{name}");
            assert_eq!(pacer.reserve(chat, t0), Err(expected), "{name}");
        }
    }

    #[test]
    fn a_429_on_one_chat_does_not_delay_another() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(chat_only(), t0);
        assert_eq!(pacer.reserve(1, t0), Ok(()));
        pacer.pause_chat(1, t0 + 5 * SECOND);
        assert_eq!(
            pacer.reserve(1, t0 + SECOND),
            Err(4 * SECOND),
            "chat 1 waits"
        );
        for i in 0..3 {
            assert_eq!(pacer.reserve(2, t0 + SECOND), Ok(()), "chat 2, message {i}");
        }
        assert_eq!(
            pacer.reserve(1, t0 + 5 * SECOND),
            Ok(()),
            "retry at retry_after"
        );
        assert_eq!(
            pacer.reserve(1, t0 + 5 * SECOND),
            Err(SECOND),
            "no burst right after a flood wait"
        );
        pacer.pause_chat(1, t0 + 2 * SECOND);
        assert_eq!(
            pacer.wait(1, t0 + 5 * SECOND),
            SECOND,
            "an earlier pause does not shorten the wait"
        );
        pacer.pause_chat(9, t0 + 8 * SECOND);
        assert_eq!(
            pacer.reserve(9, t0 + 5 * SECOND),
            Err(3 * SECOND),
            "a chat never sent to can be paused"
        );
        assert_eq!(pacer.reserve(9, t0 + 8 * SECOND), Ok(()));
    }

    #[test]
    fn a_global_flood_wait_delays_everyone() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(thirty_at_once(), t0);
        pacer.pause_all(t0 + 10 * SECOND);
        for chat in [1, 2, -3] {
            assert_eq!(
                pacer.reserve(chat, t0 + SECOND),
                Err(9 * SECOND),
                "chat {chat}"
            );
        }
        assert_eq!(pacer.reserve(1, t0 + 10 * SECOND), Ok(()));
        assert_eq!(
            pacer.reserve(2, t0 + 10 * SECOND),
            Err(GLOBAL_INTERVAL),
            "one at the end of the wait, then the rate"
        );
    }

    #[test]
    fn idle_full_buckets_are_forgotten() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(Limits::unlimited(), t0);
        for chat in 1..=1000 {
            assert_eq!(pacer.reserve(chat, t0), Ok(()));
        }
        pacer.pause_chat(5000, t0 + 60 * SECOND);
        assert_eq!(pacer.tracked_chats(), 1001);
        pacer.forget_idle(t0);
        assert_eq!(
            pacer.tracked_chats(),
            1001,
            "buckets still refilling are kept"
        );
        pacer.forget_idle(t0 + SECOND);
        assert_eq!(pacer.tracked_chats(), 1, "only the paused chat is left");
        assert_eq!(pacer.wait(5000, t0 + SECOND), 59 * SECOND);

        // Forgetting changes no decision: a forgotten chat has its full burst again.
        let mut pacer = Pacer::new(Limits::default(), t0);
        assert_eq!(pacer.reserve(1, t0), Ok(()));
        let later = t0 + 2 * SECOND;
        let mut kept = pacer.clone();
        pacer.forget_idle(later);
        assert_eq!(pacer.tracked_chats(), 0);
        for i in 0..4 {
            assert_eq!(pacer.reserve(1, later), kept.reserve(1, later), "send {i}");
        }
    }

    #[test]
    fn unlimited_never_waits() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(Limits::unlimited(), t0);
        for i in 0..100_000 {
            let chat = if i % 2 == 0 { 1 } else { -1 };
            assert_eq!(pacer.reserve(chat, t0), Ok(()), "send {i}");
        }
    }

    #[test]
    fn sends_never_exceed_burst_plus_rate() {
        // Property: whatever the attempt times, a private chat gets at most
        // burst + elapsed seconds (rounded down) messages in any window starting at a send.
        let t0 = Instant::now();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..50 {
            let mut pacer = Pacer::new(Limits::default(), t0);
            let mut now = t0;
            let mut sent = Vec::new();
            for _ in 0..300 {
                now += ms(next() % 700);
                match pacer.reserve(1, now) {
                    Ok(()) => sent.push(now),
                    Err(wait) => {
                        assert!(wait > Duration::ZERO && wait <= SECOND, "round {round}");
                        assert_eq!(pacer.reserve(1, now + wait), Ok(()), "the wait suffices");
                        now += wait;
                        sent.push(now);
                    }
                }
            }
            for (i, start) in sent.iter().enumerate() {
                for (j, end) in sent.iter().enumerate().skip(i) {
                    let allowed = 3 + (*end - *start).as_secs();
                    let count = (j - i + 1) as u64;
                    assert!(
                        count <= allowed,
                        "round {round}: {count} sends in {:?}",
                        *end - *start
                    );
                }
            }
        }
    }
}
