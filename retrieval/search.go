package retrieval

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Index is what search needs from a store of paragraphs. Finding and
// reading are two steps so that only the few passages kept after
// re-ranking are read in full.
type Index interface {
	// Search returns up to limit candidates that m matches, best BM25
	// first, Score higher is better.
	Search(ctx context.Context, m Match, limit int) ([]Candidate, error)
	// Passages returns the paragraphs of ids in full, keyed by id. An id
	// the index no longer holds (a reload since Search) is left out.
	Passages(ctx context.Context, ids []int64) (map[int64]Passage, error)
	// DocFreqs reports how many paragraphs hold each term, and how many
	// paragraphs the index holds in all.
	DocFreqs(ctx context.Context, terms []string) (freqs map[string]int, total int, err error)
	// TermsNear lists indexed terms that may be misspellings of term:
	// those sharing its first letters, of similar length.
	TermsNear(ctx context.Context, term string) ([]VocabTerm, error)
}

// Options tune a Searcher. The zero value takes the defaults.
type Options struct {
	// Candidates is how many BM25 hits are re-ranked; at least k.
	Candidates int
	// MinCoverage is the share of the question's weight that the best
	// passage must hold for the result to count as relevant.
	MinCoverage float64
	// ProximityWeight is how much the closeness of the question's adjacent
	// words in a passage counts against BM25 when re-ranking candidates.
	// Negative switches it off. (Blending in term coverage or a same-file
	// prior was measured too and lowered recall; see bench/NOTES.md.)
	ProximityWeight float64
	// PriorWeight is what a passage from one of the query's Prior files
	// (those a conversation cited) gains in re-ranking. Negative switches
	// it off.
	PriorWeight float64
}

func (o Options) withDefaults() Options {
	if o.Candidates <= 0 {
		o.Candidates = 40
	}
	if o.MinCoverage <= 0 {
		o.MinCoverage = 0.2
	}
	o.ProximityWeight = weight(o.ProximityWeight, 0.5)
	o.PriorWeight = weight(o.PriorWeight, defaultPriorWeight)
	return o
}

// weight returns def for 0, and 0 for a negative w: a way to switch a
// ranking signal off explicitly.
func weight(w, def float64) float64 {
	switch {
	case w < 0:
		return 0
	case w == 0:
		return def
	}
	return w
}

// Result is what a search found, with a judgement of whether it answers.
type Result struct {
	Query    Query
	Passages []Passage // best first
	// Relevant is false when nothing found holds enough of the question
	// to answer it: "nothing here answers this" is a result too.
	Relevant bool
	// Coverage is the best passage's share of the question's weight.
	Coverage float64
	// Weights holds each query term's IDF weight, in Query.Terms order.
	Weights []float64
}

// Searcher runs questions against an Index.
type Searcher struct {
	an   *Analyzer
	idx  Index
	opts Options
}

// NewSearcher returns a Searcher over idx.
func NewSearcher(an *Analyzer, idx Index, opts Options) *Searcher {
	return &Searcher{an: an, idx: idx, opts: opts.withDefaults()}
}

// Analyzer returns the analyser the searcher parses questions with.
func (s *Searcher) Analyzer() *Analyzer { return s.an }

// Search finds the k passages that best answer text. A text with no
// searchable word returns ErrEmptyQuery.
func (s *Searcher) Search(ctx context.Context, text string, k int) (Result, error) {
	q := s.an.ParseQuery(text)
	if len(q.Terms) == 0 {
		return Result{Query: q}, ErrEmptyQuery
	}
	return s.SearchQuery(ctx, q, k)
}

// SearchQuery is Search for a query already parsed, for callers that add
// terms of their own (a model's rewrite of the question, say).
func (s *Searcher) SearchQuery(ctx context.Context, q Query, k int) (Result, error) {
	if k <= 0 {
		k = 5
	}
	// Candidates and the passages kept are two reads of the index: a
	// reload may come between them, and then the search starts over.
	var res Result
	var err error
	for range maxTries {
		res, err = s.search(ctx, q, k)
		if !errors.Is(err, errIndexChanged) {
			break
		}
	}
	return res, err
}

