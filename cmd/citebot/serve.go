package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"citebot/answer"
	"citebot/bot"
	"citebot/internal/convstore"
	"citebot/retrieval"
	"citebot/store"
)

// runServe runs the Discord bot until ctx ends. SIGHUP reloads the corpus,
// as /reload does.
func runServe(ctx context.Context, a *app, args []string) error {
	fs := a.flags("serve")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	d := a.cfg.Discord
	if err := d.validateServe(); err != nil {
		return usageError{err.Error()}
	}
	if d.Sharded() {
		a.log = a.log.With("shard", d.Shard)
	}
	db, err := a.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	src, err := a.source()
	if err != nil {
		return err
	}
	o, err := a.startOps(ctx, db)
	if err != nil {
		return err
	}
	defer o.close()
	idx := &index{db: db, src: src, corpus: a.corpusLabel(), log: a.log.With("component", "index"), onReload: o.reloaded}
	search := a.searcher(db)
	answerer := a.observedAnswerer(db, o.answerObserver())
	deps := bot.Deps{
		Answer: answerer,
		Search: search,
		Index:  idx,
		Reload: idx,
		Logger: a.log,
		Lang:   func(text string) retrieval.Lang { return a.an.ParseQuery(text).Lang },
		Chat:   a.chat(db, answerer),
		Links:  conversations{Store: convstore.Store{DB: db}, now: time.Now, maxAge: a.cfg.Conversations.MaxAge},
	}
	o.wire(&deps)
	b, err := bot.New(bot.Config{
		Token:         d.Token,
		APIURL:        d.APIURL,
		GuildID:       d.GuildID,
		AdminUsers:    d.AdminUsers,
		AdminRoles:    d.AdminRoles,
		Channels:      d.Channels,
		Prefix:        d.Prefix,
		K:             a.cfg.K,
		MaxQuestion:   d.MaxQuestion,
		RatePerMinute: d.RatePerMinute,
		RateBurst:     d.RateBurst,

		ChannelRatePerMinute: d.ChannelRate,
		ChannelBurst:         d.ChannelBurst,

		MaxConcurrent: d.MaxConcurrent,
		AnswerTimeout: d.AnswerTimeout,
		Grace:         d.Grace,
		MaxMessages:   d.MaxMessages,
		Threads:       d.Threads,
		Shard:         d.Shard,
		ShardCount:    d.ShardCount,
	}, deps)
	if err != nil {
		return err
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go idx.reloadOn(ctx, hup)
	return b.Run(ctx)
}

// index is the store as the bot sees it: paragraphs, files, statistics
// and reloads of the corpus, with the store's errors translated.
type index struct {
	db     *store.DB
	src    store.Source
	corpus string
	log    *slog.Logger
	// onReload hears of every reload, from the bot or SIGHUP.
	onReload func(bot.Report, error)
}

var (
	_ bot.Index        = (*index)(nil)
	_ bot.Reloader     = (*index)(nil)
	_ bot.Searcher     = (*retrieval.Searcher)(nil)
	_ bot.Answerer     = (*answer.Service)(nil)
	_ bot.Conversation = (*answer.Chat)(nil)
)

func (x *index) Paragraph(ctx context.Context, file string, n int) (retrieval.Passage, error) {
	p, err := x.db.Paragraph(ctx, file, n)
	if errors.Is(err, store.ErrNotFound) {
		return p, fmt.Errorf("%w: %w", bot.ErrNotFound, err)
	}
	return p, err
}

func (x *index) Articles(ctx context.Context, sub string, limit int) ([]bot.Article, error) {
	docs, err := x.db.Documents(ctx, sub, limit)
	out := make([]bot.Article, len(docs))
	for i, d := range docs {
		out[i] = bot.Article{File: d.Path, Title: d.Title}
	}
	return out, err
}

func (x *index) Stats(ctx context.Context) (bot.Stats, error) {
	st, err := x.db.Stats(ctx)
	return bot.Stats{Documents: st.Documents, Paragraphs: st.Paragraphs, ReloadedAt: st.ReloadedAt}, err
}

func (x *index) Reload(ctx context.Context) (bot.Report, error) {
	rep, err := x.reload(ctx)
	if x.onReload != nil {
		x.onReload(rep, err)
	}
	return rep, err
}

func (x *index) reload(ctx context.Context) (bot.Report, error) {
	// Another process's reload (a second shard, citebot index) holds the
	// writer for seconds; a conversation's write, for milliseconds.
	rep, err := x.db.Sync(ctx, x.src, store.SyncOptions{Wait: reloadWait})
	if errors.Is(err, store.ErrReloadRunning) || errors.Is(err, store.ErrBusy) {
		return bot.Report{}, fmt.Errorf("%w: %w", bot.ErrReloadRunning, err)
	}
	if err != nil {
		return bot.Report{}, err
	}
	out := bot.Report{
		Added: rep.Added, Changed: rep.Changed, Removed: rep.Removed, Unchanged: rep.Unchanged,
		Paragraphs: rep.Paragraphs, ParagraphsAdded: rep.ParagraphsAdded,
		ParagraphsRemoved: rep.ParagraphsRemoved, Duration: rep.Duration,
	}
	for _, s := range rep.Skipped {
		out.Skipped = append(out.Skipped, bot.Skip{Path: s.Path, Reason: s.Reason})
	}
	return out, nil
}

// reloadWait is how long a reload waits for another process's writes
// before it says that a reload is already running.
const reloadWait = 2 * time.Second

// reloadOn reloads the corpus on every signal until ctx ends.
func (x *index) reloadOn(ctx context.Context, sig <-chan os.Signal) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-sig:
			rep, err := x.Reload(ctx)
			if err != nil {
				x.log.Error("reload on SIGHUP", "corpus", x.corpus, "err", err)
				continue
			}
			x.log.Info("reloaded on SIGHUP", "corpus", x.corpus, "added", len(rep.Added), "changed", len(rep.Changed),
				"removed", len(rep.Removed), "skipped", len(rep.Skipped), "paragraphs", rep.Paragraphs,
				"duration", rep.Duration)
		}
	}
}
