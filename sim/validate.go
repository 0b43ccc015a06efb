package sim

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Door timing defaults.
const (
	DefaultUnlockTime = 5 * time.Second
	DefaultOpenTime   = 30 * time.Second
	DefaultPrealarm   = 10 * time.Second
)

// ControllerModel is what a controller model takes.
type ControllerModel struct {
	Name                   string
	KTType                 string // as SmartService's KTTYPE shows it
	Doors, Inputs, Outputs int
}

// Models are the controller models a site file may name, with their
// capacity (EntraPass 8.50 help, controllers configuration: relays and
// auxiliary outputs counted together as outputs).
var Models = map[string]ControllerModel{
	"KT-1":   {"KT-1", "KT1", 1, 5, 7},
	"KT-2":   {"KT-2", "KT2", 2, 8, 7},
	"KT-100": {"KT-100", "KT100", 1, 4, 6},
	"KT-200": {"KT-200", "KT200", 2, 16, 6},
	"KT-300": {"KT-300", "KT300", 2, 8, 6},
	"KT-400": {"KT-400", "KT400", 4, 16, 20},
}

// modelNames lists Models for messages, smallest first.
const modelNames = "KT-1, KT-2, KT-100, KT-200, KT-300, KT-400"

// validator collects the first error with the path of the offending field.
type validator struct {
	// ids are every id in the file (one number space). The first pass
	// only lists them, and sorts them at the end: the ids of a generated
	// site come in order, so the sort is a scan, where a map of a million
	// and a half ids cost a second. Only when that finds a duplicate does
	// a second, exact pass (exact, byID) find which one comes first in the
	// file, the error Validate reports.
	ids   []placedID
	exact bool
	byID  map[int]place
	names map[nameKey]string
	// cards are the users' card numbers, packed (packCard), listed in
	// the first pass and sorted at the end as ids are: a map of a million
	// took a quarter of a second. The exact pass finds the holder.
	cards   []uint64
	cardsBy cardSet
	err     error
}

// placedID is an id and where it is defined.
type placedID struct {
	id int
	at place
}

// place is where an id is defined: path, or path[index] when index is not
// negative. A site of a million card users would spend a Sprintf and a
// string per user on paths that only a duplicate id ever prints.
type place struct {
	path  string
	index int
}

func (p place) String() string {
	if p.index < 0 {
		return p.path
	}
	return p.path + "[" + strconv.Itoa(p.index) + "]"
}

// nameKey is a component name within its kind.
type nameKey struct{ kind, name string }

func (v *validator) fail(path, format string, args ...any) {
	if v.err == nil {
		v.err = fmt.Errorf("%w: %s: %s", ErrSiteFile, path, fmt.Sprintf(format, args...))
	}
}

func (v *validator) id(path string, id int) { v.idAt(place{path, -1}, id) }

func (v *validator) idAt(p place, id int) {
	if id <= 0 {
		v.fail(p.String()+".id", "must be a positive integer, got %d", id)
		return
	}
	if !v.exact {
		v.ids = append(v.ids, placedID{id, p})
		return
	}
	if prev, ok := v.byID[id]; ok {
		v.fail(p.String()+".id", "id %d is already used by %s", id, prev)
		return
	}
	v.byID[id] = p
}

// duplicate reports whether the ids or the card numbers listed hold one
// twice.
func (v *validator) duplicate() bool {
	slices.SortFunc(v.ids, func(a, b placedID) int { return cmp.Compare(a.id, b.id) })
	for i := 1; i < len(v.ids); i++ {
		if v.ids[i].id == v.ids[i-1].id {
			return true
		}
	}
	slices.Sort(v.cards)
	for i := 1; i < len(v.cards); i++ {
		if v.cards[i] == v.cards[i-1] {
			return true
		}
	}
	return false
}

