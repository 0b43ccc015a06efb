package steps

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
)

// tableRows is a two-column key/value table.
type tableRows [][2]string

func keyValues(t *godog.Table) (tableRows, error) {
	if t == nil {
		return nil, errors.New("the step needs a table of | field | value | rows")
	}
	var out tableRows
	for _, r := range t.Rows {
		if len(r.Cells) != 2 {
			return nil, fmt.Errorf("each row of the table has two cells (field, value); one has %d", len(r.Cells))
		}
		out = append(out, [2]string{strings.TrimSpace(r.Cells[0].Value), strings.TrimSpace(r.Cells[1].Value)})
	}
	return out, nil
}

// newUser reads a card user from a key/value table: card, card type,
// access level and site (a pair per site, repeatable: each site row takes
// the access level given before it), PIN (optional), email (optional).
func (w *World) newUser(name string, rows tableRows) (entrapass.NewUser, error) {
	u := entrapass.NewUser{Name: name}
	var levelName, siteName string
	pair := func() error {
		if levelName == "" || siteName == "" {
			return nil
		}
		site, err := siteIDIn(w.sf, siteName)
		if err != nil {
			return err
		}
		lvl, err := levelIn(w.sf, levelName, site)
		if err != nil {
			return err
		}
		u.Levels = append(u.Levels, entrapass.SiteLevel{Site: int(site), Level: lvl})
		levelName, siteName = "", ""
		return nil
	}
	for _, r := range rows {
		switch strings.ToLower(r[0]) {
		case "card":
			u.Card = r[1]
		case "card type":
			ct, err := cardTypeIn(w.sf, r[1])
			if err != nil {
				return u, err
			}
			u.CardType = ct
		case "access level":
			levelName = r[1]
		case "site":
			siteName = r[1]
		case "pin":
			u.PIN = r[1]
		case "email":
			u.Email = r[1]
		default:
			return u, fmt.Errorf("unknown card-user field %q (card, card type, access level, site, PIN, email)", r[0])
		}
		if err := pair(); err != nil {
			return u, err
		}
	}
	if levelName != "" || siteName != "" {
		return u, fmt.Errorf("an access level needs its site and a site its access level (got access level %q, site %q)", levelName, siteName)
	}
	return u, nil
}

func (w *World) addUser(name, ticket string, t *godog.Table, end time.Time) error {
	us, err := w.cardUsers()
	if err != nil {
		return err
	}
	rows, err := keyValues(t)
	if err != nil {
		return err
	}
	u, err := w.newUser(name, rows)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	w.cmdMark = w.requestCount()
	var id int
	if end.IsZero() {
		id, err = us.Add(ctx, ticket, u)
	} else {
		id, err = us.AddTemporary(ctx, ticket, u, end)
	}
	w.userErr = err
	if err == nil {
		w.userIDs[strings.TrimSpace(u.Card)] = id
	}
	_ = w.poll()
	return nil
}

func (w *World) userAdded(name, ticket string, t *godog.Table) error {
	if err := w.addUser(name, ticket, t, time.Time{}); err != nil {
		return err
	}
	if w.userErr != nil {
		return fmt.Errorf("adding card user %q failed: %w", name, w.userErr)
	}
	return nil
}

func (w *World) tempUserAdded(name string, days int, ticket string, t *godog.Table) error {
	if err := w.needSite(); err != nil {
		return err
	}
	end := w.clk.Now().In(w.w.Location()).AddDate(0, 0, days)
	if err := w.addUser(name, ticket, t, end); err != nil {
		return err
	}
	if w.userErr != nil {
		return fmt.Errorf("adding temporary card user %q failed: %w", name, w.userErr)
	}
	return nil
}

func (w *World) userRefused(name, ticket, field string, t *godog.Table) error {
	if err := w.addUser(name, ticket, t, time.Time{}); err != nil {
		return err
	}
	if w.userErr == nil {
		return fmt.Errorf("adding card user %q was accepted; expected a refusal naming %q", name, field)
	}
	var ue *entrapass.UserError
	if !errors.As(w.userErr, &ue) {
		return fmt.Errorf("adding card user %q failed, but not with a validation error: %v", name, w.userErr)
	}
	if !strings.EqualFold(ue.Field, field) {
		return fmt.Errorf("the refusal names %q, expected %q: %v", ue.Field, field, w.userErr)
	}
	for _, r := range w.requestsSince(w.cmdMark) {
		if strings.Contains(r, "/Cards") {
			return fmt.Errorf("the server received %s before the refusal", r)
		}
	}
	return nil
}

// userID finds the card user holding card: one the scenario added, or any
// heldUser returns the card user holding card and the driver's card user
// API to act on it.
func (w *World) heldUser(card string) (int, *entrapass.Users, error) {
	id, err := w.userID(card)
	if err != nil {
		return 0, nil, err
	}
	us, err := w.cardUsers()
	if err != nil {
		return 0, nil, err
	}
	return id, us, nil
}

