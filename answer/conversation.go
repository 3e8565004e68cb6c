package answer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"citebot/retrieval"
)

// Turn is one question of a conversation and what answered it.
type Turn struct {
	N        int // the turn's number in its conversation, from 1
	Question string
	// Understood is the question as it was read in its conversation (a
	// model's standalone rewrite), if it differed.
	Understood string
	Answer     string
	Cited      []Cited // the paragraphs the answer cited, in label order
	At         time.Time
}

// Cited names a paragraph an answer cited.
type Cited struct {
	File      string
	Paragraph int
}

// Conversations keeps the recent turns of conversations. store.DB
// implements it (through cmd/citebot).
type Conversations interface {
	// Turns returns up to max of the conversation's latest turns, oldest
	// first, none older than since.
	Turns(ctx context.Context, conv string, max int, since time.Time) ([]Turn, error)
	// AddTurn appends t to the conversation, keeps its latest keep turns
	// and forgets every conversation idle since before forget.
	AddTurn(ctx context.Context, conv string, t Turn, keep int, forget time.Time) error
}

const (
	// contextBoost is the weight of the previous question's words in a
	// follow-up's query, against 1 for its own; the turn before counts
	// contextBoost² (see cmd/citebot eval --conversations for the measure).
	contextBoost = 0.3
	// contextTurns is how many previous questions lend their words.
	contextTurns = 2
	// maxAbout is how many context words "(about …)" names.
	maxAbout = 4
)

// turnQuestion is the text of a turn that a follow-up is read with.
func turnQuestion(t Turn) string {
	if t.Understood != "" {
		return t.Understood
	}
	return t.Question
}

// Retrieve finds the passages that answer question, read as a follow-up
// of history (oldest first; nil for a standalone question): its own words
// at full weight, the previous questions' content words at reduced weight
// and a prior for the files the last answer cited, unless the question
// alone is confidently answered from another article (a change of topic).
// about lists the context words used, "" when none was.
func (s *Service) Retrieve(ctx context.Context, question string, history []Turn, k int) (res retrieval.Result, about string, err error) {
	alone, err := s.search.Search(ctx, question, k)
	if err != nil && !errors.Is(err, retrieval.ErrEmptyQuery) {
		return alone, "", err
	}
	if len(history) == 0 {
		return alone, "", err
	}
	last := history[len(history)-1]
	files := citedFiles(last)
	q := alone.Query
	if errors.Is(err, retrieval.ErrEmptyQuery) {
		q = s.search.Analyzer().ParseQuery(question)
	}
	boost := 1.0
	for i := len(history) - 1; i >= max(0, len(history)-contextTurns); i-- {
		boost *= contextBoost
		prev := s.search.Analyzer().ParseQuery(turnQuestion(history[i]))
		q = q.WithContext(prev, boost, files)
	}
	if len(q.Terms) == 0 {
		return alone, "", retrieval.ErrEmptyQuery
	}
	res, cerr := s.search.SearchQuery(ctx, q, k)
	if cerr != nil {
		return res, "", fmt.Errorf("retrieve in context: %w", cerr)
	}
	if err == nil && s.topicSwitch(question, alone, res, files) {
		return alone, "", nil
	}
	stick(&res, files)
	return res, aboutWords(q), nil
}

// topicSwitch reports whether a follow-up alone finds a confident answer
// outside the files the conversation cited, and one the judge trusts at
// least as much as its reading in context: then it is a new question,
// which the conversation must not drag back to the old article.
func (s *Service) topicSwitch(question string, alone, inContext retrieval.Result, files []string) bool {
	if !alone.Relevant || len(alone.Passages) == 0 || slices.Contains(files, alone.Passages[0].File) || continues(question) {
		return false
	}
	p := s.choose(question, alone).judgement.p
	return p >= s.choose(question, inContext).judgement.p
}

// stick puts the passages of the files the conversation cited first: a
// follow-up that is not a change of topic is about the article being
// talked about, and a short paragraph elsewhere that happens to share
// its one word must not answer it.
func stick(res *retrieval.Result, files []string) {
	slices.SortStableFunc(res.Passages, func(a, b retrieval.Passage) int {
		ia, ib := slices.Contains(files, a.File), slices.Contains(files, b.File)
		switch {
		case ia && !ib:
			return -1
		case ib && !ia:
			return 1
		}
		return 0
	})
}

// connectives are words that, opening a question, say it goes on from
// the previous one ("Et quand a-t-il été signé ?").
var connectives = map[string]bool{
	"et": true, "mais": true, "puis": true, "alors": true, "ensuite": true, "aussi": true,
	"and": true, "but": true, "then": true, "so": true, "also": true,
}

// continues reports whether a question opens with a connective: it is a
// follow-up even when alone it finds an answer elsewhere.
func continues(question string) bool {
	ws := retrieval.Words(retrieval.Normalize(question))
	return len(ws) > 0 && connectives[retrieval.Fold(ws[0])]
}

