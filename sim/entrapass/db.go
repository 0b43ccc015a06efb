package entrapass

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pacsim/pacsim/internal/split"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// Licence options of the connect licence, and the integration id that
// E-GLOB-CONNECT accepts (IPFusion partner documentation: "E-GLOB-CONNECT,
// using the integration ID of 56").
const (
	LicenceGlobalConnect    = "E-GLOB-CONNECT"
	LicenceCorporateConnect = "E-COR-CONNECT"
	GlobalIntegrationID     = 56
)

// PINLength is the length of a card user's PIN, as the login answer's
// PINLength says: EntraPass asks for a 5-digit access code.
const PINLength = 5

// DB is the EntraPass database of a simulated site: operators, card types,
// access levels, schedules, the licence, and the card users with their
// cards. It is loaded from the world's site file and decides access for the
// world (it implements sim.Decider).
//
// The configuration (operators, card types, access levels, schedules) is
// fixed once loaded; card users change through SmartService and every change
// takes effect on the next decision. All methods are safe for concurrent use.
type DB struct {
	loc *time.Location

	// Fixed at load, read without the lock.
	serverVersion   string
	systemName      string
	licences        map[string]bool
	corporateID     int
	defaultCardType int
	eventBatch      int
	operators       []*operator
	cardTypes       []cardType
	cardTypeByID    map[int]*cardType
	levels          []*accessLevel
	levelByID       map[int]*accessLevel
	schedules       []scheduleInfo
	sites           map[sim.ID]bool

	mu sync.RWMutex
	// users, byCard and byName are the card users and their indexes:
	// byCard by normalised card number, byName by lower-cased user name.
	users  map[int]*cardUser
	byCard map[string]*cardUser
	// cardOrder is byCard's keys sorted, for a card-number prefix filter
	// (the lookup a driver makes for every access event); nil when a write
	// changed the cards, rebuilt on the next such query under cardOrderMu.
	cardOrder   []string
	cardOrderMu sync.Mutex
	byName      nameIndex
	// idOrder is the users sorted by id, for the Cards list in PKDATA
	// order (cardspage.go); nil when a write changed the users, rebuilt
	// on the next such list under idOrderMu.
	idOrder   []*cardUser
	idOrderMu sync.Mutex
	// deletable are the users marked DeleteWhenExpired, the only ones a
	// purge has to look at.
	deletable map[int]*cardUser
	// taken maps the ids of the site's other objects to their kind, and
	// hardware gives the kind of a component's: EntraPass ids share one
	// number space, so a card user created with a chosen id must not take
	// a door's. (The world knows its components: a map of the 400,000 of
	// a large site here too was 13 MB.)
	taken    map[int]string
	hardware func(sim.ID) (sim.Kind, bool)
	// nextID is the id the next card user created without one gets;
	// firstID is where it starts, above every id of the site file.
	nextID  int
	firstID int
	// file is the site file the users are loaded from (ResetUsers).
	file *sim.SiteFile
	// held are the copies of the card users that cut-off controllers
	// decide from (download.go).
	held []*copyOf
}

// operator is an EntraPass operator account.
type operator struct {
	id          int
	name        string
	password    string
	disabled    bool
	expires     time.Time // zero: never
	maxSessions int
	// rights are the SmartLink API rights held (rights.go).
	rights rightSet
}

// cardType is a card type (Employee, Contractor…).
type cardType struct {
	id   int
	name string
}

// accessLevel grants doors of one site, each during a schedule.
type accessLevel struct {
	id    int
	name  string
	site  sim.ID
	doors []doorAccess
	// byDoor indexes doors; its schedule is nil when the site file names
	// a schedule the world does not know (it cannot, after validation, but
	// a nil schedule denies rather than panics).
	byDoor map[sim.ID]*sim.Schedule
	// cardTypes, when not nil, are the only card types admitted.
	cardTypes map[int]bool
}

type doorAccess struct {
	door     sim.ID
	schedule int
}

// scheduleInfo is a schedule as the lists show it.
type scheduleInfo struct {
	id   int
	name string
	site sim.ID // 0: every site
}

