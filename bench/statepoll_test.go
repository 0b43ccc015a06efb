package bench

import (
	"context"
	"testing"

	"github.com/pacsim/pacsim/sim"
)

// BenchmarkStatePollLargeSite is one poll of the state of every component
// of a 10,000-door, 100,000-user site: GET ComponentsStatesByStatusId with
// statusID=0 over loopback HTTP, answered by the simulated SmartService and
// parsed by the driver's client. Target: under 50 ms.
//
//	go test -run='^$' -bench=StatePollLargeSite -benchtime=20x ./bench/
func BenchmarkStatePollLargeSite(b *testing.B) {
	_, w, c := serveGenerated(b, sim.GenerateOptions{Doors: scaleDoors, Users: scaleUsers, Seed: scaleSeed})
	ctx := context.Background()
	snap := w.Snapshot()
	var ids []int
	for _, d := range snap.Doors {
		ids = append(ids, int(d.ID))
	}
	for _, in := range snap.Inputs {
		ids = append(ids, int(in.ID))
	}
	for _, o := range snap.Outputs {
		ids = append(ids, int(o.ID))
	}
	for _, ct := range snap.Controllers {
		ids = append(ids, int(ct.ID))
	}
	if err := c.RegisterStates(ctx, ids); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	rows := 0
	for b.Loop() {
		r, err := c.States(ctx, 0)
		if err != nil {
			b.Fatal(err)
		}
		rows = len(r)
	}
	if rows != len(ids) {
		b.Fatalf("%d rows for %d components", rows, len(ids))
	}
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/poll")
}
