//! The desktop's one application state: the configuration, the running bot and order watcher,
//! and the status pushed to the window and the tray. The Tauri shell manages one [`Host`] and
//! each of its commands is one call here; nothing here knows about Tauri.
//!
//! Saving the settings writes the file atomically, then stops the bot (calls in flight finish
//! and are recorded), reopens the app with the new configuration and starts it again in the
//! same process. Whatever was queued — outbox items, file jobs, an album being collected — is
//! durable in SQLite and resumes with the new bot.

use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

use chrono::Local;
use servicebot_core::Config;
use servicebot_core::texts::{Language, Texts};
use tokio::sync::{Mutex, Notify, watch};

use crate::dto::{
    CommandError, FieldError, OrdersRootCheck, SettingsDraft, SettingsView, StatusDto, UiTexts,
};
use crate::gui_text::command_error;
use crate::settings::{self, SaveError};
use crate::status_dto::status_dto;
use crate::tray::{self, TrayModel};
use crate::{App, AppError, ErrorCode, RunningApp, paths, root_check};

/// How often the counters on the status page (queue, today's files) are looked at; the bot's
/// state is pushed the moment it changes.
const COUNTERS_EVERY: Duration = Duration::from_secs(1);

/// The environment, owned (the host outlives any borrow).
pub type SharedEnv = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// What the window and the tray show, published on every change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostState {
    pub status: StatusDto,
    pub tray: TrayModel,
}

/// How to open the host.
pub struct HostOptions {
    /// `--config FILE`; else `SERVICEBOT_CONFIG`, else the per-user default.
    pub config_path: Option<PathBuf>,
    pub env: SharedEnv,
    /// The bot's intervals and limits (tests shorten them).
    pub bot_tuning: servicebot_telegram::Tuning,
}

impl std::fmt::Debug for HostOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostOptions")
            .field("config_path", &self.config_path)
            .finish_non_exhaustive()
    }
}

struct Session {
    app: Arc<App>,
    running: Option<RunningApp>,
    texts: Arc<Texts>,
    /// No config file existed when this session's configuration was loaded.
    first_run: bool,
}

struct Inner {
    options: HostOptions,
    config_path: PathBuf,
    session: Mutex<Session>,
    state: watch::Sender<HostState>,
    poke: Arc<Notify>,
}

/// The desktop application's state. Cheap to clone; all clones share it.
#[derive(Clone)]
pub struct Host {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host")
            .field("config_path", &self.inner.config_path)
            .finish_non_exhaustive()
    }
}

fn texts_for(config: &Config) -> Result<Arc<Texts>, AppError> {
    Texts::new(Language::from_code(&config.organization.language))
        .map(Arc::new)
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
}

/// Loads the configuration at `config_path` with the environment applied, or the embedded
/// defaults (also with the environment) when there is no file: the first run.
fn load(config_path: &std::path::Path, env: &SharedEnv) -> Result<(Config, bool), AppError> {
    let env_fn = |name: &str| env(name);
    if config_path.exists() {
        Ok((servicebot_core::config::load(config_path, &env_fn)?, false))
    } else {
        let mut config = Config::default();
        servicebot_core::config::apply_env_overrides(&mut config, &env_fn);
        Ok((config, true))
    }
}

impl Host {
    /// Opens the configuration (or the defaults on a first run) and the database, and starts
    /// the order watcher and, when a token is set, the bot. Call inside the tokio runtime.
    pub async fn start(options: HostOptions) -> Result<Self, AppError> {
        let env = Arc::clone(&options.env);
        let env_fn = |name: &str| env(name);
        let config_path = paths::config_path(options.config_path.as_deref(), &env_fn)?;
        let (config, first_run) = load(&config_path, &options.env)?;
        let texts = texts_for(&config)?;
        let app = Arc::new(
            App::with_config(config_path.clone(), config, &env_fn)?
                .with_bot_tuning(options.bot_tuning.clone()),
        );
        let running = app.start().await?;
        let poke = Arc::new(Notify::new());
        forward_bot_changes(&running, &poke);
        let state = snapshot(&app, Some(&running), &texts)?;
        let (state_tx, _) = watch::channel(state);
        let inner = Arc::new(Inner {
            options,
            config_path,
            session: Mutex::new(Session {
                app,
                running: Some(running),
                texts,
                first_run,
            }),
            state: state_tx,
            poke,
        });
        tokio::spawn(publish_loop(Arc::downgrade(&inner)));
        Ok(Self { inner })
    }

