//! `servicebot-app`: the composition root and the command surface.
//!
//! It opens the configuration, the database and the order index, and offers every operation
//! the command line and the desktop shell expose, each as one call; [`Host`] is the desktop's
//! managed state and [`dto`] the shapes that cross to its window. Those shells hold no
//! business logic. Errors cross to them as [`AppError`], which has a stable [`ErrorCode`] for
//! the UI to branch on and a message for people.
//!
//! It may depend on the async runtime and the Telegram adapter; it must not depend on
//! Tauri or on the command-line parser.

mod bindings;
pub mod dto;
mod error;
mod evidence;
mod gui_text;
mod host;
mod invites;
mod legacy;
pub mod logging;
mod order_page;
mod orders;
pub mod paths;
mod root_check;
mod runtime;
mod settings;
mod status;
mod status_dto;
mod thumbnails;
mod timeline;
pub mod tray;
mod unanswered;
mod users;
mod users_page;
pub mod window_link;
#[cfg(test)]
mod pages_tests;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, RwLock};

use servicebot_core::Config;
use servicebot_core::orders::OrderIndex;
use servicebot_core::store::{DATABASE_FILE, Store};
use servicebot_core::texts::{Language, Texts};

pub use error::{AppError, ErrorCode, Result};
pub use evidence::sha256_of;
pub use gui_text::{LaunchProblem, explain, launch_problem_text};
pub use host::{Host, HostOptions, HostState, SharedEnv};
pub use invites::InviteLink;
pub use orders::{CalendarDay, ConfigReport};
pub use runtime::RunningApp;
pub use servicebot_telegram::{
    BotProblem, BotStatus, FileTuning, OutboxTuning, PollTuning, Tuning as BotTuning,
};
pub use status::{LAST_ONLINE_KEY, LastError, StatusView};
pub use thumbnails::{CACHE_FOLDER as THUMBNAIL_FOLDER, THUMBNAIL_PX, make_thumbnail};
pub use unanswered::Alert;
pub use users::UserRef;

/// Environment lookup, passed in so tests never touch the process environment.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The environment of this process, for the real binaries.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// An opened application: configuration, database and order index.
#[derive(Debug)]
pub struct App {
    config_path: PathBuf,
    config: Config,
    data_dir: PathBuf,
    store: Mutex<Store>,
    index: Arc<RwLock<OrderIndex>>,
    /// The bot's intervals and limits: Telegram's real ones, unless a test shortens them.
    bot_tuning: servicebot_telegram::Tuning,
    /// The texts of the configured language, loaded on first use.
    texts: OnceLock<Arc<Texts>>,
}

impl App {
    /// Loads the config at `config_path` (else `SERVICEBOT_CONFIG`, else the per-user default)
    /// and opens the database in the data directory.
    pub fn open(config_path: Option<&Path>, env: Env<'_>) -> Result<Self> {
        let config_path = paths::config_path(config_path, env)?;
        if !config_path.exists() {
            return Err(AppError::new(
                ErrorCode::ConfigMissing,
                format!(
                    "no configuration file at {}; copy config/defaults.toml there and fill in \
                     orders.root and telegram.token, or pass --config FILE",
                    config_path.display()
                ),
            ));
        }
        let config = servicebot_core::config::load(&config_path, env)?;
        Self::with_config(config_path, config, env)
    }

    /// Opens the database for `config` (already loaded, with the environment applied), which
    /// is saved at `config_path`.
    pub fn with_config(config_path: PathBuf, config: Config, env: Env<'_>) -> Result<Self> {
        let data_dir = paths::data_dir(&config, env)?;
        std::fs::create_dir_all(&data_dir).map_err(|e| {
            AppError::new(
                ErrorCode::Storage,
                format!("cannot create data folder {}: {e}", data_dir.display()),
            )
        })?;
        let store = Store::open(&data_dir.join(DATABASE_FILE))?;
        Ok(Self {
            config_path,
            config,
            data_dir,
            store: Mutex::new(store),
            index: Arc::new(RwLock::new(OrderIndex::new())),
            bot_tuning: servicebot_telegram::Tuning::default(),
            texts: OnceLock::new(),
        })
    }

    /// Takes over `previous`'s order index when it lists the same folder the same way (same
    /// root, same closed keyword): a restart after a save then keeps the known orders while
    /// the watcher looks again, instead of forgetting them until a 100 000-folder rescan ends.
    pub(crate) fn keeping_index_of(mut self, previous: &App) -> Self {
        let (old, new) = (&previous.config.orders, &self.config.orders);
        if old.root == new.root && old.closed_keyword == new.closed_keyword {
            self.index = Arc::clone(&previous.index);
        }
        self
    }

    /// Runs the bot with these intervals and limits instead of Telegram's real ones (tests use
    /// short ones so they are fast).
    pub fn with_bot_tuning(mut self, tuning: servicebot_telegram::Tuning) -> Self {
        self.bot_tuning = tuning;
        self
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn config_path(&self) -> &Path {
        &self.config_path
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The database; one connection serves the whole app, guarded for short operations.
    fn store(&self) -> MutexGuard<'_, Store> {
        match self.store.lock() {
            Ok(store) => store,
            // A panic while holding the lock cannot leave SQLite inconsistent (transactions
            // roll back), so the connection is still good.
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The texts of the configured language.
    pub(crate) fn texts(&self) -> Result<Arc<Texts>> {
        if let Some(texts) = self.texts.get() {
            return Ok(Arc::clone(texts));
        }
        let language = Language::from_code(&self.config.organization.language);
        let texts = Arc::new(
            Texts::new(language).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?,
        );
        Ok(Arc::clone(self.texts.get_or_init(|| texts)))
    }

    fn database_path(&self) -> PathBuf {
        self.data_dir.join(DATABASE_FILE)
    }
}
