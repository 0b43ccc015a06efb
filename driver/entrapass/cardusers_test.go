package entrapass_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
)

// More IDs of the default site.
const (
	doorServer   = 22 // reader 33, keypad; not in Office only
	rdServerRoom = 33
	siteShop     = 3
	lvlOffice    = 100 // Office only (site 2): doors 20, 21, 23, business hours
	lvlFullOff   = 101 // Full Access (site 2): doors 20–23, always
	lvlFullShop  = 103 // Full Access (site 3): doors 24–27, always
	typeEmployee = 90
	idAlice      = 200
	idBruno      = 201
)

// usersFixture is a logged-in client, its Users and the audit file.
type usersFixture struct {
	s     *site
	c     *entrapass.Client
	u     *entrapass.Users
	audit *entrapass.Audit
	path  string
}

func newUsers(t *testing.T, sf *sim.SiteFile, user, password string) *usersFixture {
	t.Helper()
	s := newSite(t, sf)
	c := newClient(t, s, user, password)
	_, err := c.Login(ctx(t))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	a, err := entrapass.OpenAudit(path)
	require.NoError(t, err)
	t.Cleanup(func() { a.Close() })
	u, err := entrapass.NewUsers(c, a, "jane.admin")
	require.NoError(t, err)
	return &usersFixture{s: s, c: c, u: u, audit: a, path: path}
}

// present presents card at reader and returns the outcome as the card
// holder sees it: "granted" or the denial reason.
func (f *usersFixture) present(t *testing.T, reader int, card, pin string) string {
	t.Helper()
	p, err := f.s.w.PresentCard(sim.ID(reader), card, pin)
	require.NoError(t, err)
	if p.Granted {
		return "granted"
	}
	return p.Reason.String()
}

// records reads the audit file back, line by line.
func (f *usersFixture) records(t *testing.T) []entrapass.AuditRecord {
	t.Helper()
	return readAudit(t, f.path)
}

func readAudit(t *testing.T, path string) []entrapass.AuditRecord {
	t.Helper()
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	var out []entrapass.AuditRecord
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var r entrapass.AuditRecord
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&r), "line %q", sc.Text())
		tm, err := time.Parse(time.RFC3339, r.Time)
		require.NoError(t, err)
		assert.True(t, strings.HasSuffix(r.Time, "Z"), "time %q is UTC", r.Time)
		assert.WithinDuration(t, time.Now(), tm, time.Minute)
		out = append(out, r)
	}
	require.NoError(t, sc.Err())
	return out
}

func change(r entrapass.AuditRecord, field string) (entrapass.AuditChange, bool) {
	for _, c := range r.Changes {
		if c.Field == field {
			return c, true
		}
	}
	return entrapass.AuditChange{}, false
}

func newUser(name, card string, levels ...entrapass.SiteLevel) entrapass.NewUser {
	return entrapass.NewUser{Name: name, Card: card, CardType: typeEmployee, Levels: levels}
}

