module citebot

go 1.26.0

require (
	github.com/kljensen/snowball v0.10.0
	github.com/mattn/go-sqlite3 v1.14.53
	golang.org/x/text v0.43.0
)
