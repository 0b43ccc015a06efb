package genetec

import (
	"slices"

	"github.com/pacsim/pacsim/sim"
)

// Decide decides a card the EntraPass database does not know, as Security
// Center's access manager does. It is called with the world locked, so it
// reads only the database (under its read lock).
//
// The checks run in this order, the first failing one giving the reason
// (the world's reason, and Security Center's own name in Detail):
//
//  1. a credential holds the card (else unknown card, UnknownCredential);
//  2. the credential's state: Inactive or not yet active (InactiveCredential,
//     card invalid / not yet valid), Lost, Stolen (card lost or stolen),
//     Expired (ExpiredCredential);
//  3. it is assigned (else UnassignedCredential, card invalid: a checked-out
//     visitor's credential);
//  4. its cardholder is active: an inactive cardholder or a visitor not
//     checked in or checked out is InactiveCardholder (card invalid), one
//     past its expiry or departure ExpiredCardholder (card expired);
//  5. an access rule covers the door for the cardholder or one of its
//     groups (else NoAccessRule); a denying rule that covers it wins
//     (DeniedByAccessRule); one whose schedule is active now grants (else
//     OutsideSchedule).
//
// It reads the published view (no lock): the world holds its own lock
// while it asks, and the Web SDK reads the world while it holds the
// database's, so taking the database's lock here could deadlock.
func (db *DB) Decide(req sim.AccessRequest) sim.Decision {
	v := db.pub.Load()
	cg, ok := v.byCard[req.Card]
	if !ok {
		return sim.Decision{Reason: sim.ReasonUnknownCard, Detail: "UnknownCredential"}
	}
	cred := v.byGUID[cg]
	d := sim.Decision{Credential: cred.guid}
	now := req.Time
	switch cred.credState(now) {
	case "Inactive":
		if cred.credential().state == "Active" {
			d.Reason, d.Detail = sim.ReasonCardNotYetValid, "InactiveCredential"
		} else {
			d.Reason, d.Detail = sim.ReasonCardInvalid, "InactiveCredential"
		}
		return d
	case "Lost":
		d.Reason, d.Detail = sim.ReasonCardLostStolen, "LostCredential"
		return d
	case "Stolen":
		d.Reason, d.Detail = sim.ReasonCardLostStolen, "StolenCredential"
		return d
	case "Expired":
		d.Reason, d.Detail = sim.ReasonCardExpired, "ExpiredCredential"
		return d
	}
	h := v.byGUID[cred.credential().holder]
	if h == nil {
		d.Reason, d.Detail = sim.ReasonCardInvalid, "UnassignedCredential"
		return d
	}
	d.Holder, d.User = h.guid, h.name
	switch h.holderState(now) {
	case "Inactive":
		d.Reason, d.Detail = sim.ReasonCardInvalid, "InactiveCardholder"
		return d
	case "Expired":
		d.Reason, d.Detail = sim.ReasonCardExpired, "ExpiredCardholder"
		return d
	}
	door := v.byWorld[req.Door]
	covered, inSchedule := false, false
	for _, g := range v.rules {
		r := v.byGUID[g]
		if r == nil || r.typ != TypeAccessRule {
			continue
		}
		ru := r.accessRule()
		if !slices.Contains(ru.doors, door) || !v.ruleHolds(r, h) {
			continue
		}
		if ru.temporary && (now.Before(ru.start) || !ru.end.IsZero() && !now.Before(ru.end)) {
			continue
		}
		if ru.denying {
			d.Reason, d.Detail = sim.ReasonNoAccessLevel, "DeniedByAccessRule"
			return d
		}
		covered = true
		if s := v.byGUID[ru.schedule]; s == nil || s.misc().scheduleValue == nil || s.misc().scheduleValue.Active(now) {
			inSchedule = true
		}
	}
	switch {
	case !covered:
		d.Reason, d.Detail = sim.ReasonNoAccessLevel, "NoAccessRule"
	case !inSchedule:
		d.Reason, d.Detail = sim.ReasonOutsideSchedule, "OutsideSchedule"
	default:
		d.Granted = true
	}
	return d
}

// ruleHolds reports whether rule r applies to cardholder h: directly, or
// through a group h is a member of (groups nest once: a group in a group).
func (v *view) ruleHolds(r, h *entity) bool {
	for _, m := range r.accessRule().ruleHolders {
		if m == h.guid || m == GUIDAllCardholders {
			return true
		}
		g := v.byGUID[m]
		if g == nil || g.typ != TypeCardholderGroup {
			continue
		}
		members := g.misc().members
		if slices.Contains(members, h.guid) {
			return true
		}
		for _, sub := range members {
			if sg := v.byGUID[sub]; sg != nil && sg.typ == TypeCardholderGroup && slices.Contains(sg.misc().members, h.guid) {
				return true
			}
		}
	}
	return false
}
