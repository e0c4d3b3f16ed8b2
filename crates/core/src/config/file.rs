//! Reading the config file with environment overrides, and saving it atomically.

use std::path::{Path, PathBuf};

use super::{BotToken, Config, ConfigError};
use crate::atomic_file;

/// Environment variable naming the config file when `--config` is not given.
pub const ENV_CONFIG_PATH: &str = "SERVICEBOT_CONFIG";
/// Environment variable that overrides `telegram.token` (keeps the secret out of the file).
pub const ENV_TOKEN: &str = "SERVICEBOT_TOKEN";
/// Environment variable that overrides `orders.root`.
pub const ENV_ORDERS_ROOT: &str = "SERVICEBOT_ORDERS_ROOT";
/// Environment variable that overrides `storage.data_dir`.
pub const ENV_DATA_DIR: &str = "SERVICEBOT_DATA_DIR";

/// Reads and validates the config file at `path`.
///
/// `env` looks up environment variables; it is a parameter so tests never touch the process
/// environment. Relative `orders.root` and `storage.data_dir` are taken relative to the folder
/// holding the config file, so a config and its data can travel together.
pub fn load(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut config = Config::parse(text)?;
    apply_env_overrides(&mut config, env);
    let base = path.parent().unwrap_or(Path::new(""));
    config.orders.root = resolve(base, &config.orders.root);
    config.storage.data_dir = resolve(base, &config.storage.data_dir);
    config.validate()?;
    Ok(config)
}

/// Applies `SERVICEBOT_TOKEN`, `SERVICEBOT_ORDERS_ROOT` and `SERVICEBOT_DATA_DIR` when set and
/// not empty.
pub fn apply_env_overrides(config: &mut Config, env: &dyn Fn(&str) -> Option<String>) {
    let set = |name: &str| env(name).filter(|value| !value.trim().is_empty());
    if let Some(token) = set(ENV_TOKEN) {
        config.telegram.token = BotToken::new(token);
    }
    if let Some(root) = set(ENV_ORDERS_ROOT) {
        config.orders.root = PathBuf::from(root);
    }
    if let Some(dir) = set(ENV_DATA_DIR) {
        config.storage.data_dir = PathBuf::from(dir);
    }
}

/// Validates and writes `config` to `path` atomically: a reader (or a crash) sees the old file
/// or the new one, never half of one.
pub fn save(path: &Path, config: &Config) -> Result<(), ConfigError> {
    config.validate()?;
    let text = config.to_toml()?;
    atomic_file::write(path, text.as_bytes()).map_err(|source| ConfigError::Write {
        path: path.to_owned(),
        source,
    })
}

fn resolve(base: &Path, path: &Path) -> PathBuf {
    if path.as_os_str().is_empty() || path.is_absolute() {
        path.to_owned()
    } else {
        base.join(path)
    }
}
