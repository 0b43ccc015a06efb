package sim

import "fmt"

// Reason says why access was denied. ReasonNone means granted.
type Reason uint8

// Denial reasons, as the control API names them.
const (
	ReasonNone Reason = iota
	ReasonUnknownCard
	ReasonCardInvalid
	ReasonCardLostStolen
	ReasonCardExpired
	ReasonCardNotYetValid
	ReasonNoAccessLevel
	ReasonOutsideSchedule
	ReasonReaderDisabled
	ReasonWrongCardType
	ReasonPINRequired
	ReasonPINWrong
	ReasonControllerOffline
	reasonCount
)

var reasonNames = [reasonCount]string{
	"", "unknown-card", "card-invalid", "card-lost-stolen", "card-expired", "card-not-yet-valid",
	"no-access-level", "outside-schedule", "reader-disabled", "wrong-card-type", "pin-required",
	"pin-wrong", "controller-offline",
}

var reasonTexts = [reasonCount]string{
	"", "unknown card", "card invalid", "card lost or stolen", "card expired", "card not yet valid",
	"no access level for this door", "outside schedule", "reader disabled", "wrong card type",
	"PIN required", "wrong PIN", "controller offline",
}

// String returns the reason's control-API name, e.g. "outside-schedule".
func (r Reason) String() string {
	if r < reasonCount {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", uint8(r))
}

// Text returns the reason in words, e.g. "outside schedule", as event texts
// use it ("Access denied - outside schedule").
func (r Reason) Text() string {
	if r < reasonCount {
		return reasonTexts[r]
	}
	return r.String()
}

// MarshalText gives the control-API name.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText accepts a control-API name ("" for none).
func (r *Reason) UnmarshalText(b []byte) error {
	v, err := ParseReason(string(b))
	*r = v
	return err
}

// ParseReason returns the reason with the given control-API name.
func ParseReason(s string) (Reason, error) {
	for i, n := range reasonNames {
		if n == s {
			return Reason(i), nil
		}
	}
	return ReasonNone, fmt.Errorf("unknown denial reason %q", s)
}

// Reasons lists every denial reason (ReasonNone excluded).
func Reasons() []Reason {
	out := make([]Reason, 0, reasonCount-1)
	for r := ReasonUnknownCard; r < reasonCount; r++ {
		out = append(out, r)
	}
	return out
}
