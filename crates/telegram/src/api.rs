//! Our own thin Telegram Bot API client over `reqwest`.
//!
//! teloxide's request code sleeps 10 s after every 5xx (blocking the worker that called it),
//! reads Telegram's 502 HTML page as a permanent JSON error, and hides the raw JSON. This client
//! does one HTTP request per call and returns a classified [`CallError`] at once: the caller
//! (outbox, poller, file workers) decides when to retry. Updates come back as raw JSON, so they
//! can be stored before they are parsed with `teloxide::types::Update`.
//!
//! The token lives only in the request URLs; no `Debug` or `Display` here ever prints it.

use std::sync::Arc;
use std::time::Duration;

use reqwest::multipart::{Form, Part};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A Bot API client for one bot. Cloning is cheap (one connection pool).
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    /// `{api_url}` without trailing slashes: safe to print.
    api_url: Arc<str>,
    token: Arc<str>,
    request_timeout: Duration,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("api_url", &self.api_url)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

/// Why an [`Api`] could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiSetupError {
    #[error("the Bot API URL {url:?} is not usable: {reason}")]
    BadUrl { url: String, reason: String },
    #[error("the HTTP client could not be set up: {0}")]
    Client(String),
}

/// What a call failed with, classified so callers branch on the kind, never on text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// 429: wait `retry_after` (Telegram's `parameters.retry_after`, 1 s if absent).
    #[error("Telegram asks to retry after {} s", retry_after.as_secs())]
    RateLimited { retry_after: Duration },
    /// Telegram or the network is down for now; the same call may succeed later.
    #[error("Telegram is unreachable for now ({reason}): {detail}")]
    Transient {
        reason: TransientReason,
        detail: String,
    },
    /// 403: the user blocked the bot, is deactivated, never started it, or kicked it.
    #[error("the chat does not accept messages from the bot: {description}")]
    Blocked { description: String },
    /// 401, or 404 "Not Found" on a method: Telegram's answers to a wrong or revoked token.
    #[error("Telegram rejected the bot token")]
    InvalidToken,
    /// Any other refusal (mostly 400): sending the same request again will fail again.
    #[error("Telegram refused the request: {description}")]
    Refused {
        reason: Refusal,
        description: String,
    },
    /// `ok: true`, but the result is not what the method returns: a bug on our side.
    #[error("Telegram's answer could not be read: {detail}")]
    Unreadable { detail: String },
}

impl CallError {
    /// Whether retrying the same call later may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::RateLimited { .. } | Self::Transient { .. })
    }

    /// How long Telegram asked us to wait, for rate limits.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    /// The kind of refusal, for `Refused`: `error.refusal() == Some(Refusal::MessageNotModified)`.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            Self::Refused { reason, .. } => Some(*reason),
            _ => None,
        }
    }
}

/// Why a call failed transiently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransientReason {
    /// A 5xx answer in Telegram's JSON envelope.
    ServerError(u16),
    /// A body that is not JSON at all, with its HTTP status: the nginx page Telegram's front
    /// end serves when the Bot API behind it is down.
    ErrorPage(u16),
    /// No connection, a connection reset or dropped, a body cut short.
    Network,
    /// No complete answer within the request's timeout.
    Timeout,
}

impl std::fmt::Display for TransientReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::ServerError(status) => write!(f, "server error {status}"),
            Self::ErrorPage(status) => write!(f, "error page with status {status}"),
            Self::Network => f.write_str("network error"),
            Self::Timeout => f.write_str("timeout"),
        }
    }
}

/// What Telegram's description of a refusal says, for the refusals we act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// An edit to the same text and markup: harmless, the message already shows it.
    MessageNotModified,
    /// The message to edit is gone (deleted, or too old to edit).
    MessageToEditNotFound,
    MessageTooLong,
    CaptionTooLong,
    /// `getFile` over the cloud API's 20 MB limit.
    FileTooBig,
    ChatNotFound,
    /// A callback query answered too late (or twice).
    QueryTooOld,
    /// Malformed HTML or MarkdownV2: "can't parse entities".
    BadMarkup,
    /// 409: another `getUpdates` poller (a second instance of the bot) or a webhook is set.
    Conflict,
    /// The group became a supergroup with this chat id (`parameters.migrate_to_chat_id`).
    ChatMigrated(i64),
    Other,
}

