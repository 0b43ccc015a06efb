package sim_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// The default site has what SPEC §1 promises.
func TestDefaultSite(t *testing.T) {
	sf := sim.DefaultSite()
	require.NoError(t, sf.Validate())
	assert.Equal(t, "UTC", sf.TimeZone)
	assert.True(t, sf.StartTime().Equal(sim.DefaultStart))

	require.Len(t, sf.Gateways, 1, "one gateway")
	require.Len(t, sf.Gateways[0].Sites, 2, "two sites")
	var doors, readers, inputs, outputs int
	doorSite := map[sim.ID]string{}
	keypadDoors := map[sim.ID]bool{}
	for _, s := range sf.Gateways[0].Sites {
		require.NotEmpty(t, s.Controllers)
		for _, c := range s.Controllers {
			assert.Equal(t, "KT-400", c.Model, c.Name)
			for _, d := range c.Doors {
				doors++
				doorSite[d.ID] = s.Name
				assert.Zero(t, d.UnlockSchedule, "no door of the default site unlocks by schedule: %s", d.Name)
				assert.Equal(t, sim.DefaultUnlockTime, d.UnlockTime.D())
				assert.Equal(t, sim.DefaultOpenTime, d.OpenTime.D())
				assert.Equal(t, sim.DefaultPrealarm, d.Prealarm.D())
				assert.True(t, len(d.Readers) == 1 || len(d.Readers) == 2, "one or two readers: %s", d.Name)
				readers += len(d.Readers)
				for _, r := range d.Readers {
					if r.Keypad {
						keypadDoors[d.ID] = true
					}
				}
			}
			inputs += len(c.Inputs)
			outputs += len(c.Outputs)
		}
	}
	assert.Equal(t, 8, doors)
	assert.Equal(t, 16, inputs)
	assert.Equal(t, 8, outputs)
	assert.GreaterOrEqual(t, readers, 8)
	assert.InDelta(t, 50, len(sf.Users), 5, "about 50 card users")

	sched := map[string]sim.ScheduleSpec{}
	for _, s := range sf.Schedules {
		sched[s.Name] = s
	}
	require.Contains(t, sched, "Business hours")
	bh := sched["Business hours"]
	require.Len(t, bh.Intervals, 1)
	assert.Equal(t, sim.IntervalSpec{Days: []string{"mon", "tue", "wed", "thu", "fri"}, Start: "08:00", End: "18:00"}, bh.Intervals[0])

	levels := map[int]sim.AccessLevelSpec{}
	names := map[string][]sim.AccessLevelSpec{}
	for _, l := range sf.AccessLevels {
		levels[l.ID] = l
		names[l.Name] = append(names[l.Name], l)
	}
	for _, n := range []string{"Office only", "Shop only", "Full Access"} {
		assert.Contains(t, names, n)
	}
	w, err := sim.New(sf)
	require.NoError(t, err)
	always := func(id int) bool {
		s, ok := w.Schedule(id)
		require.True(t, ok)
		for d := time.Duration(0); d < 7*24*time.Hour; d += 30 * time.Minute {
			if !s.Active(sim.DefaultStart.Add(d)) {
				return false
			}
		}
		return true
	}
	// "Full Access" holds every door at all times; the others hold their
	// site's doors during business hours.
	full := map[sim.ID]bool{}
	for _, l := range names["Full Access"] {
		for _, d := range l.Doors {
			assert.True(t, always(d.Schedule), "Full Access at all times on door %d", d.Door)
			full[d.Door] = true
		}
	}
	assert.Len(t, full, 8, "Full Access on every door")
	for _, n := range []string{"Office only", "Shop only"} {
		for _, l := range names[n] {
			for _, d := range l.Doors {
				assert.Equal(t, bh.ID, d.Schedule, "%s holds door %d during business hours", n, d.Door)
				assert.Equal(t, strings.TrimSuffix(n, " only"), doorSite[d.Door])
			}
		}
	}

	user := func(card string) sim.UserSpec {
		for _, u := range sf.Users {
			for _, c := range u.Cards {
				if c.Number == card {
					return u
				}
			}
		}
		t.Fatalf("no user holds card %s", card)
		return sim.UserSpec{}
	}
	levelNames := func(u sim.UserSpec) []string {
		var out []string
		for _, id := range u.AccessLevels {
			out = append(out, levels[id].Name)
		}
		return out
	}
	u1 := user("100:1001")
	assert.Equal(t, []string{"Full Access", "Full Access"}, levelNames(u1), "100:1001 has Full Access (one level per site)")
	assert.Empty(t, u1.PIN)
	u2 := user("100:1002")
	assert.Equal(t, []string{"Office only"}, levelNames(u2))
	assert.Equal(t, "12345", u2.PIN)
	assert.Equal(t, "valid", u2.Cards[0].State)

	// at least one Office door that Office only holds has a keypad reader
	officeKeypad := false
	for _, l := range names["Office only"] {
		for _, d := range l.Doors {
			officeKeypad = officeKeypad || keypadDoors[d.Door]
		}
	}
	assert.True(t, officeKeypad, "an Office door has a keypad reader")
}

