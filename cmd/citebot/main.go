// Command citebot answers questions about a corpus of news articles and
// cites the file and paragraph behind every answer.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"citebot/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "citebot:", termLines(err.Error()))
	}
	os.Exit(exitCode(err))
}

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg + " (see 'citebot help')" }

func exitCode(err error) int {
	var ue usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		return 2
	case errors.Is(err, store.ErrInterrupted):
		return 130 // as a shell reports SIGINT
	}
	return 1
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, a *app, args []string) error
}

func commands() []command {
	return []command{
		{"ask", "QUESTION", "answer a question from the articles, with citations", runAsk},
		{"chat", "", "ask questions and follow-ups, one per line (/reset starts over)", runChat},
		{"search", "QUERY", "list the paragraphs that best match a query", runSearch},
		{"index", "", "build or update the index from the corpus folder", runIndex},
		{"eval", "FILE.jsonl", "measure retrieval on a question set with gold paragraphs", runEval},
		{"serve", "", "run the Discord bot (DISCORD_TOKEN; see docs/discord.md)", runServe},
		{"report", "", "sum up the question log: refusals, votes, what was not answered", runReport},
		{"help", "", "show this help", nil},
	}
}

// run is the whole program: it reads settings through getenv (and .env),
// runs one subcommand and returns its error.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		printHelp(stdout)
		return usageError{"no command given"}
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help", "-help":
		printHelp(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name && c.run != nil {
			a, err := newApp(getenv, stdout, stderr)
			if a != nil {
				a.stdin = stdin
			}
			if err != nil {
				return err
			}
			return a.explain(c.run(ctx, a, rest))
		}
	}
	return usageError{fmt.Sprintf("unknown command %q", name)}
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `citebot answers questions about news articles and cites its sources.

Usage:
  citebot <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-7s %-11s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprint(w, `
Flags (all commands):
  --db PATH       index file (CITEBOT_DB, default citebot.db); an index
                  belongs to the corpus it was built from
  --corpus DIR    folder of .txt/.md/.html articles (CITEBOT_CORPUS,
                  default: the articles shipped inside citebot)
  -k N            passages to retrieve (CITEBOT_K, default 5)
  --json          machine-readable output

A citation "file ¶N (lines a–b)" is the N-th paragraph of file, counting
paragraphs of text only (not titles, junk or share/copyright lines), found
at lines a to b of the file.

Settings may also come from a .env file in the current folder.
`)
}
