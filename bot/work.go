package bot

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/bwmarrin/discordgo"

	"citebot/answer"
	"citebot/retrieval"
	"citebot/usage"
)

// ask answers a question through r, showing the answer as it is written,
// in its conversation when conv names one, then reports it (done). At most
// MaxConcurrent answers are computed at once; others wait.
func (b *Bot) ask(work context.Context, r replier, rec usage.Question, lang retrieval.Lang, attrs []any, conv convRef) {
	ctx, cancel := context.WithTimeout(work, b.cfg.AnswerTimeout)
	defer cancel()
	q := rec.Text
	if err := b.gate.enter(ctx); err != nil {
		b.failRef(ctx, r, lang, rec.Ref, fmt.Errorf("wait for a free answer slot: %w", err), attrs)
		b.done(ctx, rec, usage.Failed, lang, attrs)
		return
	}
	defer b.gate.leave()
	onText, stopStream := b.streamTo(ctx, r, lang, attrs)
	stop := sync.OnceFunc(stopStream)
	defer stop() // also when the answerer panics: no edit may follow the error
	var ans answer.Answer
	var err error
	if conv.id != "" {
		ans, err = b.deps.Chat.AskIn(ctx, conv.id, q, onText)
		if errors.Is(err, answer.ErrTurnNotRecorded) {
			b.log.Warn("answered, but the conversation's turn was not recorded: a follow-up will not know of it",
				append(attrs, "err", err)...)
			err = nil
		}
	} else {
		ans, err = b.deps.Answer.AskStream(ctx, q, onText)
	}
	stop()
	if errors.Is(ctx.Err(), context.Canceled) {
		// The bot is stopping: whatever the answerer made of the cut
		// (an extractive answer saying that the model did not answer),
		// the user is told that the bot restarts.
		b.failRef(ctx, r, lang, rec.Ref, fmt.Errorf("answer: %w", ctx.Err()), attrs)
		b.done(ctx, rec, usage.Failed, lang, attrs)
		return
	}
	if errors.Is(err, answer.ErrEmptyQuestion) {
		b.sendText(ctx, r, say(lang, msgNoWords), attrs)
		b.done(ctx, rec, usage.Invalid, lang, attrs)
		return
	}
	if err != nil {
		b.failRef(ctx, r, lang, rec.Ref, fmt.Errorf("answer: %w", err), attrs)
		b.done(ctx, rec, usage.Failed, lang, attrs)
		return
	}
	rec = withAnswer(rec, ans, b.deps.Now().Sub(rec.At))
	b.log.Debug("answered", append(attrs, "question", q, "answer", ans.Text, "mode", ans.Mode)...)
	button := ""
	if len(ans.Citations) > 0 {
		// Another process's reload holds the store for seconds: the
		// button then lives in memory only rather than delay the answer.
		bctx, cancel := context.WithTimeout(ctx, rememberBudget)
		var err error
		button, err = b.cited.buttonID(bctx, refsOf(ans.Citations))
		cancel()
		if err != nil {
			b.log.Warn("the sources button will not outlive this process", append(attrs, "err", err)...)
		}
	}
	parts := renderAnswer(ans, lang, button, b.cfg.MaxMessages)
	if b.deps.Log != nil {
		parts = withVotes(parts, lang, rec.Ref)
	}
	b.send(ctx, r, parts, attrs)
	if mr, ok := r.(*messageReply); ok {
		rec.MessageID = mr.sentID()
	}
	b.remember(ctx, r, conv, attrs)
	b.done(ctx, rec, "", lang, attrs)
}

func (b *Bot) search(work context.Context, r replier, q string, lang retrieval.Lang, attrs []any) {
	ctx, cancel := context.WithTimeout(work, b.cfg.AnswerTimeout)
	defer cancel()
	res, err := b.deps.Search.Search(ctx, q, b.cfg.K)
	if errors.Is(err, retrieval.ErrEmptyQuery) {
		b.sendText(ctx, r, say(lang, msgNoWords), attrs)
		return
	}
	if err != nil {
		b.fail(ctx, r, lang, fmt.Errorf("search: %w", err), attrs)
		return
	}
	b.send(ctx, r, renderSearch(res, lang, b.cfg.MaxMessages), attrs)
}

