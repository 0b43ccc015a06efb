package wire

import (
	"strconv"
	"time"
)

// zeroTime is how the server shows an unset date: .NET's DateTime.MinValue,
// which has no time zone and therefore no Z.
const zeroTime = "0001-01-01T00:00:00"

// appendTime appends t as the server writes a DateTime: UTC, ISO 8601, the
// fraction trimmed of trailing zeros ("…:43.05Z", "…:31Z").
//
// The fraction is cut to 7 digits, the 100 ns tick of .NET's DateTime: the
// real server can show no finer, and clients parse with .NET patterns that
// allow no more. Digits are written by hand because time.AppendFormat cannot
// trim to "what is non-zero" without a layout per precision, and this runs
// for every event.
func appendTime(dst []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(dst, zeroTime...)
	}
	t = t.UTC()
	year, month, day := t.Date()
	hour, minute, sec := t.Clock()
	if year >= 0 && year <= 9999 {
		dst = append4(dst, year)
	} else {
		// Outside DateTime's range, so no client can parse it anyway; write
		// the plain number rather than wrong digits.
		dst = strconv.AppendInt(dst, int64(year), 10)
	}
	dst = append(dst, '-')
	dst = append2(dst, int(month))
	dst = append(dst, '-')
	dst = append2(dst, day)
	dst = append(dst, 'T')
	dst = append2(dst, hour)
	dst = append(dst, ':')
	dst = append2(dst, minute)
	dst = append(dst, ':')
	dst = append2(dst, sec)
	if ticks := t.Nanosecond() / 100; ticks != 0 {
		var frac [7]byte
		for i := len(frac) - 1; i >= 0; i-- {
			frac[i] = byte('0' + ticks%10)
			ticks /= 10
		}
		n := len(frac)
		for frac[n-1] == '0' {
			n--
		}
		dst = append(dst, '.')
		dst = append(dst, frac[:n]...)
	}
	return append(dst, 'Z')
}

func append2(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/10), byte('0'+v%10))
}

func append4(dst []byte, v int) []byte {
	return append(dst, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}
