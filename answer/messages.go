package answer

import "citebot/retrieval"

type msgID int

const (
	msgNotFound msgID = iota
	msgQuotePrefix
	msgModelFailed
	msgModelUncited
	msgModelUnsupported
	msgModelTrimmed
)

// messages holds what citebot says in its own words, per language.
var messages = map[msgID]map[retrieval.Lang]string{
	msgNotFound: {
		retrieval.French:  "Les articles ne contiennent pas la réponse à cette question.",
		retrieval.English: "The articles do not answer this question.",
	},
	msgModelFailed: {
		retrieval.French:  "Le modèle de langue n’a pas répondu ; voici les passages des articles",
		retrieval.English: "The language model did not answer; here are the passages from the articles",
	},
	msgModelUncited: {
		retrieval.French:  "La réponse du modèle ne citait aucun passage ; voici les passages des articles",
		retrieval.English: "The language model's answer cited no passage; here are the passages from the articles",
	},
	msgModelUnsupported: {
		retrieval.French:  "Les passages cités n’étayaient pas la réponse du modèle ; voici les passages des articles",
		retrieval.English: "The cited passages did not support the language model's answer; here are the passages from the articles",
	},
	msgModelTrimmed: {
		retrieval.French:  "Des phrases ou sources du modèle non étayées par les articles ont été retirées.",
		retrieval.English: "Sentences or sources from the model that the articles do not support were removed.",
	},
	msgQuotePrefix: {
		retrieval.French:  "D’après les articles :",
		retrieval.English: "From the articles (quoted in French):",
	},
}

func message(lang retrieval.Lang, id msgID) string {
	if m, ok := messages[id][lang]; ok {
		return m
	}
	return messages[id][retrieval.French]
}

func quote(lang retrieval.Lang, s string) string {
	if lang == retrieval.English {
		return "“" + s + "”"
	}
	return "« " + s + " »"
}