// TestUsersAdd: a user added with an Office only level is granted at a door
// of the level and denied at a door outside it (UM-ADD, UM-ACCESS-LEVEL);
// before the add the card was unknown. Get and Find read it back.
func TestUsersAdd(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	const card = "100:5001"
	assert.Equal(t, "unknown-card", f.present(t, rdFrontIn, card, ""))

	id, err := f.u.Add(ctx(t), "TCK-1", newUser("Zoe Test", "100:05001", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}))
	require.NoError(t, err)
	require.Positive(t, id)

	assert.Equal(t, "granted", f.present(t, rdFrontIn, card, ""))
	assert.Equal(t, "no-access-level", f.present(t, rdServerRoom, card, ""))

	got, err := f.u.Get(ctx(t), id)
	require.NoError(t, err)
	assert.Equal(t, id, got.ID)
	assert.Equal(t, "Zoe Test", got.UserName)
	assert.Equal(t, typeEmployee, got.CardType)
	assert.Equal(t, []string{card}, got.Cards)
	assert.Equal(t, "Valid", got.State)
	assert.False(t, got.HasPIN)
	assert.False(t, got.UsingEndDate)
	assert.Equal(t, []entrapass.SiteLevel{{Site: siteOffice, Level: lvlOffice}}, got.Levels)

	found, err := f.u.Find(ctx(t), card)
	require.NoError(t, err)
	assert.Equal(t, got, found)
	// A prefix of another card is not that card.
	_, err = f.u.Find(ctx(t), "100:500")
	assert.ErrorIs(t, err, entrapass.ErrCardNotFound)
	alice, err := f.u.Find(ctx(t), cardAlice)
	require.NoError(t, err)
	assert.Equal(t, idAlice, alice.ID)

	recs := f.records(t)
	require.Len(t, recs, 1)
	r := recs[0]
	assert.Equal(t, "add", r.Action)
	assert.Equal(t, "jane.admin", r.Operator)
	assert.Equal(t, id, r.UserID)
	assert.Equal(t, card, r.Card)
	assert.Equal(t, "TCK-1", r.Ticket)
	assert.Equal(t, entrapass.AuditOK, r.Result)
	c, ok := change(r, "access_levels")
	require.True(t, ok)
	assert.Equal(t, "site 2: level 100", c.To)
	c, _ = change(r, "name")
	assert.Equal(t, "Zoe Test", c.To)
}

// TestUsersPIN: a PIN of 5 digits is asked for at a keypad reader
// (UM-PIN); 1234 and 12a45 are refused before anything is sent.
func TestUsersPIN(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	for _, pin := range []string{"1234", "12a45", "123456", " 12345"} {
		n := len(f.s.paths())
		u := newUser("Pin Test", "100:5002", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice})
		u.PIN = pin
		_, err := f.u.Add(ctx(t), "TCK-2", u)
		var ue *entrapass.UserError
		require.ErrorAs(t, err, &ue, pin)
		assert.Equal(t, "PIN", ue.Field)
		assert.ErrorIs(t, err, entrapass.ErrInvalidUser)
		assert.Equal(t, n, len(f.s.paths()), "nothing sent for PIN %q", pin)
	}
	assert.Empty(t, f.records(t), "a request refused before sending changes nothing and is not recorded")

	u := newUser("Pin Test", "100:5002", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice})
	u.PIN = "24680"
	id, err := f.u.Add(ctx(t), "TCK-2", u)
	require.NoError(t, err)
	assert.Equal(t, "pin-required", f.present(t, rdOffice, "100:5002", ""))
	assert.Equal(t, "pin-wrong", f.present(t, rdOffice, "100:5002", "11111"))
	assert.Equal(t, "granted", f.present(t, rdOffice, "100:5002", "24680"))
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:5002", ""), "no keypad, no PIN asked")
	got, err := f.u.Get(ctx(t), id)
	require.NoError(t, err)
	assert.True(t, got.HasPIN)
	assert.True(t, got.WaitForKeypad)

	// The PIN is never written to the audit trail.
	data, err := os.ReadFile(f.path)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "24680")
	c, ok := change(f.records(t)[0], "pin")
	require.True(t, ok)
	assert.Equal(t, "set", c.To)
}

