package fault

// globMatch reports whether s matches pattern, where `*` matches any run of
// bytes (slashes included) and every other byte stands for itself, ASCII
// letters compared case-insensitively. It allocates nothing and runs in
// O(len(s)·len(pattern)) at worst, linear for the usual one or two stars.
func globMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && foldEq(pattern[p], s[i]):
			p++
			i++
		case star >= 0:
			// Let the last star swallow one more byte and retry.
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func foldEq(a, b byte) bool {
	if a == b {
		return true
	}
	if 'A' <= a && a <= 'Z' {
		a += 'a' - 'A'
	}
	if 'A' <= b && b <= 'Z' {
		b += 'a' - 'A'
	}
	return a == b
}

// methodEq compares an HTTP method to a match's, case-insensitively, with
// no allocation.
func methodEq(want, got string) bool {
	if len(want) != len(got) {
		return false
	}
	for i := 0; i < len(want); i++ {
		if !foldEq(want[i], got[i]) {
			return false
		}
	}
	return true
}
