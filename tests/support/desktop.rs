//! The desktop app under test: a temporary home (so autostart entries and WebKit's caches stay
//! in it), a config file pointing at a fake Telegram server and a temporary orders folder, and
//! the real `servicebot-desktop` binary driven through [`crate::webdriver`].

use std::path::{Path, PathBuf};

use servicebot_fake_telegram::FakeTelegram;

use crate::webdriver::{Gui, Session};

/// The `servicebot-desktop` binary of this workspace (scripts/test.sh builds it first).
pub fn desktop_binary() -> PathBuf {
    let binary = crate::profile_dir().join(format!(
        "servicebot-desktop{}",
        std::env::consts::EXE_SUFFIX
    ));
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build -p servicebot-desktop` first (scripts/test.sh does)",
        binary.display()
    );
    binary
}

/// Where a scenario's screenshot goes: `docs/screenshots/` when `UPDATE_SCREENSHOTS` is set
/// (to refresh the README's pictures), else `<target>/screenshots/` as a test artifact.
pub fn screenshot_path(name: &str) -> PathBuf {
    let file = format!("{name}.png");
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../docs/screenshots")
            .join(file)
    } else {
        crate::profile_dir().join("screenshots").join(file)
    }
}

/// One installation of the desktop app with its own X server and fake Telegram.
#[derive(Debug)]
pub struct Desktop {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    pub root: PathBuf,
    pub config_path: PathBuf,
    pub fake: FakeTelegram,
    pub gui: Gui,
}

impl Desktop {
    /// A first run: no config file at all (the app falls back to its defaults).
    pub async fn first_run() -> Self {
        Self::with_config(None).await
    }

    /// An installation whose config points the API at the fake and the data into the test
    /// folder, with `extra` TOML (for example a `[telegram]` token); no orders folder is set
    /// unless `extra` sets one.
    pub async fn configured(extra: &str) -> Self {
        Self::with_config(Some(extra)).await
    }

    async fn with_config(extra: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let home = dir.path().join("home");
        let root = dir.path().join("Photo");
        std::fs::create_dir_all(&home).expect("home");
        std::fs::create_dir_all(&root).expect("orders folder");
        let fake = FakeTelegram::start().await;
        let config_path = dir.path().join("config.toml");
        if let Some(extra) = extra {
            let data = dir.path().join("data");
            let config = format!(
                "[storage]\ndata_dir = {data:?}\n{extra}\n",
                data = data.to_string_lossy()
            );
            // `[telegram]` may come in `extra`; otherwise the API is the fake's.
            let config = if config.contains("[telegram]") {
                config
            } else {
                format!("{config}[telegram]\napi_url = \"{}\"\n", fake.api_url())
            };
            std::fs::write(&config_path, config).expect("config");
        }
        let gui = Gui::start(dir.path()).await;
        Self {
            dir,
            home,
            root,
            config_path,
            fake,
            gui,
        }
    }

    /// Rewrites the config with the fake's token and the orders folder: the bot starts at once.
    pub fn write_ready_config(&self) {
        let config = format!(
            "[telegram]\ntoken = \"{token}\"\napi_url = \"{api}\"\n[orders]\nroot = {root:?}\n\
             [storage]\ndata_dir = {data:?}\n",
            token = self.fake.token(),
            api = self.fake.api_url(),
            root = self.root.to_string_lossy(),
            data = self.dir.path().join("data").to_string_lossy(),
        );
        std::fs::write(&self.config_path, config).expect("config");
    }

    /// The app's environment: a home of its own (XDG folders in it) and, on a first run, the
    /// data folder in the test folder (the per-user default would be the temporary home's).
    pub fn app_env(&self) -> Vec<String> {
        let home = self.home.display();
        vec![
            format!("HOME={home}"),
            format!("XDG_CONFIG_HOME={home}/.config"),
            format!("XDG_DATA_HOME={home}/.local/share"),
            format!("XDG_CACHE_HOME={home}/.cache"),
            "RUST_LOG=info".to_owned(),
        ]
    }

    /// Starts the app and waits until its page is ready.
    pub async fn open(&self) -> Session {
        let args = vec![
            "--config".to_owned(),
            self.config_path.display().to_string(),
        ];
        let session = self
            .gui
            .launch(&self.app_env(), &desktop_binary(), &args)
            .await;
        session.wait_for("body[data-ready='true']").await;
        session
    }

    /// Starts the app as Windows does at login (`--hidden`), outside WebDriver.
    pub fn launch_hidden(&self) -> std::process::Child {
        self.command()
            .arg("--hidden")
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(self.dir.path().join("app.log")).expect("log"))
            .spawn()
            .expect("the desktop app")
    }

    /// What the app wrote on stderr, when started by [`Desktop::launch_hidden`].
    pub fn app_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("app.log")).unwrap_or_default()
    }

    fn command(&self) -> std::process::Command {
        let mut command = std::process::Command::new(desktop_binary());
        command
            .arg("--config")
            .arg(&self.config_path)
            .env_clear()
            .envs(self.app_env().iter().filter_map(|kv| kv.split_once('=')))
            .env("DISPLAY", &self.gui.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.gui.dbus)
            .env("PATH", "/usr/bin:/bin");
        command
    }

    /// Starts the app a second time, as a user double-clicking it again would; returns its exit
    /// status (the single-instance plugin ends it after waking the first).
    pub fn launch_again(&self) -> std::process::ExitStatus {
        self.command().status().expect("second launch")
    }
}
