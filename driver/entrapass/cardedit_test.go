package entrapass_test

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

func ptr[T any](v T) *T { return &v }

// TestUsersEditAdjustsAccess: a user's access is adjusted — a level
// changed on one site, one added on another, then one cleared — and the
// doors follow at once (UM-ACCESS-LEVEL, UM-REMOVE-LEVELS); each edit is
// audited with its ticket, from the old value to the new (UM-AUDIT).
func TestUsersEditAdjustsAccess(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	id, err := f.u.Add(ctx(t), "TCK-E1", newUser("Ed Itor", "100:5101", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}))
	require.NoError(t, err)
	assert.Equal(t, "no-access-level", f.present(t, rdServerRoom, "100:5101", ""))
	assert.Equal(t, "no-access-level", f.present(t, rdShopIn, "100:5101", ""))

	require.NoError(t, f.u.Edit(ctx(t), "TCK-E2", id, entrapass.UserEdit{
		Levels: []entrapass.SiteLevel{{Site: siteOffice, Level: lvlFullOff}, {Site: siteShop, Level: lvlFullShop}},
	}))
	assert.Equal(t, "granted", f.present(t, rdServerRoom, "100:5101", ""))
	assert.Equal(t, "granted", f.present(t, rdShopIn, "100:5101", ""))
	put := f.s.lastRequest("/Cards/" + strconv.Itoa(id))
	require.NotNil(t, put)

	require.NoError(t, f.u.Edit(ctx(t), "TCK-E3", id, entrapass.UserEdit{ClearSites: []int{siteShop}}))
	assert.Equal(t, "no-access-level", f.present(t, rdShopIn, "100:5101", ""))
	assert.Equal(t, "granted", f.present(t, rdServerRoom, "100:5101", ""))
	got, err := f.u.Get(ctx(t), id)
	require.NoError(t, err)
	assert.Equal(t, []entrapass.SiteLevel{{Site: siteOffice, Level: lvlFullOff}}, got.Levels)
	assert.Equal(t, "Ed Itor", got.UserName, "the rest stays")
	assert.Equal(t, []string{"100:5101"}, got.Cards)

	recs := f.records(t)
	require.Len(t, recs, 3)
	r := recs[1]
	assert.Equal(t, "edit", r.Action)
	assert.Equal(t, "TCK-E2", r.Ticket)
	assert.Equal(t, "100:5101", r.Card)
	assert.Equal(t, entrapass.AuditOK, r.Result)
	assert.Equal(t, []entrapass.AuditChange{{Field: "access_levels", From: "site 2: level 100", To: "site 2: level 101, site 3: level 103"}}, r.Changes)
	assert.Equal(t, []entrapass.AuditChange{{Field: "access_levels", From: "site 2: level 101, site 3: level 103", To: "site 2: level 101"}}, recs[2].Changes)
}

// TestUsersEditOtherFields: name, e-mail, card type, PIN and a second card
// change; the PIN is audited as set, never written.
func TestUsersEditOtherFields(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	id, err := f.u.Add(ctx(t), "TCK-E4", newUser("Old Name", "100:5102", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}))
	require.NoError(t, err)
	assert.Equal(t, "granted", f.present(t, rdOffice, "100:5102", ""), "no PIN asked yet")

	require.NoError(t, f.u.Edit(ctx(t), "TCK-E5", id, entrapass.UserEdit{
		Name: ptr("New Name"), Email: ptr("new@example.com"), PIN: ptr("24680"), AddCards: []string{"100:05103"},
	}))
	got, err := f.u.Get(ctx(t), id)
	require.NoError(t, err)
	assert.Equal(t, "New Name", got.UserName)
	assert.Equal(t, "new@example.com", got.Email)
	assert.True(t, got.HasPIN)
	assert.Equal(t, []string{"100:5102", "100:5103"}, got.Cards)
	assert.Equal(t, "pin-required", f.present(t, rdOffice, "100:5103", ""))
	assert.Equal(t, "granted", f.present(t, rdOffice, "100:5103", "24680"))

	// The PIN cleared: the keypad asks no more; the name left alone is
	// not sent (ropelletier: a UserName sent can duplicate the record).
	require.NoError(t, f.u.Edit(ctx(t), "TCK-E6", id, entrapass.UserEdit{Name: ptr("New Name"), PIN: ptr("")}))
	assert.Equal(t, "granted", f.present(t, rdOffice, "100:5102", ""))

	recs := f.records(t)
	require.Len(t, recs, 3)
	assert.Equal(t, []entrapass.AuditChange{
		{Field: "name", From: "Old Name", To: "New Name"},
		{Field: "email", To: "new@example.com"},
		{Field: "pin", To: "set"},
		{Field: "card2", To: "100:5103"},
	}, recs[1].Changes)
	assert.Equal(t, []entrapass.AuditChange{{Field: "name", From: "New Name", To: "New Name"}, {Field: "pin", From: "set"}}, recs[2].Changes)
	for _, r := range recs {
		assert.NotContains(t, r.Error+strings.Join(func() []string {
			var s []string
			for _, c := range r.Changes {
				s = append(s, c.From, c.To)
			}
			return s
		}(), " "), "24680")
	}
}

