//! Invite links for an order (`https://t.me/<bot>?start=<token>`): an opaque random token per
//! order, never the order number. The link only tells the bot which order to greet the client
//! about; the phone match still decides access.

use chrono::Utc;
use servicebot_core::orders::Order;
use servicebot_telegram::BOT_USERNAME_KEY;

use crate::{App, AppError, ErrorCode, Result};

/// An order's invite.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InviteLink {
    pub order_no: String,
    pub token: String,
    pub url: String,
}

/// 16 random bytes as URL-safe text: Telegram accepts `A-Z a-z 0-9 _ -` in start parameters.
fn new_token() -> Result<String> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|error| {
        AppError::new(
            ErrorCode::Internal,
            format!("no random numbers for an invite token: {error}"),
        )
    })?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 63)]))
        .collect())
}

impl App {
    /// The open order whose folder or number is exactly `text`.
    pub fn find_order(&self, text: &str) -> Result<Order> {
        let text = text.trim();
        self.ensure_index()?;
        let index = self
            .index
            .read()
            .map_err(|_| AppError::new(ErrorCode::Internal, "order index lock poisoned"))?;
        index
            .recent(index.len())
            .into_iter()
            .find(|o| o.folder == text || o.number.eq_ignore_ascii_case(text))
            .ok_or_else(|| {
                AppError::new(
                    ErrorCode::NotFound,
                    format!("no open work order {text:?}; check the number with `orders search`"),
                )
            })
    }

    /// The invite link of an open order, created on first use and reused afterwards (a printed
    /// QR code stays valid).
    pub fn invite_link(&self, order_text: &str) -> Result<InviteLink> {
        let order = self.find_order(order_text)?;
        self.invite_for(&order)
    }

    /// The invite link of `order` (created on first use, then reused).
    pub(crate) fn invite_for(&self, order: &Order) -> Result<InviteLink> {
        let store = self.store();
        let username = store.bot_state().get(BOT_USERNAME_KEY)?.ok_or_else(|| {
            AppError::new(
                ErrorCode::BotNameUnknown,
                "the bot's name is not known yet: start the bot once (`servicebot run`) so \
                 Telegram reports it",
            )
        })?;
        let token = match store.invites().active_for_order(&order.number)? {
            Some(invite) => invite.token,
            None => {
                let token = new_token()?;
                store.invites().create(&token, &order.number, Utc::now())?;
                token
            }
        };
        Ok(InviteLink {
            url: format!("https://t.me/{username}?start={token}"),
            order_no: order.number.clone(),
            token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::new_token;

    #[test]
    fn tokens_are_url_safe_and_distinct() {
        let a = new_token().expect("token");
        let b = new_token().expect("token");
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }
}
