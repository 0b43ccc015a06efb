package entrapass

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// viewerSite is the default site with an operator "viewer" who holds every
// right but CardRight.
func viewerSite(t *testing.T) *testSite {
	t.Helper()
	sf := sim.DefaultSite()
	var rights []string
	for _, r := range sim.EntraPassRights {
		if r != RightCard {
			rights = append(rights, r)
		}
	}
	sf.EntraPass.Operators = append(sf.EntraPass.Operators, sim.OperatorSpec{ID: 310, Name: "viewer", Password: "viewer", Rights: rights})
	require.NoError(t, sf.Validate())
	return newSiteFrom(t, sf)
}

// The login answer says which rights the operator holds.
func TestLoginAnswersTheOperatorsRights(t *testing.T) {
	s := viewerSite(t)
	body := s.get("Login?userName=viewer&password=viewer")
	require.Contains(t, body, "<CardRight>False</CardRight><DoorOperationRight>True</DoorOperationRight>")
	body = s.get("Login?userName=pacsim&password=pacsim")
	require.Contains(t, body, "<CardRight>True</CardRight>")
}

// An operator without CardRight creates, modifies and deletes no card
// user: each write is a fault naming the right, and nothing changes. Reads
// are allowed.
func TestWritesWithoutCardRightAreRefused(t *testing.T) {
	s := viewerSite(t)
	key := sessionKey(t, s.get("Login?userName=viewer&password=viewer"))
	before := s.get(with("Cards/200", key))
	users := s.srv.DB().UserCount()
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodPost, "Cards/0", "<Card><UserName>Nope</UserName><CardNumber1>100:6001</CardNumber1></Card>"},
		{http.MethodPost, "Cards/200", "<Card><CardState>Invalid</CardState></Card>"},
		{http.MethodPut, "Cards/200", "<Card><CardState>Invalid</CardState></Card>"},
		{http.MethodPut, "Cards/200", "<Card><CardAccessLevels></CardAccessLevels></Card>"},
		{http.MethodDelete, "Cards/200", ""},
		{http.MethodPut, "CardPictures/200", "<CardPicture><Picture>/9j/2Q==</Picture></CardPicture>"},
		// A malformed body is refused for the right first: the operator
		// learns nothing from the validation.
		{http.MethodPut, "Cards/200", "<Card><CardState>Broken"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			requireFault(t, s.ok(tc.method, with(tc.path, key), tc.body), CodeRightDenied, "viewer", "CardRight")
		})
	}
	require.Equal(t, before, s.get(with("Cards/200", key)), "nothing changed")
	require.Equal(t, users, s.srv.DB().UserCount())
	require.True(t, s.present(rdFrontIn, "100:1001", "").Granted)
	require.Equal(t, sim.ReasonUnknownCard, s.present(rdFrontIn, "100:6001", "").Reason)

	// The same writes by an operator with the right are made.
	admin := s.login()
	s.put(with("Cards/200", admin), "<Card><CardState>Invalid</CardState></Card>")
	require.Equal(t, sim.ReasonCardInvalid, s.present(rdFrontIn, "100:1001", "").Reason)
}
