package entrapass

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

func getCard(t *testing.T, s *testSite, key, id string) *wire.Card {
	t.Helper()
	c, err := wire.ParseCard([]byte(s.get(with("Cards/"+id, key))))
	require.NoError(t, err)
	return c
}

func TestCardGetGolden(t *testing.T) {
	s := newSite(t)
	key := s.login()
	body := s.get(with("Cards/201?shortReturn=0&includeLastAccess=0", key))
	want := wire.Card{
		ID: 201, UserName: "Bruno Bernard", Email: "bruno.bernard@example.com", CardType: 90,
		CardState: wire.CardValid, Nip: "12345", WaitForKeypad: true, Badging: 1,
		CreationDate:     time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
		CardAccessLevels: []wire.CardAccessLevel{{GatewaySiteID: 2, AccessLevelID: 100}},
	}
	want.Slots[0] = wire.CardSlot{Number: "100:1002", Display: true}
	require.Equal(t, string(wire.MarshalCard(&want)), body)
	require.True(t, strings.HasPrefix(body, "<Card><ID>201</ID><UserName>Bruno Bernard</UserName><CardInfo1></CardInfo1>"), body)
	require.Contains(t, body, "<CardNumber1>100:1002</CardNumber1><CardNumber2></CardNumber2>")
	require.Contains(t, body, "<CardState>Valid</CardState><CardStateAsString>Valid</CardStateAsString><StartDate></StartDate><EndDate></EndDate><UsingEndDate>False</UsingEndDate><Nip>12345</Nip>")
	require.True(t, strings.HasSuffix(body, "<CreationDate>2026-01-05 09:00:00</CreationDate><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>100</AccessLevelID></CardAccessLevel></CardAccessLevels><State>Unchanged</State></Card>"), body)
	// Fixed users: states of the default site.
	require.Equal(t, wire.CardStolenLost, getCard(t, s, key, "232").Slots[0].State)
	require.Equal(t, wire.CardExpired, getCard(t, s, key, "222").CardState)
	require.Equal(t, wire.CardPending, getCard(t, s, key, "223").CardState)
}

// airflowCreate is the Airflow client's create body, whitespace and all.
const airflowCreate = `<Card>
	<UserName>jdoe</UserName>
	<CardInfo1>John Doe</CardInfo1>
	<CardInfo3>jdoe@example.com</CardInfo3>
	<CardType>91</CardType>
	<State>Added</State>
</Card>`

