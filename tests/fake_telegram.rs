//! The fake Bot API server serving a real teloxide bot: long polling through the dispatcher,
//! every update kind parsed by teloxide's types, and teloxide's requests and error mapping.

use std::time::Duration;

use servicebot_fake_telegram::{AlbumItem, FakeTelegram};
use servicebot_tests::telegram::{bot_for, start_dispatcher};
use teloxide::ApiError;
use teloxide::RequestError;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{
    BotCommand, BotCommandScope, ChatAction, InlineKeyboardButton, InlineKeyboardMarkup, InputFile,
    InputMedia, InputMediaPhoto, ParseMode, ReactionType, Recipient,
};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

const TIMEOUT: Duration = Duration::from_secs(15);

#[tokio::test]
async fn a_teloxide_bot_echoes_through_long_polling_without_busy_looping() {
    let fake = FakeTelegram::start().await;
    let handler = Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
        match msg.text() {
            Some(text) => {
                bot.send_message(msg.chat.id, format!("echo: {text}"))
                    .await?;
            }
            None => {
                bot.copy_message(msg.chat.id, msg.chat.id, msg.id).await?;
            }
        }
        respond(())
    });
    let running = start_dispatcher(
        bot_for(&fake),
        handler,
        Duration::from_secs(10),
        dptree::deps![],
    )
    .await;
    let user = fake.user("Анна");

    fake.send_text(&user, "привет <b>&");
    let sent = fake.wait_for_sent(user.id, 1, TIMEOUT).await;
    assert_eq!(sent[0].text.as_deref(), Some("echo: привет <b>&"));

    fake.send_photo(&user, vec![42; 3000], None);
    let sent = fake.wait_for_sent(user.id, 2, TIMEOUT).await;
    let original = fake
        .chat_history(user.id)
        .into_iter()
        .find(|m| !m.from_bot && m.media.is_some())
        .expect("photo");
    assert_eq!(
        sent[1].media.as_ref().map(|m| &m.file_id),
        original.media.as_ref().map(|m| &m.file_id)
    );

    // Idle: the dispatcher holds one 10-second long poll open instead of asking again and again.
    let before = fake.requests("getUpdates");
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        fake.requests("getUpdates") - before <= 1,
        "long polling must not busy-loop"
    );
    running.stop().await;
}

fn describe(msg: &Message) -> String {
    let mut kind = if let Some(text) = msg.text() {
        format!("text:{text}")
    } else if let Some(contact) = msg.contact() {
        format!(
            "contact:{}",
            contact.user_id.map(|id| id.0).unwrap_or_default()
        )
    } else if let Some(sizes) = msg.photo() {
        format!("photo:{}", sizes.len())
    } else if msg.video().is_some() {
        "video".to_owned()
    } else if let Some(document) = msg.document() {
        format!(
            "document:{}",
            document.file_name.clone().unwrap_or_default()
        )
    } else if msg.voice().is_some() {
        "voice".to_owned()
    } else if msg.video_note().is_some() {
        "video_note".to_owned()
    } else if msg.audio().is_some() {
        "audio".to_owned()
    } else {
        "other".to_owned()
    };
    if msg.media_group_id().is_some() {
        kind.push_str("+album");
    }
    if msg.chat.is_group() {
        kind = format!("group:{kind}");
    }
    kind
}

