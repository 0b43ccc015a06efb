package entrapass

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Card-user administration (SPEC §6, docs/entrapass-user-management.txt,
// reference §7): add, batch load, edit (cardedit.go), remove a card,
// disable, remove access levels, delete and temporary users, over
// Cards/{id} with <Card> XML, every change recorded in an Audit. Each
// operation validates its input before anything is sent and refuses it with
// a *UserError naming the field; an operator without CardRight is refused
// with a *RightError (rights.go).

// PINLength is the length of a card user's PIN (the "5-digit access code";
// the server's PINLength).
const PINLength = 5

// MaxBatchCards bounds the cards one batch load captures.
const MaxBatchCards = 500

// ErrInvalidUser is wrapped by every *UserError.
var ErrInvalidUser = errors.New("invalid card-user request")

// ErrCardNotFound: no card user holds the card number.
var ErrCardNotFound = errors.New("card not found")

// ErrResidualAccess: access levels remained after they were cleared.
var ErrResidualAccess = errors.New("access levels remain")

// ErrNotAudited: the server made the change but the audit file could not
// record it.
var ErrNotAudited = errors.New("change made but not recorded in the audit trail")

// UserError is a card-user request refused before anything was sent.
type UserError struct {
	Op      string
	Field   string
	Problem string
}

func (e *UserError) Error() string {
	return fmt.Sprintf("entrapass: %s: %s: %s", e.Op, e.Field, e.Problem)
}

// Unwrap makes errors.Is(err, ErrInvalidUser) hold.
func (e *UserError) Unwrap() error { return ErrInvalidUser }

// Users administers card users through a logged-in Client, recording every
// change in an Audit under the name of the person making it.
type Users struct {
	c        *Client
	audit    *Audit
	operator string
}

// NewUsers returns the card-user administration of c. audit receives every
// change; operator is who makes them (a person's name or login, recorded in
// each audit line). It sends nothing.
func NewUsers(c *Client, audit *Audit, operator string) (*Users, error) {
	switch {
	case c == nil:
		return nil, &UserError{Op: "users", Field: "client", Problem: "is required"}
	case audit == nil:
		return nil, &UserError{Op: "users", Field: "audit", Problem: "is required: every change is recorded"}
	}
	if err := checkText("users", "operator", operator, true); err != nil {
		return nil, err
	}
	return &Users{c: c, audit: audit, operator: strings.TrimSpace(operator)}, nil
}

// NewUser is a card user to add.
type NewUser struct {
	// Name is the card user name (unique on the server).
	Name string
	// Card is the card number, facility:number in decimal ("100:1001").
	Card string
	// CardType is the card type id (GET CardTypes).
	CardType int
	// PIN is the optional access code: empty, or exactly 5 digits.
	PIN string
	// Levels are the access levels, one per site; at least one.
	Levels []SiteLevel
	// Email is optional.
	Email string
}

// normCard checks a facility:number card number and normalises it
// (leading zeros dropped), as the server stores it.
func normCard(s string) (string, error) {
	s = strings.TrimSpace(s)
	fac, num, ok := strings.Cut(s, ":")
	if !ok || !allDigits(fac) || !allDigits(num) {
		return "", fmt.Errorf("%q is not facility:number in decimal (e.g. 100:1001)", clip(s))
	}
	f, err1 := strconv.ParseUint(fac, 10, 16)
	n, err2 := strconv.ParseUint(num, 10, 32)
	if err1 != nil || err2 != nil {
		return "", fmt.Errorf("%q is out of range: facility 0–65535, number 0–4294967295", clip(s))
	}
	return strconv.FormatUint(f, 10) + ":" + strconv.FormatUint(n, 10), nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// checkText refuses an empty (when required), non-UTF-8, control-character
// or overlong value.
func checkText(op, field, s string, required bool) error {
	t := strings.TrimSpace(s)
	switch {
	case required && t == "":
		return &UserError{Op: op, Field: field, Problem: "is required"}
	case !utf8.ValidString(s):
		return &UserError{Op: op, Field: field, Problem: "is not valid UTF-8"}
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return &UserError{Op: op, Field: field, Problem: "contains a control character"}
	case utf8.RuneCountInString(t) > 255:
		return &UserError{Op: op, Field: field, Problem: "is longer than 255 characters"}
	}
	return nil
}

func checkTicket(op, ticket string) error {
	return checkText(op, "ticket", ticket, true)
}

func checkID(op string, id int) error {
	if id <= 0 {
		return &UserError{Op: op, Field: "id", Problem: fmt.Sprintf("%d is not a card user id", id)}
	}
	return nil
}

// checkPIN refuses a PIN that is not exactly PINLength digits ("" is none).
func checkPIN(op, pin string) error {
	if pin == "" {
		return nil
	}
	if len(pin) != PINLength || !allDigits(pin) {
		return &UserError{Op: op, Field: "PIN", Problem: fmt.Sprintf("a PIN is exactly %d digits", PINLength)}
	}
	return nil
}

// checkLevels refuses an empty list (when required), a site or level id
// that is not positive, and two levels for one site.
func checkLevels(op string, ls []SiteLevel, required bool) error {
	if required && len(ls) == 0 {
		return &UserError{Op: op, Field: "Levels", Problem: "at least one access level is required"}
	}
	seen := map[int]bool{}
	for i, l := range ls {
		f := fmt.Sprintf("Levels[%d]", i)
		switch {
		case l.Site <= 0:
			return &UserError{Op: op, Field: f + ".Site", Problem: fmt.Sprintf("%d is not a site id", l.Site)}
		case l.Level <= 0:
			return &UserError{Op: op, Field: f + ".Level", Problem: fmt.Sprintf("%d is not an access level id", l.Level)}
		case seen[l.Site]:
			return &UserError{Op: op, Field: f + ".Site", Problem: fmt.Sprintf("site %d has two access levels; a card user has one per site", l.Site)}
		}
		seen[l.Site] = true
	}
	return nil
}

// check validates u and returns its normalised card number.
func (u *NewUser) check(op string) (string, error) {
	if err := checkText(op, "Name", u.Name, true); err != nil {
		return "", err
	}
	if strings.TrimSpace(u.Card) == "" {
		return "", &UserError{Op: op, Field: "Card", Problem: "is required"}
	}
	card, err := normCard(u.Card)
	if err != nil {
		return "", &UserError{Op: op, Field: "Card", Problem: err.Error()}
	}
	if u.CardType <= 0 {
		return "", &UserError{Op: op, Field: "CardType", Problem: fmt.Sprintf("%d is not a card type id", u.CardType)}
	}
	if err := checkPIN(op, u.PIN); err != nil {
		return "", err
	}
	if err := checkLevels(op, u.Levels, true); err != nil {
		return "", err
	}
	if err := checkText(op, "Email", u.Email, false); err != nil {
		return "", err
	}
	return card, nil
}

func levelsText(ls []SiteLevel) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = fmt.Sprintf("site %d: level %d", l.Site, l.Level)
	}
	return strings.Join(parts, ", ")
}

