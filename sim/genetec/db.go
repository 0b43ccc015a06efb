package genetec

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/genetec/cardformat"
)

// DB is the simulated Security Center's database. Reads take the read lock;
// every change runs in a transaction (tx) under the write lock and lands
// whole or not at all.
type DB struct {
	mu     sync.RWMutex
	world  *sim.World
	site   string
	spec   *sim.GenetecSpec
	byGUID map[string]*entity
	// order keeps creation order, so reports list entities stably.
	order []string
	// byCard finds a credential by the card number the world uses.
	byCard map[string]string
	// byUnique finds a credential by its format's unique id.
	byUnique map[string]string
	// byWorld finds the entity mirroring a world component.
	byWorld map[sim.ID]string
	logical map[Type]int
	// rules lists the access rules, which every decision walks.
	rules []string
	audit []auditRow
	seq   uint64 // GUIDs of new entities, deterministic per site
	// maxEntities is MaxEntities (a test lowers it).
	maxEntities int
	// pub is what decisions read without a lock, republished at every
	// commit. Committed entities are never changed in place (a
	// transaction clones them), so sharing them is safe.
	pub atomic.Pointer[view]
}

// view is a published, read-only copy of the maps decisions need.
type view struct {
	byCard  map[string]string
	byGUID  map[string]*entity
	byWorld map[sim.ID]string
	rules   []string
}

// publish makes the current content what decisions read. Called locked.
// The view shares the maps, which commit copies before it changes them: a
// site of 400,000 entities holds one map, not two.
func (db *DB) publish() {
	db.pub.Store(&view{byCard: db.byCard, byGUID: db.byGUID, byWorld: db.byWorld, rules: slices.Clone(db.rules)})
}

// guidFor derives a stable GUID from the site and a key, in the layout of
// sim.GUID, so a site file always gives the same GUIDs.
func guidFor(site, key string) string {
	return sim.NameGUID("pacsim/" + site + "/genetec/" + key)
}

// NewDB loads the genetec section of w's site file and mirrors w's hardware.
// A credential whose format the Web SDK does not know is an error naming
// its field.
func NewDB(w *sim.World) (*DB, error) {
	sf := w.File()
	db := &DB{world: w, site: sf.Name, spec: &sf.Genetec, maxEntities: MaxEntities}
	if err := db.load(); err != nil {
		return nil, err
	}
	return db, nil
}

