package sim

import (
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"

	"github.com/brianvoe/gofakeit/v6"
)

// Bounds and defaults of a generated site (pacsim serve --generate).
const (
	DefaultGenerateDoors = 8
	DefaultGenerateUsers = 50
	MaxGenerateDoors     = 100000
	MaxGenerateUsers     = 1000000
)

// Shape of a generated site.
const (
	genSitesPerGateway    = 16
	genControllersPerSite = 32
	genDoorsPerController = 4 // a KT-400 takes 4
	genInputsPerCtrl      = 4
	genOutputsPerCtrl     = 2
	genFirstFacility      = 100
	genCardsPerFacility   = 65535 // card numbers 1..65535 in each facility
)

// GenerateOptions says what Generate builds.
type GenerateOptions struct {
	// Doors is the number of doors, 1 to MaxGenerateDoors.
	Doors int
	// Users is the number of card users, 0 to MaxGenerateUsers.
	Users int
	// Seed seeds the faker: the same options always give the same site,
	// byte for byte. 0 is a seed like any other.
	Seed int64
	// Unvalidated leaves validating the site to the caller, one that hands
	// it to New at once: New validates, and a second pass over a million
	// card users costs most of a second of the start.
	Unvalidated bool
}

// GenerateProgressStep is how many card users GenerateReporting makes
// between two calls of its progress function.
const GenerateProgressStep = 1 << 14

// ParseGenerateSpec reads the value of the --generate flag, "doors=N,users=M":
// keys in any order, each optional (doors=8, users=50 by default). Seed is
// not part of it (--seed); it is left 0.
func ParseGenerateSpec(spec string) (GenerateOptions, error) {
	o := GenerateOptions{Doors: DefaultGenerateDoors, Users: DefaultGenerateUsers}
	if strings.TrimSpace(spec) == "" {
		return o, nil
	}
	seen := map[string]bool{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			return o, fmt.Errorf("generate: empty item in %q (write doors=N,users=M)", spec)
		}
		key, val, ok := strings.Cut(item, "=")
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if !ok {
			return o, fmt.Errorf("generate: %s: want key=value (write doors=N,users=M)", key)
		}
		var dst *int
		var lo, hi int
		switch key {
		case "doors":
			dst, lo, hi = &o.Doors, 1, MaxGenerateDoors
		case "users":
			dst, lo, hi = &o.Users, 0, MaxGenerateUsers
		default:
			return o, fmt.Errorf("generate: unknown key %q (known: doors, users)", key)
		}
		if seen[key] {
			return o, fmt.Errorf("generate: %s: given twice", key)
		}
		seen[key] = true
		n, err := strconv.Atoi(val)
		if err != nil {
			return o, fmt.Errorf("generate: %s: %q is not a whole number", key, val)
		}
		if n < lo || n > hi {
			return o, fmt.Errorf("generate: %s: must be between %d and %d, got %d", key, lo, hi, n)
		}
		*dst = n
	}
	return o, nil
}

func (o GenerateOptions) check() error {
	if o.Doors < 1 || o.Doors > MaxGenerateDoors {
		return fmt.Errorf("generate: doors: must be between 1 and %d, got %d", MaxGenerateDoors, o.Doors)
	}
	if o.Users < 0 || o.Users > MaxGenerateUsers {
		return fmt.Errorf("generate: users: must be between 0 and %d, got %d", MaxGenerateUsers, o.Users)
	}
	return nil
}

// newFaker returns a private faker seeded with seed. gofakeit.New(0) would
// draw its seed from crypto/rand, so seed 0 gets the same math/rand stream
// gofakeit.New would build around a literal 0: every seed is reproducible.
func newFaker(seed int64) *gofakeit.Faker {
	if seed != 0 {
		return gofakeit.New(seed)
	}
	return gofakeit.NewCustom(rand.NewSource(0).(rand.Source64))
}

// generator holds the state of one Generate call.
type generator struct {
	f      *gofakeit.Faker
	nextID int
	buf    []byte
}

