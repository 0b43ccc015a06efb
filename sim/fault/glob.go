package fault

import "strings"

// glob is a path pattern compiled for the request path: `*` matches any
// run of bytes (slashes included), every other byte stands for itself,
// ASCII letters compared case-insensitively. The pattern is kept as its
// literal parts between stars, lower-cased, so that a match is a prefix, a
// suffix and a few searches: no allocation, and a mismatch on the first
// differing byte of the prefix.
type glob struct {
	// parts are the literal runs between stars; one part means no star.
	parts []string
}

func compileGlob(pattern string) glob {
	return glob{parts: strings.Split(lowerASCII(pattern), "*")}
}

// match reports whether s matches the pattern (an empty pattern matches
// only the empty string; callers skip the match when there is no pattern).
func (g *glob) match(s string) bool {
	n := len(g.parts)
	first := g.parts[0]
	if n == 1 {
		return len(s) == len(first) && hasPrefixFold(s, first)
	}
	last := g.parts[n-1]
	if len(s) < len(first)+len(last) || !hasPrefixFold(s, first) || !hasPrefixFold(s[len(s)-len(last):], last) {
		return false
	}
	s = s[len(first) : len(s)-len(last)]
	for _, mid := range g.parts[1 : n-1] {
		i := indexFold(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lower(c)
	}
	return string(b)
}

// hasPrefixFold reports whether s starts with the lower-case literal p,
// ASCII letters of s compared case-insensitively.
func hasPrefixFold(s, p string) bool {
	if len(s) < len(p) {
		return false
	}
	for i := 0; i < len(p); i++ {
		if lower(s[i]) != p[i] {
			return false
		}
	}
	return true
}

// indexFold returns the first index of the lower-case literal p in s,
// compared as hasPrefixFold does, or -1.
func indexFold(s, p string) int {
	for i := 0; i+len(p) <= len(s); i++ {
		if hasPrefixFold(s[i:], p) {
			return i
		}
	}
	return -1
}

// methodEq compares an HTTP method to a match's, case-insensitively, with
// no allocation.
func methodEq(want, got string) bool {
	if len(want) != len(got) {
		return false
	}
	for i := 0; i < len(want); i++ {
		if lower(want[i]) != lower(got[i]) {
			return false
		}
	}
	return true
}
