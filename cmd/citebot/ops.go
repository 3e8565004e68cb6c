package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"citebot/answer"
	"citebot/bot"
	"citebot/retrieval"
	"citebot/store"
	"citebot/usage"

	"github.com/prometheus/client_golang/prometheus"
)

// ops is what citebot serve gives an administrator to watch it: metrics
// and health (with CITEBOT_METRICS_ADDR) and the question log (unless
// CITEBOT_LOG_DAYS=0).
type ops struct {
	metrics *metrics // nil without a metrics address
	log     *questionLog
	stop    func()
}

// startOps opens the question log and starts the metrics server.
func (a *app) startOps(ctx context.Context, db *store.DB) (*ops, error) {
	o := &ops{stop: func() {}}
	var err error
	if o.log, err = a.openLog(ctx); err != nil {
		return nil, err
	}
	if addr := a.cfg.Ops.MetricsAddr; addr != "" {
		o.metrics = newMetrics(func() (int, int, error) {
			ctx, cancel := context.WithTimeout(context.Background(), readyBudget)
			defer cancel()
			st, err := db.Stats(ctx)
			return st.Documents, st.Paragraphs, err
		}, a.metricLabels())
		ready := func(ctx context.Context) error { _, err := db.Stats(ctx); return err }
		if o.stop, err = opsServer(ctx, addr, o.metrics, ready, a.log.With("component", "ops")); err != nil {
			o.close()
			return nil, err
		}
	}
	return o, nil
}

// metricLabels are the labels every metric of this process carries: its
// shard, when the bot is sharded, so that shards' series stay apart.
func (a *app) metricLabels() prometheus.Labels {
	if !a.cfg.Discord.Sharded() {
		return nil
	}
	return prometheus.Labels{"shard": strconv.Itoa(a.cfg.Discord.Shard)}
}

// close stops the metrics server, then closes the log.
func (o *ops) close() {
	o.stop()
	if o.log != nil {
		o.log.Close()
	}
}

// wire gives the bot what it reports to, leaving nil what is off.
func (o *ops) wire(d *bot.Deps) {
	if o.metrics != nil {
		d.Observer = o.metrics
	}
	if o.log != nil {
		d.Log, d.Reporter = o.log, o.log
	}
}

// answerObserver is what the answer service reports to, or nil.
func (o *ops) answerObserver() answer.Observer {
	if o.metrics == nil {
		return nil
	}
	return o.metrics
}

// reloaded counts a reload, if metrics are on.
func (o *ops) reloaded(rep bot.Report, err error) {
	if o.metrics != nil {
		o.metrics.reloaded(rep, err)
	}
}

// questionLog is the store's question log as the bot sees it: its
// errors translated, and reports summed up.
type questionLog struct {
	*store.Log
	key func(string) string
}

var (
	_ bot.Log      = (*questionLog)(nil)
	_ bot.Reporter = (*questionLog)(nil)
)

// openLog opens the question log, or returns nil when it is off.
func (a *app) openLog(ctx context.Context) (*questionLog, error) {
	if a.cfg.Ops.LogDays == 0 {
		return nil, nil
	}
	l, err := store.OpenLog(ctx, a.cfg.LogPath(), store.LogOptions{Days: a.cfg.Ops.LogDays, Key: a.cfg.Ops.LogKey})
	if err != nil {
		return nil, fmt.Errorf("question log (CITEBOT_LOG_DB, CITEBOT_LOG_DAYS=0 turns it off): %w", err)
	}
	return &questionLog{Log: l, key: contentKey(a.an)}, nil
}

func (l *questionLog) Vote(ctx context.Context, v usage.Vote) error {
	err := l.Log.Vote(ctx, v)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %w", bot.ErrNotFound, err)
	}
	return err
}

func (l *questionLog) Report(ctx context.Context, since time.Time) (usage.Report, error) {
	qs, err := l.Questions(ctx, since)
	if err != nil {
		return usage.Report{}, err
	}
	return usage.Summarize(qs, since, time.Now(), l.key), nil
}

// contentKey groups questions by their content words: the stems of the
// words that are not stop words.
func contentKey(an *retrieval.Analyzer) func(string) string {
	return func(text string) string {
		q := an.ParseQuery(text)
		words := make([]string, 0, len(q.Terms))
		for _, t := range q.Terms {
			w := t.Word
			if len(t.Variants) > 0 {
				w = t.Variants[0]
			}
			words = append(words, w)
		}
		return usage.ContentKey(words)
	}
}

// logCLI records a question asked with ask --log. The answer was shown
// first: a log that cannot be written is reported, not fatal.
func (a *app) logCLI(ctx context.Context, question string, start time.Time, ans answer.Answer, err error) {
	l, lerr := a.openLog(ctx)
	if lerr != nil || l == nil {
		if lerr != nil {
			a.log.Warn("question not logged", "err", lerr)
		}
		return
	}
	defer l.Close()
	q := usage.Question{Ref: newRef(), At: start, Surface: usage.CLI, Text: question}
	switch {
	case errors.Is(err, answer.ErrEmptyQuestion):
		q.Outcome = usage.Invalid
	case err != nil:
		q.Outcome = usage.Failed
	default:
		q.Outcome = usage.Refused
		if ans.Grounded {
			q.Outcome = usage.Answered
		}
		q.Lang, q.Mode, q.Grounded, q.Fallback = string(ans.Lang), string(ans.Mode), ans.Grounded, ans.Fallback
		q.Latency = time.Since(start)
		for _, c := range ans.Citations {
			q.Cited = append(q.Cited, usage.Cited{File: c.Passage.File, Paragraph: c.Passage.Paragraph})
		}
	}
	if err := l.Record(ctx, q); err != nil {
		a.log.Warn("question not logged", "err", err)
		return
	}
	a.log.Info("question", "ref", q.Ref, "surface", string(q.Surface), "outcome", string(q.Outcome),
		"mode", q.Mode, "grounded", q.Grounded, "cited", len(q.Cited), "latency", q.Latency)
}

// newRef is a short random reference for a logged question.
func newRef() string {
	var b [4]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