// TestUsersEditWire: the body is the Airflow client's modify — ID, the
// elements that change, one CardAccessLevel per site, Modified — and a
// name left alone is not sent.
func TestUsersEditWire(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	var body string
	f.s.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPut {
			b, _ := io.ReadAll(r.Body)
			body = string(b)
			r.Body = io.NopCloser(strings.NewReader(body))
		}
		return false
	})
	require.NoError(t, f.u.Edit(ctx(t), "TCK-E7", idBruno, entrapass.UserEdit{
		Name: ptr("Bruno Bernard"), Levels: []entrapass.SiteLevel{{Site: siteShop, Level: lvlFullShop}}, ClearSites: []int{siteOffice},
	}))
	assert.Equal(t, "<Card><ID>201</ID><CardAccessLevels>"+
		"<CardAccessLevel><GatewaySiteID>3</GatewaySiteID><AccessLevelID>103</AccessLevelID><State>Modified</State></CardAccessLevel>"+
		"<CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>0</AccessLevelID><State>Modified</State></CardAccessLevel>"+
		"</CardAccessLevels><State>Modified</State></Card>", body)
}

// TestUsersEditValidation: a bad edit is refused naming the field before
// anything is sent.
func TestUsersEditValidation(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	writes := countWrites(f.s)
	before := len(f.s.paths())
	for _, tc := range []struct {
		name   string
		ticket string
		id     int
		e      entrapass.UserEdit
		field  string
	}{
		{"no ticket", "", idBruno, entrapass.UserEdit{Name: ptr("X")}, "ticket"},
		{"no id", "T", 0, entrapass.UserEdit{Name: ptr("X")}, "id"},
		{"nothing to change", "T", idBruno, entrapass.UserEdit{}, "edit"},
		{"empty name", "T", idBruno, entrapass.UserEdit{Name: ptr("  ")}, "Name"},
		{"short PIN", "T", idBruno, entrapass.UserEdit{PIN: ptr("1234")}, "PIN"},
		{"negative card type", "T", idBruno, entrapass.UserEdit{CardType: -1}, "CardType"},
		{"two levels on a site", "T", idBruno, entrapass.UserEdit{Levels: []entrapass.SiteLevel{{Site: 2, Level: 100}, {Site: 2, Level: 101}}}, "Levels[1].Site"},
		{"a site set and cleared", "T", idBruno, entrapass.UserEdit{Levels: []entrapass.SiteLevel{{Site: 2, Level: 100}}, ClearSites: []int{2}}, "ClearSites[0]"},
		{"a site cleared twice", "T", idBruno, entrapass.UserEdit{ClearSites: []int{3, 3}}, "ClearSites[1]"},
		{"a bad card", "T", idBruno, entrapass.UserEdit{AddCards: []string{"12"}}, "AddCards[0]"},
		{"a card twice", "T", idBruno, entrapass.UserEdit{AddCards: []string{"1:2", "01:02"}}, "AddCards[1]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.u.Edit(ctx(t), tc.ticket, tc.id, tc.e)
			var ue *entrapass.UserError
			require.ErrorAs(t, err, &ue)
			assert.Equal(t, tc.field, ue.Field)
		})
	}
	assert.Len(t, f.s.paths(), before, "nothing sent")
	_, err := f.u.Get(ctx(t), idBruno)
	require.NoError(t, err)

	// A card the user holds, or too many cards: refused once the user is
	// read, before any change.
	err = f.u.Edit(ctx(t), "T", idBruno, entrapass.UserEdit{AddCards: []string{"100:1002"}})
	require.ErrorContains(t, err, "already holds card 100:1002")
	err = f.u.Edit(ctx(t), "T", idBruno, entrapass.UserEdit{AddCards: []string{"1:1", "1:2", "1:3", "1:4", "1:5"}})
	require.ErrorContains(t, err, "no free slot for card 1:5")
	assert.Zero(t, writes(), "no change sent")
	assert.Empty(t, readAuditIfAny(t, f.path))
}