// TestUsersValidation: every invalid field is refused before anything is
// sent, with an error naming it.
func TestUsersValidation(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	lv := entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}
	ok := newUser("Val Test", "100:5003", lv)
	with := func(edit func(u *entrapass.NewUser)) entrapass.NewUser {
		u := ok
		u.Levels = append([]entrapass.SiteLevel(nil), ok.Levels...)
		edit(&u)
		return u
	}
	cases := []struct {
		field string
		call  func() error
	}{
		{"ticket", func() error { _, err := f.u.Add(ctx(t), "", ok); return err }},
		{"Name", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.Name = "  " }))
			return err
		}},
		{"Name", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.Name = "a\x00b" }))
			return err
		}},
		{"Card", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.Card = "" }))
			return err
		}},
		{"Card", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.Card = "1001" }))
			return err
		}},
		{"Card", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.Card = "70000:1" }))
			return err
		}},
		{"Card", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.Card = "100:-1" }))
			return err
		}},
		{"CardType", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.CardType = 0 }))
			return err
		}},
		{"Levels", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.Levels = nil }))
			return err
		}},
		{"Levels[0].Level", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.Levels[0].Level = 0 }))
			return err
		}},
		{"Levels[1].Site", func() error {
			_, err := f.u.Add(ctx(t), "T", with(func(u *entrapass.NewUser) { u.Levels = append(u.Levels, lv) }))
			return err
		}},
		{"end", func() error { _, err := f.u.AddTemporary(ctx(t), "T", ok, time.Time{}); return err }},
		{"id", func() error { return f.u.Disable(ctx(t), "T", 0) }},
		{"ticket", func() error { return f.u.Disable(ctx(t), " ", idAlice) }},
		{"id", func() error { return f.u.RemoveAccessLevels(ctx(t), "T", -3) }},
		{"id", func() error { return f.u.Delete(ctx(t), "T", 0) }},
		{"door", func() error { _, err := f.u.BatchLoad(ctx(t), "T", 0, time.Now(), typeEmployee); return err }},
		{"since", func() error { _, err := f.u.BatchLoad(ctx(t), "T", doorFront, time.Time{}, typeEmployee); return err }},
		{"cardType", func() error { _, err := f.u.BatchLoad(ctx(t), "T", doorFront, time.Now(), 0); return err }},
		{"name", func() error { return f.u.CompleteBatchCard(ctx(t), "T", 300, "", []entrapass.SiteLevel{lv}) }},
		{"Levels", func() error { return f.u.CompleteBatchCard(ctx(t), "T", 300, "N", nil) }},
		{"card", func() error { _, err := f.u.Find(ctx(t), "abc"); return err }},
	}
	n := len(f.s.paths())
	for i, tc := range cases {
		err := tc.call()
		var ue *entrapass.UserError
		require.ErrorAs(t, err, &ue, "case %d", i)
		assert.Equal(t, tc.field, ue.Field, "case %d: %v", i, err)
		assert.Contains(t, err.Error(), tc.field)
	}
	assert.Equal(t, n, len(f.s.paths()), "nothing was sent")
	assert.Empty(t, f.records(t))

	_, err := entrapass.NewUsers(f.c, f.audit, "")
	var ue *entrapass.UserError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "operator", ue.Field)
	_, err = entrapass.NewUsers(f.c, nil, "x")
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "audit", ue.Field)
}

// TestUsersDisable: a disabled card is denied at once (card invalid); the
// user and its history stay (UM-DISABLE).
func TestUsersDisable(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	id, err := f.u.Add(ctx(t), "TCK-3", newUser("Dis Test", "100:5004", entrapass.SiteLevel{Site: siteOffice, Level: lvlFullOff}))
	require.NoError(t, err)
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:5004", ""))

	require.NoError(t, f.u.Disable(ctx(t), "TCK-4", id))
	assert.Equal(t, "card-invalid", f.present(t, rdFrontIn, "100:5004", ""))
	got, err := f.u.Get(ctx(t), id)
	require.NoError(t, err, "the user is kept")
	assert.Equal(t, "Invalid", got.State)
	assert.Equal(t, []entrapass.SiteLevel{{Site: siteOffice, Level: lvlFullOff}}, got.Levels, "only the state changed")

	// Its history is kept: the grant before and the denial after.
	evs, err := f.c.EventHistory(ctx(t), f.s.w.Now())
	require.NoError(t, err)
	var texts []string
	for _, e := range evs {
		if e.P3 == "100:5004" {
			texts = append(texts, e.Text)
		}
	}
	assert.Equal(t, []string{"Access granted", "Access denied - card invalid"}, texts)

	recs := f.records(t)
	require.Len(t, recs, 2)
	r := recs[1]
	assert.Equal(t, "disable", r.Action)
	assert.Equal(t, id, r.UserID)
	assert.Equal(t, "100:5004", r.Card)
	assert.Equal(t, "TCK-4", r.Ticket)
	assert.Equal(t, []entrapass.AuditChange{{Field: "state", From: "Valid", To: "Invalid"}}, r.Changes)
}