// card records that user i holds card n, a number in normal form, and
// returns the user that already held it, if one did; the first pass only
// lists the numbers that pack (see cards) and answers false for them.
func (v *validator) card(n string, i int) (prev int, held bool) {
	if !v.exact {
		if k, ok := packCard(n); ok {
			v.cards = append(v.cards, k)
			return 0, false
		}
	}
	return v.cardsBy.add(n, i)
}

// name checks that a component name is given and unique within its kind,
// since head-ends identify components by name in event texts.
func (v *validator) name(path, kind, name string) {
	if strings.TrimSpace(name) == "" {
		v.fail(path+".name", "a name is required")
		return
	}
	key := nameKey{kind, name}
	if prev, ok := v.names[key]; ok {
		v.fail(path+".name", "%s name %q is already used by %s", kind, name, prev)
		return
	}
	v.names[key] = path
}

// Validate checks the file and fills in defaults. Every error names the
// field at fault, e.g. "gateways[0].sites[1].controllers[0].doors[2].readers".
func (sf *SiteFile) Validate() error { return sf.validateThen(nil) }

// validateThen is Validate calling mid, when not nil, once everything but
// the card users and the head-end sections has validated: on a goroutine
// of its own, beside the card users' checks (a million take most of a
// second), returning once mid has. New builds the world in mid, which
// reads only the hardware and the schedules; mid is not called when they
// fail, and its work is thrown away when the rest does.
func (sf *SiteFile) validateThen(mid func()) error {
	n := sf.countIDs()
	v := &validator{ids: make([]placedID, 0, n), names: make(map[nameKey]string, n-len(sf.Users)), cards: make([]uint64, 0, len(sf.Users))}
	err := sf.validate(v, mid)
	if v.duplicate() {
		// Validation only fills in defaults and normalises, so a second
		// pass sees what the first left and fails where it must.
		v = &validator{exact: true, byID: make(map[int]place, n), names: make(map[nameKey]string, n-len(sf.Users)),
			cardsBy: cardSet{packed: make(map[uint64]int, len(sf.Users))}}
		err = sf.validate(v, nil)
	}
	return err
}

