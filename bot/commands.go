package bot

import "github.com/bwmarrin/discordgo"

// Option names of the slash commands.
const (
	optQuestion  = "question"
	optPrivate   = "private"
	optQuery     = "query"
	optFile      = "file"
	optParagraph = "paragraph"
)

// customSources is the custom_id of the "Show sources" button.
const customSources = "citebot:sources"

// commands are the slash commands, registered at start in one bulk
// overwrite.
func commands() []*discordgo.ApplicationCommand {
	manageGuild := int64(discordgo.PermissionManageGuild)
	noDM := false
	one := 1.0
	return []*discordgo.ApplicationCommand{
		{
			Name:                     cmdAsk,
			Description:              "Answer a question from the articles, with citations",
			DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.French: "Répondre à une question d’après les articles, avec citations"},
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: optQuestion, Required: true, MaxLength: 1000,
					Description:              "Your question",
					DescriptionLocalizations: map[discordgo.Locale]string{discordgo.French: "Votre question"}},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: optPrivate,
					Description:              "Only you see the answer",
					DescriptionLocalizations: map[discordgo.Locale]string{discordgo.French: "Réponse visible de vous seul"}},
			},
		},
		{
			Name:                     cmdSearch,
			Description:              "The paragraphs that best match a query",
			DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.French: "Les paragraphes qui correspondent le mieux à une requête"},
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: optQuery, Required: true, MaxLength: 1000,
					Description:              "Words to look for",
					DescriptionLocalizations: map[discordgo.Locale]string{discordgo.French: "Les mots à chercher"}},
			},
		},
		{
			Name:                     cmdSource,
			Description:              "Show one paragraph exactly, to check a citation",
			DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.French: "Afficher un paragraphe exactement, pour vérifier une citation"},
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: optFile, Required: true, Autocomplete: true,
					Description:              "The article's file or title, or their start",
					DescriptionLocalizations: map[discordgo.Locale]string{discordgo.French: "Le fichier ou le titre de l’article, ou leur début"}},
				{Type: discordgo.ApplicationCommandOptionInteger, Name: optParagraph, Required: true, MinValue: &one,
					Description:              "The paragraph number (¶N)",
					DescriptionLocalizations: map[discordgo.Locale]string{discordgo.French: "Le numéro du paragraphe (¶N)"}},
			},
		},
		{
			Name:                     cmdReload,
			Description:              "Re-index the articles (administrators)",
			DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.French: "Réindexer les articles (administrateurs)"},
			DefaultMemberPermissions: &manageGuild,
			DMPermission:             &noDM,
		},
		{
			Name:                     cmdHelp,
			Description:              "What citebot does and how to read a citation",
			DescriptionLocalizations: &map[discordgo.Locale]string{discordgo.French: "Ce que fait citebot et comment lire une citation"},
		},
		statsCommand(),
	}
}