func TestCardCreate(t *testing.T) {
	s := newSite(t)
	key := s.login()
	s.advance(time.Minute)
	require.Equal(t, "<int>303</int>", s.ok(http.MethodPost, with("Cards/0", key), airflowCreate))
	c := getCard(t, s, key, "303")
	require.Equal(t, "jdoe", c.UserName)
	require.Equal(t, "John Doe", c.CardInfo.Get(0))
	require.Equal(t, "jdoe@example.com", c.CardInfo.Get(2))
	require.Equal(t, 91, c.CardType)
	require.Equal(t, wire.CardValid, c.CardState)
	require.Equal(t, "2026-01-05 09:01:00", c.CreationDate.Format(wire.DateLayout))
	require.Equal(t, wire.Unchanged, c.State)

	t.Run("default card type", func(t *testing.T) {
		require.Equal(t, "<int>304</int>", s.ok(http.MethodPost, with("Cards/0", key), "<Card><UserName>x</UserName></Card>"))
		require.Equal(t, 90, getCard(t, s, key, "304").CardType)
	})
	t.Run("GO app body", func(t *testing.T) {
		body := `<?xml version="1.0" encoding="utf-8"?><Card><UserName>Go User</UserName><Email>go@example.com</Email>` +
			`<CardState>Valid</CardState><CardNumber1>100:07777</CardNumber1><StartDate>2026-01-05 00:00:00</StartDate>` +
			`<EndDate>2026-12-31 00:00:00</EndDate><UsingEndDate>True</UsingEndDate><Badging>3</Badging><Nip>00042</Nip>` +
			`<WaitForKeypad>True</WaitForKeypad><GOPass>False</GOPass><CardAccessLevels><CardAccessLevel><ID>-1</ID>` +
			`<Session>Kantech.SmartLinkSDK.OperatorSession</Session><State>Added</State><GatewaySiteID>3</GatewaySiteID>` +
			`<AccessLevelID>102</AccessLevelID><CardSecondaryAccessLevels/></CardAccessLevel></CardAccessLevels>` +
			`<CardAccessGroup>0</CardAccessGroup><CardDoorAccessList/><ID>-1</ID><State>Added</State></Card>`
		require.Equal(t, "<int>305</int>", s.ok(http.MethodPost, with("Cards/0", key), body))
		c := getCard(t, s, key, "305")
		require.Equal(t, "100:7777", c.Slots[0].Number, "card numbers are normalised")
		require.Equal(t, "00042", c.Nip)
		require.Equal(t, []wire.CardAccessLevel{{GatewaySiteID: 3, AccessLevelID: 102}}, c.CardAccessLevels)
		require.True(t, s.present(rdShopIn, "100:7777", "").Granted, "a new card works at once")
	})
	t.Run("POST to a chosen unused id creates with that id", func(t *testing.T) {
		require.Equal(t, "<int>5000</int>", s.ok(http.MethodPost, with("Cards/5000", key), "<Card><ID>5000</ID><UserName>Chosen</UserName></Card>"))
		require.Equal(t, "Chosen", getCard(t, s, key, "5000").UserName)
		require.Equal(t, "<int>5001</int>", s.ok(http.MethodPost, with("Cards/0", key), "<Card><UserName>Next</UserName></Card>"))
	})
	t.Run("POST to another object's id is refused", func(t *testing.T) {
		requireFault(t, s.ok(http.MethodPost, with("Cards/20", key), "<Card><UserName>Door?</UserName></Card>"), wire.CodeInvalidParameter, "id", "door")
	})
	t.Run("POST to an existing id updates", func(t *testing.T) {
		require.Equal(t, "<int>200</int>", s.ok(http.MethodPost, with("Cards/200", key), "<Card><CardInfo5>five</CardInfo5></Card>"))
		c := getCard(t, s, key, "200")
		require.Equal(t, "five", c.CardInfo.Get(4))
		require.Equal(t, "Alice Martin", c.UserName)
	})
	t.Run("POST Cards/0 Modified with an ID updates that user", func(t *testing.T) {
		require.Equal(t, "<int>200</int>", s.ok(http.MethodPost, with("Cards/0", key), "<Card><CardInfo6>six</CardInfo6><ID>200</ID><State>Modified</State></Card>"))
		require.Equal(t, "six", getCard(t, s, key, "200").CardInfo.Get(5))
	})
}

func TestCardUpdateMerges(t *testing.T) {
	s := newSite(t)
	key := s.login()
	s.put(with("Cards/200", key), "<Card><CardInfo1>One</CardInfo1><CardInfo2>Two</CardInfo2></Card>")
	// Airflow's update: one field, ID and State after it.
	require.Equal(t, "<int>200</int>", s.put(with("Cards/200", key), "<Card>\n\t<CardInfo2>Deux</CardInfo2>\n\t<ID>200</ID>\n\t<State>Modified</State>\n</Card>"))
	c := getCard(t, s, key, "200")
	require.Equal(t, "One", c.CardInfo.Get(0))
	require.Equal(t, "Deux", c.CardInfo.Get(1))
	require.Equal(t, "alice.martin@example.com", c.Email)
	require.Equal(t, "100:1001", c.Slots[0].Number)
	// An empty element clears.
	s.put(with("Cards/200", key), "<Card><CardInfo1></CardInfo1><Email/></Card>")
	c = getCard(t, s, key, "200")
	require.Equal(t, "", c.CardInfo.Get(0))
	require.Equal(t, "", c.Email)
	require.Equal(t, "Deux", c.CardInfo.Get(1))
	// UserName unchanged is fine (the Airflow client sends it).
	s.put(with("Cards/200", key), "<Card><UserName>Alice Martin</UserName><CardInfo3>x</CardInfo3></Card>")
	// Renamed to a free name is fine too.
	s.put(with("Cards/200", key), "<Card><UserName>Alice M.</UserName></Card>")
	require.Equal(t, "Alice M.", getCard(t, s, key, "200").UserName)
	// PUT Cards/0 names the user in <ID>.
	require.Equal(t, "<int>200</int>", s.put(with("Cards/0", key), "<Card><CardInfo4>four</CardInfo4><ID>200</ID><State>Modified</State></Card>"))
	require.Equal(t, "four", getCard(t, s, key, "200").CardInfo.Get(3))
}