// NewDB loads the EntraPass database of w's site file. It does not register
// itself: call w.SetDecider(db) (New does) for it to decide access.
func NewDB(w *sim.World) (*DB, error) {
	sf := w.File()
	ep := &sf.EntraPass
	db := &DB{
		loc:           w.Location(),
		serverVersion: ep.ServerVersion,
		systemName:    ep.SystemName,
		licences:      map[string]bool{},
		corporateID:   ep.CorporateIntegrationID,
		eventBatch:    ep.EventBatch,
		cardTypeByID:  map[int]*cardType{},
		levelByID:     map[int]*accessLevel{},
		sites:         map[sim.ID]bool{},
		taken:         map[int]string{},
	}
	if db.serverVersion == "" {
		db.serverVersion = "8.10.0.1234"
	}
	if db.systemName == "" {
		db.systemName = "PACSIM"
	}
	if db.eventBatch <= 0 {
		db.eventBatch = 1000
	}
	for _, l := range ep.Licences {
		db.licences[l] = true
	}
	maxID := 0
	take := func(id int, kind string) {
		db.taken[id] = kind
		maxID = max(maxID, id)
	}
	db.hardware = w.Kind
	hw := func(id sim.ID) { maxID = max(maxID, int(id)) }
	for _, g := range sf.Gateways {
		hw(g.ID)
		for _, s := range g.Sites {
			hw(s.ID)
			db.sites[s.ID] = true
			for _, c := range s.Controllers {
				hw(c.ID)
				for _, d := range c.Doors {
					hw(d.ID)
					for _, r := range d.Readers {
						hw(r.ID)
					}
				}
				for _, in := range c.Inputs {
					hw(in.ID)
				}
				for _, o := range c.Outputs {
					hw(o.ID)
				}
			}
		}
	}
	for _, s := range sf.Schedules {
		take(s.ID, "schedule")
		db.schedules = append(db.schedules, scheduleInfo{id: s.ID, name: s.Name, site: s.Site})
	}
	for _, ct := range sf.CardTypes {
		take(ct.ID, "card type")
		db.cardTypes = append(db.cardTypes, cardType{id: ct.ID, name: ct.Name})
	}
	for i := range db.cardTypes {
		db.cardTypeByID[db.cardTypes[i].id] = &db.cardTypes[i]
	}
	db.defaultCardType = ep.DefaultCardType
	if db.defaultCardType == 0 && len(db.cardTypes) > 0 {
		db.defaultCardType = db.cardTypes[0].id
	}
	for _, a := range sf.AccessLevels {
		take(a.ID, "access level")
		l := &accessLevel{id: a.ID, name: a.Name, site: a.Site, byDoor: make(map[sim.ID]*sim.Schedule, len(a.Doors))}
		for _, d := range a.Doors {
			s, _ := w.Schedule(d.Schedule)
			l.doors = append(l.doors, doorAccess{door: d.Door, schedule: d.Schedule})
			l.byDoor[d.Door] = s
		}
		if len(a.CardTypes) > 0 {
			l.cardTypes = make(map[int]bool, len(a.CardTypes))
			for _, t := range a.CardTypes {
				l.cardTypes[t] = true
			}
		}
		db.levels = append(db.levels, l)
		db.levelByID[l.id] = l
	}
	for _, o := range ep.Operators {
		take(o.ID, "operator")
		op := &operator{id: o.ID, name: o.Name, password: o.Password, disabled: o.Disabled, maxSessions: o.MaxSessions}
		if op.maxSessions <= 0 {
			op.maxSessions = 5
		}
		op.rights = rightsOf(o.Rights)
		if t, ok := sf.UserTime(o.PasswordExpires); ok {
			op.expires = t
		}
		db.operators = append(db.operators, op)
	}
	for _, u := range sf.Users {
		maxID = max(maxID, u.ID)
	}
	db.firstID = maxID + 1
	db.file = sf
	if err := db.loadUsers(w.Now()); err != nil {
		return nil, err
	}
	return db, nil
}

