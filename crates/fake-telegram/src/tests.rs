//! The fake's own tests, through raw HTTP as any client would call it: every strictness rule,
//! long polling, uploads and downloads, faults.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::{AlbumItem, FakeTelegram, Fault, MediaKind, TOKEN};

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    fn new(fake: &FakeTelegram) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: format!("{}/bot{TOKEN}", fake.api_url()),
        }
    }

    async fn call(&self, method: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/{method}", self.base))
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.expect("json body"))
    }

    /// Calls and expects success; returns `result`.
    async fn ok(&self, method: &str, body: Value) -> Value {
        let (status, value) = self.call(method, body).await;
        assert_eq!(status, 200, "{method} failed: {value}");
        value["result"].clone()
    }

    /// Calls and expects a refusal; returns `(status, description)`.
    async fn refused(&self, method: &str, body: Value) -> (u16, String) {
        let (status, value) = self.call(method, body).await;
        assert_ne!(status, 200, "{method} should have been refused: {value}");
        assert_eq!(value["ok"], json!(false));
        assert_eq!(value["error_code"], json!(status));
        (
            status,
            value["description"].as_str().unwrap_or_default().to_owned(),
        )
    }
}

#[tokio::test]
async fn get_me_case_insensitive_methods_and_bad_tokens() {
    let fake = FakeTelegram::start().await;
    let client = Client::new(&fake);
    assert_eq!(
        client.ok("GetMe", json!({})).await["username"],
        json!(crate::BOT_USERNAME)
    );
    assert_eq!(client.ok("getme", json!({})).await["is_bot"], json!(true));
    let response = reqwest::get(format!("{}/bot123:wrong/getMe", fake.api_url()))
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 401);
    let (status, description) = client.refused("sendTelepathy", json!({})).await;
    assert_eq!(
        (status, description.as_str()),
        (404, "Not Found: method not found")
    );
    assert_eq!(
        fake.requests("getMe"),
        3,
        "every call is counted, whatever its case"
    );
}

#[tokio::test]
async fn text_limits_and_empty_text() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    client
        .ok(
            "sendMessage",
            json!({ "chat_id": user.id, "text": "я".repeat(4096) }),
        )
        .await;
    let (_, d) = client
        .refused(
            "sendMessage",
            json!({ "chat_id": user.id, "text": "я".repeat(4097) }),
        )
        .await;
    assert_eq!(d, "Bad Request: message is too long");
    let (_, d) = client
        .refused("sendMessage", json!({ "chat_id": user.id, "text": "" }))
        .await;
    assert_eq!(d, "Bad Request: message text is empty");
    let (_, d) = client
        .refused("sendMessage", json!({ "chat_id": 999, "text": "x" }))
        .await;
    assert_eq!(d, "Bad Request: chat not found");
    assert_eq!(
        fake.sent_to(user.id).len(),
        1,
        "refused messages are not stored"
    );
}

#[tokio::test]
async fn html_and_markdown_must_be_well_formed() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    let ok = client.ok("sendMessage", json!({ "chat_id": user.id, "parse_mode": "HTML", "text": "<b>Иван, Автоцентр</b>\n&lt;b&gt; &amp; цена" })).await;
    assert_eq!(
        ok["text"],
        json!("<b>Иван, Автоцентр</b>\n&lt;b&gt; &amp; цена")
    );
    for bad in [
        "<b>unclosed",
        "Tom & Jerry",
        "a <br> b",
        "<b><i>x</b></i>",
        "1 < 2",
    ] {
        let (status, d) = client
            .refused(
                "sendMessage",
                json!({ "chat_id": user.id, "parse_mode": "HTML", "text": bad }),
            )
            .await;
        assert_eq!(status, 400);
        assert!(
            d.starts_with("Bad Request: can't parse entities:"),
            "{bad}: {d}"
        );
    }
    let (_, d) = client
        .refused(
            "sendMessage",
            json!({ "chat_id": user.id, "parse_mode": "MarkdownV2", "text": "4.500 ₽" }),
        )
        .await;
    assert!(d.contains("Character '.' is reserved"), "{d}");
    client
        .ok(
            "sendMessage",
            json!({ "chat_id": user.id, "parse_mode": "MarkdownV2", "text": "4\\.500 ₽" }),
        )
        .await;
    assert_eq!(fake.sent_to(user.id).len(), 2);
}

#[tokio::test]
async fn keyboards_callback_data_and_button_limits() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    let keyboard =
        |data: String| json!({ "inline_keyboard": [[{ "text": "Ok", "callback_data": data }]] });
    client
        .ok(
            "sendMessage",
            json!({ "chat_id": user.id, "text": "x", "reply_markup": keyboard("d".repeat(64)) }),
        )
        .await;
    let (_, d) = client
        .refused(
            "sendMessage",
            json!({ "chat_id": user.id, "text": "x", "reply_markup": keyboard("d".repeat(65)) }),
        )
        .await;
    assert_eq!(d, "Bad Request: BUTTON_DATA_INVALID");
    let (_, d) = client
        .refused(
            "sendMessage",
            json!({ "chat_id": user.id, "text": "x", "reply_markup": keyboard(String::new()) }),
        )
        .await;
    assert_eq!(d, "Bad Request: BUTTON_DATA_INVALID");
    let rows: Vec<Value> = (0..101)
        .map(|i| json!([{ "text": format!("b{i}"), "callback_data": format!("{i}") }]))
        .collect();
    let (_, d) = client
        .refused(
            "sendMessage",
            json!({ "chat_id": user.id, "text": "x", "reply_markup": { "inline_keyboard": rows } }),
        )
        .await;
    assert_eq!(d, "Bad Request: reply markup is too long");
    let sent = fake.sent_to(user.id);
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].inline_buttons()[0][0].callback_data.as_deref(),
        Some("d".repeat(64).as_str())
    );
}