func TestCardAccessLevelChanges(t *testing.T) {
	s := newSite(t)
	key := s.login()
	// Airflow: one site's entry changes that site only.
	s.put(with("Cards/200", key), "<Card><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>100</AccessLevelID><State>Modified</State></CardAccessLevel></CardAccessLevels><ID>200</ID><State>Modified</State></Card>")
	require.Equal(t, []wire.CardAccessLevel{{GatewaySiteID: 2, AccessLevelID: 100}, {GatewaySiteID: 3, AccessLevelID: 103}}, getCard(t, s, key, "200").CardAccessLevels)
	require.Equal(t, sim.ReasonNoAccessLevel, s.present(rdServer, "100:1001", "").Reason, "Office only lacks the server room: effective at once")
	// Deleted removes a site's level.
	s.put(with("Cards/200", key), "<Card><CardAccessLevels><CardAccessLevel><GatewaySiteID>3</GatewaySiteID><State>Deleted</State></CardAccessLevel></CardAccessLevels></Card>")
	require.Equal(t, []wire.CardAccessLevel{{GatewaySiteID: 2, AccessLevelID: 100}}, getCard(t, s, key, "200").CardAccessLevels)
	require.Equal(t, sim.ReasonNoAccessLevel, s.present(rdShopIn, "100:1001", "").Reason)
	// AccessLevelID 0 removes too (ropelletier).
	s.put(with("Cards/200", key), "<Card><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>0</AccessLevelID></CardAccessLevel></CardAccessLevels></Card>")
	require.Empty(t, getCard(t, s, key, "200").CardAccessLevels)
	// And <CardAccessLevels/> clears all.
	s.put(with("Cards/201", key), "<Card><CardAccessLevels/></Card>")
	require.Empty(t, getCard(t, s, key, "201").CardAccessLevels)
	require.Equal(t, sim.ReasonNoAccessLevel, s.present(rdFrontIn, "100:1002", "").Reason)
}