// on the server.
func (w *World) userID(card string) (int, error) {
	if id, ok := w.userIDs[card]; ok {
		return id, nil
	}
	us, err := w.cardUsers()
	if err != nil {
		return 0, err
	}
	ctx, cancel := ctxT()
	defer cancel()
	u, err := us.Find(ctx, card)
	if err != nil {
		return 0, fmt.Errorf("finding the card user of card %s: %w", card, err)
	}
	return u.ID, nil
}

func (w *World) userOp(card, ticket string, op func(*entrapass.Users, int) error) error {
	id, us, err := w.heldUser(card)
	if err != nil {
		return err
	}
	if err := op(us, id); err != nil {
		return err
	}
	_ = w.poll()
	return nil
}

func (w *World) userDisabled(card, ticket string) error {
	return w.userOp(card, ticket, func(us *entrapass.Users, id int) error {
		ctx, cancel := ctxT()
		defer cancel()
		return us.Disable(ctx, ticket, id)
	})
}

func (w *World) userLevelsRemoved(card, ticket string) error {
	return w.userOp(card, ticket, func(us *entrapass.Users, id int) error {
		ctx, cancel := ctxT()
		defer cancel()
		return us.RemoveAccessLevels(ctx, ticket, id)
	})
}

func (w *World) userDeleted(card, ticket string) error {
	return w.userOp(card, ticket, func(us *entrapass.Users, id int) error {
		ctx, cancel := ctxT()
		defer cancel()
		return us.Delete(ctx, ticket, id)
	})
}

// scenarioPhoto is the photo the steps store: a small JPEG (SOI, a JFIF
// APP0 segment, EOI).
var scenarioPhoto = []byte{
	0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
	0xFF, 0xD9,
}

// photoStored stores a photo with the card user of card (UM-PHOTO), then
// reads it back: the server must give the same JPEG.
func (w *World) photoStored(card, ticket string) error {
	return w.userOp(card, ticket, func(us *entrapass.Users, id int) error {
		ctx, cancel := ctxT()
		defer cancel()
		if err := us.SetPhoto(ctx, ticket, id, scenarioPhoto); err != nil {
			return fmt.Errorf("storing a photo for the card user of card %s: %w", card, err)
		}
		got, err := us.Photo(ctx, id)
		if err != nil {
			return fmt.Errorf("reading back the photo of the card user of card %s: %w", card, err)
		}
		if !bytes.Equal(got, scenarioPhoto) {
			return fmt.Errorf("the photo read back of the card user of card %s is %d bytes, not the %d stored", card, len(got), len(scenarioPhoto))
		}
		return nil
	})
}

func (w *World) userState(card, state string) error {
	id, err := w.userID(card)
	if err != nil {
		return err
	}
	us, _ := w.cardUsers()
	ctx, cancel := ctxT()
	defer cancel()
	u, err := us.Get(ctx, id)
	if err != nil {
		return err
	}
	// The card's own state reaches the view: a StolenLost card of a Valid
	// user is StolenLost (issue 22).
	if got := u.StateOf(card); got != state {
		return fmt.Errorf("the card user of card %s (%q) is %q, expected %q", card, u.UserName, got, state)
	}
	return nil
}

func (w *World) userNoLevel(card string) error {
	id, err := w.userID(card)
	if err != nil {
		return err
	}
	us, _ := w.cardUsers()
	ctx, cancel := ctxT()
	defer cancel()
	u, err := us.Get(ctx, id)
	if err != nil {
		return err
	}
	if len(u.Levels) > 0 {
		return fmt.Errorf("the card user of card %s still holds access levels %v", card, u.Levels)
	}
	return nil
}

func (w *World) noUserHolds(card string) error {
	us, err := w.cardUsers()
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	u, err := us.Find(ctx, card)
	if err == nil {
		return fmt.Errorf("card user %q (%d) holds card %s", u.UserName, u.ID, card)
	}
	if !errors.Is(err, entrapass.ErrCardNotFound) {
		return err
	}
	return nil
}

func (w *World) userDoors(card, doors string) error {
	id, err := w.userID(card)
	if err != nil {
		return err
	}
	us, _ := w.cardUsers()
	ctx, cancel := ctxT()
	defer cancel()
	ds, err := us.DoorsOf(ctx, id)
	if err != nil {
		return err
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.Name)
	}
	want := splitList(doors)
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		return fmt.Errorf("the card user of card %s opens %s, expected %s", card, quoteList(got), quoteList(want))
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Batch load.

func (w *World) batchStarted(door string) error {
	id, err := w.idOf(sim.KindDoor, door)
	if err != nil {
		return err
	}
	w.batchDoor = int(id)
	w.batchFrom = w.clk.Now()
	return nil
}

