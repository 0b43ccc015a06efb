package entrapass

import (
	"time"

	"github.com/pacsim/pacsim/sim"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// cardUser is one card user as the database keeps it. A site may hold a
// million of them, so it is stored compactly rather than as the <Card> the
// wire carries (a wire.Card with its five slots and six dates is 600 bytes
// before its strings; 704 MB on the million-user site).
//
// A user as the site file has it, unchanged since load, reads its name,
// e-mail, PIN, cards and levels from the file's UserSpec (spec), which the
// world keeps anyway: the site would otherwise hold every user twice. A
// user written through SmartService keeps them itself (own). Exactly one
// of the two is set. card rebuilds the wire.Card; newCardUser stores one.
// Card users are never modified in place: a write stores a new *cardUser
// (download.go relies on it).
//
// Dates are kept twice: as the zone-less wall-clock values the wire
// carries (startWall…, in a UTC container) and as the instants they stand
// for in the site's zone (start, end), computed once per write so that a
// decision compares seconds without converting.
type cardUser struct {
	id   int
	spec *sim.UserSpec
	own  *ownFields

	cardType int32
	badging  int32

	startWall, endWall, created stamp
	start, end                  stamp          // instants; 0: none (end: none in use)
	cardState                   wire.CardState // as stored; see state
	flags                       userFlags
}

// ownFields are the fields of a card user written through SmartService.
type ownFields struct {
	name    string
	email   string
	nip     string
	info    wire.CardInfo
	slots   []cardSlot // the slots set, in slot order (a slot is set when any of its fields is)
	levels  []wire.CardAccessLevel
	picture []byte // JPEG; nil: none
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
		cardType:  int32(c.CardType),
		badging:   int32(c.Badging),
		startWall: stampOf(c.StartDate),
		endWall:   stampOf(c.EndDate),
		created:   stampOf(c.CreationDate),
		cardState: c.CardState,
		own:       &ownFields{name: c.UserName, email: c.Email, nip: c.Nip, info: c.CardInfo, levels: c.CardAccessLevels},
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
		u.own.slots = make([]cardSlot, 0, n)
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
		u.own.slots = append(u.own.slots, cs)
	}
	return u
}

// card returns the card user as a <Card>: a copy sharing nothing writable.
// siteOf gives the site of an access level, for a user of the site file.
func (u *cardUser) card(siteOf func(level int) sim.ID) wire.Card {
	c := wire.Card{
		ID:                u.id,
		UserName:          u.name(),
		Email:             u.email(),
		CardType:          int(u.cardType),
		CardState:         u.cardState,
		StartDate:         u.startWall.wall(),
		EndDate:           u.endWall.wall(),
		UsingEndDate:      u.flags&userUsingEndDate != 0,
		Nip:               u.nip(),
		WaitForKeypad:     u.flags&userWaitForKeypad != 0,
		Badging:           int(u.badging),
		DeleteWhenExpired: u.flags&userDeleteWhenExpired != 0,
		CreationDate:      u.created.wall(),
	}
	if u.own != nil {
		c.CardInfo = u.own.info
		if u.own.levels != nil {
			c.CardAccessLevels = append([]wire.CardAccessLevel(nil), u.own.levels...)
		}
	} else {
		for _, id := range u.spec.AccessLevels {
			c.CardAccessLevels = append(c.CardAccessLevels, wire.CardAccessLevel{GatewaySiteID: int(siteOf(id)), AccessLevelID: id})
		}
	}
	for j := range u.nslots() {
		s := u.slotAt(j)
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

// name is the user's name.
func (u *cardUser) name() string {
	if u.spec != nil {
		return u.spec.Name
	}
	return u.own.name
}

// email is the user's e-mail address.
func (u *cardUser) email() string {
	if u.spec != nil {
		return u.spec.Email
	}
	return u.own.email
}

// nip is the user's PIN, "" for none.
func (u *cardUser) nip() string {
	if u.spec != nil {
		return u.spec.PIN
	}
	return u.own.nip
}

// info is the user's CardInfo fields (a file user has none).
func (u *cardUser) info() wire.CardInfo {
	if u.spec != nil {
		return wire.CardInfo{}
	}
	return u.own.info
}

// picture is the user's picture, nil for none.
func (u *cardUser) picture() []byte {
	if u.spec != nil {
		return nil
	}
	return u.own.picture
}

// nslots is how many card slots are set.
func (u *cardUser) nslots() int {
	if u.spec != nil {
		return len(u.spec.Cards)
	}
	return len(u.own.slots)
}

// slotAt returns the j-th slot set (not slot j: see slot).
func (u *cardUser) slotAt(j int) cardSlot {
	if u.spec == nil {
		return u.own.slots[j]
	}
	// A site file's card: displayed, no end date of its own.
	cs := &u.spec.Cards[j]
	s := cardSlot{number: cs.Number, index: uint8(j), flags: slotDisplay}
	switch cs.State {
	case "invalid":
		s.state = wire.CardInvalid
	case "lost-stolen":
		s.state = wire.CardStolenLost
	}
	return s
}

// deleteWhenExpired says whether the user goes once expired.
func (u *cardUser) deleteWhenExpired() bool { return u.flags&userDeleteWhenExpired != 0 }

// slot returns card slot i (0-based) and whether it is set.
func (u *cardUser) slot(i int) (cardSlot, bool) {
	for j := range u.nslots() {
		if s := u.slotAt(j); int(s.index) == i {
			return s, true
		}
	}
	return cardSlot{}, false
}

// slotOf returns the slot holding card number n, and whether there is one.
func (u *cardUser) slotOf(n string) (cardSlot, bool) {
	for j := range u.nslots() {
		if s := u.slotAt(j); s.number == n {
			return s, true
		}
	}
	return cardSlot{}, false
}

// number returns card slot i's number, "" when unused.
func (u *cardUser) number(i int) string {
	s, _ := u.slot(i)
	return s.number
}
