package entrapass

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/driver/asset"
)

func row(kv ...string) Row {
	var r Row
	for i := 0; i+1 < len(kv); i += 2 {
		r = append(r, KV{kv[i], kv[i+1]})
	}
	return r
}

// doorRow is a door row as SPEC §2 lists its keys, with edits.
func doorRow(kv ...string) Row {
	base := map[string]string{"CONTROLLEREXIST": "1", "CONTROLLERFAILURE": "0", "DOOREXIST": "1", "OPENSTATE": "CLOSE",
		"LOCKSTATE": "LOCK", "UNLOCKTEMPO": "0", "READERDISABLE": "0", "READERDISABLE2": "0", "TROUBLE": "0"}
	for i := 0; i+1 < len(kv); i += 2 {
		base[kv[i]] = kv[i+1]
	}
	var r Row
	for _, k := range []string{"STATUSID", "UNIQUEID", "CONTROLLEREXIST", "CONTROLLERFAILURE", "DOOREXIST", "OPENSTATE", "LOCKSTATE", "UNLOCKTEMPO", "READERDISABLE", "READERDISABLE2", "TROUBLE"} {
		if v, ok := base[k]; ok {
			r = append(r, KV{k, v})
		}
	}
	return r
}

type S = []asset.Status

// TestStatusTable: SPEC §6's table from the wire, row by row.
func TestStatusTable(t *testing.T) {
	nc := S{asset.NoCommunication}
	for i, tc := range []struct {
		r            Row
		door, reader S
	}{
		{doorRow(), S{asset.Secure}, S{asset.Enabled}},
		{doorRow("CONTROLLERFAILURE", "1"), nc, nc},
		{doorRow("CONTROLLEREXIST", "0"), nc, nc},
		{doorRow("DOOREXIST", "0"), nc, nc},
		{doorRow("OPENSTATE", "FORCED"), S{asset.ForcedOpen, asset.Unsecure}, S{asset.Enabled}},
		{doorRow("OPENSTATE", "OPENTOOLONG", "LOCKSTATE", "UNLOCKONACCESS"), S{asset.HeldOpen, asset.Unsecure}, S{asset.Enabled}},
		{doorRow("OPENSTATE", "OPEN"), S{asset.Unsecure}, S{asset.Enabled}},
		{doorRow("OPENSTATE", "STILLOPEN"), S{asset.Unsecure}, S{asset.Enabled}},
		{doorRow("OPENSTATE", "PREALARMOPENTOOLONG"), S{asset.Unsecure}, S{asset.Enabled}},
		{doorRow("LOCKSTATE", "UNLOCKOPERATOR"), S{asset.Unsecure}, S{asset.Enabled}},
		{doorRow("LOCKSTATE", "UNLOCKSCHEDULE"), S{asset.Unsecure}, S{asset.Enabled}},
		{doorRow("LOCKSTATE", "UNLOCKONACCESS"), S{asset.Unsecure}, S{asset.Enabled}},
		{doorRow("LOCKSTATE", "UNLOCKINPUT"), S{asset.Unsecure}, S{asset.Enabled}},
		{doorRow("LOCKSTATE", "ONETIMEACCESS"), S{asset.Unsecure}, S{asset.Enabled}},
		{doorRow("LOCKSTATE", "LOCKFIRSTMANIN"), S{asset.Secure}, S{asset.Enabled}},
		{doorRow("TROUBLE", "1"), S{asset.Secure, asset.Fault}, S{asset.Enabled, asset.Fault}},
		{doorRow("READERDISABLE", "1"), S{asset.Secure}, S{asset.Disabled}},
		{doorRow("READERDISABLE2", "1"), S{asset.Secure}, S{asset.Enabled}},
		{row("UNIQUEID", "20"), nil, nil},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			assert.Equal(t, tc.door, doorStatuses(tc.r), "door %v", tc.r)
			assert.Equal(t, tc.reader, readerStatuses(tc.r), "reader %v", tc.r)
		})
	}

	relay := func(kv ...string) Row {
		return append(row("UNIQUEID", "70", "CONTROLLEREXIST", "1", "CONTROLLERFAILURE", "0", "RELAYEXIST", "1", "STATE", "0", "ACTIVATETEMPO", "0"), row(kv...)...)
	}
	set := func(r Row, k, v string) Row {
		out := append(Row(nil), r...)
		for i := range out {
			if out[i].Key == k {
				out[i].Value = v
			}
		}
		return out
	}
	assert.Equal(t, S{asset.Present}, outputStatuses(relay()))
	assert.Equal(t, S{asset.Present}, outputStatuses(set(relay(), "STATE", "1")))
	assert.Equal(t, S{asset.ControllerFault, asset.Present}, outputStatuses(set(relay(), "CONTROLLERFAILURE", "1")))
	assert.Equal(t, S{asset.ControllerFault, asset.Present}, outputStatuses(set(relay(), "CONTROLLEREXIST", "0")))
	assert.Equal(t, S{asset.NoCommunication}, outputStatuses(set(relay(), "RELAYEXIST", "0")))

	input := row("UNIQUEID", "52", "CONTROLLEREXIST", "1", "CONTROLLERFAILURE", "0", "INPUTEXIST", "1", "STATE", "0", "TAMPER", "0", "TROUBLE", "0", "SHUNTEDBY", "0")
	assert.Equal(t, S{asset.Inactive}, inputStatuses(input))
	assert.Equal(t, S{asset.Active}, inputStatuses(set(input, "STATE", "1")))
	assert.Equal(t, S{asset.Inactive, asset.Tamper}, inputStatuses(set(input, "TAMPER", "1")))
	assert.Equal(t, S{asset.Inactive, asset.Fault}, inputStatuses(set(input, "TROUBLE", "1")))
	assert.Equal(t, nc, inputStatuses(set(input, "CONTROLLERFAILURE", "1")))
	assert.Equal(t, nc, inputStatuses(set(input, "CONTROLLEREXIST", "0")))
	assert.Equal(t, nc, inputStatuses(set(input, "INPUTEXIST", "0")))

	// Every status set is one an asset accepts.
	for _, tc := range []struct {
		typ asset.Type
		st  S
	}{
		{asset.Door, doorStatuses(doorRow("OPENSTATE", "FORCED", "TROUBLE", "1"))},
		{asset.Reader, readerStatuses(doorRow("READERDISABLE", "1", "TROUBLE", "1"))},
		{asset.Output, outputStatuses(set(relay(), "CONTROLLERFAILURE", "1"))},
		{asset.Input, inputStatuses(set(set(input, "TAMPER", "1"), "TROUBLE", "1"))},
	} {
		a, err := asset.NewAsset(asset.Ref{Type: tc.typ, ID: 1}, "", map[string]string{tc.typ.RequiredProperty(): "1"})
		assert.NoError(t, err)
		assert.NoError(t, a.SetHardware(tc.st...), "%s %v", tc.typ, tc.st)
	}
}

