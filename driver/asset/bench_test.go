package asset_test

import (
	"testing"

	"github.com/pacsim/pacsim/driver/asset"
)

// benchSite is a registry with n doors and subscribers that drain the bus.
func benchSite(b *testing.B, n, subscribers int) (*asset.Registry, []asset.Ref, func()) {
	r := asset.NewRegistry(nil, nil)
	refs := make([]asset.Ref, n)
	for i := range refs {
		refs[i] = asset.Ref{Type: asset.Door, ID: i + 1}
		if err := r.Add(refs[i], "d", map[string]string{asset.PropDoorID: "1"}); err != nil {
			b.Fatal(err)
		}
	}
	done := make(chan struct{})
	for i := 0; i < subscribers; i++ {
		s := r.Bus().Subscribe(0)
		go func() {
			for range s.Events() {
			}
			done <- struct{}{}
		}()
	}
	return r, refs, func() {
		r.Bus().Close()
		for i := 0; i < subscribers; i++ {
			<-done
		}
	}
}

// BenchmarkUpdatePublish is the driver's share of the event path: a status
// read from the wire that changes what a door shows, the Status Changed event
// built and published to one subscriber.
func BenchmarkUpdatePublish(b *testing.B) {
	r, refs, stop := benchSite(b, 64, 1)
	defer stop()
	states := [2]asset.Status{asset.Secure, asset.Unsecure}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := states[(i/len(refs))%2]
		if err := r.Update(refs[i%len(refs)], func(a *asset.Asset) error { return a.SetHardware(s) }); err != nil {
			b.Fatal(err)
		}
		i++
	}
	// The publisher outruns a subscriber that does nothing but receive, so
	// some events take the drop-oldest path; say how many.
	b.ReportMetric(float64(r.Bus().Dropped())/float64(r.Bus().Published()), "dropped/event")
}

// BenchmarkUpdateUnchanged is the common poll: the wire says what the door
// already shows, so nothing is published.
func BenchmarkUpdateUnchanged(b *testing.B) {
	r, refs, stop := benchSite(b, 64, 1)
	defer stop()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := r.Update(refs[i%len(refs)], func(a *asset.Asset) error { return a.SetHardware(asset.Secure) }); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPublishFanOut8 publishes one Last Access Event to 8 subscribers.
func BenchmarkPublishFanOut8(b *testing.B) {
	r, refs, stop := benchSite(b, 1, 8)
	defer stop()
	b.ReportAllocs()
	for b.Loop() {
		if err := r.PublishAccess(&asset.LastAccessEvent{Ref: refs[0], AccessGranted: true}); err != nil {
			b.Fatal(err)
		}
	}
}
