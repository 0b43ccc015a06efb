package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/sim/simtest"
)

// BenchmarkVisitorsProvisioning is the visitor connector against the
// simulated Security Center over loopback (HTTPS): one op is a sign-in
// (visitor, credential, groups, check-in) and its sign-out (check-out,
// credential deactivated), each store write fsync'd. It reports the p50 and
// p99 of each, in milliseconds.
func BenchmarkVisitorsProvisioning(b *testing.B) {
	s := simtest.Start(b)
	st, err := store.Open(filepath.Join(b.TempDir(), "v.db"), store.WithKey([]byte("0123456789abcdef0123456789abcdef")))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	c, err := genetec.New(genetec.Config{Store: st, Clock: s, Location: time.UTC, HTTPClient: s.HTTPClient()})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	fac := uint64(200)
	p, err := c.AddProvider(genetec.Provider{Location: "HQ", Name: "Main", URL: s.GenetecURL(), Username: "admin", Password: "pacsim", FacilityCode: &fac})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Refresh(ctx, p.ID); err != nil {
		b.Fatal(err)
	}
	if _, err := c.AddUserGroup(genetec.UserGroup{Name: "R", CardholderGroups: []string{"Visitors - Office"}, Users: []string{"r@example.com"}}); err != nil {
		b.Fatal(err)
	}
	const badges = 16
	var ids []string
	for i := range badges {
		bd, err := c.AddBadge(p.ID, genetec.Badge{Name: fmt.Sprint("B", i), UniqueID: fmt.Sprint(6000 + i), BadgeType: "Standard 26 bits"})
		if err != nil {
			b.Fatal(err)
		}
		ids = append(ids, bd.ID)
	}
	in := make([]time.Duration, 0, b.N)
	out := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		v, err := c.SignIn(ctx, genetec.SignInRequest{Location: "HQ", Badge: ids[i%badges], Visitor: genetec.Visitor{FirstName: "V"},
			CardholderGroups: []string{"Visitors - Office"}, By: "r@example.com"})
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := c.SignOut(ctx, v.ID); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		in = append(in, t1.Sub(t0))
		out = append(out, t2.Sub(t1))
	}
	b.StopTimer()
	pct := func(d []time.Duration, q float64) float64 {
		slices.Sort(d)
		return float64(d[min(len(d)-1, int(q*float64(len(d))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(in, 0.5), "signin-p50-ms")
	b.ReportMetric(pct(in, 0.99), "signin-p99-ms")
	b.ReportMetric(pct(out, 0.5), "signout-p50-ms")
	b.ReportMetric(pct(out, 0.99), "signout-p99-ms")
}
