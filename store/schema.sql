-- citebot index, schema version 10 (conversations.sql holds the tables kept across rebuilds). The index is derived from the corpus:
-- a database of another version is rebuilt, never migrated in place.
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE documents (
	id         INTEGER PRIMARY KEY,
	path       TEXT NOT NULL UNIQUE, -- relative to the corpus folder, slash-separated
	-- What a citation shows of the article: its title (stated, or made
	-- from its opening sentence), publication date (YYYY-MM-DD when it
	-- reads as one), source and address; '' when unknown. title_key is
	-- the title folded (lower case, no accents) for /source's lookup.
	title      TEXT NOT NULL DEFAULT '',
	title_key  TEXT NOT NULL DEFAULT '',
	date       TEXT NOT NULL DEFAULT '',
	source     TEXT NOT NULL DEFAULT '',
	url        TEXT NOT NULL DEFAULT '',
	sha256     TEXT NOT NULL,
	size       INTEGER NOT NULL,
	mtime_ns   INTEGER NOT NULL DEFAULT 0, -- 0 when unknown (embedded corpus) or too recent to trust
	indexed_at TEXT NOT NULL
);

CREATE TABLE paragraphs (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
	n           INTEGER NOT NULL, -- ¶N, from 1
	line_start  INTEGER NOT NULL,
	line_end    INTEGER NOT NULL,
	text        TEXT NOT NULL,
	UNIQUE (document_id, n)
);

-- Analysed text: stems separated by spaces. A stem holds only letters,
-- digits and marks, so the ascii tokenizer (which splits on ASCII
-- punctuation and space only) keeps every stem one token, whatever
-- Unicode version SQLite's tables know, and is faster than unicode61.
-- detail stays full: with detail=column bm25() re-tokenizes each matching
-- row, and ranking at 1M paragraphs was 5x slower (bench/NOTES.md).
-- rowid is paragraphs.id; doc and n repeat paragraphs.document_id and
-- paragraphs.n, unindexed, so that ranking reads candidates from this
-- table alone, without joining them (0.2-0.5 ms of a search).
CREATE VIRTUAL TABLE paragraphs_fts USING fts5(title, body, doc UNINDEXED, n UNINDEXED, tokenize = 'ascii');
INSERT INTO paragraphs_fts (paragraphs_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0)');

-- How many paragraphs hold each term: IDF weights and spelling tolerance
-- without reading FTS5 doclists at query time.
CREATE TABLE terms (
	term TEXT PRIMARY KEY,
	docs INTEGER NOT NULL
) WITHOUT ROWID;

-- The corpus folders as the last reload saw them: a question compares
-- their modification times (a file added, removed or renamed changes its
-- folder's) instead of reading every file's. mtime_ns is 0 when unknown
-- or too recent to trust; then names, the hash of the entries' names,
-- decides. path "." is the corpus folder itself.
CREATE TABLE folders (
	path     TEXT PRIMARY KEY,
	mtime_ns INTEGER NOT NULL,
	names    TEXT NOT NULL
) WITHOUT ROWID;

-- Files read and found not indexable for what they hold (binary, too
-- large, no text): not read again while their size and modification
-- time stay the same.
CREATE TABLE skipped (
	path     TEXT PRIMARY KEY,
	size     INTEGER NOT NULL,
	mtime_ns INTEGER NOT NULL,
	reason   TEXT NOT NULL
) WITHOUT ROWID;
