package main

import (
	"errors"
	"fmt"

	"citebot/store"
)

// userError is an error told to the user in a short, fixed message that
// says what to do; the error it explains stays reachable for errors.Is.
type userError struct {
	msg string
	err error
}

func (e userError) Error() string { return e.msg }
func (e userError) Unwrap() error { return e.err }

// explain turns the store's errors that a user can act on into messages
// that name the index and the way out. Others pass unchanged.
func (a *app) explain(err error) error {
	db := a.cfg.DB
	var ce *store.CorpusError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return userError{fmt.Sprintf("the index at %s was built from %s, not from %s; nothing was changed.\n"+
			"Use %s to read it, --db with another file for a separate index, or `citebot index --db %s%s --rebuild` to replace it",
			db, corpusPhrase(ce.Index), corpusPhrase(ce.Given), corpusFlag(ce.Index), db, corpusArg(ce.Given)), err}
	case errors.Is(err, store.ErrInterrupted):
		return userError{store.ErrInterrupted.Error(), err}
	case errors.Is(err, store.ErrDamaged):
		return userError{fmt.Sprintf("the index at %s is damaged: delete it or run `citebot index --db %s --rebuild`", db, db), err}
	case errors.Is(err, store.ErrBusy):
		return userError{fmt.Sprintf("the index at %s is being updated by another process; try again when it finishes", db), err}
	case errors.Is(err, store.ErrReadOnly):
		return userError{fmt.Sprintf("the index at %s is read-only: it can answer questions but not be updated (use --db with a writable file)", db), err}
	}
	return err
}

func corpusPhrase(name string) string {
	if name == store.Shipped {
		return "the shipped articles"
	}
	return "the corpus " + name
}

// corpusFlag is how a command names the corpus.
func corpusFlag(name string) string {
	if name == store.Shipped {
		return "no --corpus"
	}
	return "--corpus " + name
}

func corpusArg(name string) string {
	if name == store.Shipped {
		return ""
	}
	return " --corpus " + name
}