#[tokio::test]
async fn teloxide_parses_every_update_the_fake_produces() {
    let fake = FakeTelegram::start().await;
    let (seen, mut seen_rx) = unbounded_channel::<String>();
    let handler = dptree::entry()
        .branch(Update::filter_message().endpoint(
            |msg: Message, seen: UnboundedSender<String>| async move {
                let _ = seen.send(describe(&msg));
                respond(())
            },
        ))
        .branch(Update::filter_edited_message().endpoint(
            |msg: Message, seen: UnboundedSender<String>| async move {
                let _ = seen.send(format!("edited:{}", msg.text().unwrap_or_default()));
                respond(())
            },
        ))
        .branch(Update::filter_callback_query().endpoint(
            |bot: Bot, query: CallbackQuery, seen: UnboundedSender<String>| async move {
                let message = query.regular_message().map(|m| m.id.0).unwrap_or_default();
                let _ = seen.send(format!(
                    "callback:{}:{message}",
                    query.data.clone().unwrap_or_default()
                ));
                bot.answer_callback_query(query.id).text("ok").await?;
                respond(())
            },
        ));
    let bot = bot_for(&fake);
    let running = start_dispatcher(
        bot.clone(),
        handler,
        Duration::from_secs(1),
        dptree::deps![seen],
    )
    .await;
    let user = fake.user_with("Анна", Some("Петрова"), Some("anna"));
    let markup = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Да", "yes")]]);
    bot.send_message(ChatId(user.id), "?")
        .reply_markup(markup)
        .await
        .expect("keyboard message");

    fake.send_command(&user, "/start tok123");
    fake.send_contact(&user, "+7 912 345-67-89", Some(user.id));
    fake.send_contact(&user, "+7 999 000-00-00", None);
    fake.send_photo(&user, vec![1; 500], Some("царапина"));
    fake.send_video(&user, vec![2; 500], None);
    fake.send_document(&user, "Смета №1.pdf", "application/pdf", vec![3; 100], None);
    fake.send_voice(&user, vec![4; 100]);
    fake.send_video_note(&user, vec![5; 100]);
    fake.send_audio(&user, "a.mp3", vec![6; 100]);
    fake.send_album(
        &user,
        vec![AlbumItem::photo(vec![7; 50]), AlbumItem::video(vec![8; 50])],
        None,
    );
    let text = fake.send_text(&user, "первый");
    fake.edit_text(&user, text, "второй");
    let query = fake.press_button(&user, "Да");
    fake.send_group_text(&user, "Сервис", "всем привет");

    let expected = [
        "text:/start tok123".to_owned(),
        format!("contact:{}", user.id),
        "contact:0".to_owned(),
        "photo:3".to_owned(),
        "video".to_owned(),
        "document:Смета №1.pdf".to_owned(),
        "voice".to_owned(),
        "video_note".to_owned(),
        "audio".to_owned(),
        "photo:3+album".to_owned(),
        "video+album".to_owned(),
        "text:первый".to_owned(),
        "edited:второй".to_owned(),
        "callback:yes:1".to_owned(),
        "group:text:всем привет".to_owned(),
    ];
    let mut got = Vec::new();
    while got.len() < expected.len() {
        match tokio::time::timeout(TIMEOUT, seen_rx.recv()).await {
            Ok(Some(kind)) => got.push(kind),
            _ => panic!("teloxide saw only {got:?}"),
        }
    }
    // One chat's updates are handled in order; the group chat may interleave.
    let private: Vec<&String> = got.iter().filter(|k| !k.starts_with("group:")).collect();
    assert_eq!(
        private,
        expected
            .iter()
            .filter(|k| !k.starts_with("group:"))
            .collect::<Vec<_>>()
    );
    assert!(got.contains(&"group:text:всем привет".to_owned()));
    assert!(
        fake.wait_until(TIMEOUT, |f| f.callback_answer(&query).is_some())
            .await,
        "the bot answered the button"
    );
    running.stop().await;
}

