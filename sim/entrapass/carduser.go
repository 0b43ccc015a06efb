package entrapass

import (
	"time"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// cardUser is one card user as the database keeps it. A site may hold a
// million of them, so it is stored compactly rather than as the <Card> the
// wire carries (a wire.Card with its five slots and six dates is 600 bytes
// before its strings; 704 MB on the million-user site): the slots in use
// only, dates as whole seconds, the flags as bits. card rebuilds the
// wire.Card; newCardUser stores one. Card users are never modified in place:
// a write stores a new *cardUser (download.go relies on it).
//
// Dates are kept twice: as the zone-less wall-clock values the wire
// carries (startWall…, in a UTC container) and as the instants they stand
// for in the site's zone (start, end), computed once per write so that a
// decision compares seconds without converting.
type cardUser struct {
	id       int
	name     string
	email    string
	nip      string
	info     wire.CardInfo
	cardType int
	badging  int
	// slots are the slots set, in slot order; a slot is set when any of
	// its fields is.
	slots  []cardSlot
	levels []wire.CardAccessLevel
	// picture is the JPEG; nil: none.
	picture []byte

	startWall, endWall, created stamp
	start, end                  stamp          // instants; 0: none (end: none in use)
	cardState                   wire.CardState // as stored; see state
	flags                       userFlags
}

// cardSlot is one of the five cards of a user.
type cardSlot struct {
	number  string
	endWall stamp
	end     stamp // instant; 0: no end date in use
	index   uint8 // 0..4: card 1..5
	state   wire.CardState
	flags   slotFlags
}

// userFlags are a card user's booleans.
type userFlags uint8

const (
	userUsingEndDate userFlags = 1 << iota
	userWaitForKeypad
	userDeleteWhenExpired
)

// slotFlags are a card slot's booleans.
type slotFlags uint8

const (
	slotDisplay slotFlags = 1 << iota
	slotTrace
	slotUsingEndDate
)

// stamp is a time to the second: seconds since 0001-01-01 UTC, so that the
// zero time.Time is 0 (no date). The wire carries dates to the second and
// wall() drops anything finer, so nothing is lost.
type stamp int64

// secondsToUnix is the Unix time of 0001-01-01 00:00:00 UTC, negated.
const secondsToUnix = 62135596800

func stampOf(t time.Time) stamp {
	if t.IsZero() {
		return 0
	}
	return stamp(t.Unix() + secondsToUnix)
}

// wall returns the stamp as a wall-clock value in a UTC container.
func (s stamp) wall() time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(int64(s)-secondsToUnix, 0).UTC()
}

// reached reports whether now is at or after the instant s (which is set).
func (s stamp) reached(now time.Time) bool {
	return stampOf(now) >= s
}

// newCardUser stores c, working out its instants in loc.
func newCardUser(c *wire.Card, loc *time.Location) *cardUser {
	u := &cardUser{
		id:        c.ID,
		name:      c.UserName,
		email:     c.Email,
		nip:       c.Nip,
		info:      c.CardInfo,
		cardType:  c.CardType,
		badging:   c.Badging,
		levels:    c.CardAccessLevels,
		startWall: stampOf(c.StartDate),
		endWall:   stampOf(c.EndDate),
		created:   stampOf(c.CreationDate),
		cardState: c.CardState,
	}
	if c.UsingEndDate {
		u.flags |= userUsingEndDate
		u.end = stampOf(instant(c.EndDate, loc))
	}
	if c.WaitForKeypad {
		u.flags |= userWaitForKeypad
	}
	if c.DeleteWhenExpired {
		u.flags |= userDeleteWhenExpired
	}
	u.start = stampOf(instant(c.StartDate, loc))
	n := 0
	for i := range c.Slots {
		if c.Slots[i] != (wire.CardSlot{}) {
			n++
		}
	}
	if n > 0 {
		u.slots = make([]cardSlot, 0, n)
	}
	for i := range c.Slots {
		s := &c.Slots[i]
		if *s == (wire.CardSlot{}) {
			continue
		}
		cs := cardSlot{number: s.Number, endWall: stampOf(s.EndDate), index: uint8(i), state: s.State}
		if s.Display {
			cs.flags |= slotDisplay
		}
		if s.Trace {
			cs.flags |= slotTrace
		}
		if s.UsingEndDate {
			cs.flags |= slotUsingEndDate
			cs.end = stampOf(instant(s.EndDate, loc))
		}
		u.slots = append(u.slots, cs)
	}
	return u
}

// card returns the card user as a <Card>: a copy sharing nothing writable.
func (u *cardUser) card() wire.Card {
	c := wire.Card{
		ID:                u.id,
		UserName:          u.name,
		CardInfo:          u.info,
		Email:             u.email,
		CardType:          u.cardType,
		CardState:         u.cardState,
		StartDate:         u.startWall.wall(),
		EndDate:           u.endWall.wall(),
		UsingEndDate:      u.flags&userUsingEndDate != 0,
		Nip:               u.nip,
		WaitForKeypad:     u.flags&userWaitForKeypad != 0,
		Badging:           u.badging,
		DeleteWhenExpired: u.flags&userDeleteWhenExpired != 0,
		CreationDate:      u.created.wall(),
	}
	if u.levels != nil {
		c.CardAccessLevels = append([]wire.CardAccessLevel(nil), u.levels...)
	}
	for i := range u.slots {
		s := &u.slots[i]
		c.Slots[s.index] = wire.CardSlot{
			Number:       s.number,
			Display:      s.flags&slotDisplay != 0,
			State:        s.state,
			Trace:        s.flags&slotTrace != 0,
			EndDate:      s.endWall.wall(),
			UsingEndDate: s.flags&slotUsingEndDate != 0,
		}
	}
	return c
}

// deleteWhenExpired says whether the user goes once expired.
func (u *cardUser) deleteWhenExpired() bool { return u.flags&userDeleteWhenExpired != 0 }

// slot returns card slot i (0-based), nil when it is not set.
func (u *cardUser) slot(i int) *cardSlot {
	for j := range u.slots {
		if int(u.slots[j].index) == i {
			return &u.slots[j]
		}
	}
	return nil
}

// slotOf returns the slot holding card number n, nil for none.
func (u *cardUser) slotOf(n string) *cardSlot {
	for j := range u.slots {
		if u.slots[j].number == n {
			return &u.slots[j]
		}
	}
	return nil
}

// number returns card slot i's number, "" when unused.
func (u *cardUser) number(i int) string {
	if s := u.slot(i); s != nil {
		return s.number
	}
	return ""
}
