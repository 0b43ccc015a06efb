package control_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
)

func TestGetSite(t *testing.T) {
	e := newEnv(t)
	m := e.ok("GET", "/v1/site", "")
	for _, k := range []string{"gateways", "sites", "controllers", "doors", "readers", "inputs", "outputs"} {
		require.Contains(t, m, k)
	}
	var snap sim.Snapshot
	require.NoError(t, json.Unmarshal(e.call("GET", "/v1/site", "").body, &snap))
	assert.Len(t, snap.Gateways, 1)
	assert.Len(t, snap.Sites, 2)
	assert.Len(t, snap.Doors, 8)
	assert.Len(t, snap.Inputs, 16)
	assert.Len(t, snap.Outputs, 8)
	d := snap.Doors[0]
	assert.Equal(t, frontDoor, d.ID)
	assert.Equal(t, "Front Door", d.Name)
	assert.Equal(t, sim.LockLocked, d.Lock)
	assert.Equal(t, sim.ContactClosed, d.Contact)
	assert.True(t, snap.Time.Equal(sim.DefaultStart))
}

func TestGetComponent(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		path, name string
		more       map[string]any
	}{
		{"/v1/gateways/1", "Main Gateway", map[string]any{"connected": true}},
		{"/v1/sites/2", "Office", map[string]any{"gateway": 1.0}},
		{"/v1/controllers/10", "Office Controller", map[string]any{"online": true, "fault": false, "model": "KT-400"}},
		{"/v1/doors/20", "Front Door", map[string]any{"lock": "locked", "contact": "closed"}},
		{"/v1/readers/32", "Office Door entry", map[string]any{"door": 21.0, "enabled": true, "fault": false, "keypad": true}},
		{"/v1/inputs/52", "Office Motion", map[string]any{"state": "normal", "tamper": false, "trouble": false, "shunted": false}},
		{"/v1/outputs/70", "Front Door Buzzer", map[string]any{"active": false, "fault": false, "trouble": false}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			m := e.ok("GET", tc.path, "")
			assert.Equal(t, tc.name, m["name"])
			assert.NotEmpty(t, m["guid"])
			for k, v := range tc.more {
				assert.Equal(t, v, m[k], k)
			}
		})
	}
}

func TestPresentGrantedThenOpenIsNotForced(t *testing.T) {
	e := newEnv(t)
	m := e.ok("POST", "/v1/readers/30/present", `{"card":"100:1001","pin":"12345"}`)
	assert.Equal(t, true, m["granted"])
	assert.Equal(t, "", m["reason"])
	assert.Equal(t, "Alice Martin", m["user"])
	assert.NotContains(t, m, "held")
	seq := uint64(m["seq"].(float64))
	require.NotZero(t, seq)
	ev, ok := e.w.Journal().Get(seq)
	require.True(t, ok)
	assert.Equal(t, sim.EventAccessGranted, ev.Type)
	assert.Equal(t, sim.LockUnlockedAccess, e.door(frontDoor).Lock)

	m = e.ok("POST", "/v1/doors/20/open", "")
	assert.Greater(t, uint64(m["seq"].(float64)), seq)
	d := e.door(frontDoor)
	assert.Equal(t, sim.ContactOpen, d.Contact, "a granted door opens, it is not forced")

	e.ok("POST", "/v1/doors/20/close", "")
	d = e.door(frontDoor)
	assert.Equal(t, sim.ContactClosed, d.Contact)
	assert.Equal(t, sim.LockLocked, d.Lock, "a door unlocked for one passage relocks on close")
}

func TestOpenWithoutGrantIsForced(t *testing.T) {
	e := newEnv(t)
	m := e.ok("POST", "/v1/doors/20/open", "")
	ev, ok := e.w.Journal().Get(uint64(m["seq"].(float64)))
	require.True(t, ok)
	assert.Equal(t, sim.EventDoorForcedOpen, ev.Type)
	assert.Equal(t, sim.ContactForced, e.door(frontDoor).Contact)
}

func TestOpenTooLongAfterAdvance(t *testing.T) {
	e := newEnv(t)
	e.ok("POST", "/v1/readers/30/present", `{"card":"100:1001"}`)
	e.ok("POST", "/v1/doors/20/open", "{}")
	e.ok("POST", "/v1/clock/advance", `{"seconds":20}`)
	assert.Equal(t, sim.ContactPrealarm, e.door(frontDoor).Contact)
	m := e.ok("POST", "/v1/clock/advance", `{"seconds":10}`)
	assert.Equal(t, "2026-01-05T09:00:30Z", m["time"])
	assert.Equal(t, sim.ContactHeldOpen, e.door(frontDoor).Contact)
	assert.Equal(t, "open-too-long", e.ok("GET", "/v1/doors/20", "")["contact"])
}

