package answer

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"citebot/prompts"
	"citebot/retrieval"
)

// maxRewriteTokens: the rewrite is a line of keywords.
const maxRewriteTokens = 60

// rrfK is reciprocal rank fusion's constant: large enough that agreement
// between rankings counts more than the top rank of either.
const rrfK = 60

// withRewrite searches again with French keywords the model proposes for
// an English question, and fuses both rankings. On any failure it keeps
// the original result: the rewrite is an improvement, not a requirement.
func (s *Service) withRewrite(ctx context.Context, question string, res retrieval.Result) retrieval.Result {
	msg, err := s.prompts.RewriteQuery(prompts.Rewrite{Question: question})
	if err != nil {
		return res
	}
	start := time.Now()
	kw, err := s.model.chat(ctx, "", msg, maxRewriteTokens, nil)
	s.obs.ModelCalled(ModelCall{Purpose: PurposeRewrite, Duration: time.Since(start), Err: err})
	if err != nil {
		s.log.Warn("query rewrite failed; searching with the question only", "err", err)
		return res
	}
	kw = strings.Join(strings.Fields(kw), " ")
	alt, err := s.search.Search(ctx, kw, s.k)
	if err != nil {
		return res
	}
	s.log.Debug("query rewritten", "keywords", kw)
	return fuse(res, alt, s.k)
}

// fuse merges two results by reciprocal rank fusion. The original query
// is kept (its language decides the answer's), and so is its judgement of
// relevance: the rewrite is model output, and the refusal gate must not
// depend on it.
func fuse(a, b retrieval.Result, k int) retrieval.Result {
	score := make(map[string]float64)
	byRef := make(map[string]retrieval.Passage)
	for _, r := range []retrieval.Result{a, b} {
		for i, p := range r.Passages {
			score[p.Ref()] += 1 / float64(rrfK+i+1)
			if _, ok := byRef[p.Ref()]; !ok {
				byRef[p.Ref()] = p
			}
		}
	}
	out := a
	out.Passages = nil
	for ref, p := range byRef {
		p.Score = score[ref]
		out.Passages = append(out.Passages, p)
	}
	slices.SortFunc(out.Passages, func(x, y retrieval.Passage) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(x.File, y.File), cmp.Compare(x.Paragraph, y.Paragraph))
	})
	if len(out.Passages) > k {
		out.Passages = out.Passages[:k]
	}
	out.Relevant, out.Coverage = a.Relevant, a.Coverage
	return out
}

const (
	// maxStandaloneTokens: the rewrite is one question.
	maxStandaloneTokens = 80
	// maxTurnAnswerRunes is how much of each earlier answer the rewrite
	// request shows: enough to know what "il" stands for.
	maxTurnAnswerRunes = 400
)

// standalone has the model rewrite a follow-up question into one that
// stands alone. ok is false when the model fails or answers nothing
// usable: the caller then reads the follow-up with the lexical context.
func (s *Service) standalone(ctx context.Context, question string, history []Turn) (string, bool) {
	f := prompts.FollowUp{Question: question}
	for _, t := range history[max(0, len(history)-contextTurns):] {
		a := []rune(strings.Join(strings.Fields(t.Answer), " "))
		if len(a) > maxTurnAnswerRunes {
			a = append(a[:maxTurnAnswerRunes], '…')
		}
		f.Turns = append(f.Turns, prompts.Exchange{Question: turnQuestion(t), Answer: string(a)})
	}
	msg, err := s.prompts.Standalone(f)
	if err != nil {
		return "", false
	}
	out, err := s.model.chat(ctx, "", msg, maxStandaloneTokens, nil)
	if err != nil {
		s.log.Warn("follow-up rewrite failed; reading it with the conversation's words", "err", err)
		return "", false
	}
	out = strings.Join(strings.Fields(out), " ")
	if out == "" || strings.Contains(out, prompts.NotFound) || len(out) > 4*len(question)+200 {
		return "", false
	}
	s.log.Debug("follow-up rewritten", "question", question, "standalone", out)
	return out, true
}
