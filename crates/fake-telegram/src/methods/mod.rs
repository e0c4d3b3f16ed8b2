//! The Bot API methods the fake serves. Each takes the parsed parameters and returns the
//! `result` JSON or Telegram's refusal.

mod messages;
mod updates;

use std::sync::Arc;

use serde_json::{Value, json};

use crate::json as tg;
use crate::params::{ApiError, ApiResult, Params};
use crate::server::Shared;
use crate::state::{CallbackAnswer, State};

pub(crate) async fn call(shared: &Arc<Shared>, method: &str, params: &Params) -> ApiResult {
    if method == "getupdates" {
        return updates::get_updates(shared, params).await;
    }
    let result = {
        let mut guard = shared.lock();
        let state = &mut *guard;
        // Telegram's limits see the call first (when enforced) and log what it created.
        let mut limits = std::mem::take(&mut state.limits);
        let result = limits.run(method, params, || call_sync(state, method, params));
        state.limits = limits;
        result
    };
    shared.changed();
    result
}

fn call_sync(state: &mut State, method: &str, params: &Params) -> ApiResult {
    match method {
        "getme" => Ok(tg::me()),
        "getwebhookinfo" => Ok(json!({
            "url": "", "has_custom_certificate": false, "pending_update_count": state.updates.len()
        })),
        "deletewebhook" | "setwebhook" | "logout" | "close" => Ok(Value::Bool(true)),
        "setmycommands" => set_my_commands(state, params),
        "deletemycommands" => {
            state.commands.remove(&scope_key(params)?);
            Ok(Value::Bool(true))
        }
        "getmycommands" => Ok(state
            .commands
            .get(&scope_key(params)?)
            .map(|list| {
                list.iter()
                    .map(|(c, d)| json!({ "command": c, "description": d }))
                    .collect()
            })
            .unwrap_or_else(|| Value::Array(Vec::new()))),
        "sendmessage" => messages::send_message(state, params),
        "sendphoto" | "sendvideo" | "senddocument" | "sendaudio" | "sendvoice"
        | "sendvideonote" => messages::send_media(state, method, params),
        "sendmediagroup" => messages::send_media_group(state, params),
        "copymessage" => messages::copy_message(state, params),
        "copymessages" => messages::copy_messages(state, params),
        "forwardmessage" => messages::forward_message(state, params),
        "editmessagetext" => messages::edit_text(state, params),
        "editmessagecaption" => messages::edit_caption(state, params),
        "editmessagereplymarkup" => messages::edit_reply_markup(state, params),
        "deletemessage" => messages::delete_message(state, params),
        "pinchatmessage" => messages::pin(state, params, true),
        "unpinchatmessage" => messages::pin(state, params, false),
        "setmessagereaction" => messages::set_reaction(state, params),
        "answercallbackquery" => answer_callback_query(state, params),
        "sendchataction" => {
            let chat_id = params.chat_id()?;
            messages::writable_chat(state, chat_id)?;
            let action = params
                .str("action")
                .ok_or_else(|| ApiError::bad("action is empty"))?;
            state.chat_actions.push((chat_id, action));
            Ok(Value::Bool(true))
        }
        "getfile" => get_file(state, params),
        "leavechat" => {
            let chat_id = params.chat_id()?;
            state.left_chats.push(chat_id);
            Ok(Value::Bool(true))
        }
        "getchat" => {
            let chat_id = params.chat_id()?;
            if !state.users.contains_key(&chat_id) && !state.chats.contains_key(&chat_id) {
                return Err(ApiError::bad("chat not found"));
            }
            Ok(tg::chat_full_info(state, chat_id))
        }
        _ => Err(ApiError {
            code: 404,
            description: "Not Found: method not found".into(),
            retry_after: None,
        }),
    }
}

/// Commands are kept per scope: `default`, `all_private_chats`, `chat:<id>`…
fn scope_key(params: &Params) -> ApiResult<String> {
    let scope = params.json("scope")?;
    let kind = scope
        .as_ref()
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str)
        .unwrap_or("default");
    Ok(
        match scope
            .as_ref()
            .and_then(|s| s.get("chat_id"))
            .and_then(Value::as_i64)
        {
            Some(chat) => format!("{kind}:{chat}"),
            None => kind.to_owned(),
        },
    )
}

fn set_my_commands(state: &mut State, params: &Params) -> ApiResult {
    let commands = params
        .json("commands")?
        .ok_or_else(|| ApiError::bad("parameter \"commands\" is required"))?;
    let list = commands
        .as_array()
        .ok_or_else(|| ApiError::bad("can't parse commands JSON object"))?;
    if list.len() > 100 {
        return Err(ApiError::bad("too many commands specified"));
    }
    let mut parsed = Vec::new();
    for item in list {
        let command = item
            .get("command")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let description = item
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let valid = !command.is_empty()
            && command.len() <= 32
            && command
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(ApiError::bad("BOT_COMMAND_INVALID"));
        }
        if description.is_empty() || description.chars().count() > 256 {
            return Err(ApiError::bad("BOT_COMMAND_DESCRIPTION_INVALID"));
        }
        parsed.push((command.to_owned(), description.to_owned()));
    }
    state.commands.insert(scope_key(params)?, parsed);
    Ok(Value::Bool(true))
}

fn answer_callback_query(state: &mut State, params: &Params) -> ApiResult {
    let id = params.str("callback_query_id").unwrap_or_default();
    let text = params.str("text");
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::bad("MESSAGE_TOO_LONG"));
    }
    match state.callback_queries.get_mut(&id) {
        Some(answer @ None) => {
            *answer = Some(CallbackAnswer {
                text,
                show_alert: params.bool("show_alert"),
            });
            Ok(Value::Bool(true))
        }
        _ => Err(ApiError::bad(
            "query is too old and response timeout expired or query id is invalid",
        )),
    }
}

fn get_file(state: &mut State, params: &Params) -> ApiResult {
    let file_id = params.str("file_id").unwrap_or_default();
    let file = state
        .files
        .get(&file_id)
        .ok_or_else(|| ApiError::bad("invalid file id"))?;
    if state.local_files.is_none() && file.size() > crate::CLOUD_DOWNLOAD_LIMIT {
        return Err(ApiError::bad("file is too big"));
    }
    Ok(tg::file(file))
}
