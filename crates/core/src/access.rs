//! Who may do what (SPEC §1, §4.5): the rules of the one authorisation step, as data. Every
//! command and every button kind names the role it needs; [`permits`] decides for a user as the
//! database knows them at the moment the update is processed.

use crate::dialogue::Action;
use crate::store::{Level, User};

/// The role an input needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Any active user, registered or not: `/start`, sharing a contact.
    Anyone,
    /// An active user the service knows: staff, or anyone with a verified phone (`/help`,
    /// `/cancel`). Unregistered users only reach `/start`.
    Registered,
    /// An active user with a verified phone: writing to the service, approving work.
    Client,
    /// Active staff (level 2 or 1).
    Staff,
    /// An active admin (level 1).
    Admin,
}

/// A bot command, parsed from a message's first word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/start` with the invite token of a `https://t.me/<bot>?start=<token>` link, if any.
    Start {
        token: Option<String>,
    },
    Help,
    /// `/order` with a search text, if any.
    Order {
        query: Option<String>,
    },
    Type,
    Admin,
    Cancel,
    /// Anything else: never relayed, answered with the list of commands.
    Unknown(String),
}

impl Command {
    /// The command of a message text (`/name@bot args`), or `None` when it is not a command.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.trim().strip_prefix('/')?;
        let (name, args) = match rest.split_once(char::is_whitespace) {
            Some((name, args)) => (name, Some(args.trim().to_owned()).filter(|a| !a.is_empty())),
            None => (rest, None),
        };
        let name = name.split('@').next().unwrap_or(name).to_lowercase();
        Some(match name.as_str() {
            "start" => Self::Start { token: args },
            "help" => Self::Help,
            "order" => Self::Order { query: args },
            "type" => Self::Type,
            "admin" => Self::Admin,
            "cancel" => Self::Cancel,
            _ => Self::Unknown(name),
        })
    }

    pub fn need(&self) -> Need {
        match self {
            Self::Start { .. } => Need::Anyone,
            Self::Help | Self::Cancel | Self::Unknown(_) => Need::Registered,
            Self::Order { .. } | Self::Type => Need::Staff,
            Self::Admin => Need::Admin,
        }
    }
}

impl Action {
    pub fn need(&self) -> Need {
        match self {
            Action::Nav(_) | Action::CloseApproval { .. } => Need::Staff,
            Action::Admin(_) => Need::Admin,
            Action::Materials { .. } | Action::Decide { .. } => Need::Client,
        }
    }
}

/// What a message that is not a command needs — a text, a file, an edit: staff write into their
/// current order; anyone else writes to the service, which needs a verified phone. A contact
/// (sharing one's own phone) is open to anyone.
pub fn message_need(level: Level, kind: MessageKind) -> Need {
    match kind {
        MessageKind::Contact | MessageKind::Other => Need::Anyone,
        MessageKind::Text | MessageKind::Media | MessageKind::Edit if level.is_staff() => {
            Need::Staff
        }
        MessageKind::Text | MessageKind::Media | MessageKind::Edit => Need::Client,
    }
}

/// The kinds of message that are not commands, as far as access is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Text,
    Media,
    Edit,
    Contact,
    /// Stickers, locations, service messages, stale buttons: nothing to do for anyone.
    Other,
}

/// Whether `user` may do something that needs `need`. Blocked users may do nothing.
pub fn permits(user: &User, need: Need) -> bool {
    if !user.active {
        return false;
    }
    match need {
        Need::Anyone => true,
        Need::Registered => user.level.is_staff() || user.phone.is_some(),
        Need::Client => user.phone.is_some(),
        Need::Staff => user.level.is_staff(),
        Need::Admin => user.level == Level::Admin,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::Phone;
    use crate::dialogue::{AdminAction, NavAction};

    fn user(level: Level, active: bool, phone: bool) -> User {
        User {
            telegram_id: 1,
            chat_id: Some(1),
            first_name: "U".into(),
            last_name: None,
            username: None,
            display_name: None,
            phone: phone.then(|| Phone::normalize("+79161234567", "7").expect("phone")),
            level,
            active,
            blocked_bot: false,
            created_at: Utc.timestamp_opt(0, 0).single().expect("time"),
            last_seen_at: None,
        }
    }

    #[test]
    fn commands_parse() {
        assert_eq!(
            Command::parse("/order"),
            Some(Command::Order { query: None })
        );
        assert_eq!(
            Command::parse("/order  А123 ВС "),
            Some(Command::Order {
                query: Some("А123 ВС".into())
            })
        );
        assert_eq!(
            Command::parse("/Start@servicebot_test_bot tok_1"),
            Some(Command::Start {
                token: Some("tok_1".into())
            })
        );
        assert_eq!(Command::parse("/foo"), Some(Command::Unknown("foo".into())));
        assert_eq!(Command::parse("привет /order"), None);
    }

    #[test]
    fn messages_need_staff_or_a_verified_client() {
        use MessageKind::*;
        let cases = [
            (Level::Admin, Text, Need::Staff),
            (Level::Staff, Media, Need::Staff),
            (Level::Staff, Edit, Need::Staff),
            (Level::Client, Text, Need::Client),
            (Level::Client, Media, Need::Client),
            (Level::Client, Edit, Need::Client),
            (Level::Client, Contact, Need::Anyone),
            (Level::Staff, Contact, Need::Anyone),
            (Level::Client, Other, Need::Anyone),
        ];
        for (level, kind, need) in cases {
            assert_eq!(message_need(level, kind), need, "{level:?} {kind:?}");
        }
    }

    #[test]
    fn access_table() {
        use Need::*;
        let admin = user(Level::Admin, true, true);
        let staff = user(Level::Staff, true, false);
        let client = user(Level::Client, true, true);
        let unregistered = user(Level::Client, true, false);
        // (need, admin, staff, client, unregistered)
        let table = [
            (Anyone, true, true, true, true),
            (Registered, true, true, true, false),
            (Client, true, false, true, false),
            (Staff, true, true, false, false),
            (Admin, true, false, false, false),
        ];
        for (need, a, s, c, u) in table {
            assert_eq!(permits(&admin, need), a, "admin {need:?}");
            assert_eq!(permits(&staff, need), s, "staff {need:?}");
            assert_eq!(permits(&client, need), c, "client {need:?}");
            assert_eq!(permits(&unregistered, need), u, "unregistered {need:?}");
        }
        for level in [Level::Admin, Level::Staff, Level::Client] {
            for need in [Anyone, Registered, Client, Staff, Admin] {
                assert!(
                    !permits(&user(level, false, true), need),
                    "blocked {level:?}"
                );
            }
        }
    }

    #[test]
    fn every_button_kind_names_its_role() {
        let cases = [
            (Action::Nav(NavAction::SearchPrompt), Need::Staff),
            (
                Action::CloseApproval {
                    request: 1,
                    decision: Some(2),
                },
                Need::Staff,
            ),
            (Action::Admin(AdminAction::Menu), Need::Admin),
            (
                Action::Admin(AdminAction::SetLevel { id: 1, level: 1 }),
                Need::Admin,
            ),
            (
                Action::Materials {
                    folder: "A1".into(),
                },
                Need::Client,
            ),
            (
                Action::Decide {
                    request: 1,
                    approve: true,
                },
                Need::Client,
            ),
        ];
        for (action, need) in cases {
            assert_eq!(action.need(), need, "{action:?}");
        }
        assert_eq!(Command::Admin.need(), Need::Admin);
        assert_eq!(Command::Type.need(), Need::Staff);
        assert_eq!(Command::Start { token: None }.need(), Need::Anyone);
    }
}