func (b *Bot) source(work context.Context, r replier, file string, n int, lang retrieval.Lang, attrs []any) {
	ctx, cancel := context.WithTimeout(work, b.cfg.AnswerTimeout)
	defer cancel()
	p, err := b.paragraph(ctx, file, n)
	if errors.Is(err, ErrNotFound) {
		b.sendText(ctx, r, say(lang, msgNoParagraph, n, code(file)), attrs)
		return
	}
	if err != nil {
		b.fail(ctx, r, lang, fmt.Errorf("source: %w", err), attrs)
		return
	}
	b.send(ctx, r, renderSource(p, lang, b.cfg.MaxMessages), attrs)
}

// paragraph looks paragraph n of an article up. The article is named by
// its file, or by what a reader sees of it: the start of its file name
// (a name without its extension) or of its title, ignoring case and
// accents, when one article only starts so; a title in full always
// names its article. A citation pasted whole ("Title — file") names the
// file after the dash.
func (b *Bot) paragraph(ctx context.Context, name string, n int) (retrieval.Passage, error) {
	p, err := b.deps.Index.Paragraph(ctx, name, n)
	if !errors.Is(err, ErrNotFound) {
		return p, err
	}
	names := []string{name}
	if i := strings.LastIndex(name, " — "); i >= 0 {
		names = append(names, strings.Trim(name[i+len(" — "):], "` "))
	}
	for _, name := range names {
		file, ferr := b.article(ctx, name)
		if ferr == nil && file != "" {
			return b.deps.Index.Paragraph(ctx, file, n)
		}
	}
	return p, err
}

// article is the file of the one article name stands for, or "".
func (b *Bot) article(ctx context.Context, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	articles, err := b.deps.Index.Articles(ctx, name, 50)
	if err != nil {
		return "", err
	}
	key := foldTitle(name)
	var exact, prefix []string
	for _, a := range articles {
		title := foldTitle(a.Title)
		switch {
		case a.File == name:
			return a.File, nil
		case title == key:
			exact = append(exact, a.File)
		case strings.HasPrefix(a.File, name) || strings.HasPrefix(path.Base(a.File), name) || strings.HasPrefix(title, key):
			prefix = append(prefix, a.File)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) == 0 && len(prefix) == 1:
		return prefix[0], nil
	}
	return "", nil
}

// foldTitle is a title as a reader may type it: lower case, without
// accents, with typographic apostrophes and dashes unified, and no
// closing "…".
func foldTitle(s string) string {
	return strings.TrimSuffix(retrieval.Fold(retrieval.Normalize(oneLine(s))), "…")
}

func (b *Bot) help(work context.Context, r replier, lang retrieval.Lang) {
	ctx, cancel := context.WithTimeout(work, ackBudget)
	defer cancel()
	st, err := b.deps.Index.Stats(ctx)
	if err != nil {
		b.log.Warn("help: index stats", "err", err)
	}
	b.send(ctx, r, renderHelp(lang, b.cfg.Prefix, st, err == nil), nil)
}

// reload re-indexes the corpus and says what changed. Questions keep
// being answered meanwhile: the index serves the old data until the
// reload commits.
func (b *Bot) reload(work context.Context, r replier, lang retrieval.Lang, attrs []any) {
	ctx, cancel := context.WithTimeout(work, b.cfg.ReloadTimeout)
	defer cancel()
	b.log.Info("reload requested", attrs...)
	rep, err := b.deps.Reload.Reload(ctx)
	if errors.Is(err, ErrReloadRunning) {
		b.sendText(ctx, r, say(lang, msgReloadRunning), attrs)
		return
	}
	if err != nil {
		b.fail(ctx, r, lang, fmt.Errorf("reload: %w", err), attrs)
		return
	}
	b.log.Info("reload done", append(attrs, "added", len(rep.Added), "changed", len(rep.Changed),
		"removed", len(rep.Removed), "skipped", len(rep.Skipped), "paragraphs", rep.Paragraphs,
		"duration", rep.Duration)...)
	b.send(ctx, r, renderReport(rep, lang), attrs)
}

// isAdmin reports whether a user may reload: named in the allow-lists, or
// holding Manage Server (or Administrator).
func (b *Bot) isAdmin(userID string, roles []string, perms int64) bool {
	if perms&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0 {
		return true
	}
	if slices.Contains(b.cfg.AdminUsers, userID) {
		return true
	}
	for _, r := range roles {
		if slices.Contains(b.cfg.AdminRoles, r) {
			return true
		}
	}
	return false
}

// refuseReload logs who tried to reload without the right.
func (b *Bot) refuseReload(attrs []any) {
	b.log.Warn("reload refused: not an administrator", attrs...)
}
