package entrapass

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// The compact card user gives back the very <Card> it was given: every
// field, slots with gaps, a slot set without a number, dates to the second.
func TestCardUserKeepsEveryField(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(wire.DateLayout, s)
		require.NoError(t, err)
		return d
	}
	full := wire.Card{
		ID: 70001, UserName: "Ann Lee", Email: "ann@example.com", CardType: 3,
		CardInfo:  wire.CardInfoOf([wire.CardInfoFields]string{0: "Sales", 39: "last"}),
		CardState: wire.CardInvalid, StartDate: day("2026-01-02 08:30:00"), EndDate: day("2027-03-04 17:45:59"),
		UsingEndDate: true, Nip: "01234", WaitForKeypad: true, Badging: 9, DeleteWhenExpired: true,
		CreationDate:     day("2025-12-31 23:59:59"),
		CardAccessLevels: []wire.CardAccessLevel{{GatewaySiteID: 2, AccessLevelID: 5}, {GatewaySiteID: 7, AccessLevelID: 11}},
	}
	full.Slots[0] = wire.CardSlot{Number: "100:1001", Display: true, State: wire.CardValid}
	full.Slots[2] = wire.CardSlot{Number: "100:1003", State: wire.CardStolenLost, Trace: true, EndDate: day("2026-06-30 00:00:00"), UsingEndDate: true}
	full.Slots[4] = wire.CardSlot{State: wire.CardInvalid} // set without a number
	gapped := wire.Card{ID: 5, UserName: "B", CardState: wire.CardValid}
	gapped.Slots[3] = wire.CardSlot{Number: "7:7", Display: true}
	for name, c := range map[string]wire.Card{
		"every field":       full,
		"nothing set":       {ID: 1, UserName: "A"},
		"one slot, slot 4":  gapped,
		"end date not used": {ID: 2, UserName: "C", EndDate: day("2020-01-01 00:00:00")},
	} {
		t.Run(name, func(t *testing.T) {
			u := newCardUser(&c, time.UTC)
			assert.Equal(t, c, u.card(nil))
		})
	}
}

// The instants are the wall-clock dates read in the site's zone: a user
// ending at 17:00 in Montreal is expired at 22:00 UTC, not at 17:00 UTC.
func TestCardUserInstantsInTheSiteZone(t *testing.T) {
	mtl, err := time.LoadLocation("America/Montreal")
	require.NoError(t, err)
	c := wire.Card{ID: 1, UserName: "A", EndDate: time.Date(2026, 1, 15, 17, 0, 0, 0, time.UTC), UsingEndDate: true}
	c.Slots[1] = wire.CardSlot{Number: "1:1", EndDate: time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC), UsingEndDate: true}
	u := newCardUser(&c, mtl)
	at := func(s string) time.Time { return time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC).Add(mustDuration(t, s)) }
	assert.Equal(t, wire.CardValid, u.state(at("21h59m59s")), "16:59:59 in Montreal")
	assert.Equal(t, wire.CardValid, u.state(at("21h59m59.999s")), "a fraction before the end")
	assert.Equal(t, wire.CardExpired, u.state(at("22h")), "17:00 in Montreal")
	assert.Equal(t, wire.CardExpired, u.slotState(1, at("0s")), "card 2 ended on the 10th")
	assert.Equal(t, wire.CardValid, u.slotState(1, time.Date(2026, 1, 10, 13, 59, 59, 0, time.UTC)))
	assert.Equal(t, wire.CardValid, u.slotState(0, at("0s")), "an unset slot is Valid, as an empty <CardState1>")
}

func mustDuration(t *testing.T, s string) time.Duration {
	d, err := time.ParseDuration(s)
	require.NoError(t, err)
	return d
}