// load (re)builds the database from the site file. Called locked or before
// the database is shared.
func (db *DB) load() error {
	sf := db.world.File()
	snap := db.world.Snapshot()
	hardware := snap.Components()
	size := 16 + hardware + len(db.spec.Users) + len(sf.Schedules) + len(db.spec.Rules) + len(db.spec.Groups)
	for _, c := range db.spec.Cardholders {
		size += 1 + len(c.Credentials)
	}
	db.byGUID = make(map[string]*entity, size)
	db.order = make([]string, 0, size)
	db.byCard = map[string]string{}
	db.byUnique = map[string]string{}
	db.byWorld = make(map[sim.ID]string, hardware)
	db.logical = map[Type]int{}
	db.rules = nil
	db.audit = nil
	db.seq = 0
	start := sf.StartTime()
	put := func(e *entity) *entity {
		e.created, e.modified = start, start
		if e.typ == TypeCardholder || e.typ == TypeVisitor || e.typ == TypeDoor || e.typ == TypeArea || e.typ == TypeUnit {
			db.logical[e.typ]++
			e.logical = db.logical[e.typ]
		}
		db.byGUID[e.guid] = e
		db.order = append(db.order, e.guid)
		if e.typ == TypeAccessRule {
			db.rules = append(db.rules, e.guid)
		}
		if e.world != 0 {
			db.byWorld[e.world] = e.guid
		}
		return e
	}
	put(&entity{guid: GUIDSystem, typ: TypeSystem, name: "System configuration"})
	put(&entity{guid: GUIDRootPartition, typ: TypePartition, name: db.spec.Machine})
	// The main server: what a client reads Security Center's version from
	// (EntityTypes@Server, then entity=G,Version).
	put(&entity{guid: guidFor(db.site, "server"), typ: TypeServer, name: db.spec.Machine})
	put(&entity{guid: GUIDSystemPartition, typ: TypePartition, name: "System"})
	put(&entity{guid: GUIDAdministrators, typ: TypeUserGroup, name: "Administrators"})
	for _, u := range db.spec.Users {
		g := guidFor(db.site, "user/"+strings.ToLower(u.Name))
		if strings.EqualFold(u.Name, "admin") {
			g = GUIDAdmin
		}
		put(&entity{guid: g, typ: TypeUser, name: u.Name, miscG: &miscFields{password: u.Password, disabled: u.Disabled}})
	}
	// Schedules: the site file's, Always being the built-in one.
	schedGUID := map[int]string{}
	always := false
	for _, s := range sf.Schedules {
		g := guidFor(db.site, "schedule/"+strconv.Itoa(s.ID))
		if strings.EqualFold(s.Name, "Always") && !always {
			g, always = GUIDAlways, true
		}
		sc, _ := db.world.Schedule(s.ID)
		put(&entity{guid: g, typ: TypeSchedule, name: s.Name, miscG: &miscFields{scheduleValue: sc}})
		schedGUID[s.ID] = g
	}
	if !always {
		put(&entity{guid: GUIDAlways, typ: TypeSchedule, name: "Always"})
	}
	put(&entity{guid: GUIDLockdownRule, typ: TypeAccessRule, name: "Lockdown rule", ruleG: &ruleFields{schedule: GUIDAlways, denying: true, system: true}})
	put(&entity{guid: GUIDAllOpenRule, typ: TypeAccessRule, name: "All open rule", ruleG: &ruleFields{schedule: GUIDAlways, system: true}})
	put(&entity{guid: GUIDAllCardholders, typ: TypeCardholderGroup, name: "All cardholders"})
	put(&entity{guid: GUIDVisitorsGroup, typ: TypeCardholderGroup, name: "Visitors"})

	// The world's hardware, under the world's GUIDs, in one allocation: a
	// site may have hundreds of thousands of them, and one allocation each
	// cost more time than the rest of the load. A transaction changes a
	// clone, so the slab is only ever written here.
	slab := make([]entity, hardware)
	hw := func(e entity) *entity {
		p := &slab[0]
		*p = e
		slab = slab[1:]
		return put(p)
	}
	for _, g := range snap.Gateways {
		hw(entity{guid: g.GUID, typ: TypeRole, name: g.Name, world: g.ID, kind: sim.KindGateway})
	}
	for _, s := range snap.Sites {
		hw(entity{guid: s.GUID, typ: TypeArea, name: s.Name, world: s.ID, kind: sim.KindSite})
	}
	guidOf := func(id sim.ID) string { return db.byWorld[id] }
	for _, c := range snap.Controllers {
		hw(entity{guid: c.GUID, typ: TypeUnit, name: c.Name, world: c.ID, kind: sim.KindController, parent: guidOf(c.Gateway)})
	}
	for _, d := range snap.Doors {
		hw(entity{guid: d.GUID, typ: TypeDoor, name: d.Name, world: d.ID, kind: sim.KindDoor, parent: guidOf(d.Site), unit: guidOf(d.Controller)})
	}
	for _, r := range snap.Readers {
		door := db.byGUID[guidOf(r.Door)]
		hw(entity{guid: r.GUID, typ: TypeDevice, name: r.Name, world: r.ID, kind: sim.KindReader, parent: door.guid, unit: door.unit})
	}
	for _, in := range snap.Inputs {
		hw(entity{guid: in.GUID, typ: TypeDevice, name: in.Name, world: in.ID, kind: sim.KindInput, unit: guidOf(in.Controller)})
	}
	for _, o := range snap.Outputs {
		hw(entity{guid: o.GUID, typ: TypeDevice, name: o.Name, world: o.ID, kind: sim.KindOutput, unit: guidOf(o.Controller)})
	}
	var allDoors []string
	if slices.ContainsFunc(db.spec.Rules, func(r sim.GenetecRuleSpec) bool { return r.AllDoors }) {
		allDoors = make([]string, 0, len(snap.Doors))
		for _, d := range snap.Doors {
			allDoors = append(allDoors, d.GUID)
		}
	}

	ruleGUID := map[string]string{}
	for _, r := range db.spec.Rules {
		ru := &ruleFields{schedule: schedGUID[r.Schedule]}
		e := &entity{guid: guidFor(db.site, "rule/"+strings.ToLower(r.Name)), typ: TypeAccessRule, name: r.Name, ruleG: ru}
		if r.AllDoors {
			ru.doors = slices.Clone(allDoors)
		}
		for _, d := range r.Doors {
			ru.doors, _ = addString(ru.doors, guidOf(d))
		}
		put(e)
		ruleGUID[strings.ToLower(r.Name)] = e.guid
	}
	groupGUID := map[string]string{}
	for _, g := range db.spec.Groups {
		e := put(&entity{guid: guidFor(db.site, "group/"+strings.ToLower(g.Name)), typ: TypeCardholderGroup, name: g.Name})
		groupGUID[strings.ToLower(g.Name)] = e.guid
		for _, r := range g.Rules {
			ru := db.byGUID[ruleGUID[strings.ToLower(r)]].accessRuleMut()
			ru.ruleHolders, _ = addString(ru.ruleHolders, e.guid)
		}
	}
	for i, c := range db.spec.Cardholders {
		name := strings.TrimSpace(c.FirstName + " " + c.LastName)
		p := &personFields{first: c.FirstName, last: c.LastName, email: c.Email, inactive: c.State == "inactive"}
		ch := put(&entity{guid: guidFor(db.site, "cardholder/"+strconv.Itoa(i)), typ: TypeCardholder, name: name,
			personG: p, validG: &validityFields{activation: start}})
		for _, g := range c.Groups {
			gr := db.byGUID[groupGUID[strings.ToLower(g)]]
			m := gr.miscMut()
			m.members = append(m.members, ch.guid)
			p.groups = append(p.groups, gr.guid)
		}
		for j, cs := range c.Credentials {
			path := fmt.Sprintf("genetec.cardholders[%d].credentials[%d]", i, j)
			f, err := specCredential(cs)
			if err != nil {
				return fmt.Errorf("%w: %s: %v", sim.ErrSiteFile, path, err)
			}
			if other, dup := db.byUnique[f.UniqueID()]; dup {
				return fmt.Errorf("%w: %s: the same card as credential %q", sim.ErrSiteFile, path, db.byGUID[other].name)
			}
			st := "Active"
			switch cs.State {
			case "inactive":
				st = "Inactive"
			case "lost":
				st = "Lost"
			case "stolen":
				st = "Stolen"
			}
			nm := cs.Name
			if nm == "" {
				nm = name + " credential"
			}
			cr := put(&entity{guid: guidFor(db.site, "credential/"+strconv.Itoa(i)+"/"+strconv.Itoa(j)), typ: TypeCredential, name: nm,
				credG: &credFields{format: f, holder: ch.guid, state: st, badge: GUIDEmpty}, validG: &validityFields{activation: start}})
			p.creds = append(p.creds, cr.guid)
			db.indexCredential(cr)
		}
	}
	db.publish()
	return nil
}