// TestEventLog: occurrences are counted per key, the history delivers what
// the queue did not, and a credit stops the queue's copy of an event the
// history delivered.
func TestEventLog(t *testing.T) {
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	ev := func(sec int, text string) Event {
		tm := at.Add(time.Duration(sec) * time.Second)
		return Event{UDT: tm.Format("2006-01-02 15:04:05"), Time: tm, Text: text, P1: "Front Door"}
	}
	l := newEventLog()
	a, b := ev(1, "Door opened"), ev(2, "Door closed")
	assert.True(t, l.fromQueue(&a))
	assert.True(t, l.fromQueue(&a), "the same key twice in the queue is two events")

	hist := []Event{a, a, a, b, ev(0, "Door locked")}
	got := l.fromHistory(hist, at.Add(time.Second))
	assert.Equal(t, []Event{a, b}, got, "the third occurrence and b are new; the event before the floor is ignored")
	// Both came from the history; their copies from the queue are dropped.
	assert.False(t, l.fromQueue(&b))
	assert.False(t, l.fromQueue(&a))
	assert.True(t, l.fromQueue(&a), "a fourth one is new")
	assert.Empty(t, l.fromHistory(hist, at.Add(time.Second)), "the same history again delivers nothing")

	// Pruning keeps three days of event time.
	late := ev(4*24*3600, "Door opened")
	assert.True(t, l.fromQueue(&late))
	l.prune()
	assert.Equal(t, late.Time.Add(-72*time.Hour), l.horizon())
	assert.Len(t, l.count, 1, "only the late event is remembered")
}

func TestBackoff(t *testing.T) {
	d, err := New(Config{Host: "h", Username: "u", Password: "p", Poll: 100 * time.Millisecond, MaxBackoff: time.Second})
	assert.NoError(t, err)
	var got []time.Duration
	for n := 1; n <= 6; n++ {
		d.failures = n
		got = append(got, d.backoff())
	}
	ms := time.Millisecond
	assert.Equal(t, []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, time.Second, time.Second}, got)
}

func TestHistoryStart(t *testing.T) {
	d, err := New(Config{Host: "h", Username: "u", Password: "p"})
	assert.NoError(t, err)
	d.lastServerTime = time.Date(2026, 1, 5, 23, 30, 0, 0, time.UTC)
	assert.Equal(t, "2026-01-05", d.historyStart().Format("2006-01-02"), "offset unknown: 14 h earlier")
	d.lastServerTime = time.Date(2026, 1, 5, 3, 30, 0, 0, time.UTC)
	assert.Equal(t, "2026-01-04", d.historyStart().Format("2006-01-02"))
	d.offset, d.offsetKnown = -5*time.Hour, true // the server is in UTC-5
	assert.Equal(t, "2026-01-04", d.historyStart().Format("2006-01-02"))
	d.offset = 2 * time.Hour
	assert.Equal(t, "2026-01-05", d.historyStart().Format("2006-01-02"))
}
