//! The desktop's one application state: the configuration, the running bot and order watcher,
//! and the status pushed to the window and the tray. The Tauri shell manages one [`Host`] and
//! each of its commands is one call here; nothing here knows about Tauri.
//!
//! Saving the settings writes the file atomically, then stops the bot (calls in flight finish
//! and are recorded), reopens the app with the new configuration and starts it again in the
//! same process. Whatever was queued — outbox items, file jobs, an album being collected — is
//! durable in SQLite and resumes with the new bot.

#[cfg(test)]
mod alert_tests;
mod pages;

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::{Arc, Weak};
use std::time::Duration;

use chrono::Local;
use servicebot_core::Config;
use servicebot_core::texts::{Language, TextKey, Texts};
use tokio::sync::{Mutex, Notify, RwLock, Semaphore, broadcast, watch};

use crate::dto::{
    CommandError, FieldError, OrdersRootCheck, SettingsDraft, SettingsView, StatusDto, UiTexts,
};
use crate::gui_text::command_error;
use crate::settings::{self, SaveError};
use crate::status_dto::status_dto;
use crate::tray::{self, TrayModel};
use crate::{Alert, App, AppError, ErrorCode, RunningApp, paths, root_check};

/// How often the counters on the status page (queue, today's files) are looked at; the bot's
/// state is pushed the moment it changes.
const COUNTERS_EVERY: Duration = Duration::from_secs(1);
/// How often the clients waiting for an answer are looked at for a notification.
const ALERTS_EVERY: Duration = Duration::from_secs(30);
/// At most this many notifications at once (after a night off, not one per waiting client).
const ALERTS_AT_ONCE: usize = 3;
/// Thumbnails made at the same time.
const THUMBNAILS_AT_ONCE: usize = 2;

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
    /// Read by every command and the publisher; written only for the moment a session is
    /// swapped, never across a stop or a start, so the window and tray keep being told.
    session: RwLock<Session>,
    /// One save or shutdown at a time.
    changes: Mutex<()>,
    state: watch::Sender<HostState>,
    poke: Arc<Notify>,
    thumbnails: Arc<Semaphore>,
    alerts: broadcast::Sender<Alert>,
    /// Subscribed when the host starts, so the first to subscribe (the shell, which does so
    /// once the host is up) also gets what was announced before: the first look runs at once.
    first_alerts: std::sync::Mutex<Option<broadcast::Receiver<Alert>>>,
    /// The order of the notification the manager clicked, until the window takes it.
    alert_order: std::sync::Mutex<Option<String>>,
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
        let (app, texts, first_run) = open_app(&config_path, &options, None)?;
        let running = app.start().await?;
        let poke = Arc::new(Notify::new());
        forward_bot_changes(&running, &poke);
        let state = snapshot(&app, Some(&running), &texts)?;
        let (state_tx, _) = watch::channel(state);
        let (alerts, first_alerts) = broadcast::channel(16);
        let inner = Arc::new(Inner {
            options,
            config_path,
            session: RwLock::new(Session {
                app,
                running: Some(running),
                texts,
                first_run,
            }),
            changes: Mutex::new(()),
            state: state_tx,
            poke,
            thumbnails: Arc::new(Semaphore::new(THUMBNAILS_AT_ONCE)),
            alerts,
            first_alerts: std::sync::Mutex::new(Some(first_alerts)),
            alert_order: std::sync::Mutex::new(None),
        });
        tokio::spawn(publish_loop(Arc::downgrade(&inner)));
        tokio::spawn(alert_loop(Arc::downgrade(&inner)));
        Ok(Self { inner })
    }

    /// The data folder (database, logs), for the shell's log files.
    pub async fn data_dir(&self) -> PathBuf {
        self.inner.session.read().await.app.data_dir().to_owned()
    }

    /// What the window and tray show now; changes arrive through [`Host::subscribe`].
    pub fn state(&self) -> HostState {
        self.inner.state.borrow().clone()
    }

    pub fn subscribe(&self) -> watch::Receiver<HostState> {
        self.inner.state.subscribe()
    }

    /// Desktop notifications to show: a client waited longer than
    /// `notify.unanswered_minutes` (each wait announced once). The first subscriber also gets
    /// what was announced before it subscribed.
    pub fn subscribe_alerts(&self) -> broadcast::Receiver<Alert> {
        let first = match self.inner.first_alerts.lock() {
            Ok(mut first) => first.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        first.unwrap_or_else(|| self.inner.alerts.subscribe())
    }

    /// The manager clicked the notification about `order_folder`: the window opens that order
    /// as it comes up ([`Host::take_alert_order`]).
    pub fn alert_clicked(&self, order_folder: String) {
        let mut order = match self.inner.alert_order.lock() {
            Ok(order) => order,
            Err(poisoned) => poisoned.into_inner(),
        };
        *order = Some(order_folder);
    }

    /// The window's labels in the configured language.
    pub async fn ui_texts(&self) -> UiTexts {
        let session = self.inner.session.read().await;
        UiTexts {
            language: Language::from_code(&session.app.config().organization.language)
                .code()
                .to_owned(),
            labels: session.texts.ui_labels().into_iter().collect(),
        }
    }

    pub async fn settings(&self) -> SettingsView {
        let session = self.inner.session.read().await;
        let file = self.file_values(&session);
        settings::view(
            &file,
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
        let session = self.inner.session.read().await;
        let base = self.file_config(&session)?;
        Ok(settings::draft_problems(&base, &draft, &session.texts))
    }

    /// Saves `draft` and restarts the watcher and the bot with it. The new configuration is
    /// opened before the old bot is stopped, and if the new one cannot start the old one is
    /// started again: a failed save never leaves the service centre without its bot.
    pub async fn save_settings(&self, draft: SettingsDraft) -> Result<SettingsView, CommandError> {
        let _one_at_a_time = self.inner.changes.lock().await;
        let (base, texts) = {
            let session = self.inner.session.read().await;
            (self.file_config(&session)?, Arc::clone(&session.texts))
        };
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
        let previous = Arc::clone(&self.inner.session.read().await.app);
        let (app, new_texts) = self
            .open_app(&previous)
            .map_err(|e| command_error(&texts, &e))?;
        let old = self.inner.session.write().await.running.take();
        self.inner.poke.notify_one();
        if let Some(old) = old {
            old.stop().await;
        }
        match app.start().await {
            Ok(running) => {
                forward_bot_changes(&running, &self.inner.poke);
                let mut session = self.inner.session.write().await;
                *session = Session {
                    app,
                    running: Some(running),
                    texts: new_texts,
                    first_run: false,
                };
                self.inner.poke.notify_one();
                let file = self.file_values(&session);
                Ok(settings::view(
                    &file,
                    session.app.config(),
                    &self.inner.config_path,
                    false,
                    &session.texts,
                ))
            }
            Err(error) => {
                tracing::error!(%error, "the new settings cannot start; the previous ones run on");
                let mut session = self.inner.session.write().await;
                match session.app.start().await {
                    Ok(running) => {
                        forward_bot_changes(&running, &self.inner.poke);
                        session.running = Some(running);
                    }
                    Err(again) => {
                        tracing::error!(%again, "the previous settings cannot start either")
                    }
                }
                self.inner.poke.notify_one();
                Err(command_error(&texts, &error))
            }
        }
    }

    /// Checks a folder the manager picked or typed, with the settings' closed keyword.
    pub async fn check_orders_root(
        &self,
        path: String,
        closed_keyword: Option<String>,
    ) -> OrdersRootCheck {
        let (app, texts) = {
            let session = self.inner.session.read().await;
            (Arc::clone(&session.app), Arc::clone(&session.texts))
        };
        let config = app.config().orders.clone();
        let keyword = closed_keyword
            .filter(|k| !k.trim().is_empty())
            .unwrap_or_else(|| config.closed_keyword.clone());
        // The folder in use, as it is used: its orders are known already.
        let in_use =
            std::path::Path::new(path.trim()) == config.root && keyword == config.closed_keyword;
        let fallback_texts = Arc::clone(&texts);
        // A network share can take seconds to list: never on the caller's thread.
        let checked = tokio::task::spawn_blocking(move || {
            let indexed = in_use.then(|| app.indexed_root_check(&path, &texts));
            indexed
                .flatten()
                .unwrap_or_else(|| root_check::check(&path, &keyword, &config.phone_file, &texts))
        })
        .await;
        checked.unwrap_or_else(|error| {
            tracing::error!(%error, "the orders folder check failed");
            OrdersRootCheck {
                path: String::new(),
                readable: false,
                code: "internal".to_owned(),
                message: crate::gui_text::command_error(
                    &fallback_texts,
                    &AppError::new(ErrorCode::Internal, String::new()),
                )
                .message,
                details: Some(error.to_string()),
                open_orders: 0,
                with_phone_file: 0,
                newest: Vec::new(),
            }
        })
    }

    pub async fn start_bot(&self) -> Result<(), CommandError> {
        let session = self.inner.session.read().await;
        let result = match &session.running {
            Some(running) => running.start_bot().await,
            None => Err(AppError::new(ErrorCode::Internal, "the app is not running")),
        };
        self.inner.poke.notify_one();
        result.map_err(|e| command_error(&session.texts, &e))
    }

    pub async fn stop_bot(&self) {
        let session = self.inner.session.read().await;
        if let Some(running) = &session.running {
            running.stop_bot().await;
        }
        self.inner.poke.notify_one();
    }

    /// A failure of the shell's own (the file manager, the autostart entry), said the way every
    /// error is: a sentence in the user's language, the technical text as details.
    pub async fn failure(&self, details: impl Into<String>) -> CommandError {
        let session = self.inner.session.read().await;
        command_error(&session.texts, &AppError::new(ErrorCode::Internal, details))
    }

    /// The orders folder to show in the file manager (the tray's "Открыть папку заказов"), or
    /// why there is none to show.
    pub async fn orders_folder_to_open(&self) -> Result<PathBuf, CommandError> {
        let session = self.inner.session.read().await;
        let root = session.app.config().orders.root.clone();
        let refuse = |key: TextKey| CommandError {
            code: ErrorCode::OrdersRootUnavailable.as_str().to_owned(),
            message: session.texts.get(key, &[]),
            details: Some(root.display().to_string()).filter(|d| !d.is_empty()),
            fields: Vec::new(),
        };
        if root.as_os_str().is_empty() {
            return Err(refuse(TextKey::GuiRootNotSet));
        }
        // A network share that is offline answers slowly or not at all: off the async threads.
        let probe = root.clone();
        let exists = tokio::task::spawn_blocking(move || probe.is_dir())
            .await
            .unwrap_or(false);
        if exists {
            Ok(root.clone())
        } else {
            Err(refuse(TextKey::GuiRootNotFound))
        }
    }

    /// Stops the bot gracefully and the watcher (the tray's "Выход").
    pub async fn shutdown(&self) {
        let _one_at_a_time = self.inner.changes.lock().await;
        let running = self.inner.session.write().await.running.take();
        if let Some(running) = running {
            running.stop().await;
        }
        tracing::info!("ServiceBot stopped");
    }

    /// What the settings page shows: the file's values, the defaults before the first save,
    /// or — for a file that cannot be read now (it parsed when the app opened it) — what runs.
    fn file_values(&self, session: &Session) -> Config {
        match settings::file_config(&self.inner.config_path) {
            Ok(Some(config)) => config,
            Ok(None) => Config::default(),
            Err(_) => session.app.config().clone(),
        }
    }

    fn file_config(&self, session: &Session) -> Result<Config, CommandError> {
        settings::file_config(&self.inner.config_path)
            .map(Option::unwrap_or_default)
            .map_err(|e| command_error(&session.texts, &e))
    }

    /// The app for the configuration file as it is now (the environment applied), keeping
    /// `previous`'s order index when it still applies.
    fn open_app(&self, previous: &App) -> Result<(Arc<App>, Arc<Texts>), AppError> {
        let (app, texts, _) =
            open_app(&self.inner.config_path, &self.inner.options, Some(previous))?;
        Ok((app, texts))
    }
}

/// Opens the app for the file at `config_path` (or the defaults when there is none: then the
/// flag is true, a first run).
fn open_app(
    config_path: &std::path::Path,
    options: &HostOptions,
    previous: Option<&App>,
) -> Result<(Arc<App>, Arc<Texts>, bool), AppError> {
    let (config, first_run) = load(config_path, &options.env)?;
    let texts = texts_for(&config)?;
    let env = Arc::clone(&options.env);
    let env_fn = |name: &str| env(name);
    let mut app = App::with_config(config_path.to_owned(), config, &env_fn)?
        .with_bot_tuning(options.bot_tuning.clone());
    if let Some(previous) = previous {
        app = app.keeping_index_of(previous);
    }
    Ok((Arc::new(app), texts, first_run))
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
            let session = inner.session.read().await;
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

/// Announces every wait that became overdue, once. Ends with the host.
async fn alert_loop(inner: Weak<Inner>) {
    let mut shown: HashSet<(String, i64, chrono::DateTime<chrono::Utc>)> = HashSet::new();
    // As soon as the orders folder has been scanned (a wait is announced only for an order the
    // index knows), then every ALERTS_EVERY: after a night off the manager hears of the clients
    // still waiting as soon as the app starts.
    if let Some(strong) = inner.upgrade() {
        let mut changes = strong.state.subscribe();
        drop(strong);
        let scanned = changes.wait_for(|state| state.status.orders_state != "pending");
        let _ = tokio::time::timeout(ALERTS_EVERY, scanned).await;
    }
    let mut first = true;
    loop {
        if !std::mem::take(&mut first) {
            tokio::time::sleep(ALERTS_EVERY).await;
        }
        let Some(inner) = inner.upgrade() else { return };
        let app = Arc::clone(&inner.session.read().await.app);
        let due =
            tokio::task::spawn_blocking(move || app.unanswered_alerts(chrono::Utc::now())).await;
        let alerts = match due {
            Ok(Ok(alerts)) => alerts,
            Ok(Err(error)) => {
                tracing::warn!(%error, "cannot look for clients waiting for an answer");
                continue;
            }
            Err(error) => {
                tracing::warn!(%error, "the waiting clients check failed");
                continue;
            }
        };
        let mut sent = 0;
        for alert in alerts {
            if sent < ALERTS_AT_ONCE && shown.insert(alert.key.clone()) {
                tracing::info!(order = %alert.key.0, "a client waits for an answer");
                let _ = inner.alerts.send(alert);
                sent += 1;
            }
        }
    }
}