func (g *generator) id() int {
	g.nextID++
	return g.nextID
}

// pick returns one of xs.
func (g *generator) pick(xs []string) string { return xs[g.f.Rand.Intn(len(xs))] }

// name joins words and a number: names are unique per kind because the
// number is a per-kind counter and always comes last.
func (g *generator) name(n int, words ...string) string {
	b := g.buf[:0]
	for _, w := range words {
		b = appendTitle(b, w)
		b = append(b, ' ')
	}
	b = strconv.AppendInt(b, int64(n), 10)
	g.buf = b
	return string(b)
}

// appendTitle appends w with the first letter of each word in upper case
// (gofakeit's words are ASCII).
func appendTitle(b []byte, w string) []byte {
	up := true
	for i := 0; i < len(w); i++ {
		c := w[i]
		if up && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		up = c == ' '
		b = append(b, c)
	}
	return b
}

var (
	genSiteKinds   = []string{"Building", "Campus", "Plaza", "Centre", "Tower", "Depot"}
	genRooms       = []string{"Lobby", "Office", "Stairwell", "Lab", "Storage", "Meeting Room", "Server Room", "Loading Dock", "Corridor", "Kitchen", "Entrance", "Warehouse", "Workshop", "Archive"}
	genInputKinds  = []string{"REX", "Motion", "Door Contact", "Glass Break", "Smoke", "Panic Button", "Window", "Tamper"}
	genOutputKinds = []string{"Buzzer", "Siren", "Strobe", "Light", "Fan", "Door Holder"}
)

// Generate builds a plausible site: gateways of up to 16 sites, sites of up
// to 32 KT-400 controllers, 4 doors per controller (the last may have fewer),
// each door with an entry reader (every 4th door also an exit reader, every
// 8th entry reader with a keypad), 4 inputs and 2 outputs per controller;
// the schedules "Always" and "Business hours" (Monday–Friday 08:00–18:00);
// the card types Employee, Contractor and Visitor; per site the access
// levels "Full Access" and "Business hours" on every door; o.Users card
// users with one card each (facility:number, facility from 100, number
// 1–65535), about 10% with a PIN; and the EntraPass operator pacsim/pacsim
// with the E-GLOB-CONNECT licence. Names and choices come from gofakeit
// seeded with o.Seed, so the same options give the same Marshal bytes.
// IDs share one number space, allocated in file order from 1.
func Generate(o GenerateOptions) (*SiteFile, error) { return GenerateReporting(o, nil) }

