package entrapass

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// A controller cut off keeps the card users it was sent: changes made at
// the server meanwhile do not reach its doors (the troubleshooting case
// "changes not reflected → verify controller communication"), and reach
// them once it is restored. The Shop controller's doors are untouched.
func TestCutControllerDecidesFromItsCopy(t *testing.T) {
	s := newSite(t)
	key := s.login()
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)

	require.NoError(t, s.w.CutController(ctrlOffice))
	// Alice disabled, a new user added, Bruno deleted: all at the server.
	s.put(with("Cards/200", key), "<Card><CardState>Invalid</CardState></Card>")
	require.Equal(t, "<int>303</int>", s.ok(http.MethodPost, with("Cards/0", key),
		"<Card><UserName>Nina New</UserName><CardNumber1>100:6001</CardNumber1><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>101</AccessLevelID></CardAccessLevel></CardAccessLevels></Card>"))
	require.Equal(t, "<int>201</int>", s.ok(http.MethodDelete, with("Cards/201", key), ""))

	// The cut-off controller still decides from what it was sent.
	p := s.present(rdFrontIn, "100:1001", "")
	require.True(t, p.Granted, "a card disabled at the server still opens a door of a cut-off controller: %+v", p.Decision)
	require.Equal(t, "Alice Martin", p.User)
	require.Equal(t, sim.ReasonUnknownCard, s.present(rdFrontIn, "100:6001", "").Reason, "a card added meanwhile is unknown there")
	require.True(t, s.present(rdFrontIn, "100:1002", "").Granted, "a user deleted meanwhile still opens there")
	// A controller still in touch with the server has every change.
	require.Equal(t, sim.ReasonCardInvalid, s.present(rdShopIn, "100:1001", "").Reason)

	require.NoError(t, s.w.RestoreController(ctrlOffice))
	require.Equal(t, sim.ReasonCardInvalid, s.present(rdFrontIn, "100:1001", "").Reason)
	require.True(t, s.present(rdFrontIn, "100:6001", "").Granted)
	require.Equal(t, sim.ReasonUnknownCard, s.present(rdFrontIn, "100:1002", "").Reason)
}

// A gateway disconnected cuts every controller behind it off the server:
// they decide from their copies until it connects again.
func TestDisconnectedGatewayControllersKeepTheirCopy(t *testing.T) {
	s := newSite(t)
	key := s.login()
	require.NoError(t, s.w.DisconnectGateway(gwMain))
	s.put(with("Cards/200", key), "<Card><CardState>Invalid</CardState></Card>")
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
	require.True(t, s.present(rdShopIn, "100:1001", "").Granted)
	require.NoError(t, s.w.ConnectGateway(gwMain))
	require.Equal(t, sim.ReasonCardInvalid, s.present(rdFrontIn, "100:1001", "").Reason)
	require.Equal(t, sim.ReasonCardInvalid, s.present(rdShopIn, "100:1001", "").Reason)
}

// A controller restored behind a gateway still disconnected is still cut
// off from the server: it keeps its copy until the gateway is back.
func TestControllerRestoredBehindDisconnectedGatewayKeepsItsCopy(t *testing.T) {
	s := newSite(t)
	key := s.login()
	require.NoError(t, s.w.CutController(ctrlOffice))
	require.NoError(t, s.w.DisconnectGateway(gwMain))
	s.put(with("Cards/200", key), "<Card><CardState>Invalid</CardState></Card>")
	require.NoError(t, s.w.RestoreController(ctrlOffice))
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
	require.NoError(t, s.w.ConnectGateway(gwMain))
	require.Equal(t, sim.ReasonCardInvalid, s.present(rdFrontIn, "100:1001", "").Reason)
}

// The copy is the users as they stood at the cut, whatever happened since:
// a card moved from one user to another, a user changed twice, and the
// users reloaded from the site file (the control API's reset).
func TestCopySurvivesManyChangesAndAReload(t *testing.T) {
	s := newSite(t)
	key := s.login()
	require.NoError(t, s.w.CutController(ctrlOffice))
	// Bruno's card 100:1002 taken away, then given to a new user.
	s.put(with("Cards/201", key), "<Card><CardNumber1></CardNumber1></Card>")
	s.ok(http.MethodPost, with("Cards/0", key), "<Card><UserName>Card Thief</UserName><CardNumber1>100:1002</CardNumber1></Card>")
	s.put(with("Cards/200", key), "<Card><CardState>Invalid</CardState></Card>")
	s.put(with("Cards/200", key), "<Card><CardState>StolenLost</CardState></Card>")
	p := s.present(rdFrontIn, "100:1002", "")
	require.True(t, p.Granted)
	require.Equal(t, "Bruno Bernard", p.User)
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)

	s.srv.DB().ResetUsers(s.w.Now())
	s.put(with("Cards/200", key), "<Card><CardState>Invalid</CardState></Card>")
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
	require.Equal(t, "Bruno Bernard", s.present(rdFrontIn, "100:1002", "").User)

	require.NoError(t, s.w.RestoreController(ctrlOffice))
	require.Equal(t, sim.ReasonCardInvalid, s.present(rdFrontIn, "100:1001", "").Reason)
	require.Equal(t, 0, s.srv.DB().copies(), "a restored controller releases its copy")
}
