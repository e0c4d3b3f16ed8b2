use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::*;

const TOKEN: &str = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";

fn no_env(_: &str) -> Option<String> {
    None
}

fn invalid_key(text: &str) -> String {
    match Config::parse(text) {
        Err(ConfigError::Invalid { key, .. }) => key,
        other => panic!("expected an Invalid error for {text:?}, got {other:?}"),
    }
}

#[test]
fn committed_defaults_file_equals_config_default() {
    // Protects the documentation: every default in config/defaults.toml is the real one.
    let parsed = Config::parse(DEFAULTS_TOML).expect("defaults.toml must parse");
    assert_eq!(parsed, Config::default());
}

#[test]
fn defaults_file_documents_every_key_that_serialises() {
    // A key added to the structs but not to defaults.toml would be undocumented.
    let serialised = Config::default().to_toml().expect("serialises");
    for line in serialised.lines() {
        if let Some((key, _)) = line.split_once(" = ") {
            let key = key.trim();
            assert!(
                DEFAULTS_TOML
                    .lines()
                    .any(|l| l.trim_start().starts_with(&format!("{key} ="))),
                "key `{key}` missing from config/defaults.toml"
            );
        }
    }
}

#[test]
fn unanswered_alerts_default_to_15_minutes_and_0_turns_them_off() {
    assert_eq!(Config::default().notify.unanswered_minutes, 15);
    let off = Config::parse("[notify]\nunanswered_minutes = 0\n").expect("0 is allowed");
    assert_eq!(off.notify.unanswered_minutes, 0);
    let err = Config::parse("[notify]\nunanswered = 5\n").expect_err("typo must fail");
    assert!(err.to_string().contains("unanswered"), "{err}");
}

#[test]
fn unknown_keys_are_errors_naming_the_key() {
    let err = Config::parse("[orders]\nrot = \"D:/Photo\"\n").expect_err("typo must fail");
    assert!(
        err.to_string().contains("rot"),
        "error must name the key: {err}"
    );
    let err = Config::parse("[telegrm]\n").expect_err("unknown table must fail");
    assert!(
        err.to_string().contains("telegrm"),
        "error must name the table: {err}"
    );
}

#[test]
fn a_minimal_file_gets_all_defaults() {
    let config = Config::parse("[organization]\nname = \"Автоцентр\"\n").expect("valid");
    assert_eq!(config.organization.name, "Автоцентр");
    assert_eq!(config.stages, Config::default().stages);
    assert_eq!(config.orders.closed_keyword, "closed");
}

#[test]
fn validation_names_the_offending_key() {
    let stage = |folder: &str, visible: bool| {
        format!("[[stages]]\ntitle = \"t\"\nfolder = \"{folder}\"\nclient_visible = {visible}\n")
    };
    let cases: Vec<(String, &str)> =
        vec![
        ("[telegram]\ntoken = \"nonsense\"\n".into(), "telegram.token"),
        ("[telegram]\napi_url = \"ftp://x\"\n".into(), "telegram.api_url"),
        ("[orders]\nclosed_keyword = \" _ \"\n".into(), "orders.closed_keyword"),
        ("[orders]\nphone_file = \"a/b.txt\"\n".into(), "orders.phone_file"),
        ("[orders]\nrescan_seconds = 0\n".into(), "orders.rescan_seconds"),
        ("[organization]\nlanguage = \"de\"\n".into(), "organization.language"),
        ("[phone]\ndefault_country_code = \"+7\"\n".into(), "phone.default_country_code"),
        ("stages = []\n".into(), "stages"),
        (stage("", true), "stages[0].folder"),
        (stage("CON", true), "stages[0].folder"),
        (stage("a:b", true), "stages[0].folder"),
        (stage("FromClient", true), "stages[0].folder"),
        (format!("{}{}", stage("Other", true), stage("other", true)), "stages[1].folder"),
        (stage("Service", false), "stages"),
        (
            "[[stages]]\ntitle = \" \"\nfolder = \"A\"\nclient_visible = true\n".into(),
            "stages[0].title",
        ),
        (
            "[[stages]]\ntitle = \"t\"\nfolder = \"A\"\nclient_visible = false\napproval = true\n"
                .into(),
            "stages[0].approval",
        ),
    ];
    for (text, key) in cases {
        assert_eq!(invalid_key(&text), key, "for config:\n{text}");
    }
}

#[test]
fn token_never_prints_itself() {
    let mut config = Config::default();
    config.telegram.token = BotToken::new(TOKEN);
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("AAHdqTcv"),
        "Debug leaked the token: {debug}"
    );
    let display = config.telegram.token.to_string();
    assert_eq!(display, "123456789:••••");
    assert_eq!(config.telegram.token.expose(), TOKEN);
    assert_eq!(format!("{:?}", BotToken::default()), "BotToken(unset)");
    assert_eq!(
        config.telegram.token.hint(),
        "••saw1",
        "the settings page's hint"
    );
    assert_eq!(BotToken::default().hint(), "", "no hint when unset");
}

