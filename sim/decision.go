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
	// Holder and Credential are the GUIDs of the cardholder and credential
	// a Genetec decision found ("" for EntraPass), and Detail the
	// head-end's own name for a denial (Genetec: "UnassignedCredential"),
	// so an event stream shows what the head-end decided at that moment.
	Holder     string
	Credential string
	Detail     string
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

// Chain asks first, and then only for a card first does not know (a denial
// for unknown card): one world, two head-ends, the card's own database
// decides. The chain is a Downloader: frozen, it freezes each head-end that
// is one and asks the others live.
func Chain(first, then Decider) Decider {
	return chain{first, then}
}

type chain struct{ first, then Decider }

// Decide asks first, then then for a card first does not know.
func (c chain) Decide(r AccessRequest) Decision {
	d := c.first.Decide(r)
	if d.Granted || d.Reason != ReasonUnknownCard {
		return d
	}
	return c.then.Decide(r)
}

// Freeze freezes each head-end of the chain that keeps copies.
func (c chain) Freeze() Frozen {
	return &frozenChain{chain{freezeOrLive(c.first), freezeOrLive(c.then)}}
}

// freezeOrLive freezes d if it is a Downloader, and returns it as is
// otherwise.
func freezeOrLive(d Decider) Decider {
	if dl, ok := d.(Downloader); ok {
		return dl.Freeze()
	}
	return d
}

type frozenChain struct{ chain }

// Release releases the frozen head-ends of the chain.
func (f *frozenChain) Release() {
	for _, d := range [...]Decider{f.first, f.then} {
		if fr, ok := d.(Frozen); ok {
			fr.Release()
		}
	}
}
