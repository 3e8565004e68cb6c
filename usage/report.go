package usage

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Report sums up the questions of a period, for citebot report and
// /stats.
type Report struct {
	Since     time.Time       `json:"since"`
	Until     time.Time       `json:"until"`
	Questions int             `json:"questions"`
	Outcomes  map[Outcome]int `json:"outcomes"`
	Surfaces  map[Surface]int `json:"surfaces"`
	// RefusalRate is refused questions over those the articles were
	// searched for (answered and refused).
	RefusalRate float64     `json:"refusal_rate"`
	Users       int         `json:"users"` // distinct askers
	VotesUp     int         `json:"votes_up"`
	VotesDown   int         `json:"votes_down"`
	Latency     Percentiles `json:"latency_ms"` // of answered and refused questions
	Fallbacks   int         `json:"model_fallbacks"`
	// Unanswered are the refused questions, grouped when they share
	// their content words, most asked first.
	Unanswered []Group `json:"unanswered"`
	// VotedDown are the answers with more votes down than up, most
	// voted down first.
	VotedDown []Question `json:"voted_down"`
}

// Percentiles of a latency, in milliseconds.
type Percentiles struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// Group is refused questions that share their content words.
type Group struct {
	Key   string    `json:"key"`   // the content words, as the key function gives them
	Count int       `json:"count"` // times asked
	Texts []string  `json:"texts"` // distinct wordings, most recent first, at most maxTexts
	Last  time.Time `json:"last"`
}

// maxTexts bounds the wordings kept per group.
const maxTexts = 5

// Summarize reports on qs, the questions asked between since and until.
// key gives a question's content words (its stems without stop words),
// so that "Qui a signé l'accord ?" and "l'accord, qui l'a signé" fall in
// one group; questions without any fall in a group of their own text.
func Summarize(qs []Question, since, until time.Time, key func(string) string) Report {
	r := Report{Since: since, Until: until, Questions: len(qs),
		Outcomes: make(map[Outcome]int), Surfaces: make(map[Surface]int)}
	users := make(map[string]bool)
	var lat []time.Duration
	groups := make(map[string]*Group)
	for _, q := range qs {
		r.Outcomes[q.Outcome]++
		r.Surfaces[q.Surface]++
		if q.User != "" {
			users[q.User] = true
		}
		r.VotesUp += q.Up
		r.VotesDown += q.Down
		if q.Fallback {
			r.Fallbacks++
		}
		if q.Outcome == Answered || q.Outcome == Refused {
			lat = append(lat, q.Latency)
		}
		if q.Down > q.Up {
			r.VotedDown = append(r.VotedDown, q)
		}
		if q.Outcome == Refused {
			addToGroup(groups, q, key)
		}
	}
	r.Users = len(users)
	if n := r.Outcomes[Answered] + r.Outcomes[Refused]; n > 0 {
		r.RefusalRate = float64(r.Outcomes[Refused]) / float64(n)
	}
	r.Latency = percentiles(lat)
	for _, g := range groups {
		r.Unanswered = append(r.Unanswered, *g)
	}
	slices.SortFunc(r.Unanswered, func(a, b Group) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), b.Last.Compare(a.Last), strings.Compare(a.Key, b.Key))
	})
	slices.SortStableFunc(r.VotedDown, func(a, b Question) int {
		return cmp.Or(cmp.Compare(b.Down-b.Up, a.Down-a.Up), b.At.Compare(a.At))
	})
	return r
}

func addToGroup(groups map[string]*Group, q Question, key func(string) string) {
	k := key(q.Text)
	if k == "" {
		k = strings.Join(strings.Fields(strings.ToLower(q.Text)), " ")
	}
	g, ok := groups[k]
	if !ok {
		g = &Group{Key: k}
		groups[k] = g
	}
	g.Count++
	text := strings.Join(strings.Fields(q.Text), " ")
	if q.At.After(g.Last) {
		g.Last = q.At
	}
	if i := slices.Index(g.Texts, text); i >= 0 {
		return
	}
	// Questions come oldest first: the most recent wording leads.
	g.Texts = slices.Insert(g.Texts, 0, text)
	if len(g.Texts) > maxTexts {
		g.Texts = g.Texts[:maxTexts]
	}
}

// percentiles are the nearest-rank percentiles of ds, in milliseconds.
func percentiles(ds []time.Duration) Percentiles {
	if len(ds) == 0 {
		return Percentiles{}
	}
	slices.Sort(ds)
	at := func(p float64) float64 {
		i := int(p*float64(len(ds))+0.999999) - 1
		i = max(0, min(i, len(ds)-1))
		return float64(ds[i].Microseconds()) / 1000
	}
	return Percentiles{P50: at(0.5), P90: at(0.9), P99: at(0.99), Max: at(1)}
}

// ContentKey is a group key made of words: sorted, without repeats.
func ContentKey(words []string) string {
	ws := slices.Clone(words)
	slices.Sort(ws)
	return strings.Join(slices.Compact(ws), " ")
}
