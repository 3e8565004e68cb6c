package bot

import (
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"citebot/retrieval"
)

type msgID int

const (
	msgError msgID = iota
	msgTimeout
	msgShutdown
	msgRateLimited
	msgTooLong
	msgEmptyQuestion
	msgNoWords
	msgChannel
	msgNotAdmin
	msgReloadRunning
	msgNoParagraph
	msgSourceUsage
	msgNoResults
	msgNotRelevant
	msgShowSources
	msgSourcesGone
	msgNearest
	msgHelp
	msgReloaded
	msgNoChanges
	msgStats
	msgNeverLoaded
	msgCut
	msgCutAnswer
	msgCutPassage
	msgDraft
	msgUnderstood
	msgVoteThanks
	msgVoteGone
	msgVotesOff
)

// messages holds what the bot says in its own words, per language; %
// verbs are filled by say.
var messages = map[msgID]map[retrieval.Lang]string{
	msgVoteThanks: {
		retrieval.French:  "Merci ! Votre avis %s est noté ; un autre clic le change.",
		retrieval.English: "Thank you! Your %s is noted; another click changes it.",
	},
	msgVoteGone: {
		retrieval.French:  "Cette réponse n’est plus dans le journal des questions (trop ancienne) : votre avis n’a pas pu être noté.",
		retrieval.English: "This answer is no longer in the question log (too old): your vote could not be noted.",
	},
	msgVotesOff: {
		retrieval.French:  "Les avis ne sont pas enregistrés sur ce serveur.",
		retrieval.English: "Votes are not recorded on this server.",
	},
	msgUnderstood: {
		retrieval.French:  "(compris : %s)",
		retrieval.English: "(understood as: %s)",
	},
	msgError: {
		retrieval.French:  "Désolé, quelque chose s’est mal passé de mon côté. Référence : `%s`.",
		retrieval.English: "Sorry, something went wrong on my side. Reference: `%s`.",
	},
	msgTimeout: {
		retrieval.French:  "Désolé, la réponse a pris trop de temps. Réessayez dans un instant. Référence : `%s`.",
		retrieval.English: "Sorry, the answer took too long. Please try again in a moment. Reference: `%s`.",
	},
	msgShutdown: {
		retrieval.French:  "citebot redémarre : reposez votre question dans une minute.",
		retrieval.English: "citebot is restarting: please ask again in a minute.",
	},
	msgRateLimited: {
		retrieval.French:  "Vous allez vite ! Attendez %s avant la prochaine demande.",
		retrieval.English: "You are asking quickly! Please wait %s before the next request.",
	},
	msgTooLong: {
		retrieval.French:  "Votre question est trop longue (%d caractères, %d au plus).",
		retrieval.English: "Your question is too long (%d characters, at most %d).",
	},
	msgEmptyQuestion: {
		retrieval.French:  "Posez une question, par exemple : `%sask Qui a signé l’accord ?`",
		retrieval.English: "Ask a question, for example: `%sask Who signed the agreement?`",
	},
	msgNoWords: {
		retrieval.French:  "Votre question ne contient aucun mot que je puisse chercher.",
		retrieval.English: "Your question has no words I can search for.",
	},
	msgChannel: {
		retrieval.French:  "Je ne réponds que dans les salons prévus pour moi.",
		retrieval.English: "I only answer in the channels set up for me.",
	},
	msgNotAdmin: {
		retrieval.French:  "Désolé, seuls les administrateurs de citebot peuvent recharger les articles.",
		retrieval.English: "Sorry, only citebot’s administrators can reload the articles.",
	},
	msgReloadRunning: {
		retrieval.French:  "Un rechargement est déjà en cours ; réessayez quand il sera terminé.",
		retrieval.English: "A reload is already running; try again when it has finished.",
	},
	msgNoParagraph: {
		retrieval.French:  "Il n’y a pas de paragraphe %d dans %s. L’autocomplétion de /source liste les articles.",
		retrieval.English: "There is no paragraph %d in %s. /source’s autocomplete lists the articles.",
	},
	msgSourceUsage: {
		retrieval.French:  "Indiquez un fichier et un paragraphe, par exemple : `%ssource article.txt ¶3`",
		retrieval.English: "Give a file and a paragraph, for example: `%ssource article.txt ¶3`",
	},
	msgNoResults: {
		retrieval.French:  "Aucun paragraphe ne correspond.",
		retrieval.English: "No paragraph matches.",
	},
	msgNotRelevant: {
		retrieval.French:  "Aucun paragraphe ne semble répondre ; voici les plus proches.",
		retrieval.English: "No paragraph seems to answer this; here are the closest.",
	},
	msgShowSources: {
		retrieval.French:  "Voir les sources",
		retrieval.English: "Show sources",
	},
	msgSourcesGone: {
		retrieval.French:  "Ces sources ne sont plus disponibles. `/source fichier paragraphe` montre un paragraphe de la liste Sources.",
		retrieval.English: "These sources are no longer available. `/source file paragraph` shows a paragraph of the Sources list.",
	},
	msgNearest: {
		retrieval.French:  "Paragraphes les plus proches (ils ne répondent peut-être pas) :",
		retrieval.English: "Closest paragraphs (they may not answer):",
	},
	msgHelp: {
		retrieval.French: `**citebot** répond aux questions sur les articles de presse et cite ses sources.

` + "`/ask question`" + ` ou ` + "`%[1]sask …`" + ` ou une mention : une réponse avec ses citations ; ` + "`private`" + ` pour une réponse visible de vous seul.
` + "`/search requête`" + ` ou ` + "`%[1]ssearch …`" + ` : les paragraphes qui correspondent le mieux, sans modèle.
` + "`/source fichier paragraphe`" + ` ou ` + "`%[1]ssource fichier ¶N`" + ` : un paragraphe exactement, pour vérifier une citation ; le début du titre de l’article vaut le fichier.
` + "`/reload`" + ` ou ` + "`%[1]sreload`" + ` : réindexer les articles (administrateurs).

Une citation [n] renvoie à la liste Sources : le titre de l’article, puis ` + "`fichier ¶N (lignes a–b)`" + `, qui est le N-ième paragraphe de texte du fichier, aux lignes a à b. Le bouton « Voir les sources » vous montre leur texte exact.`,
		retrieval.English: `**citebot** answers questions about news articles and cites its sources.

` + "`/ask question`" + ` or ` + "`%[1]sask …`" + ` or a mention: an answer with its citations; ` + "`private`" + ` for an answer only you see.
` + "`/search query`" + ` or ` + "`%[1]ssearch …`" + `: the best-matching paragraphs, no model involved.
` + "`/source file paragraph`" + ` or ` + "`%[1]ssource file ¶N`" + `: one paragraph exactly, to check a citation; the start of the article's title does as well as its file.
` + "`/reload`" + ` or ` + "`%[1]sreload`" + `: re-index the articles (administrators).

A citation [n] points into the Sources list: the article's title, then ` + "`file ¶N (lines a–b)`" + `, which is the N-th paragraph of text of the file, at lines a to b. The “Show sources” button shows you their exact text.`,
	},
	msgStats: {
		retrieval.French:  "Corpus : %d fichiers, %d paragraphes ; dernier rechargement : %s.",
		retrieval.English: "Corpus: %d files, %d paragraphs; last reload: %s.",
	},
	msgNeverLoaded: {
		retrieval.French:  "jamais",
		retrieval.English: "never",
	},
	msgReloaded: {
		retrieval.French:  "Rechargement terminé en %s : %d ajoutés, %d modifiés, %d supprimés, %d inchangés, %d ignorés. %d paragraphes (+%d, −%d).",
		retrieval.English: "Reload finished in %s: %d added, %d changed, %d removed, %d unchanged, %d skipped. %d paragraphs (+%d, −%d).",
	},
	msgCut: {
		retrieval.French:  "-# ✂️ Coupé pour tenir en %d messages. `/source fichier paragraphe` montre un paragraphe en entier.",
		retrieval.English: "-# ✂️ Cut to fit in %d messages. `/source file paragraph` shows a whole paragraph.",
	},
	msgCutAnswer: {
		retrieval.French:  "-# ✂️ Réponse coupée pour tenir en %d messages. Les paragraphes cités se lisent en entier avec « Voir les sources » ou `/source fichier paragraphe`.",
		retrieval.English: "-# ✂️ Answer cut to fit in %d messages. Read the cited paragraphs whole with “Show sources” or `/source file paragraph`.",
	},
	msgCutPassage: {
		retrieval.French:  "-# ✂️ Paragraphe coupé pour tenir en %d messages : il est en entier dans %s.",
		retrieval.English: "-# ✂️ Paragraph cut to fit in %d messages: the whole of it is in %s.",
	},
	msgDraft: {
		retrieval.French:  "-# ✍️ Brouillon : réponse en cours d’écriture, pas encore vérifiée.",
		retrieval.English: "-# ✍️ Draft: the answer is being written and is not checked yet.",
	},
	msgNoChanges: {
		retrieval.French:  "Aucun changement.",
		retrieval.English: "Nothing changed.",
	},
}

