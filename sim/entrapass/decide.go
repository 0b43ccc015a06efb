package entrapass

import (
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// Decide decides a card presented at a reader, as an EntraPass controller
// does from the card users the server downloaded to it. It is called with
// the world locked, so it takes everything from the request and the
// database (under its read lock) and never calls the world.
//
// The checks run in this order, the first failing one giving the reason:
//
//  1. the card number is held by a card user (else unknown card);
//  2. the card user's state, then the card's own: Invalid → card invalid,
//     StolenLost → lost/stolen, Expired (stored, or an end date that has
//     come) → expired, Pending/PostDated/ToBeActivated or a start date
//     still ahead → not yet valid;
//  3. the user holds an access level on the door's site (else no access
//     level), that admits the user's card type (else wrong card type),
//     and lists the door (else no access level);
//  4. the door's schedule in that level is active now (else outside
//     schedule);
//  5. a reader with a keypad asks a user who has a PIN for it: none typed
//     → PIN required, another → PIN wrong.
//
// Reader disabled and controller offline are decided by the world, which
// knows the reader and the controller.
func (db *DB) Decide(req sim.AccessRequest) sim.Decision {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.decide(req, db.byCard[req.Card])
}

// decide decides req for u, the card user holding req.Card (nil: none),
// under the read lock: the checks of Decide, shared with the copies of
// cut-off controllers (download.go), which find the user in their copy.
func (db *DB) decide(req sim.AccessRequest, u *cardUser) sim.Decision {
	now := req.Time
	if u == nil || u.gone(now) {
		return sim.Decision{Reason: sim.ReasonUnknownCard}
	}
	d := sim.Decision{User: u.name(), UserID: u.id}
	slot, held := u.slotOf(req.Card)
	if r := stateReason(u.state(now)); r != sim.ReasonNone {
		d.Reason = r
		return d
	}
	if held {
		if r := stateReason(slot.stateAt(now)); r != sim.ReasonNone {
			d.Reason = r
			return d
		}
	}
	level := db.levelByID[db.levelFor(u, req.Site)]
	if level == nil || level.site != req.Site {
		d.Reason = sim.ReasonNoAccessLevel
		return d
	}
	if level.cardTypes != nil && !level.cardTypes[int(u.cardType)] {
		d.Reason = sim.ReasonWrongCardType
		return d
	}
	sched, ok := level.byDoor[req.Door]
	if !ok {
		d.Reason = sim.ReasonNoAccessLevel
		return d
	}
	if sched == nil || !sched.Active(now) {
		d.Reason = sim.ReasonOutsideSchedule
		return d
	}
	if nip := u.nip(); req.Keypad && nip != "" {
		switch req.PIN {
		case "":
			d.Reason = sim.ReasonPINRequired
			return d
		case nip:
		default:
			d.Reason = sim.ReasonPINWrong
			return d
		}
	}
	d.Granted = true
	return d
}

// stateReason maps a card state to the denial it causes (ReasonNone for
// Valid). Pending, PostDated and ToBeActivated all mean "not in force yet":
// the card exists but its validity has not begun.
func stateReason(s wire.CardState) sim.Reason {
	switch s {
	case wire.CardValid:
		return sim.ReasonNone
	case wire.CardInvalid:
		return sim.ReasonCardInvalid
	case wire.CardStolenLost:
		return sim.ReasonCardLostStolen
	case wire.CardExpired:
		return sim.ReasonCardExpired
	case wire.CardPending, wire.CardPostDated, wire.CardToBeActivated:
		return sim.ReasonCardNotYetValid
	}
	return sim.ReasonCardInvalid
}