// validate is one pass of Validate.
func (sf *SiteFile) validate(v *validator, mid func()) error {
	if sf.Version != SiteFileVersion {
		return fmt.Errorf("%w: version: this pacsim reads version %d, the file says %d", ErrSiteFile, SiteFileVersion, sf.Version)
	}
	if strings.TrimSpace(sf.Name) == "" {
		v.fail("name", "a name is required")
	}
	if sf.TimeZone == "" {
		sf.TimeZone = "UTC"
	}
	loc, err := time.LoadLocation(sf.TimeZone)
	if err != nil {
		v.fail("timezone", "unknown time zone %q", sf.TimeZone)
		loc = time.UTC
	}
	if sf.Start != "" {
		if _, err := parseSiteTime(sf.Start, loc); err != nil {
			v.fail("start", "%q is not a time like \"2026-01-05 09:00:00\"", sf.Start)
		}
	}
	if sf.JournalRetention < 0 {
		v.fail("journal_retention", "must not be negative")
	}
	if len(sf.Gateways) == 0 {
		v.fail("gateways", "at least one gateway is required")
	}
	doorSite := map[ID]ID{}
	siteIDs := map[ID]bool{}
	for gi := range sf.Gateways {
		g := &sf.Gateways[gi]
		gp := fmt.Sprintf("gateways[%d]", gi)
		v.id(gp, int(g.ID))
		v.name(gp, "gateway", g.Name)
		for si := range g.Sites {
			s := &g.Sites[si]
			sp := fmt.Sprintf("%s.sites[%d]", gp, si)
			v.id(sp, int(s.ID))
			v.name(sp, "site", s.Name)
			siteIDs[s.ID] = true
			for ci := range s.Controllers {
				c := &s.Controllers[ci]
				cp := fmt.Sprintf("%s.controllers[%d]", sp, ci)
				v.id(cp, int(c.ID))
				v.name(cp, "controller", c.Name)
				m, ok := Models[c.Model]
				switch {
				case strings.TrimSpace(c.Model) == "":
					v.fail(cp+".model", "required (one of %s)", modelNames)
				case !ok:
					v.fail(cp+".model", "unknown controller model %q (one of %s)", c.Model, modelNames)
				default:
					if len(c.Doors) > m.Doors {
						v.fail(cp+".doors", "a %s takes at most %d doors, got %d", c.Model, m.Doors, len(c.Doors))
					}
					if len(c.Inputs) > m.Inputs {
						v.fail(cp+".inputs", "a %s takes at most %d inputs, got %d", c.Model, m.Inputs, len(c.Inputs))
					}
					if len(c.Outputs) > m.Outputs {
						v.fail(cp+".outputs", "a %s takes at most %d outputs, got %d", c.Model, m.Outputs, len(c.Outputs))
					}
				}
				for di := range c.Doors {
					d := &c.Doors[di]
					dp := fmt.Sprintf("%s.doors[%d]", cp, di)
					v.id(dp, int(d.ID))
					v.name(dp, "door", d.Name)
					doorSite[d.ID] = s.ID
					if d.UnlockTime == 0 {
						d.UnlockTime = Duration(DefaultUnlockTime)
					}
					if d.OpenTime == 0 {
						d.OpenTime = Duration(DefaultOpenTime)
					}
					if d.Prealarm == 0 {
						d.Prealarm = Duration(min(DefaultPrealarm, d.OpenTime.D()/2))
					}
					if d.UnlockTime.D() < time.Second || d.UnlockTime.D() > 18*time.Hour {
						v.fail(dp+".unlock_time", "must be between 1s and 18h")
					}
					if d.OpenTime.D() < time.Second || d.OpenTime.D() > 18*time.Hour {
						v.fail(dp+".open_time", "must be between 1s and 18h")
					}
					if d.Prealarm < 0 || d.Prealarm >= d.OpenTime {
						v.fail(dp+".prealarm", "must be shorter than open_time (%s)", d.OpenTime.D())
					}
					if len(d.Readers) < 1 || len(d.Readers) > 2 {
						v.fail(dp+".readers", "a door has one or two readers, got %d", len(d.Readers))
					}
					for ri := range d.Readers {
						r := &d.Readers[ri]
						rp := fmt.Sprintf("%s.readers[%d]", dp, ri)
						v.id(rp, int(r.ID))
						v.name(rp, "reader", r.Name)
					}
				}
				for ii := range c.Inputs {
					ip := fmt.Sprintf("%s.inputs[%d]", cp, ii)
					v.id(ip, int(c.Inputs[ii].ID))
					v.name(ip, "input", c.Inputs[ii].Name)
				}
				for oi := range c.Outputs {
					op := fmt.Sprintf("%s.outputs[%d]", cp, oi)
					v.id(op, int(c.Outputs[oi].ID))
					v.name(op, "output", c.Outputs[oi].Name)
				}
			}
		}
	}
	schedules := map[int]bool{}
	for i := range sf.Schedules {
		s := &sf.Schedules[i]
		p := fmt.Sprintf("schedules[%d]", i)
		v.id(p, s.ID)
		v.name(p, "schedule", s.Name)
		schedules[s.ID] = true
		if s.Site != 0 && !siteIDs[s.Site] {
			v.fail(p+".site", "no site has id %d", s.Site)
		}
		if _, err := compileSchedule(s, loc); err != nil {
			v.fail(p+".intervals", "%v", err)
		}
	}
	for gi := range sf.Gateways {
		for si := range sf.Gateways[gi].Sites {
			for ci, c := range sf.Gateways[gi].Sites[si].Controllers {
				for di, d := range c.Doors {
					if d.UnlockSchedule != 0 && !schedules[d.UnlockSchedule] {
						v.fail(fmt.Sprintf("gateways[%d].sites[%d].controllers[%d].doors[%d].unlock_schedule", gi, si, ci, di), "no schedule has id %d", d.UnlockSchedule)
					}
				}
			}
		}
	}
	cardTypes := map[int]bool{}
	for i, ct := range sf.CardTypes {
		p := fmt.Sprintf("card_types[%d]", i)
		v.id(p, ct.ID)
		v.name(p, "card type", ct.Name)
		cardTypes[ct.ID] = true
	}
	levelSite := map[int]ID{}
	for i := range sf.AccessLevels {
		a := &sf.AccessLevels[i]
		p := fmt.Sprintf("access_levels[%d]", i)
		v.id(p, a.ID)
		if strings.TrimSpace(a.Name) == "" {
			v.fail(p+".name", "a name is required")
		}
		if !siteIDs[a.Site] {
			v.fail(p+".site", "no site has id %d", a.Site)
		}
		levelSite[a.ID] = a.Site
		for di, da := range a.Doors {
			dp := fmt.Sprintf("%s.doors[%d]", p, di)
			site, ok := doorSite[da.Door]
			switch {
			case !ok:
				v.fail(dp+".door", "no door has id %d", da.Door)
			case site != a.Site:
				v.fail(dp+".door", "door %d is not in site %d", da.Door, a.Site)
			}
			if !schedules[da.Schedule] {
				v.fail(dp+".schedule", "no schedule has id %d", da.Schedule)
			}
		}
		for ti, t := range a.CardTypes {
			if !cardTypes[t] {
				v.fail(fmt.Sprintf("%s.card_types[%d]", p, ti), "no card type has id %d", t)
			}
		}
	}
	if mid != nil && v.err == nil {
		done := make(chan struct{})
		go func() {
			defer close(done)
			mid()
		}()
		defer func() { <-done }()
	}
	// Paths are built only for a message (see place).
	type siteLevel struct {
		site  ID
		level int
	}
	var seen []siteLevel // the user's levels so far
	for i := range sf.Users {
		u := &sf.Users[i]
		p := place{"users", i}
		v.idAt(p, u.ID)
		if strings.TrimSpace(u.Name) == "" {
			v.fail(p.String()+".name", "a name is required")
		}
		if len(u.Cards) > 5 {
			v.fail(p.String()+".cards", "a card user has at most 5 cards, got %d", len(u.Cards))
		}
		for ci := range u.Cards {
			c := &u.Cards[ci]
			n, err := ParseCard(c.Number)
			if err != nil {
				v.fail(userCardPath(i, ci, "number"), "%v", err)
				continue
			}
			c.Number = n
			if prev, ok := v.card(n, i); ok {
				v.fail(userCardPath(i, ci, "number"), "card %s is already held by users[%d]", n, prev)
			}
			if c.Type != 0 && !cardTypes[c.Type] {
				v.fail(userCardPath(i, ci, "type"), "no card type has id %d", c.Type)
			}
			switch c.State {
			case "":
				c.State = "valid"
			case "valid", "invalid", "lost-stolen":
			default:
				v.fail(userCardPath(i, ci, "state"), "%q is not valid, invalid or lost-stolen", c.State)
			}
		}
		if u.PIN != "" && !isDigits(u.PIN, 5) {
			v.fail(p.String()+".pin", "a PIN is exactly 5 digits")
		}
		seen = seen[:0]
		for li, l := range u.AccessLevels {
			site, ok := levelSite[l]
			if !ok {
				v.fail(fmt.Sprintf("users[%d].access_levels[%d]", i, li), "no access level has id %d", l)
				continue
			}
			for _, s := range seen {
				if s.site == site {
					v.fail(fmt.Sprintf("users[%d].access_levels[%d]", i, li), "access levels %d and %d are both for site %d; a card user has one per site", s.level, l, site)
				}
			}
			seen = append(seen, siteLevel{site, l})
		}
		for _, f := range [...]struct{ name, val string }{{"start", u.Start}, {"end", u.End}} {
			if f.val != "" {
				if _, err := parseSiteTime(f.val, loc); err != nil {
					v.fail(p.String()+"."+f.name, "%q is not a date like 2026-12-31", f.val)
				}
			}
		}
	}
	v.entrapass(&sf.EntraPass, cardTypes)
	v.genetec(sf)
	return v.err
}

