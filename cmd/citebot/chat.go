package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"citebot/answer"
	"citebot/retrieval"
)

// resetLine starts a new conversation in citebot chat.
const resetLine = "/reset"

// chatLine is one line of chat --json output: ask --json's fields and the
// question's turn in its conversation (1 for the first).
type chatLine struct {
	jsonAnswer
	Turn int `json:"turn"`
}

// runChat reads questions from standard input, one per line, each read in
// the conversation so far: on a terminal a prompt loop printing what ask
// prints; with --json or from a pipe one JSON object per line.
func runChat(ctx context.Context, a *app, args []string) error {
	fs := a.flags("chat")
	pos, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError{"chat reads its questions from standard input, one per line"}
	}
	db, err := a.openIndex(ctx, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	c := a.chat(db, a.answerer(db))
	interactive := !a.json && isTerminalReader(a.stdin) && isTerminal(a.stdout)
	jsonOut := a.json || !isTerminalReader(a.stdin)
	conv := newConversationID("cli")
	turn := 0
	if interactive {
		fmt.Fprintln(a.stdout, "Posez vos questions, une par ligne ; /reset recommence la conversation, Ctrl-D quitte.")
	}
	sc := bufio.NewScanner(a.stdin)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for {
		if interactive {
			fmt.Fprint(a.stdout, "\n> ")
		}
		if !sc.Scan() {
			break
		}
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			continue
		case line == resetLine:
			conv, turn = newConversationID("cli"), 0
			if interactive {
				fmt.Fprintln(a.stdout, "(nouvelle conversation)")
			}
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		ans, n, err := c.Ask(ctx, conv, line, nil)
		switch {
		case errors.Is(err, answer.ErrEmptyQuestion):
			ans = answer.Answer{Question: line, Note: "the question has no words to search for"}
			n = turn + 1
		case errors.Is(err, answer.ErrTurnNotRecorded):
			a.log.Warn("answered, but the turn was not recorded: the next question will not know of it", "err", err)
		case err != nil:
			return err
		}
		turn = n
		if jsonOut {
			if err := writeJSONLine(a.stdout, chatLine{jsonAnswer: answerJSON(withAbout(ans)), Turn: n}); err != nil {
				return err
			}
			continue
		}
		writeAnswer(a.stdout, withAbout(ans))
	}
	return sc.Err()
}

// withAbout adds to an answer's note what a follow-up was understood as.
func withAbout(ans answer.Answer) answer.Answer {
	var about string
	switch {
	case ans.Understood != "":
		about = ans.Understood
	case ans.About != "":
		about = ans.About
	default:
		return ans
	}
	prefix := "compris : "
	if ans.Lang == retrieval.English {
		prefix = "understood as: "
	}
	if ans.Note != "" {
		ans.Note += " "
	}
	ans.Note += "(" + prefix + about + ")"
	return ans
}

func writeJSONLine(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// newConversationID names a new conversation: its origin and a random part.
func newConversationID(origin string) string {
	var b [8]byte
	rand.Read(b[:])
	return origin + "/" + hex.EncodeToString(b[:])
}

func isTerminalReader(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