// record writes an audit line for a server call that ended with err, and
// returns the error the operation returns: err, or ErrNotAudited when the
// change was made but could not be recorded.
func (us *Users) record(r AuditRecord, err error) error {
	if errors.Is(err, ErrNoRight) {
		// Refused for a right the operator lacks: nothing changed, so
		// there is no change to record.
		return us.refusedRight(r.Action, err)
	}
	r.Operator = us.operator
	r.Result, r.Error = resultOf(err)
	aerr := us.audit.Record(r)
	switch {
	case aerr == nil:
		return err
	case err != nil:
		return errors.Join(err, aerr)
	}
	us.c.log.Error("entrapass: a card-user change was made but the audit trail could not record it", "action", r.Action, "user_id", r.UserID, "error", aerr)
	return fmt.Errorf("entrapass: %s card user %d: %w: %w", r.Action, r.UserID, ErrNotAudited, aerr)
}

// write sends a <Card> body and reads the <int>id</int> answer.
func (us *Users) write(ctx context.Context, method, path string, body []byte) (int, error) {
	ans, err := us.c.send(ctx, request{method: method, path: path, body: body, session: true})
	if err != nil {
		return 0, err
	}
	s, err := parseScalar(ans, "int")
	if err != nil {
		return 0, fmt.Errorf("entrapass: %s %s: %w", method, path, err)
	}
	id, ok := atoi(s)
	if !ok {
		return 0, fmt.Errorf("entrapass: %s %s: %w: <int> %q is not a number", method, path, ErrMalformed, clip(s))
	}
	return id, nil
}

// Add adds a card user (UM-ADD, UM-PIN, UM-ACCESS-LEVEL): POST Cards/0 with
// the name, card type, card number in slot 1 (Valid), the PIN (with
// WaitForKeypad) and one access level per site. It returns the new id.
func (us *Users) Add(ctx context.Context, ticket string, u NewUser) (int, error) {
	return us.add(ctx, "add", ticket, u, time.Time{})
}

