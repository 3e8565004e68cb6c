package answer

import "testing"

func TestQuestionKind(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		q    string
		want kind
	}{
		{"Quand l'accord a-t-il été signé ?", kindTime},
		{"En quelle année la ville fut-elle fondée ?", kindTime},
		{"What year did the war end?", kindTime},
		{"At what time does Gantz meet Bourita?", kindTime},
		{"Combien de soldats ?", kindNumber},
		{"Quel âge a le général Belkhir ?", kindNumber},
		{"Quelle est la taille de l'armée marocaine ?", kindNumber},
		{"How old is he?", kindNumber},
		{"Qui a accueilli le général ?", kindPerson},
		{"Who welcomed him?", kindPerson},
		{"Où se trouve la Kiria ?", kindPlace},
		{"In which country was he born?", kindPlace},
		{"Dans quel pays est-il né ?", kindPlace},
		{"Qui est né en quelle année ?", kindPerson}, // the first question word decides
		{"Le thé ou le café ?", kindOther},           // "ou" is not "où" past the first words
		{"Quelle unité Benny Gantz visite-t-il ?", kindOther},
		{"Le moyen âge", kindOther},
	} {
		if got := questionKind(tc.q); got != tc.want {
			t.Errorf("questionKind(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestFitsNew(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		k              kind
		text, question string
		want           bool
	}{
		{kindTime, "signé le 24 novembre 2021", "Quand l'accord a-t-il été signé ?", true},
		{kindTime, "l'accord de 2021 est historique", "Quand l'accord de 2021 a-t-il été signé ?", false},
		{kindTime, "à 18h45, un entretien", "À quelle heure ?", true},
		{kindNumber, "un colloque d'une semaine", "Combien de temps ?", true},
		{kindNumber, "sans aucun chiffre", "Combien ?", false},
		{kindNumber, "Ils étaient 12 soldats.", "Combien de soldats en 2021 ?", true},
		{kindNumber, "Ils étaient 300 soldats en 2021.", "Combien de soldats en 2021 ?", true},
		{kindNumber, "C'était en 2021.", "Combien de soldats en 2021 ?", false},
		{kindPerson, "accueilli par Aviv Kohavi", "Qui a accueilli le général Belkhir ?", true},
		{kindPerson, "le général Belkhir est arrivé", "Qui a accueilli le général Belkhir ?", false},
		{kindOther, "Aviv Kohavi 2021", "Quelle unité ?", false},
	} {
		if got := tc.k.fitsNew(tc.text, tc.question); got != tc.want {
			t.Errorf("%v.fitsNew(%q, %q) = %v, want %v", tc.k, tc.text, tc.question, got, tc.want)
		}
	}
}
