package dictd

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// The FreeDict dictionaries' names under /usr/share/dictd.
const (
	EngFra = "freedict-eng-fra"
	FraEng = "freedict-fra-eng"
)

// Translator gives the French translations of English words, from
// FreeDict's English-French dictionary, completed by its French-English
// one read backwards for the words the first lacks. It is safe for
// concurrent use.
type Translator struct {
	engFra, fraEng *Dict

	mu    sync.Mutex
	cache map[string][]string
}

// Load reads the dictionaries from dir (Debian installs them in
// /usr/share/dictd). English-French is required; an error wrapping
// ErrNotInstalled says it is absent. French-English is used if present.
func Load(dir string) (*Translator, error) {
	engFra, err := Open(dir, EngFra)
	if err != nil {
		return nil, err
	}
	fraEng, err := Open(dir, FraEng)
	if err != nil && !errors.Is(err, ErrNotInstalled) {
		return nil, fmt.Errorf("load %s: %w", FraEng, err)
	}
	return NewTranslator(engFra, fraEng), nil
}

// NewTranslator translates with engFra, and with fraEng read backwards
// when engFra lacks a word; fraEng may be nil.
func NewTranslator(engFra, fraEng *Dict) *Translator {
	return &Translator{engFra: engFra, fraEng: fraEng, cache: make(map[string][]string)}
}

// Sources names the dictionaries in use and their entry counts, for logs.
func (t *Translator) Sources() string {
	s := fmt.Sprintf("%s (%d entries)", EngFra, t.engFra.Len())
	if t.fraEng != nil {
		s += fmt.Sprintf(", %s (%d entries, reversed)", FraEng, t.fraEng.Len())
	}
	return s
}

// maxCached bounds the cache of a long-running process.
const maxCached = 50_000

// Translate returns the French translations of an English word, trying
// its dictionary forms (welcomed -> welcome, countries -> country) when
// the word itself is not a headword. Nil means no translation.
func (t *Translator) Translate(word string) []string {
	k := Key(word)
	t.mu.Lock()
	tr, ok := t.cache[k]
	t.mu.Unlock()
	if ok {
		return tr
	}
	tr = t.translate(k)
	t.mu.Lock()
	if len(t.cache) >= maxCached {
		// Start over rather than stop caching: a long-running bot would
		// otherwise scan the reverse dictionary for every new word.
		clear(t.cache)
	}
	t.cache[k] = tr
	t.mu.Unlock()
	return tr
}

func (t *Translator) translate(k string) []string {
	for _, form := range Lemmas(k) {
		var out []string
		for _, e := range t.engFra.Lookup(form) {
			for _, tr := range e.Translations {
				out = appendNew(out, tr)
			}
		}
		if len(out) == 0 && t.fraEng != nil {
			out = reverse(t.fraEng, form)
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// maxReverseSenses keeps only French words whose entry gives at most this
// many English translations: an entry that lists ten English words (cry
// down, cut up, demolish, ...) is a thesaurus, not a translation of each.
const maxReverseSenses = 6

// reverse lists the French headwords of fraEng that translate to the
// English word en. It scans the dictionary's text for en rather than
// inverting every entry at load: a scan costs well under a millisecond,
// once per word, where inverting costs tens at every start-up.
func reverse(fraEng *Dict, en string) []string {
	var out []string
	for _, e := range fraEng.EntriesContaining(en) {
		if len(e.Translations) > maxReverseSenses || e.Headword == "" || strings.HasPrefix(e.Headword, "-") {
			continue // suffixes (-té: -ness, -ity) are not words
		}
		for _, tr := range e.Translations {
			if Key(strings.TrimPrefix(tr, "to ")) == en {
				out = appendNew(out, e.Headword)
				break
			}
		}
	}
	return out
}

func appendNew(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}
