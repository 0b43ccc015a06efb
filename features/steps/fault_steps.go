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

// genetecStreamCut: the Genetec event stream cut. Neither the Genetec
// connector (driver/genetec) nor the simulated Web SDK (sim/genetec) is in
// this repository yet, so this step fails.
func (w *World) genetecStreamCut() error {
	return errors.New("no Genetec connector (driver/genetec) nor simulated Web SDK (sim/genetec) in this repository: the event stream cannot be cut")
}
