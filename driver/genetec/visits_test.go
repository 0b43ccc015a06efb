package genetec_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec"
)

// Readers of the default site.
const (
	frontDoorEntry = 30 // Office
	shopFrontEntry = 36 // Shop
)

// GV-PROVISION, GV-ACTIVE-ONLY-ONSITE, GV-REPROVISION.
func TestSignInProvisionsUntilSignOut(t *testing.T) {
	t.Parallel()
	r := newRig(t, 1)
	ctx := context.Background()
	require.False(t, r.present(frontDoorEntry, 0).Granted, "a badge never signed in opens nothing")

	v, err := r.signIn(0, "Grace", "Visitors - Office")
	require.NoError(t, err)
	assert.Equal(t, genetec.StateActive, v.State)
	assert.NotEmpty(t, v.VisitorGUID)
	assert.NotEmpty(t, v.CredentialGUID)
	assert.Equal(t, "200:5001", v.Card)

	p := r.present(frontDoorEntry, 0)
	require.True(t, p.Granted, "reason %s %s", p.Reason, p.Detail)
	assert.Equal(t, "Grace Visitor", p.User)
	assert.False(t, r.present(shopFrontEntry, 0).Granted, "Visitors - Office does not open the Shop")

	ended, err := r.c.SignOut(ctx, v.ID)
	require.NoError(t, err)
	assert.Equal(t, genetec.StateEnded, ended.State)
	assert.Equal(t, "signed-out", ended.EndReason)
	assert.False(t, r.present(frontDoorEntry, 0).Granted, "after sign-out the badge opens nothing")

	// The next sign-in provisions again, with the same credential.
	v2, err := r.signIn(0, "Alan", "Visitors - Office")
	require.NoError(t, err)
	assert.Equal(t, v.CredentialGUID, v2.CredentialGUID, "the badge's credential is created once and kept")
	assert.NotEqual(t, v.VisitorGUID, v2.VisitorGUID)
	p = r.present(frontDoorEntry, 0)
	require.True(t, p.Granted)
	assert.Equal(t, "Alan Visitor", p.User)
}

// GV-ONE-VISITOR, GV-USER-GROUPS-DENY and validation.
func TestSignInRefusals(t *testing.T) {
	t.Parallel()
	r := newRig(t, 2)
	_, err := r.signIn(0, "Grace", "Visitors - Office")
	require.NoError(t, err)

	_, err = r.signIn(0, "Alan", "Visitors - Office")
	assert.Equal(t, 409, status(err), "%v", err)
	assert.ErrorContains(t, err, "is active for visit")

	_, err = r.signIn(1, "Alan", "Visitors - Shop")
	assert.Equal(t, 403, status(err), "%v", err)
	assert.ErrorContains(t, err, `may not assign cardholder group "Visitors - Shop"`)

	_, err = r.signIn(1, "Alan", "Visitors - Nowhere")
	assert.Equal(t, 400, status(err))
	_, err = r.c.SignIn(context.Background(), genetec.SignInRequest{Location: "Elsewhere", Badge: r.badges[1],
		Visitor: genetec.Visitor{FirstName: "X"}, By: "rita@example.com"})
	assert.Equal(t, 400, status(err))
	_, err = r.c.SignIn(context.Background(), genetec.SignInRequest{Location: "HQ", Badge: "999",
		Visitor: genetec.Visitor{FirstName: "X"}, By: "rita@example.com"})
	assert.Equal(t, 404, status(err))
	assert.False(t, r.present(frontDoorEntry, 1).Granted, "no refused sign-in left the badge active")

	for _, id := range []string{"12a4", "12 4", "-5", "+5", "", "1.5"} {
		_, err := r.c.AddBadge(r.provider, genetec.Badge{Name: "Bad", UniqueID: id, BadgeType: "Standard 26 bits"})
		assert.Equal(t, 400, status(err), "unique id %q: %v", id, err)
	}
	_, err = r.c.AddBadge(r.provider, genetec.Badge{Name: "Dup", UniqueID: "5001", BadgeType: "Standard 26 bits"})
	assert.Equal(t, 409, status(err))
	_, err = r.c.AddBadge(r.provider, genetec.Badge{Name: "Big", UniqueID: "70000", BadgeType: "Standard 26 bits"})
	assert.Equal(t, 400, status(err), "card 70000 is out of range for 26 bits")
	_, err = r.c.AddBadge(r.provider, genetec.Badge{Name: "T", UniqueID: "7", BadgeType: "Magic 99 bits"})
	assert.Equal(t, 400, status(err))
}