// specCredential builds the format of a site file credential.
func specCredential(cs sim.GenetecCredentialSpec) (cardformat.Credential, error) {
	if strings.EqualFold(cs.Format, "Keypad") {
		return cardformat.FromConstructor("KeypadCredentialFormat", []string{cs.PIN})
	}
	for _, s := range cardformat.Builtins() {
		if strings.EqualFold(s.Name, cs.Format) || strings.EqualFold(s.Constructor, cs.Format) {
			args := []string{fmt.Sprint(cs.Card)}
			if s.HasFacility {
				args = []string{fmt.Sprint(cs.Facility), fmt.Sprint(cs.Card)}
			}
			return cardformat.FromConstructor(s.Constructor, args)
		}
	}
	names := make([]string, 0, 8)
	for _, s := range cardformat.Builtins() {
		names = append(names, s.Name)
	}
	return cardformat.Credential{}, fmt.Errorf("format %q is not a built-in format (%s, Keypad)", cs.Format, strings.Join(names, ", "))
}

// indexCredential makes a credential findable by card and unique id.
func (db *DB) indexCredential(e *entity) {
	f := e.credential().format
	db.byUnique[f.UniqueID()] = e.guid
	if c := f.WorldCard(); c != "" {
		if n, err := sim.ParseCard(c); err == nil {
			db.byCard[n] = e.guid
		}
	}
}

func (db *DB) unindexCredential(e *entity) {
	f := e.credential().format
	if db.byUnique[f.UniqueID()] == e.guid {
		delete(db.byUnique, f.UniqueID())
	}
	if n, err := sim.ParseCard(f.WorldCard()); err == nil && db.byCard[n] == e.guid {
		delete(db.byCard, n)
	}
}

// Reset returns the database to the site file's content.
func (db *DB) Reset() {
	db.mu.Lock()
	defer db.mu.Unlock()
	_ = db.load() // it loaded once from the same file
}

// get returns the entity with the given normalised GUID. Called locked.
func (db *DB) get(guid string) *entity { return db.byGUID[guid] }

// newGUID makes the GUID of a created entity: deterministic for a site and
// a count, so two runs of the same requests create the same GUIDs.
func (db *DB) newGUID() string {
	for {
		db.seq++
		g := guidFor(db.site, "new/"+strconv.FormatUint(db.seq, 10))
		if db.byGUID[g] == nil {
			return g
		}
	}
}

// byLogical finds an entity of type t by its logical id. Called locked.
func (db *DB) byLogical(t Type, n int) *entity {
	for _, g := range db.order {
		if e := db.byGUID[g]; e != nil && e.typ == t && e.logical == n {
			return e
		}
	}
	return nil
}

// now is the site time.
func (db *DB) now() time.Time { return db.world.Now() }
