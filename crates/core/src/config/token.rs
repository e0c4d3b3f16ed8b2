//! The bot token: a secret that never prints itself.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A Telegram bot token. `Debug` and `Display` show only whether it is set, so it cannot leak
/// into logs, error messages or the UI by accident; [`BotToken::expose`] is the one way out.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BotToken(String);

impl BotToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into().trim().to_owned())
    }

    /// The raw token, for the HTTP client only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A form safe to show: the bot id part and a mask, e.g. `123456:••••`.
    pub fn masked(&self) -> String {
        match self.0.split_once(':') {
            _ if self.0.is_empty() => String::new(),
            Some((bot_id, _)) => format!("{bot_id}:••••"),
            None => "••••".to_owned(),
        }
    }

    /// The last four characters behind a mask (`••1234`), for the settings page; empty when
    /// not set. Four characters of a 35-character secret tell the manager which token it is
    /// without making it usable.
    pub fn hint(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let tail: Vec<char> = self.0.chars().rev().take(4).collect();
        format!("••{}", tail.into_iter().rev().collect::<String>())
    }

    /// Whether the token has the shape BotFather issues: `<digits>:<35 url-safe characters>`.
    pub fn looks_valid(&self) -> bool {
        match self.0.split_once(':') {
            Some((id, secret)) => {
                !id.is_empty()
                    && id.chars().all(|c| c.is_ascii_digit())
                    && secret.len() >= 30
                    && secret
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            }
            None => false,
        }
    }
}

impl fmt::Debug for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BotToken({})",
            if self.0.is_empty() {
                "unset"
            } else {
                "redacted"
            }
        )
    }
}

impl fmt::Display for BotToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}
