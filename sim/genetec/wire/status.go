package wire

import "strconv"

// Status is the outcome an envelope reports.
type Status uint8

// The statuses of the Web SDK.
const (
	// Ok is a complete success.
	Ok Status = iota + 1
	// Fail is a failure; its result is the error (see AppendFail).
	Fail
	// TooManyResults is a paged report that has more pages than it returned.
	TooManyResults
	// Partial is a success for only part of the request.
	Partial
)

var statusNames = [...]string{Ok: "Ok", Fail: "Fail", TooManyResults: "TooManyResults", Partial: "Partial"}

// The legacy serialisations spell statuses in lower case; precomputed so the
// envelope never lower-cases at run time.
var legacyStatusNames = [...]string{Ok: "ok", Fail: "fail", TooManyResults: "toomanyresults", Partial: "partial"}

// String is the status as text/json and text/xml spell it: "Ok", "Fail",
// "TooManyResults", "Partial"; an unknown value prints as Status(n).
func (s Status) String() string {
	if s < Ok || s > Partial {
		return "Status(" + strconv.Itoa(int(s)) + ")"
	}
	return statusNames[s]
}

// legacy is the status as the legacy serialisations spell it.
func (s Status) legacy() string {
	if s < Ok || s > Partial {
		return "status(" + strconv.Itoa(int(s)) + ")"
	}
	return legacyStatusNames[s]
}