func TestCardWriteFaultsChangeNothing(t *testing.T) {
	s := newSite(t)
	key := s.login()
	before := s.get(with("Cards/200", key))
	big := "<Card><CardInfo1>" + strings.Repeat("x", wire.MaxBodySize) + "</CardInfo1></Card>"
	for _, tc := range []struct {
		name, method, path, body, code string
		words                          []string
	}{
		{"rename into another user's name", "PUT", "Cards/200", "<Card><CardInfo1>changed</CardInfo1><UserName>bruno bernard</UserName></Card>", wire.CodeInvalidParameter, []string{"UserName", "201"}},
		{"empty user name", "PUT", "Cards/200", "<Card><CardInfo1>changed</CardInfo1><UserName></UserName></Card>", wire.CodeInvalidParameter, []string{"UserName"}},
		{"card held by another user", "PUT", "Cards/200", "<Card><CardInfo1>changed</CardInfo1><CardNumber2>100:1002</CardNumber2></Card>", wire.CodeInvalidParameter, []string{"CardNumber2", "100:1002", "201"}},
		{"same card twice", "PUT", "Cards/200", "<Card><CardNumber2>100:1001</CardNumber2></Card>", wire.CodeInvalidParameter, []string{"CardNumber2"}},
		{"bad card number", "PUT", "Cards/200", "<Card><CardNumber1>abc</CardNumber1></Card>", wire.CodeInvalidParameter, []string{"CardNumber1"}},
		{"PIN of 4 digits", "PUT", "Cards/200", "<Card><CardInfo1>changed</CardInfo1><Nip>1234</Nip></Card>", wire.CodeInvalidParameter, []string{"Nip", "5 digits"}},
		{"PIN not digits", "PUT", "Cards/200", "<Card><Nip>12a45</Nip></Card>", wire.CodeInvalidParameter, []string{"Nip"}},
		{"unknown access level", "PUT", "Cards/200", "<Card><CardInfo1>changed</CardInfo1><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>999</AccessLevelID></CardAccessLevel></CardAccessLevels></Card>", wire.CodeInvalidParameter, []string{"AccessLevelID", "999"}},
		{"access level of another site", "PUT", "Cards/200", "<Card><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>102</AccessLevelID></CardAccessLevel></CardAccessLevels></Card>", wire.CodeInvalidParameter, []string{"AccessLevelID", "102"}},
		{"unknown site", "PUT", "Cards/200", "<Card><CardAccessLevels><CardAccessLevel><GatewaySiteID>20</GatewaySiteID><AccessLevelID>100</AccessLevelID></CardAccessLevel></CardAccessLevels></Card>", wire.CodeInvalidParameter, []string{"GatewaySiteID", "20"}},
		{"two levels for one site", "PUT", "Cards/200", "<Card><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>100</AccessLevelID></CardAccessLevel><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>101</AccessLevelID></CardAccessLevel></CardAccessLevels></Card>", wire.CodeInvalidParameter, []string{"one access level per site"}},
		{"unknown card type", "PUT", "Cards/200", "<Card><CardInfo1>changed</CardInfo1><CardType>20</CardType></Card>", wire.CodeInvalidParameter, []string{"CardType", "20"}},
		{"UsingEndDate without date", "PUT", "Cards/200", "<Card><UsingEndDate>True</UsingEndDate></Card>", wire.CodeInvalidParameter, []string{"EndDate"}},
		{"bad date", "PUT", "Cards/200", "<Card><EndDate>tomorrow</EndDate></Card>", wire.CodeInvalidParameter, []string{"EndDate"}},
		{"bad boolean", "PUT", "Cards/200", "<Card><Trace1>maybe</Trace1></Card>", wire.CodeInvalidParameter, []string{"Trace1"}},
		{"bad card state", "PUT", "Cards/200", "<Card><CardState>Lost</CardState></Card>", wire.CodeInvalidParameter, []string{"CardState"}},
		{"malformed XML", "PUT", "Cards/200", "<Card><CardInfo1>x</Card>", wire.CodeInvalidParameter, []string{"malformed"}},
		{"not a Card", "PUT", "Cards/200", "<Door/>", wire.CodeInvalidParameter, []string{"Card"}},
		{"empty body", "PUT", "Cards/200", "", wire.CodeInvalidParameter, []string{"Card"}},
		{"body too large", "PUT", "Cards/200", big, wire.CodeInvalidParameter, []string{"Card", "larger than"}},
		{"PUT of an unknown user", "PUT", "Cards/999", "<Card><CardInfo1>x</CardInfo1></Card>", wire.CodeComponentNotExist, []string{"999"}},
		{"PUT Cards/0 without ID", "PUT", "Cards/0", "<Card><CardInfo1>x</CardInfo1></Card>", wire.CodeInvalidParameter, []string{"ID"}},
		{"PUT with a non-numeric id", "PUT", "Cards/x", "<Card/>", wire.CodeInvalidParameter, []string{"id"}},
		{"POST without user name", "POST", "Cards/0", "<Card><CardInfo1>x</CardInfo1></Card>", wire.CodeInvalidParameter, []string{"UserName"}},
		{"POST with a taken name", "POST", "Cards/0", "<Card><UserName>ALICE MARTIN</UserName></Card>", wire.CodeInvalidParameter, []string{"UserName", "200"}},
		{"POST with a negative id", "POST", "Cards/-5", "<Card><UserName>neg</UserName></Card>", wire.CodeInvalidParameter, []string{"id"}},
		{"POST Modified of an unknown user", "POST", "Cards/0", "<Card><CardInfo1>x</CardInfo1><ID>999</ID><State>Modified</State></Card>", wire.CodeComponentNotExist, []string{"999"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := s.do(tc.method, with(tc.path, key), tc.body)
			require.Equal(t, http.StatusOK, code)
			requireFault(t, body, tc.code, tc.words...)
			require.Equal(t, before, s.get(with("Cards/200", key)), "nothing half-applied")
		})
	}
	require.Equal(t, 50, s.srv.DB().UserCount())
}

