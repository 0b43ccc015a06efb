package sim_test

import (
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// expected reports whether err is one a random stimulus or command may get
// in a busy world: a state it does not fit, or a controller it cannot reach.
func expected(err error) bool {
	return err == nil || errors.Is(err, sim.ErrState) || errors.Is(err, sim.ErrUnreachable) || errors.Is(err, sim.ErrFault)
}

// Many goroutines act on one world at once: people presenting cards and
// opening doors, the building setting inputs, operators commanding,
// controllers and the gateway dropping out, the clock moving, a reset, and
// readers taking snapshots and following the journal. Run with -race. At
// the end every event is in the journal once, in order, and every cursor
// read all of them.
func TestRaceConcurrentStimuliAndReaders(t *testing.T) {
	const ops = 1500
	var granted atomic.Int64
	dec := sim.DeciderFunc(func(r sim.AccessRequest) sim.Decision {
		if r.Card == "100:1001" {
			granted.Add(1)
			return sim.Decision{Granted: true, User: "Alice Martin", UserID: 200}
		}
		return sim.Decision{Reason: sim.ReasonNoAccessLevel}
	})
	x := twNew(t, sim.WithDecider(dec))
	w, clk := x.w, x.clk
	snap := w.Snapshot()
	var doors, readers, inputs, outputs []sim.ID
	for _, d := range snap.Doors {
		doors = append(doors, d.ID)
	}
	for _, r := range snap.Readers {
		readers = append(readers, r.ID)
	}
	for _, in := range snap.Inputs {
		inputs = append(inputs, in.ID)
	}
	for _, o := range snap.Outputs {
		outputs = append(outputs, o.ID)
	}
	pick := func(r *rand.Rand, ids []sim.ID) sim.ID { return ids[r.IntN(len(ids))] }

	var errMu sync.Mutex
	var unexpected []error
	check := func(err error) {
		if !expected(err) {
			errMu.Lock()
			unexpected = append(unexpected, err)
			errMu.Unlock()
		}
	}

	stop := make(chan struct{})
	var writers, followers sync.WaitGroup
	writer := func(seed uint64, f func(r *rand.Rand)) {
		writers.Add(1)
		go func() {
			defer writers.Done()
			r := rand.New(rand.NewPCG(seed, seed))
			for i := 0; i < ops; i++ {
				f(r)
			}
		}()
	}

	// people
	for g := 0; g < 4; g++ {
		writer(uint64(g), func(r *rand.Rand) {
			card := "100:1001"
			if r.IntN(3) == 0 {
				card = "100:1002"
			}
			_, err := w.PresentCard(pick(r, readers), card, "")
			if errors.Is(err, sim.ErrFault) {
				err = nil // a reader in fault reads nothing
			}
			check(err)
		})
		writer(uint64(10+g), func(r *rand.Rand) {
			d := pick(r, doors)
			var err error
			switch r.IntN(3) {
			case 0:
				_, err = w.OpenDoor(d)
			case 1:
				_, err = w.CloseDoor(d)
			default:
				_, err = w.PressREX(d)
			}
			check(err)
		})
	}
	// the building
	writer(20, func(r *rand.Rand) {
		in := pick(r, inputs)
		var err error
		switch r.IntN(4) {
		case 0, 1:
			_, err = w.SetInput(in, r.IntN(2) == 0)
		case 2:
			_, err = w.TamperInput(in)
		default:
			_, err = w.RestoreInput(in)
		}
		check(err)
	})
	// operators
	writer(30, func(r *rand.Rand) {
		d := pick(r, doors)
		var err error
		switch r.IntN(10) {
		case 0:
			err = w.UnlockDoor(d)
		case 1:
			err = w.LockDoor(d)
		case 2:
			err = w.TemporarilyUnlockDoor(d, time.Duration(1+r.IntN(30))*time.Second)
		case 3:
			err = w.DoorBackToSchedule(d)
		case 4:
			err = w.OneTimeAccess(d)
		case 5:
			err = w.InputNoSupervisionTemporarily(pick(r, inputs), time.Duration(1+r.IntN(30))*time.Second)
		case 6:
			err = w.InputNormal(pick(r, inputs))
		case 7:
			err = w.TemporarilyActivateOutput(pick(r, outputs), time.Duration(1+r.IntN(30))*time.Second)
		case 8:
			err = w.DeactivateOutput(pick(r, outputs))
		default:
			rd := pick(r, readers)
			if r.IntN(2) == 0 {
				err = w.DisableReader(rd)
			} else {
				err = w.EnableReader(rd)
			}
		}
		check(err)
	})
	// faults: controllers and the gateway drop out and come back
	writer(40, func(r *rand.Rand) {
		var err error
		c := ctrlOffice
		if r.IntN(2) == 0 {
			c = ctrlShop
		}
		switch r.IntN(8) {
		case 0:
			err = w.CutController(c)
		case 1, 2:
			err = w.RestoreController(c)
		case 3:
			err = w.DisconnectGateway(gwMain)
		case 4, 5:
			err = w.ConnectGateway(gwMain)
		case 6:
			err = w.SetControllerFault(c, r.IntN(2) == 0)
		default:
			err = w.SetReaderFault(pick(r, readers), r.IntN(2) == 0)
		}
		check(err)
	})
	// the clock
	writer(50, func(r *rand.Rand) { clk.Advance(time.Duration(r.IntN(3000)) * time.Millisecond) })
	// a reset now and then
	writer(70, func(r *rand.Rand) {
		if r.IntN(ops/3) == 0 {
			w.Reset()
		}
	})
	// snapshot readers
	for g := 0; g < 2; g++ {
		writer(uint64(60+g), func(r *rand.Rand) {
			s := w.Snapshot()
			if len(s.Doors) != 8 {
				check(errors.New("snapshot lost doors"))
			}
			_, _ = w.Door(pick(r, doors))
			w.ChangedSince(w.Version()-1, doors, func(sim.ID, sim.Kind) {})
			_ = w.Held()
		})
	}

	// journal followers: each owns a cursor and checks it sees every
	// sequence number once, in order, and misses none
	type result struct {
		n, missed uint64
		bad       string
	}
	results := make([]result, 3)
	for g := range results {
		followers.Add(1)
		go func(g int) {
			defer followers.Done()
			c := w.Journal().Cursor(0)
			buf := make([]sim.Event, 0, 256)
			res := &results[g]
			for {
				buf = c.Next(buf[:0], 256)
				for _, e := range buf {
					if e.Seq != res.n+1 && res.bad == "" {
						res.bad = "gap or disorder"
					}
					res.n = e.Seq
				}
				if len(buf) > 0 {
					continue
				}
				select {
				case <-c.Wait():
				case <-stop:
					buf = c.Next(buf[:0], 0)
					for _, e := range buf {
						if e.Seq != res.n+1 && res.bad == "" {
							res.bad = "gap or disorder"
						}
						res.n = e.Seq
					}
					res.missed = c.Missed()
					return
				}
			}
		}(g)
	}

	writers.Wait()
	// bring everything back so nothing stays held
	_ = w.ConnectGateway(gwMain)
	_ = w.RestoreController(ctrlOffice)
	_ = w.RestoreController(ctrlShop)
	clk.Advance(time.Hour)
	assert.Zero(t, w.Held())
	close(stop)
	followers.Wait()

	require.Empty(t, unexpected)
	last := w.Journal().Last()
	require.NotZero(t, last)
	t.Logf("%d events journaled, %d granted", last, granted.Load())
	assert.Positive(t, granted.Load())
	for g, r := range results {
		assert.Empty(t, r.bad, "follower %d", g)
		assert.Equal(t, last, r.n, "follower %d read everything", g)
		assert.Zero(t, r.missed, "follower %d", g)
	}

	// per controller, the events it raised are in the journal in the order
	// they happened (the server's own communication events aside)
	all, missed := w.Journal().Read(0, nil, 0)
	require.Zero(t, missed)
	lastAt := map[sim.ID]time.Time{}
	for _, e := range all {
		switch e.Type {
		case sim.EventControllerCommFailure, sim.EventControllerCommRestored, sim.EventGatewayConnected, sim.EventGatewayDisconnected:
			continue
		}
		if prev, ok := lastAt[e.Controller]; ok {
			require.False(t, e.Time.Before(prev), "seq %d of controller %d at %v, before %v", e.Seq, e.Controller, e.Time, prev)
		}
		lastAt[e.Controller] = e.Time
	}
}
