//! Validation rules that serde's types cannot express. Each error names the offending key.

use std::collections::HashSet;

use super::{Config, ConfigError, FROM_CLIENT_FOLDER};
use crate::win_names;

pub(super) fn validate(config: &Config) -> Result<(), ConfigError> {
    let token = &config.telegram.token;
    if !token.is_empty() && !token.looks_valid() {
        return Err(ConfigError::invalid(
            "telegram.token",
            "does not look like a BotFather token (digits, a colon, then about 35 letters)",
        ));
    }
    let api_url = config.telegram.api_url.trim();
    if !(api_url.starts_with("https://") || api_url.starts_with("http://")) {
        return Err(ConfigError::invalid(
            "telegram.api_url",
            "must start with https:// or http://",
        ));
    }
    let keyword = config
        .orders
        .closed_keyword
        .trim_matches(|c| matches!(c, ' ' | '_' | '-'));
    if keyword.is_empty() {
        return Err(ConfigError::invalid(
            "orders.closed_keyword",
            "must not be empty",
        ));
    }
    if let Some(reason) = win_names::problem(&config.orders.phone_file) {
        return Err(ConfigError::invalid("orders.phone_file", reason));
    }
    if config.orders.rescan_seconds == 0 {
        return Err(ConfigError::invalid(
            "orders.rescan_seconds",
            "must be at least 1",
        ));
    }
    if !matches!(config.organization.language.as_str(), "ru" | "en") {
        return Err(ConfigError::invalid(
            "organization.language",
            "must be \"ru\" or \"en\"",
        ));
    }
    let code = &config.phone.default_country_code;
    if code.is_empty() || code.len() > 3 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(ConfigError::invalid(
            "phone.default_country_code",
            "must be 1 to 3 digits, without +",
        ));
    }
    validate_stages(config)
}

fn validate_stages(config: &Config) -> Result<(), ConfigError> {
    if config.stages.is_empty() {
        return Err(ConfigError::invalid(
            "stages",
            "must list at least one stage",
        ));
    }
    let mut folders = HashSet::new();
    for (i, stage) in config.stages.iter().enumerate() {
        let key = |field: &str| format!("stages[{i}].{field}");
        let title = stage.title.trim();
        if title.is_empty() {
            return Err(ConfigError::invalid(key("title"), "must not be empty"));
        }
        if title.chars().count() > 60 {
            return Err(ConfigError::invalid(
                key("title"),
                "is longer than 60 characters",
            ));
        }
        if let Some(reason) = win_names::problem(&stage.folder) {
            return Err(ConfigError::invalid(
                key("folder"),
                format!("\"{}\" {reason}", stage.folder),
            ));
        }
        // Windows folder names are case-insensitive, so `Other` and `other` are one folder.
        let folded = stage.folder.to_lowercase();
        if folded == FROM_CLIENT_FOLDER.to_lowercase() {
            return Err(ConfigError::invalid(
                key("folder"),
                format!("\"{FROM_CLIENT_FOLDER}\" is reserved for files sent by clients"),
            ));
        }
        if !folders.insert(folded) {
            return Err(ConfigError::invalid(
                key("folder"),
                format!("\"{}\" is used by another stage", stage.folder),
            ));
        }
        if stage.approval && !stage.client_visible {
            return Err(ConfigError::invalid(
                key("approval"),
                "needs client_visible = true: the client cannot approve what they never see",
            ));
        }
    }
    if !config.stages.iter().any(|stage| stage.client_visible) {
        return Err(ConfigError::invalid(
            "stages",
            "need at least one stage with client_visible = true",
        ));
    }
    Ok(())
}
