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
)

// ask answers a question through r, showing the answer as it is written.
// At most MaxConcurrent answers are computed at once; others wait.
func (b *Bot) ask(work context.Context, r replier, q string, lang retrieval.Lang, attrs []any, conv convRef) {
	ctx, cancel := context.WithTimeout(work, b.cfg.AnswerTimeout)
	defer cancel()
	if err := b.gate.enter(ctx); err != nil {
		b.fail(ctx, r, lang, fmt.Errorf("wait for a free answer slot: %w", err), attrs)
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
	} else {
		ans, err = b.deps.Answer.AskStream(ctx, q, onText)
	}
	stop()
	if errors.Is(ctx.Err(), context.Canceled) {
		// The bot is stopping: whatever the answerer made of the cut
		// (an extractive answer saying that the model did not answer),
		// the user is told that the bot restarts.
		b.fail(ctx, r, lang, fmt.Errorf("answer: %w", ctx.Err()), attrs)
		return
	}
	if errors.Is(err, answer.ErrEmptyQuestion) {
		b.sendText(ctx, r, say(lang, msgNoWords), attrs)
		return
	}
	if err != nil {
		b.fail(ctx, r, lang, fmt.Errorf("answer: %w", err), attrs)
		return
	}
	b.log.Debug("answered", append(attrs, "question", q, "answer", ans.Text, "mode", ans.Mode)...)
	button := ""
	if len(ans.Citations) > 0 {
		button = b.cited.buttonID(refsOf(ans.Citations))
	}
	b.send(ctx, r, renderAnswer(ans, lang, button, b.cfg.MaxMessages), attrs)
	b.remember(ctx, r, conv, attrs)
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

// paragraph looks paragraph n of file up; file may also be the unique
// file whose name starts with it, such as a name without its extension.
func (b *Bot) paragraph(ctx context.Context, file string, n int) (retrieval.Passage, error) {
	p, err := b.deps.Index.Paragraph(ctx, file, n)
	if !errors.Is(err, ErrNotFound) {
		return p, err
	}
	files, ferr := b.deps.Index.Files(ctx, file, 50)
	if ferr != nil {
		return p, err
	}
	var match []string
	for _, f := range files {
		if f != file && (strings.HasPrefix(f, file) || strings.HasPrefix(path.Base(f), file)) {
			match = append(match, f)
		}
	}
	if len(match) != 1 {
		return p, err
	}
	return b.deps.Index.Paragraph(ctx, match[0], n)
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
