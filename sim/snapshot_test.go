package sim_test

import (
	"encoding/json"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// asJSON marshals v and decodes it into plain maps, as a client sees it.
func asJSON(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func first(t *testing.T, snap map[string]any, kind string) map[string]any {
	t.Helper()
	list, ok := snap[kind].([]any)
	require.True(t, ok, "%s is a list", kind)
	require.NotEmpty(t, list)
	return list[0].(map[string]any)
}

// The snapshot is grouped by kind, and each component carries id, guid,
// name and the state fields SPEC §5 lists, with values in plain words.
func TestSnapshotJSON(t *testing.T) {
	x := twNew(t)
	snap := asJSON(t, x.w.Snapshot())
	for _, k := range []string{"gateways", "sites", "controllers", "doors", "readers", "inputs", "outputs"} {
		assert.Contains(t, snap, k)
	}
	state := map[string]map[string]any{
		"gateways":    {"connected": true},
		"controllers": {"online": true, "fault": false},
		"doors":       {"lock": "locked", "contact": "closed"},
		"readers":     {"door": float64(doorFront), "enabled": true, "fault": false, "keypad": false},
		"inputs":      {"state": "normal", "tamper": false, "trouble": false, "shunted": false},
		"outputs":     {"active": false, "fault": false, "trouble": false},
	}
	for kind, fields := range state {
		c := first(t, snap, kind)
		for _, f := range []string{"id", "guid", "name"} {
			assert.Contains(t, c, f, "%s carry %s", kind, f)
		}
		for f, v := range fields {
			assert.Equal(t, v, c[f], "%s.%s", kind, f)
		}
	}
	gw := first(t, snap, "gateways")
	assert.Equal(t, float64(gwMain), gw["id"])
	assert.Equal(t, "Main Gateway", gw["name"])
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, gw["guid"])

	// the remaining-time fields are left out when nothing is timed
	door := first(t, snap, "doors")
	assert.NotContains(t, door, "unlock_remaining_s")
	assert.Equal(t, []any{float64(rdFrontIn), float64(rdFrontOut)}, door["readers"])
	assert.Equal(t, []string{"contact", "controller", "controller_fault", "guid", "id", "lock", "name", "open_time_s",
		"prealarm_s", "reachable", "readers", "site", "trouble", "unlock_time_s", "version"}, keys(door))
	// the door's timings, so a scenario writer need not guess them (issue 22)
	assert.Equal(t, float64(5), door["unlock_time_s"])
	assert.Equal(t, float64(30), door["open_time_s"])
	assert.Equal(t, float64(10), door["prealarm_s"])
	assert.Equal(t, []string{"controller", "guid", "id", "name", "reachable", "shunted", "state", "tamper", "trouble", "version"},
		keys(first(t, snap, "inputs")))
	assert.Equal(t, []string{"active", "controller", "fault", "guid", "id", "name", "reachable", "trouble", "version"},
		keys(first(t, snap, "outputs")))
	assert.Equal(t, []string{"door", "enabled", "fault", "guid", "id", "keypad", "name", "reachable", "second", "version"},
		keys(first(t, snap, "readers")))
	assert.Equal(t, []string{"fault", "gateway", "guid", "id", "kttype", "model", "name", "online", "reachable", "site", "version"},
		keys(first(t, snap, "controllers")))
	assert.Equal(t, []string{"connected", "guid", "id", "name", "version"}, keys(gw))
	assert.Equal(t, []string{"gateway", "guid", "id", "name", "version"}, keys(first(t, snap, "sites")))
}

// Every lock and contact word, as the control API shows it.
func TestSnapshotDoorWords(t *testing.T) {
	cases := []struct {
		want    [2]string
		site    string
		actions []act
	}{
		{[2]string{"locked", "closed"}, "", nil},
		{[2]string{"unlocked-operator", "closed"}, "", []act{unlock(doorFront)}},
		{[2]string{"unlocked-temporary", "closed"}, "", []act{tempUnlock(doorFront, time.Minute)}},
		{[2]string{"unlocked-access", "closed"}, "", []act{rex(doorFront)}},
		{[2]string{"unlocked-schedule", "closed"}, scheduleSite, []act{advance(time.Minute)}},
		{[2]string{"one-time-access", "closed"}, "", []act{oneTime(doorFront)}},
		{[2]string{"unlocked-access", "open"}, "", []act{rex(doorFront), openDoor(doorFront)}},
		{[2]string{"unlocked-access", "open-prealarm"}, "", []act{rex(doorFront), openDoor(doorFront), advance(20 * time.Second)}},
		{[2]string{"unlocked-access", "open-too-long"}, "", []act{rex(doorFront), openDoor(doorFront), advance(30 * time.Second)}},
		{[2]string{"locked", "forced"}, "", []act{openDoor(doorFront)}},
	}
	for _, c := range cases {
		t.Run(c.want[0]+"/"+c.want[1], func(t *testing.T) {
			var x *tw
			if c.site != "" {
				x = twYAML(t, c.site)
			} else {
				x = twNew(t)
			}
			for _, a := range c.actions {
				require.NoError(t, a.do(x), a.name)
			}
			d, err := x.w.Door(doorFront)
			require.NoError(t, err)
			m := asJSON(t, d)
			assert.Equal(t, c.want[0], m["lock"])
			assert.Equal(t, c.want[1], m["contact"])
			// the snapshot agrees with the single-door view
			snap := asJSON(t, x.w.Snapshot())
			assert.Equal(t, m, first(t, snap, "doors"))
		})
	}
}

func TestSnapshotStateValues(t *testing.T) {
	x := twNew(t)
	_, err := x.w.SetInput(inMotion, true)
	require.NoError(t, err)
	_, err = x.w.TamperInput(inMotion)
	require.NoError(t, err)
	require.NoError(t, x.w.SetInputTrouble(inMotion, true))
	require.NoError(t, x.w.InputNoSupervisionTemporarily(inMotion, 30*time.Second))
	require.NoError(t, x.w.TemporarilyActivateOutput(outSiren, 20*time.Second))
	require.NoError(t, x.w.SetOutputFault(outSiren, true))
	require.NoError(t, x.w.SetOutputTrouble(outSiren, true))
	require.NoError(t, x.w.DisableReader(rdFrontIn))
	require.NoError(t, x.w.SetReaderFault(rdFrontIn, true))
	require.NoError(t, x.w.TemporarilyUnlockDoor(doorFront, 10*time.Second))
	require.NoError(t, x.w.SetControllerFault(ctrlOffice, true))
	require.NoError(t, x.w.CutController(ctrlOffice))
	require.NoError(t, x.w.DisconnectGateway(gwMain))

	in, _ := x.w.Input(inMotion)
	assert.Equal(t, map[string]any{"id": float64(inMotion), "guid": in.GUID, "name": "Office Motion", "controller": float64(ctrlOffice),
		"state": "alarm", "tamper": true, "trouble": true, "shunted": true, "shunted_remaining_s": float64(30),
		"reachable": false, "version": float64(in.Version)}, asJSON(t, in))
	o, _ := x.w.Output(outSiren)
	assert.Equal(t, map[string]any{"id": float64(outSiren), "guid": o.GUID, "name": "Office Siren", "controller": float64(ctrlOffice),
		"active": true, "active_remaining_s": float64(20), "fault": true, "trouble": true, "reachable": false, "version": float64(o.Version)}, asJSON(t, o))
	r, _ := x.w.Reader(rdFrontIn)
	assert.Equal(t, map[string]any{"id": float64(rdFrontIn), "guid": r.GUID, "name": "Front Door entry", "door": float64(doorFront),
		"enabled": false, "fault": true, "keypad": false, "second": false, "reachable": false, "version": float64(r.Version)}, asJSON(t, r))
	d, _ := x.w.Door(doorFront)
	dm := asJSON(t, d)
	assert.Equal(t, "unlocked-temporary", dm["lock"])
	assert.Equal(t, float64(10), dm["unlock_remaining_s"])
	assert.Equal(t, true, dm["trouble"])
	assert.Equal(t, true, dm["controller_fault"])
	assert.Equal(t, false, dm["reachable"])
	c, _ := x.w.Controller(ctrlOffice)
	cm := asJSON(t, c)
	assert.Equal(t, false, cm["online"])
	assert.Equal(t, true, cm["fault"])
	assert.Equal(t, false, cm["reachable"])
	assert.Equal(t, "KT-400", cm["model"])
	assert.Equal(t, "KT400", cm["kttype"])
	g, _ := x.w.Gateway(gwMain)
	assert.Equal(t, false, asJSON(t, g)["connected"])
	s, err := x.w.Site(siteShop)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"id": float64(siteShop), "guid": s.GUID, "name": "Shop", "gateway": float64(gwMain),
		"version": float64(s.Version)}, asJSON(t, s))

	// the single-component views refuse ids of another kind
	for _, f := range []func() error{
		func() error { _, err := x.w.Gateway(siteShop); return err },
		func() error { _, err := x.w.Site(gwMain); return err },
		func() error { _, err := x.w.Controller(doorFront); return err },
		func() error { _, err := x.w.Door(rdFrontIn); return err },
		func() error { _, err := x.w.Reader(999); return err },
		func() error { _, err := x.w.Input(outSiren); return err },
		func() error { _, err := x.w.Output(inMotion); return err },
	} {
		requireErr(t, sim.ErrUnknownID, f(), "wrong kind")
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	x := twNew(t)
	s := x.w.Snapshot()
	s.Doors[0].Readers[0] = 999
	assert.Equal(t, rdFrontIn, x.door(doorFront).Readers[0])
	assert.True(t, s.Time.Equal(x.w.Now()))
	assert.Equal(t, x.w.Version(), s.Version)
}