// GenerateReporting is Generate calling progress, when not nil, with how
// many card users are generated so far, every GenerateProgressStep users
// and at the end: a million take seconds, and a command says how far it is.
func GenerateReporting(o GenerateOptions, progress func(users int)) (*SiteFile, error) {
	if err := o.check(); err != nil {
		return nil, err
	}
	g := &generator{f: newFaker(o.Seed)}
	f := g.f
	sf := &SiteFile{
		Version:  SiteFileVersion,
		Name:     f.Company() + " (generated, seed " + strconv.FormatInt(o.Seed, 10) + ")",
		TimeZone: "UTC",
	}

	// Hardware.
	nCtrl := (o.Doors + genDoorsPerController - 1) / genDoorsPerController
	nSites := (nCtrl + genControllersPerSite - 1) / genControllersPerSite
	nGw := (nSites + genSitesPerGateway - 1) / genSitesPerGateway
	sf.Gateways = make([]GatewaySpec, nGw)
	siteDoors := make([][]ID, 0, nSites) // doors of each site, in file order
	siteIDs := make([]ID, 0, nSites)
	var nDoor, nInput, nOutput, ctrlN, siteN int
	for gi := range sf.Gateways {
		gw := &sf.Gateways[gi]
		gw.ID = ID(g.id())
		gw.Name = g.name(gi+1, f.City(), "Gateway")
		ns := min(genSitesPerGateway, nSites-siteN)
		gw.Sites = make([]SiteSpec, ns)
		for si := range gw.Sites {
			siteN++
			s := &gw.Sites[si]
			s.ID = ID(g.id())
			s.Name = g.name(siteN, f.LastName(), g.pick(genSiteKinds))
			nc := min(genControllersPerSite, nCtrl-ctrlN)
			s.Controllers = make([]ControllerSpec, nc)
			doors := make([]ID, 0, nc*genDoorsPerController)
			for ci := range s.Controllers {
				ctrlN++
				c := &s.Controllers[ci]
				c.ID = ID(g.id())
				wing := f.SafeColor()
				c.Name = g.name(ctrlN, wing, "Wing Controller")
				c.Model = "KT-400"
				nd := min(genDoorsPerController, o.Doors-nDoor)
				c.Doors = make([]DoorSpec, nd)
				for di := range c.Doors {
					nDoor++
					d := &c.Doors[di]
					d.ID = ID(g.id())
					d.Name = g.name(nDoor, f.SafeColor(), g.pick(genRooms))
					doors = append(doors, d.ID)
					nr := 1
					if nDoor%4 == 0 {
						nr = 2
					}
					d.Readers = make([]ReaderSpec, nr)
					for ri := range d.Readers {
						r := &d.Readers[ri]
						r.ID = ID(g.id())
						if ri == 0 {
							r.Name = d.Name + " entry"
							r.Keypad = nDoor%8 == 0
						} else {
							r.Name = d.Name + " exit"
						}
					}
				}
				c.Inputs = make([]InputSpec, genInputsPerCtrl)
				for ii := range c.Inputs {
					nInput++
					c.Inputs[ii] = InputSpec{ID: ID(g.id()), Name: g.name(nInput, wing, g.pick(genInputKinds))}
				}
				c.Outputs = make([]OutputSpec, genOutputsPerCtrl)
				for oi := range c.Outputs {
					nOutput++
					c.Outputs[oi] = OutputSpec{ID: ID(g.id()), Name: g.name(nOutput, wing, g.pick(genOutputKinds))}
				}
			}
			siteDoors = append(siteDoors, doors)
			siteIDs = append(siteIDs, s.ID)
		}
	}

	// Schedules, card types, access levels.
	always, business := g.id(), g.id()
	sf.Schedules = []ScheduleSpec{
		{ID: always, Name: "Always", Intervals: []IntervalSpec{{Days: []string{"all"}, Start: "00:00", End: "24:00"}}},
		{ID: business, Name: "Business hours", Intervals: []IntervalSpec{{Days: []string{"mon", "tue", "wed", "thu", "fri"}, Start: "08:00", End: "18:00"}}},
	}
	employee, contractor, visitor := g.id(), g.id(), g.id()
	sf.CardTypes = []CardTypeSpec{{ID: employee, Name: "Employee"}, {ID: contractor, Name: "Contractor"}, {ID: visitor, Name: "Visitor"}}
	fullLevel := make([]int, nSites)
	busyLevel := make([]int, nSites)
	sf.AccessLevels = make([]AccessLevelSpec, 0, 2*nSites)
	for si, doors := range siteDoors {
		full := AccessLevelSpec{ID: g.id(), Name: "Full Access", Site: siteIDs[si], Doors: make([]DoorAccessSpec, len(doors))}
		busy := AccessLevelSpec{ID: g.id(), Name: "Business hours", Site: siteIDs[si], Doors: make([]DoorAccessSpec, len(doors))}
		for i, d := range doors {
			full.Doors[i] = DoorAccessSpec{Door: d, Schedule: always}
			busy.Doors[i] = DoorAccessSpec{Door: d, Schedule: business}
		}
		fullLevel[si], busyLevel[si] = full.ID, busy.ID
		sf.AccessLevels = append(sf.AccessLevels, full, busy)
	}

	// Card users.
	g.users(sf, o, employee, contractor, visitor, fullLevel, busyLevel, progress)

	sf.EntraPass = EntraPassSpec{
		ServerVersion:   "8.10.0.1234",
		Edition:         "Global",
		Licences:        []string{"E-GLOB-CONNECT"},
		SystemName:      "PACSIM",
		DefaultCardType: employee,
		Operators:       []OperatorSpec{{ID: g.id(), Name: "pacsim", Password: "pacsim", MaxSessions: 5}},
	}
	if o.Unvalidated {
		return sf, nil
	}
	if err := sf.Validate(); err != nil {
		return nil, fmt.Errorf("generate: the generated site does not validate (a pacsim bug): %w", err)
	}
	return sf, nil
}

