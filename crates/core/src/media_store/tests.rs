use std::io::{self, Read};
use std::path::Path;

use super::*;

fn target(order: &str, stage: &str, name: &str) -> Target {
    Target {
        order_folder: order.into(),
        stage_folder: stage.into(),
        file_name: name.into(),
    }
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|listing| {
            listing
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

struct Setup {
    _dir: tempfile::TempDir,
    root: std::path::PathBuf,
    spool: std::path::PathBuf,
    store: MediaStore,
}

fn setup(orders: &[&str]) -> Setup {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("orders");
    for order in orders {
        std::fs::create_dir_all(root.join(order)).expect("order folder");
    }
    let spool = dir.path().join("data").join("spool");
    let store = MediaStore::new(&root, &spool);
    Setup {
        _dir: dir,
        root,
        spool,
        store,
    }
}

const ORDER: &str = "ЗН-1 \"Иванов, И.\" А123ВС77";

#[test]
fn saves_into_the_stage_folder_with_hash_and_no_leftovers() {
    let s = setup(&[ORDER]);
    let saved = s
        .store
        .save(&target(ORDER, "Inspection", "a.jpg"), &mut &b"hello"[..])
        .expect("saves");
    let Saved::Stored { path, size, sha256 } = saved else {
        panic!("expected Stored, got {saved:?}")
    };
    assert_eq!(path, s.root.join(ORDER).join("Inspection").join("a.jpg"));
    assert_eq!(std::fs::read(&path).expect("read"), b"hello");
    assert_eq!(size, 5);
    assert_eq!(
        sha256,
        "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    );
    assert_eq!(
        files_in(&s.root.join(ORDER).join("Inspection")),
        ["a.jpg"],
        "no temp files left"
    );
    assert!(
        files_in(&s.spool).is_empty(),
        "spool is emptied once the file is placed"
    );
}

#[test]
fn never_overwrites_a_clash_gets_a_suffix() {
    let s = setup(&[ORDER]);
    for content in [&b"one"[..], b"two", b"three"] {
        s.store
            .save(&target(ORDER, "Other", "a.jpg"), &mut &content[..])
            .expect("saves");
    }
    let dir = s.root.join(ORDER).join("Other");
    assert_eq!(files_in(&dir), ["a (1).jpg", "a (2).jpg", "a.jpg"]);
    assert_eq!(
        std::fs::read(dir.join("a.jpg")).expect("read"),
        b"one",
        "the first file is untouched"
    );
}

#[test]
fn saving_the_same_file_again_under_its_name_keeps_one_copy() {
    // A save resumed after a crash (placed, not yet recorded) must not make a second copy.
    let s = setup(&[ORDER]);
    let first = s
        .store
        .save(&target(ORDER, "Other", "a.jpg"), &mut &b"same"[..])
        .expect("saves");
    s.store
        .save(&target(ORDER, "Other", "a.jpg"), &mut &b"different"[..])
        .expect("saves");
    let again = s
        .store
        .save(&target(ORDER, "Other", "a.jpg"), &mut &b"same"[..])
        .expect("saves again");
    let dir = s.root.join(ORDER).join("Other");
    assert_eq!(files_in(&dir), ["a (1).jpg", "a.jpg"]);
    let (Saved::Stored { path: a, .. }, Saved::Stored { path: b, .. }) = (first, again) else {
        panic!("both stored")
    };
    assert_eq!(a, b, "the second save reports the first one's file");
}

#[test]
fn hostile_targets_are_refused_before_anything_is_written() {
    let s = setup(&[ORDER]);
    let cases = [
        target("../x", "Other", "a.jpg"),
        target(ORDER, "a/b", "a.jpg"),
        target(ORDER, "..", "a.jpg"),
        target(ORDER, "Other", "..\\evil.exe"),
        target(ORDER, "Other", ""),
        target("", "Other", "a.jpg"),
        target(ORDER, "Oth\ner", "a.jpg"),
    ];
    for case in cases {
        let result = s.store.save(&case, &mut &b"x"[..]);
        assert!(
            matches!(result, Err(MediaStoreError::InvalidTarget { .. })),
            "{case:?} gave {result:?}"
        );
    }
    assert!(files_in(&s.spool).is_empty());
    assert_eq!(files_in(&s.root), [ORDER]);
}

#[test]
fn unreachable_root_spools_and_drains_when_back() {
    let s = setup(&[]);
    let saved = s
        .store
        .save(&target(ORDER, "Inspection", "a.jpg"), &mut &b"held"[..])
        .expect("spools");
    let Saved::Spooled {
        spool_id,
        reason,
        size,
        ..
    } = saved
    else {
        panic!("expected Spooled, got {saved:?}")
    };
    assert!(reason.contains("unreachable"), "{reason}");
    assert_eq!(size, 4);
    assert_eq!(s.store.spooled().expect("list").len(), 1);

    // Still unreachable: drain keeps it.
    let drained = s.store.drain_spool().expect("drain");
    assert!(matches!(&drained[..], [Drained::StillHeld { spool_id: id, .. }] if *id == spool_id));

    std::fs::create_dir_all(s.root.join(ORDER)).expect("root is back");
    let drained = s.store.drain_spool().expect("drain");
    let [
        Drained::Placed {
            spool_id: placed_id,
            path,
        },
    ] = &drained[..]
    else {
        panic!("expected one placed, got {drained:?}")
    };
    assert_eq!(placed_id, &spool_id);
    assert_eq!(std::fs::read(path).expect("read"), b"held");
    assert!(s.store.spooled().expect("list").is_empty());
}

#[test]
fn missing_order_folder_is_never_recreated() {
    let s = setup(&["other order"]);
    let saved = s
        .store
        .save(&target(ORDER, "Inspection", "a.jpg"), &mut &b"x"[..])
        .expect("spools");
    assert!(
        matches!(&saved, Saved::Spooled { reason, .. } if reason.contains("no longer exists")),
        "{saved:?}"
    );
    assert!(
        !s.root.join(ORDER).exists(),
        "a moved or closed order must not be resurrected"
    );
}

#[test]
fn unwritable_order_folder_keeps_the_file_in_the_spool() {
    let s = setup(&[ORDER]);
    let order_dir = s.root.join(ORDER);
    make_unwritable(&order_dir);
    let saved = s
        .store
        .save(&target(ORDER, "Inspection", "a.jpg"), &mut &b"x"[..])
        .expect("spools");
    assert!(
        matches!(&saved, Saved::Spooled { reason, .. } if reason.contains("cannot write")),
        "{saved:?}"
    );
    assert_eq!(s.store.spooled().expect("list").len(), 1, "nothing is lost");
    restore_writable(&order_dir);
}

/// Makes `dir` refuse new entries. Permission bits do not stop root (CI runs as root), so the
/// stage folder's name is also taken by a plain file, which no user can create a folder over.
fn make_unwritable(dir: &Path) {
    std::fs::write(dir.join("Inspection"), b"not a folder").expect("blocker file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    }
}

fn restore_writable(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let _ = dir;
}

struct FailingReader;

impl Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::new(
            io::ErrorKind::ConnectionReset,
            "download broke",
        ))
    }
}

#[test]
fn a_broken_source_saves_nothing_and_says_so() {
    let s = setup(&[ORDER]);
    let result = s
        .store
        .save(&target(ORDER, "Inspection", "a.jpg"), &mut FailingReader);
    assert!(
        matches!(result, Err(MediaStoreError::Read(_))),
        "{result:?}"
    );
    assert!(files_in(&s.spool).is_empty(), "no half-written spool entry");
    assert!(!s.root.join(ORDER).join("Inspection").exists());
}

#[test]
fn save_from_path_copies_a_local_file() {
    let s = setup(&[ORDER]);
    let source = s
        .root
        .parent()
        .expect("parent")
        .join("local-bot-api-file.mp4");
    std::fs::write(&source, vec![7u8; 300_000]).expect("source");
    let saved = s
        .store
        .save_from_path(&target(ORDER, "Other", "v.mp4"), &source)
        .expect("saves");
    assert_eq!(saved.size(), 300_000);
    assert!(
        source.exists(),
        "the Bot API server's file is copied, not moved"
    );
}