#[test]
fn env_overrides_token_root_and_data_dir() {
    let env: HashMap<&str, &str> = HashMap::from([
        (ENV_TOKEN, TOKEN),
        (ENV_ORDERS_ROOT, "/srv/photo"),
        (ENV_DATA_DIR, "  "),
    ]);
    let mut config = Config::default();
    apply_env_overrides(&mut config, &|name| env.get(name).map(|v| (*v).to_owned()));
    assert_eq!(config.telegram.token.expose(), TOKEN);
    assert_eq!(config.orders.root, PathBuf::from("/srv/photo"));
    assert_eq!(
        config.storage.data_dir,
        PathBuf::new(),
        "blank values must not override"
    );
}

#[test]
fn load_resolves_relative_paths_and_save_round_trips() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "\u{feff}[orders]\nroot = \"orders\"\n[storage]\ndata_dir = \"data\"\n",
    )
    .expect("write");
    let mut config = load(&path, &no_env).expect("loads");
    assert_eq!(config.orders.root, dir.path().join("orders"));
    assert_eq!(config.storage.data_dir, dir.path().join("data"));

    config.organization.name = "ООО \"Ромашка\"".to_owned();
    save(&path, &config).expect("saves");
    let reloaded = load(&path, &no_env).expect("reloads");
    assert_eq!(reloaded, config);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "atomic save must not leave temp files"
    );
}

#[test]
fn save_refuses_an_invalid_config_and_keeps_the_old_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    save(&path, &Config::default()).expect("saves defaults");
    let before = std::fs::read_to_string(&path).expect("read");
    let mut bad = Config::default();
    bad.stages.clear();
    assert!(save(&path, &bad).is_err());
    assert_eq!(std::fs::read_to_string(&path).expect("read"), before);
}

#[test]
fn missing_file_error_names_the_path() {
    let err = load(Path::new("/nonexistent/servicebot.toml"), &no_env).expect_err("missing");
    assert!(
        err.to_string().contains("/nonexistent/servicebot.toml"),
        "{err}"
    );
}

#[test]
fn every_problem_is_reported_at_once_with_its_key() {
    // The settings window shows each error next to its field: all must be found, not the first.
    let mut config = Config::default();
    config.telegram.token = BotToken::new("12345");
    config.telegram.api_url = "ftp://example".to_owned();
    config.orders.closed_keyword = " - ".to_owned();
    config.orders.phone_file = "CON".to_owned();
    config.orders.rescan_seconds = 0;
    config.organization.language = "de".to_owned();
    config.phone.default_country_code = "+7".to_owned();
    config.stages[0].title = " ".to_owned();
    config.stages[1].title = "я".repeat(STAGE_TITLE_MAX + 1);
    config.stages[1].folder = "a:b".to_owned();
    config.stages[2].folder = "fromclient".to_owned();
    config.stages[3].folder = config.stages[0].folder.to_uppercase();
    config.stages[3].client_visible = false;
    config.stages[3].approval = true;
    let found: Vec<(String, &str)> = problems(&config)
        .into_iter()
        .map(|p| (p.key, p.problem.code()))
        .collect();
    let expected = [
        ("telegram.token", "token_malformed"),
        ("telegram.api_url", "api_url_scheme"),
        ("orders.closed_keyword", "empty"),
        ("orders.phone_file", "name_reserved"),
        ("orders.rescan_seconds", "zero_seconds"),
        ("organization.language", "unknown_language"),
        ("phone.default_country_code", "country_code"),
        ("stages[0].title", "empty"),
        ("stages[1].title", "title_too_long"),
        ("stages[1].folder", "name_forbidden_character"),
        ("stages[2].folder", "folder_reserved"),
        ("stages[3].folder", "folder_duplicate"),
        ("stages[3].approval", "approval_needs_visible"),
    ];
    let expected: Vec<(String, &str)> = expected
        .iter()
        .map(|(key, code)| ((*key).to_owned(), *code))
        .collect();
    assert_eq!(found, expected);
    assert!(
        problems(&Config::default()).is_empty(),
        "the defaults are valid"
    );
}

#[test]
fn stages_as_a_whole_need_one_and_one_visible_to_clients() {
    let mut config = Config::default();
    for stage in &mut config.stages {
        stage.client_visible = false;
        stage.approval = false;
    }
    let codes: Vec<&str> = problems(&config).iter().map(|p| p.problem.code()).collect();
    assert_eq!(codes, ["no_visible_stage"]);
    config.stages.clear();
    let codes: Vec<&str> = problems(&config).iter().map(|p| p.problem.code()).collect();
    assert_eq!(codes, ["no_stages"]);
}

#[test]
fn a_syntax_error_names_the_place_but_never_quotes_the_token() {
    // Hand edits happen; the error reaches the window's details and the command line.
    let text = format!("[telegram]\ntoken = {TOKEN}\n");
    let error = Config::parse(&text).expect_err("unquoted").to_string();
    assert!(!error.contains("AAHdqTcv"), "the token leaked: {error}");
    assert!(error.contains("line 2"), "{error}");
}
