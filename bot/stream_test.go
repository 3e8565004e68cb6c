package bot

import (
	"strings"
	"testing"

	"citebot/internal/discordtest"
	"citebot/retrieval"
)

func TestRenderPreview(t *testing.T) {
	t.Parallel()
	short := renderPreview("Il a été accueilli [1](http://evil.example) @everyone", retrieval.French)
	if !isDraft(short) || strings.Contains(short, "](") || strings.Contains(short, "@everyone") {
		t.Errorf("preview %q is not a draft, or not escaped", short)
	}
	huge := hugeText()
	a, b := renderPreview(huge[:50_000], retrieval.English), renderPreview(huge, retrieval.English)
	if a != b {
		t.Error("two texts longer than a message render differently: the editor would send an edit nobody sees")
	}
	if n := length(b); n > MaxContent || !isDraft(b) {
		t.Errorf("preview of a huge text is %d long, or not a draft", n)
	}
}

// TestFailedEditEndsWithCheckedAnswer: when the draft cannot be replaced
// by the answer, the answer is sent anew and the draft deleted, or
// marked if it cannot be deleted.
func TestFailedEditEndsWithCheckedAnswer(t *testing.T) {
	t.Parallel()
	const text = "He was welcomed by Aviv Kohavi [1], shortly before the defence agreement was signed in Rabat."
	for _, tc := range []struct {
		name        string
		chat        bool
		deleteFails bool
	}{
		{"slash", false, false},
		{"slash, draft not deleted", false, true},
		{"chat", true, false},
		{"chat, draft not deleted", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fa := &fakeAnswer{ans: citedAnswer(text), release: make(chan struct{})}
			h := start(t, setup{answer: fa})
			edit, del, draftKind := discordtest.EditOriginal, discordtest.DeleteOriginal, discordtest.EditOriginal
			if tc.chat {
				edit, del, draftKind = discordtest.MessageEdit, discordtest.MessageDelete, discordtest.Message
			}
			var ev discordtest.Event
			if tc.chat {
				ev = h.say(t, discordtest.Event{Text: "!ask " + question})
			} else {
				ev = h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
			}
			// The draft shows the last text streamed, so no other
			// preview edit is coming.
			last := renderPreview(text[:2*len(text)/3], retrieval.French)
			h.srv.Wait(t, "the draft", func(c []discordtest.Call) bool {
				for _, x := range discordtest.Of(c, draftKind) {
					if x.Decode(t).Content == last {
						return true
					}
				}
				return false
			})
			h.srv.Fail(edit, 1)
			if tc.deleteFails {
				h.srv.Fail(del, 1)
			}
			close(fa.release)
			kind := discordtest.Followup
			if tc.chat {
				kind = discordtest.Message
			}
			calls := h.srv.Wait(t, "the answer anew", func(c []discordtest.Call) bool {
				for _, x := range discordtest.Of(c, kind) {
					if strings.Contains(x.Decode(t).Content, "**Sources**") {
						return true
					}
				}
				return false
			})
			var answer discordtest.Body
			for _, x := range discordtest.Of(calls, kind) {
				answer = x.Decode(t)
			}
			if !strings.HasPrefix(answer.Content, escape(text, anyLabel)) {
				t.Errorf("answer sent anew = %q, want the whole checked answer", answer.Content)
			}
			if tc.chat && (answer.Reference == nil || answer.Reference.MessageID != ev.ID) {
				t.Errorf("answer anew references %+v, want the question %s", answer.Reference, ev.ID)
			}
			if !tc.deleteFails && len(discordtest.Of(calls, del)) != 1 {
				t.Errorf("the draft was not deleted: %d deletions", len(discordtest.Of(calls, del)))
			}
			if tc.deleteFails {
				edits := discordtest.Of(calls, edit)
				if got := edits[len(edits)-1].Decode(t).Content; got != draftGivenUp {
					t.Errorf("draft left as %q, want it marked", got)
				}
			}
			checkMessages(t, calls)
		})
	}
}

// TestStreamingSendsOnlyVisibleChanges: a long answer streamed in many
// steps never makes two identical edits in a row.
func TestStreamingSendsOnlyVisibleChanges(t *testing.T) {
	t.Parallel()
	h := start(t, setup{answer: &stepAnswer{ans: citedAnswer(hugeText()), step: 500}})
	ev := h.interact(t, "slash_ask.json", discordtest.Event{Text: question})
	calls := h.answered(t, ev.Token, finalEdit)
	edits := discordtest.Of(calls, discordtest.EditOriginal)
	for i := 1; i < len(edits); i++ {
		if edits[i].Decode(t).Content == edits[i-1].Decode(t).Content {
			t.Errorf("edits %d and %d are identical", i, i+1)
		}
	}
	t.Logf("%d edits for a %d-byte answer streamed in %d steps", len(edits), len(hugeText()), len(hugeText())/500)
}
