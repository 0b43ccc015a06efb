package sim_test

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pacsim/pacsim/sim"
)

func genMarshal(t *testing.T, o sim.GenerateOptions) []byte {
	t.Helper()
	sf, err := sim.Generate(o)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", o, err)
	}
	b, err := sf.Marshal()
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return b
}

func TestGenerateSameSeedSameBytes(t *testing.T) {
	for _, o := range []sim.GenerateOptions{
		{Doors: 8, Users: 50, Seed: 7},
		{Doors: 37, Users: 300, Seed: -42},
		{Doors: 1, Users: 0, Seed: 1},
		// gofakeit.New(0) seeds itself from crypto/rand; Generate must not.
		{Doors: 8, Users: 50, Seed: 0},
	} {
		a, b := genMarshal(t, o), genMarshal(t, o)
		if !bytes.Equal(a, b) {
			t.Errorf("%+v: two runs differ:\n%s", o, firstDiff(a, b))
		}
	}
}

func TestGenerateOtherSeedOtherBytes(t *testing.T) {
	a := genMarshal(t, sim.GenerateOptions{Doors: 8, Users: 50, Seed: 7})
	b := genMarshal(t, sim.GenerateOptions{Doors: 8, Users: 50, Seed: 8})
	c := genMarshal(t, sim.GenerateOptions{Doors: 8, Users: 50, Seed: 0})
	if bytes.Equal(a, b) || bytes.Equal(a, c) || bytes.Equal(b, c) {
		t.Fatal("different seeds gave the same site")
	}
}

func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return "line " + strconv.Itoa(i+1) + ":\n  " + la[i] + "\n  " + lb[i]
		}
	}
	return "lengths " + strconv.Itoa(len(a)) + " and " + strconv.Itoa(len(b))
}

func TestGenerateCounts(t *testing.T) {
	for _, o := range []sim.GenerateOptions{
		{Doors: 1, Users: 0, Seed: 3},
		{Doors: 8, Users: 50, Seed: 7},
		{Doors: 129, Users: 1000, Seed: 11}, // 33 controllers: a second site
		{Doors: 16*32*4 + 5, Users: 200, Seed: 5},
	} {
		t.Run(strconv.Itoa(o.Doors)+"x"+strconv.Itoa(o.Users), func(t *testing.T) {
			sf, err := sim.Generate(o)
			if err != nil {
				t.Fatal(err)
			}
			genCheckShape(t, sf, o)
		})
	}
}

