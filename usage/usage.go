// Package usage describes how citebot is used: the questions it was
// asked, what became of them, the votes on its answers, and the report
// an administrator reads to see what the articles fail to answer. It is
// pure data and arithmetic: store keeps the records, bot and cmd make
// and show them.
package usage

import "time"

// Surface is where a question was asked.
type Surface string

const (
	Slash   Surface = "slash"   // the /ask command
	Chat    Surface = "chat"    // a chat command such as !ask
	Mention Surface = "mention" // a message mentioning the bot
	CLI     Surface = "cli"     // citebot ask --log
)

// Outcome is what became of a question.
type Outcome string

const (
	Answered    Outcome = "answered"     // a grounded answer with citations
	Refused     Outcome = "refused"      // the articles do not answer it
	Failed      Outcome = "error"        // the user was shown an error and its reference
	RateLimited Outcome = "rate-limited" // over the user's or channel's rate limit
	Invalid     Outcome = "invalid"      // empty, too long or without searchable words
)

// Outcomes lists every outcome, in the order reports show them.
var Outcomes = []Outcome{Answered, Refused, Failed, RateLimited, Invalid}

// Surfaces lists every surface, in the order reports show them.
var Surfaces = []Surface{Slash, Chat, Mention, CLI}

// Question is one question asked, as the log keeps it.
type Question struct {
	Ref     string // the reference shown to the user on errors, and the key of votes
	At      time.Time
	Surface Surface
	Outcome Outcome
	// User is who asked: a Discord user id when recorded, which the log
	// keeps only as a keyed hash; that hash when read back. Empty on the
	// command line.
	User      string
	GuildID   string
	ChannelID string
	// MessageID is the bot's reply to a chat question, so that a
	// reaction on it finds the question.
	MessageID string
	Text      string
	Lang      string // "fr", "en", or empty when unknown
	Mode      string // "extractive" or "llm"; empty without an answer
	Grounded  bool
	Fallback  bool // the model failed and the answer was extractive
	Cited     []Cited
	Latency   time.Duration // from the question to the answer computed

	// Up and Down count the votes on the answer, when read back.
	Up, Down int
}

// Cited names a paragraph an answer cites.
type Cited struct {
	File      string `json:"file"`
	Paragraph int    `json:"paragraph"`
}

// Vote is a user's vote on an answer: +1 or -1, or 0 to withdraw it.
// One vote per user per answer; a later one replaces it.
type Vote struct {
	Ref       string // the question's reference, from a button
	MessageID string // or the bot's reply, from a reaction
	User      string // a Discord user id; the log keeps a keyed hash
	Value     int
	At        time.Time
}