func (v *validator) entrapass(e *EntraPassSpec, cardTypes map[int]bool) {
	if e.ServerVersion == "" {
		e.ServerVersion = "8.10.0.1234"
	}
	if _, _, err := ParseVersion(e.ServerVersion); err != nil {
		v.fail("entrapass.server_version", "%v", err)
	}
	switch e.Edition {
	case "":
		e.Edition = "Global"
	case "Global", "Corporate", "Special":
	default:
		v.fail("entrapass.edition", "%q is not Global, Corporate or Special", e.Edition)
	}
	for i, l := range e.Licences {
		if l != "E-GLOB-CONNECT" && l != "E-COR-CONNECT" {
			v.fail(fmt.Sprintf("entrapass.licences[%d]", i), "%q is not E-GLOB-CONNECT or E-COR-CONNECT", l)
		}
	}
	if e.SystemName == "" {
		e.SystemName = "PACSIM"
	}
	if e.DefaultCardType != 0 && !cardTypes[e.DefaultCardType] {
		v.fail("entrapass.default_card_type", "no card type has id %d", e.DefaultCardType)
	}
	if e.EventBatch == 0 {
		e.EventBatch = 1000
	}
	if e.EventBatch < 1 || e.EventBatch > 100000 {
		v.fail("entrapass.event_batch", "must be between 1 and 100000")
	}
	names := map[string]bool{}
	for i := range e.Operators {
		o := &e.Operators[i]
		p := fmt.Sprintf("entrapass.operators[%d]", i)
		v.id(p, o.ID)
		if o.Name == "" {
			v.fail(p+".name", "a name is required")
		}
		if names[strings.ToLower(o.Name)] {
			v.fail(p+".name", "operator %q is already defined (names compare case-insensitively)", o.Name)
		}
		names[strings.ToLower(o.Name)] = true
		if o.Password == "" {
			v.fail(p+".password", "a password is required")
		}
		if o.MaxSessions == 0 {
			o.MaxSessions = 5
		}
		if o.MaxSessions < 1 {
			v.fail(p+".max_sessions", "must be at least 1")
		}
		if o.PasswordExpires != "" {
			if _, err := parseSiteTime(o.PasswordExpires, time.UTC); err != nil {
				v.fail(p+".password_expires", "%q is not a date like 2026-12-31", o.PasswordExpires)
			}
		}
		v.rights(p+".rights", o)
	}
}