// maxTries bounds how often a search starts over because the index changed
// under it: a reload takes seconds, so twice in a row is already rare.
const maxTries = 3

// errIndexChanged means that a paragraph ranked was gone or different when
// its text was read.
var errIndexChanged = errors.New("index changed during search")

// ranked is a candidate being re-ranked, with its text read once for all
// the scores.
type ranked struct {
	Candidate
	bm25 float64 // Score before re-ranking
	read reading
}

// search is one try of SearchQuery.
func (s *Searcher) search(ctx context.Context, q Query, k int) (Result, error) {
	// expand fills in the terms' spellings and translations: on a copy,
	// so that the caller's Query gives the same result when asked again.
	q.Terms = slices.Clone(q.Terms)
	weights, dfs, total, err := s.expand(ctx, &q)
	if err != nil {
		return Result{Query: q}, err
	}
	found, err := s.candidates(ctx, q, dfs, total, k)
	if err != nil {
		return Result{Query: q}, err
	}
	lex := newLexicon(q)
	rd := &reader{lex: lex}
	cands := rd.readAll(found, nil)
	if q.Boosted() {
		// The context's words may crowd out the passages that hold only
		// the follow-up's own: those are candidates too.
		own, ownDFs := ownTerms(q, dfs)
		more, err := s.candidates(ctx, own, ownDFs, total, k)
		if err != nil {
			return Result{Query: q}, err
		}
		more = slices.DeleteFunc(more, func(p Candidate) bool {
			return slices.ContainsFunc(found, func(c Candidate) bool { return c.File == p.File && c.Paragraph == p.Paragraph })
		})
		n := len(cands)
		cands = rd.readAll(more, cands)
		// Their index score lacks the context words: those count in
		// full here, and discount then takes back what they should not.
		avg := avgTerms(cands)
		for i := n; i < len(cands); i++ {
			cands[i].Score += contextScore(q, lex, dfs, total, cands[i].read, avg, 1)
		}
	}
	top := s.rerank(q, lex, weights, dfs, total, cands)
	if len(top) > k {
		top = top[:k]
	}
	res := Result{Query: q, Weights: weights}
	if res.Passages, err = s.passages(ctx, top); err != nil {
		return res, err
	}
	for _, c := range top {
		res.Coverage = max(res.Coverage, lex.coverage(q, weights, c.read))
	}
	res.Relevant = res.Coverage >= s.opts.MinCoverage
	return res, nil
}

// readAll appends cands, read, to out.
func (r *reader) readAll(cands []Candidate, out []ranked) []ranked {
	out = slices.Grow(out, len(cands))
	r.grow(len(cands))
	for _, c := range cands {
		out = append(out, ranked{Candidate: c, read: r.read(c.Terms)})
	}
	return out
}

// passages reads the text of the passages ranked, in their order, with
// their re-ranked score. It returns errIndexChanged if one of them is no
// longer what was ranked.
func (s *Searcher) passages(ctx context.Context, top []ranked) ([]Passage, error) {
	if len(top) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(top))
	for i, c := range top {
		ids[i] = c.ID
	}
	byID, err := s.idx.Passages(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read passages: %w", err)
	}
	out := make([]Passage, len(top))
	for i, c := range top {
		p, ok := byID[c.ID]
		if !ok || p.File != c.File || p.Paragraph != c.Paragraph || p.Terms != c.Terms {
			return nil, fmt.Errorf("%s ¶%d: %w", c.File, c.Paragraph, errIndexChanged)
		}
		p.Score, p.BM25 = c.Score, c.bm25
		out[i] = p
	}
	return out, nil
}

