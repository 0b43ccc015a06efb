package entrapass

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
			assert.Equal(t, c, u.card())
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