func citedFiles(t Turn) []string {
	var out []string
	for _, c := range t.Cited {
		if !slices.Contains(out, c.File) {
			out = append(out, c.File)
		}
	}
	return out
}

// aboutWords names the context words a query was read with, the
// heaviest first as the previous question gave them.
func aboutWords(q retrieval.Query) string {
	var ws []string
	for _, t := range q.Terms {
		if t.Context() && len(ws) < maxAbout {
			ws = append(ws, t.Word)
		}
	}
	return strings.Join(ws, ", ")
}

// AskFollowUp answers question read in its conversation (history, oldest
// first), as AskStream does a standalone one. With a model, the model
// first rewrites the follow-up into a standalone question; without one,
// or if the rewrite fails, the previous questions' words and cited files
// help retrieval (see Retrieve).
func (s *Service) AskFollowUp(ctx context.Context, question string, history []Turn, onText func(string)) (Answer, error) {
	if len(history) == 0 {
		return s.AskStream(ctx, question, onText)
	}
	if s.model != nil {
		if standalone, ok := s.standalone(ctx, question, history); ok {
			ans, err := s.AskStream(ctx, standalone, onText)
			ans.Question = question
			if !sameWords(standalone, question) {
				ans.Understood = standalone
			}
			return ans, err
		}
	}
	res, about, err := s.Retrieve(ctx, question, history, s.k)
	if errors.Is(err, retrieval.ErrEmptyQuery) {
		return Answer{Question: question}, ErrEmptyQuestion
	}
	if err != nil {
		return Answer{Question: question}, fmt.Errorf("retrieve: %w", err)
	}
	ans := s.answerFrom(ctx, question, res, onText)
	if about != "" && ans.Grounded {
		ans.About = about
	}
	return ans, nil
}

func sameWords(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// TurnOf is the turn an answer makes in its conversation.
func TurnOf(ans Answer, at time.Time) Turn {
	t := Turn{Question: ans.Question, Understood: ans.Understood, Answer: ans.Text, At: at}
	for _, c := range ans.Citations {
		t.Cited = append(t.Cited, Cited{File: c.Passage.File, Paragraph: c.Passage.Paragraph})
	}
	return t
}

// ChatOptions bound what a Chat remembers.
type ChatOptions struct {
	MaxTurns int              // turns kept per conversation; default 6
	MaxAge   time.Duration    // a conversation idle longer is forgotten; default 24h
	Now      func() time.Time // nil for time.Now
}

// Chat answers questions within conversations kept in a Conversations
// store: the CLI's chat and the bot's replies and threads.
type Chat struct {
	svc   *Service
	convs Conversations
	opts  ChatOptions
}

// NewChat returns a Chat.
func NewChat(svc *Service, convs Conversations, opts ChatOptions) *Chat {
	if opts.MaxTurns <= 0 {
		opts.MaxTurns = 6
	}
	if opts.MaxAge <= 0 {
		opts.MaxAge = 24 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Chat{svc: svc, convs: convs, opts: opts}
}

// Ask answers question as the next turn of conversation conv (a new
// conversation when conv has no turns) and records the turn. It returns
// the turn's number, from 1. When the turn cannot be recorded, the
// answer comes with an error wrapping ErrTurnNotRecorded.
func (c *Chat) Ask(ctx context.Context, conv, question string, onText func(string)) (Answer, int, error) {
	now := c.opts.Now()
	history, err := c.convs.Turns(ctx, conv, c.opts.MaxTurns, now.Add(-c.opts.MaxAge))
	if err != nil {
		return Answer{Question: question}, 0, fmt.Errorf("conversation %s: %w", conv, err)
	}
	ans, err := c.svc.AskFollowUp(ctx, question, history, onText)
	if err != nil {
		return ans, 0, err
	}
	t := TurnOf(ans, now)
	t.N = 1
	if len(history) > 0 {
		t.N = history[len(history)-1].N + 1
	}
	// Another process's reload holds the store for as long as it runs:
	// the answer is not held back for it.
	rctx, cancel := context.WithTimeout(ctx, recordBudget)
	defer cancel()
	if err := c.convs.AddTurn(rctx, conv, t, c.opts.MaxTurns, now.Add(-c.opts.MaxAge)); err != nil {
		return ans, t.N, fmt.Errorf("conversation %s: %w: %w", conv, ErrTurnNotRecorded, err)
	}
	return ans, t.N, nil
}

// recordBudget bounds the wait to record a turn.
const recordBudget = 2 * time.Second

// AskIn is Ask without the turn's number, for the bot.
func (c *Chat) AskIn(ctx context.Context, conv, question string, onText func(string)) (Answer, error) {
	ans, _, err := c.Ask(ctx, conv, question, onText)
	return ans, err
}
