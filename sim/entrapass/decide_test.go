package entrapass

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

func TestDecideEveryReason(t *testing.T) {
	s := newSite(t)
	for _, tc := range []struct {
		name   string
		reader sim.ID
		card   string
		pin    string
		want   sim.Reason
	}{
		{"granted, full access", rdFrontIn, "100:1001", "", sim.ReasonNone},
		{"granted on the second site", rdShopIn, "100:1001", "", sim.ReasonNone},
		{"granted with the PIN at a keypad", rdOffice, "100:1002", "12345", sim.ReasonNone},
		{"no PIN asked without keypad", rdFrontIn, "100:1002", "", sim.ReasonNone},
		{"a user without PIN at a keypad", rdOffice, "100:1003", "", sim.ReasonNone},
		{"unknown card", rdFrontIn, "100:9999", "", sim.ReasonUnknownCard},
		{"card invalid", rdShopIn, "100:1034", "", sim.ReasonCardInvalid},
		{"card lost or stolen", rdFrontIn, "100:1033", "", sim.ReasonCardLostStolen},
		{"user end date passed", rdFrontIn, "100:1023", "", sim.ReasonCardExpired},
		{"user start date ahead", rdFrontIn, "100:1024", "", sim.ReasonCardNotYetValid},
		{"no access level on the site", rdFrontIn, "100:1004", "", sim.ReasonNoAccessLevel},
		{"the level lacks the door", rdServer, "100:1002", "12345", sim.ReasonNoAccessLevel},
		{"PIN required", rdOffice, "100:1002", "", sim.ReasonPINRequired},
		{"PIN wrong", rdOffice, "100:1002", "54321", sim.ReasonPINWrong},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := s.present(tc.reader, tc.card, tc.pin)
			require.Equal(t, tc.want, p.Reason)
			require.Equal(t, tc.want == sim.ReasonNone, p.Granted)
		})
	}
	p := s.present(rdOffice, "100:1002", "12345")
	require.Equal(t, "Bruno Bernard", p.User)
	require.Equal(t, userBruno, p.UserID)
}

func TestDecideOutsideSchedule(t *testing.T) {
	s := newSite(t)
	require.True(t, s.present(rdFrontIn, "100:1003", "").Granted) // Monday 09:00
	s.advance(10 * time.Hour)                                     // 19:00
	require.Equal(t, sim.ReasonOutsideSchedule, s.present(rdFrontIn, "100:1003", "").Reason)
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted) // Always
	s.advance(13 * time.Hour)                                     // Tuesday 08:00
	require.True(t, s.present(rdFrontIn, "100:1003", "").Granted)
}

func TestDecideWorldReasons(t *testing.T) {
	s := newSite(t)
	require.NoError(t, s.w.DisableReader(rdFrontIn))
	require.Equal(t, sim.ReasonReaderDisabled, s.present(rdFrontIn, "100:1001", "").Reason)
	require.NoError(t, s.w.SetControllerFault(ctrlShop, true))
	require.Equal(t, sim.ReasonControllerOffline, s.present(rdShopIn, "100:1001", "").Reason)
}

const cardTypeSite = `
version: 1
name: card types
gateways:
  - id: 1
    name: GW
    sites:
      - id: 2
        name: Site
        controllers:
          - id: 3
            name: C
            model: KT-400
            doors:
              - id: 4
                name: Lab
                readers: [{id: 5, name: Lab entry}]
schedules:
  - {id: 6, name: Always, intervals: [{days: [all], start: "00:00", end: "24:00"}]}
card_types:
  - {id: 7, name: Employee}
  - {id: 8, name: Contractor}
access_levels:
  - {id: 9, name: Employees only, site: 2, doors: [{door: 4, schedule: 6}], card_types: [7]}
users:
  - {id: 10, name: Emp, cards: [{number: "1:1", type: 7}], access_levels: [9]}
  - {id: 11, name: Con, cards: [{number: "1:2", type: 8}], access_levels: [9]}
entrapass:
  operators:
    - {id: 12, name: op, password: pw}
`

func TestDecideWrongCardType(t *testing.T) {
	s := newSiteYAML(t, cardTypeSite)
	require.True(t, s.present(5, "1:1", "").Granted)
	require.Equal(t, sim.ReasonWrongCardType, s.present(5, "1:2", "").Reason)
	// Changing the user's card type over the API changes the decision at once.
	key := sessionKey(t, s.get("Login?userName=op&password=pw"))
	s.put(with("Cards/11", key), "<Card><CardType>7</CardType></Card>")
	require.True(t, s.present(5, "1:2", "").Granted)
}

func TestEndDateRevokesOnAdvance(t *testing.T) {
	s := newSite(t, WithSessionIdle(48*time.Hour))
	key := s.login()
	// Alice's end date in one hour.
	require.Equal(t, "<int>200</int>", s.put(with("Cards/200", key),
		"<Card><EndDate>2026-01-05 10:00:00</EndDate><UsingEndDate>True</UsingEndDate><ID>200</ID><State>Modified</State></Card>"))
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
	card, err := wire.ParseCard([]byte(s.get(with("Cards/200", key))))
	require.NoError(t, err)
	require.Equal(t, wire.CardValid, card.CardState)

	s.advance(time.Hour - time.Second)
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
	s.advance(time.Second)
	require.Equal(t, sim.ReasonCardExpired, s.present(rdFrontIn, "100:1001", "").Reason)
	card, err = wire.ParseCard([]byte(s.get(with("Cards/200", key))))
	require.NoError(t, err)
	require.Equal(t, wire.CardExpired, card.CardState)
	r := rows(t, s.get(with("Cards?numberOfCards=1", key)))
	require.Equal(t, "4", val(t, r[0], "CARDSTATE"))

	// The Airflow client revalidates so.
	s.put(with("Cards/200", key), "<Card><CardState>Valid</CardState><CardStateAsString>Valid</CardStateAsString><UsingEndDate>False</UsingEndDate><ID>200</ID><State>Modified</State></Card>")
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
}