// candidates runs q's match plan and returns the index's best paragraphs.
func (s *Searcher) candidates(ctx context.Context, q Query, dfs []int, total, k int) ([]Candidate, error) {
	var cands []Candidate
	for _, match := range matchPlan(q, dfs, total) {
		var err error
		cands, err = s.idx.Search(ctx, match, max(k, s.opts.Candidates))
		if err != nil {
			return nil, fmt.Errorf("search index: %w", err)
		}
		if len(cands) >= k {
			break
		}
	}
	return cands, nil
}

// ownTerms is q without its context terms, with their document counts.
func ownTerms(q Query, dfs []int) (Query, []int) {
	own := q
	own.Terms = nil
	var ownDFs []int
	for i, t := range q.Terms {
		if !t.Context() {
			own.Terms = append(own.Terms, t)
			ownDFs = append(ownDFs, dfs[i])
		}
	}
	return own, ownDFs
}

// expand looks the query's terms up in the index: unknown words get their
// nearest indexed spellings, and every term gets an IDF weight.
func (s *Searcher) expand(ctx context.Context, q *Query) (weights []float64, dfs []int, total int, err error) {
	var all []string
	for _, t := range q.Terms {
		all = append(append(all, t.Variants...), t.Translated...)
	}
	freqs, total, err := s.idx.DocFreqs(ctx, all)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("look up terms: %w", err)
	}
	// A question whose words the index mostly holds as they are speaks the
	// corpus's language: its words the index holds need no translation.
	// An English question over English text would otherwise also match
	// French stems that happen to be English words (SQuAD recall@5 0.942
	// -> 0.931 with FreeDict). Its other words are still translated: over
	// French text, "defense" and "signed" are indexed as they are
	// ("défense", "signé") but "agreement" is only there as "accord".
	known := 0
	for _, t := range q.Terms {
		if maxFreq(t.Variants, freqs) > 0 {
			known++
		}
	}
	if 2*known > len(q.Terms) {
		for i := range q.Terms {
			if maxFreq(q.Terms[i].Variants, freqs) > 0 {
				q.Terms[i].Translated = nil
			}
		}
	}
	if err := s.snapTranslations(ctx, q, freqs); err != nil {
		return nil, nil, 0, err
	}
	weights = make([]float64, len(q.Terms))
	dfs = make([]int, len(q.Terms))
	for i := range q.Terms {
		t := &q.Terms[i]
		df, trDF := maxFreq(t.Variants, freqs), maxFreq(t.Translated, freqs)
		if len(t.Translated) > 0 {
			t.TranslatedIDF = idf(trDF, total)
		}
		// Rare terms are often names, and names come in several
		// spellings (Kochavi, Kohavi): they get their near spellings too,
		// never rarer than themselves, so an ordinary word does not turn
		// into an unrelated rare one.
		if max(df, trDF) <= rareDocs && len(t.Variants) > 0 {
			near, err := s.idx.TermsNear(ctx, t.Variants[0])
			if err != nil {
				return nil, nil, 0, fmt.Errorf("look up spellings of %q: %w", t.Word, err)
			}
			near = slices.DeleteFunc(near, func(n VocabTerm) bool { return n.Docs < df })
			minRunes := minFuzzyRunes
			if t.Name {
				minRunes = minFuzzyNameRunes
			}
			t.Fuzzy = nearest(t.Variants[0], near, minRunes)
			for _, f := range t.Fuzzy {
				for _, n := range near {
					if n.Term == f {
						df = max(df, n.Docs)
					}
				}
			}
		}
		if max(df, trDF) == 0 && t.Tail {
			// Noise after the question that no paragraph holds does not
			// make the question less answerable.
			dfs[i] = 0
			continue
		}
		weights[i] = idf(df, total) * t.boost()
		dfs[i] = max(df, trDF)
	}
	return weights, dfs, total, nil
}

