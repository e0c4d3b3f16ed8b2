//! The access matrix (SPEC §1, §4.5; issue 5): every command and every kind of button, pressed
//! by admins, staff, clients and unregistered users, active and blocked, is allowed or refused
//! exactly as the specification says — by the one authorisation step, at the moment it runs.

use std::collections::BTreeMap;

use servicebot_core::dialogue::{Action, AdminAction, NavAction};
use servicebot_core::store::Level;
use servicebot_fake_telegram::TgUser;
use servicebot_tests::telegram::{BOT_TIMEOUT, TelegramEnv};

const NOT_ALLOWED: &str = "Эта команда или кнопка вам недоступна.";
const BLOCKED: &str = "Доступ к боту закрыт";
const ASK_PHONE: &str = "Чтобы мы узнали ваш автомобиль";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Admin,
    Staff,
    Client,
    Unregistered,
}

const COMMANDS: [&str; 6] = ["/start", "/help", "/order", "/type", "/admin", "/cancel"];

/// Which commands each kind of active user may use.
fn command_allowed(who: Who, command: &str) -> bool {
    match command {
        "/start" => true,
        // Unregistered users only reach /start (and are asked for their phone otherwise).
        "/help" | "/cancel" => who != Who::Unregistered,
        "/order" | "/type" => matches!(who, Who::Admin | Who::Staff),
        "/admin" => who == Who::Admin,
        other => panic!("no rule for {other}"),
    }
}

/// Every kind of button, with the kinds of active user allowed to press it.
fn buttons(request: i64, to_close: i64, target: i64) -> Vec<(&'static str, Action, Vec<Who>)> {
    use Who::*;
    vec![
        ("nav", NavAction::SearchPrompt.into(), vec![Admin, Staff]),
        (
            "stage",
            NavAction::Stage {
                folder: "ЗН-1".into(),
                stage: "Recommendation".into(),
            }
            .into(),
            vec![Admin, Staff],
        ),
        ("admin menu", AdminAction::Menu.into(), vec![Admin]),
        (
            "admin set level",
            AdminAction::SetLevel {
                id: target,
                level: 2,
            }
            .into(),
            vec![Admin],
        ),
        (
            "materials",
            Action::Materials {
                folder: "ЗН-1".into(),
            },
            vec![Client],
        ),
        (
            "decide",
            Action::Decide {
                request,
                approve: true,
            },
            vec![Client],
        ),
        (
            "close approval",
            Action::CloseApproval {
                request: to_close,
                decision: None,
            },
            vec![Admin, Staff],
        ),
    ]
}

fn issue_key(t: &TelegramEnv, chat: i64, action: &Action) -> String {
    let payload = serde_json::to_string(action).expect("json");
    let now = chrono::Utc::now();
    t.env
        .store()
        .callback_keys()
        .issue(chat, &payload, now, now)
        .expect("key")
}

#[tokio::test]
async fn every_command_and_button_kind_for_every_level_active_and_blocked() {
    let t = TelegramEnv::start().await;
    t.env.order_with_phones("ЗН-1", "+7 912 345-67-89");
    let target = t.client("Цель", "+79990000000");
    let mut people: BTreeMap<(Who, bool), TgUser> = BTreeMap::new();
    for active in [true, false] {
        let suffix = if active { "" } else { " (блок)" };
        people.insert((Who::Admin, active), t.admin(&format!("Админ{suffix}")));
        people.insert((Who::Staff, active), t.staff(&format!("Сотрудник{suffix}")));
        people.insert(
            (Who::Client, active),
            t.client(&format!("Клиент{suffix}"), "+79123456789"),
        );
        let newcomer = t.fake.user(&format!("Новичок{suffix}"));
        t.env
            .add_user(newcomer.id, &newcomer.first_name, Level::Client, None);
        people.insert((Who::Unregistered, active), newcomer);
    }
    for ((_, active), user) in &people {
        if !active {
            t.env
                .store()
                .users()
                .set_active(user.id, false)
                .expect("block");
        }
    }
    let staff_id = people[&(Who::Staff, true)].id;
    let request = t
        .env
        .store()
        .approvals()
        .create_request(
            "ЗН-1",
            "ЗН-1",
            staff_id,
            "Замена колодок",
            chrono::Utc::now(),
        )
        .expect("request");
    let to_close = t
        .env
        .store()
        .approvals()
        .create_request("ЗН-1", "ЗН-1", staff_id, "Диагностика", chrono::Utc::now())
        .expect("request");
    let (_app, running) = t.start_app().await;

    // Commands: each user sends all of them; each gets one answer per command.
    for user in people.values() {
        for command in COMMANDS {
            t.fake.send_command(user, command);
        }
    }
    let mut failures = Vec::new();
    for ((who, active), user) in &people {
        let sent = t
            .fake
            .wait_for_sent(user.id, COMMANDS.len(), BOT_TIMEOUT)
            .await;
        // Commands are answered in order, one message each (the calendar and /type are one
        // message too).
        let answers: Vec<&str> = sent.iter().map(|m| m.body()).collect();
        for (command, answer) in COMMANDS.iter().zip(&answers) {
            let refused = answer.starts_with(BLOCKED)
                || *answer == NOT_ALLOWED
                || answer.starts_with(ASK_PHONE);
            let expected_allowed = *active && command_allowed(*who, command);
            if refused == expected_allowed {
                failures.push(format!("{who:?} active={active} {command}: {answer:?}"));
            }
            if !active && !answer.starts_with(BLOCKED) {
                failures.push(format!("{who:?} blocked {command} got {answer:?}"));
            }
        }
    }

    // Buttons: each kind, issued to the presser's own chat.
    for ((who, active), user) in &people {
        for (kind, action, allowed) in buttons(request, to_close, target.id) {
            let key = issue_key(&t, user.id, &action);
            let query = t.fake.press_callback_data(user, 0, &key);
            let answer = t.answer_of(&query).await;
            let text = answer.text.unwrap_or_default();
            let refused =
                text.starts_with(BLOCKED) || text == NOT_ALLOWED || text.starts_with(ASK_PHONE);
            let expected_allowed = *active && allowed.contains(who);
            if refused == expected_allowed {
                failures.push(format!("{who:?} active={active} button {kind}: {text:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    // Refused admin buttons changed nothing; the allowed one did.
    let target_now = t
        .env
        .store()
        .users()
        .get(target.id)
        .expect("get")
        .expect("user");
    assert_eq!(
        target_now.level,
        Level::Staff,
        "only the active admin's press counted"
    );
    let audit = t.env.store().audit().recent(10).expect("audit");
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0].actor_id, Some(people[&(Who::Admin, true)].id));
    // The only decision recorded is the active client's.
    let decisions = t
        .env
        .store()
        .approvals()
        .decisions(request)
        .expect("decisions");
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0].client_id, people[&(Who::Client, true)].id);
    // Blocked users got nothing but notices.
    for ((_, active), user) in &people {
        if !active {
            assert!(
                t.fake
                    .sent_to(user.id)
                    .iter()
                    .all(|m| m.body().starts_with(BLOCKED)),
                "{}",
                user.first_name
            );
        }
    }
    running.stop().await;
}