func TestCardSlotEndDateAndState(t *testing.T) {
	s := newSite(t, WithSessionIdle(48*time.Hour))
	key := s.login()
	s.put(with("Cards/200", key), "<Card><CardNumber2>100:5000</CardNumber2><EndDate2>2026-01-05 09:30:00</EndDate2><UsingEndDate2>True</UsingEndDate2></Card>")
	require.True(t, s.present(rdFrontIn, "100:5000", "").Granted)
	s.advance(30 * time.Minute)
	require.Equal(t, sim.ReasonCardExpired, s.present(rdFrontIn, "100:5000", "").Reason)
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted) // the other card is unaffected
	card, err := wire.ParseCard([]byte(s.get(with("Cards/200", key))))
	require.NoError(t, err)
	require.Equal(t, wire.CardExpired, card.Slots[1].State)
	require.Equal(t, wire.CardValid, card.CardState)

	s.put(with("Cards/200", key), "<Card><CardState1>StolenLost</CardState1></Card>")
	require.Equal(t, sim.ReasonCardLostStolen, s.present(rdFrontIn, "100:1001", "").Reason)
	s.put(with("Cards/200", key), "<Card><CardState1>Pending</CardState1></Card>")
	require.Equal(t, sim.ReasonCardNotYetValid, s.present(rdFrontIn, "100:1001", "").Reason)
	s.put(with("Cards/200", key), "<Card><CardState1>Valid</CardState1><CardState>Invalid</CardState></Card>")
	require.Equal(t, sim.ReasonCardInvalid, s.present(rdFrontIn, "100:1001", "").Reason)
}

func TestStartDateBecomesValidOnAdvance(t *testing.T) {
	s := newSite(t, WithSessionIdle(48*time.Hour))
	key := s.login()
	s.put(with("Cards/200", key), "<Card><StartDate>2026-01-05 12:00:00</StartDate></Card>")
	require.Equal(t, sim.ReasonCardNotYetValid, s.present(rdFrontIn, "100:1001", "").Reason)
	card, err := wire.ParseCard([]byte(s.get(with("Cards/200", key))))
	require.NoError(t, err)
	require.Equal(t, wire.CardPending, card.CardState)
	s.advance(3 * time.Hour)
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
}

func TestDeleteWhenExpired(t *testing.T) {
	s := newSite(t, WithSessionIdle(48*time.Hour))
	key := s.login()
	s.put(with("Cards/200", key), "<Card><EndDate>2026-01-05 10:00:00</EndDate><UsingEndDate>True</UsingEndDate><DeleteWhenExpired>True</DeleteWhenExpired></Card>")
	s.advance(time.Hour)
	require.Equal(t, sim.ReasonUnknownCard, s.present(rdFrontIn, "100:1001", "").Reason)
	requireFault(t, s.get(with("Cards/200", key)), wire.CodeComponentNotExist)
	// Its card number is free again.
	require.Equal(t, "<int>303</int>", s.ok("POST", with("Cards/0", key), "<Card><UserName>New</UserName><CardNumber1>100:1001</CardNumber1></Card>"))
}

func TestDecideUsesTheSiteZone(t *testing.T) {
	// 09:00 in Montreal is 14:00 UTC: business hours must be read locally.
	src := `
version: 1
name: zone
timezone: America/Montreal
gateways:
  - id: 1
    name: GW
    sites:
      - id: 2
        name: Site
        controllers:
          - id: 3
            name: C
            model: KT-400
            doors:
              - id: 4
                name: D
                readers: [{id: 5, name: D entry}]
schedules:
  - {id: 6, name: Business, intervals: [{days: [mon, tue, wed, thu, fri], start: "08:00", end: "18:00"}]}
access_levels:
  - {id: 9, name: L, site: 2, doors: [{door: 4, schedule: 6}]}
users:
  - {id: 10, name: U, cards: [{number: "1:1"}], access_levels: [9], end: "2026-01-05 17:00:00"}
entrapass:
  operators:
    - {id: 12, name: op, password: pw}
`
	s := newSiteYAML(t, src, WithSessionIdle(48*time.Hour))
	require.True(t, s.present(5, "1:1", "").Granted)
	s.advance(8*time.Hour - time.Second) // 16:59:59 local
	require.True(t, s.present(5, "1:1", "").Granted)
	s.advance(time.Second)
	require.Equal(t, sim.ReasonCardExpired, s.present(5, "1:1", "").Reason)
	key := sessionKey(t, s.get("Login?userName=op&password=pw"))
	card, err := wire.ParseCard([]byte(s.get(with("Cards/10", key))))
	require.NoError(t, err)
	require.Equal(t, "2026-01-05 17:00:00", card.EndDate.Format(wire.DateLayout))
}
