package guard

import (
	"fmt"
	"unicode/utf8"
)

// MaxEcho is how many bytes of a client's input an error message repeats.
const MaxEcho = 64

// Clip returns s, or its first MaxEcho bytes (cut on a rune boundary) and
// how long it was, so that an error message never echoes a huge input.
func Clip(s string) string {
	if len(s) <= MaxEcho {
		return s
	}
	n := MaxEcho
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return fmt.Sprintf("%s… (%d bytes)", s[:n], len(s))
}
