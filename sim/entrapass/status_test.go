package entrapass

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// poller polls ComponentsStatesByStatusId as the GO app does: statusID
// from the last answer's rows.
type poller struct {
	t      *testing.T
	s      *testSite
	key    string
	status string
}

func newPoller(t *testing.T, s *testSite, ids string) *poller {
	t.Helper()
	key := s.login()
	require.Equal(t, wire.CommandResultOK, s.put(with("ComponentsStates?statusID=0", key), "<string>"+ids+"</string>"))
	return &poller{t: t, s: s, key: key, status: "0"}
}

// poll returns the changed rows by UNIQUEID and moves statusID on.
func (p *poller) poll() map[string]wire.Row {
	p.t.Helper()
	out := map[string]wire.Row{}
	for _, r := range rows(p.t, p.s.get(with("ComponentsStatesByStatusId?statusID="+p.status, p.key))) {
		out[val(p.t, r, "UNIQUEID")] = r
		p.status = val(p.t, r, "STATUSID")
	}
	return out
}

func TestStatusRowsGolden(t *testing.T) {
	s := newSite(t)
	key := s.login()
	s.put(with("ComponentsStates?statusID=0", key), "<string>20, 50,70,10,1,2,30,50</string>")
	body := s.get(with("ComponentsStatesByStatusId?statusID=0", key))
	v := fmt.Sprint(s.w.Version())
	want := table(
		row("STATUSID", v, "UNIQUEID", "20", "CONTROLLEREXIST", "1", "CONTROLLERFAILURE", "0", "DOOREXIST", "1",
			"OPENSTATE", "CLOSE", "LOCKSTATE", "LOCK", "UNLOCKTEMPO", "0", "READERDISABLE", "0", "READERDISABLE2", "0", "TROUBLE", "0"),
		row("STATUSID", v, "UNIQUEID", "50", "CONTROLLEREXIST", "1", "CONTROLLERFAILURE", "0", "INPUTEXIST", "1",
			"STATE", "0", "TAMPER", "0", "TROUBLE", "0", "SHUNTEDBY", "0"),
		row("STATUSID", v, "UNIQUEID", "70", "CONTROLLEREXIST", "1", "CONTROLLERFAILURE", "0", "RELAYEXIST", "1",
			"STATE", "0", "ACTIVATETEMPO", "0", "TROUBLE", "0"),
		row("STATUSID", v, "UNIQUEID", "10", "CONTROLLEREXIST", "1", "CONTROLLERFAILURE", "0", "TROUBLE", "0"),
		row("STATUSID", v, "UNIQUEID", "1", "CONTROLLEREXIST", "1", "CONTROLLERFAILURE", "0"),
		row("STATUSID", v, "UNIQUEID", "2", "CONTROLLEREXIST", "1", "CONTROLLERFAILURE", "0"),
		row("STATUSID", v, "UNIQUEID", "30", "CONTROLLEREXIST", "1", "CONTROLLERFAILURE", "0", "READERDISABLE", "0", "TROUBLE", "0"),
	)
	require.Equal(t, want, body)
	// Nothing changed since: an empty table.
	require.Equal(t, table(), s.get(with("ComponentsStatesByStatusId?statusID="+v, key)))
}