// A user of the site file reads its fields from the file (cardUser.spec):
// it must answer every question exactly as the same user stored from its
// <Card> does — the card, the states as time passes, the level per site,
// the card numbers — for every kind of user a generated site has
// (visitors ending, lost and invalid cards, PINs, several sites).
func TestFileUsersMatchStoredUsers(t *testing.T) {
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 400, Users: 3000, Seed: 3})
	require.NoError(t, err)
	w, err := sim.New(sf)
	require.NoError(t, err)
	db, err := NewDB(w)
	require.NoError(t, err)
	start := w.Now()
	times := []time.Time{start, start.AddDate(0, 1, 0), start.AddDate(0, 3, 0), start.AddDate(1, 0, 0)}
	kinds := map[string]bool{}
	for _, u := range db.users {
		require.NotNil(t, u.spec, "user %d is read from the file", u.id)
		c := u.card(db.levelSite)
		require.Equal(t, cardFromSpec(t, sf, u.spec, c.CreationDate), c, "user %d", u.id)
		stored := newCardUser(&c, db.loc)
		require.Equal(t, c, stored.card(db.levelSite), "user %d", u.id)
		assert.Equal(t, u.firstCard(), stored.firstCard())
		for _, now := range times {
			assert.Equal(t, stored.state(now), u.state(now), "user %d at %s", u.id, now)
			for i := range wire.CardSlots {
				assert.Equal(t, stored.slotState(i, now), u.slotState(i, now), "user %d card %d", u.id, i+1)
				assert.Equal(t, stored.number(i), u.number(i))
			}
		}
		for site := range db.sites {
			assert.Equal(t, db.levelFor(stored, site), db.levelFor(u, site), "user %d site %d", u.id, site)
		}
		for _, f := range []string{"EMAIL", "STARTDATE", "ENDDATE", "USINGENDDATE", "WAITFORKEYPAD", "CARDTYPE", "BADGING", "CREATIONDATE", "CARDSTATE2"} {
			assert.Equal(t, stored.field(f, start), u.field(f, start), "user %d %s", u.id, f)
		}
		kinds[u.spec.Cards[0].State] = true
		kinds["pin"] = kinds["pin"] || u.spec.PIN != ""
		kinds["end"] = kinds["end"] || u.spec.End != ""
		kinds["sites"] = kinds["sites"] || len(u.spec.AccessLevels) > 1
	}
	for _, k := range []string{"valid", "invalid", "lost-stolen", "pin", "end", "sites"} {
		assert.True(t, kinds[k], "the site has a user with %s", k)
	}
}

// cardFromSpec is the <Card> of a site-file user, worked out here from the
// SPEC's rules rather than by the code under test.
func cardFromSpec(t *testing.T, sf *sim.SiteFile, us *sim.UserSpec, created time.Time) wire.Card {
	c := wire.Card{ID: us.ID, UserName: us.Name, Email: us.Email, Nip: us.PIN, WaitForKeypad: us.PIN != "",
		Badging: us.Badging, CreationDate: created, CardState: wire.CardValid, CardType: sf.EntraPass.DefaultCardType}
	typed := false
	for i, cs := range us.Cards {
		st := map[string]wire.CardState{"": wire.CardValid, "valid": wire.CardValid, "invalid": wire.CardInvalid, "lost-stolen": wire.CardStolenLost}[cs.State]
		c.Slots[i] = wire.CardSlot{Number: cs.Number, Display: true, State: st}
		if cs.Type != 0 && !typed {
			c.CardType, typed = cs.Type, true
		}
	}
	date := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		require.NoError(t, err)
		return d
	}
	if us.Start != "" {
		c.StartDate = date(us.Start)
	}
	if us.End != "" {
		c.EndDate, c.UsingEndDate = date(us.End), true
	}
	for _, id := range us.AccessLevels {
		for _, l := range sf.AccessLevels {
			if l.ID == id {
				c.CardAccessLevels = append(c.CardAccessLevels, wire.CardAccessLevel{GatewaySiteID: int(l.Site), AccessLevelID: id})
			}
		}
	}
	return c
}
