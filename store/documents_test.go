package store

import (
	"path/filepath"
	"slices"
	"testing"
)

// TestDocumentsByTitle: /source's lookup finds an article by its file or
// by its title, whatever the case, accents and apostrophes, and lists
// those that start so first.
func TestDocumentsByTitle(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, map[string]string{
		"a/visite.txt": "Le chef d’état-major est en visite en Israël. Il a été accueilli mardi.\n\nUn autre paragraphe.\n",
		"b/accord.md":  "---\ntitle: Un accord de défense entre le Maroc et Israël\ndate: 2021-11-24\n---\n\nLe texte de l’accord.\n",
		"c/port.html":  "<title>Le port de Tanger</title><p>Le port s’agrandit en Israël.</p>",
	})
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	reload(t, db, c.fs())
	for _, tc := range []struct {
		sub  string
		want []string
	}{
		{"le chef d'etat", []string{"a/visite.txt"}},
		{"ISRAËL", []string{"a/visite.txt", "b/accord.md"}}, // in two titles, the start of neither: by path
		{"Le", []string{"a/visite.txt", "c/port.html", "b/accord.md"}},
		{"accord", []string{"b/accord.md"}}, // a file name
		{"un accord de défense entre le maroc et israël", []string{"b/accord.md"}},
		{"Le chef d’état-major est en visite en Israël…", []string{"a/visite.txt"}}, // a headline pasted whole
		{"rien", nil},
	} {
		docs, err := db.Documents(t.Context(), tc.sub, 10)
		var got []string
		for _, d := range docs {
			got = append(got, d.Path)
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("Documents(%q) = %q, %v; want %q", tc.sub, got, err, tc.want)
		}
	}
	p, err := db.Paragraph(t.Context(), "b/accord.md", 1)
	if err != nil || p.Title != "Un accord de défense entre le Maroc et Israël" || p.Date != "2021-11-24" || p.LineStart != 6 {
		t.Errorf("b/accord.md ¶1 = %+v, %v; want its front matter's title and date, at line 6", p, err)
	}
}

// TestHeadlineNotIndexed: a headline made from an article's first
// sentence names it in citations but is not indexed as a title, which
// would make every paragraph of the article match the words of ¶1.
func TestHeadlineNotIndexed(t *testing.T) {
	t.Parallel()
	c := newCorpus(t, map[string]string{
		"made.txt":   "Le dromadaire traverse le désert.\n\nLa caravane arrive à l’oasis.\n",
		"stated.txt": "Le chameau et la caravane\n\nUne caravane arrive.\n\nLe soir tombe.\n",
	})
	db := openDB(t, filepath.Join(t.TempDir(), "i.db"))
	reload(t, db, c.fs())
	if res := found(t, db, match("dromadaire"), 10); len(res) != 1 || res[0].Title != "Le dromadaire traverse le désert" {
		t.Errorf("dromadaire: %+v; want made.txt ¶1 only, titled by its first sentence", res)
	}
	if res, err := db.Search(t.Context(), match("chameau"), 10); err != nil || len(res) != 2 {
		t.Errorf("chameau: %d hits, %v; want both paragraphs of stated.txt, whose title says it", len(res), err)
	}
}