func TestCardDelete(t *testing.T) {
	s := newSite(t)
	key := s.login()
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
	require.Equal(t, "<int>200</int>", s.ok(http.MethodDelete, with("Cards/200", key), ""))
	requireFault(t, s.get(with("Cards/200", key)), wire.CodeComponentNotExist)
	require.Equal(t, sim.ReasonUnknownCard, s.present(rdFrontIn, "100:1001", "").Reason)
	requireFault(t, s.ok(http.MethodDelete, with("Cards/200", key), ""), wire.CodeComponentNotExist, "Error deleting card.")
	requireFault(t, s.ok(http.MethodDelete, with("Cards/x", key), ""), wire.CodeInvalidParameter, "id")
	// Name and card are free again.
	require.Equal(t, "<int>303</int>", s.ok(http.MethodPost, with("Cards/0", key), "<Card><UserName>Alice Martin</UserName><CardNumber1>100:1001</CardNumber1><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>101</AccessLevelID></CardAccessLevel></CardAccessLevels></Card>"))
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
}

// jpeg is the smallest thing parsePicture takes for a JPEG: the SOI marker
// and a segment start.
var jpeg = []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}

func TestCardPictures(t *testing.T) {
	s := newSite(t)
	key := s.login()
	b64 := base64.StdEncoding.EncodeToString(jpeg)
	require.Equal(t, "<int>200</int>", s.put(with("CardPictures/200", key), "<CardPicture><ID>200</ID><Picture>"+b64+"</Picture></CardPicture>"))
	require.Equal(t, "<CardPicture><ID>200</ID><Picture>"+b64+"</Picture></CardPicture>", s.get(with("CardPictures/200", key)))
	// A card write keeps the picture.
	s.put(with("Cards/200", key), "<Card><CardInfo1>x</CardInfo1></Card>")
	require.Contains(t, s.get(with("CardPictures/200", key)), b64)
	for _, tc := range []struct{ name, path, body, code, word string }{
		{"not Base64", "CardPictures/200", "<CardPicture><Picture>!!!</Picture></CardPicture>", wire.CodeInvalidParameter, "Picture"},
		{"not a JPEG", "CardPictures/200", "<CardPicture><Picture>" + base64.StdEncoding.EncodeToString([]byte("GIF89a")) + "</Picture></CardPicture>", wire.CodeInvalidParameter, "JPEG"},
		{"malformed", "CardPictures/200", "<CardPicture><Picture>", wire.CodeInvalidParameter, "CardPicture"},
		{"another document", "CardPictures/200", "<Card/>", wire.CodeInvalidParameter, "CardPicture"},
		{"two roots", "CardPictures/200", "<CardPicture/><CardPicture/>", wire.CodeInvalidParameter, "CardPicture"},
		{"unknown user", "CardPictures/999", "<CardPicture><Picture>" + b64 + "</Picture></CardPicture>", wire.CodeComponentNotExist, "999"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireFault(t, s.put(with(tc.path, key), tc.body), tc.code, tc.word)
			require.Contains(t, s.get(with("CardPictures/200", key)), b64)
		})
	}
	s.put(with("CardPictures/200", key), "<CardPicture><Picture></Picture></CardPicture>")
	require.Equal(t, "<CardPicture><ID>200</ID><Picture></Picture></CardPicture>", s.get(with("CardPictures/200", key)))
}

func TestResetReloadsUsers(t *testing.T) {
	s := newSite(t)
	key := s.login()
	s.ok(http.MethodDelete, with("Cards/200", key), "")
	s.ok(http.MethodPost, with("Cards/0", key), "<Card><UserName>tmp</UserName><CardNumber1>9:9</CardNumber1></Card>")
	s.put(with("Cards/201", key), "<Card><Nip></Nip></Card>")
	s.srv.Reset()
	requireFault(t, s.get(with("Cards/201", key)), wire.CodeInvalidSessionKey)
	key = s.login()
	require.Equal(t, "Alice Martin", getCard(t, s, key, "200").UserName)
	require.Equal(t, "12345", getCard(t, s, key, "201").Nip)
	requireFault(t, s.get(with("Cards/303", key)), wire.CodeComponentNotExist)
	require.Equal(t, sim.ReasonUnknownCard, s.present(rdFrontIn, "9:9", "").Reason)
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
	require.Equal(t, "<int>303</int>", s.ok(http.MethodPost, with("Cards/0", key), "<Card><UserName>tmp</UserName></Card>"))
}