// labels names the lists of a reload report, per language.
var labels = map[retrieval.Lang][4]string{
	retrieval.French:  {"Ajoutés", "Modifiés", "Supprimés", "Ignorés"},
	retrieval.English: {"Added", "Changed", "Removed", "Skipped"},
}

func say(lang retrieval.Lang, id msgID, args ...any) string {
	m, ok := messages[id][lang]
	if !ok {
		m = messages[id][retrieval.French]
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}

// messageLang is the language to answer a chat message in: the
// language of its text when it has some, else the guild's preferred
// locale (Discord sends no user locale with a message).
func (b *Bot) messageLang(m *discordgo.Message, cmd chatCommand) retrieval.Lang {
	if cmd.Arg != "" {
		return b.deps.Lang(cmd.Arg)
	}
	if m.GuildID == "" {
		return retrieval.French
	}
	g, err := b.session.State.Guild(m.GuildID)
	if err != nil {
		return retrieval.French
	}
	b.session.State.RLock()
	defer b.session.State.RUnlock()
	return langOf(string(g.PreferredLocale))
}

// langOf maps a Discord locale ("fr", "en-US") to the language the bot
// answers in: French for French locales, English otherwise.
func langOf(locale string) retrieval.Lang {
	if strings.HasPrefix(locale, "fr") {
		return retrieval.French
	}
	return retrieval.English
}
