package sim

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadCard is wrapped by the error of a card number in no known format.
var ErrBadCard = errors.New("bad card number")

// ParseCard normalises a card number as presented at a reader. The format is
// EntraPass's decimal display form, facility:number ("100:1001", facility
// 0–65535, number 0–4294967295), or a raw decimal number of up to 20 digits.
// Leading zeros are dropped so "100:01001" and "100:1001" are the same card.
func ParseCard(s string) (string, error) {
	if fac, num, ok := strings.Cut(s, ":"); ok {
		f, err1 := strconv.ParseUint(fac, 10, 16)
		n, err2 := strconv.ParseUint(num, 10, 32)
		if err1 != nil || err2 != nil || !allDigits(fac) || !allDigits(num) {
			return "", fmt.Errorf("%w %q: facility:number in decimal, facility up to 65535, number up to 4294967295", ErrBadCard, s)
		}
		// Digits only and in range, so it is normal unless it has a leading
		// zero. (Comparing with FormatUint allocated for numbers >= 100.)
		if (len(fac) == 1 || fac[0] != '0') && (len(num) == 1 || num[0] != '0') {
			return s, nil // already normal: no allocation on the hot path
		}
		return strconv.FormatUint(f, 10) + ":" + strconv.FormatUint(n, 10), nil
	}
	if s == "" || len(s) > 20 || !allDigits(s) {
		return "", fmt.Errorf("%w %q: facility:number (\"100:1001\") or up to 20 decimal digits", ErrBadCard, s)
	}
	t := strings.TrimLeft(s, "0")
	if t == "" {
		t = "0"
	}
	return t, nil
}

func allDigits(s string) bool {
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