// loadUsers replaces the card users with those of the site file, created
// at now. Called with the write lock (or during load).
//
// A million card users take seconds to load one after the other, so the
// users are built in parallel chunks, then each index is filled by its own
// goroutine: the maps are apart, and every user in them is complete. A
// failure is the one a loop over the file would meet first.
func (db *DB) loadUsers(now time.Time) error {
	sf := db.file
	created := db.wall(now)
	order := make([]*cardUser, len(sf.Users))
	if err := split.Range(len(order), func(lo, hi int) error {
		for i := lo; i < hi; i++ {
			us := &sf.Users[i]
			u, err := db.userFromSpec(us, created)
			if err != nil {
				return fmt.Errorf("entrapass: users[%d] (%s): %w", i, us.Name, err)
			}
			order[i] = u
		}
		return nil
	}); err != nil {
		return err
	}
	users := make(map[int]*cardUser, len(order))
	byCard := make(map[string]*cardUser, len(order))
	deletable := map[int]*cardUser{}
	var dup error
	split.Do(func() {
		for _, u := range order {
			users[u.id] = u
			if u.deleteWhenExpired() {
				deletable[u.id] = u
			}
		}
	}, func() {
		for i, u := range order {
			for j := range u.nslots() {
				n := u.slotAt(j).number
				if n == "" {
					continue
				}
				if _, held := byCard[n]; held {
					dup = fmt.Errorf("entrapass: users[%d] (%s): card %s is held by another card user", i, u.name(), n)
					return
				}
				db.remember(n)
				byCard[n] = u
			}
		}
	})
	if dup != nil {
		return dup
	}
	// The name index waits for its first use (names).
	db.users, db.byCard, db.byName, db.deletable = users, byCard, nameIndex{}, deletable
	db.nextID = db.firstID
	db.cardOrder = nil
	// The Cards list's id order (cardspage.go), from the file's order: a
	// site file lists its users by id, so this sort is a scan, where
	// sorting the users out of their map on the first page took a second
	// on a million.
	slices.SortFunc(order, func(a, b *cardUser) int { return cmp.Compare(a.id, b.id) })
	db.idOrder = order
	return nil
}

// ResetUsers drops every change made to the card users through
// SmartService and reloads them from the site file, as World.Reset returns
// the hardware to its state at start. The control API's reset calls it
// (the world cannot: it knows no head-end).
func (db *DB) ResetUsers(now time.Time) {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.detachCopies()
	// The file loaded once, so it loads again.
	_ = db.loadUsers(now)
}

// userFromSpec builds a card user from the site file, reading its name,
// cards and levels from us (see cardUser). The site file gives each card a
// type while a <Card> has one per user: the user's type is its first
// card's (or the default card type).
func (db *DB) userFromSpec(us *sim.UserSpec, created time.Time) (*cardUser, error) {
	u := &cardUser{
		id:        us.ID,
		spec:      us,
		cardType:  int32(db.defaultCardType),
		badging:   int32(us.Badging),
		created:   stampOf(created),
		cardState: wire.CardValid,
	}
	if len(us.Cards) > wire.CardSlots {
		return nil, fmt.Errorf("%d cards, more than %d", len(us.Cards), wire.CardSlots)
	}
	typed := false
	for i := range us.Cards {
		cs := &us.Cards[i]
		// Validation wrote the numbers in their normal form; the user is
		// read from the file as it stands.
		if n, err := sim.ParseCard(cs.Number); err != nil {
			return nil, err
		} else if n != cs.Number {
			return nil, fmt.Errorf("card %q is not in its normal form %q: validate the site file first", cs.Number, n)
		}
		if cs.Type != 0 && !typed {
			u.cardType, typed = int32(cs.Type), true
		}
	}
	if us.PIN != "" {
		u.flags |= userWaitForKeypad
	}
	if t, ok := db.siteTime(us.Start); ok {
		u.startWall = stampOf(db.wall(t))
		u.start = stampOf(instant(db.wall(t), db.loc))
	}
	if t, ok := db.siteTime(us.End); ok {
		u.endWall = stampOf(db.wall(t))
		u.end = stampOf(instant(db.wall(t), db.loc))
		u.flags |= userUsingEndDate
	}
	for _, id := range us.AccessLevels {
		if _, ok := db.levelByID[id]; !ok {
			return nil, fmt.Errorf("no access level has id %d", id)
		}
	}
	return u, nil
}

