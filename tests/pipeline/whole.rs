//! Things that arrive whole: a text and a caption over Telegram's limits, and a photo sent
//! right after a large video, which must not wait for the video.

use std::time::{Duration, Instant};

use servicebot_fake_telegram::FakeTelegram;
use servicebot_tests::telegram::BOT_TIMEOUT;

use super::*;

// ---------------------------------------------------------------------------------------------
// 4. Over Telegram's limits
// ---------------------------------------------------------------------------------------------

const PROSE: &[&str] = &[
    "Автомобиль принят на осмотр в девять утра, владелец оставил ключи и документы у мастера.",
    "При внешнем осмотре обнаружены сколы лакокрасочного покрытия на капоте и переднем бампере.",
    "Левая передняя фара запотевает изнутри, уплотнитель корпуса пересох и потрескался.",
    "Шины летние, остаток протектора около четырёх миллиметров, износ равномерный.",
    "Тормозные колодки передней оси изношены почти до сигнального индикатора, диски с бороздами.",
    "Уровень масла в двигателе в норме, но масло тёмное и по пробегу его пора менять.",
    "Охлаждающая жидкость чуть ниже отметки минимума, следов течи под автомобилем не видно.",
    "Рулевые тяги и наконечники без люфта, пыльники целые, шаровые опоры в порядке.",
    "Аккумулятор держит заряд хуже, чем положено, пусковой ток заметно ниже номинала.",
    "Рекомендуем заменить колодки вместе с дисками, масло с фильтром и проверить систему охлаждения.",
];

/// Russian prose of exactly `chars` characters in paragraphs of three sentences.
fn prose(chars: usize, paragraphs: bool) -> String {
    let mut text = String::new();
    let mut n = 0;
    while text.chars().count() < chars {
        if !text.is_empty() {
            text.push_str(if paragraphs && n % 3 == 0 {
                "\n\n"
            } else {
                " "
            });
        }
        text.push_str(PROSE[n % PROSE.len()]);
        n += 1;
    }
    let mut cut: String = text.chars().take(chars - 1).collect();
    if cut.ends_with(char::is_whitespace) {
        cut.pop();
        cut.push('о');
    }
    cut.push('.');
    assert_eq!(cut.chars().count(), chars);
    cut
}