func TestStatusPollingReportsOnlyChanges(t *testing.T) {
	s := newSite(t)
	p := newPoller(t, s, "20,21,50,70,10,1,2")
	require.Len(t, p.poll(), 7)
	require.Empty(t, p.poll())

	_, err := s.w.OpenDoor(21) // locked: forced
	require.NoError(t, err)
	got := p.poll()
	require.Len(t, got, 1)
	require.Equal(t, "FORCED", val(t, got["21"], "OPENSTATE"))
	require.Empty(t, p.poll())

	// A reader's state shows on its door's row.
	require.Equal(t, wire.CommandResultOK, s.put(with("DisableReader2?id=20", p.key), ""))
	got = p.poll()
	require.Len(t, got, 1)
	require.Equal(t, "0", val(t, got["20"], "READERDISABLE"))
	require.Equal(t, "1", val(t, got["20"], "READERDISABLE2"))
	require.NoError(t, s.w.SetReaderFault(rdOffice, true))
	got = p.poll()
	require.Equal(t, "1", val(t, got["21"], "TROUBLE"))

	// Inputs.
	_, err = s.w.SetInput(inFrontREX, true)
	require.NoError(t, err)
	got = p.poll()
	require.Len(t, got, 1)
	require.Equal(t, "1", val(t, got["50"], "STATE"))
	_, err = s.w.TamperInput(inFrontREX)
	require.NoError(t, err)
	require.Equal(t, "1", val(t, p.poll()["50"], "TAMPER"))
	require.NoError(t, s.w.SetInputTrouble(inFrontREX, true))
	require.Equal(t, "1", val(t, p.poll()["50"], "TROUBLE"))

	// A cut controller fails every row of its components, not the gateway's.
	require.NoError(t, s.w.CutController(ctrlOffice))
	got = p.poll()
	require.Len(t, got, 5)
	for _, id := range []string{"20", "21", "50", "70", "10"} {
		require.Equal(t, "1", val(t, got[id], "CONTROLLERFAILURE"), id)
	}
	require.NoError(t, s.w.RestoreController(ctrlOffice))
	got = p.poll()
	require.Equal(t, "0", val(t, got["10"], "CONTROLLERFAILURE"))

	// A controller in hardware fault still answers: TROUBLE on its row and
	// every row of its components, never CONTROLLERFAILURE (SPEC §2).
	require.NoError(t, s.w.SetControllerFault(ctrlOffice, true))
	got = p.poll()
	for _, id := range []string{"20", "21", "50", "10"} {
		require.Equal(t, "0", val(t, got[id], "CONTROLLERFAILURE"), id)
		require.Equal(t, "1", val(t, got[id], "TROUBLE"), id)
	}
	// A relay shows its controller's fault as a controller failure
	// (Controller Fault), keeping TROUBLE for its own (Fault).
	require.Equal(t, "1", val(t, got["70"], "CONTROLLERFAILURE"))
	require.Equal(t, "0", val(t, got["70"], "TROUBLE"))
	require.NoError(t, s.w.SetControllerFault(ctrlOffice, false))
	p.poll()

	// A disconnected gateway fails everything behind it.
	require.NoError(t, s.w.DisconnectGateway(gwMain))
	got = p.poll()
	require.Len(t, got, 7)
	for id, r := range got {
		require.Equal(t, "1", val(t, r, "CONTROLLERFAILURE"), id)
	}
	require.NoError(t, s.w.ConnectGateway(gwMain))
	for id, r := range p.poll() {
		require.Equal(t, "0", val(t, r, "CONTROLLERFAILURE"), id)
	}

	// An output in output controller fault.
	require.NoError(t, s.w.SetOutputFault(outBuzzer, true))
	got = p.poll()
	require.Len(t, got, 1)
	require.Equal(t, "1", val(t, got["70"], "CONTROLLERFAILURE"))
	require.Equal(t, "0", val(t, got["70"], "TROUBLE"))
	require.NoError(t, s.w.SetOutputFault(outBuzzer, false))
	p.poll()

	// An output in trouble of its own: TROUBLE on its relay row, its
	// controller still fine.
	require.NoError(t, s.w.SetOutputTrouble(outBuzzer, true))
	got = p.poll()
	require.Len(t, got, 1)
	require.Equal(t, "1", val(t, got["70"], "TROUBLE"))
	require.Equal(t, "0", val(t, got["70"], "CONTROLLERFAILURE"))
	require.NoError(t, s.w.SetOutputTrouble(outBuzzer, false))
	got = p.poll()
	require.Len(t, got, 1)
	require.Equal(t, "0", val(t, got["70"], "TROUBLE"))
}