#[tokio::test]
async fn callback_queries_are_answered_once() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    let markup = json!({ "inline_keyboard": [[{ "text": "✅ Да", "callback_data": "k1" }]] });
    client
        .ok(
            "sendMessage",
            json!({ "chat_id": user.id, "text": "?", "reply_markup": markup }),
        )
        .await;
    let query = fake.press_button(&user, "✅ Да");
    let updates = client.ok("getUpdates", json!({})).await;
    assert_eq!(updates[0]["callback_query"]["data"], json!("k1"));
    assert_eq!(
        updates[0]["callback_query"]["message"]["message_id"],
        json!(1)
    );
    assert_eq!(fake.callback_answer(&query), None);
    client
        .ok(
            "answerCallbackQuery",
            json!({ "callback_query_id": query, "text": "Принято" }),
        )
        .await;
    assert_eq!(
        fake.callback_answer(&query).and_then(|a| a.text).as_deref(),
        Some("Принято")
    );
    let (_, d) = client
        .refused("answerCallbackQuery", json!({ "callback_query_id": query }))
        .await;
    assert!(d.contains("query is too old"), "{d}");
}

#[tokio::test]
async fn media_groups_follow_telegram_rules() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    let ids = fake.send_album(
        &user,
        vec![
            AlbumItem::photo(vec![1; 100]),
            AlbumItem::photo(vec![2; 100]),
            AlbumItem::document("a.pdf", "application/pdf", vec![3; 10]),
        ],
        Some("Колодки"),
    );
    assert_eq!(ids.len(), 3);
    let history = fake.chat_history(user.id);
    let photo = |i: usize| history[i].media.as_ref().expect("media").file_id.clone();
    let document = history[2].media.as_ref().expect("media").file_id.clone();
    let item = |kind: &str, id: &str| json!({ "type": kind, "media": id });

    let (_, d) = client
        .refused(
            "sendMediaGroup",
            json!({ "chat_id": user.id, "media": [item("photo", &photo(0))] }),
        )
        .await;
    assert_eq!(d, "Bad Request: too few messages to send as an album");
    let eleven: Vec<Value> = (0..11).map(|_| item("photo", &photo(0))).collect();
    let (_, d) = client
        .refused(
            "sendMediaGroup",
            json!({ "chat_id": user.id, "media": eleven }),
        )
        .await;
    assert_eq!(d, "Bad Request: Too much messages to send as an album");
    let (_, d) = client.refused("sendMediaGroup", json!({ "chat_id": user.id, "media": [item("photo", &photo(0)), item("document", &document)] })).await;
    assert_eq!(
        d,
        "Bad Request: document can't be mixed with other media types"
    );
    let (_, d) = client.refused("sendMediaGroup", json!({ "chat_id": user.id, "media": [item("photo", &photo(0)), item("photo", "no-such-file")] })).await;
    assert_eq!(d, "Bad Request: wrong file identifier/HTTP URL specified");
    assert!(
        fake.sent_to(user.id).is_empty(),
        "a refused album sends nothing"
    );

    let sent = client.ok("sendMediaGroup", json!({ "chat_id": user.id, "media": [item("photo", &photo(0)), item("photo", &photo(1))] })).await;
    let sent = sent.as_array().expect("array");
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0]["media_group_id"], sent[1]["media_group_id"]);
    assert_eq!(
        sent[0]["photo"].as_array().map(Vec::len),
        Some(3),
        "a relayed photo keeps its sizes"
    );
    let records = fake.sent_to(user.id);
    assert_eq!(
        records[0].media.as_ref().map(|m| m.file_id.clone()),
        Some(photo(0))
    );
    assert!(records.iter().all(|r| r.media_group_id.is_some()));
}

#[tokio::test]
async fn multipart_uploads_scalars_as_strings_and_attach_parts() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let http = reqwest::Client::new();
    let base = format!("{}/bot{TOKEN}", fake.api_url());
    let form = reqwest::multipart::Form::new()
        .text("chat_id", user.id.to_string())
        .text("caption", "<b>Фото</b>")
        .text("parse_mode", "HTML")
        .text(
            "reply_markup",
            json!({ "inline_keyboard": [[{ "text": "A", "callback_data": "a" }]] }).to_string(),
        )
        .part(
            "photo",
            reqwest::multipart::Part::bytes(vec![9u8; 1000]).file_name("p.jpg"),
        );
    let response: Value = http
        .post(format!("{base}/SendPhoto"))
        .multipart(form)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(response["ok"], json!(true), "{response}");
    let sent = fake.sent_to(user.id);
    let media = sent[0].media.as_ref().expect("media");
    assert_eq!(media.kind, MediaKind::Photo);
    assert_eq!(fake.file_bytes(&media.file_id), Some(vec![9u8; 1000]));
    assert_eq!(sent[0].button_texts(), ["A"]);

    let media_json = json!([{ "type": "video", "media": "attach://one" }, { "type": "photo", "media": "attach://two", "caption": "2" }]);
    let form = reqwest::multipart::Form::new()
        .text("chat_id", user.id.to_string())
        .text("media", media_json.to_string())
        .part(
            "one",
            reqwest::multipart::Part::bytes(vec![1u8; 10]).file_name("v.mp4"),
        )
        .part(
            "two",
            reqwest::multipart::Part::bytes(vec![2u8; 10]).file_name("p.jpg"),
        );
    let response: Value = http
        .post(format!("{base}/sendMediaGroup"))
        .multipart(form)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(
        response["result"].as_array().map(Vec::len),
        Some(2),
        "{response}"
    );
    let sent = fake.sent_to(user.id);
    assert_eq!(
        fake.file_bytes(&sent[2].media.as_ref().expect("media").file_id),
        Some(vec![2u8; 10])
    );
    assert_eq!(sent[2].caption.as_deref(), Some("2"));
}

