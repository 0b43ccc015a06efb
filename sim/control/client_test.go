package control_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
)

func TestNewClientBaseURL(t *testing.T) {
	e := newEnv(t)
	for _, base := range []string{e.ts.URL + "/v1", e.ts.URL + "/v1/", e.ts.URL, e.ts.URL + "/"} {
		c := control.NewClient(base, control.WithHTTPClient(e.ts.Client()))
		assert.Equal(t, e.ts.URL+"/v1", c.BaseURL(), base)
		d, err := c.Door(ctx(t), frontDoor)
		require.NoError(t, err, base)
		assert.Equal(t, "Front Door", d.Name)
	}
}

func TestClientGetters(t *testing.T) {
	e := newEnv(t)
	c := ctx(t)
	snap, err := e.c.Site(c)
	require.NoError(t, err)
	want := e.w.Snapshot()
	assert.True(t, want.Time.Equal(snap.Time))
	snap.Time = want.Time
	assert.Equal(t, want, snap)

	g, err := e.c.Gateway(c, gateway1)
	require.NoError(t, err)
	assert.Equal(t, want.Gateways[0], g)
	st, err := e.c.SiteByID(c, siteOffice)
	require.NoError(t, err)
	assert.Equal(t, want.Sites[0], st)
	ct, err := e.c.Controller(c, officeCtrl)
	require.NoError(t, err)
	assert.Equal(t, want.Controllers[0], ct)
	d, err := e.c.Door(c, frontDoor)
	require.NoError(t, err)
	assert.Equal(t, want.Doors[0], d)
	r, err := e.c.Reader(c, officeEntry)
	require.NoError(t, err)
	assert.Equal(t, want.Readers[2], r)
	in, err := e.c.Input(c, officeMotion)
	require.NoError(t, err)
	assert.Equal(t, want.Inputs[2], in)
	o, err := e.c.Output(c, buzzer)
	require.NoError(t, err)
	assert.Equal(t, want.Outputs[0], o)
}

func TestClientStimuli(t *testing.T) {
	e := newEnv(t)
	c := ctx(t)

	dec, err := e.c.Present(c, frontEntry, "100:1001", "")
	require.NoError(t, err)
	assert.Equal(t, control.Decision{Granted: true, User: "Alice Martin", Seq: 1}, dec)
	dec, err = e.c.Present(c, officeEntry, "100:1002", "00000")
	require.NoError(t, err)
	assert.Equal(t, control.Decision{Reason: "pin-wrong", User: "Bruno Bernard", Seq: 2}, dec)

	seq, err := e.c.OpenDoor(c, frontDoor)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), seq)
	d, _ := e.c.Door(c, frontDoor)
	assert.Equal(t, sim.ContactOpen, d.Contact)
	seq, err = e.c.CloseDoor(c, frontDoor)
	require.NoError(t, err)
	assert.Equal(t, uint64(4), seq)
	seq, err = e.c.PressREX(c, frontDoor)
	require.NoError(t, err)
	assert.Equal(t, uint64(5), seq)
	d, _ = e.c.Door(c, frontDoor)
	assert.Equal(t, sim.LockUnlockedAccess, d.Lock)

	for i, step := range []struct {
		do    func(context.Context, sim.ID) (uint64, error)
		check func(sim.InputState) bool
	}{
		{e.c.ActivateInput, func(in sim.InputState) bool { return in.State == "alarm" }},
		{e.c.DeactivateInput, func(in sim.InputState) bool { return in.State == "normal" }},
		{e.c.TamperInput, func(in sim.InputState) bool { return in.Tamper }},
		{e.c.RestoreInput, func(in sim.InputState) bool { return !in.Tamper }},
	} {
		seq, err := step.do(c, officeMotion)
		require.NoError(t, err)
		assert.Equal(t, uint64(6+i), seq)
		in, err := e.c.Input(c, officeMotion)
		require.NoError(t, err)
		assert.True(t, step.check(in), "step %d", i)
	}

	require.NoError(t, e.c.FailController(c, officeCtrl))
	ct, _ := e.c.Controller(c, officeCtrl)
	assert.False(t, ct.Online)
	dec, err = e.c.Present(c, frontEntry, "100:1001", "")
	require.NoError(t, err)
	assert.Equal(t, control.Decision{Granted: true, User: "Alice Martin", Held: true}, dec)
	seq, err = e.c.OpenDoor(c, officeDoor)
	require.NoError(t, err)
	assert.Zero(t, seq, "held")
	require.NoError(t, e.c.RestoreController(c, officeCtrl))
	ct, _ = e.c.Controller(c, officeCtrl)
	assert.True(t, ct.Online)

	require.NoError(t, e.c.DisconnectGateway(c, gateway1))
	g, _ := e.c.Gateway(c, gateway1)
	assert.False(t, g.Connected)
	require.NoError(t, e.c.ConnectGateway(c, gateway1))
	g, _ = e.c.Gateway(c, gateway1)
	assert.True(t, g.Connected)

	require.NoError(t, e.c.Reset(c))
	d, _ = e.c.Door(c, officeDoor)
	assert.Equal(t, sim.ContactClosed, d.Contact)
}