// TestUsersRemoveAccessLevels: clearing the levels of a user with levels
// on two sites leaves no residual access (UM-REMOVE-LEVELS).
func TestUsersRemoveAccessLevels(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	id, err := f.u.Add(ctx(t), "TCK-5", newUser("Rem Test", "100:5005",
		entrapass.SiteLevel{Site: siteOffice, Level: lvlFullOff}, entrapass.SiteLevel{Site: siteShop, Level: lvlFullShop}))
	require.NoError(t, err)
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:5005", ""))
	assert.Equal(t, "granted", f.present(t, rdShopIn, "100:5005", ""))

	require.NoError(t, f.u.RemoveAccessLevels(ctx(t), "TCK-6", id))
	assert.Equal(t, "no-access-level", f.present(t, rdFrontIn, "100:5005", ""))
	assert.Equal(t, "no-access-level", f.present(t, rdShopIn, "100:5005", ""))
	got, err := f.u.Get(ctx(t), id)
	require.NoError(t, err)
	assert.Empty(t, got.Levels)
	assert.Equal(t, "Valid", got.State)
	doors, err := f.u.DoorsOf(ctx(t), id)
	require.NoError(t, err)
	assert.Empty(t, doors)

	// Again: nothing to clear, still recorded, still no error.
	require.NoError(t, f.u.RemoveAccessLevels(ctx(t), "TCK-6b", id))

	recs := f.records(t)
	require.Len(t, recs, 3)
	assert.Equal(t, "remove-access-levels", recs[1].Action)
	assert.Equal(t, []entrapass.AuditChange{{Field: "access_levels", From: "site 2: level 101, site 3: level 103", To: ""}}, recs[1].Changes)
	assert.Equal(t, entrapass.AuditOK, recs[2].Result)
}

// TestUsersDelete: a deleted user's card becomes unknown; the audit
// history stays (UM-DELETE). Deleting it again fails and is recorded as
// failed.
func TestUsersDelete(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	id, err := f.u.Add(ctx(t), "TCK-7", newUser("Del Test", "100:5006", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}))
	require.NoError(t, err)
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:5006", ""))

	require.NoError(t, f.u.Delete(ctx(t), "TCK-8", id))
	assert.Equal(t, "unknown-card", f.present(t, rdFrontIn, "100:5006", ""))
	_, err = f.u.Get(ctx(t), id)
	var fault *entrapass.Fault
	require.ErrorAs(t, err, &fault)
	assert.Equal(t, entrapass.CodeComponentNotExist, fault.Code)
	_, err = f.u.Find(ctx(t), "100:5006")
	assert.ErrorIs(t, err, entrapass.ErrCardNotFound)
	// The event history of the card stays: granted to the user, then unknown.
	evs, err := f.c.EventHistory(ctx(t), f.s.w.Now())
	require.NoError(t, err)
	var seen []string
	for _, e := range evs {
		if e.P3 == "100:5006" {
			seen = append(seen, e.Text+"/"+e.P2)
		}
	}
	assert.Equal(t, []string{"Access granted/Del Test", "Access denied - unknown card/"}, seen)

	err = f.u.Delete(ctx(t), "TCK-9", id)
	require.ErrorAs(t, err, &fault)

	recs := f.records(t)
	require.Len(t, recs, 3)
	assert.Equal(t, "delete", recs[1].Action)
	assert.Equal(t, "100:5006", recs[1].Card)
	assert.Equal(t, []entrapass.AuditChange{{Field: "user", From: "Del Test", To: "deleted"}}, recs[1].Changes)
	assert.Equal(t, entrapass.AuditOK, recs[1].Result)
	assert.Equal(t, "delete", recs[2].Action)
	assert.Equal(t, "TCK-9", recs[2].Ticket)
	assert.Equal(t, entrapass.AuditFailed, recs[2].Result)
	assert.Contains(t, recs[2].Error, entrapass.CodeComponentNotExist)
}

