package query

// IsGUID reports whether s is a GUID with or without dashes, in any case:
// 32 hex digits, or 8-4-4-4-12.
func IsGUID(s string) bool {
	switch len(s) {
	case 32:
		for i := 0; i < len(s); i++ {
			if !isHex(s[i]) {
				return false
			}
		}
		return true
	case 36:
		for i := 0; i < len(s); i++ {
			if isDash(i) {
				if s[i] != '-' {
					return false
				}
			} else if !isHex(s[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// NormalizeGUID returns the lower-case dashed form of a GUID given with or
// without dashes, in any case, or ok=false when s is not a GUID. Entities
// are keyed by this form, so every spelling a client uses finds the same one.
func NormalizeGUID(s string) (string, bool) {
	if !IsGUID(s) {
		return "", false
	}
	if len(s) == 36 && !hasUpper(s) {
		return s, true
	}
	var b [36]byte
	j := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' {
			continue
		}
		if isDash(j) {
			b[j] = '-'
			j++
		}
		if 'A' <= c && c <= 'F' {
			c += 'a' - 'A'
		}
		b[j] = c
		j++
	}
	return string(b[:]), true
}

// isDash reports whether offset i of a dashed GUID holds a dash.
func isDash(i int) bool { return i == 8 || i == 13 || i == 18 || i == 23 }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}