func TestPresentDenied(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		reader  sim.ID
		body    string
		granted bool
		reason  string
		user    string
	}{
		{frontEntry, `{"card":"100:9999"}`, false, "unknown-card", ""},
		{frontEntry, `{"card":"100:1002"}`, false, "no-access-level", "Bruno Bernard"},
		{officeEntry, `{"card":"100:1002"}`, false, "pin-required", "Bruno Bernard"},
		{officeEntry, `{"card":"100:1002","pin":"11111"}`, false, "pin-wrong", "Bruno Bernard"},
		{officeEntry, `{"card":"100:01002","pin":"12345"}`, true, "", "Bruno Bernard"},
	} {
		m := e.ok("POST", fmt.Sprintf("/v1/readers/%d/present", tc.reader), tc.body)
		assert.Equal(t, tc.granted, m["granted"], tc.body)
		assert.Equal(t, tc.reason, m["reason"], tc.body)
		if tc.user == "" {
			assert.NotContains(t, m, "user")
		} else {
			assert.Equal(t, tc.user, m["user"])
		}
		ev, ok := e.w.Journal().Get(uint64(m["seq"].(float64)))
		require.True(t, ok)
		if !tc.granted {
			r, denied := ev.Type.Denial()
			assert.True(t, denied)
			assert.Equal(t, tc.reason, r.String())
		}
	}
	assert.Equal(t, sim.LockLocked, e.door(frontDoor).Lock, "a denial does not unlock")
	assert.Equal(t, sim.LockUnlockedAccess, e.door(officeDoor).Lock)
}

func TestPresentHeldWhileControllerCut(t *testing.T) {
	e := newEnv(t)
	m := e.ok("POST", "/v1/controllers/10/fail", "")
	assert.Equal(t, false, m["online"])
	assert.Equal(t, false, m["reachable"])
	m = e.ok("POST", "/v1/readers/30/present", `{"card":"100:1001"}`)
	assert.Equal(t, true, m["granted"])
	assert.Equal(t, 0.0, m["seq"])
	assert.Equal(t, true, m["held"])
	assert.Equal(t, 1, e.w.Held())

	last := e.w.Journal().Last()
	m = e.ok("POST", "/v1/controllers/10/restore", "")
	assert.Equal(t, true, m["online"])
	assert.Equal(t, 0, e.w.Held())
	evs, _ := e.w.Journal().Read(last, nil, 0)
	require.Len(t, evs, 2)
	assert.Equal(t, sim.EventControllerCommRestored, evs[0].Type)
	assert.Equal(t, sim.EventAccessGranted, evs[1].Type, "the held event follows the restore")
}

func TestREXThenOpen(t *testing.T) {
	e := newEnv(t)
	m := e.ok("POST", "/v1/doors/20/rex", "")
	ev, _ := e.w.Journal().Get(uint64(m["seq"].(float64)))
	assert.Equal(t, sim.EventRequestToExit, ev.Type)
	e.ok("POST", "/v1/doors/20/open", "")
	assert.Equal(t, sim.ContactOpen, e.door(frontDoor).Contact)
}

func TestInputs(t *testing.T) {
	e := newEnv(t)
	input := func() sim.InputState {
		in, err := e.w.Input(officeMotion)
		require.NoError(t, err)
		return in
	}
	for _, step := range []struct {
		action string
		ev     sim.EventType
		check  func(sim.InputState) bool
	}{
		{"activate", sim.EventInputAlarm, func(in sim.InputState) bool { return in.State == "alarm" }},
		{"deactivate", sim.EventInputRestore, func(in sim.InputState) bool { return in.State == "normal" }},
		{"tamper", sim.EventInputTamper, func(in sim.InputState) bool { return in.Tamper }},
		{"restore", sim.EventInputTamperRestore, func(in sim.InputState) bool { return !in.Tamper }},
	} {
		m := e.ok("POST", "/v1/inputs/52/"+step.action, "")
		ev, ok := e.w.Journal().Get(uint64(m["seq"].(float64)))
		require.True(t, ok, step.action)
		assert.Equal(t, step.ev, ev.Type, step.action)
		assert.True(t, step.check(input()), step.action)
	}
}

func TestGatewayDisconnectConnect(t *testing.T) {
	e := newEnv(t)
	m := e.ok("POST", "/v1/gateways/1/disconnect", "")
	assert.Equal(t, false, m["connected"])
	c, _ := e.w.Controller(shopCtrl)
	assert.False(t, c.Reachable)
	m = e.ok("POST", "/v1/gateways/1/connect", "")
	assert.Equal(t, true, m["connected"])
	c, _ = e.w.Controller(shopCtrl)
	assert.True(t, c.Reachable)
}

