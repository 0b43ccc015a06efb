package steps

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/pacsim/pacsim/sim"
	epsim "github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/fault"
)

// Faults (@fault): injected through the simulator's fault plan in its flag
// form (`pacsim serve --fault SPEC`), e.g. "entrapass:status=503,first=2".

func (w *World) faultInjected(spec string) error {
	if err := w.needSite(); err != nil {
		return err
	}
	f, err := fault.ParseFlag(spec)
	if err != nil {
		return err
	}
	st, err := w.plan.Add(f)
	if err != nil {
		return fmt.Errorf("adding the fault %q: %w", spec, err)
	}
	w.faultIDs = append(w.faultIDs, st.ID)
	if f.Target == fault.TargetSite {
		_ = w.poll()
	}
	return nil
}

func (w *World) faultRemoved() error {
	if len(w.faultIDs) == 0 {
		return errors.New("no fault was injected")
	}
	id := w.faultIDs[len(w.faultIDs)-1]
	w.faultIDs = w.faultIDs[:len(w.faultIDs)-1]
	if _, err := w.plan.Remove(id); err != nil {
		return err
	}
	_ = w.poll()
	return nil
}

// serverDown closes the SmartService listener: connections are refused.
// The service keeps its sessions unless lost is set (a restart).
func (w *World) serverDown() error {
	if err := w.needSite(); err != nil {
		return err
	}
	w.ts.CloseClientConnections()
	w.ts.Close()
	_ = w.poll()
	return nil
}

// serverBack serves again on the same address.
func (w *World) serverBack() error {
	var l net.Listener
	var err error
	for i := 0; i < 200; i++ {
		if l, err = net.Listen("tcp", w.addr); err == nil {
			break
		}
		time.Sleep(10 * time.Millisecond) // the OS is releasing the port
	}
	if err != nil {
		return fmt.Errorf("listening again on %s: %w", w.addr, err)
	}
	ts := httptest.NewUnstartedServer(w.handler())
	ts.Listener.Close()
	ts.Listener = l
	ts.Start()
	w.ts = ts
	w.defer_(ts.Close)
	_ = w.poll()
	return nil
}

// probe sends n plain requests (GET CardTypes with no session) to url and
// returns their HTTP statuses (0: no answer).
func probe(url string, n int) []int {
	c := &http.Client{Timeout: 5 * time.Second}
	out := make([]int, n)
	for i := range out {
		resp, err := c.Get(url + "/SmartService/CardTypes")
		if err != nil {
			continue
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		out[i] = resp.StatusCode
	}
	return out
}

func (w *World) requestsSent(n int) error {
	if err := w.needSite(); err != nil {
		return err
	}
	w.probe = probe(w.ts.URL, n)
	return nil
}

func (w *World) requestsAnswered(n, status int) error {
	got := 0
	for _, s := range w.probe {
		if s == status {
			got++
		}
	}
	if got != n {
		return fmt.Errorf("%d of %d requests were answered with HTTP %d, expected %d (statuses %v)", got, len(w.probe), status, n, w.probe)
	}
	return nil
}

func (w *World) requestsAnsweredBetween(lo, hi, status int) error {
	got := 0
	for _, s := range w.probe {
		if s == status {
			got++
		}
	}
	if got < lo || got > hi {
		return fmt.Errorf("%d of %d requests were answered with HTTP %d, expected between %d and %d", got, len(w.probe), status, lo, hi)
	}
	return nil
}

// sameOnFreshSite replays the same requests on a second, fresh site given
// the same faults, and expects the same answers.
func (w *World) sameOnFreshSite() error {
	if len(w.probe) == 0 {
		return errors.New(`no requests were sent: add "N requests are sent to the server"`)
	}
	clk := sim.NewManualClock(w.sf.StartTime())
	world, err := sim.New(sim.DefaultSite(), sim.WithClock(clk))
	if err != nil {
		return err
	}
	srv, err := epsim.New(world)
	if err != nil {
		return err
	}
	defer srv.Close()
	plan := fault.New(world, fault.WithClock(clk))
	for _, s := range w.plan.List() {
		f := fault.Fault{Target: s.Target, Kind: s.Kind, Params: s.Params, Match: s.Match, When: s.When}
		if _, err := plan.Add(f); err != nil {
			return err
		}
	}
	ts := httptest.NewServer(plan.Middleware(string(fault.TargetEntraPass), srv.Handler()))
	defer ts.Close()
	got := probe(ts.URL, len(w.probe))
	if !slices.Equal(got, w.probe) {
		return fmt.Errorf("the fresh site answered %v, the first %v", got, w.probe)
	}
	return nil
}

// genetecStreamCut cuts the visitor connector's Genetec event stream: the
// TCP connection carrying its GET /WebSdk/events is closed mid-stream, as
// when the network drops it. (The plan's stream-cut fault acts on the
// streams opened after it is injected, so it cannot cut the one already
// open: scenarios that want it inject it before the connector opens its
// stream.) The step then waits until the connector has opened a new stream
// and subscribed again.
func (w *World) genetecStreamCut() error {
	v, err := w.followingStream()
	if err != nil {
		return err
	}
	old := v.follow
	if err := v.tr.cut(); err != nil {
		return err
	}
	return v.awaitFollowingAgain(old)
}

// genetecStreamCutWhile cuts the event stream, and while the connector is
// kept from opening it again (HTTP 503 on /WebSdk/events), a card is
// presented: the access happens in the gap, which only the connector's
// catching up after it reconnects can give it.
func (w *World) genetecStreamCutWhile(card, reader string) error {
	v, err := w.followingStream()
	if err != nil {
		return err
	}
	hold, err := w.plan.Add(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus,
		Params: fault.Params{Status: http.StatusServiceUnavailable}, Match: fault.Match{Path: "/WebSdk/events"}})
	if err != nil {
		return fmt.Errorf("holding the stream off: %w", err)
	}
	removed := false
	defer func() {
		if !removed {
			_, _ = w.plan.Remove(hold.ID)
		}
	}()
	old := v.follow
	if err := v.tr.cut(); err != nil {
		return err
	}
	if err := v.awaitStreamEnded(old); err != nil {
		return err
	}
	if err := w.presentCard(card, reader); err != nil {
		return err
	}
	if w.presErr != nil {
		return fmt.Errorf("card %q at %q: %w", card, reader, w.presErr)
	}
	if _, err := w.plan.Remove(hold.ID); err != nil {
		return err
	}
	removed = true
	return v.awaitFollowingAgain(old)
}

// genetecStreamReopened waits until the connector, its stream ended, has
// opened a new one and subscribed again.
func (w *World) genetecStreamReopened() error {
	if err := w.needSimulatedGenetec("following the event stream"); err != nil {
		return err
	}
	v, err := w.needProvider()
	if err != nil {
		return err
	}
	if v.follow == nil {
		return errors.New(`the connector was never seen following its event stream: start with "the visitor connector with a refreshed provider for location …"`)
	}
	return v.awaitFollowingAgain(v.follow)
}
