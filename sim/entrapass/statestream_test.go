package entrapass

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// The state poll's answer is streamed (status.go). These tests hold it to
// the answer the server built whole before, byte for byte, and check that
// polls at once each get their own.

// streamSite is a generated site of 200 doors, whose full poll is several
// times streamChunk, in varied states; ids are all its components.
func streamSite(t *testing.T, opts ...Option) (*testSite, []sim.ID) {
	t.Helper()
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 200, Users: 0, Seed: 7})
	require.NoError(t, err)
	s := newSiteFrom(t, sf, opts...)
	snap := s.w.Snapshot()
	ids := append(snap.IDs(), snap.Doors[3].ID) // a duplicate, which registers once

	w := s.w
	for i, d := range snap.Doors {
		var err error
		switch i % 8 {
		case 1:
			_, err = w.OpenDoor(d.ID) // locked: forced
		case 2:
			err = w.UnlockDoor(d.ID)
		case 3:
			err = w.TemporarilyUnlockDoor(d.ID, time.Minute)
		case 4:
			err = w.DisableReader(d.Readers[len(d.Readers)-1])
		case 5:
			err = w.OneTimeAccess(d.ID)
		case 6:
			err = w.SetReaderFault(d.Readers[0], true)
		}
		require.NoError(t, err, "door %d", d.ID)
	}
	for i, in := range snap.Inputs {
		var err error
		switch i % 5 {
		case 1:
			_, err = w.SetInput(in.ID, true)
		case 2:
			_, err = w.TamperInput(in.ID)
		case 3:
			err = w.InputNoSupervision(in.ID)
		case 4:
			err = w.SetInputTrouble(in.ID, true)
		}
		require.NoError(t, err, "input %d", in.ID)
	}
	for i, o := range snap.Outputs {
		var err error
		switch i % 5 {
		case 1:
			err = w.ActivateOutput(o.ID)
		case 2:
			err = w.TemporarilyActivateOutput(o.ID, time.Minute)
		case 3:
			err = w.SetOutputFault(o.ID, true)
		case 4:
			err = w.SetOutputTrouble(o.ID, true)
		}
		require.NoError(t, err, "output %d", o.ID)
	}
	require.Greater(t, len(snap.Controllers), 3)
	require.NoError(t, w.CutController(snap.Controllers[1].ID))
	require.NoError(t, w.SetControllerFault(snap.Controllers[2].ID, true))
	if len(snap.Gateways) > 1 {
		require.NoError(t, w.DisconnectGateway(snap.Gateways[len(snap.Gateways)-1].ID))
	}
	return s, ids
}

// register registers ids for the session key, as the driver does.
func register(t *testing.T, s *testSite, key string, ids []sim.ID) {
	t.Helper()
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(int(id)))
	}
	require.Equal(t, wire.CommandResultOK, s.put(with("ComponentsStates?statusID=0", key), "<string>"+b.String()+"</string>"))
}

// pollRaw polls and returns the body, after checking the answer's status
// and headers: the Content-Length announced is the body's.
func pollRaw(t *testing.T, s *testSite, key string, since uint64) string {
	t.Helper()
	resp, err := s.ts.Client().Get(s.base + with("ComponentsStatesByStatusId?statusID="+strconv.FormatUint(since, 10), key))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/xml; charset=utf-8", resp.Header.Get("Content-Type"))
	require.Equal(t, strconv.Itoa(len(body)), resp.Header.Get("Content-Length"))
	require.Equal(t, int64(len(body)), resp.ContentLength)
	require.Empty(t, resp.TransferEncoding)
	return string(body)
}

func TestStatePollStreamedIsTheBufferedAnswer(t *testing.T) {
	for _, decl := range []bool{false, true} {
		t.Run(fmt.Sprintf("declaration=%v", decl), func(t *testing.T) {
			s, ids := streamSite(t, WithXMLDeclaration(decl))
			key := s.login()
			register(t, s, key, ids)
			prefix := ""
			if decl {
				prefix = xmlDeclaration
			}

			full := pollRaw(t, s, key, 0)
			require.Greater(t, len(full), 4*streamChunk, "the answer must span several chunks")
			require.Equal(t, prefix+string(bufferedStateAnswer(s.srv, ids, 0)), full)
			// A statusID ahead of the world is read as 0.
			require.Equal(t, full, pollRaw(t, s, key, s.w.Version()+1000))

			// Changes since a version: a door, a reader (its door's row),
			// an input, a controller cut (all its components).
			v := s.w.Version()
			snap := s.w.Snapshot()
			_, err := s.w.CloseDoor(snap.Doors[1].ID)
			require.NoError(t, err)
			require.NoError(t, s.w.EnableReader(snap.Doors[12].Readers[len(snap.Doors[12].Readers)-1]))
			_, err = s.w.SetInput(snap.Inputs[0].ID, true)
			require.NoError(t, err)
			require.NoError(t, s.w.CutController(snap.Controllers[5].ID))
			changed := pollRaw(t, s, key, v)
			require.Equal(t, prefix+string(bufferedStateAnswer(s.srv, ids, v)), changed)
			require.Greater(t, strings.Count(changed, "<SmartLinkDataRow>"), 3)
			// Nothing since: an empty table.
			require.Equal(t, prefix+string(bufferedStateAnswer(s.srv, ids, s.w.Version())), pollRaw(t, s, key, s.w.Version()))
		})
	}
}