impl Refusal {
    /// A short stable code, stored with an outbox item that ended with this refusal.
    pub fn code(self) -> &'static str {
        match self {
            Self::MessageNotModified => "not_modified",
            Self::MessageToEditNotFound => "edit_target_gone",
            Self::MessageTooLong => "text_too_long",
            Self::CaptionTooLong => "caption_too_long",
            Self::FileTooBig => "file_too_big",
            Self::ChatNotFound => "chat_not_found",
            Self::QueryTooOld => "query_too_old",
            Self::BadMarkup => "bad_markup",
            Self::Conflict => "conflict",
            Self::ChatMigrated(_) => "chat_migrated",
            Self::Other => "refused",
        }
    }

    /// Classifies Telegram's description, which is the only place the kind is stated.
    pub fn classify(description: &str) -> Self {
        let text = description.to_ascii_lowercase();
        let has = |needles: &[&str]| needles.iter().any(|n| text.contains(n));
        if has(&["message is not modified"]) {
            Self::MessageNotModified
        } else if has(&["message to edit not found", "message_id_invalid"]) {
            Self::MessageToEditNotFound
        } else if has(&["message is too long"]) {
            Self::MessageTooLong
        } else if has(&["caption is too long", "media_caption_too_long"]) {
            Self::CaptionTooLong
        } else if has(&["file is too big"]) {
            Self::FileTooBig
        } else if has(&["chat not found"]) {
            Self::ChatNotFound
        } else if has(&["query is too old", "query id is invalid"]) {
            Self::QueryTooOld
        } else if has(&["can't parse entities"]) {
            Self::BadMarkup
        } else if has(&["conflict:"]) {
            Self::Conflict
        } else {
            Self::Other
        }
    }
}

/// What `getFile` tells about a file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FileInfo {
    /// Relative on the cloud API (download it with [`Api::download`]); absolute on a local
    /// Bot API server, which leaves the file on its own disk for us to read.
    pub file_path: String,
    pub file_size: Option<u64>,
}

/// Telegram's answer to every method.
#[derive(Deserialize)]
struct Envelope {
    ok: bool,
    #[serde(default)]
    result: Value,
    error_code: Option<u16>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    parameters: Parameters,
}

#[derive(Default, Deserialize)]
struct Parameters {
    retry_after: Option<u64>,
    migrate_to_chat_id: Option<i64>,
}

