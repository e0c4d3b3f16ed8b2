//! The rules of approving recommended work (SPEC §4.6), pure: whether a client's ✅/❌ is
//! recorded, whether staff pressing "зафиксировать" fixes the decision, and the item's buttons
//! showing the client's current decision. The adapter reads the request, its decisions and the
//! client's orders from the store, asks these, and writes and sends what the verdict says.
//!
//! A decision can be changed until staff fix it; the latest decision counts. A staff notice
//! reports one decision, so fixing from an older notice after the client changed their mind
//! fixes nothing and says what the client decided since.

use super::{Action, Button, Screen};
use crate::orders::Order;
use crate::store::Decision;
use crate::texts::{TextKey, Texts};

/// One recorded decision (a row of `approval_decisions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecisionView {
    /// `approval_decisions.id`: what a staff notice names as the decision it reported.
    pub id: i64,
    pub client_id: i64,
    pub decision: Decision,
}

/// An approval request as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestView<'a> {
    pub id: i64,
    pub order_folder: &'a str,
    /// Staff fixed the decision (`closed_at` is set): no more changes.
    pub fixed: bool,
    /// Every decision, oldest first (as `Approvals::decisions` returns them).
    pub decisions: &'a [DecisionView],
}

impl RequestView<'_> {
    /// The decision that counts: the latest.
    pub fn current(&self) -> Option<DecisionView> {
        self.decisions.last().copied()
    }
}

/// The client who pressed ✅ or ❌.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientView<'a> {
    pub id: i64,
    /// The client shared their own contact, so their phone is verified.
    pub verified_phone: bool,
    /// The open orders whose phone files list the client's phone now (empty without a phone).
    pub orders: &'a [Order],
}

/// Why a client's ✅/❌ is not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecideRefusal {
    /// No such request (the button outlived its data): "button stale".
    UnknownRequest,
    /// The client has no verified phone: "button stale", as before.
    NoVerifiedPhone,
    /// Staff already fixed the decision: "already fixed".
    Fixed,
    /// The order's phone file no longer lists the client's phone: "order unavailable".
    NotConnected,
}

/// What to do with a client's ✅ or ❌.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecideVerdict {
    /// Record `decision` (a new row with the client's phone and the time), put it in the
    /// transcript, tell the staff member who sent the item (the notice names the new row's id),
    /// answer "recorded", and show [`item_screen`] with `decision` on the item. `previous` is
    /// the decision it replaces, if any (by this client or another one of the order's).
    Record {
        decision: Decision,
        previous: Option<Decision>,
    },
    /// The decision that counts is already this client's `decision`: nothing new to record or
    /// to tell staff; answer "recorded" again.
    Unchanged { decision: Decision },
    /// Nothing recorded.
    Refused(DecideRefusal),
}

/// Whether a client's press of ✅ (`pressed` = approve) or ❌ on `request` is recorded.
/// `request` is `None` when the store has no such request. Checked in this order: the request
/// exists, the client's phone is verified, the decision is not fixed, the order still lists the
/// client's phone.
pub fn decide_verdict(
    request: Option<&RequestView<'_>>,
    client: &ClientView<'_>,
    pressed: Decision,
) -> DecideVerdict {
    let Some(request) = request else {
        return DecideVerdict::Refused(DecideRefusal::UnknownRequest);
    };
    if !client.verified_phone {
        return DecideVerdict::Refused(DecideRefusal::NoVerifiedPhone);
    }
    if request.fixed {
        return DecideVerdict::Refused(DecideRefusal::Fixed);
    }
    if !client
        .orders
        .iter()
        .any(|o| o.folder == request.order_folder)
    {
        return DecideVerdict::Refused(DecideRefusal::NotConnected);
    }
    let current = request.current();
    match current {
        Some(c) if c.client_id == client.id && c.decision == pressed => {
            DecideVerdict::Unchanged { decision: pressed }
        }
        _ => DecideVerdict::Record {
            decision: pressed,
            previous: current.map(|c| c.decision),
        },
    }
}