// users adds o.Users card users to sf.
func (g *generator) users(sf *SiteFile, o GenerateOptions, employee, contractor, visitor int, fullLevel, busyLevel []int, progress func(int)) {
	if o.Users == 0 {
		return
	}
	f := g.f
	nSites := len(fullLevel)
	domain := emailWord(f.LastName()) + "." + f.DomainSuffix()
	contractors := [3]string{}
	for i := range contractors {
		contractors[i] = emailWord(f.LastName()) + "-" + emailWord(f.BuzzWord()) + "." + f.DomainSuffix()
	}
	// Card numbers: each facility's numbers 1..65535 in a shuffled order,
	// so they look issued rather than counted, and never repeat.
	var perm []int
	sf.Users = make([]UserSpec, o.Users)
	// A user's card and levels are slices of one array each, not an
	// allocation each: two million fewer objects for the collector on the
	// million-user site. Capacities are capped so that an append never
	// reaches a neighbour's.
	cards := make([]CardSpec, o.Users)
	var levelPool []int
	var ends [181]string // the visitors' end dates, formatted once
	levels := make([]int, 0, 4)
	sites := make([]int, 0, 4)
	// The users' texts (names, addresses, card numbers) are written by a
	// goroutine of their own, in user order, from what this loop drew: the
	// faker's draws must come one after the other for a seed to give its
	// site, the writing need not, and on two cores the million users are
	// made in about half the time. The writer sets Name, Email and the
	// card's Number, fields this loop never touches.
	texts := make(chan userTexts, 4)
	free := make(chan []userText, 4)
	written := make(chan struct{})
	go func() {
		defer close(written)
		writeUserTexts(sf.Users, cards, texts, free, o.Users)
	}()
	batch := userTexts{recs: make([]userText, 0, userTextBatch)}
	for i := range sf.Users {
		if progress != nil && i > 0 && i%GenerateProgressStep == 0 {
			progress(i)
		}
		u := &sf.Users[i]
		u.ID = g.id()
		first, last := f.FirstName(), f.LastName()

		ctype, badge := employee, 1
		dom := domain
		switch r := f.Rand.Intn(100); {
		case r < 5:
			ctype, badge = visitor, 2
			dom = emailWord(f.LastName()) + "." + f.DomainSuffix()
		case r < 20:
			ctype, badge = contractor, 2
			dom = contractors[f.Rand.Intn(len(contractors))]
		}
		u.Badging = badge

		fac, k := i/genCardsPerFacility, i%genCardsPerFacility
		if k == 0 {
			perm = f.Rand.Perm(genCardsPerFacility)
		}
		card := CardSpec{Type: ctype}
		switch r := f.Rand.Intn(200); {
		case r == 0:
			card.State = "lost-stolen"
		case r == 1:
			card.State = "invalid"
		}
		cards[i] = card
		u.Cards = cards[i : i+1 : i+1]
		batch.recs = append(batch.recs, userText{first: first, last: last, dom: dom, facility: genFirstFacility + fac, number: perm[k] + 1})
		if len(batch.recs) == userTextBatch {
			texts <- batch
			batch = userTexts{from: i + 1, recs: (<-free)[:0]}
		}

		if f.Rand.Intn(10) == 0 {
			u.PIN = f.DigitN(5)
		}
		if ctype == visitor {
			// Visitors come for a while: valid until some day of 2026
			// after the default start (Monday 2026-01-05).
			d := 1 + f.Rand.Intn(180)
			if ends[d] == "" {
				ends[d] = DefaultStart.AddDate(0, 0, d).Format("2006-01-02")
			}
			u.End = ends[d]
		}

		// Access: a home site, sometimes one or two more; employees
		// sometimes have Full Access there, the others business hours.
		levels = levels[:0]
		if nSites > 0 && f.Rand.Intn(50) != 0 { // 2% have no access at all
			more := 0
			switch r := f.Rand.Intn(100); {
			case r < 5:
				more = 2
			case r < 25:
				more = 1
			}
			sites = append(sites[:0], f.Rand.Intn(nSites))
			for range more {
				if si := f.Rand.Intn(nSites); !slices.Contains(sites, si) {
					sites = append(sites, si)
				}
			}
			for _, si := range sites {
				if ctype == employee && f.Rand.Intn(5) == 0 {
					levels = append(levels, fullLevel[si])
				} else {
					levels = append(levels, busyLevel[si])
				}
			}
			slices.Sort(levels)
			if cap(levelPool)-len(levelPool) < len(levels) {
				levelPool = make([]int, 0, 64<<10)
			}
			at := len(levelPool)
			levelPool = append(levelPool, levels...)
			u.AccessLevels = levelPool[at:len(levelPool):len(levelPool)]
		}
	}
	texts <- batch
	close(texts)
	<-written
	if progress != nil {
		progress(o.Users)
	}
}