// At start every door is closed and locked, every reader enabled, every
// input at rest, every output inactive, every controller and gateway online.
func TestDefaultSiteAtRest(t *testing.T) {
	w, err := sim.New(sim.DefaultSite())
	require.NoError(t, err)
	s := w.Snapshot()
	assert.Len(t, s.Gateways, 1)
	assert.Len(t, s.Sites, 2)
	assert.Len(t, s.Controllers, 2)
	assert.Len(t, s.Doors, 8)
	assert.Len(t, s.Inputs, 16)
	assert.Len(t, s.Outputs, 8)
	for _, g := range s.Gateways {
		assert.True(t, g.Connected, g.Name)
	}
	for _, c := range s.Controllers {
		assert.True(t, c.Online && c.Reachable && !c.Fault, c.Name)
		assert.Equal(t, "KT-400", c.Model)
		assert.Equal(t, "KT400", c.KTType)
	}
	for _, d := range s.Doors {
		assert.Equal(t, sim.LockLocked, d.Lock, d.Name)
		assert.Equal(t, sim.ContactClosed, d.Contact, d.Name)
		assert.False(t, d.Trouble || d.Fault || !d.Reachable, d.Name)
	}
	for _, r := range s.Readers {
		assert.True(t, r.Enabled && !r.Fault, r.Name)
	}
	for _, in := range s.Inputs {
		assert.Equal(t, "normal", in.State, in.Name)
		assert.False(t, in.Tamper || in.Trouble || in.Shunted, in.Name)
	}
	for _, o := range s.Outputs {
		assert.False(t, o.Active || o.Fault, o.Name)
	}
	assert.Zero(t, w.Journal().Last(), "nothing journaled at start")
	// the whole default site is quiet: a week passes without an event
	w.Clock().(*sim.ManualClock).Advance(7 * 24 * time.Hour)
	assert.Zero(t, w.Journal().Last())
}

func TestDefaultSiteYAMLIsACopy(t *testing.T) {
	a := sim.DefaultSiteYAML()
	a[0] = 'X'
	assert.NotEqual(t, a[0], sim.DefaultSiteYAML()[0])
}

// a minimal valid site, changed by each case below
const minimalSite = `
version: 1
name: minimal
gateways:
  - id: 1
    name: gw
    sites:
      - id: 2
        name: site
        controllers:
          - id: 10
            name: ctrl
            model: KT-1
            doors:
              - id: 20
                name: door
                readers: [{id: 30, name: r30}]
            inputs: [{id: 50, name: in50}]
            outputs: [{id: 70, name: out70}]
schedules:
  - id: 80
    name: always
    intervals: [{days: [all], start: "00:00", end: "24:00"}]
card_types: [{id: 90, name: Employee}]
access_levels:
  - {id: 100, name: all, site: 2, doors: [{door: 20, schedule: 80}]}
users:
  - {id: 200, name: Ann, cards: [{number: "1:1"}], access_levels: [100]}
`

