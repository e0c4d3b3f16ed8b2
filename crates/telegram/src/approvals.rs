//! Approval of recommended work (SPEC §4.6): in a stage with `approval = true`, each item staff
//! send reaches the client with ✅/❌ buttons (after an album, as a follow-up message). A decision
//! is recorded with time, Telegram id and verified phone, can be changed until staff fix it,
//! is shown to the staff member who sent the item, and appears in the transcript.

use std::collections::HashMap;

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
use crate::queue;

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
    let screen = Screen {
        text: String::new(),
        rows: vec![vec![
            Button::new(
                cx.text(TextKey::ButtonApprove, &[]),
                Action::Decide {
                    request,
                    approve: true,
                },
            ),
            Button::new(
                cx.text(TextKey::ButtonDecline, &[]),
                Action::Decide {
                    request,
                    approve: false,
                },
            ),
        ]],
    };
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

/// A client's ✅ or ❌: recorded, and the staff member who sent the item is told (queued in
/// the same transaction).
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
    let request = cx.store().approvals().request(request_id)?;
    let (Some(request), Some(phone)) = (request, actor.user.phone.clone()) else {
        return alert(cx.text(TextKey::ButtonStale, &[]));
    };
    if request.closed_at.is_some() {
        return alert(cx.text(TextKey::ApprovalClosed, &[]));
    }
    // Only a client the order's phone file still lists may decide for it.
    if !orders_of(cx, &phone)
        .iter()
        .any(|o| o.folder == request.order_folder)
    {
        return alert(cx.text(TextKey::MaterialsUnavailable, &[]));
    }
    let decision = if approve {
        Decision::Approve
    } else {
        Decision::Decline
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
    let staff = cx.store().users().get(request.staff_id)?;
    let close = Screen {
        text: String::new(),
        rows: vec![vec![Button::new(
            cx.text(TextKey::ButtonCloseApproval, &[]),
            Action::CloseApproval {
                request: request.id,
            },
        )]],
    };
    let staff_chat = staff.as_ref().map(|s| s.chat_id.unwrap_or(s.telegram_id));
    let markup = match staff_chat {
        Some(chat) => cx
            .keyboard(chat, &close)?
            .map(serde_json::to_value)
            .transpose()?,
        None => None,
    };
    let now = cx.now();
    let recorded = cx.store().transaction(|store| {
        if !store
            .approvals()
            .decide(request.id, actor.user.telegram_id, &phone, decision, now)?
        {
            return Ok::<_, StoreError>(false);
        }
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
        if let Some(chat) = staff_chat {
            let notice = cx.text(TextKey::ApprovalStaff, &args(actor.user.name()));
            let payload = OutboxPayload::Text {
                html: html::escape(&notice),
                markup: markup.clone(),
                silent: false,
            };
            queue::enqueue(store, chat, &payload, transcript_id, None, now)?;
        }
        Ok(true)
    })?;
    if !recorded {
        return alert(cx.text(TextKey::ApprovalClosed, &[]));
    }
    tracing::info!(
        client = actor.user.telegram_id,
        request = request.id,
        decision = decision.as_str(),
        "approval decision recorded"
    );
    alert(cx.text(TextKey::ApprovalRecorded, &args(actor.user.name())))
}

/// Staff fix the decision: the client's buttons answer "already fixed" from now on.
pub fn close(cx: &Cx<'_>, actor: &Actor, request_id: i64, pressed: Pressed) -> HandlerResult {
    let now = cx.now();
    let closed = cx.store().transaction(|store| {
        let Some(request) = store.approvals().request(request_id)? else {
            return Ok::<_, StoreError>(false);
        };
        if !store.approvals().close(request_id, now)? {
            return Ok(true);
        }
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
        Ok(true)
    })?;
    let text = if closed {
        cx.text(TextKey::ApprovalFixed, &[])
    } else {
        cx.text(TextKey::ButtonStale, &[])
    };
    cx.answer(&pressed.query_id, Some(text), true)?;
    Ok(())
}
