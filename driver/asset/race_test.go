package asset_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

// TestConcurrent runs, at once, integrations updating assets, operators
// giving commands and selecting, readers listing, and subscribers reading
// the events (some too slowly). Run with -race. Each subscriber must see
// strictly increasing sequence numbers, and the status changes of one asset
// must chain: each From is the previous To.
func TestConcurrent(t *testing.T) {
	r, _ := site(t)
	const doors = 8
	refs := make([]asset.Ref, doors)
	for i := range refs {
		refs[i] = asset.Ref{Type: asset.Door, ID: 100 + i}
		require.NoError(t, r.Add(refs[i], "d", map[string]string{asset.PropDoorID: "100"}))
	}
	ctx := context.Background()

	var subs sync.WaitGroup
	type seen struct {
		last map[asset.Ref]asset.Status
		err  string
	}
	results := make([]seen, 4)
	for i := range results {
		buffer := 1 << 16
		if i == 3 {
			buffer = 4 // too slow: drops, but order holds
		}
		s := r.Bus().Subscribe(buffer)
		subs.Add(1)
		go func(i int, s *asset.Subscription) {
			defer subs.Done()
			res := seen{last: map[asset.Ref]asset.Status{}}
			var prev uint64
			for e := range s.Events() {
				if e.Sequence() <= prev && res.err == "" {
					res.err = "sequence went back"
				}
				prev = e.Sequence()
				if sc, ok := e.(*asset.StatusChanged); ok {
					if last, ok := res.last[sc.Ref]; ok && s.Dropped() == 0 && last != sc.From && res.err == "" {
						res.err = "status changes of " + sc.Ref.String() + " do not chain"
					}
					res.last[sc.Ref] = sc.To
				}
			}
			results[i] = res
		}(i, s)
	}

	var work sync.WaitGroup
	states := [][]asset.Status{{asset.Secure}, {asset.Unsecure}, {asset.HeldOpen, asset.Unsecure}, {asset.Fault, asset.Secure}, {asset.NoCommunication}}
	for w := 0; w < 4; w++ {
		work.Add(1)
		go func(w int) { // an integration polling
			defer work.Done()
			for i := 0; i < 500; i++ {
				ss := states[(i+w)%len(states)]
				_ = r.Update(refs[(i*7+w)%doors], func(a *asset.Asset) error { return a.SetHardware(ss...) })
			}
		}(w)
	}
	work.Add(3)
	go func() { // an operator
		defer work.Done()
		cmds := []asset.CommandName{asset.Mask, asset.Acknowledge, asset.Reset, asset.Lock}
		for i := 0; i < 500; i++ {
			_ = r.Execute(ctx, refs[i%doors], asset.Command{Name: cmds[i%len(cmds)]})
		}
	}()
	go func() { // another, with the selection
		defer work.Done()
		for i := 0; i < 200; i++ {
			_ = r.Select(refs[i%doors], refs[(i+3)%doors])
			_, _ = r.ApplyToSelection(ctx, asset.Command{Name: asset.Acknowledge})
			_, _ = r.ApplyToSelection(ctx, asset.Command{Name: asset.Pass, Seconds: 5})
			if i%10 == 0 {
				r.Cancel()
			}
		}
	}()
	go func() { // the northbound API and the workflows
		defer work.Done()
		for i := 0; i < 300; i++ {
			for _, s := range r.List() {
				_ = s.Status
			}
			_ = r.PublishAccess(&asset.LastAccessEvent{Ref: refs[i%doors], AccessGranted: i%2 == 0})
			r.PublishGateway(&asset.GatewayConnectionChanged{GatewayID: 1, GatewayConnectedState: i%2 == 0})
			_, _ = r.Get(refs[i%doors])
			_ = r.Selection()
		}
	}()
	work.Wait()
	r.Bus().Close()
	subs.Wait()

	for i, res := range results {
		assert.Empty(t, res.err, "subscriber %d", i)
	}
	// The fast subscribers' last word on each door is what it shows.
	for _, ref := range refs {
		s, err := r.Get(ref)
		require.NoError(t, err)
		for i := 0; i < 3; i++ {
			if last, ok := results[i].last[ref]; ok {
				assert.Equal(t, s.Status, last, "subscriber %d, %s", i, ref)
			}
		}
	}
}