func TestReset(t *testing.T) {
	e := newEnv(t)
	e.ok("POST", "/v1/doors/20/open", "")
	e.ok("POST", "/v1/inputs/52/activate", "")
	e.ok("POST", "/v1/controllers/11/fail", "")
	m := e.ok("POST", "/v1/reset", "")
	assert.Equal(t, true, m["ok"])
	assert.Equal(t, map[string]any{}, m["removed"], "no remover: nothing removed")
	d := e.door(frontDoor)
	assert.Equal(t, sim.ContactClosed, d.Contact)
	assert.Equal(t, sim.LockLocked, d.Lock)
	in, _ := e.w.Input(officeMotion)
	assert.Equal(t, "normal", in.State)
	c, _ := e.w.Controller(shopCtrl)
	assert.True(t, c.Online)
}

func TestEmptyJSONBodyWhereNoneIsNeeded(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{"", "{}", "null", " \n"} {
		e.ok("POST", "/v1/doors/20/rex", body)
	}
}

func TestClockVirtual(t *testing.T) {
	e := newEnv(t)
	m := e.ok("GET", "/v1/clock", "")
	assert.Equal(t, "2026-01-05T09:00:00Z", m["time"])
	assert.Equal(t, "virtual", m["mode"])

	for _, tc := range []struct{ body, want string }{
		{`{"seconds":30}`, "2026-01-05T09:00:30Z"},
		{`{"duration":"1m30s"}`, "2026-01-05T09:02:00Z"},
		{`{"seconds":0.25}`, "2026-01-05T09:02:00.25Z"},
		{`{"seconds":0}`, "2026-01-05T09:02:00.25Z"},
		{`{"duration":"0s"}`, "2026-01-05T09:02:00.25Z"},
	} {
		m = e.ok("POST", "/v1/clock/advance", tc.body)
		assert.Equal(t, tc.want, m["time"], tc.body)
		assert.Equal(t, "virtual", m["mode"])
		assert.Equal(t, tc.want, e.w.Now().Format(time.RFC3339Nano))
	}
	m = e.ok("POST", "/v1/clock/advance", fmt.Sprintf(`{"seconds":%d}`, 31*24*3600))
	assert.Equal(t, "2026-02-05T09:02:00.25Z", m["time"], "31 days is the most")
}

func TestClockInSiteZone(t *testing.T) {
	sf := sim.DefaultSite()
	sf.TimeZone = "Europe/Paris"
	w, err := sim.New(sf, sim.WithDecider(testDecider()))
	require.NoError(t, err)
	e := newEnvWorld(t, w)
	assert.Equal(t, "2026-01-05T09:00:00+01:00", e.ok("GET", "/v1/clock", "")["time"])
	e.ok("POST", "/v1/doors/20/open", "")
	page := e.ok("GET", "/v1/events", "")
	evs := page["events"].([]any)
	require.Len(t, evs, 1)
	assert.Equal(t, "2026-01-05T09:00:00+01:00", evs[0].(map[string]any)["time"])
}

func TestClockReal(t *testing.T) {
	e := newEnvWorld(t, newWorld(t, sim.WithClock(sim.RealClock{})))
	m := e.ok("GET", "/v1/clock", "")
	assert.Equal(t, "real", m["mode"])
	before := e.freeze()
	a := e.call("POST", "/v1/clock/advance", `{"seconds":30}`)
	assert.Equal(t, http.StatusConflict, a.status)
	msg := a.errMsg(t)
	assert.Contains(t, msg, "real clock")
	assert.Contains(t, msg, "--clock virtual")
	e.requireUnchanged(before)

	_, err := e.c.Advance(ctx(t), time.Second)
	var apiErr *control.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusConflict, apiErr.Status)
}

