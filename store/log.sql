-- The question log: a file of its own beside the index, so that
-- rebuilding the index (index --rebuild, a new schema version) never
-- loses it. Times are Unix milliseconds.
CREATE TABLE IF NOT EXISTS log_meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS questions (
    ref        TEXT PRIMARY KEY,
    at         INTEGER NOT NULL,
    surface    TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    user_hash  TEXT NOT NULL DEFAULT '',
    guild_id   TEXT NOT NULL DEFAULT '',
    channel_id TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL DEFAULT '',
    text       TEXT NOT NULL,
    lang       TEXT NOT NULL DEFAULT '',
    mode       TEXT NOT NULL DEFAULT '',
    grounded   INTEGER NOT NULL DEFAULT 0,
    fallback   INTEGER NOT NULL DEFAULT 0,
    cited      TEXT NOT NULL DEFAULT '[]', -- JSON: [{"file": …, "paragraph": N}]
    latency_us INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS questions_at ON questions (at);
CREATE INDEX IF NOT EXISTS questions_message ON questions (message_id) WHERE message_id <> '';

-- One vote per user per answer; a new one replaces it.
CREATE TABLE IF NOT EXISTS votes (
    ref       TEXT NOT NULL REFERENCES questions (ref) ON DELETE CASCADE,
    user_hash TEXT NOT NULL,
    value     INTEGER NOT NULL CHECK (value IN (-1, 1)),
    at        INTEGER NOT NULL,
    PRIMARY KEY (ref, user_hash)
) WITHOUT ROWID;