// AddTemporary adds a card user who is revoked by the server at end
// (UM-TEMPORARY): EndDate end, UsingEndDate True. end is sent as its wall
// clock in its own location, which must be the server's time zone (dates of
// a <Card> carry no zone).
func (us *Users) AddTemporary(ctx context.Context, ticket string, u NewUser, end time.Time) (int, error) {
	if end.IsZero() {
		return 0, &UserError{Op: "add-temporary", Field: "end", Problem: "an end date is required"}
	}
	return us.add(ctx, "add-temporary", ticket, u, end)
}

func (us *Users) add(ctx context.Context, op, ticket string, u NewUser, end time.Time) (int, error) {
	if err := checkTicket(op, ticket); err != nil {
		return 0, err
	}
	card, err := u.check(op)
	if err != nil {
		return 0, err
	}
	if err := us.needCardRight(op); err != nil {
		return 0, err
	}
	name := strings.TrimSpace(u.Name)
	d := newCardDoc().elem("UserName", name)
	if u.Email != "" {
		d.elem("Email", strings.TrimSpace(u.Email))
	}
	d.int("CardType", u.CardType).elem("CardNumber1", card).bool("DisplayCardNumber1", true).elem("CardState1", "Valid").
		elem("CardState", "Valid")
	if !end.IsZero() {
		d.date("EndDate", end).bool("UsingEndDate", true)
	}
	if u.PIN != "" {
		d.elem("Nip", u.PIN).bool("WaitForKeypad", true)
	}
	body := d.levels(u.Levels, "Added").done("Added")
	changes := []AuditChange{
		{Field: "name", To: name},
		{Field: "card_type", To: strconv.Itoa(u.CardType)},
		{Field: "state", To: "Valid"},
		{Field: "access_levels", To: levelsText(u.Levels)},
	}
	if u.PIN != "" {
		changes = append(changes, AuditChange{Field: "pin", To: "set"})
	}
	if !end.IsZero() {
		changes = append(changes, AuditChange{Field: "end_date", To: end.Format(cardDateLayout)})
	}
	id, err := us.write(ctx, http.MethodPost, "Cards/0", body)
	err = us.record(AuditRecord{Action: op, UserID: id, Card: card, Changes: changes, Ticket: ticket}, err)
	if err != nil && !errors.Is(err, ErrNotAudited) {
		return 0, err
	}
	return id, err
}

// Get reads card user id (GET Cards/{id}).
func (us *Users) Get(ctx context.Context, id int) (CardUser, error) {
	if err := checkID("get", id); err != nil {
		return CardUser{}, err
	}
	path := "Cards/" + strconv.Itoa(id)
	body, err := us.c.get(ctx, path)
	if err != nil {
		return CardUser{}, err
	}
	u, err := parseCardUser(body)
	if err != nil {
		return CardUser{}, fmt.Errorf("entrapass: GET %s: %w", path, err)
	}
	return u, nil
}

// Find returns the card user holding card (facility:number), or
// ErrCardNotFound: GET Cards filtered by card number, then that user's
// <Card>.
func (us *Users) Find(ctx context.Context, card string) (CardUser, error) {
	n, err := normCard(card)
	if err != nil {
		return CardUser{}, &UserError{Op: "find", Field: "card", Problem: err.Error()}
	}
	fields := make([]string, 0, 5)
	for i := 1; i <= 5; i++ {
		fields = append(fields, "CARDNUMBER"+strconv.Itoa(i))
	}
	rows, err := us.c.Cards(ctx, CardQuery{Index: "CARDNUMBER", Filter: n, Max: 64, Extended: fields})
	if err != nil {
		return CardUser{}, err
	}
	for _, r := range rows {
		match := false
		for _, k := range append([]string{"CARDNUMBER"}, fields...) {
			if v, err := normCard(strings.ReplaceAll(r.Value(k), "[COLON]", ":")); err == nil && v == n {
				match = true
				break
			}
		}
		if !match {
			continue
		}
		id, ok := atoi(r.Value("PKDATA"))
		if !ok {
			return CardUser{}, fmt.Errorf("entrapass: GET Cards: %w: PKDATA %q is not a number", ErrMalformed, clip(r.Value("PKDATA")))
		}
		return us.Get(ctx, id)
	}
	return CardUser{}, fmt.Errorf("entrapass: card %s: %w", n, ErrCardNotFound)
}

