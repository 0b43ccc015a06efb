package sim_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pacsim/pacsim/sim"
	"go.yaml.in/yaml/v3"
)

// A small site in YAML: the smallest useful shape of every section.
const fzSmallYAML = `version: 1
name: fuzz site
gateways:
  - id: 1
    name: gw
    sites:
      - id: 2
        name: site
        controllers:
          - id: 3
            name: ctrl
            model: KT-1
            doors:
              - id: 4
                name: door
                unlock_time: 3s
                open_time: 20s
                prealarm: 5s
                unlock_schedule: 10
                readers:
                  - {id: 5, name: in, keypad: true}
                  - {id: 6, name: out}
            inputs: [{id: 7, name: rex}]
            outputs: [{id: 8, name: buzzer}]
schedules:
  - id: 10
    name: nights
    site: 2
    intervals:
      - {days: [sat, sun], start: "00:00", end: "24:00"}
      - {days: [all], start: "22:00", end: "23:30"}
card_types: [{id: 11, name: Employee}]
access_levels:
  - {id: 12, name: all, site: 2, doors: [{door: 4, schedule: 10}], card_types: [11]}
users:
  - id: 13
    name: Ann
    cards: [{number: "100:01", type: 11}, {number: "12345678901234567890", state: lost-stolen}]
    pin: "00000"
    access_levels: [12]
    start: "2026-01-01"
    end: "2026-12-31 18:00:00"
entrapass:
  edition: Corporate
  licences: [E-COR-CONNECT]
  corporate_integration_id: 4242
  default_card_type: 11
  operators:
    - {id: 14, name: op, password: pw, password_expires: "2027-01-01", max_sessions: 2}
`

// The same kind of site in JSON (JSON is YAML), durations as a string and
// as whole seconds.
const fzSmallJSON = `{
  "version": 1,
  "name": "json site",
  "timezone": "Europe/Paris",
  "start": "2026-03-02 07:30:00",
  "journal_retention": 500,
  "gateways": [{"id": 1, "name": "gw", "sites": [{"id": 2, "name": "site", "controllers": [
    {"id": 3, "name": "ctrl", "model": "KT-400",
     "doors": [{"id": 4, "name": "door", "open_time": 20, "unlock_time": "7s", "readers": [{"id": 5, "name": "r"}]}],
     "inputs": [{"id": 6, "name": "i"}], "outputs": [{"id": 7, "name": "o"}]}]}]}],
  "schedules": [{"id": 8, "name": "day", "intervals": [{"days": ["mon", "fri"], "start": "08:00", "end": "18:00"}]}],
  "access_levels": [{"id": 9, "name": "a", "site": 2, "doors": [{"door": 4, "schedule": 8}]}],
  "users": [{"id": 10, "name": "Bob", "email": "bob@example.com", "cards": [{"number": "7:7"}], "access_levels": [9]}],
  "entrapass": {"server_version": "7.40.1.2", "operators": [{"id": 11, "name": "pacsim", "password": "pacsim"}]}
}`

// fzTiny is the least a site file needs.
const fzTiny = `version: 1
name: tiny
gateways: [{id: 1, name: g, sites: []}]
`

func FuzzParseSiteFile(f *testing.F) {
	f.Add(sim.DefaultSiteYAML())
	f.Add([]byte(fzSmallYAML))
	f.Add([]byte(fzSmallJSON))
	f.Add([]byte(fzTiny))
	f.Add([]byte(`{"version": 1, "name": "j", "gateways": [{"id": 1, "name": "g", "sites": [{"id": 2, "name": "s", "controllers": []}]}]}`))
	f.Add([]byte("version: 1\nname: x\ngateways: [{id: 1, name: g, sites: [{id: 2, name: s, controllers: [{id: 3, name: c, model: KT-2, doors: [{id: 4, name: d, open_time: 1ns, readers: [{id: 5, name: r}]}]}]}]}]\n"))
	f.Add([]byte("version: 2\n"))
	f.Add([]byte(`{"version": 1, "name": "j", "gateways": [],}`))
	f.Add([]byte("{\"version\": 1, \"name\": \"\\/\\ud83d\\ude00\", \"gateways\": [{\"id\": 1, \"name\": \"g\", \"sites\": []}]}"))
	f.Add([]byte("a: &a [1, *a]\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := sim.ParseSiteFile(data)
		if err != nil {
			if !errors.Is(err, sim.ErrSiteFile) {
				t.Fatalf("error does not wrap ErrSiteFile: %v", err)
			}
			return
		}
		if _, err := sim.New(sf); err != nil {
			t.Fatalf("parsed without error but sim.New fails: %v", err)
		}
		out, err := sf.Marshal()
		if err != nil {
			t.Fatalf("parsed without error but Marshal fails: %v", err)
		}
		sf2, err := sim.ParseSiteFile(out)
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, out)
		}
		out2, err := sf2.Marshal()
		if err != nil {
			t.Fatalf("second Marshal: %v", err)
		}
		if !bytes.Equal(out, out2) {
			t.Fatalf("Marshal → ParseSiteFile → Marshal is not a fixed point:\n%s\n----\n%s", out, out2)
		}
		if _, err := sim.New(sf2); err != nil {
			t.Fatalf("sim.New of the round-tripped file: %v", err)
		}
	})
}

