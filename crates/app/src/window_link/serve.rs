//! The host's side of the link: answers the window's calls and pushes the status to it.

use serde_json::Value;
use tokio::io::{AsyncBufReadExt as _, AsyncRead, AsyncWrite, AsyncWriteExt as _, BufReader};
use tokio::sync::mpsc;

use super::{Request, ToWindow};
use crate::Host;

/// Serves one window process until it closes its end (the window was closed, or the process
/// ended). Calls are answered concurrently, each as soon as it is done, so a slow one (a
/// thumbnail from an offline share) holds up no other. `focus` brings the window to the front.
pub async fn serve<R, W>(host: Host, from_window: R, to_window: W, focus: mpsc::Receiver<()>)
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let (out, outgoing) = mpsc::unbounded_channel::<ToWindow>();
    let writer = tokio::spawn(write_lines(to_window, outgoing));
    let status = tokio::spawn(push_status(host.clone(), out.clone()));
    let focus = tokio::spawn(push_focus(focus, out.clone()));
    let mut lines = BufReader::new(from_window).lines();
    loop {
        let line = match lines.next_line().await {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(error) => {
                tracing::warn!(%error, "the window's link cannot be read");
                break;
            }
        };
        let request = match serde_json::from_str::<Request>(&line) {
            Ok(request) => request,
            Err(error) => {
                // Not ours: a library in the window's process wrote to its standard output.
                tracing::debug!(%error, "a line from the window that is not a call");
                continue;
            }
        };
        let (host, out) = (host.clone(), out.clone());
        tokio::spawn(async move {
            let result = host
                .answer_json(request.call)
                .await
                .map_err(|error| serde_json::to_value(error).unwrap_or(Value::Null));
            let _ = out.send(ToWindow::Reply {
                id: request.id,
                result,
            });
        });
    }
    // The window is gone: answers of calls still running have nowhere to go.
    status.abort();
    focus.abort();
    writer.abort();
}

async fn write_lines<W: AsyncWrite + Unpin>(
    mut to_window: W,
    mut outgoing: mpsc::UnboundedReceiver<ToWindow>,
) {
    while let Some(message) = outgoing.recv().await {
        let mut line = match serde_json::to_string(&message) {
            Ok(line) => line,
            Err(error) => {
                tracing::warn!(%error, "a message for the window cannot be written");
                continue;
            }
        };
        line.push('\n');
        if to_window.write_all(line.as_bytes()).await.is_err() || to_window.flush().await.is_err() {
            // The window is gone; its end of the link is read no more.
            return;
        }
    }
}

/// The status now, then every change.
async fn push_status(host: Host, out: mpsc::UnboundedSender<ToWindow>) {
    let mut changes = host.subscribe();
    let mut last = None;
    loop {
        let status = changes.borrow_and_update().status.clone();
        if last.as_ref() != Some(&status) {
            match serde_json::to_value(&status) {
                Ok(value) => {
                    if out.send(ToWindow::Status { status: value }).is_err() {
                        return;
                    }
                }
                Err(error) => tracing::warn!(%error, "the status cannot be written"),
            }
            last = Some(status);
        }
        if changes.changed().await.is_err() {
            return;
        }
    }
}

async fn push_focus(mut focus: mpsc::Receiver<()>, out: mpsc::UnboundedSender<ToWindow>) {
    while focus.recv().await.is_some() {
        if out.send(ToWindow::Focus).is_err() {
            return;
        }
    }
}