// GV-DEACTIVATE-MANUAL and GV-DEACTIVATE-AUTO.
func TestDeactivateAndEndOfDay(t *testing.T) {
	t.Parallel()
	r := newRig(t, 3)
	ctx := context.Background()
	a, err := r.signIn(0, "A", "Visitors - Office")
	require.NoError(t, err)
	b, err := r.signIn(1, "B", "Visitors - Office")
	require.NoError(t, err)
	_, err = r.signIn(2, "C", "Visitors - Office")
	require.NoError(t, err)

	v, err := r.c.Deactivate(ctx, a.ID, "rita@example.com")
	require.NoError(t, err)
	assert.Equal(t, "deactivated", v.EndReason)
	assert.False(t, r.present(frontDoorEntry, 0).Granted)
	assert.True(t, r.present(frontDoorEntry, 1).Granted)

	// The site clock starts Monday 09:00; the day ends at 23:59 UTC.
	r.s.Advance(14*time.Hour + 58*time.Minute)
	r.c.Tick(ctx)
	v, _ = r.c.Visit(b.ID)
	assert.Equal(t, genetec.StateActive, v.State, "23:58: still the same day")
	r.s.Advance(2 * time.Minute)
	r.c.Tick(ctx)
	v, _ = r.c.Visit(b.ID)
	assert.Equal(t, genetec.StateEnded, v.State)
	assert.Equal(t, "end-of-day", v.EndReason)
	for i := range 3 {
		assert.False(t, r.present(frontDoorEntry, i).Granted, "badge %d after the end of day", i)
	}
	active, _ := r.c.Visits(true)
	assert.Empty(t, active)
}

// A connector killed between the store write and the Security Center call,
// then restarted: no badge active for an ended visit, no visit lost.
func TestCrashBetweenStoreAndSecurityCenter(t *testing.T) {
	t.Parallel()
	r := newRig(t, 2)
	ctx := context.Background()

	// Killed after storing a sign-in, before Security Center heard of it.
	r.c.SetHook(func(p string) error {
		if p == "provision:stored" {
			return errCrash
		}
		return nil
	})
	v0, err := r.signIn(0, "Lost", "Visitors - Office")
	require.ErrorIs(t, err, errCrash)
	// Killed after storing a sign-out, before Security Center heard of it.
	r.c.SetHook(nil)
	v1, err := r.signIn(1, "Leaving", "Visitors - Office")
	require.NoError(t, err)
	require.True(t, r.present(frontDoorEntry, 1).Granted)
	r.c.SetHook(func(p string) error {
		if p == "deactivate:stored" {
			return errCrash
		}
		return nil
	})
	_, err = r.c.SignOut(ctx, v1.ID)
	require.ErrorIs(t, err, errCrash)
	r.crash()
	assert.True(t, r.present(frontDoorEntry, 1).Granted, "Security Center still has the badge active: the crash came first")

	r.open()
	r.c.Recover(ctx)
	for _, id := range []string{v0.ID, v1.ID} {
		v, err := r.c.Visit(id)
		require.NoError(t, err, "no visit lost")
		assert.Equal(t, genetec.StateEnded, v.State, "visit %s", id)
	}
	assert.False(t, r.present(frontDoorEntry, 1).Granted, "the restart finished the sign-out")
	assert.False(t, r.present(frontDoorEntry, 0).Granted)
	// Both badges are free again.
	_, err = r.signIn(0, "Next", "Visitors - Office")
	require.NoError(t, err)
	assert.True(t, r.present(frontDoorEntry, 0).Granted)
}
