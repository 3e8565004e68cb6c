package bot

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Chat command names; a mention of the bot is an ask.
const (
	cmdAsk    = "ask"
	cmdSearch = "search"
	cmdSource = "source"
	cmdReload = "reload"
	cmdHelp   = "help"
)

var chatCommands = []string{cmdAsk, cmdSearch, cmdSource, cmdReload, cmdHelp}

// chatCommand is a chat message addressed to the bot.
type chatCommand struct {
	Name string // one of chatCommands
	Arg  string // the rest of the message, trimmed
}

// parseChat reads a chat message: "!name arg" with the prefix, or a
// mention of the bot (<@id>) with a question, anywhere in the message.
// ok is false for a message that is not for the bot, including an
// unknown command behind the prefix, which may be another bot's.
func parseChat(content, prefix, botID string) (chatCommand, bool) {
	text := strings.TrimSpace(content)
	mentioned := false
	if botID != "" {
		for _, m := range []string{"<@" + botID + ">", "<@!" + botID + ">"} {
			if strings.Contains(text, m) {
				mentioned = true
				text = strings.ReplaceAll(text, m, " ")
			}
		}
		text = strings.TrimSpace(text)
	}
	if prefix != "" && strings.HasPrefix(text, prefix) {
		rest := strings.TrimPrefix(text, prefix)
		name, arg := rest, ""
		if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
			name, arg = rest[:i], strings.TrimSpace(rest[i:])
		}
		name = strings.ToLower(name)
		for _, c := range chatCommands {
			if name == c {
				return chatCommand{Name: c, Arg: arg}, true
			}
		}
	}
	if !mentioned {
		return chatCommand{}, false
	}
	if text == "" {
		return chatCommand{Name: cmdHelp}, true
	}
	return chatCommand{Name: cmdAsk, Arg: text}, true
}

var (
	// sourceRef is "file ¶N", "file 3", "file #3", "file:3" or "file, ¶ 3".
	sourceRef = regexp.MustCompile(`^(.*?)[\s,:#¶§]*(?:¶|§|#|:|\s)\s*(\d{1,9})$`)
	// lineRange is the "(lines a–b)" a citation copied whole ends with.
	lineRange = regexp.MustCompile(`\s*\(lines? [^()]*\)$`)
)

// parseSource reads !source's argument, as people copy it from a
// citation: "file ¶N", "file ¶N (lines a–b)", "file 3", with or without
// backticks.
func parseSource(arg string) (file string, n int, ok bool) {
	arg = strings.TrimSpace(strings.Trim(strings.TrimSpace(arg), "`"))
	arg = strings.TrimSpace(lineRange.ReplaceAllString(arg, ""))
	m := sourceRef.FindStringSubmatch(arg)
	if m == nil {
		return "", 0, false
	}
	file = strings.TrimSpace(strings.Trim(strings.TrimSpace(m[1]), "`"))
	n, err := strconv.Atoi(m[2])
	if err != nil || n < 1 || file == "" {
		return "", 0, false
	}
	return file, n, true
}