/// What to do when staff press "зафиксировать" on a decision notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseVerdict {
    /// Fix the request now: `decision` (the one that counts, and the one the notice reported)
    /// becomes final. Put it in the transcript, answer "fixed".
    Fix { decision: DecisionView },
    /// Fixed before: nothing to write; answer "fixed" (as before). `decision` is the final one.
    AlreadyFixed { decision: Option<DecisionView> },
    /// The client changed their decision after this notice: nothing fixed. Tell staff that the
    /// client now decided `current.decision` and offer to fix that (a fix button naming
    /// `current.id`). `reported` is the notice's decision; `None` for a notice that named none.
    Changed {
        reported: Option<DecisionView>,
        current: DecisionView,
    },
    /// The request has no decision yet: nothing to fix ("button stale").
    NoDecision,
    /// No such request, or the notice names a decision that is not one of this request's
    /// ("button stale").
    Stale,
}

/// Whether staff pressing "зафиксировать" fixes `request`. `reported` is the id of the decision
/// the pressed notice reported; `None` for a notice issued before notices named their decision,
/// which fixes only a request with a single decision (it can only have reported that one).
///
/// A notice whose decision was followed by others still fixes the request when the decision
/// that counts now says the same (approve → decline → approve): staff saw what is final.
pub fn close_verdict(request: Option<&RequestView<'_>>, reported: Option<i64>) -> CloseVerdict {
    let Some(request) = request else {
        return CloseVerdict::Stale;
    };
    let current = request.current();
    if request.fixed {
        return CloseVerdict::AlreadyFixed { decision: current };
    }
    let Some(current) = current else {
        return CloseVerdict::NoDecision;
    };
    let reported = match reported {
        Some(id) => match request.decisions.iter().find(|d| d.id == id) {
            Some(decision) => Some(*decision),
            None => return CloseVerdict::Stale,
        },
        None if request.decisions.len() == 1 => Some(current),
        None => None,
    };
    match reported {
        Some(reported) if reported.decision == current.decision => {
            CloseVerdict::Fix { decision: current }
        }
        reported => CloseVerdict::Changed { reported, current },
    }
}

/// What marks the client's current decision on the item's buttons.
pub const CHOSEN_MARK: &str = "✔ ";

