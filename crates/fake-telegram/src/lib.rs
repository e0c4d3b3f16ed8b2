//! `servicebot-fake-telegram`: a strict double of the Telegram Bot API for ServiceBot's tests.
//!
//! One [`FakeTelegram`] per test, on `127.0.0.1:0`, injected into the bot with
//! `Bot::set_api_url(fake.api_url())`: no global lock, no environment variables. It serves real
//! long polling, stores what the bot sends per chat, and refuses what Telegram refuses, with
//! Telegram's status codes and descriptions (callback data over 64 bytes, texts and captions
//! over their limits, malformed HTML or MarkdownV2, albums of one or eleven items, unknown file
//! ids, edits of missing messages, users who blocked the bot, downloads over 20 MB, a second
//! poller). A lenient fake would hide exactly the bugs that sank the previous bot.
//!
//! Tests drive it through the control API on [`FakeTelegram`]: create users, push updates as
//! them (texts, commands, contacts, media, albums, edits, button presses), read what the bot sent
//! as typed [`SentMessage`] records, wait for messages, and inject faults per method.
//!
//! This crate is a dev-dependency only; it never reaches a release build.

mod control;
mod faults;
mod json;
mod limits;
mod methods;
mod params;
mod server;
mod state;
mod validate;

#[cfg(test)]
mod tests;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

pub use faults::Fault;
pub use limits::{
    GLOBAL_PER_SECOND, GLOBAL_SLACK, GROUP_PER_MINUTE, Limit, LimitRefusal, PRIVATE_BURST,
    PRIVATE_INTERVAL, PRIVATE_SLACK, SendRecord,
};
pub use state::{AlbumItem, Button, CallbackAnswer, MediaKind, SentMedia, SentMessage, TgUser};

/// The token the fake accepts; any other gets 401 Unauthorized, as a revoked token would.
pub const TOKEN: &str = "7000000001:AAFakeTokenForServiceBotTests_abcdefgh";
/// The bot's own user id and username, as `getMe` reports them.
pub const BOT_ID: i64 = 7_000_000_001;
pub const BOT_USERNAME: &str = "servicebot_test_bot";
/// Telegram's cloud Bot API refuses `getFile` for files larger than this.
pub const CLOUD_DOWNLOAD_LIMIT: u64 = 20 * 1024 * 1024;

/// A running fake Bot API server. Dropping it stops the server.
#[derive(Debug)]
pub struct FakeTelegram {
    addr: SocketAddr,
    shared: Arc<server::Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl FakeTelegram {
    /// Starts a fake of Telegram's cloud Bot API (downloads capped at 20 MB).
    pub async fn start() -> Self {
        Self::start_with(None).await
    }

    /// Starts a fake of a local Bot API server (`--local`): `getFile` returns absolute paths
    /// under `files_dir`, which holds every file, and files of any size can be fetched.
    pub async fn start_local(files_dir: PathBuf) -> Self {
        Self::start_with(Some(files_dir)).await
    }

    async fn start_with(local_files: Option<PathBuf>) -> Self {
        let shared = Arc::new(server::Shared::new(local_files));
        let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(error) => panic!("fake Telegram cannot bind 127.0.0.1:0: {error}"),
        };
        let addr = match listener.local_addr() {
            Ok(addr) => addr,
            Err(error) => panic!("fake Telegram has no local address: {error}"),
        };
        let (shutdown, stopped) = tokio::sync::oneshot::channel();
        let app = server::router(Arc::clone(&shared));
        tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                tracing::error!(%error, "fake Telegram server failed");
            }
        });
        Self {
            addr,
            shared,
            shutdown: Some(shutdown),
        }
    }

    /// The base URL to give `Bot::set_api_url`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn token(&self) -> &'static str {
        TOKEN
    }

    fn state(&self) -> MutexGuard<'_, state::State> {
        self.shared.lock()
    }
}

impl Drop for FakeTelegram {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// Locks a mutex, ignoring poisoning: a test that panicked holding it has failed already.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}
