package control_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
)

// TestConcurrentClients runs a client per door, each letting Alice through
// its door again and again, while others read the site, the clock and the
// journal, and a follower streams every event. Run with -race.
func TestConcurrentClients(t *testing.T) {
	e := newEnv(t)
	c := ctx(t)
	snap := e.w.Snapshot()
	const rounds = 15
	perRound := 3 // granted, opened, closed
	total := uint64(len(snap.Doors) * rounds * perRound)

	// The follower starts before anything happens and must see every event.
	followed := make(chan []control.Event, 1)
	followErr := make(chan error, 1)
	go func() {
		var evs []control.Event
		err := control.NewClient(e.ts.URL+"/v1").Follow(c, 0, func(ev control.Event) error {
			evs = append(evs, ev)
			if uint64(len(evs)) == total {
				return context.Canceled
			}
			return nil
		})
		followed <- evs
		followErr <- err
	}()

	var wg sync.WaitGroup
	errs := make(chan error, len(snap.Doors)+2)
	for _, d := range snap.Doors {
		wg.Add(1)
		go func(door sim.ID, reader sim.ID) {
			defer wg.Done()
			cl := control.NewClient(e.ts.URL + "/v1")
			for i := 0; i < rounds; i++ {
				dec, err := cl.Present(c, reader, "100:1001", "12345")
				if err != nil || !dec.Granted {
					errs <- fmt.Errorf("door %d: present: %+v %v", door, dec, err)
					return
				}
				if _, err := cl.OpenDoor(c, door); err != nil {
					errs <- fmt.Errorf("door %d: open: %v", door, err)
					return
				}
				st, err := cl.Door(c, door)
				if err != nil || st.Contact != sim.ContactOpen {
					errs <- fmt.Errorf("door %d: after a grant the door is %q (%v)", door, st.Contact, err)
					return
				}
				if _, err := cl.CloseDoor(c, door); err != nil {
					errs <- fmt.Errorf("door %d: close: %v", door, err)
					return
				}
			}
		}(d.ID, d.Readers[0])
	}
	stopReaders := make(chan struct{})
	var readers sync.WaitGroup
	for i := 0; i < 2; i++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			cl := control.NewClient(e.ts.URL + "/v1")
			for {
				select {
				case <-stopReaders:
					return
				default:
				}
				if _, err := cl.Site(c); err != nil {
					errs <- err
					return
				}
				if _, err := cl.Clock(c); err != nil {
					errs <- err
					return
				}
				if _, err := cl.Events(c, 0, 50); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stopReaders)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	evs := <-followed
	assert.ErrorIs(t, <-followErr, context.Canceled)
	require.Len(t, evs, int(total))
	for i, ev := range evs {
		require.Equal(t, uint64(i+1), ev.Seq, "the stream is in order, with no gap")
	}
	assert.Equal(t, total, e.w.Journal().Last())
	for _, d := range e.w.Snapshot().Doors {
		assert.Equal(t, sim.ContactClosed, d.Contact, d.Name)
		assert.Equal(t, sim.LockLocked, d.Lock, d.Name)
	}
}
