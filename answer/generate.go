package answer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"

	"citebot/prompts"
	"citebot/retrieval"
)

// maxAnswerTokens bounds what the model may write: a few sentences.
const maxAnswerTokens = 600

// generate has the model answer from the retrieved passages, then checks
// its citations. Whatever goes wrong ends in an extractive answer with a
// note, never an error: the user asked a question and gets an answer.
func (s *Service) generate(ctx context.Context, question string, res retrieval.Result, onText func(string)) (ans Answer) {
	call := ModelCall{Purpose: PurposeAnswer}
	defer func() {
		call.Fallback, call.DroppedCitations = ans.Fallback, ans.DroppedCitations
		s.obs.ModelCalled(call)
	}()
	lang := res.Query.Lang
	given := prompts.Fit(res.Passages, s.contextChars)
	passages := res.Passages[:len(given)]
	system, err := s.prompts.System(lang)
	if err != nil {
		return s.fallback(question, res, msgModelFailed, err)
	}
	user, err := s.prompts.User(prompts.Answer{Question: question, Lang: lang, Passages: given})
	if err != nil {
		return s.fallback(question, res, msgModelFailed, err)
	}
	var partial func(string)
	flush := func() {}
	if onText != nil {
		// Partial text is cleaned like the final one, so that a label the
		// model invents never shows, even for a second.
		partial, flush = checkedPartials(onText, func(t string) string { return checkCitations(t, passages).text })
	}
	s.log.Debug("model prompt", "system", system, "user", user)
	start := time.Now()
	text, err := s.model.chat(ctx, system, user, maxAnswerTokens, partial)
	call.Duration, call.Err = time.Since(start), err
	if err != nil {
		return s.fallback(question, res, msgModelFailed, err)
	}
	flush()
	s.log.Debug("model answer", "text", text)
	if strings.Contains(text, prompts.NotFound) {
		ans := refusal(question, res, LLM)
		return ans
	}
	c := checkCitations(text, passages)
	if c.valid == 0 {
		ans := s.fallback(question, res, msgModelUncited, nil)
		ans.DroppedCitations = c.dropped
		return ans
	}
	if c.dropped > 0 {
		s.log.Info("model cited passages it was not given", "dropped", c.dropped, "valid", c.valid)
	}
	return s.supportedAnswer(question, res, c)
}

// supportedAnswer keeps the sentences of a cited answer that the passages
// they cite support (checkSupport), renumbering the labels that remain.
// An answer with no supported sentence left falls back like one that
// cited nothing.
func (s *Service) supportedAnswer(question string, res retrieval.Result, c checked) Answer {
	sup := checkSupport(s.search.Analyzer(), res.Query, c.text, c.citations)
	kept := checkCitations(sup.text, citedPassages(c.citations))
	if sup.removed > 0 {
		s.log.Info("model sentences not supported by their citations removed", "removed", sup.removed, "kept", sup.kept)
	}
	if kept.valid == 0 {
		ans := s.fallback(question, res, msgModelUnsupported, nil)
		ans.DroppedCitations, ans.UnsupportedSentences = c.dropped, sup.removed
		return ans
	}
	ans := Answer{
		Question:             question,
		Lang:                 res.Query.Lang,
		Text:                 strings.TrimSpace(kept.text),
		Grounded:             true,
		Mode:                 LLM,
		Citations:            kept.citations,
		ValidCitations:       c.valid,
		DroppedCitations:     c.dropped,
		UnsupportedSentences: sup.removed,
	}
	if c.dropped > 0 || sup.removed > 0 {
		ans.Note = message(ans.Lang, msgModelTrimmed)
	}
	return ans
}

func citedPassages(cs []retrieval.Citation) []retrieval.Passage {
	ps := make([]retrieval.Passage, len(cs))
	for i, c := range cs {
		ps[i] = c.Passage
	}
	return ps
}

// fallback answers extractively, noting why the model's answer is not
// shown. The log line carries a reference that the note repeats.
func (s *Service) fallback(question string, res retrieval.Result, why msgID, err error) Answer {
	ans := s.extractive(question, res)
	ans.Fallback = true
	ref := newRef()
	ans.Note = message(res.Query.Lang, why) + " (ref " + ref + ")"
	if err != nil {
		s.log.Warn("model failed; answered extractively", "ref", ref, "err", err)
	} else {
		s.log.Warn("model answer not grounded; answered extractively", "ref", ref)
	}
	return ans
}

// newRef is a short id tying a user-visible note to its log line.
func newRef() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