func TestEventJSON(t *testing.T) {
	e := sim.Event{Seq: 7, Time: sim.DefaultStart, Type: sim.DeniedEvent(sim.ReasonOutsideSchedule), Source: rdFrontIn,
		Kind: sim.KindReader, Door: doorFront, Controller: ctrlOffice, Card: "100:1002", User: "Bruno Bernard", UserID: 201,
		Reason: sim.ReasonOutsideSchedule}
	assert.Equal(t, map[string]any{"seq": float64(7), "time": "2026-01-05T09:00:00Z", "type": float64(210),
		"source": float64(rdFrontIn), "door": float64(doorFront), "controller": float64(ctrlOffice), "card": "100:1002",
		"user": "Bruno Bernard", "user_id": float64(201), "reason": "outside-schedule"}, asJSON(t, e))
	var back sim.Event
	b, _ := json.Marshal(e)
	require.NoError(t, json.Unmarshal(b, &back))
	e.Kind = 0 // not on the wire
	assert.True(t, back.Time.Equal(e.Time))
	back.Time = e.Time
	assert.Equal(t, e, back)

	g := sim.Event{Seq: 1, Time: sim.DefaultStart, Type: sim.EventGatewayConnected, Source: gwMain, Kind: sim.KindGateway}
	assert.Equal(t, []string{"seq", "source", "time", "type"}, keys(asJSON(t, g)), "empty fields are left out")
}

func TestSnapshotIDsListEveryComponentOnce(t *testing.T) {
	w, err := sim.New(sim.DefaultSite())
	if err != nil {
		t.Fatal(err)
	}
	snap := w.Snapshot()
	// The default site: 1 gateway, 2 sites, 2 controllers, 8 doors, 11
	// readers, 16 inputs, 8 outputs.
	if n := snap.Components(); n != 48 {
		t.Fatalf("Components() = %d, want 48", n)
	}
	ids := snap.IDs()
	seen := map[sim.ID]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("id %d listed twice", id)
		}
		seen[id] = true
		if _, ok := w.Name(id); !ok {
			t.Fatalf("id %d is no component", id)
		}
	}
	if len(ids) != 48 || ids[0] != 1 || !seen[20] || !seen[31] {
		t.Fatalf("IDs() = %v", ids)
	}
}