// mayChange checks, before anything is sent, what every change of one card
// user needs: a ticket, a card user id, and the operator's CardRight.
func (us *Users) mayChange(op, ticket string, id int) error {
	if err := checkTicket(op, ticket); err != nil {
		return err
	}
	if err := checkID(op, id); err != nil {
		return err
	}
	return us.needCardRight(op)
}

// Disable makes card user id Invalid (UM-DISABLE): the card is denied at
// once; the user, its events and the audit history stay.
func (us *Users) Disable(ctx context.Context, ticket string, id int) error {
	const op = "disable"
	if err := us.mayChange(op, ticket, id); err != nil {
		return err
	}
	old, err := us.Get(ctx, id)
	if err != nil {
		return us.record(AuditRecord{Action: op, UserID: id, Changes: []AuditChange{{Field: "state", To: "Invalid"}}, Ticket: ticket}, err)
	}
	body := newCardDoc().int("ID", id).elem("CardState", "Invalid").elem("CardStateAsString", "Invalid").done("Modified")
	_, err = us.write(ctx, http.MethodPut, "Cards/"+strconv.Itoa(id), body)
	return us.record(AuditRecord{Action: op, UserID: id, Card: firstOf(old.Cards),
		Changes: []AuditChange{{Field: "state", From: old.State, To: "Invalid"}}, Ticket: ticket}, err)
}

// RemoveAccessLevels clears every site's access level of card user id
// (UM-REMOVE-LEVELS): one entry per site with AccessLevelID 0, then a read
// back; a level still there is ErrResidualAccess.
func (us *Users) RemoveAccessLevels(ctx context.Context, ticket string, id int) error {
	const op = "remove-access-levels"
	if err := us.mayChange(op, ticket, id); err != nil {
		return err
	}
	old, err := us.Get(ctx, id)
	if err != nil {
		return us.record(AuditRecord{Action: op, UserID: id, Changes: []AuditChange{{Field: "access_levels", To: ""}}, Ticket: ticket}, err)
	}
	rec := AuditRecord{Action: op, UserID: id, Card: firstOf(old.Cards),
		Changes: []AuditChange{{Field: "access_levels", From: levelsText(old.Levels), To: ""}}, Ticket: ticket}
	if len(old.Levels) > 0 {
		cleared := make([]SiteLevel, len(old.Levels))
		for i, l := range old.Levels {
			cleared[i] = SiteLevel{Site: l.Site}
		}
		body := newCardDoc().int("ID", id).levels(cleared, "Modified").done("Modified")
		if _, err := us.write(ctx, http.MethodPut, "Cards/"+strconv.Itoa(id), body); err != nil {
			return us.record(rec, err)
		}
	}
	now, err := us.Get(ctx, id)
	if err == nil && len(now.Levels) > 0 {
		err = fmt.Errorf("entrapass: card user %d: %w after clearing them: %s", id, ErrResidualAccess, levelsText(now.Levels))
	}
	if err != nil && !errors.Is(err, ErrResidualAccess) {
		// The clear was answered; only the read back failed.
		err = fmt.Errorf("entrapass: card user %d: the access levels were cleared but reading them back failed: %w", id, err)
	}
	return us.record(rec, err)
}

// Delete deletes card user id (UM-DELETE): DELETE Cards/{id}; its card
// becomes unknown. The audit trail keeps the record.
func (us *Users) Delete(ctx context.Context, ticket string, id int) error {
	const op = "delete"
	if err := us.mayChange(op, ticket, id); err != nil {
		return err
	}
	old, err := us.Get(ctx, id)
	if err != nil {
		return us.record(AuditRecord{Action: op, UserID: id, Changes: []AuditChange{{Field: "user", To: "deleted"}}, Ticket: ticket}, err)
	}
	path := "Cards/" + strconv.Itoa(id)
	ans, err := us.c.send(ctx, request{method: http.MethodDelete, path: path, session: true})
	if err == nil {
		if s, perr := parseScalar(ans, "int"); perr != nil {
			err = fmt.Errorf("entrapass: DELETE %s: %w", path, perr)
		} else if got, ok := atoi(s); !ok || got != id {
			err = fmt.Errorf("entrapass: DELETE %s: %w: answered <int>%s</int>", path, ErrMalformed, clip(s))
		}
	}
	return us.record(AuditRecord{Action: op, UserID: id, Card: firstOf(old.Cards),
		Changes: []AuditChange{{Field: "user", From: old.UserName, To: "deleted"}}, Ticket: ticket}, err)
}