func TestSiteFileJSON(t *testing.T) {
	sf, err := sim.ParseSiteFile([]byte(fzSmallJSON))
	if err != nil {
		t.Fatal(err)
	}
	d := sf.Gateways[0].Sites[0].Controllers[0].Doors[0]
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"name", sf.Name, "json site"},
		{"timezone", sf.TimeZone, "Europe/Paris"},
		{"journal_retention", sf.JournalRetention, 500},
		{"open_time (whole seconds)", d.OpenTime.D(), 20 * time.Second},
		{"unlock_time (string)", d.UnlockTime.D(), 7 * time.Second},
		{"prealarm (default)", d.Prealarm.D(), 10 * time.Second},
		{"card state (default)", sf.Users[0].Cards[0].State, "valid"},
		{"server_version", sf.EntraPass.ServerVersion, "7.40.1.2"},
		{"edition (default)", sf.EntraPass.Edition, "Global"},
		{"max_sessions (default)", sf.EntraPass.Operators[0].MaxSessions, 5},
		{"start", sf.StartTime().Format(time.RFC3339), "2026-03-02T07:30:00+01:00"},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
	if _, err := sim.New(sf); err != nil {
		t.Fatal(err)
	}

	// JSON and YAML of the same site give the same site.
	sy, err := sim.ParseSiteFile(sim.DefaultSiteYAML())
	if err != nil {
		t.Fatal(err)
	}
	y, _ := sy.Marshal()
	sj, err := sim.ParseSiteFile(fzToJSON(t, sy))
	if err != nil {
		t.Fatalf("the default site as JSON: %v", err)
	}
	j, _ := sj.Marshal()
	if !bytes.Equal(y, j) {
		t.Errorf("the default site read from JSON differs from YAML:\n%s", firstDiff(y, j))
	}

	for _, tc := range []struct{ name, src, errWith string }{
		{"unknown key", `{"version": 1, "name": "x", "gateways": [{"id": 1, "name": "g", "sites": [], "colour": "red"}]}`, "colour"},
		{"string for an int", `{"version": 1, "name": "x", "gateways": [{"id": "one", "name": "g", "sites": []}]}`, "one"},
		{"bad duration", `{"version": 1, "name": "x", "gateways": [{"id": 1, "name": "g", "sites": [{"id": 2, "name": "s", "controllers": [{"id": 3, "name": "c", "model": "KT-1", "doors": [{"id": 4, "name": "d", "open_time": "soon", "readers": [{"id": 5, "name": "r"}]}]}]}]}]}`, "soon"},
		{"truncated", `{"version": 1, "name": "x"`, "site file"},
		{"no gateway", `{"version": 1, "name": "x", "gateways": []}`, "gateways"},
	} {
		_, err := sim.ParseSiteFile([]byte(tc.src))
		if err == nil || !errors.Is(err, sim.ErrSiteFile) || !strings.Contains(err.Error(), tc.errWith) {
			t.Errorf("%s: error %v, want a site file error naming %q", tc.name, err, tc.errWith)
		}
	}
}

// fzToJSON writes sf as JSON with the site file's key names.
func fzToJSON(t *testing.T, sf *sim.SiteFile) []byte {
	t.Helper()
	y, err := sf.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(y, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !json.Valid(j) || j[0] != '{' {
		t.Fatalf("not JSON: %.40s", j)
	}
	return j
}

func TestSiteFileUnknownKeys(t *testing.T) {
	base := sim.DefaultSiteYAML()
	for _, tc := range []struct{ key, after string }{
		{"colour", "name: pacsim default site\n"},                         // top level
		{"unlock_tiem", "                name: Front Door\n"},             // a door
		{"keypd", "                  - {id: 30, name: Front Door entry"},  // a reader (flow)
		{"modell", "            name: Office Controller\n"},               // a controller
		{"intervalls", "    name: Business hours\n"},                      // a schedule
		{"pinn", "    name: Bruno Bernard\n"},                             // a user
		{"licence", "  edition: Global\n"},                                // entrapass
		{"max_session", "    - {id: 300, name: pacsim, password: pacsim"}, // an operator (flow)
	} {
		src := string(base)
		i := strings.Index(src, tc.after)
		if i < 0 {
			t.Fatalf("%s: %q is not in the default site", tc.key, tc.after)
		}
		j := i + len(tc.after)
		var ins string
		if strings.HasSuffix(tc.after, "\n") {
			indent := tc.after[:len(tc.after)-len(strings.TrimLeft(tc.after, " "))]
			if strings.HasPrefix(strings.TrimLeft(tc.after, " "), "- ") {
				indent += "  "
			}
			ins = indent + tc.key + ": 1\n"
		} else {
			ins = ", " + tc.key + ": 1"
		}
		src = src[:j] + ins + src[j:]
		_, err := sim.ParseSiteFile([]byte(src))
		if err == nil {
			t.Errorf("%s: accepted", tc.key)
			continue
		}
		if !errors.Is(err, sim.ErrSiteFile) || !strings.Contains(err.Error(), tc.key+": unknown field (line ") {
			t.Errorf("%s: error %q does not name the key", tc.key, err)
		}
	}
}

// The fuzz seeds meant to be valid are valid, so the fuzzer starts from
// files that get past the parser.
func TestSiteFileFuzzSeedsParse(t *testing.T) {
	for name, src := range map[string]string{"yaml": fzSmallYAML, "json": fzSmallJSON, "tiny": fzTiny} {
		sf, err := sim.ParseSiteFile([]byte(src))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := sim.New(sf); err != nil {
			t.Errorf("%s: sim.New: %v", name, err)
		}
	}
}