const (
	// pruneFrom is the index size from which MATCH leaves terms out: in a
	// large index, FTS5's cost is scoring every row that matches (about a
	// microsecond each), and a common word makes it score thousands of
	// rows for little ranking information. Terms left out still count in
	// re-ranking and relevance.
	pruneFrom = 20_000
	// commonShare is the share of paragraphs above which a term is common
	// and left out. (At 100k paragraphs: p50 8.4 ms -> 3.8 ms; 10% pruned
	// too little: 7.3 ms.)
	commonShare = 0.03
	// minMatchTerms is how many terms MATCH keeps at least, rarest first,
	// while they fit matchBudget.
	minMatchTerms = 2
	// matchBudget bounds the rows a question makes FTS5 score, estimated
	// from document frequencies, so that latency stops growing with the
	// index: about 20 ms of scoring on the 2-core machine we measure on.
	matchBudget = 20_000
)

// matchPlan lists the matches to try for q, in order, the next
// one only if the previous found fewer than k rows. A small index gets
// every term OR-ed. A large one matches its rarest terms R, OR-ed while
// they fit matchBudget, as "(R) AND (R OR rest)": the same rows as R, but
// bm25() then counts the other not-too-common terms too, so they rank
// those rows without FTS5 scoring every row that holds them. When even the
// rarest term does not fit, the commonest terms are AND-ed until their
// estimated intersection fits, with the OR of the two rarest as the
// fallback if the intersection finds too little. (At 1M paragraphs, PIAF:
// p99 130 ms -> 34 ms, recall@5 0.344 -> 0.345; see bench/NOTES.md.)
func matchPlan(q Query, dfs []int, total int) []Match {
	if total < pruneFrom {
		if m := q.Match(); !m.Empty() {
			return []Match{m}
		}
		return nil
	}
	// A term no paragraph holds matches nothing: planning with it would
	// only spend the budget's first slot on an empty expression.
	var order []int
	for i := range q.Terms {
		if dfs[i] > 0 {
			order = append(order, i)
		}
	}
	if len(order) == 0 {
		return nil
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(dfs[a], dfs[b]) })
	common := commonShare * float64(total)
	rows, n := 0, 0
	for rank, i := range order {
		df := dfs[i]
		if rows+df > matchBudget || (rank >= minMatchTerms && float64(df) > common) {
			break
		}
		rows += df
		n++
	}
	rare := variantsOf(q, order[:n])
	if m := AnyOf(rare); !m.Empty() {
		var rest []int
		for _, i := range order[n:] {
			if float64(dfs[i]) <= common {
				rest = append(rest, i)
			}
		}
		if r := AnyOf(variantsOf(q, rest)); !r.Empty() {
			return []Match{m.And(AnyOf(append(rare, r.Terms()...)))}
		}
		return []Match{m}
	}
	// Every term is common. Their intersection is small, if the
	// question's words occur independently of each other.
	var groups Match
	est := float64(total)
	for _, i := range order {
		if g := AnyOf(q.Terms[i].All()); !g.Empty() {
			groups.All = append(groups.All, g.All...)
			est *= float64(dfs[i]) / float64(total)
		}
		if est <= matchBudget && len(groups.All) >= 2 {
			break
		}
	}
	var plan []Match
	if len(groups.All) >= 2 {
		plan = append(plan, groups)
	}
	if m := AnyOf(variantsOf(q, order[:min(minMatchTerms, len(order))])); !m.Empty() {
		plan = append(plan, m)
	}
	return plan
}

// variantsOf lists the index terms of q's terms at the given indexes.
func variantsOf(q Query, idx []int) []string {
	var vs []string
	for _, i := range idx {
		vs = append(vs, q.Terms[i].All()...)
	}
	return vs
}

// rareDocs is the paragraph count at or below which a term is rare enough
// to be searched with its near spellings as well.
const rareDocs = 3

// idf is BM25's inverse document frequency, kept positive.
func idf(df, total int) float64 {
	return math.Log(1 + (float64(total)-float64(df)+0.5)/(float64(df)+0.5))
}

// Coverage is the share of the query's weight found in terms (analysed
// text): a term found exactly counts fully, one found only through a near
// spelling half, and one found only through a translation or cognate
// TranslatedWeight of the lesser of its weight and its translations'
// IDF: "year" translated as the common "année" says little of a passage.
func Coverage(q Query, weights []float64, terms string) float64 {
	lex := newLexicon(q)
	r := reader{lex: lex}
	return lex.coverage(q, weights, r.read(terms))
}

