package bot

import (
	"context"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"citebot/answer"
	"citebot/retrieval"
	"citebot/usage"
)

// Observer hears what the bot does, for metrics and health; the program
// that runs the bot decides what to make of it. Its methods are called
// on the handlers' goroutines: they must be quick and safe for
// concurrent use.
type Observer interface {
	// Asked is called once per question, whatever became of it.
	Asked(a Asked)
	// Acked is called after each acknowledgement of an interaction,
	// with how long Discord took to take it.
	Acked(d time.Duration)
	// Gateway is called when the gateway connection is made or lost.
	Gateway(connected bool)
}

// Asked is what became of a question.
type Asked struct {
	Surface usage.Surface
	Outcome usage.Outcome
	// Latency is from the question's arrival to its answer computed;
	// zero for a question that was not searched.
	Latency time.Duration
}

// Log keeps the questions asked and the votes on the answers.
// *store.Log implements it.
type Log interface {
	Record(ctx context.Context, q usage.Question) error
	Vote(ctx context.Context, v usage.Vote) error
}

// Reporter sums up the questions asked since a time, for /stats.
type Reporter interface {
	Report(ctx context.Context, since time.Time) (usage.Report, error)
}

type noObserver struct{}

func (noObserver) Asked(Asked)            {}
func (noObserver) Acked(time.Duration)    {}
func (noObserver) Gateway(connected bool) {}

// logBudget bounds writing one question to the log, after the answer was
// sent.
const logBudget = 5 * time.Second

// newQuestion starts the record of a question as it arrives; its Ref is
// the reference the user sees on errors and the key of its votes.
func (b *Bot) newQuestion(surface usage.Surface, user, guild, channel, text string) usage.Question {
	return usage.Question{Ref: newRef(), At: b.deps.Now(), Surface: surface, User: user,
		GuildID: guild, ChannelID: channel, Text: text}
}

// slashQuestion is the record of /ask's question.
func (b *Bot) slashQuestion(ic *discordgo.Interaction, text string) usage.Question {
	return b.newQuestion(usage.Slash, interactionUser(ic).ID, ic.GuildID, ic.ChannelID, text)
}

// chatQuestion is the record of a chat message's question.
func (b *Bot) chatQuestion(m *discordgo.Message, cmd chatCommand) usage.Question {
	surface := usage.Mention
	botID, _ := b.ids()
	text := strings.NewReplacer("<@"+botID+">", " ", "<@!"+botID+">", " ").Replace(m.Content)
	if _, ok := parseChat(text, b.cfg.Prefix, ""); ok {
		surface = usage.Chat // a command, though the bot may be mentioned too
	}
	return b.newQuestion(surface, m.Author.ID, m.GuildID, m.ChannelID, cmd.Arg)
}

// withAnswer completes a question's record with its answer.
func withAnswer(q usage.Question, ans answer.Answer, lat time.Duration) usage.Question {
	q.Outcome = usage.Refused
	if ans.Grounded {
		q.Outcome = usage.Answered
	}
	q.Lang, q.Mode, q.Grounded, q.Fallback, q.Latency = string(ans.Lang), string(ans.Mode), ans.Grounded, ans.Fallback, lat
	for _, c := range ans.Citations {
		q.Cited = append(q.Cited, usage.Cited{File: c.Passage.File, Paragraph: c.Passage.Paragraph})
	}
	return q
}

// done reports a question once its reply has been sent: to the
// observer, in one log line with its reference, and to the question log.
// A log that cannot be written is reported and the bot goes on.
func (b *Bot) done(ctx context.Context, q usage.Question, outcome usage.Outcome, lang retrieval.Lang, attrs []any) {
	if q.Outcome == "" {
		q.Outcome = outcome
	}
	if q.Lang == "" {
		q.Lang = string(lang)
	}
	b.obs.Asked(Asked{Surface: q.Surface, Outcome: q.Outcome, Latency: q.Latency})
	b.log.Info("question", append(attrs[:len(attrs):len(attrs)], "ref", q.Ref, "surface", string(q.Surface),
		"outcome", string(q.Outcome), "mode", q.Mode, "grounded", q.Grounded, "fallback", q.Fallback,
		"cited", len(q.Cited), "latency", q.Latency)...)
	if b.deps.Log == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logBudget)
	defer cancel()
	if err := b.deps.Log.Record(ctx, q); err != nil {
		b.log.Warn("question log", append(attrs[:len(attrs):len(attrs)], "ref", q.Ref, "err", err)...)
	}
}

// limitedQuestion records an /ask refused by the rate limit; other
// interactions are not questions.
func (b *Bot) limitedQuestion(ctx context.Context, ic *discordgo.Interaction, attrs []any) {
	if ic.Type != discordgo.InteractionApplicationCommand {
		return
	}
	data, ok := commandData(ic)
	if !ok || data.Name != cmdAsk {
		return
	}
	q, _ := options(data.Options)[optQuestion].(string)
	b.done(ctx, b.slashQuestion(ic, q), usage.RateLimited, langOf(string(ic.Locale)), attrs)
}
