package retrieval

// Matched says how each of q's terms is found in terms (analysed text), in
// Query.Terms order: 1 for one of its own variants, TranslatedWeight for a
// translation or cognate only, 0.5 for a near spelling only, 0 when absent.
func Matched(q Query, terms string) []float64 {
	lex := newLexicon(q)
	r := reader{lex: lex}
	rd := r.read(terms)
	out := make([]float64, len(q.Terms))
	for i, ids := range lex.terms {
		switch {
		case rd.has(ids.variants):
			out[i] = 1
		case rd.has(ids.translated):
			out[i] = TranslatedWeight
		case rd.has(ids.fuzzy):
			out[i] = 0.5
		}
	}
	return out
}