func TestSiteFileMinimal(t *testing.T) {
	sf, err := sim.ParseSiteFile([]byte(minimalSite))
	require.NoError(t, err)
	d := sf.Gateways[0].Sites[0].Controllers[0].Doors[0]
	assert.Equal(t, sim.DefaultUnlockTime, d.UnlockTime.D(), "defaults filled in")
	assert.Equal(t, sim.DefaultOpenTime, d.OpenTime.D())
	assert.Equal(t, sim.DefaultPrealarm, d.Prealarm.D())
	assert.Equal(t, "valid", sf.Users[0].Cards[0].State)
	assert.Equal(t, "UTC", sf.TimeZone)
	assert.Equal(t, 1000, sf.EntraPass.EventBatch)
}

func TestSiteFileInvalid(t *testing.T) {
	r := func(old, new string) string {
		require.Contains(t, minimalSite, old, "the case must change something")
		return strings.Replace(minimalSite, old, new, 1)
	}
	doorsPath := "gateways[0].sites[0].controllers[0].doors[0]"
	cases := []struct {
		name string
		src  string
		path string // the field path the error must name
	}{
		{"empty", "", "empty"},
		{"not YAML", "{{{", "site file"},
		{"unknown key", r("name: minimal", "name: minimal\ncolour: blue"), "colour"},
		{"wrong version", r("version: 1", "version: 2"), "version"},
		{"no name", r("name: minimal", "name: ' '"), "name"},
		{"unknown time zone", r("name: minimal", "name: minimal\ntimezone: Mars/Olympus"), "timezone"},
		{"bad start", r("name: minimal", "name: minimal\nstart: yesterday"), "start"},
		{"negative retention", r("name: minimal", "name: minimal\njournal_retention: -1"), "journal_retention"},
		{"no gateway", "version: 1\nname: x\ngateways: []\n", "gateways"},
		{"gateway id zero", r("  - id: 1\n    name: gw", "  - id: 0\n    name: gw"), "gateways[0].id"},
		{"duplicate id", r("id: 50, name: in50", "id: 30, name: in50"), "gateways[0].sites[0].controllers[0].inputs[0].id"},
		{"gateway without a name", r("name: gw", "name: ''"), "gateways[0].name"},
		{"unknown model", r("model: KT-1", "model: KT-9000"), "gateways[0].sites[0].controllers[0].model"},
		{"too many doors", r("            inputs:", `              - id: 21
                name: door 2
                readers: [{id: 31, name: r31}]
            inputs:`), "gateways[0].sites[0].controllers[0].doors"},
		{"door without reader", r("readers: [{id: 30, name: r30}]", "readers: []"), doorsPath + ".readers"},
		{"door with three readers", r("readers: [{id: 30, name: r30}]", "readers: [{id: 30, name: r30}, {id: 31, name: r31}, {id: 32, name: r32}]"), doorsPath + ".readers"},
		{"duplicate reader name", r("readers: [{id: 30, name: r30}]", "readers: [{id: 30, name: r30}, {id: 31, name: r30}]"), doorsPath + ".readers[1].name"},
		{"prealarm not shorter than open time", r("name: door\n", "name: door\n                open_time: 10s\n                prealarm: 10s\n"), doorsPath + ".prealarm"},
		{"negative unlock time", r("name: door\n", "name: door\n                unlock_time: -5s\n"), doorsPath + ".unlock_time"},
		{"open time too long", r("name: door\n", "name: door\n                open_time: 19h\n"), doorsPath + ".open_time"},
		{"bad duration", r("name: door\n", "name: door\n                unlock_time: soon\n"), "soon"},
		{"unknown unlock schedule", r("name: door\n", "name: door\n                unlock_schedule: 99\n"), doorsPath + ".unlock_schedule"},
		{"schedule without days", r("days: [all]", "days: []"), "schedules[0].intervals"},
		{"schedule bad day", r("days: [all]", "days: [someday]"), "schedules[0].intervals"},
		{"schedule end before start", r(`start: "00:00", end: "24:00"`, `start: "10:00", end: "09:00"`), "schedules[0].intervals"},
		{"schedule bad time", r(`end: "24:00"`, `end: "25:00"`), "schedules[0].intervals"},
		{"schedule of an unknown site", r("name: always\n", "name: always\n    site: 99\n"), "schedules[0].site"},
		{"access level of an unknown site", r("site: 2, doors", "site: 9, doors"), "access_levels[0].site"},
		{"access level with an unknown door", r("door: 20, schedule: 80", "door: 29, schedule: 80"), "access_levels[0].doors[0].door"},
		{"access level with an unknown schedule", r("door: 20, schedule: 80", "door: 20, schedule: 81"), "access_levels[0].doors[0].schedule"},
		{"access level with an unknown card type", r("site: 2, doors", "site: 2, card_types: [99], doors"), "access_levels[0].card_types[0]"},
		{"bad card number", r(`number: "1:1"`, `number: "1:x"`), "users[0].cards[0].number"},
		{"bad card state", r(`number: "1:1"`, `number: "1:1", state: broken`), "users[0].cards[0].state"},
		{"unknown card type", r(`number: "1:1"`, `number: "1:1", type: 99`), "users[0].cards[0].type"},
		{"duplicate card", r(`cards: [{number: "1:1"}]`, `cards: [{number: "1:1"}, {number: "01:01"}]`), "users[0].cards[1].number"},
		{"six cards", r(`cards: [{number: "1:1"}]`, `cards: [{number: "1:1"}, {number: "1:2"}, {number: "1:3"}, {number: "1:4"}, {number: "1:5"}, {number: "1:6"}]`), "users[0].cards"},
		{"short PIN", r("name: Ann,", "name: Ann, pin: '1234',"), "users[0].pin"},
		{"unknown access level", r("access_levels: [100]", "access_levels: [101]"), "users[0].access_levels[0]"},
		{"two access levels for one site", strings.Replace(r("users:", "  - {id: 101, name: all2, site: 2, doors: [{door: 20, schedule: 80}]}\nusers:"),
			"access_levels: [100]", "access_levels: [100, 101]", 1), "users[0].access_levels[1]"},
		{"bad user end", r("name: Ann,", "name: Ann, end: someday,"), "users[0].end"},
		{"user without a name", r("name: Ann,", "name: '',"), "users[0].name"},
		{"bad edition", minimalSite + "entrapass: {edition: Gold}\n", "entrapass.edition"},
		{"bad licence", minimalSite + "entrapass: {licences: [E-FREE]}\n", "entrapass.licences[0]"},
		{"bad server version", minimalSite + "entrapass: {server_version: eight}\n", "entrapass.server_version"},
		{"operator without password", minimalSite + "entrapass: {operators: [{id: 300, name: op}]}\n", "entrapass.operators[0].password"},
		{"duplicate operator", minimalSite + "entrapass: {operators: [{id: 300, name: op, password: x}, {id: 301, name: OP, password: y}]}\n", "entrapass.operators[1].name"},
		{"event batch too large", minimalSite + "entrapass: {event_batch: 100001}\n", "entrapass.event_batch"},
		{"unknown right", minimalSite + "entrapass: {operators: [{id: 300, name: op, password: x, rights: [CardRight, FlyRight]}]}\n", "entrapass.operators[0].rights[1]: \"FlyRight\" is not a right; the rights are CardRight, "},
		{"right twice", minimalSite + "entrapass: {operators: [{id: 300, name: op, password: x, rights: [CardRight, cardright]}]}\n", "entrapass.operators[0].rights[1]: CardRight is listed twice"},
		{"no right listed", minimalSite + "entrapass: {operators: [{id: 300, name: op, password: x, rights: []}]}\n", "entrapass.operators[0].rights: an empty list"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := sim.ParseSiteFile([]byte(c.src))
			require.Error(t, err)
			assert.ErrorIs(t, err, sim.ErrSiteFile)
			assert.Contains(t, err.Error(), c.path)
		})
	}
}

