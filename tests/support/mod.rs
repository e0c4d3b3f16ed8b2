//! The test harness.
//!
//! - [`TestEnv`]: a real temporary installation — orders root with named order folders and
//!   phone files, data folder, config file — plus the `servicebot` command run in-process
//!   ([`TestEnv::cli`]) or as a real process ([`servicebot_binary`]), and users added through
//!   the real SQLite store.
//! - [`telegram`]: the fake Bot API server wired in. [`telegram::TelegramEnv`] is a `TestEnv`
//!   whose config points at a fresh `FakeTelegram` (one per test, on 127.0.0.1:0), with helpers
//!   that create Telegram users already registered as staff, client or admin;
//!   [`telegram::bot_for`] gives a teloxide `Bot` aimed at the fake, and
//!   [`telegram::start_dispatcher`] runs a handler with long polling the way production does.
//!
//! Nothing here reads the process environment or the real home folder: every command gets an
//! environment of its own (invariant 6), and no test reaches the network.
#![allow(
    clippy::expect_used,
    reason = "test harness: a failed set-up must abort the test"
)]

pub mod desktop;
pub mod telegram;
pub mod webdriver;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use servicebot_core::store::{Level, Store, TelegramProfile};

/// A temporary installation: orders root, data folder, config file.
#[derive(Debug)]
pub struct TestEnv {
    dir: tempfile::TempDir,
    pub root: PathBuf,
    pub data_dir: PathBuf,
    pub config_path: PathBuf,
    env: HashMap<String, String>,
}

/// What a command printed and returned.
#[derive(Debug)]
pub struct CliOutput {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

impl CliOutput {
    pub fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
}

impl TestEnv {
    /// An installation whose config sets the root, the data folder and `extra` TOML
    /// (tables other than `[orders]`/`[storage]`, or keys for them given in full).
    pub fn new() -> Self {
        Self::with_config("")
    }

    pub fn with_config(extra: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().join("Photo");
        let data_dir = dir.path().join("data");
        std::fs::create_dir_all(&root).expect("orders root");
        let config_path = dir.path().join("config.toml");
        let config = format!(
            "[orders]\nroot = {root:?}\nrescan_seconds = 1\n[storage]\ndata_dir = {data:?}\n\
             [organization]\nname = \"Автоцентр\"\n{extra}",
            root = root.to_string_lossy(),
            data = data_dir.to_string_lossy(),
        );
        std::fs::write(&config_path, config).expect("config");
        Self {
            dir,
            root,
            data_dir,
            config_path,
            env: HashMap::new(),
        }
    }

    pub fn base(&self) -> &Path {
        self.dir.path()
    }

    /// Creates an order folder.
    pub fn order(&self, name: &str) -> PathBuf {
        let path = self.root.join(name);
        std::fs::create_dir_all(&path).expect("order folder");
        path
    }

    /// Creates an order folder with a phone file.
    pub fn order_with_phones(&self, name: &str, phone_file: &str) -> PathBuf {
        let path = self.order(name);
        std::fs::write(path.join("phone.txt"), phone_file).expect("phone file");
        self.link_as_onboarded();
        path
    }

    /// Records every registered client as already told about the orders listing their phone,
    /// as onboarding does: scenarios set up clients directly in the database and must not get
    /// "you are connected" messages among the ones they assert on.
    pub fn link_as_onboarded(&self) {
        let store = self.store();
        let users = store.users().list("", 0, usize::MAX).expect("users").users;
        let Ok(folders) = std::fs::read_dir(&self.root) else {
            return;
        };
        for folder in folders.flatten() {
            let name = folder.file_name().to_string_lossy().into_owned();
            let Ok(listed) = std::fs::read_to_string(folder.path().join("phone.txt")) else {
                continue;
            };
            let phones = servicebot_core::phone::parse_phone_file(&listed, "7");
            for user in users
                .iter()
                .filter(|u| u.phone.as_ref().is_some_and(|p| phones.contains(p)))
            {
                let number = name.split_whitespace().next().unwrap_or(&name);
                store
                    .client_links()
                    .link(&name, number, user.telegram_id, chrono::Utc::now())
                    .expect("link");
            }
        }
    }

    /// Sets a variable in the environment the commands see.
    pub fn set_env(&mut self, name: &str, value: &str) {
        self.env.insert(name.to_owned(), value.to_owned());
    }

    /// Runs `servicebot --config <config> <args>` in this process.
    pub fn cli(&self, args: &[&str]) -> CliOutput {
        let mut full: Vec<OsString> = vec![
            "servicebot".into(),
            "--config".into(),
            self.config_path.clone().into(),
        ];
        full.extend(args.iter().map(OsString::from));
        self.cli_raw(full)
    }

    /// Runs `servicebot` with exactly these arguments (program name first).
    pub fn cli_raw(&self, args: Vec<OsString>) -> CliOutput {
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        let env = |name: &str| self.env.get(name).cloned();
        let code = servicebot_cli::run(args, &env, &mut stdout, &mut stderr);
        CliOutput {
            code,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }

    /// Opens the installation's database (creating it), as the bot would.
    pub fn store(&self) -> Store {
        std::fs::create_dir_all(&self.data_dir).expect("data dir");
        Store::open(&self.data_dir.join(servicebot_core::store::DATABASE_FILE)).expect("store")
    }

    /// The normalised digits of the phone stored for `id`, if any.
    pub fn stored_phone(&self, id: i64) -> Option<String> {
        self.store()
            .users()
            .get(id)
            .expect("get user")
            .and_then(|u| u.phone)
            .map(|phone| phone.digits().to_owned())
    }

    /// Adds a user as if they had pressed Start, with a level and optional phone.
    pub fn add_user(&self, id: i64, name: &str, level: Level, phone: Option<&str>) {
        let store = self.store();
        let profile = TelegramProfile {
            telegram_id: id,
            chat_id: id,
            first_name: name.to_owned(),
            last_name: None,
            username: None,
        };
        store
            .users()
            .upsert_seen(&profile, chrono::Utc::now())
            .expect("user");
        store.users().set_level(id, level).expect("level");
        if let Some(phone) = phone {
            let phone = servicebot_core::Phone::normalize(phone, "7").expect("phone");
            store.users().set_phone(id, &phone).expect("phone");
            drop(store);
            self.link_as_onboarded();
        }
    }
}

impl Default for TestEnv {
    fn default() -> Self {
        Self::new()
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
pub fn wait_for(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if condition() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The `servicebot` binary built from this workspace, for tests that need a real process
/// (signals). The README's test command builds it before running the tests.
pub fn servicebot_binary() -> PathBuf {
    let binary = profile_dir().join(format!("servicebot{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build -p servicebot-cli` first (scripts/test.sh does)",
        binary.display()
    );
    binary
}

/// `<target>/<profile>`, where this workspace's binaries are built.
pub fn profile_dir() -> PathBuf {
    let test_exe = std::env::current_exe().expect("current exe");
    // <target>/<profile>/deps/scenarios-<hash> → <target>/<profile>
    test_exe
        .parent()
        .and_then(Path::parent)
        .expect("target profile folder")
        .to_owned()
}