#[tokio::test]
async fn a_5000_character_text_and_a_1020_character_caption_arrive_whole() {
    let started = Instant::now();
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Приёмка автомобиля").await;
    let long_text = prose(5000, true);
    let caption = prose(1020, false);
    t.fake.send_text(&staff, &long_text);
    t.fake.send_photo(&staff, vec![9; 5000], Some(&caption));

    let complete = |f: &FakeTelegram| {
        let sent = bot_messages(f, client.id);
        let photo = sent.iter().position(is_photo);
        photo.is_some_and(|p| sent.len() > p + 1)
    };
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, complete).await,
        "the client got {:#?}",
        bot_messages(&t.fake, client.id)
            .iter()
            .map(|m| (m.method.clone(), m.body().to_owned()))
            .collect::<Vec<_>>()
    );
    let sent = bot_messages(&t.fake, client.id);
    let photo_at = sent.iter().position(is_photo).expect("the photo");

    // The text: at least two messages, each within 4096, together the original.
    let parts = &sent[..photo_at];
    assert!(parts.len() >= 2, "{} part(s)", parts.len());
    for part in parts {
        let html = part.text.as_deref().expect("a text part");
        assert!(visible_len(html) <= 4096, "{} units", visible_len(html));
    }
    let first = parts[0].text.as_deref().expect("text");
    let first = first
        .strip_prefix(&staff_header("Иван"))
        .unwrap_or_else(|| panic!("the first part starts with the header: {first:.80}"));
    let mut bodies = vec![unescape(first)];
    bodies.extend(
        parts[1..]
            .iter()
            .map(|p| unescape(p.text.as_deref().expect("text"))),
    );
    let mut rest = long_text.as_str();
    for (n, body) in bodies.iter().enumerate() {
        rest = rest.trim_start();
        let body_start = body.trim_start();
        assert!(
            rest.starts_with(body_start),
            "part {n} does not continue the text: {:.60}… where the text goes on {:.60}…",
            body_start,
            rest
        );
        rest = &rest[body_start.len()..];
    }
    assert!(rest.trim().is_empty(), "the text ends unsent: {rest:.80}");

    // The photo: a caption within 1024 with the header, then the full caption as text.
    let header = format!("<b>Приёмка автомобиля</b> · {ORDER_NO}\n");
    let photo_caption = sent[photo_at].caption.as_deref().expect("a caption");
    assert!(
        visible_len(photo_caption) <= 1024,
        "{} units",
        visible_len(photo_caption)
    );
    let teaser = unescape(photo_caption.strip_prefix(&header).expect("header"));
    let teaser = teaser
        .strip_suffix('…')
        .expect("a shortened caption ends with …");
    assert!(
        caption.starts_with(teaser) && teaser.chars().count() > 900,
        "the shortened caption is the caption's beginning: {teaser:.60}…"
    );
    let follow_up = &sent[photo_at + 1..];
    assert_eq!(
        follow_up.len(),
        1,
        "the full caption follows in one message"
    );
    let full = follow_up[0].text.as_deref().expect("a text");
    assert_eq!(
        full.strip_prefix(&header).map(unescape),
        Some(caption.clone()),
        "the full caption"
    );
    running.stop().await;
    eprintln!(
        "a_5000_character_text_and_a_1020_character_caption_arrive_whole: {:?}",
        started.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// 5. A large video does not hold up the next photo
// ---------------------------------------------------------------------------------------------

/// A video just under the cloud Bot API's 20 MB download limit.
const VIDEO_BYTES: usize = 20_000_000;
/// Download speed: the video takes 5 s.
const SLOW_LINE: u64 = 4_000_000;

#[tokio::test]
async fn a_photo_right_after_a_large_video_reaches_the_client_before_the_video_is_saved() {
    let started = Instant::now();
    let Scene {
        t,
        staff,
        client,
        running,
        _app,
    } = scene("Прочее").await;
    t.fake.set_bandwidth(SLOW_LINE);
    let video = vec![0x5A; VIDEO_BYTES];
    let photo = vec![0x07; 2000];
    t.fake
        .send_video(&staff, video.clone(), Some("Видео ходовой"));
    t.fake.send_photo(&staff, photo.clone(), None);
    let photo_id = staff_files(&t.fake, &staff)
        .last()
        .map(|(_, id)| id.clone())
        .expect("the photo's file id");
    let dir = t.env.root.join(ORDER).join("Other");

    let photo_arrived = |f: &FakeTelegram| {
        bot_messages(f, client.id)
            .iter()
            .any(|m| is_photo(m) && file_id(m) == photo_id)
    };
    assert!(
        t.fake.wait_until(BOT_TIMEOUT, photo_arrived).await,
        "the photo did not reach the client"
    );
    let videos_saved: Vec<String> = files_in(&dir)
        .into_iter()
        .filter(|n| n.ends_with(".mp4"))
        .collect();
    assert!(
        videos_saved.is_empty(),
        "the video was saved before the photo reached the client: {videos_saved:?}"
    );
    let arrived_after = started.elapsed();
    // The photo's file job does not wait behind the video's either.
    let photo_saved = poll_until(BOT_TIMEOUT, || {
        files_in(&dir).iter().any(|n| n.ends_with(".jpg"))
    })
    .await;
    assert!(photo_saved, "the photo was not saved: {:?}", files_in(&dir));
    let videos_saved: Vec<String> = files_in(&dir)
        .into_iter()
        .filter(|n| n.ends_with(".mp4"))
        .collect();
    assert!(
        videos_saved.is_empty(),
        "the photo was saved only after the video: {videos_saved:?}"
    );

    // Both end up stored, each once.
    let stored = poll_until(Duration::from_secs(30), || files_in(&dir).len() >= 2).await;
    assert!(stored, "{:?}", files_in(&dir));
    let mut expected = vec![sha256(&video), sha256(&photo)];
    expected.sort();
    assert_eq!(hashes_in(&dir), expected);
    running.stop().await;
    eprintln!(
        "a_photo_right_after_a_large_video_reaches_the_client_before_the_video_is_saved: \
         photo at {arrived_after:?}, total {:?}",
        started.elapsed()
    );
}
