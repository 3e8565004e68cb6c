package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"sync"

	"citebot/retrieval"
)

// termCache keeps what searches ask the index about words between one
// question and the next: how many paragraphs hold a term, which indexed
// terms are near a misspelling, and the paths of the documents that
// candidates come from. A question's words repeat across questions, and
// the near-spelling scan of the vocabulary is the dearest of those
// look-ups.
//
// Another process may reload the same index file (a second shard, a
// `citebot index`), so the cache cannot trust its own reloads to tell it
// of changes. Before each use it asks SQLite, on a connection of its own,
// whether anything was committed since it last looked (PRAGMA
// data_version, a read of shared memory, no disk), and only then reads
// the index's generation: a token every reload that changes the index
// writes anew. Writes that leave the terms alone (conversations) do not
// empty the cache.
type termCache struct {
	db *sql.DB

	mu      sync.Mutex
	conn    *sql.Conn // holds data_version's baseline; nil until first use
	version int64     // data_version when last checked
	gen     string    // the generation the entries belong to
	total   int       // paragraphs in the index
	docs    map[string]int
	near    map[string][]retrieval.VocabTerm
	nearLen int              // terms held in near, all entries together
	paths   map[int64]string // documents' paths by id
}

// maxCachedStats bounds the cache of a long-running process, in terms
// (about 40 bytes each): past it, the cache starts over. Near spellings
// count every term listed, as one misspelling's list can hold hundreds
// (446 at most on a 1M-paragraph index).
const maxCachedStats = 100_000

// errCacheClosed is returned by a cache whose DB is closed.
var errCacheClosed = errors.New("index closed")

// current brings the cache in line with the index, emptying it if the
// index changed since it was filled. It is called with mu held.
func (c *termCache) current(ctx context.Context) error {
	if c.db == nil {
		return errCacheClosed
	}
	if c.conn == nil {
		conn, err := c.db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("term cache: %w", translate(err))
		}
		c.conn, c.version = conn, -1
	}
	var v int64
	if err := c.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		if ctx.Err() == nil { // a search given up is not the cache's fault
			c.reset()
		}
		return fmt.Errorf("term cache: %w", translate(err))
	}
	if v == c.version {
		return nil
	}
	gen, total, err := readGeneration(ctx, c.conn)
	if err != nil {
		if ctx.Err() == nil {
			c.reset()
		}
		return fmt.Errorf("term cache: %w", err)
	}
	if gen != c.gen || total != c.total || gen == "" {
		c.docs, c.near, c.nearLen, c.paths = nil, nil, 0, nil
	}
	c.version, c.gen, c.total = v, gen, total
	return nil
}

// reset drops the connection and the entries, after an error: the next
// use starts afresh.
func (c *termCache) reset() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
	c.docs, c.near, c.nearLen, c.paths, c.gen = nil, nil, 0, nil, ""
}

// close releases the cache's connection.
func (c *termCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset()
	c.db = nil
}

// readGeneration reads the index's generation and paragraph count in one
// read transaction, so that they belong together.
func readGeneration(ctx context.Context, conn *sql.Conn) (gen string, total int, err error) {
	rows, err := conn.QueryContext(ctx, "SELECT key, value FROM meta WHERE key IN ('generation', 'paragraphs')")
	if err != nil {
		return "", 0, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return "", 0, err
		}
		switch k {
		case "generation":
			gen = v
		case "paragraphs":
			if total, err = strconv.Atoi(v); err != nil {
				return "", 0, fmt.Errorf("paragraph count %q: %w", v, err)
			}
		}
	}
	return gen, total, translate(rows.Err())
}

// newGeneration is a token that no other state of any index shares.
func newGeneration() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// docFreqs answers from the cache what it can and asks lookup for the
// rest, remembering the answers (absent terms as 0). The look-up runs
// without the lock, so that searches do not queue behind each other's
// misses.
func (c *termCache) docFreqs(ctx context.Context, terms []string, lookup func([]string) (map[string]int, error)) (map[string]int, int, error) {
	c.mu.Lock()
	if err := c.current(ctx); err != nil {
		c.mu.Unlock()
		return nil, 0, err
	}
	gen, total := c.gen, c.total
	freqs := make(map[string]int, len(terms))
	var missing []string
	for _, t := range terms {
		if n, ok := c.docs[t]; ok {
			freqs[t] = n
		} else {
			missing = append(missing, t)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return freqs, total, nil
	}
	found, err := lookup(missing)
	if err != nil {
		return nil, 0, err
	}
	for _, t := range missing {
		freqs[t] = found[t]
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen && gen != "" {
		if c.docs == nil || len(c.docs) > maxCachedStats {
			c.docs = make(map[string]int)
		}
		for _, t := range missing {
			c.docs[t] = found[t]
		}
	}
	return freqs, total, nil
}

// termsNear is docFreqs for near spellings. The caller owns the slice.
func (c *termCache) termsNear(ctx context.Context, term string, lookup func() ([]retrieval.VocabTerm, error)) ([]retrieval.VocabTerm, error) {
	c.mu.Lock()
	if err := c.current(ctx); err != nil {
		c.mu.Unlock()
		return nil, err
	}
	gen := c.gen
	near, ok := c.near[term]
	c.mu.Unlock()
	if ok {
		return slices.Clone(near), nil
	}
	near, err := lookup()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen && gen != "" {
		if c.near == nil || c.nearLen+len(near) > maxCachedStats {
			c.near, c.nearLen = make(map[string][]retrieval.VocabTerm), 0
		}
		c.near[term] = slices.Clone(near)
		c.nearLen += len(near) + 1
	}
	return near, nil
}

// docPaths returns the paths of documents ids, from the cache or through
// lookup. A document's id names another document after a reload that
// removed it: the cache is emptied with the generation, and a search that
// read its candidates before the reload and their paths after finds the
// mismatch when it reads the passages (retrieval starts over).
func (c *termCache) docPaths(ctx context.Context, ids []int64, lookup func(context.Context, []int64) (map[int64]string, error)) (map[int64]string, error) {
	c.mu.Lock()
	if err := c.current(ctx); err != nil {
		c.mu.Unlock()
		return nil, err
	}
	gen := c.gen
	out := make(map[int64]string, len(ids))
	var missing []int64
	for _, id := range ids {
		if p, ok := c.paths[id]; ok {
			out[id] = p
		} else if !slices.Contains(missing, id) {
			missing = append(missing, id)
		}
	}
	c.mu.Unlock()
	if len(missing) == 0 {
		return out, nil
	}
	found, err := lookup(ctx, missing)
	if err != nil {
		return nil, err
	}
	maps.Copy(out, found)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen && gen != "" {
		if c.paths == nil || len(c.paths) > maxCachedStats {
			c.paths = make(map[int64]string)
		}
		maps.Copy(c.paths, found)
	}
	return out, nil
}
