//! Where the configuration and the data live by default.

use std::path::{Path, PathBuf};

use servicebot_core::Config;
use servicebot_core::config::ENV_CONFIG_PATH;

use crate::{AppError, Env, ErrorCode, Result};

/// The application's folder name under the per-user data folders.
const APP_DIR: &str = "ServiceBot";

/// `--config`, else `SERVICEBOT_CONFIG`, else `%APPDATA%\ServiceBot\config.toml` (or the XDG
/// equivalent).
pub fn config_path(explicit: Option<&Path>, env: Env<'_>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path.to_owned());
    }
    if let Some(path) = env(ENV_CONFIG_PATH).filter(|p| !p.trim().is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dir = dirs::config_dir().ok_or_else(|| {
        AppError::new(
            ErrorCode::ConfigMissing,
            "no per-user configuration folder; pass --config FILE",
        )
    })?;
    Ok(dir.join(APP_DIR).join("config.toml"))
}

/// `storage.data_dir` when set (already resolved against the config file's folder), else the
/// per-user data folder.
pub fn data_dir(config: &Config, _env: Env<'_>) -> Result<PathBuf> {
    if !config.storage.data_dir.as_os_str().is_empty() {
        return Ok(config.storage.data_dir.clone());
    }
    let dir = dirs::data_dir().ok_or_else(|| {
        AppError::new(
            ErrorCode::Storage,
            "no per-user data folder; set storage.data_dir in the config",
        )
    })?;
    Ok(dir.join(APP_DIR))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explicit_file_or_the_environment_wins_over_the_default() {
        let none = |_: &str| None;
        let config = config_path(Some(Path::new(r"D:\ServiceBot\config.toml")), &none);
        assert_eq!(
            config.ok(),
            Some(PathBuf::from(r"D:\ServiceBot\config.toml"))
        );
        let from_env = |name: &str| (name == ENV_CONFIG_PATH).then(|| r"\\nas\cfg.toml".to_owned());
        assert_eq!(
            config_path(None, &from_env).ok(),
            Some(PathBuf::from(r"\\nas\cfg.toml"))
        );
    }

    /// SPEC §3: on Windows the settings, the database and the logs live in
    /// `%APPDATA%\ServiceBot` (the roaming profile), which the MSI never touches.
    #[cfg(windows)]
    #[test]
    fn windows_keeps_everything_in_appdata_servicebot() {
        let none = |_: &str| None;
        let config = config_path(None, &none).expect("a default config path");
        assert!(
            config.ends_with(r"AppData\Roaming\ServiceBot\config.toml"),
            "{}",
            config.display()
        );
        let data = data_dir(&Config::default(), &none).expect("a default data folder");
        assert_eq!(Some(data.as_path()), config.parent(), "one folder for both");
    }
}
