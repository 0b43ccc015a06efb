package cardformat

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Error is a refused credential format: a bad argument, a value out of range,
// malformed XML. Field names the part at fault ("facility", "company",
// "card", "code", "plate", "fields", "raw", "bit length", "format type",
// "format" for the format as a whole, "xml" for the XML text), so the Web
// SDK layer can point at it; Msg is the sentence shown to the client.
type Error struct{ Field, Msg string }

// Error returns Msg, which already names the field.
func (e *Error) Error() string { return e.Msg }

// errf builds an *Error. It returns error, not *Error, so callers never hand
// back a typed nil by accident.
func errf(field, format string, args ...any) error {
	return &Error{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// maxShown bounds how much of a client's text an error message repeats, so a
// 4 KiB argument does not come back as a 4 KiB message.
const maxShown = 40

// shown quotes a client's text for a message, cut to maxShown bytes on a
// rune boundary.
func shown(s string) string {
	if len(s) <= maxShown {
		return fmt.Sprintf("%q", s)
	}
	cut := maxShown
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q…", s[:cut])
}

// plural is "1 argument" / "2 arguments" for the arity messages.
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// list joins field labels for the arity messages: "facility, card".
func list(labels ...string) string { return strings.Join(labels, ", ") }