// siteTime parses a site-file date in the site's zone.
func (db *DB) siteTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	if len(s) == len("2006-01-02") {
		// A date alone, as a generated site writes them: the layouts
		// below would fail twice first, allocating an error each time.
		if t, err := time.ParseInLocation("2006-01-02", s, db.loc); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{wire.DateLayout, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, db.loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// wall turns an instant into the zone-less wall-clock value the wire
// carries: the site's local date and time, in a UTC container.
func (db *DB) wall(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	t = t.In(db.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// instant reads a wire wall-clock value as a time in the site's zone.
func instant(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, loc)
}

// names returns the name index, built on its first use: only a write of
// a card user reads it, and indexing a million names took a quarter of a
// million-user site's load. The site file's users go in in file order (a
// name's holders are listed in the order they were indexed), then any
// other, by id. Called with the write lock.
func (db *DB) names() nameIndex {
	if db.byName.built() {
		return db.byName
	}
	x := newNameIndex(len(db.users))
	added := 0
	for i := range db.file.Users {
		if u := db.users[db.file.Users[i].ID]; u != nil {
			x.add(u)
			added++
		}
	}
	if added < len(db.users) {
		fromFile := make(map[*cardUser]bool, added)
		for i := range db.file.Users {
			if u := db.users[db.file.Users[i].ID]; u != nil {
				fromFile[u] = true
			}
		}
		var rest []*cardUser
		for _, u := range db.users {
			if !fromFile[u] {
				rest = append(rest, u)
			}
		}
		slices.SortFunc(rest, func(a, b *cardUser) int { return cmp.Compare(a.id, b.id) })
		for _, u := range rest {
			x.add(u)
		}
	}
	db.byName = x
	return x
}

// index adds u to the indexes. Called with the write lock (or during load).
func (db *DB) index(u *cardUser) {
	db.users[u.id] = u
	if db.byName.built() {
		db.byName.add(u)
	}
	for j := range u.nslots() {
		if n := u.slotAt(j).number; n != "" {
			db.remember(n)
			db.byCard[n] = u
		}
	}
	db.cardOrder, db.idOrder = nil, nil
	if u.deleteWhenExpired() {
		db.deletable[u.id] = u
	}
}

// unindex removes u from the indexes. Called with the write lock.
func (db *DB) unindex(u *cardUser) {
	delete(db.users, u.id)
	if db.byName.built() {
		db.byName.remove(u)
	}
	for j := range u.nslots() {
		if n := u.slotAt(j).number; n != "" && db.byCard[n] == u {
			db.remember(n)
			delete(db.byCard, n)
		}
	}
	db.cardOrder, db.idOrder = nil, nil
	delete(db.deletable, u.id)
}

// purge deletes the card users marked DeleteWhenExpired whose end date has
// passed, as EntraPass's "Delete when expired" does. Reads already treat
// them as gone (see gone); purging frees their names and card numbers for a
// write. Called with the write lock.
func (db *DB) purge(now time.Time) {
	for _, u := range db.deletable {
		if u.gone(now) {
			db.unindex(u)
		}
	}
}

// operatorByName finds an operator, names compared case-insensitively.
func (db *DB) operatorByName(name string) *operator {
	for _, op := range db.operators {
		if strings.EqualFold(op.name, name) {
			return op
		}
	}
	return nil
}

// levelsOfSite returns the access levels of a site (all when site is 0),
// in file order.
func (db *DB) levelsOfSite(site sim.ID) []*accessLevel {
	var out []*accessLevel
	for _, l := range db.levels {
		if site == 0 || l.site == site {
			out = append(out, l)
		}
	}
	return out
}

// schedulesOfSite returns the schedules usable on a site: its own and the
// site-less ones.
func (db *DB) schedulesOfSite(site sim.ID) []scheduleInfo {
	var out []scheduleInfo
	for _, s := range db.schedules {
		if s.site == 0 || s.site == site {
			out = append(out, s)
		}
	}
	return out
}

// UserCount returns how many card users the database holds (those deleted
// when expired included until a write purges them).
func (db *DB) UserCount() int {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return len(db.users)
}
