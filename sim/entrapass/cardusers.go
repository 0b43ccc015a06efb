package entrapass

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// state is the card user's state as the server shows it at now: the stored
// state, except that a valid user whose end date has come is Expired (the
// server revokes it) and one whose start date is still ahead is Pending
// (EntraPass help 8.50: a start date in the future makes the card Pending).
// Deriving instead of storing lets a client that moves the end date, or
// clears UsingEndDate as the Airflow client does to revalidate, bring the
// user back without a second write.
func (u *cardUser) state(now time.Time) wire.CardState {
	s := u.cardState
	if s != wire.CardValid {
		return s
	}
	if u.end != 0 && u.end.reached(now) {
		return wire.CardExpired
	}
	if u.start != 0 && !u.start.reached(now) {
		return wire.CardPending
	}
	return s
}

// slotState is the state of card slot i at now: its stored state, Expired
// once its own end date has come.
func (u *cardUser) slotState(i int, now time.Time) wire.CardState {
	s, ok := u.slot(i)
	if !ok {
		return wire.CardValid
	}
	return s.stateAt(now)
}

// stateAt is the slot's state at now.
func (s *cardSlot) stateAt(now time.Time) wire.CardState {
	if s.state == wire.CardValid && s.end != 0 && s.end.reached(now) {
		return wire.CardExpired
	}
	return s.state
}

// gone reports whether the user is to be deleted because it expired while
// marked DeleteWhenExpired: reads treat it as already deleted.
func (u *cardUser) gone(now time.Time) bool {
	return u.deleteWhenExpired() && u.state(now) == wire.CardExpired
}

// view returns the <Card> as a GET answers it at now: a copy, with the
// derived states.
func (db *DB) view(u *cardUser, now time.Time) wire.Card {
	c := u.card(db.levelSite)
	c.CardState = u.state(now)
	for i := range c.Slots {
		c.Slots[i].State = u.slotState(i, now)
	}
	c.State = wire.Unchanged
	return c
}

// firstCard is the number the Cards list shows in CARDNUMBER: the first
// slot in use.
func (u *cardUser) firstCard() string {
	for j := range u.nslots() {
		if n := u.slotAt(j).number; n != "" {
			return n
		}
	}
	return ""
}

// levelFor returns the access level id u holds on site, 0 for none.
func (db *DB) levelFor(u *cardUser, site sim.ID) int {
	if u.spec != nil {
		for _, id := range u.spec.AccessLevels {
			if db.levelSite(id) == site {
				return id
			}
		}
		return 0
	}
	for _, l := range u.own.levels {
		if sim.ID(l.GatewaySiteID) == site {
			return l.AccessLevelID
		}
	}
	return 0
}

// levelSite returns the site of access level id, 0 for none.
func (db *DB) levelSite(id int) sim.ID {
	if l, ok := db.levelByID[id]; ok {
		return l.site
	}
	return 0
}

// Card returns the <Card> of card user id as GET Cards/{id} answers it at
// now, and whether there is such a user.
func (db *DB) Card(id int, now time.Time) (wire.Card, bool) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	u, ok := db.users[id]
	if !ok || u.gone(now) {
		return wire.Card{}, false
	}
	return db.view(u, now), true
}

// saveResult says what a save did.
type saveResult struct {
	id      int
	created bool
}

