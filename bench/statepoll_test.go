package bench

import (
	"context"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
	simep "github.com/pacsim/pacsim/sim/entrapass"
)

// BenchmarkStatePollLargeSite is one poll of the state of every component
// of a 10,000-door, 100,000-user site: GET ComponentsStatesByStatusId with
// statusID=0 over loopback HTTP, answered by the simulated SmartService and
// parsed by the driver's client. Target: under 50 ms.
//
//	go test -run='^$' -bench=StatePollLargeSite -benchtime=20x ./bench/
func BenchmarkStatePollLargeSite(b *testing.B) {
	site, err := sim.Generate(sim.GenerateOptions{Doors: scaleDoors, Users: scaleUsers, Seed: scaleSeed})
	if err != nil {
		b.Fatal(err)
	}
	w, err := sim.New(site)
	if err != nil {
		b.Fatal(err)
	}
	ep, err := simep.New(w)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(ep.Handler())
	defer srv.Close()
	defer ep.Close()

	op := site.EntraPass.Operators[0]
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	c, err := entrapass.NewClient(entrapass.Config{Host: "127.0.0.1", Port: port, Username: op.Name, Password: op.Password, RequestTimeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Login(ctx); err != nil {
		b.Fatal(err)
	}
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