// TestUsersAddTemporary: a temporary user is granted until its end date,
// then denied as expired without any further request (UM-TEMPORARY).
func TestUsersAddTemporary(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	end := f.s.w.Now().Add(2 * time.Hour).In(f.s.w.Location())
	id, err := f.u.AddTemporary(ctx(t), "TCK-10", newUser("Temp Test", "100:5007", entrapass.SiteLevel{Site: siteOffice, Level: lvlFullOff}), end)
	require.NoError(t, err)
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:5007", ""))
	got, err := f.u.Get(ctx(t), id)
	require.NoError(t, err)
	assert.True(t, got.UsingEndDate)
	assert.Equal(t, end.Format(time.DateTime), got.EndDate.Format(time.DateTime))

	n := len(f.s.paths())
	f.clkAdvance(2*time.Hour + time.Minute)
	assert.Equal(t, "card-expired", f.present(t, rdFrontIn, "100:5007", ""))
	assert.Equal(t, n, len(f.s.paths()), "the server revoked it by itself")
	got, err = f.u.Get(ctx(t), id)
	require.NoError(t, err)
	assert.Equal(t, "Expired", got.State)

	r := f.records(t)[0]
	assert.Equal(t, "add-temporary", r.Action)
	c, ok := change(r, "end_date")
	require.True(t, ok)
	assert.Equal(t, end.Format(time.DateTime), c.To)
}

func (f *usersFixture) clkAdvance(d time.Duration) {
	f.s.w.Clock().(*sim.ManualClock).Advance(d)
}

// TestUsersBatchLoad: two unknown cards presented at the Front Door are
// captured as placeholder users that open nothing; named and given a level,
// they are granted (UM-BATCH-LOAD). Cards presented elsewhere or before the
// start time are not captured.
func TestUsersBatchLoad(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	assert.Equal(t, "unknown-card", f.present(t, rdFrontIn, "100:7000", ""), "before the start")
	f.clkAdvance(time.Minute)
	since := f.s.w.Now()
	assert.Equal(t, "unknown-card", f.present(t, rdFrontIn, "100:7001", ""))
	assert.Equal(t, "unknown-card", f.present(t, rdFrontOut, "100:7002", ""), "the door's other reader")
	assert.Equal(t, "unknown-card", f.present(t, rdFrontIn, "100:7001", ""), "presented twice")
	assert.Equal(t, "unknown-card", f.present(t, rdShopIn, "100:7003", ""), "another door")
	assert.Equal(t, "granted", f.present(t, rdFrontIn, cardAlice, ""), "a known card")

	got, err := f.u.BatchLoad(ctx(t), "TCK-11", doorFront, since, typeEmployee)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "100:7001", got[0].Card)
	assert.Equal(t, "100:7002", got[1].Card)
	for _, bc := range got {
		require.NoError(t, bc.Err)
		require.Positive(t, bc.ID)
		assert.Equal(t, entrapass.BatchPlaceholder+bc.Card, bc.Name)
		assert.Equal(t, "no-access-level", f.present(t, rdFrontIn, bc.Card, ""), "captured, but opens nothing yet")
	}

	// Running it again captures nothing new: the cards are held now.
	again, err := f.u.BatchLoad(ctx(t), "TCK-11", doorFront, since, typeEmployee)
	require.NoError(t, err)
	for _, bc := range again {
		assert.Zero(t, bc.ID)
		assert.Error(t, bc.Err)
	}

	require.NoError(t, f.u.CompleteBatchCard(ctx(t), "TCK-12", got[0].ID, "Batch One", []entrapass.SiteLevel{{Site: siteOffice, Level: lvlOffice}}))
	require.NoError(t, f.u.CompleteBatchCard(ctx(t), "TCK-12", got[1].ID, "Batch Two", []entrapass.SiteLevel{{Site: siteShop, Level: lvlFullShop}}))
	assert.Equal(t, "granted", f.present(t, rdFrontIn, "100:7001", ""))
	assert.Equal(t, "no-access-level", f.present(t, rdFrontIn, "100:7002", ""))
	assert.Equal(t, "granted", f.present(t, rdShopIn, "100:7002", ""))
	u, err := f.u.Get(ctx(t), got[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "Batch One", u.UserName)

	var actions []string
	for _, r := range f.records(t) {
		actions = append(actions, r.Action+" "+r.Card+" "+r.Result)
	}
	assert.Equal(t, []string{
		"batch-capture 100:7001 ok", "batch-capture 100:7002 ok",
		"batch-complete 100:7001 ok", "batch-complete 100:7002 ok",
	}, actions)
}

