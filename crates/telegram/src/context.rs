//! What every handler needs, passed explicitly as one dependency (no globals).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use chrono::{DateTime, NaiveDate, Utc};
use servicebot_core::Config;
use servicebot_core::media_store::MediaStore;
use servicebot_core::orders::SharedIndex;
use servicebot_core::orders::phones::PhoneDirectory;
use servicebot_core::store::Store;
use servicebot_core::texts::{Arg, TextKey, Texts};
use tokio::sync::Notify;

/// The bot's dependencies.
#[derive(Debug)]
pub struct BotDeps {
    pub config: Config,
    pub store: Mutex<Store>,
    pub index: SharedIndex,
    pub texts: Texts,
    /// Where the media spool lives (the data folder).
    pub data_dir: PathBuf,
    /// Wakes the outbox worker when something is queued.
    pub outbox_ready: Notify,
    /// Wakes the processor when updates were written to the inbox.
    pub inbox_ready: Notify,
    /// Wakes the file workers when file jobs were recorded.
    pub files_ready: Notify,
    /// The only writer under the orders root.
    pub media: MediaStore,
    /// Every open order's phones (refreshed by `links::refresh`).
    pub phones: RwLock<PhoneDirectory>,
}

/// Locks a mutex, ignoring poisoning (a handler that panicked holding it failed already).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// The dependency handlers receive (dptree keys dependencies by type).
pub type Deps = Arc<BotDeps>;

impl BotDeps {
    pub fn new(
        config: Config,
        store: Store,
        index: SharedIndex,
        data_dir: PathBuf,
    ) -> Result<Self, servicebot_core::texts::TextsError> {
        let language = servicebot_core::texts::Language::from_code(&config.organization.language);
        Ok(Self {
            media: MediaStore::new(config.orders.root.clone(), data_dir.join("spool")),
            phones: RwLock::new(PhoneDirectory::default()),
            config,
            store: Mutex::new(store),
            index,
            texts: Texts::new(language)?,
            data_dir,
            outbox_ready: Notify::new(),
            inbox_ready: Notify::new(),
            files_ready: Notify::new(),
        })
    }

    /// The database, for one short synchronous operation (never held across an await). Handlers
    /// use `Cx::store`, the transaction of the update they handle.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    pub fn text(&self, key: TextKey, args: &[(&str, Arg<'_>)]) -> String {
        self.texts.get(key, args)
    }

    /// The clock, read here and nowhere in core.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    pub fn today(&self) -> NaiveDate {
        chrono::Local::now().date_naive()
    }
}