func (w *World) batchSaved(cardType, ticket string) error {
	us, err := w.cardUsers()
	if err != nil {
		return err
	}
	if w.batchDoor == 0 {
		return errors.New(`no batch load: add "a batch load is started at door …"`)
	}
	ct, err := cardTypeIn(w.sf, cardType)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	bcs, err := us.BatchLoad(ctx, ticket, w.batchDoor, w.batchFrom, ct)
	if err != nil {
		return err
	}
	w.batch = bcs
	for _, b := range bcs {
		if b.Err == nil {
			w.userIDs[b.Card] = b.ID
		}
	}
	_ = w.poll()
	return nil
}

func (w *World) batchCaptured(cards string) error {
	var got []string
	for _, b := range w.batch {
		if b.Err == nil {
			got = append(got, b.Card)
		}
	}
	want := splitList(cards)
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		return fmt.Errorf("the batch load captured %s, expected %s", quoteList(got), quoteList(want))
	}
	// What the driver says it captured must be on the server: each card a
	// card user of its own there, holding that card.
	us, err := w.cardUsers()
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	for _, b := range w.batch {
		if b.Err != nil {
			continue
		}
		u, err := us.Get(ctx, b.ID)
		if err != nil {
			return fmt.Errorf("the batch load reported card %s as card user %d, but the server has no such card user: %w", b.Card, b.ID, err)
		}
		holds := false
		for _, c := range u.Cards {
			if n, err := sim.ParseCard(c); err == nil && n == b.Card || c == b.Card {
				holds = true
			}
		}
		if !holds {
			return fmt.Errorf("the batch load reported card %s as card user %d, but on the server that card user holds %s", b.Card, b.ID, quoteList(u.Cards))
		}
	}
	return nil
}

func (w *World) batchCompleted(card, name, level, site, ticket string) error {
	id, err := w.userID(card)
	if err != nil {
		return err
	}
	us, _ := w.cardUsers()
	sid, err := siteIDIn(w.sf, site)
	if err != nil {
		return err
	}
	lvl, err := levelIn(w.sf, level, sid)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	if err := us.CompleteBatchCard(ctx, ticket, id, name, []entrapass.SiteLevel{{Site: int(sid), Level: lvl}}); err != nil {
		return err
	}
	_ = w.poll()
	return nil
}

// Audit trail.

func (w *World) auditRecords() ([]entrapass.AuditRecord, error) {
	if w.auditPath == "" {
		return nil, errors.New("no audit trail: no card-user operation was made")
	}
	f, err := os.Open(w.auditPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []entrapass.AuditRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r entrapass.AuditRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("an audit line is not JSON: %w: %s", err, sc.Text())
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

func (w *World) auditHas(action, card, operator, ticket string) error {
	rs, err := w.auditRecords()
	if err != nil {
		return err
	}
	for _, r := range rs {
		if r.Action == action && r.Card == card && r.Operator == operator && r.Ticket == ticket && r.Result == entrapass.AuditOK {
			at, err := time.Parse(time.RFC3339, r.Time)
			if err != nil {
				return fmt.Errorf("the %q record has no time: %q", action, r.Time)
			}
			// The audit is stamped with the wall clock when the change was
			// made: during this scenario.
			if at.Before(w.began.Truncate(time.Second)) || at.After(time.Now().Add(time.Second)) {
				return fmt.Errorf("the %q record is stamped %s, not the time of the change (the scenario ran from %s)", action, r.Time, w.began.UTC().Format(time.RFC3339))
			}
			// A record of a change is the trace of a write the server
			// received: the audit must not say what never happened.
			want := "PUT /SmartService/Cards/" + strconv.Itoa(r.UserID)
			switch {
			case strings.HasPrefix(action, "add") || action == "batch-capture":
				want = "POST /SmartService/Cards/0"
			case action == "delete":
				want = "DELETE /SmartService/Cards/" + strconv.Itoa(r.UserID)
			case action == "photo":
				want = "PUT /SmartService/CardPictures/" + strconv.Itoa(r.UserID)
			}
			// (Against a real server nothing is seen here: no check.)
			if seen := w.requestsSince(0); len(seen) > 0 && !slices.Contains(seen, want) {
				return fmt.Errorf("the audit trail has a %q record of card %s, but the server never received %s", action, card, want)
			}
			return nil
		}
	}
	b, _ := json.Marshal(rs)
	return fmt.Errorf("the audit trail has no successful %q record of card %s by %q under ticket %q: %s", action, card, operator, ticket, b)
}

func (w *World) auditCount(n int) error {
	rs, err := w.auditRecords()
	if err != nil {
		return err
	}
	if len(rs) != n {
		return fmt.Errorf("the audit trail has %d record(s), expected %d", len(rs), n)
	}
	return nil
}
