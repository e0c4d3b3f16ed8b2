//! The admin menu's screens (SPEC §4.5), sans-IO: the adapter reads users and transcripts from
//! the store and passes them in; these functions only lay out texts and buttons.

use chrono::{DateTime, FixedOffset, Utc};

use super::{Action, AdminAction, Button, Screen};
use crate::Phone;
use crate::store::{Level, User, UserPage};
use crate::texts::{Arg, TextKey, Texts};

/// Users per page of the list.
pub const USERS_PAGE: usize = 8;

fn text(texts: &Texts, key: TextKey, args: &[(&str, Arg<'_>)]) -> String {
    texts.get(key, args)
}

fn back_to_menu(texts: &Texts) -> Button {
    Button::new(
        text(texts, TextKey::ButtonAdminMenu, &[]),
        AdminAction::Menu,
    )
}

/// The cancel button under a prompt for text.
pub fn cancel_row(texts: &Texts) -> Vec<Button> {
    vec![Button::new(
        text(texts, TextKey::ButtonCancel, &[]),
        AdminAction::Cancel,
    )]
}

/// `/admin`: users or a transcript.
pub fn menu(texts: &Texts) -> Screen {
    Screen {
        text: text(texts, TextKey::AdminMenu, &[]),
        rows: vec![
            vec![Button::new(
                text(texts, TextKey::ButtonAdminUsers, &[]),
                AdminAction::Users {
                    query: String::new(),
                    page: 0,
                },
            )],
            vec![Button::new(
                text(texts, TextKey::ButtonAdminTranscript, &[]),
                AdminAction::TranscriptSearch,
            )],
        ],
    }
}

/// The level's name ("администратор", "сотрудник", "клиент").
pub fn level_name(texts: &Texts, level: Level) -> String {
    text(
        texts,
        TextKey::LevelName,
        &[("level", i64::from(level.number()).into())],
    )
}

/// One line of the users list: name, phone, level, active.
fn user_line(texts: &Texts, user: &User) -> String {
    let phone = user
        .phone
        .as_ref()
        .map_or_else(|| text(texts, TextKey::NoPhone, &[]), Phone::display_full);
    let blocked = if user.active { "" } else { " 🚫" };
    format!(
        "{} · {} · {}{blocked}",
        user.name(),
        phone,
        level_name(texts, user.level)
    )
}

/// One page of users matching `query`, each a button to their card.
pub fn users(texts: &Texts, query: &str, page: usize, found: &UserPage) -> Screen {
    let title = if query.is_empty() {
        text(texts, TextKey::AdminUsers, &[("count", found.total.into())])
    } else {
        text(
            texts,
            TextKey::AdminUsersFound,
            &[("query", query.into()), ("count", found.total.into())],
        )
    };
    let mut rows: Vec<Vec<Button>> = found
        .users
        .iter()
        .map(|user| {
            vec![Button::new(
                super::screens::label(&user_line(texts, user)),
                AdminAction::User {
                    id: user.telegram_id,
                },
            )]
        })
        .collect();
    let goto = |page| AdminAction::Users {
        query: query.to_owned(),
        page,
    };
    let mut paging = Vec::new();
    if page > 0 {
        paging.push(Button::new(
            text(texts, TextKey::ButtonPagePrev, &[]),
            goto(page - 1),
        ));
    }
    if (page + 1) * USERS_PAGE < found.total {
        paging.push(Button::new(
            text(texts, TextKey::ButtonPageNext, &[]),
            goto(page + 1),
        ));
    }
    if !paging.is_empty() {
        rows.push(paging);
    }
    rows.push(vec![
        Button::new(
            text(texts, TextKey::ButtonSearch, &[]),
            AdminAction::UserSearch,
        ),
        back_to_menu(texts),
    ]);
    Screen { text: title, rows }
}

/// A user's card with level, rename and block buttons. `offset` is the local time zone.
pub fn user_card(texts: &Texts, user: &User, offset: FixedOffset) -> Screen {
    let telegram = match &user.username {
        Some(username) => format!("{} (@{username})", user.telegram_id),
        None => user.telegram_id.to_string(),
    };
    let phone = user
        .phone
        .as_ref()
        .map_or_else(|| text(texts, TextKey::NoPhone, &[]), Phone::display_full);
    let seen = user.last_seen_at.map_or_else(
        || "—".to_owned(),
        |at| local_time(at, offset).format("%d.%m.%Y %H:%M").to_string(),
    );
    let card = text(
        texts,
        TextKey::AdminUserCard,
        &[
            ("name", user.name().into()),
            ("telegram", telegram.into()),
            ("phone", phone.into()),
            ("level", level_name(texts, user.level).into()),
            ("active", if user.active { "yes" } else { "no" }.into()),
            ("seen", seen.into()),
        ],
    );
    let id = user.telegram_id;
    let levels = [Level::Admin, Level::Staff, Level::Client]
        .into_iter()
        .map(|level| {
            let mark = if level == user.level { "• " } else { "" };
            Button::new(
                format!(
                    "{mark}{}",
                    text(
                        texts,
                        TextKey::ButtonLevel,
                        &[("level", i64::from(level.number()).into())]
                    )
                ),
                AdminAction::SetLevel {
                    id,
                    level: level.number(),
                },
            )
        })
        .collect();
    let block = if user.active {
        Button::new(
            text(texts, TextKey::ButtonBlock, &[]),
            AdminAction::SetActive { id, active: false },
        )
    } else {
        Button::new(
            text(texts, TextKey::ButtonUnblock, &[]),
            AdminAction::SetActive { id, active: true },
        )
    };
    Screen {
        text: card,
        rows: vec![
            levels,
            vec![
                Button::new(
                    text(texts, TextKey::ButtonRename, &[]),
                    AdminAction::Rename { id },
                ),
                block,
            ],
            vec![
                Button::new(
                    text(texts, TextKey::ButtonBackToUsers, &[]),
                    AdminAction::Users {
                        query: String::new(),
                        page: 0,
                    },
                ),
                back_to_menu(texts),
            ],
        ],
    }
}

/// Orders found for a transcript, each a button; `found` holds (order number, label).
pub fn transcript_results(texts: &Texts, query: &str, found: &[(String, String)]) -> Screen {
    let title = if found.is_empty() {
        text(
            texts,
            TextKey::AdminTranscriptNone,
            &[("query", query.into())],
        )
    } else {
        text(
            texts,
            TextKey::AdminTranscriptFound,
            &[("query", query.into()), ("count", found.len().into())],
        )
    };
    let mut rows: Vec<Vec<Button>> = found
        .iter()
        .map(|(order_no, label)| {
            vec![Button::new(
                super::screens::label(label),
                Action::Admin(AdminAction::Transcript {
                    order_no: order_no.clone(),
                }),
            )]
        })
        .collect();
    rows.push(vec![
        Button::new(
            text(texts, TextKey::ButtonSearch, &[]),
            AdminAction::TranscriptSearch,
        ),
        back_to_menu(texts),
    ]);
    Screen { text: title, rows }
}

pub fn local_time(at: DateTime<Utc>, offset: FixedOffset) -> DateTime<FixedOffset> {
    at.with_timezone(&offset)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::texts::Language;

    fn user(id: i64, level: Level, active: bool) -> User {
        User {
            telegram_id: id,
            chat_id: Some(id),
            first_name: format!("User{id}"),
            last_name: None,
            username: Some(format!("u{id}")),
            display_name: None,
            phone: Phone::normalize("89161234567", "7"),
            level,
            active,
            blocked_bot: false,
            created_at: Utc.timestamp_opt(0, 0).single().expect("time"),
            last_seen_at: None,
        }
    }

    fn texts() -> Texts {
        Texts::new(Language::Russian).expect("texts")
    }

    #[test]
    fn users_page_has_cards_paging_and_search() {
        let texts = texts();
        let page = UserPage {
            total: 20,
            users: (1..=8).map(|id| user(id, Level::Client, id != 2)).collect(),
        };
        let screen = users(&texts, "", 1, &page);
        assert_eq!(screen.rows.len(), 8 + 2);
        assert_eq!(
            screen.rows[0][0].action,
            Action::Admin(AdminAction::User { id: 1 })
        );
        assert!(screen.rows[0][0].label.contains("+7 916 123-45-67"));
        assert!(screen.rows[1][0].label.contains("🚫"), "blocked is shown");
        let paging: Vec<_> = screen.rows[8].iter().map(|b| b.action.clone()).collect();
        assert_eq!(
            paging,
            vec![
                Action::Admin(AdminAction::Users {
                    query: String::new(),
                    page: 0
                }),
                Action::Admin(AdminAction::Users {
                    query: String::new(),
                    page: 2
                })
            ]
        );
        assert_eq!(
            screen.rows[9][0].action,
            Action::Admin(AdminAction::UserSearch)
        );
    }

    #[test]
    fn user_card_offers_levels_rename_and_block_or_unblock() {
        let texts = texts();
        let active = user_card(
            &texts,
            &user(5, Level::Staff, true),
            FixedOffset::east_opt(0).expect("utc"),
        );
        assert!(active.text.contains("User5"), "{}", active.text);
        assert_eq!(active.rows[0].len(), 3);
        assert!(
            active.rows[0][1].label.starts_with("• "),
            "current level marked"
        );
        assert_eq!(
            active.rows[1][1].action,
            Action::Admin(AdminAction::SetActive {
                id: 5,
                active: false
            })
        );
        let blocked = user_card(
            &texts,
            &user(5, Level::Staff, false),
            FixedOffset::east_opt(0).expect("utc"),
        );
        assert_eq!(
            blocked.rows[1][1].action,
            Action::Admin(AdminAction::SetActive {
                id: 5,
                active: true
            })
        );
    }
}
