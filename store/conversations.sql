-- Conversations: the last turns of each, and which Discord message or
-- thread continues which. They are not derived from the corpus, so an
-- index rebuilt (a new schema version, index --rebuild) keeps them: these
-- tables are created if missing and never dropped with the index's.
CREATE TABLE IF NOT EXISTS conversation_turns (
	conversation TEXT NOT NULL,
	n            INTEGER NOT NULL, -- the turn's number, from 1
	at_ns        INTEGER NOT NULL,
	question     TEXT NOT NULL,
	understood   TEXT NOT NULL DEFAULT '',
	answer       TEXT NOT NULL,
	cited        TEXT NOT NULL DEFAULT '[]', -- JSON [{"file":…,"paragraph":…}]
	PRIMARY KEY (conversation, n)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS conversation_turns_at ON conversation_turns (at_ns);

CREATE TABLE IF NOT EXISTS conversation_links (
	key          TEXT PRIMARY KEY, -- a bot message's id, or a thread's
	conversation TEXT NOT NULL,
	at_ns        INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS conversation_links_at ON conversation_links (at_ns);
