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
    Internal,
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
