//! Which waiting message gets Telegram's overall allowance first, sans-IO.
//!
//! The overall limit (30 messages a second) is shared by every chat. When more is waiting than
//! it allows — a burst of albums to a hundred clients — each message a staff member relays also
//! has a receipt of its own, so sending them oldest first would halve the rate at which car
//! owners get their photos. Instead, in each pass over the lanes' heads:
//!
//! 1. a reply to someone's own action (a screen, an answer, a client's words relayed to staff)
//!    goes first: it is what a person is looking at the screen waiting for;
//! 2. then what staff send to clients;
//! 3. then the receipts that report those sends to staff: a receipt only says how item 2 went,
//!    so it can wait for it, and while the overall allowance is not short it waits for nothing.
//!
//! Order within a chat is never changed: only each lane's head is ranked, and a lane sends its
//! items one at a time in the order they were queued.

/// How urgent a waiting message is; smaller goes first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SendClass {
    /// A reply to the user's own action, or anything not covered below.
    Reply,
    /// A message relayed from staff to a client (reported in a staff receipt).
    Relay,
    /// A staff receipt's own message ("отправляется…").
    Receipt,
}

/// The class of an outbox item: `reported` when a staff receipt reports it, `is_receipt` when
/// it is a receipt's own message.
pub fn send_class(reported: bool, is_receipt: bool) -> SendClass {
    match (is_receipt, reported) {
        (true, _) => SendClass::Receipt,
        (false, true) => SendClass::Relay,
        (false, false) => SendClass::Reply,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_what_the_item_is() {
        let cases = [
            ("a screen or an answer", false, false, SendClass::Reply),
            ("a relay", true, false, SendClass::Relay),
            ("a receipt's own message", false, true, SendClass::Receipt),
            ("never its own", true, true, SendClass::Receipt),
        ];
        for (name, reported, is_receipt, expected) in cases {
            assert_eq!(send_class(reported, is_receipt), expected, "{name}");
        }
    }

    #[test]
    fn replies_go_before_relays_before_receipts() {
        let mut heads = vec![
            (1, SendClass::Receipt),
            (2, SendClass::Relay),
            (3, SendClass::Reply),
            (4, SendClass::Relay),
            (5, SendClass::Receipt),
        ];
        heads.sort_by_key(|&(id, class)| (class, id));
        let order: Vec<i64> = heads.into_iter().map(|(id, _)| id).collect();
        assert_eq!(order, [3, 2, 4, 1, 5], "by class, then oldest first");
    }
}
