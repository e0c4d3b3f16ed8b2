//! The order index kept current by the watcher on a real folder.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use servicebot_core::orders::scan::MemoryLedger;
use servicebot_core::orders::watch::WatchSettings;
use servicebot_core::orders::{IndexWatcher, OrderIndex, RootState};
use servicebot_tests::{TestEnv, wait_for};

const TIMEOUT: Duration = Duration::from_secs(10);

fn start(env: &TestEnv, rescan_every: Duration) -> (Arc<RwLock<OrderIndex>>, IndexWatcher) {
    let index = Arc::new(RwLock::new(OrderIndex::new()));
    let settings = WatchSettings {
        root: env.root.clone(),
        closed_keyword: "closed".into(),
        rescan_every,
    };
    let watcher = IndexWatcher::start(
        Arc::clone(&index),
        settings,
        Box::new(MemoryLedger::default()),
    )
    .expect("start");
    (index, watcher)
}

fn has(index: &RwLock<OrderIndex>, folder: &str) -> bool {
    index.read().expect("lock").get(folder).is_some()
}

#[test]
fn new_renamed_and_closed_folders_are_seen_without_waiting_for_a_rescan() {
    let env = TestEnv::new();
    env.order("ЗН-1");
    // An hour between rescans: only the file system watcher can make these pass.
    let (index, watcher) = start(&env, Duration::from_secs(3600));
    assert!(wait_for(TIMEOUT, || has(&index, "ЗН-1")), "initial scan");

    env.order("ЗН-2 А123ВС77");
    assert!(
        wait_for(TIMEOUT, || has(&index, "ЗН-2 А123ВС77")),
        "a new folder appears"
    );

    std::fs::rename(env.root.join("ЗН-1"), env.root.join("ЗН-1 closed")).expect("close");
    assert!(
        wait_for(TIMEOUT, || !has(&index, "ЗН-1")),
        "a closed order disappears"
    );
    assert!(!has(&index, "ЗН-1 closed"));

    std::fs::rename(env.root.join("ЗН-2 А123ВС77"), env.base().join("archived")).expect("move out");
    assert!(
        wait_for(TIMEOUT, || !has(&index, "ЗН-2 А123ВС77")),
        "a moved-out order disappears"
    );
    watcher.stop();
}

#[test]
fn periodic_rescan_finds_what_the_watcher_missed() {
    let env = TestEnv::new();
    let (index, watcher) = start(&env, Duration::from_millis(300));
    assert!(wait_for(TIMEOUT, || matches!(
        index.read().expect("lock").state(),
        RootState::Ready { .. }
    )));
    watcher.stop();
    // Stopped: nothing updates the index now.
    env.order("ЗН-9");
    std::thread::sleep(Duration::from_millis(500));
    assert!(!has(&index, "ЗН-9"));
    let (index, watcher) = start(&env, Duration::from_millis(300));
    assert!(wait_for(TIMEOUT, || has(&index, "ЗН-9")));
    watcher.stop();
}

#[test]
fn a_vanished_root_is_reported_and_recovers_when_it_returns() {
    let env = TestEnv::new();
    env.order("ЗН-1");
    let (index, watcher) = start(&env, Duration::from_secs(1));
    assert!(wait_for(TIMEOUT, || has(&index, "ЗН-1")));

    let away = env.base().join("Photo-away");
    std::fs::rename(&env.root, &away).expect("unplug the share");
    assert!(
        wait_for(TIMEOUT, || matches!(
            index.read().expect("lock").state(),
            RootState::Unreachable { .. }
        )),
        "an unreachable root is a reported state"
    );
    let RootState::Unreachable { reason, .. } = index.read().expect("lock").state().clone() else {
        unreachable!()
    };
    assert!(
        reason.contains("Photo"),
        "the reason names the folder: {reason}"
    );
    assert!(has(&index, "ЗН-1"), "the last known orders are kept");

    std::fs::rename(&away, &env.root).expect("plug it back");
    env.order("ЗН-2");
    assert!(
        wait_for(TIMEOUT, || has(&index, "ЗН-2")
            && matches!(
                index.read().expect("lock").state(),
                RootState::Ready { .. }
            )),
        "the index recovers when the root returns"
    );
    watcher.stop();
}