func genCheckShape(t *testing.T, sf *sim.SiteFile, o sim.GenerateOptions) {
	t.Helper()
	ctrls := (o.Doors + 3) / 4
	sites := (ctrls + 31) / 32
	gws := (sites + 15) / 16
	var nSite, nCtrl, nDoor, nReader, nExit, nKeypad, nIn, nOut int
	siteOf := map[sim.ID]sim.ID{}
	names := map[string]bool{}
	unique := func(kind, name string) {
		if names[kind+"/"+name] {
			t.Errorf("%s name %q used twice", kind, name)
		}
		names[kind+"/"+name] = true
	}
	if len(sf.Gateways) != gws {
		t.Errorf("gateways: got %d, want %d", len(sf.Gateways), gws)
	}
	for _, g := range sf.Gateways {
		unique("gateway", g.Name)
		if len(g.Sites) < 1 || len(g.Sites) > 16 {
			t.Errorf("gateway %d has %d sites", g.ID, len(g.Sites))
		}
		for _, s := range g.Sites {
			nSite++
			unique("site", s.Name)
			if len(s.Controllers) < 1 || len(s.Controllers) > 32 {
				t.Errorf("site %d has %d controllers", s.ID, len(s.Controllers))
			}
			for _, c := range s.Controllers {
				nCtrl++
				unique("controller", c.Name)
				if c.Model != "KT-400" {
					t.Errorf("controller %d: model %s", c.ID, c.Model)
				}
				if len(c.Doors) != 4 && nCtrl != ctrls {
					t.Errorf("controller %d (not the last) has %d doors", c.ID, len(c.Doors))
				}
				if len(c.Inputs) != 4 || len(c.Outputs) != 2 {
					t.Errorf("controller %d: %d inputs, %d outputs", c.ID, len(c.Inputs), len(c.Outputs))
				}
				nIn += len(c.Inputs)
				nOut += len(c.Outputs)
				for _, in := range c.Inputs {
					unique("input", in.Name)
				}
				for _, out := range c.Outputs {
					unique("output", out.Name)
				}
				for _, d := range c.Doors {
					nDoor++
					unique("door", d.Name)
					siteOf[d.ID] = s.ID
					nReader += len(d.Readers)
					wantReaders := 1
					if nDoor%4 == 0 {
						wantReaders = 2
					}
					if len(d.Readers) != wantReaders {
						t.Errorf("door %d (#%d): %d readers, want %d", d.ID, nDoor, len(d.Readers), wantReaders)
					}
					for i, r := range d.Readers {
						unique("reader", r.Name)
						if i == 1 {
							nExit++
							if r.Keypad {
								t.Errorf("exit reader %d has a keypad", r.ID)
							}
						}
						if r.Keypad {
							nKeypad++
						}
					}
				}
			}
		}
	}
	for what, got := range map[string][2]int{
		"sites":       {nSite, sites},
		"controllers": {nCtrl, ctrls},
		"doors":       {nDoor, o.Doors},
		"readers":     {nReader, o.Doors + o.Doors/4},
		"exit":        {nExit, o.Doors / 4},
		"keypads":     {nKeypad, o.Doors / 8},
		"inputs":      {nIn, 4 * ctrls},
		"outputs":     {nOut, 2 * ctrls},
		"users":       {len(sf.Users), o.Users},
		"levels":      {len(sf.AccessLevels), 2 * sites},
	} {
		if got[0] != got[1] {
			t.Errorf("%s: got %d, want %d", what, got[0], got[1])
		}
	}

	var sched []string
	for _, s := range sf.Schedules {
		sched = append(sched, s.Name)
	}
	if strings.Join(sched, ",") != "Always,Business hours" {
		t.Errorf("schedules %v", sched)
	}
	var types []string
	for _, ct := range sf.CardTypes {
		types = append(types, ct.Name)
	}
	if strings.Join(types, ",") != "Employee,Contractor,Visitor" {
		t.Errorf("card types %v", types)
	}
	levelSite := map[int]sim.ID{}
	for _, a := range sf.AccessLevels {
		levelSite[a.ID] = a.Site
		if a.Name != "Full Access" && a.Name != "Business hours" {
			t.Errorf("access level %d: name %q", a.ID, a.Name)
		}
		for _, d := range a.Doors {
			if siteOf[d.Door] != a.Site {
				t.Errorf("access level %d: door %d is not in site %d", a.ID, d.Door, a.Site)
			}
		}
	}

	cards := map[string]bool{}
	pins := 0
	for _, u := range sf.Users {
		if u.Name == "" || !strings.Contains(u.Email, "@") {
			t.Errorf("user %d: name %q email %q", u.ID, u.Name, u.Email)
		}
		if len(u.Cards) != 1 {
			t.Errorf("user %d: %d cards", u.ID, len(u.Cards))
			continue
		}
		n := u.Cards[0].Number
		fac, num, ok := strings.Cut(n, ":")
		f, err1 := strconv.Atoi(fac)
		c, err2 := strconv.Atoi(num)
		if !ok || err1 != nil || err2 != nil || f < 100 || c < 1 || c > 65535 {
			t.Errorf("user %d: card %q", u.ID, n)
		}
		if cards[n] {
			t.Errorf("card %s given twice", n)
		}
		cards[n] = true
		if u.PIN != "" {
			pins++
			if len(u.PIN) != 5 {
				t.Errorf("user %d: PIN %q", u.ID, u.PIN)
			}
		}
		seen := map[sim.ID]bool{}
		for _, l := range u.AccessLevels {
			if seen[levelSite[l]] {
				t.Errorf("user %d: two access levels for site %d", u.ID, levelSite[l])
			}
			seen[levelSite[l]] = true
		}
	}
	if o.Users >= 1000 && (pins < o.Users/20 || pins > o.Users*3/20) {
		t.Errorf("%d of %d users have a PIN; want about 10%%", pins, o.Users)
	}

	ep := sf.EntraPass
	if len(ep.Operators) != 1 || ep.Operators[0].Name != "pacsim" || ep.Operators[0].Password != "pacsim" {
		t.Errorf("operators %+v", ep.Operators)
	}
	if len(ep.Licences) != 1 || ep.Licences[0] != "E-GLOB-CONNECT" {
		t.Errorf("licences %v", ep.Licences)
	}
	if err := sf.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestGenerateRoundTrip(t *testing.T) {
	for _, o := range []sim.GenerateOptions{
		{Doors: 8, Users: 50, Seed: 7},
		{Doors: 130, Users: 400, Seed: 99}, // two sites
	} {
		b := genMarshal(t, o)
		sf, err := sim.ParseSiteFile(b)
		if err != nil {
			t.Fatalf("%+v: ParseSiteFile of the generated site: %v", o, err)
		}
		genCheckShape(t, sf, o)
		w, err := sim.New(sf)
		if err != nil {
			t.Fatalf("%+v: sim.New: %v", o, err)
		}
		if w.File() != sf {
			t.Fatal("World.File is not the file it was built from")
		}
		b2, err := sf.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, b2) {
			t.Errorf("%+v: Marshal of the parsed site differs:\n%s", o, firstDiff(b, b2))
		}
	}
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	for _, o := range []sim.GenerateOptions{
		{Doors: 0, Users: 1},
		{Doors: sim.MaxGenerateDoors + 1},
		{Doors: 1, Users: -1},
		{Doors: 1, Users: sim.MaxGenerateUsers + 1},
	} {
		if _, err := sim.Generate(o); err == nil {
			t.Errorf("Generate(%+v): no error", o)
		}
	}
}