#[tokio::test]
async fn edits_deletes_pins_and_reactions() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    let card = client
        .ok(
            "sendMessage",
            json!({ "chat_id": user.id, "text": "card v1" }),
        )
        .await;
    let id = card["message_id"].as_i64().expect("id");
    let (_, d) = client
        .refused(
            "editMessageText",
            json!({ "chat_id": user.id, "message_id": id, "text": "card v1" }),
        )
        .await;
    assert!(d.starts_with("Bad Request: message is not modified"), "{d}");
    client
        .ok(
            "editMessageText",
            json!({ "chat_id": user.id, "message_id": id, "text": "card v2" }),
        )
        .await;
    let (_, d) = client
        .refused(
            "editMessageText",
            json!({ "chat_id": user.id, "message_id": 99, "text": "x" }),
        )
        .await;
    assert_eq!(d, "Bad Request: message to edit not found");
    client
        .ok(
            "pinChatMessage",
            json!({ "chat_id": user.id, "message_id": id }),
        )
        .await;
    client.ok("setMessageReaction", json!({ "chat_id": user.id, "message_id": id, "reaction": [{ "type": "emoji", "emoji": "👍" }] })).await;
    let sent = fake.sent_to(user.id);
    assert_eq!(
        (sent[0].text.as_deref(), sent[0].edits, sent[0].pinned),
        (Some("card v2"), 1, true)
    );
    assert_eq!(sent[0].reactions, ["👍"]);
    client
        .ok("unpinChatMessage", json!({ "chat_id": user.id }))
        .await;
    client
        .ok(
            "deleteMessage",
            json!({ "chat_id": user.id, "message_id": id }),
        )
        .await;
    let (_, d) = client
        .refused(
            "deleteMessage",
            json!({ "chat_id": user.id, "message_id": id }),
        )
        .await;
    assert_eq!(d, "Bad Request: message to delete not found");
    assert!(fake.sent_to(user.id).is_empty());
    assert!(!fake.chat_history(user.id)[0].pinned);
}

#[tokio::test]
async fn copies_keep_file_ids_and_missing_sources_are_refused() {
    let fake = FakeTelegram::start().await;
    let staff = fake.user("Мастер");
    let client_user = fake.user("Клиент");
    let client = Client::new(&fake);
    let photo = fake.send_photo(&staff, vec![5; 2000], Some("Царапина"));
    let copy = client.ok("copyMessage", json!({ "chat_id": client_user.id, "from_chat_id": staff.id, "message_id": photo, "caption": "Приёмка" })).await;
    assert!(copy["message_id"].is_i64());
    let original = fake.chat_history(staff.id)[0].media.clone().expect("media");
    let copied = &fake.sent_to(client_user.id)[0];
    assert_eq!(
        copied.media.as_ref().map(|m| &m.file_id),
        Some(&original.file_id),
        "copies relay by file id"
    );
    assert_eq!(
        (copied.caption.as_deref(), copied.copied_from),
        (Some("Приёмка"), Some((staff.id, photo)))
    );
    let (_, d) = client
        .refused(
            "copyMessage",
            json!({ "chat_id": client_user.id, "from_chat_id": staff.id, "message_id": 42 }),
        )
        .await;
    assert_eq!(d, "Bad Request: message to copy not found");
    let forwarded = client
        .ok(
            "forwardMessage",
            json!({ "chat_id": client_user.id, "from_chat_id": staff.id, "message_id": photo }),
        )
        .await;
    assert!(forwarded["photo"].is_array());
}

#[tokio::test]
async fn blocked_users_get_403_and_groups_can_be_left() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    fake.block_bot(&user);
    let (status, d) = client
        .refused("sendMessage", json!({ "chat_id": user.id, "text": "x" }))
        .await;
    assert_eq!(
        (status, d.as_str()),
        (403, "Forbidden: bot was blocked by the user")
    );
    fake.unblock_bot(&user);
    client
        .ok("sendMessage", json!({ "chat_id": user.id, "text": "x" }))
        .await;

    let group = fake.send_group_text(&user, "Сервис", "привет");
    let updates = client.ok("getUpdates", json!({})).await;
    assert_eq!(updates[0]["message"]["chat"]["type"], json!("group"));
    client.ok("leaveChat", json!({ "chat_id": group })).await;
    assert_eq!(fake.left_chats(), [group]);
    assert_eq!(
        client.ok("getChat", json!({ "chat_id": user.id })).await["type"],
        json!("private")
    );
}

