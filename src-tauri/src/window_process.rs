//! The host's side of the window: the window runs in a process of its own (this program with
//! `--window`), started when the manager opens it and ended when they close it, so the
//! webview's memory is given back in full (see `servicebot_app::window_link`). One at a time:
//! opening it again while it runs brings it to the front.

use std::process::Stdio;
use std::sync::Mutex;

use servicebot_app::Host;
use tokio::sync::mpsc;

use crate::args::WINDOW_ARG;
use crate::lock;

/// The window's process, if one runs: the way to bring it to the front.
#[derive(Debug, Default)]
pub struct WindowProcess {
    focus: Mutex<Option<mpsc::Sender<()>>>,
}

impl WindowProcess {
    /// Brings the window up: starts its process, or brings the running one to the front. Call
    /// inside the tokio runtime (the child is watched there).
    pub fn open(&self, host: &Host) {
        let mut focus = lock(&self.focus);
        if let Some(running) = focus.as_ref()
            && !running.is_closed()
        {
            // Full means a focus is already on its way.
            let _ = running.try_send(());
            return;
        }
        match start(host) {
            Ok(sender) => *focus = Some(sender),
            Err(error) => tracing::error!(%error, "cannot start the window's process"),
        }
    }
}

fn start(host: &Host) -> std::io::Result<mpsc::Sender<()>> {
    let program = std::env::current_exe()?;
    let mut command = tokio::process::Command::new(program);
    command
        .arg(WINDOW_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        // The window must not outlive Выход, even if the host is stopped hard.
        .kill_on_drop(true);
    let mut child = command.spawn()?;
    let (Some(to_window), Some(from_window)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(std::io::Error::other("the window's pipes were not made"));
    };
    let (focus, focus_requests) = mpsc::channel(1);
    let host = host.clone();
    tracing::info!(pid = child.id(), "window opened");
    tokio::spawn(async move {
        servicebot_app::window_link::serve(host, from_window, to_window, focus_requests).await;
        match child.wait().await {
            Ok(status) => tracing::info!(%status, "window closed"),
            Err(error) => tracing::warn!(%error, "the window's process cannot be waited for"),
        }
    });
    Ok(focus)
}
