//! The link between the host and the window's process.
//!
//! The window runs in a process of its own: the host (tray, bot, watcher) starts it when the
//! manager opens the window and it ends when the window is closed, so everything the webview
//! took — its renderer and network processes, the GL renderer, the page's heap — is given back
//! with it, on every platform (WebKitGTK keeps its network process for as long as the process
//! that made a webview lives). The host itself never makes a webview.
//!
//! The two talk over the window process's standard input and output, one JSON object a line:
//! the window sends a [`Request`] (an id and a [`Call`]), the host answers each with a
//! [`ToWindow::Reply`] and pushes [`ToWindow::Status`] on every status change and
//! [`ToWindow::Focus`] when a second launch or the tray asks for the window. A pipe needs no
//! port, no name and no secret, and it closes when either side ends: the window ends when
//! the host does, and the host sees at once that the window was closed.

mod call;
mod client;
mod serve;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::Host;

pub use call::Call;
pub use client::{HostLink, WindowEvent};
pub use serve::serve;

/// One call from the window. `call` is kept as JSON until it is read, so a call the host does
/// not know is still answered (with an error) under its id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: u64,
    pub call: Value,
}

/// What the host sends to the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ToWindow {
    /// The answer to request `id`: the command's value, or its `CommandError` as JSON.
    Reply {
        id: u64,
        result: Result<Value, Value>,
    },
    /// The status changed (a `StatusDto`).
    Status { status: Value },
    /// Bring the window to the front.
    Focus,
}

/// A window's side linked to a host in this same process, over an in-memory pipe instead of a
/// child's standard input and output: for the tests of the link and of the shell's commands.
#[derive(Debug)]
pub struct InMemory {
    pub link: HostLink,
    pub events: mpsc::UnboundedReceiver<WindowEvent>,
    /// Asks the window to come to the front.
    pub focus: mpsc::Sender<()>,
    /// The host's serving, which ends when the window's side closes.
    pub served: JoinHandle<()>,
}

/// Links a window's side to `host` in this process. Call inside the tokio runtime.
pub fn in_memory(host: Host) -> InMemory {
    let (window_end, host_end) = tokio::io::duplex(64 * 1024);
    let (from_window, to_window) = tokio::io::split(host_end);
    let (focus, focus_requests) = mpsc::channel(1);
    let served = tokio::spawn(serve(host, from_window, to_window, focus_requests));
    let (from_host, to_host) = tokio::io::split(window_end);
    let (link, events) = HostLink::connect(from_host, to_host);
    InMemory {
        link,
        events,
        focus,
        served,
    }
}
