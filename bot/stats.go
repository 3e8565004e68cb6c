package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"citebot/retrieval"
	"citebot/usage"
)

// /stats shows an administrator, privately, what the question log says
// of the last days: how many questions, how many the articles could not
// answer and which, and the answers voted down.

const (
	cmdStats    = "stats"
	optDays     = "days"
	defaultDays = 7
	// shown bounds the groups and answers listed.
	shownGroups    = 10
	shownVotedDown = 5
)

// statsCommand is /stats, for members with Manage Server.
func statsCommand() *discordgo.ApplicationCommand {
	manageGuild := int64(discordgo.PermissionManageGuild)
	noDM := false
	one, year := 1.0, 366.0
	return &discordgo.ApplicationCommand{
		Name:                     cmdStats,
		Description:              "Questions asked, refused and voted down (administrators, private)",
		DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.French: "Questions posées, refusées et mal notées (administrateurs, privé)"},
		DefaultMemberPermissions: &manageGuild,
		DMPermission:             &noDM,
		Options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionInteger, Name: optDays, MinValue: &one, MaxValue: year,
				Description:              "Days to cover (default 7)",
				DescriptionLocalizations: map[discordgo.Locale]string{discordgo.French: "Nombre de jours couverts (7 par défaut)"}},
		},
	}
}

func (b *Bot) onStats(work context.Context, ic *discordgo.Interaction, opts map[string]any, lang retrieval.Lang, attrs []any) {
	if !b.isAdmin(interactionAdmin(ic)) {
		b.log.Warn("stats refused: not an administrator", attrs...)
		b.respond(work, ic, say(lang, msgNotAdmin), true, attrs)
		return
	}
	if b.deps.Reporter == nil {
		b.respond(work, ic, say(lang, msgVotesOff), true, attrs)
		return
	}
	days := defaultDays
	if d, ok := opts[optDays].(float64); ok && d >= 1 {
		days = int(d)
	}
	if !b.deferReply(work, ic, true, attrs) {
		return
	}
	r := interactionReply{s: b.session, ic: ic, ephemeral: true}
	ctx, cancel := context.WithTimeout(work, b.cfg.AnswerTimeout)
	defer cancel()
	rep, err := b.deps.Reporter.Report(ctx, b.deps.Now().AddDate(0, 0, -days))
	if err != nil {
		b.fail(ctx, r, lang, fmt.Errorf("stats: %w", err), attrs)
		return
	}
	b.send(ctx, r, bounded(renderStats(rep, days, lang), "", say(lang, msgCut, b.cfg.MaxMessages), b.cfg.MaxMessages), attrs)
}

// renderStats lays a report out for Discord. Questions are what users
// typed: escaped, on one line, cut short.
func renderStats(r usage.Report, days int, lang retrieval.Lang) string {
	l := statsLabels[retrieval.English]
	if lang == retrieval.French {
		l = statsLabels[retrieval.French]
	}
	var b strings.Builder
	fmt.Fprintf(&b, l.head, days, r.Questions, r.Users)
	var outs []string
	for _, o := range usage.Outcomes {
		if n := r.Outcomes[o]; n > 0 {
			outs = append(outs, fmt.Sprintf("%s %d", o, n))
		}
	}
	if len(outs) > 0 {
		b.WriteString("\n" + strings.Join(outs, " · "))
	}
	fmt.Fprintf(&b, l.rates, 100*r.RefusalRate, r.VotesUp, voteUp, r.VotesDown, voteDown, r.Fallbacks)
	fmt.Fprintf(&b, l.latency, ms(r.Latency.P50), ms(r.Latency.P90), ms(r.Latency.P99))
	if len(r.Unanswered) > 0 {
		b.WriteString("\n\n**" + l.unanswered + "**")
		for _, g := range r.Unanswered[:min(shownGroups, len(r.Unanswered))] {
			fmt.Fprintf(&b, "\n• ×%d %s", g.Count, escape(excerpt(g.Texts[0], 150), nil))
		}
	}
	if len(r.VotedDown) > 0 {
		b.WriteString("\n\n**" + l.votedDown + "**")
		for _, q := range r.VotedDown[:min(shownVotedDown, len(r.VotedDown))] {
			fmt.Fprintf(&b, "\n• %s%d %s `%s`", voteDown, q.Down, escape(excerpt(q.Text, 150), nil), q.Ref)
		}
	}
	return b.String()
}

func ms(v float64) string {
	return (time.Duration(v * float64(time.Millisecond))).Round(time.Millisecond).String()
}

var statsLabels = map[retrieval.Lang]struct{ head, rates, latency, unanswered, votedDown string }{
	retrieval.French: {
		head:       "**Questions des %d derniers jours** : %d, de %d personnes",
		rates:      "\nRefus : %.0f %% · avis %d %s / %d %s · repli du modèle : %d",
		latency:    "\nTemps de réponse : médiane %s, p90 %s, p99 %s",
		unanswered: "Ce que les articles n’ont pas permis de répondre",
		votedDown:  "Réponses mal notées",
	},
	retrieval.English: {
		head:       "**Questions of the last %d days**: %d, from %d people",
		rates:      "\nRefused: %.0f %% · votes %d %s / %d %s · model fallbacks: %d",
		latency:    "\nAnswer time: median %s, p90 %s, p99 %s",
		unanswered: "What the articles could not answer",
		votedDown:  "Answers voted down",
	},
}