// TestUsersDoorsOf: Full Access on both sites lists all eight doors, Office
// only its three (UM-TS-TOO-MANY-DOORS).
func TestUsersDoorsOf(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	names := func(ds []entrapass.UserDoor) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Name)
		}
		return out
	}
	alice, err := f.u.DoorsOf(ctx(t), idAlice)
	require.NoError(t, err)
	assert.Equal(t, []string{"Front Door", "Office Door", "Server Room", "Back Door",
		"Shop Front", "Shop Back", "Warehouse", "Loading Dock"}, names(alice))
	assert.Equal(t, "Full Access", alice[0].LevelName)
	assert.Equal(t, siteShop, alice[7].Site)

	bruno, err := f.u.DoorsOf(ctx(t), idBruno)
	require.NoError(t, err)
	assert.Equal(t, []string{"Front Door", "Office Door", "Back Door"}, names(bruno))
	assert.Equal(t, entrapass.UserDoor{DoorID: doorFront, Name: "Front Door", Site: siteOffice, Level: lvlOffice, LevelName: "Office only", Schedule: 81}, bruno[0])
	assert.Empty(t, f.records(t), "reads are not recorded")
}

// TestUsersServerRefusal: a change the server refuses (a user name taken)
// is returned as its fault and recorded as failed.
func TestUsersServerRefusal(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	_, err := f.u.Add(ctx(t), "TCK-13", newUser("Alice Martin", "100:5008", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice}))
	var fault *entrapass.Fault
	require.ErrorAs(t, err, &fault)
	assert.Equal(t, entrapass.CodeInvalidParameter, fault.Code)
	assert.Contains(t, fault.Message, "UserName")
	assert.Equal(t, "unknown-card", f.present(t, rdFrontIn, "100:5008", ""))

	// An access level of another site: refused by the server.
	_, err = f.u.Add(ctx(t), "TCK-14", newUser("Wrong Site", "100:5009", entrapass.SiteLevel{Site: siteShop, Level: lvlOffice}))
	require.ErrorAs(t, err, &fault)

	recs := f.records(t)
	require.Len(t, recs, 2)
	for _, r := range recs {
		assert.Equal(t, entrapass.AuditFailed, r.Result)
		assert.Zero(t, r.UserID)
		assert.NotEmpty(t, r.Error)
	}
	assert.Equal(t, "100:5008", recs[0].Card)
}

