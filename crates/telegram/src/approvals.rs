//! Approval of recommended work (SPEC §4.6): in a stage with `approval = true`, each item staff
//! send reaches the client with ✅/❌ buttons (after an album, as a follow-up message). A decision
//! is recorded with time, Telegram id and verified phone, can be changed until staff fix it,
//! is shown to the staff member who sent the item, and appears in the transcript.

use std::collections::HashMap;

use servicebot_core::dialogue::approval::{
    ClientView, CloseVerdict, DecideRefusal, DecideVerdict, DecisionView, RequestView,
    close_verdict, decide_verdict, item_screen,
};
use servicebot_core::dialogue::{Action, Button, Screen};
use servicebot_core::orders::Order;
use servicebot_core::store::{Decision, Direction, EntryKind, NewEntry, StoreError, User};
use servicebot_core::texts::TextKey;
use teloxide::types::InlineKeyboardMarkup;
use teloxide::utils::html;

use crate::HandlerResult;
use crate::auth::Actor;
use crate::cx::{Cx, Pressed};
use crate::directory::orders_of;
use crate::incoming::IncomingMedia;
use crate::payload::OutboxPayload;

/// An approval request sent with a batch: per client chat, the buttons and the follow-up text.
pub struct Asked {
    pub keyboards: HashMap<i64, InlineKeyboardMarkup>,
    pub question_html: String,
}

/// Opens an approval request for a batch staff send to `clients`, and issues each client's
/// buttons.
pub fn ask(
    cx: &Cx<'_>,
    actor: &Actor,
    order: &Order,
    items: &[IncomingMedia],
    clients: &[User],
) -> Result<Asked, StoreError> {
    let description = items
        .iter()
        .find_map(|i| i.caption.clone())
        .unwrap_or_else(|| cx.text(TextKey::ApprovalNoDescription, &[]));
    let request = cx.store().approvals().create_request(
        &order.number,
        &order.folder,
        actor.user.telegram_id,
        &description,
        cx.now(),
    )?;
    let screen = item_screen(&cx.texts, request, None);
    let mut keyboards = HashMap::new();
    for client in clients {
        let chat = client.chat_id.unwrap_or(client.telegram_id);
        if let Some(keyboard) = cx.keyboard(chat, &screen)? {
            keyboards.insert(chat, keyboard);
        }
    }
    let question = cx.text(
        TextKey::ApprovalQuestion,
        &[
            ("order", order.number.as_str().into()),
            ("description", description.as_str().into()),
        ],
    );
    Ok(Asked {
        keyboards,
        question_html: html::escape(&question),
    })
}

/// What core's approval rules need to know about a request: its decisions, oldest first.
fn decision_views(cx: &Cx<'_>, request_id: i64) -> Result<Vec<DecisionView>, StoreError> {
    Ok(cx
        .store()
        .approvals()
        .decisions(request_id)?
        .iter()
        .map(|d| DecisionView {
            id: d.id,
            client_id: d.client_id,
            decision: d.decision,
        })
        .collect())
}

/// A client's ✅ or ❌, as core's rules decide: recorded, the item's own buttons show the
/// decision (and still allow changing it), and the staff member who sent the item is told with a
/// button that fixes exactly this decision.
pub fn decide(
    cx: &Cx<'_>,
    actor: &Actor,
    request_id: i64,
    approve: bool,
    pressed: Pressed,
) -> HandlerResult {
    let alert = |text: String| -> HandlerResult {
        cx.answer(&pressed.query_id, Some(text), true)?;
        Ok(())
    };
    let pressed_decision = if approve {
        Decision::Approve
    } else {
        Decision::Decline
    };
    let request = cx.store().approvals().request(request_id)?;
    let decisions = decision_views(cx, request_id)?;
    let view = request.as_ref().map(|r| RequestView {
        id: r.id,
        order_folder: &r.order_folder,
        fixed: r.closed_at.is_some(),
        decisions: &decisions,
    });
    let orders = match &actor.user.phone {
        Some(phone) => orders_of(cx, phone),
        None => Vec::new(),
    };
    let client = ClientView {
        id: actor.user.telegram_id,
        verified_phone: actor.user.phone.is_some(),
        orders: &orders,
    };
    let verdict = decide_verdict(view.as_ref(), &client, pressed_decision);
    let (Some(request), Some(phone)) = (request, actor.user.phone.clone()) else {
        return alert(cx.text(TextKey::ButtonStale, &[]));
    };
    let decision = match verdict {
        DecideVerdict::Refused(refusal) => {
            let key = match refusal {
                DecideRefusal::UnknownRequest | DecideRefusal::NoVerifiedPhone => {
                    TextKey::ButtonStale
                }
                DecideRefusal::Fixed => TextKey::ApprovalClosed,
                DecideRefusal::NotConnected => TextKey::MaterialsUnavailable,
            };
            return alert(cx.text(key, &[]));
        }
        DecideVerdict::Unchanged { decision } | DecideVerdict::Record { decision, .. } => decision,
    };
    let args = |name: String| {
        [
            ("decision", decision.as_str().into()),
            ("description", request.description.clone().into()),
            ("phone", phone.display_full().into()),
            ("order", request.order_no.clone().into()),
            ("name", name.into()),
        ]
    };
    if matches!(verdict, DecideVerdict::Unchanged { .. }) {
        return alert(cx.text(TextKey::ApprovalRecorded, &args(actor.user.name())));
    }
    let now = cx.now();
    let store = cx.store();
    let Some(decision_id) =
        store
            .approvals()
            .decide(request.id, actor.user.telegram_id, &phone, decision, now)?
    else {
        return alert(cx.text(TextKey::ApprovalClosed, &[]));
    };
    let mut entry = NewEntry::new(
        &request.order_no,
        &request.order_folder,
        now,
        Direction::ClientToStaff,
        EntryKind::Approval,
    );
    entry.author_id = Some(actor.user.telegram_id);
    entry.text = Some(cx.text(TextKey::ApprovalTranscript, &args(actor.user.name())));
    entry.tg_chat_id = Some(actor.chat_id.0);
    let transcript_id = store.transcript().append(&entry)?;
    if let Some(staff) = store.users().get(request.staff_id)? {
        let chat = staff.chat_id.unwrap_or(staff.telegram_id);
        let notice = cx.text(TextKey::ApprovalStaff, &args(actor.user.name()));
        notify_staff(cx, chat, request.id, decision_id, &notice, transcript_id)?;
    }
    if let Some(message_id) = pressed.message_id {
        // The item's own buttons now show the decision, and still allow changing it.
        let screen = item_screen(&cx.texts, request.id, Some(decision));
        if let Some(keyboard) = cx.keyboard(actor.chat_id.0, &screen)? {
            let payload = OutboxPayload::EditMarkup {
                message_id,
                markup: serde_json::to_value(keyboard)?,
            };
            cx.send(actor.chat_id.0, &payload)?;
        }
    }
    tracing::info!(
        client = actor.user.telegram_id,
        request = request.id,
        decision = decision.as_str(),
        "approval decision recorded"
    );
    alert(cx.text(TextKey::ApprovalRecorded, &args(actor.user.name())))
}

