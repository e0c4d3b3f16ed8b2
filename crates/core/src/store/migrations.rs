//! Schema migrations. Applied migrations are never edited: a change is a new entry at the end.

use rusqlite_migration::{M, Migrations};

const V1_INITIAL: &str = r#"
CREATE TABLE users (
    telegram_id   INTEGER PRIMARY KEY,
    chat_id       INTEGER,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT,
    username      TEXT,
    display_name  TEXT,
    phone         TEXT,
    level         INTEGER NOT NULL DEFAULT 3 CHECK (level IN (1, 2, 3)),
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    blocked_bot   INTEGER NOT NULL DEFAULT 0 CHECK (blocked_bot IN (0, 1)),
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER
) STRICT;
CREATE INDEX users_by_phone ON users (phone);

CREATE TABLE staff_sessions (
    telegram_id      INTEGER PRIMARY KEY REFERENCES users (telegram_id),
    order_folder     TEXT,
    stage_folder     TEXT,
    card_message_id  INTEGER,
    updated_at       INTEGER NOT NULL
) STRICT;

CREATE TABLE orders_seen (
    folder         TEXT PRIMARY KEY,
    first_seen_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE media (
    id               INTEGER PRIMARY KEY,
    order_no         TEXT NOT NULL,
    order_folder     TEXT NOT NULL,
    stage_folder     TEXT NOT NULL,
    kind             TEXT NOT NULL,
    storage          TEXT NOT NULL,
    path             TEXT,
    spool_id         TEXT,
    size             INTEGER,
    sha256           TEXT,
    file_id          TEXT NOT NULL,
    file_unique_id   TEXT NOT NULL,
    author_id        INTEGER NOT NULL REFERENCES users (telegram_id),
    media_group_id   TEXT,
    caption          TEXT,
    relay            TEXT NOT NULL,
    created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX media_by_order ON media (order_no, created_at);
CREATE INDEX media_by_spool ON media (spool_id) WHERE spool_id IS NOT NULL;

CREATE TABLE transcript (
    id             INTEGER PRIMARY KEY,
    order_no       TEXT NOT NULL,
    order_folder   TEXT NOT NULL,
    at             INTEGER NOT NULL,
    direction      TEXT NOT NULL,
    author_id      INTEGER,
    kind           TEXT NOT NULL,
    text           TEXT,
    media_id       INTEGER REFERENCES media (id),
    delivery       TEXT NOT NULL,
    edit_of        INTEGER REFERENCES transcript (id),
    tg_chat_id     INTEGER,
    tg_message_id  INTEGER,
    source_key     TEXT UNIQUE
) STRICT;
CREATE INDEX transcript_by_order ON transcript (order_no, at, id);
CREATE INDEX transcript_by_message ON transcript (tg_chat_id, tg_message_id);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    chat_id          INTEGER NOT NULL,
    payload          TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending',
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    last_error       TEXT,
    transcript_id    INTEGER REFERENCES transcript (id),
    sent_message_id  INTEGER,
    created_at       INTEGER NOT NULL,
    finished_at      INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);

CREATE TABLE bot_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) STRICT;

CREATE TABLE invites (
    token       TEXT PRIMARY KEY,
    order_no    TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked     INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
) STRICT;
CREATE INDEX invites_by_order ON invites (order_no);

CREATE TABLE approval_requests (
    id            INTEGER PRIMARY KEY,
    order_no      TEXT NOT NULL,
    order_folder  TEXT NOT NULL,
    staff_id      INTEGER NOT NULL REFERENCES users (telegram_id),
    description   TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    closed_at     INTEGER
) STRICT;
CREATE INDEX approval_requests_by_order ON approval_requests (order_no);

CREATE TABLE approval_decisions (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES approval_requests (id),
    client_id   INTEGER NOT NULL REFERENCES users (telegram_id),
    phone       TEXT NOT NULL,
    decision    TEXT NOT NULL,
    decided_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX approval_decisions_by_request ON approval_decisions (request_id, decided_at);

CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor_id   INTEGER,
    channel    TEXT NOT NULL,
    action     TEXT NOT NULL,
    target_id  INTEGER,
    details    TEXT NOT NULL DEFAULT ''
) STRICT;
"#;

