package dictd

import "strings"

// irregular maps common irregular English forms to their dictionary form;
// suffix rules cannot find these, and news questions use them often.
var irregular = map[string]string{
	"won": "win", "took": "take", "taken": "take", "gave": "give", "given": "give",
	"made": "make", "held": "hold", "led": "lead", "built": "build", "began": "begin",
	"begun": "begin", "became": "become", "found": "find", "fought": "fight",
	"left": "leave", "lost": "lose", "paid": "pay", "said": "say", "sent": "send",
	"sold": "sell", "spent": "spend", "told": "tell", "wrote": "write",
	"written": "write", "came": "come", "went": "go", "gone": "go", "saw": "see",
	"seen": "see", "knew": "know", "known": "know", "chose": "choose",
	"chosen": "choose", "met": "meet", "brought": "bring", "bought": "buy",
	"thought": "think", "taught": "teach", "caught": "catch", "fell": "fall",
	"fallen": "fall", "grew": "grow", "grown": "grow", "ran": "run", "rose": "rise",
	"risen": "rise", "struck": "strike", "stood": "stand", "spoke": "speak",
	"spoken": "speak", "wore": "wear", "worn": "wear", "drove": "drive",
	"driven": "drive", "flew": "fly", "flown": "fly", "threw": "throw",
	"thrown": "throw", "kept": "keep", "felt": "feel", "heard": "hear", "hid": "hide",
	"hidden": "hide", "shot": "shoot", "men": "man", "women": "woman",
	"children": "child", "people": "person", "feet": "foot", "teeth": "tooth",
	"mice": "mouse", "lives": "life", "wives": "wife", "wolves": "wolf",
}

// Lemmas lists the forms under which a dictionary may list an English
// word: the word itself first, then its likely dictionary forms, undoing
// the regular plural, past and -ing endings. Some guesses are not words
// (stopped -> stopp); a dictionary lookup simply misses them.
func Lemmas(w string) []string {
	forms := []string{w}
	if base, ok := irregular[w]; ok {
		return append(forms, base)
	}
	add := func(s string) {
		if len(s) >= 2 {
			forms = appendNew(forms, s)
		}
	}
	undouble := func(s string) {
		if n := len(s); n >= 3 && s[n-1] == s[n-2] && !strings.ContainsRune("aeiouls", rune(s[n-1])) {
			add(s[:n-1])
		}
	}
	switch {
	case strings.HasSuffix(w, "ies") || strings.HasSuffix(w, "ied"):
		add(w[:len(w)-3] + "y")
		add(w[:len(w)-1])
	case strings.HasSuffix(w, "sses") || strings.HasSuffix(w, "xes") || strings.HasSuffix(w, "ches") ||
		strings.HasSuffix(w, "shes") || strings.HasSuffix(w, "zes"):
		add(w[:len(w)-2])
		add(w[:len(w)-1])
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		add(w[:len(w)-1])
	case strings.HasSuffix(w, "ed"):
		add(w[:len(w)-1])
		add(w[:len(w)-2])
		undouble(w[:len(w)-2])
	case strings.HasSuffix(w, "ing") && len(w) > 5:
		add(w[:len(w)-3])
		add(w[:len(w)-3] + "e")
		undouble(w[:len(w)-3])
	}
	return forms
}
