//! `servicebot check-config` and `servicebot orders …` on real folders.

use chrono::Local;
use servicebot_tests::TestEnv;

const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";

#[test]
fn check_config_reports_orders_and_a_masked_token() {
    let env = TestEnv::with_config(&format!("[telegram]\ntoken = \"{TOKEN}\"\n"));
    env.order("ЗН-1 А123ВС77");
    env.order("ЗН-2");
    env.order("ЗН-3 closed");
    let out = env.cli(&["check-config"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("open orders:   2"),
        "closed orders are not counted: {}",
        out.stdout
    );
    assert!(out.stdout.contains("123456789:••••"), "{}", out.stdout);
    assert!(
        !out.stdout.contains("AAHdqTcv"),
        "the token must never be printed"
    );
    assert!(out.stdout.ends_with("OK\n"));
}

#[test]
fn check_config_fails_on_a_missing_root_and_names_it() {
    let env = TestEnv::with_config(&format!("[telegram]\ntoken = \"{TOKEN}\"\n"));
    std::fs::remove_dir(&env.root).expect("remove root");
    let out = env.cli(&["check-config"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("unavailable") && out.stdout.contains("Photo"),
        "{}",
        out.stdout
    );
}

#[test]
fn check_config_flags_a_missing_token() {
    let env = TestEnv::new();
    let out = env.cli(&["check-config"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("telegram.token is not set"),
        "{}",
        out.stdout
    );
}

#[test]
fn bad_config_names_the_key_and_fails() {
    let env = TestEnv::with_config("[organisation]\nname = \"typo\"\n");
    let out = env.cli(&["check-config"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("organisation"), "{}", out.stderr);

    let env = TestEnv::with_config(
        "[[stages]]\ntitle = \"x\"\nfolder = \"CON\"\nclient_visible = true\n",
    );
    let out = env.cli(&["orders", "search", "1"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("stages[0].folder"), "{}", out.stderr);
}

#[test]
fn missing_config_file_is_explained() {
    let env = TestEnv::new();
    let out = env.cli_raw(vec![
        "servicebot".into(),
        "--config".into(),
        env.base().join("nope.toml").into(),
        "check-config".into(),
    ]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("no configuration file at"),
        "{}",
        out.stderr
    );
}

#[test]
fn config_path_comes_from_the_environment_when_not_given() {
    let mut env = TestEnv::new();
    env.order("ЗН-42");
    let config_path = env.config_path.to_string_lossy().into_owned();
    env.set_env("SERVICEBOT_CONFIG", &config_path);
    let out = env.cli_raw(vec![
        "servicebot".into(),
        "orders".into(),
        "search".into(),
        "42".into(),
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.contains("ЗН-42"));
}

#[test]
fn search_folds_case_spaces_and_cyrillic_latin_plates() {
    let env = TestEnv::new();
    env.order("ЗН-004512 А123ВС77");
    env.order("a000172185 X777XX");
    env.order("ЗН-004513 В456ОР99 closed");
    let found = |query: &[&str]| {
        let mut args = vec!["orders", "search"];
        args.extend_from_slice(query);
        let out = env.cli(&args);
        assert_eq!(out.code, 0, "{out:?}");
        out.stdout
            .lines()
            .map(|l| {
                l.split_once('\t')
                    .map(|(_, f)| f.to_owned())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        found(&["a123bc"]),
        ["ЗН-004512 А123ВС77"],
        "Latin query, Cyrillic plate"
    );
    assert_eq!(
        found(&["х777"]),
        ["a000172185 X777XX"],
        "Cyrillic query, Latin plate"
    );
    assert_eq!(
        found(&["А", "123"]),
        ["ЗН-004512 А123ВС77"],
        "spaces are ignored"
    );
    assert_eq!(found(&["004512"]), ["ЗН-004512 А123ВС77"]);
    assert!(found(&["В456"]).is_empty(), "closed orders are invisible");
}

#[test]
fn awkward_folder_names_work() {
    let env = TestEnv::new();
    let long_plate = format!("\"Иванов, Пётр\" 🚗 {}", "Ж".repeat(90));
    let name = format!("ЗН-777 {long_plate}");
    assert!(name.len() > 200);
    env.order(&name);
    let out = env.cli(&["orders", "search", "иванов,"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stdout.trim_end().split_once('\t').map(|(_, f)| f),
        Some(name.as_str())
    );
}

#[test]
fn calendar_counts_orders_by_creation_day() {
    let env = TestEnv::new();
    env.order("ЗН-1");
    env.order("ЗН-2");
    env.order("ЗН-3_closed");
    let today = Local::now().date_naive();
    let out = env.cli(&["orders", "calendar", &today.format("%Y-%m").to_string()]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.lines(), [format!("{today}\t2")]);
    // Adding a file inside an order changes its modification time, never its calendar day.
    std::fs::write(env.root.join("ЗН-1").join("photo.jpg"), b"x").expect("write");
    let out = env.cli(&["orders", "calendar", &today.format("%Y-%m").to_string()]);
    assert_eq!(out.lines(), [format!("{today}\t2")]);
}

#[test]
fn bad_input_gives_clear_errors_and_exit_codes() {
    let env = TestEnv::new();
    let out = env.cli(&["orders", "calendar", "2026-13"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("YYYY-MM"), "{}", out.stderr);
    let out = env.cli(&["orders", "search", "   "]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("empty"), "{}", out.stderr);
    let out = env.cli(&["orders", "frobnicate"]);
    assert_eq!(out.code, 2, "usage errors exit 2");
    let out = env.cli(&["--help"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.contains("check-config"));
}

#[test]
fn orders_export_writes_the_evidence_pack_with_the_files_hashes() {
    use servicebot_core::store::{
        Direction, EntryKind, Level, MediaKind, NewEntry, NewMedia, RelayStatus, StorageStatus,
    };
    let env = TestEnv::new();
    let folder = env.order("ЗН-000777 А123ВС77");
    env.add_user(2, "Иван", Level::Staff, None);
    let stage = folder.join("Inspection");
    std::fs::create_dir_all(&stage).expect("stage");
    let photo = stage.join("2026-03-09_10-00-00_Иван_1.jpg");
    std::fs::write(&photo, b"\xFF\xD8 not really a picture \xFF\xD9").expect("file");
    let sha = servicebot_app::sha256_of(&photo).expect("hash");
    let store = env.store();
    let now = chrono::Utc::now();
    let media = store
        .media()
        .insert(&NewMedia {
            order_no: "ЗН-000777".into(),
            order_folder: "ЗН-000777 А123ВС77".into(),
            stage_folder: "Inspection".into(),
            kind: MediaKind::Photo,
            storage: StorageStatus::Stored,
            path: Some(photo.display().to_string()),
            spool_id: None,
            size: Some(29),
            sha256: Some(sha.clone()),
            file_id: "f1".into(),
            file_unique_id: "u1".into(),
            author_id: 2,
            media_group_id: None,
            caption: None,
            relay: RelayStatus::NoClient,
            created_at: now,
            duration_secs: None,
        })
        .expect("media");
    let mut entry = NewEntry::new(
        "ЗН-000777",
        "ЗН-000777 А123ВС77",
        now,
        Direction::StaffToClient,
        EntryKind::Media,
    );
    entry.author_id = Some(2);
    entry.media_id = Some(media);
    store.transcript().append(&entry).expect("entry");

    let out = env.cli(&["orders", "export", "ЗН-000777"]);
    assert_eq!(out.code, 0, "{out:?}");
    let name = format!(
        "ServiceBot-ЗН-000777-{}.html",
        Local::now().format("%Y-%m-%d")
    );
    assert_eq!(out.lines(), vec![folder.join(&name).display().to_string()]);
    let html = std::fs::read_to_string(folder.join(&name)).expect("the pack");
    assert!(
        html.contains(&format!("data-sha256=\"{sha}\"")),
        "the file's hash"
    );
    assert!(html.contains("certutil -hashfile"));

    std::fs::write(&photo, b"changed").expect("tamper");
    let chosen = env.base().join("pack.html");
    let out = env.cli(&[
        "orders",
        "export",
        "ЗН-000777",
        "--out",
        chosen.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(
        out.stdout.contains("1 of 1 files no longer match"),
        "{}",
        out.stdout
    );
    let html = std::fs::read_to_string(&chosen).expect("the pack");
    assert!(
        html.contains("data-check=\"changed\""),
        "the changed file flagged"
    );

    let missing = env.cli(&["orders", "export", "ЗН-404"]);
    assert_eq!(missing.code, 1, "{missing:?}");
}