#[tokio::test]
async fn teloxide_requests_and_errors_round_trip() {
    let fake = FakeTelegram::start().await;
    let bot = bot_for(&fake);
    let user = fake.user("Анна");
    let chat = ChatId(user.id);

    assert_eq!(
        bot.get_me().await.expect("getMe").username(),
        servicebot_fake_telegram::BOT_USERNAME
    );
    let photo = bot
        .send_photo(chat, InputFile::memory(vec![9u8; 2048]).file_name("p.jpg"))
        .caption("<b>Приёмка</b>")
        .parse_mode(ParseMode::Html)
        .await
        .expect("multipart upload");
    let file_id = photo
        .photo()
        .and_then(|s| s.last())
        .map(|p| p.file.id.clone())
        .expect("photo size");
    let file = bot.get_file(file_id.clone()).await.expect("getFile");
    let mut downloaded = Vec::new();
    bot.download_file(&file.path, &mut downloaded)
        .await
        .expect("download");
    assert_eq!(downloaded, vec![9u8; 2048]);

    let album = vec![
        InputMedia::Photo(InputMediaPhoto::new(InputFile::file_id(file_id.clone()))),
        InputMedia::Photo(InputMediaPhoto::new(InputFile::file_id(file_id.clone())).caption("2")),
    ];
    let sent = bot
        .send_media_group(chat, album)
        .await
        .expect("album by file id");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].media_group_id(), sent[1].media_group_id());

    let markup = InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("A", "a")]]);
    let card = bot
        .send_message(chat, "<b>ЗН-1</b>")
        .parse_mode(ParseMode::Html)
        .reply_markup(markup)
        .await
        .expect("send");
    bot.edit_message_text(chat, card.id, "ЗН-2")
        .await
        .expect("edit");
    let unchanged = bot.edit_message_text(chat, card.id, "ЗН-2").await;
    assert!(
        matches!(
            unchanged,
            Err(RequestError::Api(ApiError::MessageNotModified))
        ),
        "{unchanged:?}"
    );
    bot.pin_chat_message(chat, card.id).await.expect("pin");
    bot.set_message_reaction(chat, card.id)
        .reaction(vec![ReactionType::Emoji {
            emoji: "👍".into()
        }])
        .await
        .expect("reaction");
    bot.send_chat_action(chat, ChatAction::UploadPhoto)
        .await
        .expect("chat action");
    bot.set_my_commands([BotCommand::new("order", "Выбрать заказ-наряд")])
        .scope(BotCommandScope::Chat {
            chat_id: Recipient::Id(chat),
        })
        .await
        .expect("commands");
    assert_eq!(fake.commands(&format!("chat:{}", user.id))[0].0, "order");
    bot.get_chat(chat)
        .await
        .expect("getChat parses as ChatFullInfo");
    bot.delete_message(chat, card.id).await.expect("delete");

    let too_long =
        InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("A", "x".repeat(65))]]);
    let refused = bot.send_message(chat, "x").reply_markup(too_long).await;
    assert!(
        matches!(refused, Err(RequestError::Api(ApiError::ButtonDataInvalid))),
        "{refused:?}"
    );
    let eleven: Vec<InputMedia> = (0..11)
        .map(|_| InputMedia::Photo(InputMediaPhoto::new(InputFile::file_id(file_id.clone()))))
        .collect();
    let refused = bot.send_media_group(chat, eleven).await;
    assert!(
        matches!(refused, Err(RequestError::Api(ApiError::TooMuchMessages))),
        "{refused:?}"
    );
    let refused = bot.get_file("nope".to_owned().into()).await;
    assert!(
        matches!(refused, Err(RequestError::Api(ApiError::FileIdInvalid))),
        "{refused:?}"
    );
    let refused = bot
        .send_message(chat, "<b>")
        .parse_mode(ParseMode::Html)
        .await;
    assert!(
        matches!(
            refused,
            Err(RequestError::Api(ApiError::CantParseEntities(_)))
        ),
        "{refused:?}"
    );
    fake.block_bot(&user);
    let refused = bot.send_message(chat, "x").await;
    assert!(
        matches!(refused, Err(RequestError::Api(ApiError::BotBlocked))),
        "{refused:?}"
    );
}

#[tokio::test]
async fn telegram_env_points_the_config_at_the_fake_and_registers_people() {
    use servicebot_tests::Level;
    use servicebot_tests::telegram::TelegramEnv;

    let t = TelegramEnv::start().await;
    let config =
        servicebot_core::config::load(&t.env.config_path, &|_| None).expect("config loads");
    assert_eq!(config.telegram.api_url, t.fake.api_url());
    assert_eq!(config.telegram.token.expose(), t.fake.token());
    let staff = t.staff("Иван Мастер");
    let client = t.client("Анна", "8 912 345 67 89");
    let admin = t.admin("Пётр");
    let store = t.env.store();
    let level = |id: i64| {
        store
            .users()
            .get(id)
            .expect("get")
            .expect("registered")
            .level
    };
    assert_eq!(
        (level(staff.id), level(client.id), level(admin.id)),
        (Level::Staff, Level::Client, Level::Admin)
    );
    assert_eq!(
        t.env.stored_phone(client.id).as_deref(),
        Some("79123456789")
    );
}
