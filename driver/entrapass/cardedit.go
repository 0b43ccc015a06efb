package entrapass

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Editing a card user that stays: adjusting its access (the document's
// "adjust access if needed", "clear or adjust the Access Level
// assignments") and its other fields, and removing one of its cards ("remove
// the card assignment"). Both are a PUT Cards/{id} of the elements that
// change, <State>Modified</State> — the Airflow client's modify and
// ropelletier's card-slot operations (reference §7) — then a read back that
// must show the change.

// ErrNotApplied: the server accepted a change, but the card user read back
// does not show it.
var ErrNotApplied = errors.New("change not applied")

// UserEdit is a change to a card user: each field set changes, the others
// stay as they are.
type UserEdit struct {
	// Name renames the user (nil: unchanged).
	Name *string
	// Email changes the e-mail address; "" clears it (nil: unchanged).
	Email *string
	// CardType changes the card type id (0: unchanged).
	CardType int
	// PIN changes the access code, exactly 5 digits; "" clears it, and the
	// keypad stops asking for one (nil: unchanged).
	PIN *string
	// Levels gives each site listed that access level, replacing the
	// level the user held there (one per site).
	Levels []SiteLevel
	// ClearSites are the sites whose access level the user loses.
	ClearSites []int
	// AddCards are card numbers (facility:number) the user is issued, each
	// in the first free slot of the five, Valid.
	AddCards []string
}

// check validates e for op.
func (e *UserEdit) check(op string) error {
	if e.Name == nil && e.Email == nil && e.CardType == 0 && e.PIN == nil && len(e.Levels) == 0 && len(e.ClearSites) == 0 && len(e.AddCards) == 0 {
		return &UserError{Op: op, Field: "edit", Problem: "nothing to change"}
	}
	if e.Name != nil {
		if err := checkText(op, "Name", *e.Name, true); err != nil {
			return err
		}
	}
	if e.Email != nil {
		if err := checkText(op, "Email", *e.Email, false); err != nil {
			return err
		}
	}
	if e.CardType < 0 {
		return &UserError{Op: op, Field: "CardType", Problem: fmt.Sprintf("%d is not a card type id", e.CardType)}
	}
	if e.PIN != nil {
		if err := checkPIN(op, *e.PIN); err != nil {
			return err
		}
	}
	if err := checkLevels(op, e.Levels, false); err != nil {
		return err
	}
	seen := map[int]bool{}
	for i, s := range e.ClearSites {
		f := fmt.Sprintf("ClearSites[%d]", i)
		switch {
		case s <= 0:
			return &UserError{Op: op, Field: f, Problem: fmt.Sprintf("%d is not a site id", s)}
		case seen[s]:
			return &UserError{Op: op, Field: f, Problem: fmt.Sprintf("site %d is listed twice", s)}
		case slices.ContainsFunc(e.Levels, func(l SiteLevel) bool { return l.Site == s }):
			return &UserError{Op: op, Field: f, Problem: fmt.Sprintf("site %d is also given a level in Levels", s)}
		}
		seen[s] = true
	}
	cards := map[string]bool{}
	e.AddCards = slices.Clone(e.AddCards) // normalised below: not the caller's
	for i, c := range e.AddCards {
		f := fmt.Sprintf("AddCards[%d]", i)
		n, err := normCard(c)
		switch {
		case err != nil:
			return &UserError{Op: op, Field: f, Problem: err.Error()}
		case cards[n]:
			return &UserError{Op: op, Field: f, Problem: fmt.Sprintf("card %s is listed twice", n)}
		}
		cards[n] = true
		e.AddCards[i] = n
	}
	return nil
}

// maxCards is how many cards a card user holds at most: slots 1..5.
const maxCards = 5

// freeSlots returns a slot for each card to add, the free ones of old in
// order, or an error when old already holds one of them or has too few.
func freeSlots(op string, old CardUser, add []string) ([]int, error) {
	var out []int
	next := 1
	for _, n := range add {
		if old.HasCard(n) {
			return nil, fmt.Errorf("entrapass: %s: card user %d (%s) already holds card %s", op, old.ID, old.UserName, n)
		}
		for next <= maxCards && slices.Contains(old.CardSlots, next) {
			next++
		}
		if next > maxCards {
			return nil, fmt.Errorf("entrapass: %s: card user %d (%s) holds %d cards and has no free slot for card %s (a user holds at most %d)",
				op, old.ID, old.UserName, len(old.Cards), n, maxCards)
		}
		out = append(out, next)
		next++
	}
	return out, nil
}

// levelsAfter is what the user's levels become once e is applied to old:
// per site, in old's order, new sites after.
func (e *UserEdit) levelsAfter(old []SiteLevel) []SiteLevel {
	var out []SiteLevel
	for _, l := range old {
		if slices.Contains(e.ClearSites, l.Site) {
			continue
		}
		if i := slices.IndexFunc(e.Levels, func(n SiteLevel) bool { return n.Site == l.Site }); i >= 0 {
			l = e.Levels[i]
		}
		out = append(out, l)
	}
	for _, n := range e.Levels {
		if !slices.ContainsFunc(old, func(l SiteLevel) bool { return l.Site == n.Site }) {
			out = append(out, n)
		}
	}
	return out
}

// sameLevels reports whether a and b give the same level on the same sites.
func sameLevels(a, b []SiteLevel) bool {
	if len(a) != len(b) {
		return false
	}
	for _, l := range a {
		if !slices.Contains(b, l) {
			return false
		}
	}
	return true
}

// Edit changes card user id (UM-ACCESS-LEVEL, UM-REMOVE-LEVELS: adjusting
// access; UM-AUDIT): PUT Cards/{id} with the elements e changes — the new
// cards in the free slots (CardNumberN, DisplayCardNumberN, CardStateN
// Valid), UserName
// only when it differs, since ropelletier's client warns that sending it
// unchanged can duplicate the record — and one <CardAccessLevel> per site
// set or cleared (AccessLevelID 0 clears, as RemoveAccessLevels does). The
// user is read back: access levels other than those asked are
// ErrNotApplied. Audited as "edit", each field from its old value to its
// new (the PIN as "set" or "").
func (us *Users) Edit(ctx context.Context, ticket string, id int, e UserEdit) error {
	const op = "edit"
	if err := checkTicket(op, ticket); err != nil {
		return err
	}
	if err := checkID(op, id); err != nil {
		return err
	}
	if err := e.check(op); err != nil {
		return err
	}
	if err := us.needCardRight(op); err != nil {
		return err
	}
	old, err := us.Get(ctx, id)
	if err != nil {
		return us.record(AuditRecord{Action: op, UserID: id, Ticket: ticket, Changes: e.changes(CardUser{}, nil)}, err)
	}
	want := e.levelsAfter(old.Levels)
	slots, err := freeSlots(op, old, e.AddCards)
	if err != nil {
		return err
	}
	d := newCardDoc().int("ID", id)
	if e.Name != nil && strings.TrimSpace(*e.Name) != old.UserName {
		d.elem("UserName", strings.TrimSpace(*e.Name))
	}
	if e.Email != nil {
		d.elem("Email", strings.TrimSpace(*e.Email))
	}
	if e.CardType != 0 {
		d.int("CardType", e.CardType)
	}
	if e.PIN != nil {
		d.elem("Nip", *e.PIN).bool("WaitForKeypad", *e.PIN != "")
	}
	for i, n := range e.AddCards {
		sl := strconv.Itoa(slots[i])
		d.elem("CardNumber"+sl, n).bool("DisplayCardNumber"+sl, true).elem("CardState"+sl, "Valid")
	}
	if len(e.Levels) > 0 || len(e.ClearSites) > 0 {
		entries := slices.Clone(e.Levels)
		for _, s := range e.ClearSites {
			entries = append(entries, SiteLevel{Site: s})
		}
		d.levels(entries, "Modified")
	}
	rec := AuditRecord{Action: op, UserID: id, Card: firstOf(old.Cards), Ticket: ticket, Changes: e.changes(old, want)}
	for i, n := range e.AddCards {
		rec.Changes = append(rec.Changes, AuditChange{Field: "card" + strconv.Itoa(slots[i]), To: n})
	}
	if rec.Card == "" && len(e.AddCards) > 0 {
		rec.Card = e.AddCards[0]
	}
	if _, err := us.write(ctx, http.MethodPut, "Cards/"+strconv.Itoa(id), d.done("Modified")); err != nil {
		return us.record(rec, err)
	}
	now, err := us.Get(ctx, id)
	switch {
	case err != nil:
		err = fmt.Errorf("entrapass: card user %d: the change was made but reading it back failed: %w", id, err)
	case !sameLevels(now.Levels, want):
		err = fmt.Errorf("entrapass: card user %d: %w: its access levels are %q, not %q", id, ErrNotApplied, levelsText(now.Levels), levelsText(want))
	case e.Name != nil && now.UserName != strings.TrimSpace(*e.Name):
		err = fmt.Errorf("entrapass: card user %d: %w: its name is %q, not %q", id, ErrNotApplied, now.UserName, strings.TrimSpace(*e.Name))
	default:
		for _, n := range e.AddCards {
			if !now.HasCard(n) {
				err = fmt.Errorf("entrapass: card user %d: %w: it does not hold card %s", id, ErrNotApplied, n)
				break
			}
		}
	}
	return us.record(rec, err)
}

// changes are the audit line's changes of e applied to old (want: the
// levels after); old is zero when it could not be read.
func (e *UserEdit) changes(old CardUser, want []SiteLevel) []AuditChange {
	var out []AuditChange
	if e.Name != nil {
		out = append(out, AuditChange{Field: "name", From: old.UserName, To: strings.TrimSpace(*e.Name)})
	}
	if e.Email != nil {
		out = append(out, AuditChange{Field: "email", From: old.Email, To: strings.TrimSpace(*e.Email)})
	}
	if e.CardType != 0 {
		from := ""
		if old.CardType != 0 {
			from = strconv.Itoa(old.CardType)
		}
		out = append(out, AuditChange{Field: "card_type", From: from, To: strconv.Itoa(e.CardType)})
	}
	if e.PIN != nil {
		c := AuditChange{Field: "pin"}
		if old.HasPIN {
			c.From = "set"
		}
		if *e.PIN != "" {
			c.To = "set"
		}
		out = append(out, c)
	}
	if len(e.Levels) > 0 || len(e.ClearSites) > 0 {
		if want == nil && old.ID == 0 {
			want = e.Levels // the old levels are not known
		}
		out = append(out, AuditChange{Field: "access_levels", From: levelsText(old.Levels), To: levelsText(want)})
	}
	return out
}

// RemoveCard removes card (facility:number) from card user id, who stays
// with its other cards (UM-DISABLE: "remove the card assignment"): PUT
// Cards/{id} emptying the card's slot (CardNumberN empty, CardStateN
// Valid, UsingEndDateN False). The card becomes unknown at the readers.
// The user is read back: the card still there, or another card gone, is
// ErrNotApplied. A card the user does not hold is refused, wrapping
// ErrCardNotFound, before any change is sent. Audited as "remove-card".
func (us *Users) RemoveCard(ctx context.Context, ticket string, id int, card string) error {
	const op = "remove-card"
	if err := checkTicket(op, ticket); err != nil {
		return err
	}
	if err := checkID(op, id); err != nil {
		return err
	}
	n, err := normCard(card)
	if err != nil {
		return &UserError{Op: op, Field: "card", Problem: err.Error()}
	}
	if err := us.needCardRight(op); err != nil {
		return err
	}
	old, err := us.Get(ctx, id)
	if err != nil {
		return us.record(AuditRecord{Action: op, UserID: id, Card: n, Ticket: ticket,
			Changes: []AuditChange{{Field: "card", From: n, To: ""}}}, err)
	}
	slot := 0
	var others []string
	for i, c := range old.Cards {
		if v, err := normCard(c); err == nil && v == n && i < len(old.CardSlots) {
			slot = old.CardSlots[i]
		} else {
			others = append(others, c)
		}
	}
	if slot == 0 {
		return fmt.Errorf("entrapass: %s: card user %d (%s) does not hold card %s (it holds %s): %w",
			op, id, old.UserName, n, strings.Join(old.Cards, ", "), ErrCardNotFound)
	}
	sl := strconv.Itoa(slot)
	body := newCardDoc().int("ID", id).elem("CardNumber"+sl, "").elem("CardState"+sl, "Valid").
		bool("UsingEndDate"+sl, false).done("Modified")
	rec := AuditRecord{Action: op, UserID: id, Card: n, Ticket: ticket,
		Changes: []AuditChange{{Field: "card" + sl, From: n, To: ""}}}
	if _, err := us.write(ctx, http.MethodPut, "Cards/"+strconv.Itoa(id), body); err != nil {
		return us.record(rec, err)
	}
	now, err := us.Get(ctx, id)
	switch {
	case err != nil:
		err = fmt.Errorf("entrapass: card user %d: the card was removed but reading the user back failed: %w", id, err)
	case now.HasCard(n):
		err = fmt.Errorf("entrapass: card user %d: %w: it still holds card %s", id, ErrNotApplied, n)
	default:
		for _, c := range others {
			if v, _ := normCard(c); !now.HasCard(v) {
				err = fmt.Errorf("entrapass: card user %d: %w: its card %s is gone too", id, ErrNotApplied, c)
				break
			}
		}
	}
	return us.record(rec, err)
}