/// Tells the staff member about decision `decision_id`, with a button that fixes exactly it.
fn notify_staff(
    cx: &Cx<'_>,
    chat: i64,
    request_id: i64,
    decision_id: i64,
    notice: &str,
    transcript_id: Option<i64>,
) -> Result<(), StoreError> {
    let close = Screen {
        text: String::new(),
        rows: vec![vec![Button::new(
            cx.text(TextKey::ButtonCloseApproval, &[]),
            Action::CloseApproval {
                request: request_id,
                decision: Some(decision_id),
            },
        )]],
    };
    let markup = cx
        .keyboard(chat, &close)?
        .map(|k| serde_json::to_value(k).map_err(|e| crate::queue::bad_payload(&e)))
        .transpose()?;
    let payload = OutboxPayload::Text {
        html: html::escape(notice),
        markup,
        silent: false,
    };
    cx.send_with(chat, &payload, transcript_id, None)?;
    Ok(())
}

/// Staff fix a decision, as core's rules decide: only the decision their notice reported; when
/// the client has changed it since, they are shown the current one (with its own button) and
/// nothing is fixed.
pub fn close(
    cx: &Cx<'_>,
    actor: &Actor,
    request_id: i64,
    reported: Option<i64>,
    pressed: Pressed,
) -> HandlerResult {
    let now = cx.now();
    let store = cx.store();
    let request = store.approvals().request(request_id)?;
    let decisions = decision_views(cx, request_id)?;
    let view = request.as_ref().map(|r| RequestView {
        id: r.id,
        order_folder: &r.order_folder,
        fixed: r.closed_at.is_some(),
        decisions: &decisions,
    });
    let answer = match (close_verdict(view.as_ref(), reported), &request) {
        (CloseVerdict::Fix { .. }, Some(request)) => {
            if store.approvals().close(request_id, now)? {
                let mut entry = NewEntry::new(
                    &request.order_no,
                    &request.order_folder,
                    now,
                    Direction::System,
                    EntryKind::Event,
                );
                entry.author_id = Some(actor.user.telegram_id);
                entry.text = Some(format!(
                    "{} «{}»",
                    cx.text(TextKey::ApprovalFixed, &[]),
                    request.description
                ));
                store.transcript().append(&entry)?;
            }
            cx.text(TextKey::ApprovalFixed, &[])
        }
        (CloseVerdict::AlreadyFixed { .. }, _) => cx.text(TextKey::ApprovalFixed, &[]),
        (CloseVerdict::Changed { current, .. }, Some(request)) => {
            // The client changed their mind after this notice: show the current decision with
            // a button for it, fix nothing.
            let client = store.users().get(current.client_id)?;
            let decided = store
                .approvals()
                .decisions(request_id)?
                .into_iter()
                .find(|d| d.id == current.id);
            if let (Some(client), Some(decided)) = (client, decided) {
                let notice = cx.text(
                    TextKey::ApprovalStaff,
                    &[
                        ("decision", decided.decision.as_str().into()),
                        ("description", request.description.clone().into()),
                        ("phone", decided.phone.display_full().into()),
                        ("order", request.order_no.clone().into()),
                        ("name", client.name().into()),
                    ],
                );
                notify_staff(cx, actor.chat_id.0, request_id, current.id, &notice, None)?;
            }
            cx.text(TextKey::ApprovalChanged, &[])
        }
        _ => cx.text(TextKey::ButtonStale, &[]),
    };
    cx.answer(&pressed.query_id, Some(answer), true)?;
    Ok(())
}