var versionRE = regexp.MustCompile(`^(\d{1,4})\.(\d{1,4})(\.\d{1,6}){0,2}$`)

// ParseVersion reads the major and minor of a version such as 8.10.0.1234
// (major.minor.revision.build; revision and build optional).
func ParseVersion(s string) (major, minor int, err error) {
	m := versionRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, fmt.Errorf("%q is not a version like 8.10.0.1234", s)
	}
	major, _ = strconv.Atoi(m[1])
	minor, _ = strconv.Atoi(m[2])
	return major, minor, nil
}

// userCardPath is the path of a field of card ci of user i.
func userCardPath(i, ci int, field string) string {
	return fmt.Sprintf("users[%d].cards[%d].%s", i, ci, field)
}

// countIDs returns how many ids the file defines, to size the validator's
// map once.
func (sf *SiteFile) countIDs() int {
	n := len(sf.Schedules) + len(sf.CardTypes) + len(sf.AccessLevels) + len(sf.Users) + len(sf.EntraPass.Operators)
	for _, g := range sf.Gateways {
		n++
		for _, s := range g.Sites {
			n++
			for _, c := range s.Controllers {
				n += 1 + len(c.Inputs) + len(c.Outputs)
				for _, d := range c.Doors {
					n += 1 + len(d.Readers)
				}
			}
		}
	}
	return n
}