// userTextBatch is how many users' texts go to the writer at a time.
const userTextBatch = 4096

// userText is what the writer of a user's texts needs of the draws: names,
// the address's domain, the card's facility and number.
type userText struct {
	first, last, dom string
	facility, number int
}

// userTexts are the texts of consecutive users, the first users[from].
type userTexts struct {
	from int
	recs []userText
}

// writeUserTexts writes the names, addresses and card numbers of the
// batches it receives, in order, returning each batch's slice on free
// (ahead: the first few are new) and flushing at the end.
func writeUserTexts(users []UserSpec, cards []CardSpec, texts <-chan userTexts, free chan<- []userText, n int) {
	for range cap(free) {
		free <- make([]userText, 0, userTextBatch)
	}
	// Addresses taken so far, by a hash of the address (FNV-1a: fixed, so
	// the same seed gives the same site): a map of a million address
	// strings was 100 MB thrown away after. Two addresses sharing a hash
	// would only give the second a number it did not need.
	locals := make(map[uint64]int, n)
	var eb, nb, cb []byte
	var text textBlock // read only after the generation
	defer text.flush()
	for b := range texts {
		for j, t := range b.recs {
			i := b.from + j
			u := &users[i]
			nb = append(append(append(nb[:0], t.first...), ' '), t.last...)
			text.add(&u.Name, nb)

			// first.last@domain, with a number when that address is taken.
			fw, lw := emailWord(t.first), emailWord(t.last)
			eb = append(eb[:0], fw...)
			eb = append(eb, '.')
			eb = append(eb, lw...)
			at := len(eb)
			eb = append(eb, '@')
			eb = append(eb, t.dom...)
			key := uint64(14695981039346656037) // FNV-1a
			for _, c := range eb {
				key = (key ^ uint64(c)) * 1099511628211
			}
			if n := locals[key]; n > 0 {
				locals[key] = n + 1
				text.add(&u.Email, eb[:at], strconv.AppendInt(nb[:0], int64(n+1), 10), eb[at:])
			} else {
				locals[key] = 1
				text.add(&u.Email, eb)
			}

			cb = strconv.AppendInt(append(strconv.AppendInt(cb[:0], int64(t.facility), 10), ':'), int64(t.number), 10)
			text.add(&cards[i].Number, cb)
		}
		select {
		case free <- b.recs:
		default: // the last batch, or one too many
		}
	}
}

// emailWord lower-cases a word and keeps only its letters and digits.
func emailWord(s string) string {
	ok := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}
