package genetec_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/simtest"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// rig is a simulated site and a connector with one provider (location HQ),
// refreshed, a user group letting rita@example.com assign "Visitors -
// Office", and badges 5001… of Standard 26 bits with facility code 200.
type rig struct {
	t        *testing.T
	s        *simtest.Site
	path     string
	st       *store.Store
	c        *genetec.Connector
	provider string
	badges   []string
}

func newRig(t *testing.T, badges int, opts ...simtest.Option) *rig {
	t.Helper()
	r := newRigNoRefresh(t, opts...)
	_, err := r.c.Refresh(context.Background(), r.provider)
	require.NoError(t, err)
	_, err = r.c.AddUserGroup(genetec.UserGroup{Name: "Reception", CardholderGroups: []string{"Visitors - Office"},
		Users: []string{"rita@example.com"}})
	require.NoError(t, err)
	for i := range badges {
		b, err := r.c.AddBadge(r.provider, genetec.Badge{Name: fmt.Sprintf("Badge %d", i+1), UniqueID: fmt.Sprint(5001 + i), BadgeType: "Standard 26 bits"})
		require.NoError(t, err)
		r.badges = append(r.badges, b.ID)
	}
	return r
}

// newRigNoRefresh is a rig whose provider was never refreshed.
func newRigNoRefresh(t *testing.T, opts ...simtest.Option) *rig {
	t.Helper()
	r := &rig{t: t, s: simtest.Start(t, opts...), path: filepath.Join(t.TempDir(), "visitors.db")}
	r.open()
	fac := uint64(200)
	p, err := r.c.AddProvider(genetec.Provider{Location: "HQ", Name: "Main building", URL: r.s.GenetecURL(),
		Username: "admin", Password: "pacsim", FacilityCode: &fac})
	require.NoError(t, err)
	r.provider = p.ID
	return r
}

type genetecSpec = sim.GenetecSpec

// defaultSiteWith is the default site, its Security Center changed by fn.
func defaultSiteWith(fn func(*genetecSpec)) *sim.SiteFile {
	sf := sim.DefaultSite()
	fn(&sf.Genetec)
	return sf
}

func withSite(sf *sim.SiteFile) simtest.Option { return simtest.WithSite(sf) }

// open starts a connector on the rig's store (again, after a crash).
func (r *rig) open() {
	r.t.Helper()
	st, err := store.Open(r.path, store.WithKey(testKey))
	require.NoError(r.t, err)
	c, err := genetec.New(genetec.Config{Store: st, Clock: r.s, Location: time.UTC, HTTPClient: r.s.HTTPClient(),
		Timeout: 5 * time.Second, RetryMin: 5 * time.Millisecond, RetryMax: 50 * time.Millisecond})
	require.NoError(r.t, err)
	r.c, r.st = c, st
	r.t.Cleanup(func() { c.Close(); st.Close() })
}

// crash stops the connector as if killed: its background work stops and
// its store is closed, nothing else happens.
func (r *rig) crash() {
	r.c.Close()
	require.NoError(r.t, r.st.Close())
}

func (r *rig) signIn(badge int, first string, groups ...string) (genetec.Visit, error) {
	return r.c.SignIn(context.Background(), genetec.SignInRequest{Location: "HQ", Badge: r.badges[badge],
		Visitor: genetec.Visitor{FirstName: first, LastName: "Visitor"}, CardholderGroups: groups, By: "rita@example.com"})
}

// card is the world card of badge i.
func card(i int) string { return fmt.Sprintf("200:%d", 5001+i) }

// present presents badge i at a reader and returns the decision.
func (r *rig) present(reader sim.ID, badge int) sim.Presented {
	r.t.Helper()
	p, err := r.s.World().PresentCard(reader, card(badge), "")
	require.NoError(r.t, err)
	return p
}

func status(err error) int {
	if err == nil {
		return 0
	}
	return genetec.StatusOf(err)
}

var errCrash = errors.New("crash (test hook)")