#[tokio::test]
async fn downloads_are_capped_at_20_mb_on_the_cloud_api() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    fake.send_video(&user, vec![7; 1000], None);
    fake.send_video(&user, vec![0; 21 * 1024 * 1024], None);
    let history = fake.chat_history(user.id);
    let small = history[0].media.clone().expect("media");
    let big = history[1].media.clone().expect("media");
    let file = client
        .ok("getFile", json!({ "file_id": small.file_id }))
        .await;
    let path = file["file_path"].as_str().expect("path");
    let bytes = reqwest::get(format!("{}/file/bot{TOKEN}/{path}", fake.api_url()))
        .await
        .expect("get")
        .bytes()
        .await
        .expect("bytes");
    assert_eq!(bytes.as_ref(), &[7u8; 1000][..]);
    let (_, d) = client
        .refused("getFile", json!({ "file_id": big.file_id }))
        .await;
    assert_eq!(d, "Bad Request: file is too big");
    let (_, d) = client
        .refused("getFile", json!({ "file_id": "nope" }))
        .await;
    assert_eq!(d, "Bad Request: invalid file id");
}

#[tokio::test]
async fn local_mode_gives_absolute_paths_and_any_size() {
    let dir = std::env::temp_dir().join(format!("fake-telegram-local-{}", std::process::id()));
    let fake = FakeTelegram::start_local(dir.clone()).await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    fake.send_video(&user, vec![3; 21 * 1024 * 1024], None);
    let video = fake.chat_history(user.id)[0].media.clone().expect("media");
    let file = client
        .ok("getFile", json!({ "file_id": video.file_id }))
        .await;
    let path = std::path::PathBuf::from(file["file_path"].as_str().expect("path"));
    assert!(path.is_absolute(), "{}", path.display());
    assert_eq!(
        std::fs::metadata(&path).expect("on disk").len(),
        21 * 1024 * 1024
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn long_polling_waits_confirms_and_filters() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    let started = Instant::now();
    let empty = client.ok("getUpdates", json!({ "timeout": 1 })).await;
    assert_eq!(empty, json!([]));
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "an empty poll waits for its timeout"
    );
    assert_eq!(
        fake.requests("getUpdates"),
        1,
        "one request for one poll: no busy loop"
    );

    let waiting = {
        let base = client.base.clone();
        let http = client.http.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let value: Value = http
                .post(format!("{base}/getUpdates"))
                .json(&json!({ "timeout": 10 }))
                .send()
                .await
                .expect("poll")
                .json()
                .await
                .expect("json");
            (started.elapsed(), value)
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    fake.send_text(&user, "привет");
    let (elapsed, value) = waiting.await.expect("join");
    assert!(
        elapsed < Duration::from_secs(5),
        "an update ends the wait at once ({elapsed:?})"
    );
    let first_id = value["result"][0]["update_id"].as_i64().expect("update id");
    assert_eq!(value["result"][0]["message"]["text"], json!("привет"));

    fake.send_text(&user, "ещё");
    let again = client.ok("getUpdates", json!({ "offset": first_id })).await;
    assert_eq!(
        again.as_array().map(Vec::len),
        Some(2),
        "offset keeps unconfirmed updates"
    );
    let after = client
        .ok("getUpdates", json!({ "offset": first_id + 1 }))
        .await;
    assert_eq!(
        after.as_array().map(Vec::len),
        Some(1),
        "offset confirms earlier updates"
    );
    let second_id = after[0]["update_id"].as_i64().expect("id");
    fake.press_callback_data(&user, 1, "x");
    let only_messages = client
        .ok(
            "getUpdates",
            json!({ "offset": second_id + 1, "allowed_updates": ["message"] }),
        )
        .await;
    assert_eq!(
        only_messages,
        json!([]),
        "allowed_updates filters out callback queries"
    );
    let limited = client
        .ok(
            "getUpdates",
            json!({ "offset": 0, "limit": 1, "allowed_updates": ["callback_query"] }),
        )
        .await;
    assert_eq!(limited.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_second_poller_gets_409() {
    let fake = FakeTelegram::start().await;
    let client = Client::new(&fake);
    let first = {
        let base = client.base.clone();
        let http = client.http.clone();
        tokio::spawn(async move {
            http.post(format!("{base}/getUpdates"))
                .json(&json!({ "timeout": 2 }))
                .send()
                .await
                .map(|r| r.status().as_u16())
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, d) = client.refused("getUpdates", json!({ "timeout": 0 })).await;
    assert_eq!(status, 409);
    assert!(
        d.starts_with("Conflict: terminated by other getUpdates request"),
        "{d}"
    );
    assert_eq!(first.await.expect("join").expect("first poll"), 200);
    client.ok("getUpdates", json!({})).await;
}

#[tokio::test]
async fn faults_are_injected_per_method() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    let message = json!({ "chat_id": user.id, "text": "x" });

    fake.inject("sendMessage", Fault::TooManyRequests { retry_after: 7 }, 1);
    let (status, value) = client.call("sendMessage", message.clone()).await;
    assert_eq!(
        (status, value["parameters"]["retry_after"].clone()),
        (429, json!(7))
    );
    assert_eq!(
        value["description"],
        json!("Too Many Requests: retry after 7")
    );
    client.ok("sendMessage", message.clone()).await;

    fake.inject("sendMessage", Fault::ServerError { status: 502 }, 1);
    assert_eq!(client.call("sendMessage", message.clone()).await.0, 502);

    fake.inject("sendMessage", Fault::BadRequest("chat not found".into()), 1);
    assert_eq!(
        client.refused("sendMessage", message.clone()).await.1,
        "Bad Request: chat not found"
    );

    fake.inject("sendMessage", Fault::DropConnection, 1);
    let dropped = client
        .http
        .post(format!("{}/sendMessage", client.base))
        .json(&message)
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection is closed without an answer"
    );

    fake.inject("sendMessage", Fault::Delay(Duration::from_millis(300)), 1);
    let started = Instant::now();
    client.ok("sendMessage", message.clone()).await;
    assert!(started.elapsed() >= Duration::from_millis(300));

    fake.inject_percent("sendMessage", Fault::ServerError { status: 500 }, 50);
    let mut failures = 0;
    for _ in 0..10 {
        if client.call("sendMessage", message.clone()).await.0 == 500 {
            failures += 1;
        }
    }
    assert_eq!(failures, 5, "50% of calls fail");
    fake.clear_faults();
    client.ok("sendMessage", message).await;
}

#[tokio::test]
async fn commands_per_scope_and_chat_actions() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    client
        .ok(
            "setMyCommands",
            json!({ "commands": [{ "command": "start", "description": "Начать" }] }),
        )
        .await;
    client.ok("setMyCommands", json!({ "commands": [{ "command": "order", "description": "Заказ-наряд" }], "scope": { "type": "chat", "chat_id": user.id } })).await;
    assert_eq!(
        fake.commands("default"),
        [("start".to_owned(), "Начать".to_owned())]
    );
    assert_eq!(fake.commands(&format!("chat:{}", user.id))[0].0, "order");
    let (_, d) = client
        .refused(
            "setMyCommands",
            json!({ "commands": [{ "command": "Order!", "description": "x" }] }),
        )
        .await;
    assert_eq!(d, "Bad Request: BOT_COMMAND_INVALID");
    client
        .ok(
            "sendChatAction",
            json!({ "chat_id": user.id, "action": "upload_photo" }),
        )
        .await;
    assert_eq!(fake.chat_actions(), [(user.id, "upload_photo".to_owned())]);
}

#[tokio::test]
async fn user_updates_carry_every_media_kind() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    fake.send_command(&user, "/start abc123");
    fake.send_contact(&user, "+79123456789", Some(user.id));
    fake.send_photo(&user, vec![1; 64], None);
    fake.send_video(&user, vec![2; 64], Some("видео"));
    fake.send_document(&user, "Смета.pdf", "application/pdf", vec![3; 64], None);
    fake.send_voice(&user, vec![4; 64]);
    fake.send_video_note(&user, vec![5; 64]);
    fake.send_audio(&user, "a.mp3", vec![6; 64]);
    let edited = fake.send_text(&user, "v1");
    fake.edit_text(&user, edited, "v2");
    for item in [
        AlbumItem::video(vec![7; 64]).lasting(65),
        AlbumItem::voice(vec![8; 64]).lasting(3723),
        AlbumItem::video_note(vec![9; 64]).lasting(59),
        AlbumItem::audio("b.mp3", vec![10; 64]).lasting(600),
    ] {
        fake.send_file(&user, item, None);
    }
    let updates = client.ok("getUpdates", json!({})).await;
    let updates = updates.as_array().expect("array");
    assert_eq!(
        updates[0]["message"]["entities"][0]["type"],
        json!("bot_command")
    );
    assert_eq!(updates[1]["message"]["contact"]["user_id"], json!(user.id));
    assert_eq!(
        updates[2]["message"]["photo"].as_array().map(Vec::len),
        Some(3)
    );
    for (i, field) in [
        (3, "video"),
        (4, "document"),
        (5, "voice"),
        (6, "video_note"),
        (7, "audio"),
    ] {
        assert!(
            updates[i]["message"][field]["file_id"].is_string(),
            "{field}: {}",
            updates[i]
        );
    }
    assert_eq!(
        updates[4]["message"]["document"]["file_name"],
        json!("Смета.pdf")
    );
    assert_eq!(updates[9]["edited_message"]["text"], json!("v2"));
    assert!(updates[9]["edited_message"]["edit_date"].is_i64());
    for (i, field, seconds) in [
        (3, "video", 5),
        (5, "voice", 5),
        (6, "video_note", 5),
        (7, "audio", 5),
        (10, "video", 65),
        (11, "voice", 3723),
        (12, "video_note", 59),
        (13, "audio", 600),
    ] {
        assert_eq!(
            updates[i]["message"][field]["duration"],
            json!(seconds),
            "{field} carries its duration: {}",
            updates[i]
        );
    }
    assert!(
        updates[2]["message"]["photo"][2]["duration"].is_null()
            && updates[4]["message"]["document"]["duration"].is_null(),
        "photos and documents have none"
    );
}

#[tokio::test]
async fn every_media_kind_by_file_id_and_caption_limits() {
    let fake = FakeTelegram::start().await;
    let staff = fake.user("Мастер");
    let client_user = fake.user("Клиент");
    let client = Client::new(&fake);
    fake.send_video(&staff, vec![1; 10], None);
    fake.send_document(&staff, "a.pdf", "application/pdf", vec![2; 10], None);
    fake.send_audio(&staff, "a.mp3", vec![3; 10]);
    fake.send_voice(&staff, vec![4; 10]);
    fake.send_video_note(&staff, vec![5; 10]);
    let history = fake.chat_history(staff.id);
    let id = |i: usize| history[i].media.as_ref().expect("media").file_id.clone();
    for (i, (method, field)) in [
        ("sendVideo", "video"),
        ("sendDocument", "document"),
        ("sendAudio", "audio"),
        ("sendVoice", "voice"),
        ("sendVideoNote", "video_note"),
    ]
    .into_iter()
    .enumerate()
    {
        let sent = client
            .ok(method, json!({ "chat_id": client_user.id, field: id(i) }))
            .await;
        assert_eq!(
            sent[field]["file_id"],
            json!(id(i)),
            "{method} relays the same file id"
        );
    }
    let (_, d) = client
        .refused(
            "sendPhoto",
            json!({ "chat_id": client_user.id, "photo": id(0) }),
        )
        .await;
    assert_eq!(d, "Bad Request: can't use file of type Video as Photo");
    let (_, d) = client
        .refused(
            "sendVideo",
            json!({ "chat_id": client_user.id, "video": id(0), "caption": "я".repeat(1025) }),
        )
        .await;
    assert_eq!(d, "Bad Request: message caption is too long");
    let (_, d) = client.refused("sendVideo", json!({ "chat_id": client_user.id, "video": id(0), "caption": "<i>x", "parse_mode": "HTML" })).await;
    assert!(d.starts_with("Bad Request: can't parse entities"), "{d}");
    assert_eq!(fake.sent_to(client_user.id).len(), 5);
}

#[tokio::test]
async fn caption_and_markup_edits_copy_messages_and_command_removal() {
    let fake = FakeTelegram::start().await;
    let staff = fake.user("Мастер");
    let client_user = fake.user("Клиент");
    let client = Client::new(&fake);
    let album = fake.send_album(
        &staff,
        vec![AlbumItem::photo(vec![1; 10]), AlbumItem::photo(vec![2; 10])],
        Some("Колодки"),
    );
    let copies = client
        .ok(
            "copyMessages",
            json!({ "chat_id": client_user.id, "from_chat_id": staff.id, "message_ids": album }),
        )
        .await;
    assert_eq!(copies.as_array().map(Vec::len), Some(2));
    let sent = fake.sent_to(client_user.id);
    assert!(
        sent[0].media_group_id.is_some() && sent[0].media_group_id == sent[1].media_group_id,
        "an album stays an album"
    );
    assert_eq!(sent[0].caption.as_deref(), Some("Колодки"));

    let id = sent[0].message_id;
    let markup =
        json!({ "inline_keyboard": [[{ "text": "✅ Согласовать", "callback_data": "a1" }]] });
    client
        .ok(
            "editMessageCaption",
            json!({ "chat_id": client_user.id, "message_id": id, "caption": "Колодки — 4 500 ₽" }),
        )
        .await;
    client
        .ok(
            "editMessageReplyMarkup",
            json!({ "chat_id": client_user.id, "message_id": id, "reply_markup": markup }),
        )
        .await;
    let (_, d) = client
        .refused(
            "editMessageReplyMarkup",
            json!({ "chat_id": client_user.id, "message_id": id, "reply_markup": markup }),
        )
        .await;
    assert!(d.starts_with("Bad Request: message is not modified"), "{d}");
    let (_, d) = client
        .refused(
            "editMessageText",
            json!({ "chat_id": client_user.id, "message_id": id, "text": "x" }),
        )
        .await;
    assert_eq!(d, "Bad Request: there is no text in the message to edit");
    let edited = &fake.sent_to(client_user.id)[0];
    assert_eq!(
        (edited.caption.as_deref(), edited.edits),
        (Some("Колодки — 4 500 ₽"), 2)
    );
    assert_eq!(edited.button_texts(), ["✅ Согласовать"]);

    client
        .ok(
            "setMyCommands",
            json!({ "commands": [{ "command": "start", "description": "Начать" }] }),
        )
        .await;
    client.ok("deleteMyCommands", json!({})).await;
    assert!(fake.commands("default").is_empty());
    assert_eq!(
        client.ok("getWebhookInfo", json!({})).await["url"],
        json!("")
    );
    assert_eq!(client.ok("deleteWebhook", json!({})).await, json!(true));
}

#[tokio::test]
async fn latency_applies_to_every_call() {
    let fake = FakeTelegram::start().await;
    let client = Client::new(&fake);
    fake.set_latency(Duration::from_millis(150));
    let started = Instant::now();
    client.ok("getMe", json!({})).await;
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn bandwidth_slows_downloads_by_size() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    fake.send_video(&user, vec![1; 200_000], None);
    let video = fake.chat_history(user.id)[0].media.clone().expect("media");
    let file = client
        .ok("getFile", json!({ "file_id": video.file_id }))
        .await;
    fake.set_bandwidth(1_000_000);
    let started = Instant::now();
    let url = format!(
        "{}/file/bot{TOKEN}/{}",
        fake.api_url(),
        file["file_path"].as_str().expect("path")
    );
    reqwest::get(url)
        .await
        .expect("get")
        .bytes()
        .await
        .expect("bytes");
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "200 KB at 1 MB/s takes 0.2 s"
    );
}

