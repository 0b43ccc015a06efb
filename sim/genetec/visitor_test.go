package genetec_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// The visitor flow of reference §4, as a visitor management system runs it:
// the badge opens the Office door only while the visitor is checked in.
func TestVisitorBadgeOpensOnlyWhileCheckedIn(t *testing.T) {
	s := newSite(t)
	var groups []struct{ Guid string }
	s.ok("GET", q("/WebSdk/report/EntityConfiguration", "EntityTypes@CardholderGroup,Name=Visitors - Office,NameSearchMode=Is"), &groups)
	require.Len(t, groups, 1)

	v := s.create("entity=NewEntity(Visitor),FirstName=Grace,LastName=Hopper,Departure=2026-01-05T17:00:00")
	c := s.create("entity=NewEntity(Credential),Name=Badge 7,Format=WiegandStandardCredentialFormat(150,7)")
	s.ok("POST", q("/WebSdk/entity", "entity="+v+",Credentials@"+c), nil)
	s.ok("POST", q("/WebSdk/entity", "entity="+groups[0].Guid+",AddCardholderIntoGroup("+v+")"), nil)

	// Not checked in yet: the badge opens nothing.
	p := s.present(30, "150:7")
	assert.False(t, p.Granted)
	assert.Equal(t, sim.ReasonCardInvalid, p.Reason)
	assert.Equal(t, "InactiveCardholder", p.Detail)

	s.ok("POST", q("/WebSdk/entity", "entity="+v+",Status.Activate()"), nil)
	p = s.present(30, "150:7")
	require.True(t, p.Granted, "reason %s %s", p.Reason, p.Detail)
	assert.Equal(t, v, p.Holder)
	assert.Equal(t, c, p.Credential)
	assert.Equal(t, "Grace Hopper", p.User)

	// A Shop door is not in the visitor's rule.
	p = s.present(36, "150:7")
	assert.Equal(t, sim.ReasonNoAccessLevel, p.Reason)
	assert.Equal(t, "NoAccessRule", p.Detail)

	s.ok("POST", q("/WebSdk/entity", "entity="+v+",Checkout()"), nil)
	p = s.present(30, "150:7")
	assert.False(t, p.Granted)
	assert.Equal(t, "UnassignedCredential", p.Detail)

	var cred struct {
		CardholderGuid string
		State          string
	}
	s.ok("GET", "/WebSdk/entity/"+c, &cred)
	assert.Equal(t, "00000000-0000-0000-0000-000000000000", cred.CardholderGuid)
}

func TestBusinessHoursAndDeparture(t *testing.T) {
	s := newSite(t)
	var groups []struct{ Guid string }
	s.ok("GET", q("/WebSdk/report/EntityConfiguration", "EntityTypes@CardholderGroup,Name=Visitors - Office"), &groups)
	require.Len(t, groups, 1)
	v := s.create("entity=NewEntity(Visitor),FirstName=Alan,Departure=2026-01-05T19:00:00")
	c := s.create("entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(150,8),CardholderGuid=" + v)
	s.ok("POST", q("/WebSdk/entity", "entity="+v+",Groups@"+groups[0].Guid+",Status.Activate()"), nil)
	_ = c
	require.True(t, s.present(30, "150:8").Granted)
	s.clock.Advance(9*time.Hour + 30*time.Minute) // 18:30, after business hours
	assert.Equal(t, "OutsideSchedule", s.present(30, "150:8").Detail)
	s.clock.Advance(time.Hour) // 19:30, past departure
	assert.Equal(t, "ExpiredCardholder", s.present(30, "150:8").Detail)
}

func TestAdaLovelaceContractor(t *testing.T) {
	s := newSite(t)
	p := s.present(36, "200:2001")
	require.True(t, p.Granted, "%s %s", p.Reason, p.Detail)
	assert.Equal(t, "Ada Lovelace", p.User)
	// EntraPass still decides its own cards.
	assert.True(t, s.present(30, "100:1001").Granted)
	assert.Equal(t, sim.ReasonUnknownCard, s.present(30, "999:1").Reason)
}
