package evalset

import (
	"strings"
	"testing"
)

func TestBuild(t *testing.T) {
	t.Parallel()
	q := func(id, file string) Question {
		return Question{ID: id, Question: id + " ?", File: file, Gold: []Gold{{File: file, Contains: "x"}}}
	}
	qs := []Question{q("a1", "a"), q("a2", "a"), q("a3", "a"), q("a4", "a"), q("b1", "b"), q("c1", "c"), q("c2", "c")}
	cs := Build(qs, 3, 1)
	var same, switches []string
	for _, c := range cs {
		var ids []string
		for _, t := range c.Turns {
			ids = append(ids, t.ID)
		}
		switch c.Kind {
		case SameArticle:
			same = append(same, strings.Join(ids, ","))
		case TopicSwitch:
			switches = append(switches, strings.Join(ids, ","))
			if c.Turns[0].Article() == c.Turns[1].Article() {
				t.Errorf("topic switch %v stays on one article", ids)
			}
		}
	}
	if got, want := strings.Join(same, " "), "a1,a2,a3 c1,c2"; got != want {
		t.Errorf("same-article conversations %q, want %q (a4 and b1 alone make none)", got, want)
	}
	if len(switches) != len(same) {
		t.Errorf("%d topic switches, want %d", len(switches), len(same))
	}
}

func TestReadConversations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		wantErr  bool
	}{
		{"ok", `{"id":"c","kind":"same-article","turns":[{"question":"Qui ?"},{"question":"Et quand ?"}]}`, false},
		{"no turns", `{"id":"c","turns":[]}`, true},
		{"empty question", `{"id":"c","turns":[{"question":""}]}`, true},
		{"garbage", `{`, true},
		{"empty", ``, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadConversations(strings.NewReader(tc.in))
			if (err != nil) != tc.wantErr {
				t.Errorf("err = %v, want error %v", err, tc.wantErr)
			}
		})
	}
}