func TestSiteFileDurations(t *testing.T) {
	src := strings.Replace(minimalSite, "name: door\n", "name: door\n                unlock_time: 7\n                open_time: 1m\n                prealarm: 15s\n", 1)
	sf, err := sim.ParseSiteFile([]byte(src))
	require.NoError(t, err)
	d := sf.Gateways[0].Sites[0].Controllers[0].Doors[0]
	assert.Equal(t, 7*time.Second, d.UnlockTime.D(), "an integer is seconds")
	assert.Equal(t, time.Minute, d.OpenTime.D())
	assert.Equal(t, 15*time.Second, d.Prealarm.D())

	src = strings.Replace(minimalSite, "name: door\n", "name: door\n                open_time: 6s\n", 1)
	sf, err = sim.ParseSiteFile([]byte(src))
	require.NoError(t, err)
	assert.Equal(t, 3*time.Second, sf.Gateways[0].Sites[0].Controllers[0].Doors[0].Prealarm.D(),
		"the default pre-alarm is at most half the open time")
}

func TestSiteFileRoundTripAndJSON(t *testing.T) {
	sf := sim.DefaultSite()
	out, err := sf.Marshal()
	require.NoError(t, err)
	back, err := sim.ParseSiteFile(out)
	require.NoError(t, err)
	assert.Equal(t, sf, back)
	again, err := back.Marshal()
	require.NoError(t, err)
	assert.Equal(t, string(out), string(again), "deterministic")

	js := `{"version":1,"name":"json site","gateways":[{"id":1,"name":"gw","sites":[{"id":2,"name":"s",
	"controllers":[{"id":3,"name":"c","model":"KT-2","doors":[{"id":4,"name":"d","unlock_time":"3s","readers":[{"id":5,"name":"r","keypad":true}]}]}]}]}]}`
	sf, err = sim.ParseSiteFile([]byte(js))
	require.NoError(t, err)
	d := sf.Gateways[0].Sites[0].Controllers[0].Doors[0]
	assert.Equal(t, 3*time.Second, d.UnlockTime.D())
	assert.True(t, d.Readers[0].Keypad)
}

func TestLoadSiteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "site.yaml")
	require.NoError(t, os.WriteFile(p, []byte(minimalSite), 0o600))
	sf, err := sim.LoadSiteFile(p)
	require.NoError(t, err)
	assert.Equal(t, "minimal", sf.Name)

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("version: 3\n"), 0o600))
	_, err = sim.LoadSiteFile(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), bad, "the error names the file")

	_, err = sim.LoadSiteFile(filepath.Join(dir, "missing.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestSiteStartAndZone(t *testing.T) {
	src := strings.Replace(minimalSite, "name: minimal\n", "name: minimal\ntimezone: America/New_York\n", 1)
	sf, err := sim.ParseSiteFile([]byte(src))
	require.NoError(t, err)
	st := sf.StartTime()
	assert.Equal(t, "2026-01-05 09:00:00 EST", st.Format("2006-01-02 15:04:05 MST"), "09:00 in the site's zone")

	src = strings.Replace(src, "name: minimal\n", "name: minimal\nstart: \"2026-03-02 13:30:00\"\n", 1)
	sf, err = sim.ParseSiteFile([]byte(src))
	require.NoError(t, err)
	w, err := sim.New(sf)
	require.NoError(t, err)
	assert.Equal(t, "2026-03-02 13:30:00 EST", w.Now().Format("2006-01-02 15:04:05 MST"))
}

// An operator's rights default to all (nil); listed, they are spelt as
// EntraPassRights spells them, and a file written back reads the same.
func TestSiteFileOperatorRights(t *testing.T) {
	sf, err := sim.ParseSiteFile([]byte(minimalSite + "entrapass: {operators: [{id: 300, name: op, password: x}, {id: 301, name: viewer, password: y, rights: [doorOperationRight, REPORTRIGHT]}]}\n"))
	require.NoError(t, err)
	ops := sf.EntraPass.Operators
	assert.Nil(t, ops[0].Rights, "left out: every right")
	assert.Equal(t, []string{"DoorOperationRight", "ReportRight"}, ops[1].Rights)
	out, err := sf.Marshal()
	require.NoError(t, err)
	back, err := sim.ParseSiteFile(out)
	require.NoError(t, err)
	assert.Equal(t, ops, back.EntraPass.Operators)
}
