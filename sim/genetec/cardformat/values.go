package cardformat

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxPINDigits and maxPIN bound a keypad PIN: 1–15 decimal digits.
const (
	maxPINDigits = 15
	maxPIN       = 999_999_999_999_999
)

// maxPlate is the longest licence plate, in letters and digits.
const maxPlate = 16

// isDecimal reports whether s is plain decimal: digits only, no sign, no
// "0x", no spaces inside, not empty.
func isDecimal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseNumber reads one numeric constructor argument: surrounding spaces
// trimmed, plain decimal, at most max. strconv alone would take "+5" and
// "0x10" (with base 0) or silently wrap; the Web SDK's constructors take
// neither.
func parseNumber(label, text string, s Spec, max uint64) (uint64, error) {
	t := strings.TrimSpace(text)
	if !isDecimal(t) {
		return 0, errf(label, "%s %s is not a number", label, shown(t))
	}
	v, err := strconv.ParseUint(t, 10, 64)
	if err != nil || v > max { // digits only, so the only error is overflow
		return 0, outOfRange(label, t, s, max)
	}
	return v, nil
}

// parsePIN reads a keypad code: 1–15 decimal digits. The code is kept as a
// number (the SDK's KeypadCredentialFormat takes an integer), so "0123" and
// "123" are the same PIN; the canonical text has no leading zeros.
func parsePIN(text string) (code string, value uint64, err error) {
	t := strings.TrimSpace(text)
	if !isDecimal(t) {
		return "", 0, errf("code", "code %s is not a number", shown(t))
	}
	if len(t) > maxPINDigits {
		return "", 0, errf("code", "code %s is too long for Keypad (1–%d digits)", shown(t), maxPINDigits)
	}
	v, _ := strconv.ParseUint(t, 10, 64) // at most 15 digits: cannot fail
	return strconv.FormatUint(v, 10), v, nil
}

// parsePlate reads a licence plate: 1–16 ASCII letters or digits, kept as
// given. Wider alphabets are refused rather than guessed at: we have no
// evidence of how the server folds or compares them.
func parsePlate(text string) (string, error) {
	t := strings.TrimSpace(text)
	ok := t != "" && len(t) <= maxPlate
	for i := 0; ok && i < len(t); i++ {
		c := t[i]
		ok = '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
	}
	if !ok {
		return "", errf("plate", "plate %s is not valid for License plate (1–%d letters or digits)", shown(t), maxPlate)
	}
	return t, nil
}

// FASC-N field limits. Genetec's constructors take 4 (75 bits) or 10 (200
// bits) named fields; we keep whatever the client gives within these bounds.
const (
	maxFields     = 16
	maxFieldBytes = 64
)

// checkFields validates FASC-N key/value pairs and returns a copy. Keys and
// values are kept as given, so they must survive the XML and the UniqueID
// unchanged: no surrounding white space (XML text is trimmed), no control
// or non-XML characters, and none of '=', ';', '|', which delimit them in
// the UniqueID. Keys must be non-empty and distinct.
func checkFields(s Spec, fields [][2]string) ([][2]string, error) {
	if len(fields) == 0 || len(fields) > maxFields {
		return nil, errf("fields", "%s takes 1–%d fields, got %d", s.Constructor, maxFields, len(fields))
	}
	seen := make(map[string]bool, len(fields))
	out := make([][2]string, len(fields))
	for i, kv := range fields {
		k, v := kv[0], kv[1]
		if k == "" {
			return nil, errf("fields", "field %d of %s has an empty name", i+1, s.Name)
		}
		for _, t := range kv {
			if !fieldText(t) {
				return nil, errf("fields", "field %s=%s of %s: names and values are up to %d characters, without surrounding spaces, control characters or any of = ; |",
					shown(k), shown(v), s.Name, maxFieldBytes)
			}
		}
		if seen[k] {
			return nil, errf("fields", "field %s is given twice", shown(k))
		}
		seen[k] = true
		out[i] = kv
	}
	return out, nil
}

// fieldText is the check of one FASC-N name or value (see checkFields).
func fieldText(t string) bool {
	if len(t) > maxFieldBytes || !utf8.ValidString(t) || strings.TrimSpace(t) != t {
		return false
	}
	for _, r := range t {
		switch {
		case r == '=' || r == ';' || r == '|':
			return false
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			return false
		case r == 0xFFFE || r == 0xFFFF: // not XML characters
			return false
		}
	}
	return true
}
