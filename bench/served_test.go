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

// serveGenerated generates the site o describes, serves its SmartService
// on 127.0.0.1 until the benchmark ends, and returns it with the driver's
// client logged in as its first operator.
func serveGenerated(b *testing.B, o sim.GenerateOptions, opts ...entrapass.Option) (*sim.SiteFile, *sim.World, *entrapass.Client) {
	b.Helper()
	site, err := sim.Generate(o)
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
	b.Cleanup(func() { srv.Close(); ep.Close() })
	op := site.EntraPass.Operators[0]
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	c, err := entrapass.NewClient(entrapass.Config{Host: "127.0.0.1", Port: port, Username: op.Name, Password: op.Password, RequestTimeout: time.Minute}, opts...)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Login(context.Background()); err != nil {
		b.Fatal(err)
	}
	return site, w, c
}