/// Button keys (callback data is a short key; what it does stays here) and the staff
/// member's "next text is a search" flag.
const V2_CALLBACK_KEYS: &str = r#"
CREATE TABLE callback_keys (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    payload     TEXT NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX callback_keys_by_chat ON callback_keys (chat_id, payload, created_at);
ALTER TABLE staff_sessions ADD COLUMN awaiting_search INTEGER NOT NULL DEFAULT 0;
"#;

/// Telegram update ids already handled, so a redelivered update (after a restart, before the
/// offset was confirmed) is not handled twice.
const V3_PROCESSED_UPDATES: &str = r#"
CREATE TABLE processed_updates (
    update_id     INTEGER PRIMARY KEY,
    processed_at  INTEGER NOT NULL
) STRICT;
"#;

/// What an admin's next text means (a search, a new display name), and which clients were told
/// they are connected to which order (so a phone file listing them later connects them once).
const V4_PENDING_INPUTS_AND_CLIENT_LINKS: &str = r#"
CREATE TABLE pending_inputs (
    telegram_id  INTEGER PRIMARY KEY REFERENCES users (telegram_id),
    kind         TEXT NOT NULL,
    target_id    INTEGER,
    created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE client_links (
    order_folder  TEXT NOT NULL,
    telegram_id   INTEGER NOT NULL REFERENCES users (telegram_id),
    order_no      TEXT NOT NULL,
    linked_at     INTEGER NOT NULL,
    PRIMARY KEY (order_folder, telegram_id)
) STRICT;
"#;

/// The desktop status page counts today's files and messages on every refresh.
const V5_ACTIVITY_BY_TIME: &str = r#"
CREATE INDEX media_by_time ON media (created_at);
CREATE INDEX transcript_by_time ON transcript (at, kind);
"#;

/// The durable pipeline (SPEC §6): every update is written to the inbox before the offset that
/// confirms it is sent; album items are collected here, not in memory; files are durable jobs
/// (a media row with storage 'pending' and its next attempt); outbox items run in lanes (one per
/// chat, in order) and may belong to a receipt that is edited when everything it reports ended.
const V6_DURABLE_PIPELINE: &str = r#"
CREATE TABLE inbox (
    seq             INTEGER PRIMARY KEY,
    update_id       INTEGER UNIQUE,
    kind            TEXT NOT NULL,
    media_group_id  TEXT,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending',
    received_at     INTEGER NOT NULL,
    done_at         INTEGER,
    error           TEXT
) STRICT;
CREATE INDEX inbox_pending ON inbox (state, seq);
CREATE INDEX inbox_by_album ON inbox (media_group_id, seq) WHERE media_group_id IS NOT NULL;

CREATE TABLE album_items (
    media_group_id  TEXT NOT NULL,
    message_id      INTEGER NOT NULL,
    chat_id         INTEGER NOT NULL,
    author_id       INTEGER NOT NULL REFERENCES users (telegram_id),
    item            TEXT NOT NULL,
    position        TEXT,
    added_at        INTEGER NOT NULL,
    PRIMARY KEY (media_group_id, message_id)
) STRICT;

CREATE TABLE receipts (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,
    outbox_id   INTEGER REFERENCES outbox (id),
    kind        TEXT NOT NULL,
    context     TEXT NOT NULL,
    finished    INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1)),
    created_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX receipts_open ON receipts (finished) WHERE finished = 0;

ALTER TABLE outbox ADD COLUMN lane INTEGER;
ALTER TABLE outbox ADD COLUMN receipt_id INTEGER REFERENCES receipts (id);
ALTER TABLE outbox ADD COLUMN reason TEXT;
CREATE INDEX outbox_pending_by_lane ON outbox (lane, id) WHERE state = 'pending';
CREATE INDEX outbox_by_receipt ON outbox (receipt_id) WHERE receipt_id IS NOT NULL;

ALTER TABLE media ADD COLUMN file_name TEXT;
ALTER TABLE media ADD COLUMN file_size INTEGER;
ALTER TABLE media ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE media ADD COLUMN next_attempt_at INTEGER;
ALTER TABLE media ADD COLUMN last_error TEXT;
ALTER TABLE media ADD COLUMN receipt_id INTEGER REFERENCES receipts (id);
ALTER TABLE media ADD COLUMN tg_chat_id INTEGER;
ALTER TABLE media ADD COLUMN tg_message_id INTEGER;
CREATE INDEX media_jobs ON media (next_attempt_at, id) WHERE storage = 'pending';
CREATE INDEX media_by_receipt ON media (receipt_id) WHERE receipt_id IS NOT NULL;
CREATE UNIQUE INDEX media_by_message ON media (tg_chat_id, tg_message_id)
    WHERE tg_message_id IS NOT NULL;
"#;

/// The level whose command menu each user's chat was last given, so a level changed by the
/// command line or the desktop app (another process) reaches the user's menu without a restart.
const V7_MENU_LEVEL: &str = r#"
ALTER TABLE users ADD COLUMN menu_level INTEGER;
"#;

/// Each outbox head is checked for being a receipt's own message (`pacing::priority`).
const V8_RECEIPT_BY_MESSAGE: &str = r#"
CREATE INDEX receipts_by_message ON receipts (outbox_id);
"#;

/// The desktop app's order page and evidence pack: the changes made to an order's people, and
/// a file's deliveries found from its receipt.
const V9_AUDIT_BY_TARGET: &str = r#"
CREATE INDEX audit_by_target ON audit_events (target_id, at);
"#;

/// How long a video, voice message, round video or audio plays, in seconds, as Telegram reported
/// it (the order's timeline and evidence pack show it). Empty for photos, documents and files
/// recorded before this column.
const V10_MEDIA_DURATION: &str = r#"
ALTER TABLE media ADD COLUMN duration_secs INTEGER;
"#;

pub(super) fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1_INITIAL),
        M::up(V2_CALLBACK_KEYS),
        M::up(V3_PROCESSED_UPDATES),
        M::up(V4_PENDING_INPUTS_AND_CLIENT_LINKS),
        M::up(V5_ACTIVITY_BY_TIME),
        M::up(V6_DURABLE_PIPELINE),
        M::up(V7_MENU_LEVEL),
        M::up(V8_RECEIPT_BY_MESSAGE),
        M::up(V9_AUDIT_BY_TARGET),
        M::up(V10_MEDIA_DURATION),
    ])
}
