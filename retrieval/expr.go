package retrieval

import "strings"

// Match is what a search asks an index for, in index terms rather than in
// any engine's syntax: the paragraphs that hold at least one term of
// every clause, ranked by BM25 over all of the terms. The SQLite store
// renders it as an FTS5 expression; a PostgreSQL store would render it as
// a tsquery such as (a | b) & (a | b | c). Terms are analysed words as
// the index holds them, never text a user typed, so no query can act as
// syntax of the engine.
type Match struct {
	// All lists the clauses, each a list of alternatives: distinct,
	// non-empty terms.
	All [][]string
}

// AnyOf is the match of any of terms: one clause, duplicates and empty
// terms left out.
func AnyOf(terms []string) Match {
	c := clause(terms)
	if len(c) == 0 {
		return Match{}
	}
	return Match{All: [][]string{c}}
}

// And is the match of paragraphs that both m and o match.
func (m Match) And(o Match) Match {
	if m.Empty() || o.Empty() {
		return Match{}
	}
	all := append(append(make([][]string, 0, len(m.All)+len(o.All)), m.All...), o.All...)
	return Match{All: all}
}

// Empty reports whether m matches nothing.
func (m Match) Empty() bool { return len(m.All) == 0 }

// Terms lists every term m names, once each, in order.
func (m Match) Terms() []string {
	var all []string
	for _, c := range m.All {
		all = append(all, c...)
	}
	return clause(all)
}

// String shows m for logs and tests, as (a OR b) AND (c). It is not any
// engine's syntax: terms are not quoted.
func (m Match) String() string {
	parts := make([]string, len(m.All))
	for i, c := range m.All {
		parts[i] = strings.Join(c, " OR ")
		if len(m.All) > 1 {
			parts[i] = "(" + parts[i] + ")"
		}
	}
	return strings.Join(parts, " AND ")
}

// clause is terms without duplicates or empty strings.
func clause(terms []string) []string {
	var out []string
	seen := make(map[string]bool, len(terms))
	for _, t := range terms {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