func TestClientClock(t *testing.T) {
	e := newEnv(t)
	c := ctx(t)
	cs, err := e.c.Clock(c)
	require.NoError(t, err)
	assert.Equal(t, control.ModeVirtual, cs.Mode)
	assert.True(t, cs.Time.Equal(sim.DefaultStart))

	_, err = e.c.Present(c, frontEntry, "100:1001", "")
	require.NoError(t, err)
	_, err = e.c.OpenDoor(c, frontDoor)
	require.NoError(t, err)
	cs, err = e.c.Advance(c, 30*time.Second+time.Millisecond)
	require.NoError(t, err)
	assert.True(t, cs.Time.Equal(sim.DefaultStart.Add(30*time.Second+time.Millisecond)))
	d, _ := e.c.Door(c, frontDoor)
	assert.Equal(t, sim.ContactHeldOpen, d.Contact)

	_, err = e.c.Advance(c, -time.Second)
	var apiErr *control.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.Status)
}

func TestClientAPIError(t *testing.T) {
	e := newEnv(t)
	c := ctx(t)
	_, err := e.c.Door(c, 999)
	var apiErr *control.APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, http.StatusNotFound, apiErr.Status)
	assert.Contains(t, apiErr.Message, "999")
	assert.Contains(t, err.Error(), apiErr.Message)
	assert.Contains(t, err.Error(), "404")

	_, err = e.c.CloseDoor(c, frontDoor)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusConflict, apiErr.Status)
	assert.Contains(t, apiErr.Message, "already closed")

	_, err = e.c.Present(c, frontEntry, "not a card", "")
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.Status)
	assert.Contains(t, apiErr.Message, "not a card")

	require.ErrorAs(t, e.c.ConnectGateway(c, gateway1), &apiErr)
	assert.Equal(t, http.StatusConflict, apiErr.Status)

	_, err = e.c.Events(c, 0, maxLimitPlusOne)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.Status)

	// A server that is not the control API: the body becomes the message.
	other := control.NewClient(e.ts.URL + "/elsewhere")
	_, err = other.Clock(c)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.Status)

	// No server at all: a transport error, not an APIError.
	gone := control.NewClient("http://127.0.0.1:1/v1")
	_, err = gone.Clock(c)
	require.Error(t, err)
	assert.False(t, errors.As(err, &apiErr))
	assert.True(t, strings.HasPrefix(err.Error(), "control: "))
}

// maxLimitPlusOne is a limit the server refuses.
const maxLimitPlusOne = control.MaxEventLimit + 1

func TestClientEvents(t *testing.T) {
	e := newEnv(t)
	c := ctx(t)
	page, err := e.c.Events(c, 0, 0)
	require.NoError(t, err)
	assert.Empty(t, page.Events)
	assert.Zero(t, page.Last)

	_, err = e.c.Present(c, frontEntry, "100:1001", "")
	require.NoError(t, err)
	_, err = e.c.Present(c, frontEntry, "100:7", "")
	require.NoError(t, err)
	_, err = e.c.OpenDoor(c, frontDoor)
	require.NoError(t, err)

	page, err = e.c.Events(c, 0, 0)
	require.NoError(t, err)
	require.Len(t, page.Events, 3)
	assert.Equal(t, uint64(3), page.Last)
	assert.Equal(t, control.Event{
		Seq: 1, Time: page.Events[0].Time, Type: sim.EventAccessGranted, Text: "Access granted",
		Kind: "reader", Source: frontEntry, SourceName: "Front Door entry", Door: frontDoor,
		DoorName: "Front Door", Controller: officeCtrl, Card: "100:1001", User: "Alice Martin", Granted: true,
	}, page.Events[0])
	assert.True(t, page.Events[0].Time.Equal(sim.DefaultStart))
	assert.True(t, page.Events[0].IsAccess())
	assert.Equal(t, "unknown-card", page.Events[1].Reason)
	assert.False(t, page.Events[1].Granted)
	assert.False(t, page.Events[2].IsAccess())

	page, err = e.c.Events(c, 1, 1)
	require.NoError(t, err)
	require.Len(t, page.Events, 1)
	assert.Equal(t, uint64(2), page.Events[0].Seq)
}

func TestClientWaitEvent(t *testing.T) {
	e := newEnv(t)
	c := ctx(t)

	// Events already journaled after `after` are found.
	seq, err := e.c.OpenDoor(c, frontDoor)
	require.NoError(t, err)
	ev, err := e.c.WaitEvent(c, 0, func(ev control.Event) bool { return ev.Type == sim.EventDoorForcedOpen })
	require.NoError(t, err)
	assert.Equal(t, seq, ev.Seq)

	// An event that happens while waiting is found; earlier ones are not.
	after := seq
	type result struct {
		ev  control.Event
		err error
	}
	got := make(chan result, 1)
	go func() {
		ev, err := e.c.WaitEvent(c, after, func(ev control.Event) bool { return ev.Kind == "input" })
		got <- result{ev, err}
	}()
	_, err = e.c.CloseDoor(c, frontDoor)
	require.NoError(t, err)
	in, err := e.c.TamperInput(c, officeMotion)
	require.NoError(t, err)
	r := <-got
	require.NoError(t, r.err)
	assert.Equal(t, in, r.ev.Seq)
	assert.Equal(t, "Input tamper", r.ev.Text)

	// nil matches any event after `after`.
	ev, err = e.c.WaitEvent(c, 1, nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), ev.Seq)

	// Nothing matches: the context's error.
	short, cancel := context.WithTimeout(c, 50*time.Millisecond)
	defer cancel()
	_, err = e.c.WaitEvent(short, 0, func(control.Event) bool { return false })
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestClientFollowStopsOnError(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		_, err := e.w.PressREX(frontDoor)
		require.NoError(t, err)
	}
	stop := errors.New("enough")
	var seen []uint64
	err := e.c.Follow(ctx(t), 0, func(ev control.Event) error {
		seen = append(seen, ev.Seq)
		if len(seen) == 3 {
			return stop
		}
		return nil
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, []uint64{1, 2, 3}, seen)
}
