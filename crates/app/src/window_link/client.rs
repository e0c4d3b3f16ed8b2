//! The window's side of the link: calls into the host, and what the host pushes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, AsyncRead, AsyncWrite, AsyncWriteExt as _, BufReader};
use tokio::sync::{mpsc, oneshot};

use super::{Call, Request, ToWindow};
use crate::{AppError, ErrorCode, explain};

/// What the host pushes to the window.
#[derive(Debug, Clone, PartialEq)]
pub enum WindowEvent {
    /// A new `StatusDto`.
    Status(Value),
    /// Bring the window to the front.
    Focus,
    /// The host ended (Выход, or it was killed): the window ends too.
    HostGone,
}

type Waiting = HashMap<u64, oneshot::Sender<Result<Value, Value>>>;
/// The calls waiting for their answer; `None` once the host is gone.
type Pending = Arc<Mutex<Option<Waiting>>>;

/// The window process's handle on the host. Cheap to share; calls may run concurrently.
#[derive(Debug)]
pub struct HostLink {
    requests: mpsc::UnboundedSender<String>,
    pending: Pending,
    next_id: AtomicU64,
}

fn lock(pending: &Pending) -> MutexGuard<'_, Option<Waiting>> {
    pending.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The error a call gets when the host is gone (the window is closing by then).
fn host_gone() -> Value {
    let error = explain(&AppError::new(
        ErrorCode::Internal,
        "the ServiceBot host process has ended",
    ));
    serde_json::to_value(error).unwrap_or(Value::Null)
}

impl HostLink {
    /// Links to the host through `from_host` and `to_host` (the process's standard input and
    /// output). Call inside the tokio runtime; the events arrive on the returned channel.
    pub fn connect<R, W>(from_host: R, to_host: W) -> (Self, mpsc::UnboundedReceiver<WindowEvent>)
    where
        R: AsyncRead + Unpin + Send + 'static,
        W: AsyncWrite + Unpin + Send + 'static,
    {
        let pending: Pending = Arc::new(Mutex::new(Some(Waiting::new())));
        let (requests, outgoing) = mpsc::unbounded_channel();
        let (events, received) = mpsc::unbounded_channel();
        tokio::spawn(write_requests(to_host, outgoing));
        tokio::spawn(read_from_host(from_host, Arc::clone(&pending), events));
        let link = Self {
            requests,
            pending,
            next_id: AtomicU64::new(1),
        };
        (link, received)
    }

    /// One call into the host: its answer, or its error (a `CommandError`) as JSON.
    pub async fn call(&self, call: Call) -> Result<Value, Value> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let call = serde_json::to_value(&call).map_err(|_| host_gone())?;
        let line = serde_json::to_string(&Request { id, call }).map_err(|_| host_gone())?;
        let (answer, answered) = oneshot::channel();
        match lock(&self.pending).as_mut() {
            Some(waiting) => waiting.insert(id, answer),
            None => return Err(host_gone()),
        };
        if self.requests.send(line).is_err() {
            return Err(host_gone());
        }
        answered.await.unwrap_or_else(|_| Err(host_gone()))
    }

    /// A failure of the window's own, said the way the host says every error.
    pub async fn failure(&self, details: impl Into<String>) -> Value {
        match self
            .call(Call::Failure {
                details: details.into(),
            })
            .await
        {
            Ok(_) => host_gone(),
            Err(error) => error,
        }
    }
}

async fn write_requests<W: AsyncWrite + Unpin>(
    mut to_host: W,
    mut outgoing: mpsc::UnboundedReceiver<String>,
) {
    while let Some(mut line) = outgoing.recv().await {
        line.push('\n');
        if to_host.write_all(line.as_bytes()).await.is_err() || to_host.flush().await.is_err() {
            return;
        }
    }
    // The link was dropped: the host is told the window is done.
    let _ = to_host.shutdown().await;
}

async fn read_from_host<R: AsyncRead + Unpin>(
    from_host: R,
    pending: Pending,
    events: mpsc::UnboundedSender<WindowEvent>,
) {
    let mut lines = BufReader::new(from_host).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        match serde_json::from_str::<ToWindow>(&line) {
            Ok(ToWindow::Reply { id, result }) => {
                let answer = lock(&pending)
                    .as_mut()
                    .and_then(|waiting| waiting.remove(&id));
                if let Some(answer) = answer {
                    let _ = answer.send(result);
                }
            }
            Ok(ToWindow::Status { status }) => {
                let _ = events.send(WindowEvent::Status(status));
            }
            Ok(ToWindow::Focus) => {
                let _ = events.send(WindowEvent::Focus);
            }
            Err(error) => tracing::warn!(%error, "a line from the host that is not for the window"),
        }
    }
    // Every call still waiting learns the host is gone (their senders are dropped).
    lock(&pending).take();
    let _ = events.send(WindowEvent::HostGone);
}