func firstOf(s []string) string {
	if len(s) > 0 {
		return s[0]
	}
	return ""
}

// UserDoor is a door a card user can open.
type UserDoor struct {
	DoorID int
	Name   string
	Site   int
	// Level and LevelName are the access level that gives it; Schedule is
	// the schedule id of the door in that level.
	Level     int
	LevelName string
	Schedule  int
}

// accessLevel reads GET AccessLevels/{id}: the level's site, name and
// items (DoorID, ScheduleID).
func (us *Users) accessLevel(ctx context.Context, id int) (site int, name string, items [][2]int, err error) {
	path := "AccessLevels/" + strconv.Itoa(id)
	body, err := us.c.get(ctx, path)
	if err != nil {
		return 0, "", nil, err
	}
	root, err := parseDoc(body)
	if err == nil && !strings.EqualFold(root.name, "AccessLevel") {
		err = fmt.Errorf("%w: <%s> where <AccessLevel> was expected", ErrMalformed, root.name)
	}
	if err != nil {
		return 0, "", nil, fmt.Errorf("entrapass: GET %s: %w", path, err)
	}
	site, _ = atoi(root.childText("GatewaySiteID"))
	name = root.childText("PrimaryName")
	if is := root.child("AccessLevelItems"); is != nil {
		for _, it := range is.kids {
			door, err := atoiField(it.childText("DoorID"), "AccessLevelItem/DoorID")
			if err != nil {
				return 0, "", nil, fmt.Errorf("entrapass: GET %s: %w", path, err)
			}
			sched, _ := atoi(it.childText("ScheduleID"))
			items = append(items, [2]int{door, sched})
		}
	}
	return site, name, items, nil
}

// DoorsOf lists the doors card user id can open (UM-TS-TOO-MANY-DOORS),
// from its access levels: each level's items (GET AccessLevels/{id}), named
// from the site's door list (GetListOwnerBy). Sorted by door id. A user not
// Valid opens none, but its doors are listed all the same: this is what its
// levels grant.
func (us *Users) DoorsOf(ctx context.Context, id int) ([]UserDoor, error) {
	if err := checkID("doors", id); err != nil {
		return nil, err
	}
	u, err := us.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	names := map[int]map[int]string{}
	var out []UserDoor
	seen := map[int]bool{}
	for _, l := range u.Levels {
		site, lname, items, err := us.accessLevel(ctx, l.Level)
		if err != nil {
			return nil, err
		}
		if site == 0 {
			site = l.Site
		}
		if names[site] == nil {
			doors, err := us.c.SiteDoors(ctx, site)
			if err != nil {
				return nil, err
			}
			m := make(map[int]string, len(doors))
			for _, d := range doors {
				m[d.ID] = d.Name
			}
			names[site] = m
		}
		for _, it := range items {
			if seen[it[0]] {
				continue
			}
			seen[it[0]] = true
			out = append(out, UserDoor{DoorID: it[0], Name: names[site][it[0]], Site: site, Level: l.Level, LevelName: lname, Schedule: it[1]})
		}
	}
	slices.SortFunc(out, func(a, b UserDoor) int { return a.DoorID - b.DoorID })
	return out, nil
}

// BatchCard is a card captured by a batch load.
type BatchCard struct {
	Card string
	// ID is the new card user's id, 0 when it was not created (Err says
	// why, e.g. the card was already held).
	ID int
	// Name is the placeholder name given.
	Name string
	Err  error
}

// unknownCardText is the event text of a card no user holds.
const unknownCardText = "Access denied - unknown card"

// BatchPlaceholder is the name prefix of a card user captured by a batch
// load, until CompleteBatchCard names it.
const BatchPlaceholder = "Batch load "

