package query

import (
	"fmt"
	"math"
	"time"
)

// ParseTime parses the Web SDK's date-times: ISO 8601 to the second with no
// zone meaning UTC, an hour of one or two digits ("2025-01-01T0:00:00", as
// .NET writes it for some cultures), an optional fraction of up to nine
// digits, an optional trailing 'Z' or offset ("+02:00", "+0200"), or a bare
// date "2025-01-01" meaning midnight UTC. The result is in UTC.
func ParseTime(s string) (time.Time, error) {
	r := numReader{s: s}
	y := r.digits(4, 4)
	r.expect('-')
	mo := r.digits(2, 2)
	r.expect('-')
	d := r.digits(2, 2)
	var h, mi, sec, ns, off int
	if !r.done() {
		r.expect('T')
		h = r.digits(1, 2)
		r.expect(':')
		mi = r.digits(2, 2)
		r.expect(':')
		sec = r.digits(2, 2)
		ns = r.fraction()
		off = r.zone()
	}
	if !r.done() || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, fmt.Errorf("query: invalid date-time %q", from(s, 0))
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC)
	return t.Add(-time.Duration(off) * time.Second), nil
}

// ParseTimeSpan parses a .NET TimeSpan as the Web SDK writes it:
// "HH:MM:SS" or "d.HH:MM:SS" (e.g. "6.00:00:00"), with an optional fraction
// of up to nine digits and an optional leading '-'.
func ParseTimeSpan(s string) (time.Duration, error) {
	bad := func() (time.Duration, error) {
		return 0, fmt.Errorf("query: invalid time span %q", from(s, 0))
	}
	r := numReader{s: s}
	neg := r.accept('-')
	// Days come first only when a '.' precedes the first ':'.
	days := 0
	for i := r.i; i < len(s) && s[i] != ':'; i++ {
		if s[i] == '.' {
			days = r.digits(1, 8)
			r.expect('.')
			break
		}
	}
	h := r.digits(1, 2)
	r.expect(':')
	m := r.digits(2, 2)
	r.expect(':')
	sec := r.digits(2, 2)
	ns := r.fraction()
	if !r.done() || h > 23 || m > 59 || sec > 59 {
		return bad()
	}
	rest := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec)*time.Second + time.Duration(ns)
	if int64(days) > (math.MaxInt64-int64(rest))/int64(24*time.Hour) {
		return bad()
	}
	dur := time.Duration(days)*24*time.Hour + rest
	if neg {
		dur = -dur
	}
	return dur, nil
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// numReader reads the fixed fields of a date-time or time span. The first
// mismatch sets bad, after which every read is a no-op and done reports
// false, so a parser reads all its fields and checks once at the end.
type numReader struct {
	s   string
	i   int
	bad bool
}

func (r *numReader) done() bool { return !r.bad && r.i == len(r.s) }

func (r *numReader) accept(c byte) bool {
	if !r.bad && r.i < len(r.s) && r.s[r.i] == c {
		r.i++
		return true
	}
	return false
}

func (r *numReader) expect(c byte) {
	if !r.accept(c) {
		r.bad = true
	}
}

// digits reads between lo and hi decimal digits.
func (r *numReader) digits(lo, hi int) int {
	n, k := 0, 0
	for !r.bad && k < hi && r.i < len(r.s) && '0' <= r.s[r.i] && r.s[r.i] <= '9' {
		n = n*10 + int(r.s[r.i]-'0')
		r.i++
		k++
	}
	if k < lo {
		r.bad = true
	}
	return n
}

// fraction reads an optional '.' and one to nine digits as nanoseconds.
func (r *numReader) fraction() int {
	if !r.accept('.') {
		return 0
	}
	start := r.i
	ns := r.digits(1, 9)
	for k := r.i - start; k < 9; k++ {
		ns *= 10
	}
	return ns
}

// zone reads an optional 'Z' or ±HH[:]MM and returns its offset in seconds.
func (r *numReader) zone() int {
	if r.accept('Z') || r.bad || r.i == len(r.s) {
		return 0
	}
	sign := 1
	switch {
	case r.accept('-'):
		sign = -1
	case r.accept('+'):
	default:
		r.bad = true
		return 0
	}
	h := r.digits(2, 2)
	r.accept(':')
	m := r.digits(2, 2)
	if h > 23 || m > 59 {
		r.bad = true
	}
	return sign * (h*3600 + m*60)
}