func TestStatusOfDoorStates(t *testing.T) {
	s := newSite(t)
	p := newPoller(t, s, "20")
	p.poll()
	state := func() (string, string, string) {
		t.Helper()
		r := p.poll()["20"]
		require.NotNil(t, r)
		return val(t, r, "OPENSTATE"), val(t, r, "LOCKSTATE"), val(t, r, "UNLOCKTEMPO")
	}
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
	o, l, _ := state()
	require.Equal(t, "CLOSE", o)
	require.Equal(t, "UNLOCKONACCESS", l)
	_, err := s.w.OpenDoor(doorFront)
	require.NoError(t, err)
	o, _, _ = state()
	require.Equal(t, "OPEN", o)
	s.advance(20 * time.Second)
	o, _, _ = state()
	require.Equal(t, "PREALARMOPENTOOLONG", o)
	s.advance(10 * time.Second)
	o, _, _ = state()
	require.Equal(t, "OPENTOOLONG", o)
	_, err = s.w.CloseDoor(doorFront)
	require.NoError(t, err)
	o, l, _ = state()
	require.Equal(t, "CLOSE", o)
	require.Equal(t, "LOCK", l)
	s.put(with("OneTimeAccess?id=20", p.key), "")
	_, l, _ = state()
	require.Equal(t, "ONETIMEACCESS", l)
}

func TestStatusRegistrationFaults(t *testing.T) {
	s := newSite(t)
	key := s.login()
	s.put(with("ComponentsStates?statusID=0", key), "<string>20</string>")
	for _, tc := range []struct{ path, body, code, word string }{
		{"ComponentsStates?statusID=0", "<string>20,999,21</string>", wire.CodeComponentNotExist, "999"},
		{"ComponentsStates?statusID=0", "<string>20,abc</string>", wire.CodeInvalidParameter, "string"},
		{"ComponentsStates?statusID=0", "<ids>20</ids>", wire.CodeInvalidParameter, "string"},
		{"ComponentsStates?statusID=0", "<string>20", wire.CodeInvalidParameter, "string"},
		{"ComponentsStates?statusID=x", "<string>21</string>", wire.CodeInvalidParameter, "statusID"},
	} {
		requireFault(t, s.put(with(tc.path, key), tc.body), tc.code, tc.word)
	}
	// Nothing registered: still only door 20.
	r := rows(t, s.get(with("ComponentsStatesByStatusId?statusID=0", key)))
	require.Len(t, r, 1)
	require.Equal(t, "20", val(t, r[0], "UNIQUEID"))
	requireFault(t, s.get(with("ComponentsStatesByStatusId", key)), wire.CodeInvalidParameter, "statusID")
	requireFault(t, s.get(with("ComponentsStatesByStatusId?statusID=-1", key)), wire.CodeInvalidParameter, "statusID")
	// A status id from the future reads as 0.
	require.Len(t, rows(t, s.get(with("ComponentsStatesByStatusId?statusID=999999999", key))), 1)
	// A new list replaces the old; an empty one registers nothing.
	s.put(with("ComponentsStates?statusID=0", key), "<string></string>")
	require.Empty(t, rows(t, s.get(with("ComponentsStatesByStatusId?statusID=0", key))))
	// A session that registered nothing gets an empty table.
	other := s.login()
	require.Equal(t, table(), s.get(with("ComponentsStatesByStatusId?statusID=0", other)))
	// WCF's serialised string is accepted.
	require.Equal(t, wire.CommandResultOK, s.put(with("ComponentsStates?statusID=0", key),
		`<?xml version="1.0"?><string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">21,22</string>`))
	require.Len(t, rows(t, s.get(with("ComponentsStatesByStatusId?statusID=0", key))), 2)
	code, body := s.do(http.MethodPut, with("ComponentsStates?statusID=0", key), "<string>"+string(make([]byte, wire.MaxBodySize))+"</string>")
	require.Equal(t, http.StatusOK, code)
	requireFault(t, body, wire.CodeInvalidParameter, "string", "larger than")
}