impl Api {
    /// `api_url` is the Bot API's base, `https://api.telegram.org` or a local server's.
    /// `request_timeout` bounds every call (long polls get their wait added to it).
    pub fn new(
        api_url: &str,
        token: &str,
        request_timeout: Duration,
    ) -> Result<Self, ApiSetupError> {
        let trimmed = api_url.trim().trim_end_matches('/');
        let bad = |reason: &str| ApiSetupError::BadUrl {
            url: api_url.to_owned(),
            reason: reason.to_owned(),
        };
        let url = reqwest::Url::parse(trimmed).map_err(|e| bad(&e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("it has no host"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it must not have a query or a fragment"));
        }
        let http = reqwest::Client::builder()
            .timeout(request_timeout)
            .build()
            .map_err(|e| ApiSetupError::Client(describe(e, token)))?;
        Ok(Self {
            http,
            api_url: trimmed.into(),
            token: token.into(),
            request_timeout,
        })
    }

    /// Calls a method with JSON parameters and reads its `result` as `T`.
    pub async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &Value,
    ) -> Result<T, CallError> {
        self.post(method, self.http.post(self.method_url(method)).json(params))
            .await
    }

    /// [`Api::call`] with its own timeout: for long polls, which wait longer than any call.
    pub async fn call_with_timeout<T: DeserializeOwned>(
        &self,
        method: &str,
        params: &Value,
        timeout: Duration,
    ) -> Result<T, CallError> {
        let request = self.http.post(self.method_url(method)).json(params);
        self.post(method, request.timeout(timeout)).await
    }

    /// One long poll: each update as Telegram sent it (checked to carry an `update_id`), so it
    /// can be stored before it is parsed. The request may take `timeout_secs` plus the
    /// request timeout.
    pub async fn get_updates(
        &self,
        offset: i64,
        timeout_secs: u32,
        limit: u32,
        allowed_updates: &[&str],
    ) -> Result<Vec<Value>, CallError> {
        let params = json!({
            "offset": offset,
            "timeout": timeout_secs,
            "limit": limit,
            "allowed_updates": allowed_updates,
        });
        let wait = Duration::from_secs(u64::from(timeout_secs)) + self.request_timeout;
        let updates: Vec<Value> = self.call_with_timeout("getUpdates", &params, wait).await?;
        match updates.iter().find(|u| update_id_of(u).is_none()) {
            Some(bad) => Err(CallError::Unreadable {
                detail: format!("an update without update_id: {}", snippet(&bad.to_string())),
            }),
            None => Ok(updates),
        }
    }

    /// Uploads a file as a document (multipart); returns the sent Message.
    pub async fn send_document(
        &self,
        chat_id: i64,
        file_name: &str,
        bytes: Vec<u8>,
        caption_html: Option<&str>,
    ) -> Result<Value, CallError> {
        let mut form = Form::new().text("chat_id", chat_id.to_string()).part(
            "document",
            Part::bytes(bytes).file_name(file_name.to_owned()),
        );
        if let Some(caption) = caption_html {
            form = form
                .text("caption", caption.to_owned())
                .text("parse_mode", "HTML");
        }
        let request = self
            .http
            .post(self.method_url("sendDocument"))
            .multipart(form);
        self.post("sendDocument", request).await
    }

    pub async fn get_file(&self, file_id: &str) -> Result<FileInfo, CallError> {
        self.call("getFile", &json!({ "file_id": file_id })).await
    }

    /// Fetches a file by the `file_path` from [`Api::get_file`] (cloud API only). A refusal
    /// is classified like a method's, except that 404 means the path, not the token.
    pub async fn download(&self, file_path: &str, timeout: Duration) -> Result<Vec<u8>, CallError> {
        let url = format!("{}/file/bot{}/{file_path}", self.api_url, self.token);
        let response = self
            .http
            .get(url)
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| self.transport(e))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| self.transport(e))?;
        if status.is_success() {
            return Ok(body.to_vec());
        }
        Err(match serde_json::from_slice::<Envelope>(&body) {
            Ok(envelope) => refusal(status.as_u16(), envelope, false),
            Err(_) => error_page(status.as_u16(), &body),
        })
    }

    fn method_url(&self, method: &str) -> String {
        format!("{}/bot{}/{method}", self.api_url, self.token)
    }

    async fn post<T: DeserializeOwned>(
        &self,
        method: &str,
        request: reqwest::RequestBuilder,
    ) -> Result<T, CallError> {
        let response = request.send().await.map_err(|e| self.transport(e))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| self.transport(e))?;
        let envelope: Envelope = match serde_json::from_slice(&body) {
            Ok(envelope) => envelope,
            Err(_) => return Err(error_page(status, &body)),
        };
        if !envelope.ok {
            return Err(refusal(status, envelope, true));
        }
        serde_json::from_value(envelope.result).map_err(|e| CallError::Unreadable {
            detail: format!("{method}: {e}"),
        })
    }

    /// A request that got no complete answer.
    fn transport(&self, error: reqwest::Error) -> CallError {
        let reason = if error.is_timeout() {
            TransientReason::Timeout
        } else {
            TransientReason::Network
        };
        CallError::Transient {
            reason,
            detail: describe(error, &self.token),
        }
    }
}

/// Classifies an `ok: false` envelope; `method_call` tells a method from a file download.
fn refusal(status: u16, envelope: Envelope, method_call: bool) -> CallError {
    let code = envelope.error_code.unwrap_or(status);
    let description = envelope.description;
    match code {
        429 => CallError::RateLimited {
            retry_after: Duration::from_secs(envelope.parameters.retry_after.unwrap_or(1)),
        },
        500..=599 => CallError::Transient {
            reason: TransientReason::ServerError(code),
            detail: description,
        },
        401 => CallError::InvalidToken,
        404 if method_call && description == "Not Found" => CallError::InvalidToken,
        403 => CallError::Blocked { description },
        _ => {
            let reason = match envelope.parameters.migrate_to_chat_id {
                Some(chat_id) => Refusal::ChatMigrated(chat_id),
                None => Refusal::classify(&description),
            };
            CallError::Refused {
                reason,
                description,
            }
        }
    }
}