/// The ✅/❌ buttons of an approval item (an item's own message, or the follow-up after an
/// album), with `current` — the decision that counts — marked. Both buttons stay, so the client
/// can change their mind until staff fix it.
pub fn item_screen(texts: &Texts, request: i64, current: Option<Decision>) -> Screen {
    let button = |key: TextKey, decision: Decision| {
        let label = texts.get(key, &[]);
        let label = if current == Some(decision) {
            format!("{CHOSEN_MARK}{label}")
        } else {
            label
        };
        Button::new(
            label,
            Action::Decide {
                request,
                approve: decision == Decision::Approve,
            },
        )
    };
    Screen {
        text: String::new(),
        rows: vec![vec![
            button(TextKey::ButtonApprove, Decision::Approve),
            button(TextKey::ButtonDecline, Decision::Decline),
        ]],
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::orders::DateSource;
    use crate::texts::Language;
    use Decision::{Approve, Decline};

    const FOLDER: &str = "ЗН-1 А123ВС77";
    const ANNA: i64 = 100;
    const BORIS: i64 = 101;

    /// A case: its name, the request, the client, the button pressed, the verdict.
    type DecideCase<'a> = (
        &'static str,
        Option<RequestView<'a>>,
        ClientView<'a>,
        Decision,
        DecideVerdict,
    );

    fn order(folder: &str) -> Order {
        Order {
            folder: folder.to_owned(),
            number: folder.to_owned(),
            plate: None,
            created: DateTime::<Utc>::UNIX_EPOCH,
            date: DateTime::<Utc>::UNIX_EPOCH.date_naive(),
            date_source: DateSource::FirstSeen,
        }
    }

    fn decided(id: i64, client_id: i64, decision: Decision) -> DecisionView {
        DecisionView {
            id,
            client_id,
            decision,
        }
    }

    fn request(fixed: bool, decisions: &[DecisionView]) -> RequestView<'_> {
        RequestView {
            id: 7,
            order_folder: FOLDER,
            fixed,
            decisions,
        }
    }

    #[test]
    fn a_client_decision_is_recorded_or_refused() {
        let listed = [order("ЗН-2"), order(FOLDER)];
        let elsewhere = [order("ЗН-2")];
        let anna = ClientView {
            id: ANNA,
            verified_phone: true,
            orders: &listed,
        };
        let no_phone = ClientView {
            verified_phone: false,
            orders: &[],
            ..anna
        };
        let unlisted = ClientView {
            orders: &elsewhere,
            ..anna
        };
        let none: &[DecisionView] = &[];
        let anna_approved = [decided(1, ANNA, Approve)];
        let boris_approved = [decided(1, BORIS, Approve)];
        let anna_changed = [decided(1, ANNA, Approve), decided(2, ANNA, Decline)];
        let boris_overruled = [decided(1, ANNA, Approve), decided(2, BORIS, Decline)];
        let refused = DecideVerdict::Refused;
        let cases: Vec<DecideCase<'_>> = vec![
            (
                "unknown request",
                None,
                anna,
                Approve,
                refused(DecideRefusal::UnknownRequest),
            ),
            (
                "no verified phone",
                Some(request(false, none)),
                no_phone,
                Approve,
                refused(DecideRefusal::NoVerifiedPhone),
            ),
            (
                "no verified phone is said before fixed",
                Some(request(true, &anna_approved)),
                no_phone,
                Decline,
                refused(DecideRefusal::NoVerifiedPhone),
            ),
            (
                "fixed: no more changes",
                Some(request(true, &anna_approved)),
                anna,
                Decline,
                refused(DecideRefusal::Fixed),
            ),
            (
                "fixed: not even the same decision again",
                Some(request(true, &anna_approved)),
                anna,
                Approve,
                refused(DecideRefusal::Fixed),
            ),
            (
                "fixed is said before not connected",
                Some(request(true, &anna_approved)),
                unlisted,
                Decline,
                refused(DecideRefusal::Fixed),
            ),
            (
                "the phone file no longer lists the client",
                Some(request(false, &anna_approved)),
                unlisted,
                Decline,
                refused(DecideRefusal::NotConnected),
            ),
            (
                "a first decision",
                Some(request(false, none)),
                anna,
                Approve,
                DecideVerdict::Record {
                    decision: Approve,
                    previous: None,
                },
            ),
            (
                "a change of mind before it is fixed",
                Some(request(false, &anna_approved)),
                anna,
                Decline,
                DecideVerdict::Record {
                    decision: Decline,
                    previous: Some(Approve),
                },
            ),
            (
                "changing back",
                Some(request(false, &anna_changed)),
                anna,
                Approve,
                DecideVerdict::Record {
                    decision: Approve,
                    previous: Some(Decline),
                },
            ),
            (
                "the same decision again: nothing new to record or tell",
                Some(request(false, &anna_approved)),
                anna,
                Approve,
                DecideVerdict::Unchanged { decision: Approve },
            ),
            (
                "the same as the latest, which is this client's: nothing new",
                Some(request(false, &anna_changed)),
                anna,
                Decline,
                DecideVerdict::Unchanged { decision: Decline },
            ),
            (
                "the same as another client's: recorded, it is this client's consent",
                Some(request(false, &boris_approved)),
                anna,
                Approve,
                DecideVerdict::Record {
                    decision: Approve,
                    previous: Some(Approve),
                },
            ),
            (
                "own earlier decision overruled by another client: recorded again",
                Some(request(false, &boris_overruled)),
                anna,
                Approve,
                DecideVerdict::Record {
                    decision: Approve,
                    previous: Some(Decline),
                },
            ),
        ];
        for (case, request, client, pressed, expected) in cases {
            assert_eq!(
                decide_verdict(request.as_ref(), &client, pressed),
                expected,
                "{case}"
            );
        }
    }

    #[test]
    fn fixing_fixes_only_the_decision_the_notice_reported() {
        let approved = decided(11, ANNA, Approve);
        let declined = decided(12, ANNA, Decline);
        let approved_again = decided(13, ANNA, Approve);
        let boris_approved = decided(14, BORIS, Approve);
        let none: &[DecisionView] = &[];
        let one = [approved];
        let changed = [approved, declined];
        let back = [approved, declined, approved_again];
        let two_clients = [approved, boris_approved];
        let cases: Vec<(&str, Option<RequestView<'_>>, Option<i64>, CloseVerdict)> = vec![
            ("unknown request", None, Some(11), CloseVerdict::Stale),
            (
                "the notice's decision is the latest",
                Some(request(false, &one)),
                Some(11),
                CloseVerdict::Fix { decision: approved },
            ),
            (
                "the latest of several, from its own notice",
                Some(request(false, &changed)),
                Some(12),
                CloseVerdict::Fix { decision: declined },
            ),
            (
                "an older notice after a change of mind: nothing fixed, the change said",
                Some(request(false, &changed)),
                Some(11),
                CloseVerdict::Changed {
                    reported: Some(approved),
                    current: declined,
                },
            ),
            (
                "an older notice whose decision is again the one that counts",
                Some(request(false, &back)),
                Some(11),
                CloseVerdict::Fix {
                    decision: approved_again,
                },
            ),
            (
                "the middle notice after changing back",
                Some(request(false, &back)),
                Some(12),
                CloseVerdict::Changed {
                    reported: Some(declined),
                    current: approved_again,
                },
            ),
            (
                "another client agreed since: the same decision is fixed",
                Some(request(false, &two_clients)),
                Some(11),
                CloseVerdict::Fix {
                    decision: boris_approved,
                },
            ),
            (
                "a notice naming another request's decision",
                Some(request(false, &changed)),
                Some(99),
                CloseVerdict::Stale,
            ),
            (
                "an old notice naming no decision, one decision: that one",
                Some(request(false, &one)),
                None,
                CloseVerdict::Fix { decision: approved },
            ),
            (
                "an old notice naming no decision, several: ask",
                Some(request(false, &back)),
                None,
                CloseVerdict::Changed {
                    reported: None,
                    current: approved_again,
                },
            ),
            (
                "no decision yet",
                Some(request(false, none)),
                None,
                CloseVerdict::NoDecision,
            ),
            (
                "fixed before: says so with the final decision",
                Some(request(true, &changed)),
                Some(11),
                CloseVerdict::AlreadyFixed {
                    decision: Some(declined),
                },
            ),
            (
                "fixed before without a decision",
                Some(request(true, none)),
                Some(11),
                CloseVerdict::AlreadyFixed { decision: None },
            ),
        ];
        for (case, request, reported, expected) in cases {
            assert_eq!(
                close_verdict(request.as_ref(), reported),
                expected,
                "{case}"
            );
        }
    }

    #[test]
    fn the_item_buttons_mark_the_current_decision_and_keep_both() {
        for &language in Language::ALL {
            let texts = Texts::new(language).expect("texts");
            let approve = texts.get(TextKey::ButtonApprove, &[]);
            let decline = texts.get(TextKey::ButtonDecline, &[]);
            let cases = [
                (None, [approve.clone(), decline.clone()]),
                (
                    Some(Approve),
                    [format!("{CHOSEN_MARK}{approve}"), decline.clone()],
                ),
                (
                    Some(Decline),
                    [approve.clone(), format!("{CHOSEN_MARK}{decline}")],
                ),
            ];
            for (current, labels) in cases {
                let screen = item_screen(&texts, 7, current);
                assert_eq!(screen.text, "", "a keyboard only");
                assert_eq!(screen.rows.len(), 1, "one row");
                let got: Vec<&str> = screen.rows[0].iter().map(|b| b.label.as_str()).collect();
                assert_eq!(
                    got, labels,
                    "{language:?} {current:?}: the chosen one marked"
                );
                let actions: Vec<&Action> = screen.rows[0].iter().map(|b| &b.action).collect();
                assert_eq!(
                    actions,
                    [
                        &Action::Decide {
                            request: 7,
                            approve: true
                        },
                        &Action::Decide {
                            request: 7,
                            approve: false
                        },
                    ],
                    "{language:?} {current:?}: both still decide, so the client can change"
                );
            }
        }
    }
}
