package asset_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/driver/asset"
)

func gateway(id int) *asset.GatewayConnectionChanged {
	return &asset.GatewayConnectionChanged{Ref: asset.SystemRef, GatewayID: id}
}

func seqs(ev []asset.Event) []uint64 {
	out := make([]uint64, len(ev))
	for i, e := range ev {
		out[i] = e.Sequence()
	}
	return out
}

// TestBusFanOut: every subscriber gets every event, in sequence order.
func TestBusFanOut(t *testing.T) {
	b := asset.NewBus()
	subs := []*asset.Subscription{b.Subscribe(8), b.Subscribe(8), b.Subscribe(0)}
	assert.Equal(t, 3, b.Subscribers())
	for i := 1; i <= 5; i++ {
		assert.Equal(t, uint64(i), b.Publish(gateway(i)))
	}
	for _, s := range subs {
		ev := drain(s)
		assert.Equal(t, []uint64{1, 2, 3, 4, 5}, seqs(ev))
		assert.Equal(t, 3, ev[2].(*asset.GatewayConnectionChanged).GatewayID)
		assert.Zero(t, s.Dropped())
	}
	assert.Equal(t, uint64(5), b.Published())
	assert.Zero(t, b.Dropped())
}

// TestBusSlowSubscriber: a subscriber that does not read loses its oldest
// events, counted; the publisher never waits, and the others lose nothing.
func TestBusSlowSubscriber(t *testing.T) {
	b := asset.NewBus()
	slow := b.Subscribe(4)
	fast := b.Subscribe(1000)

	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 1000; i++ {
			b.Publish(gateway(i))
		}
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a slow subscriber blocked the publisher")
	}

	assert.Equal(t, []uint64{997, 998, 999, 1000}, seqs(drain(slow)), "the newest kept")
	assert.Equal(t, uint64(996), slow.Dropped())
	assert.Len(t, drain(fast), 1000)
	assert.Zero(t, fast.Dropped())
	assert.Equal(t, uint64(996), b.Dropped())
}

func TestBusUnsubscribe(t *testing.T) {
	b := asset.NewBus()
	s1, s2 := b.Subscribe(8), b.Subscribe(8)
	b.Publish(gateway(1))
	s1.Close()
	s1.Close() // twice is harmless
	b.Unsubscribe(s1)
	b.Publish(gateway(2))
	assert.Equal(t, 1, b.Subscribers())

	var got []uint64
	for e := range s1.Events() { // closed after what was buffered
		got = append(got, e.Sequence())
	}
	assert.Equal(t, []uint64{1}, got)
	assert.Equal(t, []uint64{1, 2}, seqs(drain(s2)))

	b.Close()
	b.Close()
	_, ok := <-s2.Events()
	assert.False(t, ok, "closed with the bus")
	assert.Zero(t, b.Publish(gateway(3)), "a closed bus publishes nothing")
	s3 := b.Subscribe(1)
	_, ok = <-s3.Events()
	assert.False(t, ok, "subscribing to a closed bus")
	s3.Close()
	assert.Zero(t, b.Subscribers())
}

// TestBusNoGoroutineLeak: subscribers reading in goroutines all end when
// they unsubscribe or the bus closes; the bus starts none of its own.
func TestBusNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	b := asset.NewBus()
	var wg sync.WaitGroup
	subs := make([]*asset.Subscription, 20)
	for i := range subs {
		subs[i] = b.Subscribe(2)
		wg.Add(1)
		go func(s *asset.Subscription) {
			defer wg.Done()
			for range s.Events() {
			}
		}(subs[i])
	}
	for i := 0; i < 500; i++ {
		b.Publish(gateway(i))
	}
	for _, s := range subs[:10] {
		s.Close()
	}
	b.Close()
	wg.Wait()
	// Polled by hand: require.Eventually runs its condition in a goroutine.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	assert.LessOrEqual(t, runtime.NumGoroutine(), before, "goroutines left running")
}
