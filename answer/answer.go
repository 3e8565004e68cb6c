// Package answer turns a question into a grounded answer: it retrieves
// passages, then either quotes the best sentences (extractive) or has a
// language model write an answer whose citations it checks. Both the CLI
// and the Discord bot use it; nothing here knows about Discord.
package answer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"citebot/prompts"
	"citebot/retrieval"
)

// Mode says who wrote an answer.
type Mode string

const (
	Extractive Mode = "extractive" // sentences quoted from the articles
	LLM        Mode = "llm"        // written by a language model, citations checked
)

// Answer is a question's answer with the passages it rests on.
type Answer struct {
	Question string
	Lang     retrieval.Lang
	// Text is the answer; [n] labels refer to Citations.
	Text string
	// Grounded is false when the articles do not answer the question.
	Grounded bool
	Mode     Mode
	// Citations are the passages the answer cites, in label order.
	Citations []retrieval.Citation
	// Nearest are the closest passages when the answer is not grounded:
	// pointers for the reader, not claimed to answer.
	Nearest []retrieval.Passage
	// Note explains a fallback, such as a model that did not answer.
	Note string
	// ValidCitations and DroppedCitations count the model's [n] labels that
	// pointed at a retrieved passage, and those that did not.
	ValidCitations, DroppedCitations int
	// Confidence is the judge's estimate that the passages answer the
	// question; Missing lists the question's words that the best passage
	// lacks, heaviest first: why a refusal was made.
	Confidence float64
	Missing    []string
	// Fallback is set when a model was asked but the answer is
	// extractive: the model failed, cited nothing or was not supported.
	Fallback bool
	// UnsupportedSentences counts the model's sentences removed because
	// the passages they cite do not back them (or they cite none while
	// stating a fact, or have nothing to do with the question).
	UnsupportedSentences int
	// About names the earlier questions' words a follow-up was read with
	// ("accord, Benny, Gantz"), and Understood the standalone question a
	// model rewrote it into: what citebot understood, to show the user.
	About, Understood string
}

// ErrEmptyQuestion means the question held no searchable word.
var ErrEmptyQuestion = errors.New("the question has no searchable words")

// ErrTurnNotRecorded means that a conversation's answer was made but
// could not be recorded: the answer stands, and the next follow-up will
// not know of it.
var ErrTurnNotRecorded = errors.New("the turn was not recorded")

// Options configure a Service.
type Options struct {
	K      int          // passages retrieved per question
	Logger *slog.Logger // nil discards
	// Model writes answers when set; nil answers extractively.
	Model *Model
	// ContextChars is how much passage text the model is given.
	ContextChars int
	// Rewrite asks the model for French search keywords for questions in
	// English, and searches with both.
	Rewrite bool
	// Observer hears of searches and model calls; nil for none.
	Observer Observer
}

// Service answers questions from the passages a Searcher finds.
type Service struct {
	search       *retrieval.Searcher
	k            int
	log          *slog.Logger
	model        *Model
	prompts      *prompts.Set
	contextChars int
	rewrite      bool
	obs          Observer
}

// New returns a Service.
func New(search *retrieval.Searcher, opts Options) *Service {
	if opts.K <= 0 {
		opts.K = 5
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.ContextChars <= 0 {
		opts.ContextChars = 12000
	}
	if opts.Observer == nil {
		opts.Observer = noObserver{}
	}
	return &Service{search: search, k: opts.K, log: opts.Logger.With("component", "answer"),
		model: opts.Model, prompts: prompts.MustLoad(), contextChars: opts.ContextChars, rewrite: opts.Rewrite,
		obs: opts.Observer}
}

// Ask answers question. The error is non-nil only when the question could
// not be handled at all (no searchable word, index unavailable): a model
// that fails is replaced by an extractive answer with a Note.
func (s *Service) Ask(ctx context.Context, question string) (Answer, error) {
	return s.AskStream(ctx, question, nil)
}

// AskStream is Ask for callers that show progress: onText receives the
// answer's text so far (the whole text, not a delta) while a model writes
// it. Citations are checked on the final text, so the returned Answer, not
// the last onText call, is what may be shown as final.
func (s *Service) AskStream(ctx context.Context, question string, onText func(partial string)) (Answer, error) {
	start := time.Now()
	res, err := s.search.Search(ctx, question, s.k)
	s.obs.Retrieved(time.Since(start))
	if errors.Is(err, retrieval.ErrEmptyQuery) {
		return Answer{Question: question}, ErrEmptyQuestion
	}
	if err != nil {
		return Answer{Question: question}, fmt.Errorf("retrieve: %w", err)
	}
	return s.answerFrom(ctx, question, res, onText), nil
}

// answerFrom answers question from the passages retrieved for it.
func (s *Service) answerFrom(ctx context.Context, question string, res retrieval.Result, onText func(partial string)) Answer {
	if s.model == nil {
		return s.extractive(question, res)
	}
	// The judge reads the question's own retrieval, before and apart from
	// anything a model writes. With a model it is generous: borderline
	// cases go to the model, whose NOT_FOUND is a refusal.
	c := s.choose(question, res)
	if !res.Relevant || len(res.Passages) == 0 || c.judgement.p < thresholdModel {
		s.log.Debug("refused before the model", "confidence", c.judgement.p, "coverage", res.Coverage, "missing", c.judgement.missing)
		ans := refusal(question, res, Extractive)
		ans.Confidence, ans.Missing = c.judgement.p, c.judgement.missing
		return ans
	}
	if s.rewrite && res.Query.Lang == retrieval.English {
		// The rewrite may add passages; it never turns a refusal into an
		// answer, since the refusal was decided above.
		res = s.withRewrite(ctx, question, res)
	}
	ans := s.generate(ctx, question, res, onText)
	ans.Confidence, ans.Missing = c.judgement.p, c.judgement.missing
	return ans
}

// refusal is the answer when the articles do not hold one: it says so and
// points to the nearest paragraphs without claiming they answer.
func refusal(question string, res retrieval.Result, mode Mode) Answer {
	lang := res.Query.Lang
	return Answer{
		Question: question,
		Lang:     lang,
		Text:     message(lang, msgNotFound),
		Grounded: false,
		Mode:     mode,
		Nearest:  nearest(res.Passages, 3),
	}
}

func nearest(ps []retrieval.Passage, n int) []retrieval.Passage {
	if len(ps) > n {
		ps = ps[:n]
	}
	return ps
}