func TestEventsPage(t *testing.T) {
	e := newEnv(t)
	e.ok("POST", "/v1/readers/30/present", `{"card":"100:1001"}`) // 1 granted
	e.ok("POST", "/v1/readers/30/present", `{"card":"100:9999"}`) // 2 denied
	e.ok("POST", "/v1/doors/20/open", "")                         // 3 opened
	e.ok("POST", "/v1/inputs/52/activate", "")                    // 4 input alarm
	e.ok("POST", "/v1/controllers/10/fail", "")                   // 5 comm failure
	e.ok("POST", "/v1/gateways/1/disconnect", "")                 // 6 gateway disconnected
	require.Equal(t, uint64(6), e.w.Journal().Last())

	m := e.ok("GET", "/v1/events", "")
	assert.Equal(t, 6.0, m["last"])
	assert.Equal(t, 0.0, m["missed"])
	evs := m["events"].([]any)
	require.Len(t, evs, 6)
	obj := func(i int) map[string]any { return evs[i].(map[string]any) }
	assert.Equal(t, map[string]any{
		"seq": 1.0, "time": "2026-01-05T09:00:00Z", "type": 202.0, "text": "Access granted",
		"kind": "reader", "source": 30.0, "source_name": "Front Door entry", "door": 20.0,
		"door_name": "Front Door", "controller": 10.0, "card": "100:1001", "user": "Alice Martin",
		"granted": true,
	}, obj(0))
	assert.Equal(t, map[string]any{
		"seq": 2.0, "time": "2026-01-05T09:00:00Z", "type": 204.0, "text": "Access denied - unknown card",
		"kind": "reader", "source": 30.0, "source_name": "Front Door entry", "door": 20.0,
		"door_name": "Front Door", "controller": 10.0, "card": "100:9999",
		"granted": false, "reason": "unknown-card",
	}, obj(1))
	assert.Equal(t, map[string]any{
		"seq": 3.0, "time": "2026-01-05T09:00:00Z", "type": 83.0, "text": "Door opened",
		"kind": "door", "source": 20.0, "source_name": "Front Door", "door": 20.0,
		"door_name": "Front Door", "controller": 10.0,
	}, obj(2))
	assert.Equal(t, "input", obj(3)["kind"])
	assert.Equal(t, "Office Motion", obj(3)["source_name"])
	assert.NotContains(t, obj(3), "granted")
	assert.Equal(t, "controller", obj(4)["kind"])
	assert.Equal(t, map[string]any{
		"seq": 6.0, "time": "2026-01-05T09:00:00Z", "type": 920.0, "text": "Gateway disconnected",
		"kind": "gateway", "source": 1.0, "source_name": "Main Gateway",
	}, obj(5))

	m = e.ok("GET", "/v1/events?after=2&limit=3", "")
	evs = m["events"].([]any)
	require.Len(t, evs, 3)
	assert.Equal(t, 3.0, obj(0)["seq"])
	assert.Equal(t, 5.0, obj(2)["seq"])
	assert.Equal(t, 6.0, m["last"])

	m = e.ok("GET", "/v1/events?after=6", "")
	assert.Equal(t, []any{}, m["events"], "an empty page is an empty array, not null")
}

func TestEventsMissedToRetention(t *testing.T) {
	e := newEnvWorld(t, newWorld(t, sim.WithJournal(sim.NewJournal(5))))
	for i := 0; i < 6; i++ {
		e.ok("POST", "/v1/doors/20/rex", "")
		e.ok("POST", "/v1/inputs/52/tamper", "")
		e.ok("POST", "/v1/inputs/52/restore", "")
		_ = i
	}
	require.Equal(t, uint64(18), e.w.Journal().Last())
	m := e.ok("GET", "/v1/events?after=0", "")
	assert.Equal(t, 13.0, m["missed"])
	assert.Equal(t, 18.0, m["last"])
	evs := m["events"].([]any)
	require.Len(t, evs, 5)
	assert.Equal(t, 14.0, evs[0].(map[string]any)["seq"])
}

func TestWithRoutes(t *testing.T) {
	e := newEnv(t, control.WithRoutes(func(r *mux.Router) {
		r.Path("/v1/faults").Methods("GET").Name("faults").HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"faults":[]}`))
		})
	}))
	assert.Equal(t, []any{}, e.ok("GET", "/v1/faults", "")["faults"])
	a := e.call("POST", "/v1/faults", "")
	assert.Equal(t, http.StatusMethodNotAllowed, a.status)
	assert.Equal(t, "GET", a.header.Get("Allow"))
	assert.True(t, strings.Contains(a.errMsg(t), "POST"))
}

// TestResetReportsWhatItRemoved: each remover runs before the reset hooks
// and the answer counts what it removed, by kind.
func TestResetReportsWhatItRemoved(t *testing.T) {
	var order []string
	e := newEnv(t,
		control.WithResetHook(func() { order = append(order, "hook") }),
		control.WithResetRemover("faults", func() int { order = append(order, "faults"); return 3 }))
	m := e.ok("POST", "/v1/reset", "")
	assert.Equal(t, map[string]any{"ok": true, "removed": map[string]any{"faults": float64(3)}}, m)
	assert.Equal(t, []string{"faults", "hook"}, order)
}
