//! The error that crosses to the shells: a stable code plus a message for people.

use serde::Serialize;

/// What kind of failure, for the UI to branch on (never on the message text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    ConfigMissing,
    ConfigInvalid,
    OrdersRootUnavailable,
    Storage,
    NotFound,
    Ambiguous,
    InvalidInput,
    LastAdmin,
    /// The bot cannot start: no token is set.
    BotNotConfigured,
    /// The bot's @username is not known yet (it never ran), so no invite link can be made.
    BotNameUnknown,
    Internal,
}

impl ErrorCode {
    pub const ALL: &[ErrorCode] = &[
        Self::ConfigMissing,
        Self::ConfigInvalid,
        Self::OrdersRootUnavailable,
        Self::Storage,
        Self::NotFound,
        Self::Ambiguous,
        Self::InvalidInput,
        Self::LastAdmin,
        Self::BotNotConfigured,
        Self::BotNameUnknown,
        Self::Internal,
    ];

    /// The code as it crosses to the window (the serde name).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ConfigMissing => "config_missing",
            Self::ConfigInvalid => "config_invalid",
            Self::OrdersRootUnavailable => "orders_root_unavailable",
            Self::Storage => "storage",
            Self::NotFound => "not_found",
            Self::Ambiguous => "ambiguous",
            Self::InvalidInput => "invalid_input",
            Self::LastAdmin => "last_admin",
            Self::BotNotConfigured => "bot_not_configured",
            Self::BotNameUnknown => "bot_name_unknown",
            Self::Internal => "internal",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

impl From<servicebot_core::config::ConfigError> for AppError {
    fn from(error: servicebot_core::config::ConfigError) -> Self {
        Self::new(ErrorCode::ConfigInvalid, error.to_string())
    }
}

impl From<servicebot_core::store::StoreError> for AppError {
    fn from(error: servicebot_core::store::StoreError) -> Self {
        Self::new(ErrorCode::Storage, error.to_string())
    }
}

impl From<servicebot_core::orders::ScanError> for AppError {
    fn from(error: servicebot_core::orders::ScanError) -> Self {
        Self::new(ErrorCode::OrdersRootUnavailable, error.to_string())
    }
}
