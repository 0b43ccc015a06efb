package cardformat

import (
	"fmt"
	"math/big"
	"math/bits"
	"strings"
)

// maxRawDigits is the width of RawData and of the raw part of a UniqueId:
// 32 hex digits, 128 bits, zero-padded on the left.
const maxRawDigits = 32

// raw is a parsed raw value: 128 bits as two halves.
type raw struct{ hi, lo uint64 }

// String is the 32 upper-case hex digits the server shows.
func (r raw) String() string { return fmt.Sprintf("%016X%016X", r.hi, r.lo) }

// bitLen is the number of significant bits.
func (r raw) bitLen() int {
	if r.hi != 0 {
		return 64 + bits.Len64(r.hi)
	}
	return bits.Len64(r.lo)
}

// parseRaw reads a raw value as clients send it: up to 32 hex digits, any
// case, surrounding white space ignored, which must fit in n bits.
func parseRaw(text string, n int) (raw, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return raw{}, errf("raw", "raw is empty")
	}
	if len(t) > maxRawDigits {
		return raw{}, errf("raw", "raw has %d hex digits; at most %d are allowed", len(t), maxRawDigits)
	}
	var r raw
	for i := 0; i < len(t); i++ {
		d, ok := hexDigit(t[i])
		if !ok {
			return raw{}, errf("raw", "raw %s is not hexadecimal", shown(t))
		}
		r.hi = r.hi<<4 | r.lo>>60
		r.lo = r.lo<<4 | d
	}
	if r.bitLen() > n {
		return raw{}, errf("raw", "raw %s does not fit in %d bits", t, n)
	}
	return r, nil
}

func hexDigit(c byte) (uint64, bool) {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0'), true
	case 'a' <= c && c <= 'f':
		return uint64(c-'a') + 10, true
	case 'A' <= c && c <= 'F':
		return uint64(c-'A') + 10, true
	}
	return 0, false
}

// rawDecimal is a stored raw value (32 hex digits) as a decimal number: the
// card number of a custom format, which may exceed 64 bits.
func rawDecimal(hexDigits string) string {
	v, ok := new(big.Int).SetString(hexDigits, 16)
	if !ok {
		return ""
	}
	return v.String()
}

// normGUID accepts a GUID as clients write it — any case, optionally in
// braces — and returns the lower-case dashed form ByID expects.
func normGUID(text string) (string, error) {
	t := strings.TrimSpace(text)
	if len(t) == 38 && t[0] == '{' && t[37] == '}' {
		t = t[1:37]
	}
	if len(t) != 36 {
		return "", errf("format type", "format type %s is not a GUID", shown(text))
	}
	for i := 0; i < len(t); i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if t[i] != '-' {
				return "", errf("format type", "format type %s is not a GUID", shown(text))
			}
			continue
		}
		if _, ok := hexDigit(t[i]); !ok {
			return "", errf("format type", "format type %s is not a GUID", shown(text))
		}
	}
	return strings.ToLower(t), nil
}
