package main

import (
	"citebot/answer"
	"citebot/store"
)

// answerer builds the answer service: with a model when one is configured
// (a key or a base URL), extractive otherwise.
func (a *app) answerer(db *store.DB) *answer.Service { return a.observedAnswerer(db, nil) }

// observedAnswerer is answerer reporting to obs, which may be nil.
func (a *app) observedAnswerer(db *store.DB, obs answer.Observer) *answer.Service {
	opts := answer.Options{K: a.cfg.K, Logger: a.log, Observer: obs}
	if c := a.cfg.LLM; c.Enabled() {
		opts.Model = answer.NewModel(answer.ModelConfig{
			APIKey:      c.APIKey,
			BaseURL:     c.BaseURL,
			Model:       c.Model,
			Timeout:     c.Timeout,
			Retries:     c.Retries,
			Temperature: float32(c.Temperature),
		})
		opts.ContextChars = c.ContextChars
		opts.Rewrite = c.Rewrite
	}
	return answer.New(a.searcher(db), opts)
}