// TestUsersEditNotApplied: a server that answers the PUT but does not
// apply it is caught by the read back; the audit line says unknown.
func TestUsersEditNotApplied(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	f.s.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPut {
			return false
		}
		_, _ = w.Write([]byte("<int>201</int>"))
		return true
	})
	err := f.u.Edit(ctx(t), "TCK-E8", idBruno, entrapass.UserEdit{ClearSites: []int{siteOffice}})
	require.ErrorIs(t, err, entrapass.ErrNotApplied)
	assert.Contains(t, err.Error(), "site 2: level 100")
	recs := f.records(t)
	require.Len(t, recs, 1)
	assert.Equal(t, entrapass.AuditUnknown, recs[0].Result)
}

// TestUsersRemoveCard: one card of a user with two is removed: it becomes
// unknown at the readers, the user and the other card stay (UM-DISABLE,
// "remove the card assignment").
func TestUsersRemoveCard(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	id, err := f.u.Add(ctx(t), "TCK-R1", newUser("Two Cards", "100:5201", entrapass.SiteLevel{Site: siteOffice, Level: lvlFullOff}))
	require.NoError(t, err)
	require.NoError(t, f.u.Edit(ctx(t), "TCK-R2", id, entrapass.UserEdit{AddCards: []string{"100:5202"}}))
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:5201", ""))
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:5202", ""))

	require.NoError(t, f.u.RemoveCard(ctx(t), "TCK-R3", id, "100:05201"))
	assert.Equal(t, "unknown-card", f.present(t, rdFrontIn, "100:5201", ""))
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:5202", ""))
	got, err := f.u.Get(ctx(t), id)
	require.NoError(t, err)
	assert.Equal(t, "Two Cards", got.UserName)
	assert.Equal(t, []string{"100:5202"}, got.Cards)
	assert.Equal(t, []int{2}, got.CardSlots)
	assert.Equal(t, []entrapass.SiteLevel{{Site: siteOffice, Level: lvlFullOff}}, got.Levels)
	_, err = f.u.Find(ctx(t), "100:5201")
	require.ErrorIs(t, err, entrapass.ErrCardNotFound)
	found, err := f.u.Find(ctx(t), "100:5202")
	require.NoError(t, err)
	assert.Equal(t, id, found.ID)

	// The freed slot is reused by the next card added.
	require.NoError(t, f.u.Edit(ctx(t), "TCK-R4", id, entrapass.UserEdit{AddCards: []string{"100:5203"}}))
	got, err = f.u.Get(ctx(t), id)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2}, got.CardSlots)

	recs := f.records(t)
	require.Len(t, recs, 4)
	r := recs[2]
	assert.Equal(t, "remove-card", r.Action)
	assert.Equal(t, "100:5201", r.Card)
	assert.Equal(t, "TCK-R3", r.Ticket)
	assert.Equal(t, entrapass.AuditOK, r.Result)
	assert.Equal(t, []entrapass.AuditChange{{Field: "card1", From: "100:5201"}}, r.Changes)

	// A card the user does not hold: refused, nothing changed or audited.
	err = f.u.RemoveCard(ctx(t), "TCK-R5", id, "100:1001")
	require.ErrorIs(t, err, entrapass.ErrCardNotFound)
	assert.Contains(t, err.Error(), "does not hold card 100:1001")
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:1001", ""))
	var ue *entrapass.UserError
	require.ErrorAs(t, f.u.RemoveCard(ctx(t), "TCK-R6", id, "card"), &ue)
	assert.Equal(t, "card", ue.Field)
	assert.Len(t, f.records(t), 4)
}

// viewerSite is the default site with an operator "viewer" holding every
// right but CardRight.
func viewerSite() *sim.SiteFile {
	return siteFile(func(ep *sim.EntraPassSpec) {
		var rights []string
		for _, r := range sim.EntraPassRights {
			if r != entrapass.RightCard {
				rights = append(rights, r)
			}
		}
		ep.Operators = append(ep.Operators, sim.OperatorSpec{ID: 398, Name: "viewer", Password: "viewer", Rights: rights})
	})
}

