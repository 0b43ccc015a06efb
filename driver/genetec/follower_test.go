package genetec_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/sim/fault"
)

// waitFollowing waits until the provider's event stream is open and
// subscribed.
func (r *rig) waitFollowing() {
	r.t.Helper()
	select {
	case <-r.c.Following(r.provider):
	case <-time.After(10 * time.Second):
		r.t.Fatal("the connector never followed the event stream")
	}
}

// waitAccesses waits until a visit has n accesses recorded (the follower
// records them from the stream, asynchronously), and returns them.
func (r *rig) waitAccesses(visit string, n int) []genetec.Access {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		a, err := r.c.Accesses(visit)
		require.NoError(r.t, err)
		if len(a) >= n || time.Now().After(deadline) {
			return a
		}
		<-time.After(5 * time.Millisecond)
	}
}

// The connector keeps each visit's accesses from the Web SDK event stream:
// time, door, granted, reason.
func TestVisitAccessesFromTheEventStream(t *testing.T) {
	t.Parallel()
	r := newRig(t, 1)
	r.waitFollowing()
	v, err := r.signIn(0, "Grace", "Visitors - Office")
	require.NoError(t, err)
	require.True(t, r.present(frontDoorEntry, 0).Granted)
	r.s.Advance(time.Second)
	require.False(t, r.present(shopFrontEntry, 0).Granted)

	a := r.waitAccesses(v.ID, 2)
	require.Len(t, a, 2)
	assert.Equal(t, "Front Door", a[0].Door)
	assert.True(t, a[0].Granted)
	assert.Equal(t, "Shop Front", a[1].Door)
	assert.False(t, a[1].Granted)
	assert.Equal(t, "NoAccessRule", a[1].Reason)
	assert.Equal(t, r.s.Now().Add(-time.Second), a[0].Time.Time)
}

// FT-STREAM-CUT: the stream cut, the connector opens it again, subscribes
// again, and reads what the gap held from the activity report: no access
// lost, none doubled.
func TestStreamCutLosesNoAccess(t *testing.T) {
	t.Parallel()
	r := newRig(t, 1)
	r.waitFollowing()
	v, err := r.signIn(0, "Grace", "Visitors - Office")
	require.NoError(t, err)
	require.True(t, r.present(frontDoorEntry, 0).Granted)
	require.Len(t, r.waitAccesses(v.ID, 1), 1)

	// Every stream is now cut after its first flush: the connector sees
	// its ConnectionId and nothing more, so what happens meanwhile only
	// the report can give it.
	id := r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStreamCut, Params: fault.Params{Events: 1},
		Match: fault.Match{Path: "/WebSdk/events"}})
	// The stream open now is cut too: the sessions expire at the next
	// request, and their streams with them; every new one is cut after its
	// ConnectionId.
	r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindExpireSessions, When: fault.When{First: 1}})
	_, err = r.c.TestConnection(context.Background(), genetec.Provider{URL: r.s.GenetecURL(), Username: "admin", Password: "pacsim"})
	require.NoError(t, err)
	r.s.Advance(time.Second)
	require.True(t, r.present(frontDoorEntry, 0).Granted)
	r.s.Advance(time.Second)
	require.False(t, r.present(shopFrontEntry, 0).Granted)
	err = r.s.Control().RemoveFault(context.Background(), id)
	require.NoError(t, err)
	r.waitFollowing()

	a := r.waitAccesses(v.ID, 3)
	require.Len(t, a, 3, "%+v", a)
	assert.True(t, a[1].Granted)
	assert.Equal(t, "Shop Front", a[2].Door)
	// After it is back, new accesses come from the stream again, once.
	r.s.Advance(time.Second)
	require.True(t, r.present(frontDoorEntry, 0).Granted)
	a = r.waitAccesses(v.ID, 4)
	assert.Len(t, a, 4)
}

// GV-COMPAT-VERSION and GV-LICENSE: Test Connection and Refresh say why.
func TestVersionAndLicence(t *testing.T) {
	t.Parallel()
	r := newRig(t, 0)
	ctx := context.Background()
	ok, err := r.c.TestConnection(ctx, genetec.Provider{URL: r.s.GenetecURL(), Username: "admin", Password: "pacsim"})
	require.NoError(t, err)
	assert.True(t, ok.OK, ok.Message)
	assert.Contains(t, ok.Message, "5.12.2.0")

	bad, err := r.c.TestConnection(ctx, genetec.Provider{URL: r.s.GenetecURL(), Username: "admin", Password: "wrong"})
	require.NoError(t, err)
	assert.False(t, bad.OK)
	assert.Contains(t, bad.Message, "401")

	down, err := r.c.TestConnection(ctx, genetec.Provider{URL: "https://127.0.0.1:1/WebSdk/", Username: "admin", Password: "pacsim"})
	require.NoError(t, err)
	assert.False(t, down.OK)
	assert.Contains(t, down.Message, "127.0.0.1:1")

	_, err = r.c.TestConnection(ctx, genetec.Provider{URL: "ftp://host/WebSdk/", Username: "admin", Password: "pacsim"})
	assert.Equal(t, 400, status(err))
}

func TestOldVersionAndMissingLicencePart(t *testing.T) {
	t.Parallel()
	sf := defaultSiteWith(func(g *genetecSpec) { g.Version = "5.6.0.0" })
	old := newRigNoRefresh(t, withSite(sf))
	res, err := old.c.TestConnection(context.Background(), genetec.Provider{URL: old.s.GenetecURL(), Username: "admin", Password: "pacsim"})
	require.NoError(t, err)
	assert.False(t, res.OK)
	assert.Contains(t, res.Message, "5.6.0.0 is older than 5.7")
	_, err = old.c.Refresh(context.Background(), old.provider)
	assert.Equal(t, 502, status(err))
	assert.ErrorContains(t, err, "5.6.0.0 is older than 5.7")

	sf = defaultSiteWith(func(g *genetecSpec) { g.LicenceParts = []string{"GSC-SDK"} })
	nolic := newRigNoRefresh(t, withSite(sf))
	res, err = nolic.c.TestConnection(context.Background(), genetec.Provider{URL: nolic.s.GenetecURL(), Username: "admin", Password: "pacsim"})
	require.NoError(t, err)
	assert.False(t, res.OK)
	assert.Contains(t, res.Message, "licence part")
	_, err = nolic.c.Refresh(context.Background(), nolic.provider)
	assert.Equal(t, 502, status(err))
	assert.ErrorContains(t, err, "403")
}