    /// The data folder (database, logs), for the shell's log files.
    pub async fn data_dir(&self) -> PathBuf {
        self.inner.session.lock().await.app.data_dir().to_owned()
    }

    /// What the window and tray show now; changes arrive through [`Host::subscribe`].
    pub fn state(&self) -> HostState {
        self.inner.state.borrow().clone()
    }

    pub fn subscribe(&self) -> watch::Receiver<HostState> {
        self.inner.state.subscribe()
    }

    /// The window's labels in the configured language.
    pub async fn ui_texts(&self) -> UiTexts {
        let session = self.inner.session.lock().await;
        UiTexts {
            language: Language::from_code(&session.app.config().organization.language)
                .code()
                .to_owned(),
            labels: session.texts.ui_labels().into_iter().collect(),
        }
    }

    pub async fn settings(&self) -> SettingsView {
        let session = self.inner.session.lock().await;
        settings::view(
            session.app.config(),
            &self.inner.config_path,
            session.first_run,
            &session.texts,
        )
    }

    /// Every problem of `draft`, each for its field (empty when it can be saved).
    pub async fn validate_settings(
        &self,
        draft: SettingsDraft,
    ) -> Result<Vec<FieldError>, CommandError> {
        let session = self.inner.session.lock().await;
        let base = self.file_config(&session)?;
        Ok(settings::draft_problems(&base, &draft, &session.texts))
    }

    /// Saves `draft` and restarts the watcher and the bot with it.
    pub async fn save_settings(&self, draft: SettingsDraft) -> Result<SettingsView, CommandError> {
        let mut session = self.inner.session.lock().await;
        let base = self.file_config(&session)?;
        let texts = Arc::clone(&session.texts);
        match settings::save(&self.inner.config_path, &base, &draft, &texts) {
            Ok(_) => {}
            Err(SaveError::Invalid(fields)) => {
                let mut error = command_error(
                    &texts,
                    &AppError::new(ErrorCode::ConfigInvalid, String::new()),
                );
                error.fields = fields;
                return Err(error);
            }
            Err(SaveError::Failed(error)) => return Err(command_error(&texts, &error)),
        }
        if let Some(running) = session.running.take() {
            running.stop().await;
        }
        let restarted = self.reopen().await;
        let (app, texts) = restarted.map_err(|e| command_error(&texts, &e))?;
        let running = app.start().await.map_err(|e| command_error(&texts, &e))?;
        forward_bot_changes(&running, &self.inner.poke);
        *session = Session {
            app,
            running: Some(running),
            texts,
            first_run: false,
        };
        self.inner.poke.notify_one();
        Ok(settings::view(
            session.app.config(),
            &self.inner.config_path,
            false,
            &session.texts,
        ))
    }

    /// Checks a folder the manager picked or typed, with the settings' closed keyword.
    pub async fn check_orders_root(
        &self,
        path: String,
        closed_keyword: Option<String>,
    ) -> OrdersRootCheck {
        let (config, texts) = {
            let session = self.inner.session.lock().await;
            (
                session.app.config().orders.clone(),
                Arc::clone(&session.texts),
            )
        };
        let keyword = closed_keyword
            .filter(|k| !k.trim().is_empty())
            .unwrap_or(config.closed_keyword);
        let phone_file = config.phone_file;
        // A network share can take seconds to list: never on the caller's thread.
        let checked = tokio::task::spawn_blocking(move || {
            root_check::check(&path, &keyword, &phone_file, &texts)
        })
        .await;
        checked.unwrap_or_else(|error| {
            tracing::error!(%error, "the orders folder check failed");
            OrdersRootCheck {
                path: String::new(),
                readable: false,
                code: "internal".to_owned(),
                message: String::new(),
                details: Some(error.to_string()),
                open_orders: 0,
                with_phone_file: 0,
                newest: Vec::new(),
            }
        })
    }

