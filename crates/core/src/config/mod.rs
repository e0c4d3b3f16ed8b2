//! The configuration: typed structs for every key of SPEC §3, parsed by a pure function that
//! validates, with environment overrides and an atomic save for the GUI.
//!
//! `config/defaults.toml` in the repository documents every key; a test proves it equals
//! [`Config::default()`].

mod file;
mod token;
mod validate;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use crate::win_names::NameProblem;
pub use file::{
    ENV_CONFIG_PATH, ENV_DATA_DIR, ENV_ORDERS_ROOT, ENV_TOKEN, apply_env_overrides, load, save,
};
pub use token::BotToken;
pub use validate::{FieldProblem, Problem, STAGE_TITLE_MAX, problems};

/// Name of the subfolder of an order that holds media sent by clients.
pub const FROM_CLIENT_FOLDER: &str = "FromClient";

/// The committed, commented defaults file; it parses to [`Config::default()`].
pub const DEFAULTS_TOML: &str = include_str!("../../../../config/defaults.toml");

/// Why a configuration could not be used. Every variant names the offending key or file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write config file {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config is not valid TOML or has an unknown or mistyped key: {0}")]
    Syntax(String),
    #[error("config key `{key}` {reason}")]
    Invalid { key: String, reason: String },
}

/// The whole configuration file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub telegram: TelegramConfig,
    #[serde(default)]
    pub orders: OrdersConfig,
    #[serde(default)]
    pub organization: OrganizationConfig,
    #[serde(default)]
    pub phone: PhoneConfig,
    #[serde(default)]
    pub storage: StorageConfig,
    #[serde(default)]
    pub notify: NotifyConfig,
    #[serde(default = "default_stages")]
    pub stages: Vec<Stage>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            telegram: TelegramConfig::default(),
            orders: OrdersConfig::default(),
            organization: OrganizationConfig::default(),
            phone: PhoneConfig::default(),
            storage: StorageConfig::default(),
            notify: NotifyConfig::default(),
            stages: default_stages(),
        }
    }
}

impl Config {
    /// Parses and validates a TOML document. Pure: no file system, no environment.
    pub fn parse(text: &str) -> Result<Self, ConfigError> {
        let config: Self = toml::from_str(text).map_err(|e| syntax_error(text, &e))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks every rule that serde's types cannot express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        validate::validate(self)
    }

    /// Serialises to TOML (comments are not kept: the GUI writes what the user chose).
    pub fn to_toml(&self) -> Result<String, ConfigError> {
        toml::to_string_pretty(self).map_err(|e| ConfigError::Syntax(e.to_string()))
    }

    /// The stage with this folder name, if configured.
    pub fn stage(&self, folder: &str) -> Option<&Stage> {
        self.stages.iter().find(|stage| stage.folder == folder)
    }
}

/// A TOML error as "line L, column C: what is wrong", without the quoted source line that
/// toml's own message carries: that line may be the token's.
fn syntax_error(text: &str, error: &toml::de::Error) -> ConfigError {
    let place = error.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("line {line}, column {column}: ")
    });
    ConfigError::Syntax(format!(
        "{}{}",
        place.unwrap_or_default(),
        error.message().trim()
    ))
}

/// `[telegram]`: how to reach the Bot API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TelegramConfig {
    /// The bot token from @BotFather; empty until the manager enters it.
    pub token: BotToken,
    /// The Bot API server: Telegram's cloud, or a local Bot API server for files over 20 MB.
    pub api_url: String,
}

impl Default for TelegramConfig {
    fn default() -> Self {
        Self {
            token: BotToken::default(),
            api_url: "https://api.telegram.org".to_owned(),
        }
    }
}

/// `[orders]`: the dealer's orders folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrdersConfig {
    /// The folder whose direct subfolders are work orders; empty until the manager picks it.
    pub root: PathBuf,
    /// A folder whose name ends with this word (any case) is a closed order.
    pub closed_keyword: String,
    /// The file in an order folder that lists the client's phone numbers.
    pub phone_file: String,
    /// How often the whole root is listed again, in seconds, besides watching it for changes
    /// (network shares do not always report changes).
    pub rescan_seconds: u64,
}

impl Default for OrdersConfig {
    fn default() -> Self {
        Self {
            root: PathBuf::new(),
            closed_keyword: "closed".to_owned(),
            phone_file: "phone.txt".to_owned(),
            rescan_seconds: 60,
        }
    }
}

/// `[organization]`: on whose behalf the bot speaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OrganizationConfig {
    pub name: String,
    /// Language of the texts users see: `ru` (default) or `en`.
    pub language: String,
}

impl Default for OrganizationConfig {
    fn default() -> Self {
        Self {
            name: String::new(),
            language: "ru".to_owned(),
        }
    }
}

/// `[phone]`: how phone numbers are normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PhoneConfig {
    /// Added in front of 10-digit numbers.
    pub default_country_code: String,
}

impl Default for PhoneConfig {
    fn default() -> Self {
        Self {
            default_country_code: "7".to_owned(),
        }
    }
}

/// `[storage]`: where the application keeps its own files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// SQLite database, logs and spool; empty means the per-user application data folder.
    pub data_dir: PathBuf,
}

/// `[notify]`: when the desktop app alerts the manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotifyConfig {
    /// A desktop notification when a client's message has had no staff answer for this many
    /// minutes; 0 turns the notifications off (the Состояние page still lists the waiting).
    pub unanswered_minutes: u32,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self {
            unanswered_minutes: 15,
        }
    }
}

/// `[[stages]]`: one step of the work on a car, in menu order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// The button text in Telegram.
    pub title: String,
    /// The subfolder of the order folder that receives this stage's files.
    pub folder: String,
    /// Whether the client receives this stage's files.
    pub client_visible: bool,
    /// Whether the client is asked to approve or decline each item.
    #[serde(default)]
    pub approval: bool,
}

impl Stage {
    fn new(title: &str, folder: &str, client_visible: bool, approval: bool) -> Self {
        Self {
            title: title.to_owned(),
            folder: folder.to_owned(),
            client_visible,
            approval,
        }
    }
}

fn default_stages() -> Vec<Stage> {
    vec![
        Stage::new("Приёмка автомобиля", "Inspection", true, false),
        Stage::new("Текущие рекомендации", "Recommendation", true, true),
        Stage::new("Кузовные повреждения", "BodyDamage", true, false),
        Stage::new("Прочее", "Other", true, false),
        Stage::new("Для сервисных нужд", "Service", false, false),
    ]
}

#[cfg(test)]
mod tests;
