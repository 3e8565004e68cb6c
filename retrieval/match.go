package retrieval

// Matched says how each of q's terms is found in terms (analysed text), in
// Query.Terms order: 1 for one of its own variants, TranslatedWeight for a
// translation or cognate only, 0.5 for a near spelling only, 0 when absent.
func Matched(q Query, terms string) []float64 {
	have := termSet(terms)
	out := make([]float64, len(q.Terms))
	for i, t := range q.Terms {
		switch {
		case anyIn(t.Variants, have):
			out[i] = 1
		case anyIn(t.Translated, have):
			out[i] = TranslatedWeight
		case anyIn(t.Fuzzy, have):
			out[i] = 0.5
		}
	}
	return out
}
