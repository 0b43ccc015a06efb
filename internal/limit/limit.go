package limit

import (
	"errors"
	"fmt"
)

// Limits bounds one document. A zero field means no bound.
type Limits struct {
	// Depth is how deeply elements (XML) or objects and arrays (JSON) may
	// nest; the document element is depth 1.
	Depth int
	// Tokens is how many tokens the document may hold: in XML, start and
	// end tags, attributes, text runs, comments and the rest; in JSON,
	// objects, arrays, strings and scalars.
	Tokens int
}

// Server is the bound of a request body a server decodes: deeper than any
// document of the APIs pacsim serves (the deepest, a SmartService <Card>,
// nests 4 levels) and more tokens than a body of the largest size a real
// client sends holds.
var Server = Limits{Depth: 32, Tokens: 50_000}

// ErrLimit is what every *Error wraps.
var ErrLimit = errors.New("document over its limits")

// Error says which limit a document went past.
type Error struct {
	// Depth is true when the document nests too deeply, false when it
	// holds too many tokens.
	Depth bool
	// Limit is the bound that was passed.
	Limit int
}

// Error says what the limit is, for a client to read in a refusal.
func (e *Error) Error() string {
	if e.Depth {
		return fmt.Sprintf("the document is nested deeper than %d levels", e.Limit)
	}
	return fmt.Sprintf("the document holds more than %d tokens", e.Limit)
}

// Unwrap lets errors.Is(err, ErrLimit) match.
func (e *Error) Unwrap() error { return ErrLimit }