fn error_page(status: u16, body: &[u8]) -> CallError {
    let text = String::from_utf8_lossy(body);
    // nginx's page says it all in its title.
    let title = text
        .split_once("<title>")
        .and_then(|(_, rest)| rest.split_once("</title>"))
        .map(|(title, _)| title);
    CallError::Transient {
        reason: TransientReason::ErrorPage(status),
        detail: snippet(title.unwrap_or(&text)),
    }
}

/// The start of a body, on one line, for a log.
fn snippet(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(120) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line,
    }
}

/// reqwest's error and its causes without the URL, which holds the token; the token is also
/// cut from the text in case a cause repeats it.
fn describe(error: reqwest::Error, token: &str) -> String {
    let error = error.without_url();
    let mut text = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let part = cause.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = cause.source();
    }
    if token.is_empty() {
        text
    } else {
        text.replace(token, "<token>")
    }
}

/// The `update_id` of a raw update, to confirm it with the next poll's offset.
pub fn update_id_of(update: &Value) -> Option<i64> {
    update.get("update_id")?.as_i64()
}

/// The `message_id` of a sent Message.
pub fn message_id_of(message: &Value) -> Option<i32> {
    i32::try_from(message.get("message_id")?.as_i64()?).ok()
}

/// Every `message_id` of a `sendMediaGroup` result, in order; `None` if any is missing.
pub fn message_ids_of(messages: &Value) -> Option<Vec<i32>> {
    messages.as_array()?.iter().map(message_id_of).collect()
}

