//! The HTTP side: routing `/bot<token>/<method>` (method names case-insensitive, as teloxide
//! sends `GetMe`) and `/file/bot<token>/<path>`, faults, going offline, and Telegram's response
//! envelope.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{Path, Request, State as AxumState};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::faults::{EVERY_METHOD, Fault};
use crate::params::{ApiError, Params};
use crate::state::State;
use crate::{TOKEN, json as tg, lock, methods};

/// State shared by the server and the control API.
#[derive(Debug)]
pub(crate) struct Shared {
    state: Mutex<State>,
    /// Bumped on every change (update pushed, message sent), so waiters wake up.
    changes: watch::Sender<u64>,
}

impl Shared {
    pub fn new(local_files: Option<std::path::PathBuf>) -> Self {
        Self {
            state: Mutex::new(State::new(local_files)),
            changes: watch::Sender::new(0),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/file/{bot_token}/{*path}", get(download))
        .route("/{bot_token}/{method}", any(call))
        // Uploads up to Telegram's own limit (50 MB on the cloud API, 2000 MB locally).
        .layer(axum::extract::DefaultBodyLimit::max(2000 * 1024 * 1024))
        .with_state(shared)
}

fn envelope(result: Result<Value, ApiError>) -> Response {
    match result {
        Ok(result) => (
            StatusCode::OK,
            axum::Json(json!({ "ok": true, "result": result })),
        )
            .into_response(),
        Err(error) => {
            let status = StatusCode::from_u16(error.code).unwrap_or(StatusCode::BAD_REQUEST);
            (
                status,
                axum::Json(tg::error(error.code, &error.description, error.retry_after)),
            )
                .into_response()
        }
    }
}

fn unauthorized() -> ApiError {
    ApiError {
        code: 401,
        description: "Unauthorized".into(),
        retry_after: None,
    }
}

async fn call(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path((bot_token, method)): Path<(String, String)>,
    request: Request,
) -> Response {
    let method = method.to_ascii_lowercase();
    let online = {
        let mut state = shared.lock();
        *state.requests.entry(method.clone()).or_default() += 1;
        (!state.offline).then(|| (take_fault(&mut state, &method), state.latency))
    };
    let Some((fault, latency)) = online else {
        drop_connection()
    };
    let answer = async {
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        if bot_token.strip_prefix("bot") != Some(TOKEN) {
            return envelope(Err(unauthorized()));
        }
        if let Some(response) = apply(fault).await {
            return response;
        }
        let params = match Params::from_request(request).await {
            Ok(params) => params,
            Err(error) => return envelope(Err(error)),
        };
        transfer_time(&shared, params.attachment_bytes()).await;
        envelope(methods::call(&shared, &method, &params).await)
    };
    unless_offline(&shared, answer).await
}

/// The fault's own answer, if it replaces the normal one (a delay does not).
async fn apply(fault: Option<Fault>) -> Option<Response> {
    let error = match fault? {
        Fault::TooManyRequests { retry_after } => ApiError {
            code: 429,
            description: format!("Too Many Requests: retry after {retry_after}"),
            retry_after: Some(retry_after),
        },
        Fault::ServerError { status } => ApiError {
            code: status,
            description: "Internal Server Error".into(),
            retry_after: None,
        },
        Fault::BadRequest(description) => ApiError::bad(description),
        Fault::ErrorPage { status } => return Some(error_page(status)),
        Fault::DropConnection => drop_connection(),
        Fault::Delay(delay) => {
            tokio::time::sleep(delay).await;
            return None;
        }
    };
    Some(envelope(Err(error)))
}

/// What Telegram's nginx front end serves when the Bot API behind it does not answer: HTML,
/// not the JSON envelope.
fn error_page(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let body = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n\
         <center><h1>{title}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n\
         </body>\r\n</html>\r\n"
    );
    (status, [(CONTENT_TYPE, "text/html")], body).into_response()
}

/// Unwinding out of the handler makes hyper drop the connection without an answer, as a
/// network failure would; `resume_unwind` skips the panic hook (no noise).
fn drop_connection() -> ! {
    std::panic::resume_unwind(Box::new("fake Telegram: dropped connection"))
}

/// Runs `answer`, dropping the connection instead if the fake goes offline meanwhile (a long
/// poll or a slow download in flight when the network goes away).
async fn unless_offline(shared: &Shared, answer: impl Future<Output = Response>) -> Response {
    tokio::select! {
        response = answer => response,
        () = went_offline(shared) => drop_connection(),
    }
}

async fn went_offline(shared: &Shared) {
    loop {
        let mut changes = shared.subscribe();
        if shared.lock().offline {
            return;
        }
        if changes.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The first firing rule for the exact method, else for every method.
fn take_fault(state: &mut State, method: &str) -> Option<Fault> {
    take_rule(state, method).or_else(|| take_rule(state, EVERY_METHOD))
}

fn take_rule(state: &mut State, key: &str) -> Option<Fault> {
    let rules = state.faults.get_mut(key)?;
    let fault = rules
        .iter_mut()
        .find_map(|rule| rule.fires().then(|| rule.fault.clone()));
    rules.retain(|rule| !rule.exhausted());
    fault
}

async fn download(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path((bot_token, path)): Path<(String, String)>,
) -> Response {
    // Downloads are no Bot API method: only the rules for every method reach them.
    let online = {
        let mut state = shared.lock();
        (!state.offline).then(|| (take_rule(&mut state, EVERY_METHOD), state.latency))
    };
    let Some((fault, latency)) = online else {
        drop_connection()
    };
    let answer = async {
        if bot_token.strip_prefix("bot") != Some(TOKEN) {
            return envelope(Err(unauthorized()));
        }
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        if let Some(response) = apply(fault).await {
            return response;
        }
        let size = {
            let state = shared.lock();
            state
                .file_paths
                .get(&path)
                .and_then(|id| state.files.get(id))
                .map_or(0, |f| f.size())
        };
        transfer_time(&shared, size).await;
        let state = shared.lock();
        let file = state
            .file_paths
            .get(&path)
            .and_then(|id| state.files.get(id));
        match file {
            Some(file) if state.local_files.is_none() => {
                (StatusCode::OK, file.bytes.as_ref().clone()).into_response()
            }
            _ => envelope(Err(ApiError {
                code: 404,
                description: "Not Found".into(),
                retry_after: None,
            })),
        }
    };
    unless_offline(&shared, answer).await
}

/// Waits as long as moving `bytes` takes at the configured bandwidth.
async fn transfer_time(shared: &Shared, bytes: u64) {
    let bandwidth = shared.lock().bandwidth;
    if bandwidth > 0 && bytes > 0 {
        tokio::time::sleep(std::time::Duration::from_secs_f64(
            bytes as f64 / bandwidth as f64,
        ))
        .await;
    }
}
