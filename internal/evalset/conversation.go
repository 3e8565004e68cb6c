package evalset

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
)

// Conversation kinds.
const (
	// SameArticle is a conversation whose questions are all about one
	// article, asked in the order the set gives them.
	SameArticle = "same-article"
	// TopicSwitch is two questions about different articles: the second
	// must be answered as if the first had not been asked.
	TopicSwitch = "topic-switch"
)

// Conversation is one line of a conversation set: questions asked one
// after the other in one conversation, each with its gold paragraphs and
// answers as in a question set.
type Conversation struct {
	ID    string     `json:"id"`
	Kind  string     `json:"kind"`
	Turns []Question `json:"turns"`
}

// ReadConversations parses a JSONL conversation set.
func ReadConversations(r io.Reader) ([]Conversation, error) {
	return readJSONL(r, func(c Conversation) error {
		if len(c.Turns) == 0 {
			return errors.New("a conversation without turns")
		}
		for i, q := range c.Turns {
			if q.Question == "" {
				return fmt.Errorf("turn %d has no question", i+1)
			}
		}
		return nil
	})
}

// LoadConversations reads a conversation set from a file: a JSONL file of
// conversations, or a question set whose questions name their article
// (a "file" field), from which conversations are built (Build).
func LoadConversations(name string, turns int, seed uint64) ([]Conversation, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(4096)
	if strings.Contains(string(head), `"turns"`) {
		cs, err := ReadConversations(br)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return cs, nil
	}
	qs, err := Read(br)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return Build(qs, turns, seed), nil
}

// Build makes conversations of a question set whose questions name their
// article: runs of up to turns successive answerable questions about the
// same article (SameArticle), and as many pairs of a question and one
// about another article (TopicSwitch), chosen with seed.
func Build(qs []Question, turns int, seed uint64) []Conversation {
	turns = max(turns, 2)
	var pool []Question
	for _, q := range qs {
		if q.IsAnswerable() && len(q.Gold) > 0 && q.Article() != "" {
			pool = append(pool, q)
		}
	}
	var out []Conversation
	for i := 0; i < len(pool); {
		j := i + 1
		for j < len(pool) && j-i < turns && pool[j].Article() == pool[i].Article() {
			j++
		}
		if j-i >= 2 {
			out = append(out, Conversation{ID: fmt.Sprintf("same-%d", len(out)+1), Kind: SameArticle, Turns: pool[i:j:j]})
		}
		i = j
	}
	same := len(out)
	r := rand.New(rand.NewPCG(seed, 0xc0117))
	for n := 0; n < same && len(pool) > 1; {
		a, b := pool[r.IntN(len(pool))], pool[r.IntN(len(pool))]
		if a.Article() == b.Article() {
			continue
		}
		n++
		out = append(out, Conversation{ID: fmt.Sprintf("switch-%d", n), Kind: TopicSwitch, Turns: []Question{a, b}})
	}
	return out
}

// Article is the file a question is about: its "file" field, or its
// first gold paragraph's file.
func (q Question) Article() string {
	if q.File != "" {
		return q.File
	}
	if len(q.Gold) > 0 {
		return q.Gold[0].File
	}
	return ""
}