// BatchLoad is the first step of a batch load (UM-BATCH-LOAD): the cards
// presented at door since since — its "Access denied - unknown card" events
// (GET Events?startDate=, which leaves the session's event queue alone) —
// are captured as new card users of cardType, each named
// BatchPlaceholder+card, with no access level, so they open nothing yet.
// The second step, CompleteBatchCard, names each and gives its levels.
//
// Each card is created once, in the order first presented; a card that a
// user holds by now is skipped with Err set. The error is non-nil only when
// the events could not be read; a card that could not be created carries
// its own Err (and its own audit line).
func (us *Users) BatchLoad(ctx context.Context, ticket string, door int, since time.Time, cardType int) ([]BatchCard, error) {
	const op = "batch-capture"
	if err := checkTicket(op, ticket); err != nil {
		return nil, err
	}
	switch {
	case door <= 0:
		return nil, &UserError{Op: op, Field: "door", Problem: fmt.Sprintf("%d is not a door id", door)}
	case since.IsZero():
		return nil, &UserError{Op: op, Field: "since", Problem: "a start time is required"}
	case cardType <= 0:
		return nil, &UserError{Op: op, Field: "cardType", Problem: fmt.Sprintf("%d is not a card type id", cardType)}
	}
	if err := us.needCardRight(op); err != nil {
		return nil, err
	}
	d, err := us.c.Door(ctx, door)
	if err != nil {
		return nil, err
	}
	// The history is asked from the day before (startDate is the server's
	// local date, whose zone is not known here) and filtered on UDT.
	evs, err := us.c.EventHistory(ctx, since.UTC().AddDate(0, 0, -1))
	if err != nil {
		return nil, err
	}
	var cards []string
	seen := map[string]bool{}
	for i := range evs {
		e := &evs[i]
		if !strings.EqualFold(strings.TrimSpace(e.Text), unknownCardText) || !strings.EqualFold(e.P1, d.Description) ||
			e.Time.IsZero() || e.Time.Before(since) {
			continue
		}
		n, err := normCard(e.P3)
		if err != nil || seen[n] {
			continue
		}
		seen[n] = true
		cards = append(cards, n)
		if len(cards) == MaxBatchCards {
			break
		}
	}
	out := make([]BatchCard, 0, len(cards))
	for _, n := range cards {
		bc := BatchCard{Card: n, Name: BatchPlaceholder + n}
		if _, err := us.Find(ctx, n); err == nil {
			bc.Err = fmt.Errorf("entrapass: batch load: card %s is already held by a card user", n)
			out = append(out, bc)
			continue
		} else if !errors.Is(err, ErrCardNotFound) {
			bc.Err = err
			out = append(out, bc)
			continue
		}
		body := newCardDoc().elem("UserName", bc.Name).int("CardType", cardType).elem("CardNumber1", n).
			bool("DisplayCardNumber1", true).elem("CardState1", "Valid").elem("CardState", "Valid").done("Added")
		id, err := us.write(ctx, http.MethodPost, "Cards/0", body)
		err = us.record(AuditRecord{Action: op, UserID: id, Card: n, Ticket: ticket, Changes: []AuditChange{
			{Field: "name", To: bc.Name}, {Field: "card_type", To: strconv.Itoa(cardType)}, {Field: "state", To: "Valid"},
			{Field: "batch_door", To: strconv.Itoa(door)}}}, err)
		bc.ID, bc.Err = id, err
		out = append(out, bc)
	}
	return out, nil
}

// CompleteBatchCard is the second step of a batch load: card user id (a
// placeholder of BatchLoad, or any user) is named and given its access
// levels (PUT Cards/{id} with UserName and CardAccessLevels). The server
// merges per site: each site given gets that level; a level the user holds
// on a site not given stays.
func (us *Users) CompleteBatchCard(ctx context.Context, ticket string, id int, name string, levels []SiteLevel) error {
	const op = "batch-complete"
	if err := checkTicket(op, ticket); err != nil {
		return err
	}
	if err := checkID(op, id); err != nil {
		return err
	}
	if err := checkText(op, "name", name, true); err != nil {
		return err
	}
	if err := checkLevels(op, levels, true); err != nil {
		return err
	}
	if err := us.needCardRight(op); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	old, err := us.Get(ctx, id)
	if err != nil {
		return us.record(AuditRecord{Action: op, UserID: id, Ticket: ticket,
			Changes: []AuditChange{{Field: "name", To: name}, {Field: "access_levels", To: levelsText(levels)}}}, err)
	}
	body := newCardDoc().int("ID", id).elem("UserName", name).levels(levels, "Modified").done("Modified")
	_, err = us.write(ctx, http.MethodPut, "Cards/"+strconv.Itoa(id), body)
	return us.record(AuditRecord{Action: op, UserID: id, Card: firstOf(old.Cards), Ticket: ticket, Changes: []AuditChange{
		{Field: "name", From: old.UserName, To: name},
		{Field: "access_levels", From: levelsText(old.Levels), To: levelsText(levels)}}}, err)
}
