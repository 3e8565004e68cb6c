package bot

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"
)

// slowDown is the reaction that tells a chat user they are over the rate
// limit, without a message in the channel.
const slowDown = "⏳"

// mayPost asks the limiter whether a request may make the bot post. A
// refused user is told once per window through notify, given how long to
// wait; the other refusals are silent.
func (b *Bot) mayPost(user, channel string, cost float64, attrs []any, notify func(wait time.Duration)) bool {
	v := b.limits.allow(user, channel, cost)
	if v.ok {
		return true
	}
	attrs = append(attrs[:len(attrs):len(attrs)], "wait", v.wait, "notice", v.notice)
	if !v.notice {
		b.log.Debug("rate limited", attrs...)
		return false
	}
	b.log.Info("rate limited", attrs...)
	if notify != nil {
		notify(roundUp(v.wait))
	}
	return false
}

func roundUp(d time.Duration) time.Duration { return (d + time.Second - 1).Truncate(time.Second) }

// react tells a chat user they are over the limit with a reaction on
// their message. Without the Add Reactions permission the bot stays
// silent rather than post.
func (b *Bot) react(ctx context.Context, m *discordgo.Message, attrs []any) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), ackBudget)
	defer cancel()
	if err := b.session.MessageReactionAdd(m.ChannelID, m.ID, slowDown, discordgo.WithContext(ctx)); err != nil {
		b.log.Info("rate-limit reaction not added (does the bot have Add Reactions?)", append(attrs, "err", err)...)
	}
}