func isDigits(s string, n int) bool {
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

// parseSiteTime reads "2006-01-02 15:04:05", "2006-01-02T15:04:05" or
// "2006-01-02" in loc.
func parseSiteTime(s string, loc *time.Location) (time.Time, error) {
	if len(s) == len("2006-01-02") {
		// A date alone, the usual case: skip the layouts that cannot match
		// (each failed parse allocates its error).
		if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
			return t, nil
		}
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date", s)
}

// Location returns the site's time zone.
func (sf *SiteFile) Location() *time.Location {
	loc, err := time.LoadLocation(sf.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// StartTime returns where the manual clock starts for this site.
func (sf *SiteFile) StartTime() time.Time {
	loc := sf.Location()
	if sf.Start != "" {
		if t, err := parseSiteTime(sf.Start, loc); err == nil {
			return t
		}
	}
	return time.Date(DefaultStart.Year(), DefaultStart.Month(), DefaultStart.Day(), 9, 0, 0, 0, loc)
}

// UserTime parses a user's start or end date in the site's zone.
func (sf *SiteFile) UserTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := parseSiteTime(s, sf.Location())
	return t, err == nil
}

// rights checks an operator's rights and writes each as EntraPassRights
// spells it. An empty list is refused rather than read as "no right": left
// out, the key means every right, and a file written back (omitempty) must
// mean what it meant.
func (v *validator) rights(p string, o *OperatorSpec) {
	if o.Rights == nil {
		return
	}
	if len(o.Rights) == 0 {
		v.fail(p, "an empty list; leave rights out for every right, or list those the operator holds (%s)", strings.Join(EntraPassRights, ", "))
		return
	}
	seen := map[string]bool{}
	for i, r := range o.Rights {
		canon := ""
		for _, k := range EntraPassRights {
			if strings.EqualFold(k, strings.TrimSpace(r)) {
				canon = k
			}
		}
		switch {
		case canon == "":
			v.fail(fmt.Sprintf("%s[%d]", p, i), "%q is not a right; the rights are %s", r, strings.Join(EntraPassRights, ", "))
		case seen[canon]:
			v.fail(fmt.Sprintf("%s[%d]", p, i), "%s is listed twice", canon)
		default:
			seen[canon] = true
			o.Rights[i] = canon
		}
	}
}

// cardSet finds a card number held twice among a site's users. Its keys
// are the numbers packed in an integer (packCard): a map of a million card
// strings cost the validator half a second and 56 MB, twice per start.
type cardSet struct {
	packed map[uint64]int
	text   map[string]int // raw numbers too large to pack
}

// add records that user i holds card n, a number in normal form, and
// returns the user that already held it, if one did.
func (c *cardSet) add(n string, i int) (prev int, held bool) {
	if k, ok := packCard(n); ok {
		if c.packed == nil {
			c.packed = map[uint64]int{}
		}
		if prev, held = c.packed[k]; !held {
			c.packed[k] = i
		}
		return prev, held
	}
	if c.text == nil {
		c.text = map[string]int{}
	}
	if prev, held = c.text[n]; !held {
		c.text[n] = i
	}
	return prev, held
}

// packCard packs a card number in normal form (ParseCard) into an integer,
// distinct for distinct numbers: facility:number as 1<<48 | facility<<32 |
// number, a raw number below 1<<48 as itself. ok is false for a larger raw
// number.
func packCard(n string) (uint64, bool) {
	if fac, num, found := strings.Cut(n, ":"); found {
		f, err1 := strconv.ParseUint(fac, 10, 16)
		m, err2 := strconv.ParseUint(num, 10, 32)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		return 1<<48 | f<<32 | m, true
	}
	v, err := strconv.ParseUint(n, 10, 64)
	if err != nil || v >= 1<<48 {
		return 0, false
	}
	return v, true
}