    pub async fn start_bot(&self) -> Result<(), CommandError> {
        let session = self.inner.session.lock().await;
        let result = match &session.running {
            Some(running) => running.start_bot().await,
            None => Err(AppError::new(ErrorCode::Internal, "the app is not running")),
        };
        self.inner.poke.notify_one();
        result.map_err(|e| command_error(&session.texts, &e))
    }

    pub async fn stop_bot(&self) {
        let session = self.inner.session.lock().await;
        if let Some(running) = &session.running {
            running.stop_bot().await;
        }
        self.inner.poke.notify_one();
    }

    /// A failure of the shell's own (the file manager, the autostart entry), said the way every
    /// error is: a sentence in the user's language, the technical text as details.
    pub async fn failure(&self, details: impl Into<String>) -> CommandError {
        let session = self.inner.session.lock().await;
        command_error(&session.texts, &AppError::new(ErrorCode::Internal, details))
    }

    /// The orders folder, when one is set (the tray's "Открыть папку заказов").
    pub async fn orders_root(&self) -> Option<PathBuf> {
        let session = self.inner.session.lock().await;
        let root = &session.app.config().orders.root;
        (!root.as_os_str().is_empty()).then(|| root.clone())
    }

    /// Stops the bot gracefully and the watcher (the tray's "Выход").
    pub async fn shutdown(&self) {
        let mut session = self.inner.session.lock().await;
        if let Some(running) = session.running.take() {
            running.stop().await;
        }
        tracing::info!("ServiceBot stopped");
    }

    fn file_config(&self, session: &Session) -> Result<Config, CommandError> {
        settings::file_config(&self.inner.config_path)
            .map(Option::unwrap_or_default)
            .map_err(|e| command_error(&session.texts, &e))
    }

    async fn reopen(&self) -> Result<(Arc<App>, Arc<Texts>), AppError> {
        let options = &self.inner.options;
        let (config, _) = load(&self.inner.config_path, &options.env)?;
        let texts = texts_for(&config)?;
        let env = Arc::clone(&options.env);
        let env_fn = |name: &str| env(name);
        let app = App::with_config(self.inner.config_path.clone(), config, &env_fn)?
            .with_bot_tuning(options.bot_tuning.clone());
        Ok((Arc::new(app), texts))
    }
}

/// Wakes the publisher whenever this run's bot changes state.
fn forward_bot_changes(running: &RunningApp, poke: &Arc<Notify>) {
    let mut changes = running.bot().subscribe();
    let poke = Arc::clone(poke);
    tokio::spawn(async move {
        while changes.changed().await.is_ok() {
            poke.notify_one();
        }
    });
}

fn snapshot(app: &App, running: Option<&RunningApp>, texts: &Texts) -> Result<HostState, AppError> {
    let view = app.status(running, Local::now())?;
    let can_start = !app.config().telegram.token.is_empty();
    let status = status_dto(&view, can_start, texts);
    let tray = tray::model(
        &view.bot,
        can_start,
        !app.config().orders.root.as_os_str().is_empty(),
        texts,
    );
    Ok(HostState { status, tray })
}

/// Publishes the state when it changes: at once on a poke (a bot state change, a start, a
/// stop, a save), else every [`COUNTERS_EVERY`]. Ends with the host.
async fn publish_loop(inner: Weak<Inner>) {
    loop {
        let Some(inner) = inner.upgrade() else { return };
        {
            let session = inner.session.lock().await;
            match snapshot(&session.app, session.running.as_ref(), &session.texts) {
                Ok(state) => {
                    inner.state.send_if_modified(|current| {
                        let changed = *current != state;
                        if changed {
                            *current = state;
                        }
                        changed
                    });
                }
                Err(error) => tracing::warn!(%error, "cannot read the status"),
            }
        }
        let poke = Arc::clone(&inner.poke);
        drop(inner);
        tokio::select! {
            () = poke.notified() => {}
            () = tokio::time::sleep(COUNTERS_EVERY) => {}
        }
    }
}