// TestAuditAppendsAndKeepsSecrets: reopening the file appends; neither the
// password, nor a session key, nor a PIN is ever written.
func TestAuditAppendsAndKeepsSecrets(t *testing.T) {
	const password = "Audit-Secret-Pw-93"
	f := newUsers(t, withOperator("auditop", password), "auditop", password)
	u := newUser("Secret Test", "100:5010", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice})
	u.PIN = "97531"
	id, err := f.u.Add(ctx(t), "TCK-15", u)
	require.NoError(t, err)
	require.NoError(t, f.audit.Close())
	assert.True(t, errors.Is(f.audit.Record(entrapass.AuditRecord{}), entrapass.ErrAuditClosed))

	a2, err := entrapass.OpenAudit(f.path)
	require.NoError(t, err)
	defer a2.Close()
	u2, err := entrapass.NewUsers(f.c, a2, "john.admin")
	require.NoError(t, err)
	require.NoError(t, u2.Disable(ctx(t), "TCK-16", id))
	// A failed call carries the error, whose URL is redacted.
	require.Error(t, u2.Delete(ctx(t), "TCK-17", 99999))

	recs := f.records(t)
	require.Len(t, recs, 3)
	assert.Equal(t, "jane.admin", recs[0].Operator)
	assert.Equal(t, "john.admin", recs[1].Operator)
	assert.Equal(t, "disable", recs[1].Action)
	assert.Equal(t, entrapass.AuditFailed, recs[2].Result)
	assert.Contains(t, recs[2].Error, entrapass.Redacted)

	data, err := os.ReadFile(f.path)
	require.NoError(t, err)
	assert.NotContains(t, string(data), password)
	assert.NotContains(t, string(data), "97531")
	keys := f.s.sessionKeys()
	require.NotEmpty(t, keys)
	for _, k := range keys {
		assert.NotContains(t, string(data), k)
	}
	fi, err := os.Stat(f.path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
}

// TestUsersWire: what goes on the wire — <Card> bodies in the order of
// SPEC §2, no namespace, Added on create, Modified with the ID on update,
// AccessLevelID 0 per site to clear, and DELETE Cards/{id}.
func TestUsersWire(t *testing.T) {
	f := newUsers(t, nil, "pacsim", "pacsim")
	var mu sync.Mutex
	var sent []string
	f.s.setIntercept(func(w http.ResponseWriter, r *http.Request) bool {
		if strings.Contains(strings.ToLower(r.URL.Path), "/cards/") && r.Method != http.MethodGet {
			b, err := io.ReadAll(r.Body)
			require.NoError(t, err)
			r.Body = io.NopCloser(bytes.NewReader(b))
			mu.Lock()
			sent = append(sent, r.Method+" "+r.URL.Path[strings.LastIndex(r.URL.Path, "/Cards/"):]+" "+string(b))
			mu.Unlock()
		}
		return false
	})
	u := newUser("Wire & <Test>", "100:5011", entrapass.SiteLevel{Site: siteOffice, Level: lvlOffice})
	u.PIN = "13579"
	id, err := f.u.AddTemporary(ctx(t), "TCK-18", u, time.Date(2026, 1, 6, 18, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	require.NoError(t, f.u.Disable(ctx(t), "TCK-19", id))
	require.NoError(t, f.u.RemoveAccessLevels(ctx(t), "TCK-20", id))
	require.NoError(t, f.u.Delete(ctx(t), "TCK-21", id))
	ids := strconv.Itoa(id)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{
		"POST /Cards/0 <Card><UserName>Wire &amp; &lt;Test&gt;</UserName><CardType>90</CardType><CardNumber1>100:5011</CardNumber1>" +
			"<DisplayCardNumber1>True</DisplayCardNumber1><CardState1>Valid</CardState1><CardState>Valid</CardState>" +
			"<EndDate>2026-01-06 18:00:00</EndDate><UsingEndDate>True</UsingEndDate><Nip>13579</Nip><WaitForKeypad>True</WaitForKeypad>" +
			"<CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>100</AccessLevelID><State>Added</State></CardAccessLevel></CardAccessLevels>" +
			"<State>Added</State></Card>",
		"PUT /Cards/" + ids + " <Card><ID>" + ids + "</ID><CardState>Invalid</CardState><CardStateAsString>Invalid</CardStateAsString><State>Modified</State></Card>",
		"PUT /Cards/" + ids + " <Card><ID>" + ids + "</ID><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>0</AccessLevelID><State>Modified</State></CardAccessLevel></CardAccessLevels><State>Modified</State></Card>",
		"DELETE /Cards/" + ids + " ",
	}, sent)
}
