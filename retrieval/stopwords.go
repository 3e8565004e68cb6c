package retrieval

import (
	_ "embed"
	"strings"
)

var (
	//go:embed stopwords_fr.txt
	stopwordsFR string
	//go:embed stopwords_en.txt
	stopwordsEN string
)

// wordSet parses a word list: words separated by white space, lines
// starting with # ignored.
func wordSet(list string) map[string]bool {
	set := make(map[string]bool)
	for line := range strings.Lines(list) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			set[w] = true
		}
	}
	return set
}