#[tokio::test]
async fn error_pages_are_html_not_json() {
    let fake = FakeTelegram::start().await;
    let client = Client::new(&fake);
    fake.inject("getMe", Fault::ErrorPage { status: 502 }, 1);
    let response = client
        .http
        .post(format!("{}/getMe", client.base))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status().as_u16(), 502);
    assert_eq!(
        response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
        Some("text/html"),
        "Telegram's front end answers with HTML"
    );
    let body = response.text().await.expect("body");
    assert!(
        body.starts_with("<html>") && body.contains("<title>502 Bad Gateway</title>"),
        "an nginx page: {body}"
    );
    client.ok("getMe", json!({})).await;
}

#[tokio::test]
async fn the_wildcard_method_reaches_every_call_and_downloads() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    let message = json!({ "chat_id": user.id, "text": "x" });

    fake.inject_percent("*", Fault::ServerError { status: 500 }, 20);
    let mut failures = 0;
    for i in 0..10 {
        let (method, body) = match i % 3 {
            0 => ("getMe", json!({})),
            1 => ("sendMessage", message.clone()),
            _ => ("getUpdates", json!({})),
        };
        if client.call(method, body).await.0 == 500 {
            failures += 1;
        }
    }
    assert_eq!(failures, 2, "20% of all calls fail, whatever the method");
    fake.clear_faults();

    fake.inject("getMe", Fault::BadRequest("first".into()), 1);
    fake.inject("*", Fault::TooManyRequests { retry_after: 3 }, 1);
    assert_eq!(
        client.call("getMe", json!({})).await.0,
        400,
        "the exact method's rule goes first"
    );
    assert_eq!(
        client.call("getUpdates", json!({})).await.0,
        429,
        "then the rule for every method"
    );
    client.ok("getMe", json!({})).await;

    fake.send_video(&user, vec![5; 100], None);
    let video = fake
        .chat_history(user.id)
        .into_iter()
        .find_map(|m| m.media)
        .expect("media");
    let file = client
        .ok("getFile", json!({ "file_id": video.file_id }))
        .await;
    let url = format!(
        "{}/file/bot{TOKEN}/{}",
        fake.api_url(),
        file["file_path"].as_str().expect("path")
    );
    fake.inject("*", Fault::ErrorPage { status: 504 }, 1);
    assert_eq!(
        reqwest::get(&url).await.expect("get").status().as_u16(),
        504,
        "downloads get the faults for every method too"
    );
    assert_eq!(
        reqwest::get(&url).await.expect("get").status().as_u16(),
        200
    );
}