// TestUsersWithoutCardRight: an operator whose login answer says CardRight
// False changes nothing: every operation is refused before anything is
// sent, naming the right, and nothing is audited.
func TestUsersWithoutCardRight(t *testing.T) {
	f := newUsers(t, viewerSite(), "viewer", "viewer")
	op, ok := f.c.Operator()
	require.True(t, ok)
	held, listed := op.HasRight("cardright")
	assert.True(t, listed)
	assert.False(t, held)
	held, _ = op.HasRight(entrapass.RightCard + "x")
	assert.False(t, held)
	held, _ = op.HasRight("DoorOperationRight")
	assert.True(t, held)

	before := len(f.s.paths())
	checks := map[string]error{}
	_, checks["add"] = f.u.Add(ctx(t), "T", newUser("Nope", "100:5301", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}))
	_, checks["add-temporary"] = f.u.AddTemporary(ctx(t), "T", newUser("Nope", "100:5301", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}), f.s.w.Now().AddDate(0, 0, 1))
	checks["edit"] = f.u.Edit(ctx(t), "T", idBruno, entrapass.UserEdit{Levels: []entrapass.SiteLevel{{Site: siteOffice, Level: lvlFullOff}}})
	checks["remove-card"] = f.u.RemoveCard(ctx(t), "T", idBruno, "100:1002")
	checks["disable"] = f.u.Disable(ctx(t), "T", idBruno)
	checks["remove-access-levels"] = f.u.RemoveAccessLevels(ctx(t), "T", idBruno)
	checks["delete"] = f.u.Delete(ctx(t), "T", idBruno)
	checks["photo"] = f.u.SetPhoto(ctx(t), "T", idBruno, []byte{0xFF, 0xD8, 0xFF, 0xD9})
	_, checks["batch-capture"] = f.u.BatchLoad(ctx(t), "T", 20, f.s.w.Now(), typeEmployee)
	checks["batch-complete"] = f.u.CompleteBatchCard(ctx(t), "T", idBruno, "Bruno", []entrapass.SiteLevel{{Site: siteOffice, Level: lvlOffice}})
	for op, err := range checks {
		var re *entrapass.RightError
		require.ErrorAs(t, err, &re, op)
		assert.ErrorIs(t, err, entrapass.ErrNoRight, op)
		assert.Equal(t, op, re.Op)
		assert.Equal(t, "CardRight", re.Right)
		assert.Equal(t, "viewer", re.Operator)
		assert.Contains(t, err.Error(), `operator "viewer" does not have the right CardRight`)
		assert.Nil(t, re.Err, "%s: refused before anything was sent", op)
	}
	assert.Len(t, f.s.paths(), before, "nothing sent")
	assert.Empty(t, readAuditIfAny(t, f.path), "nothing audited")
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:1002", ""))

	// Reading is allowed.
	u, err := f.u.Get(ctx(t), idBruno)
	require.NoError(t, err)
	assert.Equal(t, "Bruno Bernard", u.UserName)
}

// TestUsersServerRefusesForARight: when the login answer did not say so
// (it listed no right) the server's refusal is reported the same way,
// carrying the fault, and not audited.
func TestUsersServerRefusesForARight(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	refusal := (&wire.Fault{Message: entrapass.CodeRightDenied, VisibleMessage: "Operator pacsim does not have the right CardRight: card users cannot be modified."}).Marshal()
	f.s.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodGet {
			return false
		}
		_, _ = w.Write(refusal)
		return true
	})
	for op, err := range map[string]error{
		"edit":   f.u.Edit(ctx(t), "T", idBruno, entrapass.UserEdit{ClearSites: []int{siteOffice}}),
		"delete": f.u.Delete(ctx(t), "T", idBruno),
		"add": func() error {
			_, err := f.u.Add(ctx(t), "T", newUser("Nope", "100:5301", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}))
			return err
		}(),
	} {
		var re *entrapass.RightError
		require.ErrorAs(t, err, &re, op)
		assert.Equal(t, "CardRight", re.Right)
		var fault *entrapass.Fault
		require.ErrorAs(t, err, &fault, op)
		assert.Equal(t, entrapass.CodeRightDenied, fault.Code)
		assert.Contains(t, err.Error(), "does not have the right CardRight")
	}
	assert.Empty(t, readAuditIfAny(t, f.path))
	assert.Equal(t, "granted", f.present(t, rdOffice, "100:1002", "12345"))
}

// The real product's StandardFault refusing for a right is not known; the
// simulator's is recognised by its code whatever the case.
func TestFaultIsNoRight(t *testing.T) {
	assert.True(t, errors.Is(&entrapass.Fault{Code: "operator_right_denied"}, entrapass.ErrNoRight))
	assert.False(t, errors.Is(&entrapass.Fault{Code: entrapass.CodeInvalidParameter}, entrapass.ErrNoRight))
}

// countWrites counts, from now on, the requests other than GET the site
// receives (it installs an interceptor that answers none).
func countWrites(s *site) func() int {
	var mu sync.Mutex
	n := 0
	s.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet {
			mu.Lock()
			n++
			mu.Unlock()
		}
		return false
	})
	return func() int {
		mu.Lock()
		defer mu.Unlock()
		return n
	}
}

// readAuditIfAny reads the audit file, which may be empty.
func readAuditIfAny(t *testing.T, path string) []entrapass.AuditRecord {
	t.Helper()
	return readAudit(t, path)
}