func anyIn(terms []string, set map[string]bool) bool {
	for _, t := range terms {
		if set[t] {
			return true
		}
	}
	return false
}

// rerank orders BM25 candidates by a blend of their BM25 score, scaled to
// the best one, the proximity of the question's words in them and, for a
// conversation, a prior for the files it cited. Ties go to file, then
// paragraph, so results are deterministic.
// It reorders cands in place and returns them.
func (s *Searcher) rerank(q Query, lex *lexicon, weights []float64, dfs []int, total int, cands []ranked) []ranked {
	if len(cands) == 0 {
		return nil
	}
	if q.Boosted() {
		discount(q, lex, dfs, total, cands)
	}
	top := cands[0].Score
	for _, c := range cands {
		top = max(top, c.Score)
	}
	for i := range cands {
		c := &cands[i]
		bm := 0.0
		if top > 0 {
			bm = c.Score / top
		}
		c.bm25 = c.Score
		c.Score = bm + s.opts.ProximityWeight*lex.proximity(q, weights, c.read)
		if slices.Contains(q.Prior, c.File) {
			c.Score += s.opts.PriorWeight
		}
	}
	slices.SortStableFunc(cands, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.File, b.File), cmp.Compare(a.Paragraph, b.Paragraph))
	})
	return cands
}

// defaultPriorWeight is what a passage of a file the conversation cited
// gains, against a BM25 share of at most 1 and proximity's 0.5: enough to
// break near ties in favour of the article being talked about, not to
// bring back an article that matches the follow-up poorly.
const defaultPriorWeight = 0.1

// FTS5's BM25 parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// discount takes back from each candidate's BM25 score, which the index
// computed with every term at full weight, the part its context terms
// (Boost under 1) should not have had. Term frequencies and lengths are
// read from the analysed text; the average length is the candidates'.
// It reorders cands in place.
func discount(q Query, lex *lexicon, dfs []int, total int, cands []ranked) {
	avg := avgTerms(cands)
	for i := range cands {
		cands[i].Score -= contextScore(q, lex, dfs, total, cands[i].read, avg, -1)
	}
	slices.SortStableFunc(cands, func(a, b ranked) int { return cmp.Compare(b.Score, a.Score) })
}

// avgTerms is the candidates' mean length in index terms.
func avgTerms(cands []ranked) float64 {
	sum := 0
	for _, c := range cands {
		sum += c.read.n
	}
	return max(float64(sum)/float64(max(len(cands), 1)), 1)
}

// contextScore is the BM25 score of a passage's context terms (those with
// a Boost under 1), each at full weight times share, or times 1-Boost when
// share is negative.
func contextScore(q Query, lex *lexicon, dfs []int, total int, rd reading, avg, share float64) float64 {
	norm := bm25K1 * (1 - bm25B + bm25B*float64(rd.n)/avg)
	score := 0.0
	for j, t := range q.Terms {
		if !t.Context() {
			continue
		}
		f := share
		if share < 0 {
			f = 1 - t.boost()
		}
		w := math.Max(math.Log((float64(total)-float64(dfs[j])+0.5)/(float64(dfs[j])+0.5)), 1e-6)
		for _, v := range lex.terms[j].all {
			if tf := float64(rd.counts[v]); tf > 0 {
				score += f * w * tf * (bm25K1 + 1) / (tf + norm)
			}
		}
	}
	return score
}

// Proximity is the share of the query's adjacent term pairs that appear
// close together (within a few terms) in the passage, weighted by IDF.
func Proximity(q Query, weights []float64, terms string) float64 {
	if len(q.Terms) < 2 {
		return 0
	}
	lex := newLexicon(q)
	r := reader{lex: lex}
	return lex.proximity(q, weights, r.read(terms))
}
