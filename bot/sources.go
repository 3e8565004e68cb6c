package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"citebot/retrieval"
)

// The "Show sources" button of an answer names the paragraphs the answer
// cites in its custom_id, which only citebot writes: never in the
// message's text, which a model or an article could fill with a Sources
// list of its own. When the paragraphs do not fit in a custom_id (100
// characters), it names an entry that the bot keeps in memory and, with
// a conversations' store, in the index file, so that another process or
// a restarted one finds it; without a store such a button stops working
// when the bot restarts, and says so.

// ref names a paragraph.
type ref struct {
	N    int // label in the answer, 0 if none
	File string
	Para int
}

// refsOf are the paragraphs an answer's citations stand for.
func refsOf(cs []retrieval.Citation) []ref {
	out := make([]ref, 0, len(cs))
	for _, c := range cs {
		out = append(out, ref{N: c.N, File: c.Passage.File, Para: c.Passage.Paragraph})
	}
	return out
}

const (
	maxCustomID   = 100
	inlinePrefix  = customSources + ":" // then N:P:file|N:P:file…
	keyPrefix     = customSources + "#" // then a key into cited
	refSep        = "|"
	maxRemembered = 5000
)

// isSourcesButton reports whether a component's custom_id is a "Show
// sources" button, of this version of citebot or an older one.
func isSourcesButton(id string) bool {
	return id == customSources || strings.HasPrefix(id, inlinePrefix) || strings.HasPrefix(id, keyPrefix)
}

// cited remembers the citations of recent answers whose button could
// not hold them, the oldest forgotten first. With links (the
// conversations' store, in the index file) it also writes them there, so
// that the button keeps working after a restart and from any process.
type cited struct {
	links Links // nil: memory only

	mu    sync.Mutex
	next  uint64
	refs  map[string][]ref
	order []string
}

func newCited(links Links) *cited { return &cited{links: links, refs: make(map[string][]ref)} }

// rememberBudget bounds the wait to store what an answer leaves behind:
// its button's citations, its conversation's links.
const rememberBudget = 2 * time.Second

// storedPrefix marks the buttons' entries among the store's links.
const storedPrefix = "sources#"

// buttonID is the custom_id of a button showing refs. A failure to store
// them is returned with a working id: the button then works until the
// bot restarts.
func (c *cited) buttonID(ctx context.Context, refs []ref) (string, error) {
	if id, ok := inlineID(refs); ok {
		return id, nil
	}
	c.mu.Lock()
	c.next++
	// Stored keys outlive the process: 64 random bits keep another
	// process's, or an earlier run's, apart.
	key := strconv.FormatUint(c.next, 36) + "." + newRef() + newRef()
	c.refs[key] = refs
	c.order = append(c.order, key)
	if len(c.order) > maxRemembered {
		delete(c.refs, c.order[0])
		c.order = c.order[1:]
	}
	c.mu.Unlock()
	var err error
	if c.links != nil {
		b, _ := json.Marshal(refs)
		if err = c.links.Link(ctx, storedPrefix+key, string(b)); err != nil {
			err = fmt.Errorf("remember sources: %w", err)
		}
	}
	return keyPrefix + key, err
}

// lookup returns the paragraphs a button's custom_id names; ok is false
// if they are unknown (an older button, one forgotten, or one from before
// a restart without a store).
func (c *cited) lookup(ctx context.Context, id string) (refs []ref, ok bool) {
	key, found := strings.CutPrefix(id, keyPrefix)
	if !found {
		return parseInlineID(id)
	}
	c.mu.Lock()
	refs, ok = c.refs[key]
	c.mu.Unlock()
	if ok || c.links == nil {
		return refs, ok
	}
	v, err := c.links.Linked(ctx, storedPrefix+key)
	if err != nil || json.Unmarshal([]byte(v), &refs) != nil || len(refs) == 0 {
		return nil, false
	}
	return refs, true
}

func inlineID(refs []ref) (string, bool) {
	var b strings.Builder
	b.WriteString(inlinePrefix)
	for i, r := range refs {
		if strings.Contains(r.File, refSep) || r.File == "" {
			return "", false
		}
		if i > 0 {
			b.WriteString(refSep)
		}
		b.WriteString(strconv.Itoa(r.N) + ":" + strconv.Itoa(r.Para) + ":" + r.File)
	}
	if len(refs) == 0 || b.Len() > maxCustomID {
		return "", false
	}
	return b.String(), true
}

func parseInlineID(id string) ([]ref, bool) {
	rest, ok := strings.CutPrefix(id, inlinePrefix)
	if !ok || rest == "" {
		return nil, false
	}
	var out []ref
	for _, f := range strings.Split(rest, refSep) {
		parts := strings.SplitN(f, ":", 3)
		if len(parts) != 3 || parts[2] == "" {
			return nil, false
		}
		n, err1 := strconv.Atoi(parts[0])
		p, err2 := strconv.Atoi(parts[1])
		if err1 != nil || err2 != nil || p < 1 || n < 0 {
			return nil, false
		}
		out = append(out, ref{N: n, File: parts[2], Para: p})
	}
	return out, true
}