/// The first `message_id` of a `sendMediaGroup` result (where a reply or receipt points).
pub fn first_message_id_of(messages: &Value) -> Option<i32> {
    message_id_of(messages.as_array()?.first()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used, reason = "test code")]

    use serde_json::{Value, json};
    use servicebot_fake_telegram::{AlbumItem, FakeTelegram, Fault};

    use super::*;

    const FIVE_SECONDS: Duration = Duration::from_secs(5);

    fn api(fake: &FakeTelegram) -> Api {
        Api::new(&fake.api_url(), fake.token(), FIVE_SECONDS).expect("api")
    }

    /// Sends a text, asserting the error never shows the token.
    async fn send(api: &Api, chat_id: i64, text: &str) -> Result<Value, CallError> {
        let params = json!({ "chat_id": chat_id, "text": text });
        let sent = api.call("sendMessage", &params).await;
        if let Err(error) = &sent {
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains(&*api.token), "the token leaked: {shown}");
        }
        sent
    }

    fn transient(error: CallError) -> TransientReason {
        assert!(error.is_transient(), "{error:?} is transient");
        match error {
            CallError::Transient { reason, .. } => reason,
            other => panic!("expected a transient error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn faults_are_transient_and_classified() {
        let fake = FakeTelegram::start().await;
        let user = fake.user("Анна");
        let api = api(&fake);

        fake.inject("sendMessage", Fault::TooManyRequests { retry_after: 7 }, 1);
        let error = send(&api, user.id, "x").await.unwrap_err();
        assert_eq!(error.retry_after(), Some(Duration::from_secs(7)), "{error}");
        assert!(error.is_transient());

        fake.inject("sendMessage", Fault::ServerError { status: 500 }, 1);
        let error = send(&api, user.id, "x").await.unwrap_err();
        assert_eq!(transient(error), TransientReason::ServerError(500));

        fake.inject("sendMessage", Fault::ErrorPage { status: 502 }, 1);
        let error = send(&api, user.id, "x").await.unwrap_err();
        assert!(error.to_string().contains("502 Bad Gateway"), "{error}");
        let reason = transient(error);
        assert_eq!(reason, TransientReason::ErrorPage(502), "not a parse error");
        fake.inject("sendMessage", Fault::ErrorPage { status: 200 }, 1);
        let error = send(&api, user.id, "x").await.unwrap_err();
        assert_eq!(transient(error), TransientReason::ErrorPage(200));

        fake.inject("sendMessage", Fault::DropConnection, 1);
        let error = send(&api, user.id, "x").await.unwrap_err();
        assert_eq!(transient(error), TransientReason::Network);
        fake.set_offline(true);
        let error = send(&api, user.id, "x").await.unwrap_err();
        assert_eq!(transient(error), TransientReason::Network, "an outage");
        fake.set_offline(false);

        let sent = send(&api, user.id, "x").await.expect("no fault left");
        let id = fake.sent_to(user.id)[0].message_id;
        assert_eq!(message_id_of(&sent), Some(id), "the Message comes back");
    }

    #[tokio::test]
    async fn a_slow_answer_is_a_timeout() {
        let fake = FakeTelegram::start().await;
        let api = Api::new(&fake.api_url(), fake.token(), Duration::from_millis(300)).unwrap();
        fake.inject("getMe", Fault::Delay(Duration::from_secs(3)), 1);
        let error = api.call::<Value>("getMe", &json!({})).await.unwrap_err();
        assert_eq!(transient(error), TransientReason::Timeout);
    }

    #[tokio::test]
    async fn refusals_are_permanent_and_classified() {
        let fake = FakeTelegram::start().await;
        let user = fake.user("Анна");
        let api = api(&fake);

        fake.block_bot(&user);
        let error = send(&api, user.id, "x").await.unwrap_err();
        let description = "Forbidden: bot was blocked by the user".to_owned();
        assert_eq!(error, CallError::Blocked { description });
        assert!(!error.is_transient());
        fake.unblock_bot(&user);

        let error = send(&api, user.id, &"я".repeat(4097)).await.unwrap_err();
        assert_eq!(error.refusal(), Some(Refusal::MessageTooLong), "{error:?}");
        assert!(!error.is_transient() && error.retry_after().is_none());

        let wrong = Api::new(&fake.api_url(), "123:wrong", FIVE_SECONDS).unwrap();
        let error = send(&wrong, user.id, "x").await.unwrap_err();
        assert_eq!(error, CallError::InvalidToken);

        let error = api.call::<i64>("getMe", &json!({})).await.unwrap_err();
        assert!(
            matches!(error, CallError::Unreadable { .. }),
            "a result of the wrong shape is a bug, not a refusal: {error:?}"
        );
    }

    #[test]
    fn envelopes_are_classified() {
        let classify = |body: Value, method_call: bool| {
            let envelope: Envelope = serde_json::from_value(body).unwrap();
            refusal(400, envelope, method_call)
        };
        let not_found = json!({ "ok": false, "error_code": 404, "description": "Not Found" });
        assert_eq!(
            classify(not_found.clone(), true),
            CallError::InvalidToken,
            "Telegram's answer to a malformed token"
        );
        let on_file = classify(not_found, false);
        assert_eq!(on_file.refusal(), Some(Refusal::Other), "a missing file");
        let limited = classify(json!({ "ok": false, "error_code": 429 }), true);
        assert_eq!(limited.retry_after(), Some(Duration::from_secs(1)));
        let migrated = json!({ "ok": false, "error_code": 400, "description": "Bad Request: group chat was upgraded to a supergroup chat", "parameters": { "migrate_to_chat_id": -100_123 } });
        let migrated = classify(migrated, true).refusal();
        assert_eq!(migrated, Some(Refusal::ChatMigrated(-100_123)));
        for (description, reason) in [
            (
                "message is not modified: specified new message content and reply markup are exactly the same",
                Refusal::MessageNotModified,
            ),
            ("message to edit not found", Refusal::MessageToEditNotFound),
            ("MESSAGE_ID_INVALID", Refusal::MessageToEditNotFound),
            ("caption is too long", Refusal::CaptionTooLong),
            ("MEDIA_CAPTION_TOO_LONG", Refusal::CaptionTooLong),
            ("file is too big", Refusal::FileTooBig),
            ("chat not found", Refusal::ChatNotFound),
            (
                "query is too old and response timeout expired or query ID is invalid",
                Refusal::QueryTooOld,
            ),
            (
                "can't parse entities: Unsupported start tag \"x\" at byte offset 0",
                Refusal::BadMarkup,
            ),
            ("message can't be deleted", Refusal::Other),
        ] {
            let description = format!("Bad Request: {description}");
            assert_eq!(Refusal::classify(&description), reason, "{description}");
        }
        let conflict = "Conflict: terminated by other getUpdates request";
        assert_eq!(Refusal::classify(conflict), Refusal::Conflict);
    }

    #[tokio::test]
    async fn updates_come_back_raw_and_offsets_confirm_them() {
        let fake = FakeTelegram::start().await;
        let user = fake.user("Анна");
        let api = api(&fake);
        fake.send_text(&user, "привет");
        let updates = api.get_updates(0, 0, 100, &["message"]).await.unwrap();
        assert_eq!(updates.len(), 1);
        assert_eq!(updates[0]["message"]["text"], json!("привет"), "raw JSON");
        let id = update_id_of(&updates[0]).expect("update id");
        let next = api.get_updates(id + 1, 0, 100, &[]).await.unwrap();
        assert!(next.is_empty(), "the offset confirmed the update");
        assert_eq!(fake.pending_updates(), 0);
    }

    #[tokio::test]
    async fn documents_upload_and_files_download() {
        let fake = FakeTelegram::start().await;
        let user = fake.user("Анна");
        let api = api(&fake);
        let bytes = b"%PDF-1.4 order".to_vec();
        let caption = Some("<b>Заказ</b> 42");
        let message = api
            .send_document(user.id, "заказ-42.pdf", bytes.clone(), caption)
            .await
            .expect("upload");
        let sent = &fake.sent_to(user.id)[0];
        assert_eq!(message_id_of(&message), Some(sent.message_id));
        assert_eq!(sent.caption.as_deref(), caption);
        assert_eq!(sent.parse_mode.as_deref(), Some("HTML"));
        let media = sent.media.clone().expect("a document");
        assert_eq!(media.file_name.as_deref(), Some("заказ-42.pdf"), "the name");
        assert_eq!(fake.file_bytes(&media.file_id), Some(bytes));

        let photo = vec![7u8; 5000];
        let album = vec![AlbumItem::photo(photo.clone()), AlbumItem::photo(vec![1])];
        fake.send_album(&user, album, None);
        let file_id = fake.chat_history(user.id)[1].media.clone().unwrap().file_id;
        let info = api.get_file(&file_id).await.expect("getFile");
        assert_eq!(info.file_size, Some(5000));
        let downloaded = api.download(&info.file_path, FIVE_SECONDS).await.unwrap();
        assert_eq!(downloaded, photo, "the bytes round-trip");

        let missing = api.download("photos/none.jpg", FIVE_SECONDS).await;
        let missing = missing.unwrap_err();
        assert_eq!(
            missing.refusal(),
            Some(Refusal::Other),
            "not the token's fault"
        );
        fake.inject("*", Fault::ErrorPage { status: 504 }, 1);
        let error = api
            .download(&info.file_path, FIVE_SECONDS)
            .await
            .unwrap_err();
        assert_eq!(transient(error), TransientReason::ErrorPage(504));
    }

    #[tokio::test]
    async fn setup_checks_the_url_and_hides_the_token() {
        let fake = FakeTelegram::start().await;
        let url = format!("{}//", fake.api_url());
        let api = Api::new(&url, fake.token(), FIVE_SECONDS).unwrap();
        let me = api.call::<Value>("getMe", &json!({})).await;
        assert!(me.is_ok(), "trailing slashes are trimmed: {me:?}");
        let shown = format!("{api:?}");
        assert!(
            !shown.contains(fake.token()),
            "Debug hides the token: {shown}"
        );
        for bad in ["", "api.telegram.org", "ftp://x.org", "https://x/?a=1"] {
            let refused = Api::new(bad, "t", FIVE_SECONDS);
            let refused = matches!(refused, Err(ApiSetupError::BadUrl { .. }));
            assert!(refused, "{bad:?} is refused");
        }
    }

    #[test]
    fn media_group_results_give_every_id() {
        let result = json!([{ "message_id": 5 }, { "message_id": 6 }]);
        assert_eq!(message_ids_of(&result), Some(vec![5, 6]));
        assert_eq!(first_message_id_of(&result), Some(5));
        let partial = json!([{ "message_id": 5 }, {}]);
        assert_eq!(message_ids_of(&partial), None, "all or nothing");
    }
}