// TestStatePollsAtOnceDoNotShareABuffer polls from four sessions at once,
// each with its own registration, and checks each answer is its own. Run
// with -race: a buffer shared between polls is a race there.
func TestStatePollsAtOnceDoNotShareABuffer(t *testing.T) {
	s, ids := streamSite(t)
	const sessions, polls = 4, 6
	keys := make([]string, sessions)
	want := make([]string, sessions)
	for i := range sessions {
		keys[i] = s.login()
		// Session i registers every (i+1)th component, from the end for
		// odd i: four different answers of different lengths.
		var mine []sim.ID
		for j := range ids {
			k := j
			if i%2 == 1 {
				k = len(ids) - 1 - j
			}
			if j%(i+1) == 0 {
				mine = append(mine, ids[k])
			}
		}
		register(t, s, keys[i], mine)
		want[i] = string(bufferedStateAnswer(s.srv, mine, 0))
	}
	var wg sync.WaitGroup
	got := make([][]string, sessions)
	for i := range sessions {
		got[i] = make([]string, polls)
		for p := range polls {
			wg.Go(func() { got[i][p] = pollRaw(t, s, keys[i], 0) })
		}
	}
	wg.Wait()
	for i := range sessions {
		for p := range polls {
			require.Equal(t, want[i], got[i][p], "session %d, poll %d", i, p)
		}
	}
}

// bufferedStateAnswer is the answer as pollStates built it whole before it
// was streamed (the code of that version, reading the world as it goes):
// the rows of ids, registered as registerStates does, changed since since
// (all for 0), without the declaration.
func bufferedStateAnswer(s *Server, ids []sim.ID, since uint64) []byte {
	seen := map[sim.ID]bool{}
	var reg, watch []sim.ID
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		reg = append(reg, id)
		watch = append(watch, id)
		if s.topo.kinds[id] == sim.KindDoor {
			watch = append(watch, s.topo.doorByID[id].readers...)
		}
	}
	version := s.world.Version()
	if since > version {
		since = 0
	}
	var rw wire.RowWriter
	rw.Begin()
	if since == 0 {
		for _, id := range reg {
			previousStatusRow(s, &rw, id, s.topo.kinds[id], version)
		}
		return rw.End()
	}
	changed := make(map[sim.ID]bool)
	s.world.ChangedSince(since, watch, func(id sim.ID, _ sim.Kind) { changed[id] = true })
	for _, id := range reg {
		hit, kind := changed[id], s.topo.kinds[id]
		if !hit && kind == sim.KindDoor {
			for _, r := range s.topo.doorByID[id].readers {
				hit = hit || changed[r]
			}
		}
		if hit {
			previousStatusRow(s, &rw, id, kind, version)
		}
	}
	return rw.End()
}

// previousStatusRow is statusRow as it was before the answer was streamed.
func previousStatusRow(s *Server, rw *wire.RowWriter, id sim.ID, kind sim.Kind, version uint64) {
	w := s.world
	head := func(failure bool) {
		rw.Row()
		rw.ItemInt("STATUSID", int64(version))
		rw.ItemInt("UNIQUEID", int64(id))
		rw.ItemFlag("CONTROLLEREXIST", true)
		rw.ItemFlag("CONTROLLERFAILURE", failure)
	}
	ctrlFault := func(ctrl sim.ID) bool {
		cs, err := w.Controller(ctrl)
		return err == nil && cs.Fault
	}
	switch kind {
	case sim.KindDoor:
		ds, err := w.Door(id)
		if err != nil {
			return
		}
		var disabled [2]bool
		for i, r := range ds.Readers {
			if rs, err := w.Reader(r); err == nil && i < 2 {
				disabled[i] = !rs.Enabled
			}
		}
		lock, tempo := lockState(ds.Lock)
		head(!ds.Reachable)
		rw.ItemFlag("DOOREXIST", true)
		rw.Item("OPENSTATE", openState(ds.Contact))
		rw.Item("LOCKSTATE", lock)
		rw.ItemFlag("UNLOCKTEMPO", tempo)
		rw.ItemFlag("READERDISABLE", disabled[0])
		rw.ItemFlag("READERDISABLE2", disabled[1])
		rw.ItemFlag("TROUBLE", ds.Trouble || ds.Fault)
	case sim.KindOutput:
		o, err := w.Output(id)
		if err != nil {
			return
		}
		head(!o.Reachable || o.Fault || ctrlFault(o.Controller))
		rw.ItemFlag("RELAYEXIST", true)
		rw.ItemFlag("STATE", o.Active)
		rw.ItemFlag("ACTIVATETEMPO", o.Active && o.ActiveRemaining > 0)
		rw.ItemFlag("TROUBLE", o.Trouble)
	case sim.KindInput:
		in, err := w.Input(id)
		if err != nil {
			return
		}
		head(!in.Reachable)
		rw.ItemFlag("INPUTEXIST", true)
		rw.ItemFlag("STATE", in.State == "alarm")
		rw.ItemFlag("TAMPER", in.Tamper)
		rw.ItemFlag("TROUBLE", in.Trouble || ctrlFault(in.Controller))
		rw.ItemFlag("SHUNTEDBY", in.Shunted)
	case sim.KindReader:
		rs, err := w.Reader(id)
		if err != nil {
			return
		}
		door := s.topo.doorByID[rs.Door]
		head(!rs.Reachable)
		rw.ItemFlag("READERDISABLE", !rs.Enabled)
		rw.ItemFlag("TROUBLE", rs.Fault || ctrlFault(door.controller))
	case sim.KindController:
		cs, err := w.Controller(id)
		if err != nil {
			return
		}
		head(!cs.Reachable)
		rw.ItemFlag("TROUBLE", cs.Fault)
	case sim.KindGateway:
		g, err := w.Gateway(id)
		if err != nil {
			return
		}
		head(!g.Connected)
	case sim.KindSite:
		g, err := w.Gateway(s.topo.siteByID[id].Gateway)
		if err != nil {
			return
		}
		head(!g.Connected)
	default:
		return
	}
	rw.EndRow()
}
