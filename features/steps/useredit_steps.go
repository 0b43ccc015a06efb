package steps

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
)

// Editing card users who stay (adjusting access, other fields, removing a
// card) and the operator rights that guard every change.

// userEdit reads an edit from a key/value table: name, email, PIN (empty:
// clear it), card type, access level and site (a pair per site,
// repeatable: the site gets that level), remove site (the site loses its
// level), add card.
func (w *World) userEdit(rows tableRows) (entrapass.UserEdit, error) {
	var e entrapass.UserEdit
	var levelName, siteName string
	for _, r := range rows {
		switch strings.ToLower(r[0]) {
		case "name":
			e.Name = &r[1]
		case "email":
			e.Email = &r[1]
		case "pin":
			e.PIN = &r[1]
		case "card type":
			ct, err := cardTypeIn(w.sf, r[1])
			if err != nil {
				return e, err
			}
			e.CardType = ct
		case "access level":
			levelName = r[1]
		case "site":
			siteName = r[1]
		case "remove site":
			site, err := siteIDIn(w.sf, r[1])
			if err != nil {
				return e, err
			}
			e.ClearSites = append(e.ClearSites, int(site))
		case "add card":
			e.AddCards = append(e.AddCards, r[1])
		default:
			return e, fmt.Errorf("unknown card-user edit %q (name, email, PIN, card type, access level, site, remove site, add card)", r[0])
		}
		if levelName != "" && siteName != "" {
			site, err := siteIDIn(w.sf, siteName)
			if err != nil {
				return e, err
			}
			lvl, err := levelIn(w.sf, levelName, site)
			if err != nil {
				return e, err
			}
			e.Levels = append(e.Levels, entrapass.SiteLevel{Site: int(site), Level: lvl})
			levelName, siteName = "", ""
		}
	}
	if levelName != "" || siteName != "" {
		return e, fmt.Errorf("an access level needs its site and a site its access level (got access level %q, site %q)", levelName, siteName)
	}
	return e, nil
}

// editUser edits the card user holding card; the error is the driver's.
func (w *World) editUser(card, ticket string, t *godog.Table) error {
	rows, err := keyValues(t)
	if err != nil {
		return err
	}
	e, err := w.userEdit(rows)
	if err != nil {
		return err
	}
	id, us, err := w.heldUser(card)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	w.cmdMark = w.requestCount()
	w.userErr = us.Edit(ctx, ticket, id, e)
	for _, c := range e.AddCards {
		if n, err := sim.ParseCard(c); err == nil && w.userErr == nil {
			w.userIDs[n] = id
		}
	}
	_ = w.poll()
	return nil
}

func (w *World) userEdited(card, ticket string, t *godog.Table) error {
	if err := w.editUser(card, ticket, t); err != nil {
		return err
	}
	if w.userErr != nil {
		return fmt.Errorf("editing the card user of card %s failed: %w", card, w.userErr)
	}
	return nil
}

// cardRemoved removes card from the card user holding it, who stays.
func (w *World) cardRemoved(card, ticket string) error {
	id, us, err := w.heldUser(card)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	if err := us.RemoveCard(ctx, ticket, id, card); err != nil {
		return fmt.Errorf("removing card %s from card user %d: %w", card, id, err)
	}
	// The user is remembered by the cards it still holds.
	delete(w.userIDs, card)
	if u, err := us.Get(ctx, id); err == nil {
		for _, c := range u.Cards {
			w.userIDs[c] = id
		}
	}
	_ = w.poll()
	return nil
}

// userCards checks the card user holding card holds exactly cards
// (comma-separated, in slot order).
func (w *World) userCards(card, cards string) error {
	id, us, err := w.heldUser(card)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	u, err := us.Get(ctx, id)
	if err != nil {
		return fmt.Errorf("reading card user %d: %w", id, err)
	}
	if got, want := strings.Join(u.Cards, ", "), strings.Join(splitList(cards), ", "); got != want {
		return fmt.Errorf("card user %q (%d) holds the cards %q, expected %q", u.UserName, id, got, want)
	}
	return nil
}

// siteWithOperatorLacking: the default site with one more operator, who
// holds every right but one.
func (w *World) siteWithOperatorLacking(name, password, right string) error {
	sf := sim.DefaultSite()
	var rights []string
	found := false
	for _, r := range sim.EntraPassRights {
		if strings.EqualFold(r, right) {
			found = true
			continue
		}
		rights = append(rights, r)
	}
	if !found {
		return fmt.Errorf("%q is not an operator right (%s)", right, strings.Join(sim.EntraPassRights, ", "))
	}
	sf.EntraPass.Operators = append(sf.EntraPass.Operators, sim.OperatorSpec{ID: 390, Name: name, Password: password, Rights: rights})
	return w.build(sf)
}

// refusedForRight checks the last card-user operation was refused for want
// of right: the error names it, no change reached the server, and the
// audit trail holds no record of it.
func (w *World) refusedForRight(what, right string) error {
	if w.userErr == nil {
		return fmt.Errorf("%s was accepted; expected a refusal for want of the right %s", what, right)
	}
	var re *entrapass.RightError
	if !errors.As(w.userErr, &re) {
		return fmt.Errorf("%s failed, but not for want of a right: %v", what, w.userErr)
	}
	if !strings.EqualFold(re.Right, right) || !strings.Contains(w.userErr.Error(), re.Right) {
		return fmt.Errorf("the refusal names the right %q, expected %q: %v", re.Right, right, w.userErr)
	}
	for _, r := range w.requestsSince(w.cmdMark) {
		if !strings.HasPrefix(r, "GET ") && strings.Contains(strings.ToLower(r), "/card") {
			return fmt.Errorf("the server received %s", r)
		}
	}
	return nil
}

func (w *World) addRefusedForRight(name, ticket, right string, t *godog.Table) error {
	if err := w.addUser(name, ticket, t, time.Time{}); err != nil {
		return err
	}
	return w.refusedForRight(fmt.Sprintf("adding card user %q", name), right)
}

func (w *World) editRefusedForRight(card, ticket, right string, t *godog.Table) error {
	if err := w.editUser(card, ticket, t); err != nil {
		return err
	}
	return w.refusedForRight("editing the card user of card "+card, right)
}

// changeRefusedForRight: disabling, deleting or removing the access levels
// of the card user holding card is refused for want of right.
func (w *World) changeRefusedForRight(what, card, ticket, right string) error {
	id, us, err := w.heldUser(card)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	w.cmdMark = w.requestCount()
	switch what {
	case "disabling":
		w.userErr = us.Disable(ctx, ticket, id)
	case "deleting":
		w.userErr = us.Delete(ctx, ticket, id)
	case "removing the access levels of":
		w.userErr = us.RemoveAccessLevels(ctx, ticket, id)
	default:
		return fmt.Errorf("unknown change %q", what)
	}
	return w.refusedForRight(what+" the card user of card "+card, right)
}