func TestParseGenerateSpec(t *testing.T) {
	def := sim.GenerateOptions{Doors: sim.DefaultGenerateDoors, Users: sim.DefaultGenerateUsers}
	for _, tc := range []struct {
		spec    string
		want    sim.GenerateOptions
		errWith string // the error must contain it; "" for no error
	}{
		{"", def, ""},
		{"  ", def, ""},
		{"doors=1000,users=50000", sim.GenerateOptions{Doors: 1000, Users: 50000}, ""},
		{"users=50000,doors=1000", sim.GenerateOptions{Doors: 1000, Users: 50000}, ""},
		{" doors = 12 , users = 3 ", sim.GenerateOptions{Doors: 12, Users: 3}, ""},
		{"doors=12", sim.GenerateOptions{Doors: 12, Users: 50}, ""},
		{"users=0", sim.GenerateOptions{Doors: 8, Users: 0}, ""},
		{"doors=1", sim.GenerateOptions{Doors: 1, Users: 50}, ""},
		{"doors=100000,users=1000000", sim.GenerateOptions{Doors: 100000, Users: 1000000}, ""},
		{"doors=0", def, "doors:"},
		{"doors=-3", def, "doors:"},
		{"doors=100001", def, "doors:"},
		{"users=-1", def, "users:"},
		{"users=1000001", def, "users:"},
		{"doors=ten", def, "doors:"},
		{"doors=1.5", def, "doors:"},
		{"doors=", def, "doors:"},
		{"users=0x10", def, "users:"},
		{"users=1e3", def, "users:"},
		{"door=10", def, `unknown key "door"`},
		{"doors=10,seed=7", def, `unknown key "seed"`},
		{"=10", def, `unknown key ""`},
		{"doors", def, "doors:"},
		{"doors=1,doors=2", def, "doors:"},
		{"doors=1,,users=2", def, "empty"},
		{"doors=1,", def, "empty"},
	} {
		got, err := sim.ParseGenerateSpec(tc.spec)
		if tc.errWith == "" {
			if err != nil {
				t.Errorf("ParseGenerateSpec(%q): %v", tc.spec, err)
			} else if got != tc.want {
				t.Errorf("ParseGenerateSpec(%q) = %+v, want %+v", tc.spec, got, tc.want)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseGenerateSpec(%q) = %+v, want an error naming %s", tc.spec, got, tc.errWith)
		} else if !strings.Contains(err.Error(), tc.errWith) {
			t.Errorf("ParseGenerateSpec(%q): error %q does not name %s", tc.spec, err, tc.errWith)
		}
	}
	_, err := sim.ParseGenerateSpec("doors=x")
	if errors.Is(err, sim.ErrSiteFile) {
		t.Error("a bad --generate value is not a site file error")
	}
}

// GenerateReporting reports every GenerateProgressStep users and at the
// end, and makes the very site Generate makes.
func TestGenerateReporting(t *testing.T) {
	o := sim.GenerateOptions{Doors: 8, Users: 2*sim.GenerateProgressStep + 5, Seed: 3}
	want := genMarshal(t, o)
	var calls []int
	sf, err := sim.GenerateReporting(o, func(n int) { calls = append(calls, n) })
	if err != nil {
		t.Fatal(err)
	}
	got, err := sf.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		t.Error("GenerateReporting made another site than Generate")
	}
	if w := []int{sim.GenerateProgressStep, 2 * sim.GenerateProgressStep, o.Users}; !slices.Equal(calls, w) {
		t.Errorf("progress calls %v, want %v", calls, w)
	}
}

// An unvalidated site is the same site: validating it, as New does, gives
// Generate's bytes.
func TestGenerateUnvalidatedIsTheSameSite(t *testing.T) {
	o := sim.GenerateOptions{Doors: 37, Users: 300, Seed: 11}
	want := genMarshal(t, o)
	o.Unvalidated = true
	sf, err := sim.Generate(o)
	if err != nil {
		t.Fatal(err)
	}
	if st := sf.Users[0].Cards[0].State; st != "" {
		t.Fatalf("users[0]'s card state is %q: validation, which writes the default, ran", st)
	}
	if err := sf.Validate(); err != nil {
		t.Fatalf("the unvalidated site does not validate: %v", err)
	}
	got, err := sf.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		t.Fatalf("validated afterwards, it differs:\n%s", firstDiff(want, got))
	}
	if _, err := sim.New(sf); err != nil {
		t.Fatal(err)
	}
}
