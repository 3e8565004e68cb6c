package store

import "errors"

// parseHTML is a placeholder until HTML extraction lands.
func parseHTML(string) (document, error) {
	return document{}, errors.New("HTML articles are not supported yet")
}
