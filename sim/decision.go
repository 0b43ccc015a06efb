package sim

import "time"

// AccessRequest is what a reader asks the head-end when a card is presented.
type AccessRequest struct {
	Time time.Time
	// Card is the normalised card number.
	Card string
	// PIN is what was typed on the keypad ("" for none).
	PIN    string
	Reader ID
	Door   ID
	Site   ID
	// Keypad tells whether the reader has a keypad, so the head-end can ask
	// users who have a PIN for it.
	Keypad bool
}

// Decision is the head-end's answer. A denial always carries a reason.
type Decision struct {
	Granted bool
	Reason  Reason
	// User and UserID identify the card user when the card is known.
	User   string
	UserID int
}

// Decider decides access for the world. EntraPass decides from its card
// users, cards, access levels and schedules; Genetec from its credentials,
// cardholders, groups and access rules.
//
// Decide is called with the world locked: it must not call back into the
// World, and should not block.
type Decider interface {
	Decide(AccessRequest) Decision
}

// DeciderFunc adapts a function to Decider.
type DeciderFunc func(AccessRequest) Decision

// Decide calls f.
func (f DeciderFunc) Decide(r AccessRequest) Decision { return f(r) }

// denyAll is the decider of a world with no head-end: it knows no card.
var denyAll = DeciderFunc(func(AccessRequest) Decision {
	return Decision{Reason: ReasonUnknownCard}
})