// save creates or updates a card user from a POST or PUT body, all or
// nothing: every check is made on a merged copy under the write lock, and
// the database changes only once all passed.
//
// id is the card user to update, or 0 to create one. create allows id to
// name a user that does not exist yet, which is then created with that id
// (POST Cards/{id}, as ropelletier's client does with an id it chose).
// defaultType is the card type of a user created without one.
func (db *DB) save(id int, create bool, p *wire.CardPatch, defaultType int, now time.Time) (saveResult, *wire.Fault) {
	if f := db.checkLevelChanges(p.AccessLevels); f != nil {
		return saveResult{}, f
	}
	// Asked before the lock: the world decides access under its own lock
	// and asks this database under it, so the other order would deadlock.
	// Its components never change (a reset rebuilds the same).
	hwKind, isHW := db.hardware(sim.ID(id))
	db.mu.Lock()
	defer db.mu.Unlock()
	db.purge(now)

	var c wire.Card
	old := db.users[id]
	switch {
	case old != nil:
		c = old.card(db.levelSite)
	case !create:
		return saveResult{}, wire.ComponentNotExist(fmt.Sprint(id))
	default:
		kind, used := db.taken[id]
		if isHW && !used {
			kind, used = hwKind.String(), true
		}
		if used && id != 0 {
			return saveResult{}, wire.InvalidParameter("id", fmt.Sprintf("%d is the id of %s, not of a card user", id, article(kind)))
		}
		if id < 0 {
			return saveResult{}, wire.InvalidParameter("id", fmt.Sprintf("%d is not a card user id", id))
		}
		c = wire.Card{CardType: defaultType, CardState: wire.CardValid, CreationDate: db.wall(now)}
	}
	p.Apply(&c)
	// AccessLevelID 0 is how a client says "no level on this site"
	// (ropelletier sends 0 to clear its only level).
	c.CardAccessLevels = slices.DeleteFunc(c.CardAccessLevels, func(l wire.CardAccessLevel) bool { return l.AccessLevelID == 0 })
	if len(c.CardAccessLevels) == 0 {
		c.CardAccessLevels = nil
	}
	if f := db.checkCard(&c, old, defaultType); f != nil {
		return saveResult{}, f
	}

	res := saveResult{id: id}
	if old == nil && len(db.users) >= MaxCardUsers {
		return saveResult{}, wire.InvalidParameter("Card", fmt.Sprintf("the server holds %d card users, its most: delete some first", len(db.users)))
	}
	if old == nil {
		if id == 0 {
			id = db.nextID
			db.nextID++
		} else {
			db.nextID = max(db.nextID, id+1)
		}
		res = saveResult{id: id, created: true}
	} else {
		db.unindex(old)
	}
	c.ID = id
	c.State = ""
	u := newCardUser(&c, db.loc)
	if old != nil {
		u.own.picture = old.picture()
	}
	db.index(u)
	return res, nil
}

// checkLevelChanges checks the <CardAccessLevel> entries of a body: known
// site, an access level of that site, one entry per site. It needs no lock:
// sites and access levels never change.
func (db *DB) checkLevelChanges(changes []wire.AccessLevelChange) *wire.Fault {
	seen := map[int]int{}
	for i, ch := range changes {
		path := fmt.Sprintf("CardAccessLevels/CardAccessLevel[%d]", i+1)
		if !db.sites[sim.ID(ch.GatewaySiteID)] {
			return wire.InvalidParameter(path+"/GatewaySiteID", fmt.Sprintf("no site has id %d", ch.GatewaySiteID))
		}
		if prev, dup := seen[ch.GatewaySiteID]; dup {
			return wire.InvalidParameter(path+"/GatewaySiteID", fmt.Sprintf("entry %d is for site %d too; a card user has one access level per site", prev, ch.GatewaySiteID))
		}
		seen[ch.GatewaySiteID] = i + 1
		if ch.State == wire.Deleted || ch.AccessLevelID == 0 {
			continue
		}
		l, ok := db.levelByID[ch.AccessLevelID]
		if !ok {
			return wire.InvalidParameter(path+"/AccessLevelID", fmt.Sprintf("no access level has id %d", ch.AccessLevelID))
		}
		if int(l.site) != ch.GatewaySiteID {
			return wire.InvalidParameter(path+"/AccessLevelID", fmt.Sprintf("access level %d belongs to site %d, not %d", l.id, l.site, ch.GatewaySiteID))
		}
	}
	return nil
}