#[tokio::test]
async fn offline_drops_every_connection_and_confirms_nothing() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    fake.send_video(&user, vec![9; 100], None);
    let video = fake.chat_history(user.id)[0].media.clone().expect("media");
    let file = client
        .ok("getFile", json!({ "file_id": video.file_id }))
        .await;
    let url = format!(
        "{}/file/bot{TOKEN}/{}",
        fake.api_url(),
        file["file_path"].as_str().expect("path")
    );
    let first = client.ok("getUpdates", json!({})).await[0]["update_id"]
        .as_i64()
        .expect("update id");
    fake.send_text(&user, "в пути");

    fake.set_offline(true);
    let post = |method: &str, body: Value| {
        client
            .http
            .post(format!("{}/{method}", client.base))
            .json(&body)
            .send()
    };
    assert!(
        post("getMe", json!({})).await.is_err(),
        "methods get no answer"
    );
    assert!(reqwest::get(&url).await.is_err(), "downloads get no answer");
    assert!(
        post("getUpdates", json!({ "offset": first + 2 }))
            .await
            .is_err()
    );
    assert_eq!(
        fake.pending_updates(),
        2,
        "a poll made while offline confirms nothing"
    );
    assert_eq!(fake.requests("getMe"), 1, "calls while offline are counted");
    fake.set_offline(false);

    let in_flight = {
        let base = client.base.clone();
        let http = client.http.clone();
        tokio::spawn(async move {
            http.post(format!("{base}/getUpdates"))
                // Waits for a kind of update that never comes, confirming nothing.
                .json(&json!({
                    "offset": first,
                    "timeout": 10,
                    "allowed_updates": ["callback_query"],
                }))
                .send()
                .await
                .map(|r| r.status().as_u16())
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    fake.set_offline(true);
    assert!(
        in_flight.await.expect("join").is_err(),
        "a poll in flight is cut when the network goes away"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    fake.set_offline(false);

    let updates = client.ok("getUpdates", json!({ "offset": first })).await;
    assert_eq!(
        updates[1]["message"]["text"],
        json!("в пути"),
        "updates wait out the outage"
    );
    assert_eq!(
        reqwest::get(&url)
            .await
            .expect("back online")
            .bytes()
            .await
            .expect("bytes")
            .as_ref(),
        &[9u8; 100][..]
    );
}

#[tokio::test]
async fn limits_are_off_unless_enforced_and_every_send_is_logged() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let client = Client::new(&fake);
    for i in 0..10 {
        client
            .ok(
                "sendMessage",
                json!({ "chat_id": user.id, "text": format!("{i}") }),
            )
            .await;
    }
    let log = fake.send_log();
    assert_eq!(log.len(), 10, "every send is logged: {log:?}");
    assert!(
        log.iter()
            .all(|r| r.chat_id == user.id && r.method == "sendmessage")
    );
    assert_eq!(
        log.iter()
            .flat_map(|r| r.message_ids.clone())
            .collect::<Vec<_>>(),
        (1..=10).collect::<Vec<i32>>()
    );
    assert_eq!(fake.limit_refusals_total(), 0);
}

#[tokio::test]
async fn private_chats_get_a_burst_of_three_then_one_a_second() {
    let fake = FakeTelegram::start().await;
    let anna = fake.user("Анна");
    let boris = fake.user("Борис");
    let client = Client::new(&fake);
    fake.enforce_limits(true);
    let text = |user: &crate::TgUser| json!({ "chat_id": user.id, "text": "Готово" });
    let started = Instant::now();
    for _ in 0..3 {
        client.ok("sendMessage", text(&anna)).await;
    }
    let (status, value) = client.call("sendMessage", text(&anna)).await;
    assert!(
        started.elapsed() < Duration::from_millis(700),
        "the machine is too slow for this test"
    );
    assert_eq!(status, 429, "{value}");
    assert_eq!(value["parameters"]["retry_after"], json!(1));
    assert_eq!(
        value["description"],
        json!("Too Many Requests: retry after 1")
    );
    client.ok("sendMessage", text(&boris)).await;
    // Edits and other calls that create no message do not count.
    for i in 0..5 {
        client
            .ok(
                "editMessageText",
                json!({ "chat_id": anna.id, "message_id": 1, "text": format!("Изменено {i}") }),
            )
            .await;
        client
            .ok(
                "sendChatAction",
                json!({ "chat_id": anna.id, "action": "typing" }),
            )
            .await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    client.ok("sendMessage", text(&anna)).await;
    let (status, _) = client.call("sendMessage", text(&anna)).await;
    assert_eq!(status, 429, "after the burst, one a second");
    assert_eq!(fake.limit_refusals(anna.id), 2);
    assert!(
        fake.limit_refusal_log()
            .iter()
            .all(|r| r.limit == crate::Limit::PrivateChat && r.retry_after == 1)
    );
    assert_eq!(fake.limit_refusals(boris.id), 0);
    assert_eq!(
        fake.sent_to(anna.id).len(),
        4,
        "a refused send creates nothing"
    );
    fake.enforce_limits(false);
    client.ok("sendMessage", text(&anna)).await;
}

#[tokio::test]
async fn groups_get_twenty_messages_a_minute() {
    let fake = FakeTelegram::start().await;
    let user = fake.user("Анна");
    let group = fake.send_group_text(&user, "Сервис", "привет");
    let client = Client::new(&fake);
    fake.enforce_limits(true);
    for i in 0..20 {
        client
            .ok(
                "sendMessage",
                json!({ "chat_id": group, "text": format!("{i}") }),
            )
            .await;
    }
    let (status, value) = client
        .call("sendMessage", json!({ "chat_id": group, "text": "ещё" }))
        .await;
    assert_eq!(status, 429, "{value}");
    let retry_after = value["parameters"]["retry_after"].as_u64().unwrap_or(0);
    assert!(
        (59..=60).contains(&retry_after),
        "the oldest message leaves the minute in about 60 s: {retry_after}"
    );
    assert_eq!(fake.limit_refusal_log()[0].limit, crate::Limit::Group);
}

#[tokio::test]
async fn all_chats_together_get_thirty_a_second_and_albums_count_per_item() {
    let fake = FakeTelegram::start().await;
    let users: Vec<crate::TgUser> = (0..9).map(|i| fake.user(&format!("U{i}"))).collect();
    fake.send_photo(&users[0], vec![1; 100], None);
    let photo = fake.chat_history(users[0].id)[0]
        .media
        .as_ref()
        .expect("media")
        .file_id
        .clone();
    let album = |user: &crate::TgUser, n: usize| {
        let media: Vec<Value> = (0..n)
            .map(|_| json!({ "type": "photo", "media": photo }))
            .collect();
        json!({ "chat_id": user.id, "media": media })
    };
    let client = Client::new(&fake);
    fake.enforce_limits(true);
    let started = Instant::now();
    // Three albums of ten are 30 messages overall, one per chat.
    for user in &users[1..4] {
        client.ok("sendMediaGroup", album(user, 10)).await;
    }
    for user in &users[4..4 + crate::GLOBAL_SLACK] {
        client
            .ok("sendMessage", json!({ "chat_id": user.id, "text": "ok" }))
            .await;
    }
    let (status, value) = client
        .call(
            "sendMessage",
            json!({ "chat_id": users[7].id, "text": "x" }),
        )
        .await;
    let (album_status, _) = client.call("sendMediaGroup", album(&users[8], 2)).await;
    assert!(
        started.elapsed() < Duration::from_millis(800),
        "the machine is too slow for this test"
    );
    assert_eq!(status, 429, "{value}");
    assert_eq!(value["parameters"]["retry_after"], json!(1));
    assert_eq!(album_status, 429);
    // Not counted: button answers, file look-ups, polling.
    client.ok("getFile", json!({ "file_id": photo })).await;
    client.ok("getUpdates", json!({ "timeout": 0 })).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.ok("sendMediaGroup", album(&users[8], 2)).await;
    assert_eq!(fake.limit_refusals_total(), 2);
    assert!(
        fake.limit_refusal_log()
            .iter()
            .all(|r| r.limit == crate::Limit::Global)
    );
    let log = fake.send_log();
    assert_eq!(
        log.iter().map(|r| r.message_ids.len()).sum::<usize>(),
        30 + crate::GLOBAL_SLACK + 2,
        "the log holds one id per message created"
    );
}
