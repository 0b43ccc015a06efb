package scenarios

import (
	"regexp"
	"strings"
)

// VolatileQuery lists, per system, the query parameters that take no part
// in matching a request to a recorded exchange (SPEC §9): their values
// change from one run of the same client to the next, or are redacted in
// the recording, so comparing them would match nothing. Names are lower
// case; EntraPass compares names case-insensitively, the Web SDK as
// written. The README lists them.
//
//   - EntraPass: ConnectedProgram (it embeds a new GUID at each login),
//     encrypted, password and userName (redacted in the recording; the
//     encrypted userName and password are also ciphertexts), LocalDateTime
//     (the client's clock, sent by the EntraPass GO app at login) and "_"
//     (a cache-buster).
//   - Genetec: "_" (a cache-buster).
//
// startDate (EntraPass event history) is kept: it is a day, and a replay of
// the same client asks for the same one. Besides these, the
// TimeRange.SetTimeRange(a,b) of a Web SDK q= takes part with its times
// replaced by "*" (see NormalizeTimeRanges), and no header takes part
// (the Authorization header is redacted, and credentials are not checked
// at all by a replay).
var VolatileQuery = map[string][]string{
	SystemEntraPass: {"connectedprogram", "encrypted", "password", "username", "localdatetime", "_"},
	SystemGenetec:   {"_"},
}

// isVolatile reports whether the query parameter name (lower-cased for
// EntraPass) takes no part in matching.
func isVolatile(system, name string) bool {
	for _, v := range VolatileQuery[system] {
		if v == name {
			return true
		}
	}
	return false
}

// timeRangeCall is the Web SDK's TimeRange.SetTimeRange(start,end).
var timeRangeCall = regexp.MustCompile(`(?i)TimeRange\.SetTimeRange\([^()]*\)`)

// NormalizeTimeRanges replaces every TimeRange.SetTimeRange(a,b) of a
// decoded q= by "TimeRange.SetTimeRange(*,*)": a client asks for "the last
// hour" and the times are those of the moment it runs.
func NormalizeTimeRanges(q string) string {
	if !strings.Contains(strings.ToLower(q), "settimerange") {
		return q
	}
	return timeRangeCall.ReplaceAllLiteralString(q, "TimeRange.SetTimeRange(*,*)")
}