// checkCard validates a merged card and normalises its card numbers.
// old is the user being updated (nil on create). Called with the write lock.
func (db *DB) checkCard(c *wire.Card, old *cardUser, defaultType int) *wire.Fault {
	c.UserName = strings.TrimSpace(c.UserName)
	if c.UserName == "" {
		return wire.InvalidParameter("UserName", "a card user name is required")
	}
	// A name already shared in the site file may be kept by its holders,
	// but no user may take another's name.
	for _, other := range db.names().holders(c.UserName) {
		if other != old && (old == nil || !strings.EqualFold(old.name(), c.UserName)) {
			return wire.InvalidParameter("UserName", fmt.Sprintf("%q is the name of card user %d", c.UserName, other.id))
		}
	}
	for i := range c.Slots {
		s := &c.Slots[i]
		raw := strings.TrimSpace(strings.ReplaceAll(s.Number, "[COLON]", ":"))
		if raw == "" {
			s.Number = ""
			continue
		}
		n, err := sim.ParseCard(raw)
		if err != nil {
			return wire.InvalidParameter(wire.CardNumberField(i+1).String(), err.Error())
		}
		s.Number = n
		for j := 0; j < i; j++ {
			if c.Slots[j].Number == n {
				return wire.InvalidParameter(wire.CardNumberField(i+1).String(), fmt.Sprintf("card %s is already card %d of this user", n, j+1))
			}
		}
		if other, ok := db.byCard[n]; ok && other != old {
			return wire.InvalidParameter(wire.CardNumberField(i+1).String(), fmt.Sprintf("card %s is held by card user %d (%s)", n, other.id, other.name()))
		}
	}
	if c.Nip != "" && !digits(c.Nip, PINLength) {
		return wire.InvalidParameter("Nip", fmt.Sprintf("a PIN is exactly %d digits", PINLength))
	}
	if c.CardType == 0 {
		c.CardType = defaultType
	}
	if _, ok := db.cardTypeByID[c.CardType]; !ok && (c.CardType != 0 || len(db.cardTypes) > 0) {
		return wire.InvalidParameter("CardType", fmt.Sprintf("no card type has id %d", c.CardType))
	}
	if c.UsingEndDate && c.EndDate.IsZero() {
		return wire.InvalidParameter("EndDate", "UsingEndDate is True but no end date is given")
	}
	for i := range c.Slots {
		if s := &c.Slots[i]; s.UsingEndDate && s.EndDate.IsZero() {
			return wire.InvalidParameter(wire.EndDateField(i+1).String(), fmt.Sprintf("UsingEndDate%d is True but no end date is given", i+1))
		}
	}
	return nil
}

// remove deletes card user id. It reports false when there is none.
func (db *DB) remove(id int, now time.Time) bool {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.purge(now)
	u, ok := db.users[id]
	if !ok {
		return false
	}
	db.unindex(u)
	return true
}

// picture returns card user id's picture (nil for none) and whether the
// user exists.
func (db *DB) picture(id int, now time.Time) ([]byte, bool) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	u, ok := db.users[id]
	if !ok || u.gone(now) {
		return nil, false
	}
	return u.picture(), true
}

// setPicture replaces card user id's picture (nil clears it). It reports
// false when there is no such user, and a fault when the pictures would
// hold more than MaxPictureBytes.
func (db *DB) setPicture(id int, jpeg []byte, now time.Time) (bool, *wire.Fault) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.purge(now)
	u, ok := db.users[id]
	if !ok {
		return false, nil
	}
	if len(jpeg) > len(u.picture()) {
		total := len(jpeg) - len(u.picture())
		for _, o := range db.users {
			total += len(o.picture())
		}
		if total > MaxPictureBytes {
			return true, wire.InvalidParameter("CardPicture", fmt.Sprintf("the server would hold %d bytes of pictures, more than its most, %d (%d MiB): clear some first", total, MaxPictureBytes, MaxPictureBytes>>20))
		}
	}
	// Copy on write: a reader may hold the old slice.
	c := u.card(db.levelSite)
	nu := newCardUser(&c, db.loc)
	nu.own.picture = jpeg
	db.unindex(u)
	db.index(nu)
	return true, nil
}

// digits reports whether s is exactly n ASCII digits.
func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
