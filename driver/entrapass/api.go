package entrapass

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The SmartService reads, status polling, events, card lookups and
// commands. Every method needs a session (Login first); a lost session is
// replaced once, transparently (see Client).

func (c *Client) get(ctx context.Context, path string, q ...param) ([]byte, error) {
	return c.send(ctx, request{method: http.MethodGet, path: path, query: q, session: true})
}

// answers holds the buffers the large answers (state rows, events) are read
// into: their parsers copy out every string they keep, so the buffer serves
// the next answer, and a full state poll of a large site does not make the
// garbage collector run for its tens of megabytes.
var answers = sync.Pool{New: func() any { return new([]byte) }}

// getScratch is get into a buffer of answers; done gives it back, once the
// answer is parsed.
func (c *Client) getScratch(ctx context.Context, path string, q ...param) (body []byte, done func(), err error) {
	scratch := answers.Get().(*[]byte)
	body, err = c.send(ctx, request{method: http.MethodGet, path: path, query: q, session: true, scratch: scratch})
	return body, func() { answers.Put(scratch) }, err
}

func (c *Client) rows(ctx context.Context, path string, q ...param) ([]Row, error) {
	return c.rowsInto(ctx, nil, path, q...)
}

// rowsInto is rows parsed into buf's storage (nil: allocated).
func (c *Client) rowsInto(ctx context.Context, buf *RowBuffer, path string, q ...param) ([]Row, error) {
	body, done, err := c.getScratch(ctx, path, q...)
	defer done()
	if err != nil {
		return nil, err
	}
	rows, err := parseRowsInto(body, buf)
	if err != nil {
		return nil, fmt.Errorf("entrapass: GET %s: %w", path, err)
	}
	return rows, nil
}

func (c *Client) lights(ctx context.Context, path string) ([]Light, error) {
	body, err := c.get(ctx, path)
	if err != nil {
		return nil, err
	}
	l, err := parseLight(body)
	if err != nil {
		return nil, fmt.Errorf("entrapass: GET %s: %w", path, err)
	}
	return l, nil
}

// GatewaysSites reads GET GatewaysSites: the gateway sites, each with its
// owner (the gateway).
func (c *Client) GatewaysSites(ctx context.Context) ([]Light, error) {
	return c.lights(ctx, "GatewaysSites")
}

// SiteRelays reads GET Sites/{site}/Relays: the site's outputs.
func (c *Client) SiteRelays(ctx context.Context, site int) ([]Light, error) {
	return c.lights(ctx, "Sites/"+strconv.Itoa(site)+"/Relays")
}

// SiteInputs reads GET Sites/{site}/Inputs: the site's inputs.
func (c *Client) SiteInputs(ctx context.Context, site int) ([]Light, error) {
	return c.lights(ctx, "Sites/"+strconv.Itoa(site)+"/Inputs")
}

// DoorRow is a door of a door list (PKDATA, DESCRIPTION, KTTYPE).
type DoorRow struct {
	ID     int
	Name   string
	KTType string
}

func doorRows(rows []Row) ([]DoorRow, error) {
	out := make([]DoorRow, 0, len(rows))
	for _, r := range rows {
		id, ok := atoi(r.Value("PKDATA"))
		if !ok {
			return nil, fmt.Errorf("%w: a door row's PKDATA %q is not a number", ErrMalformed, clip(r.Value("PKDATA")))
		}
		out = append(out, DoorRow{ID: id, Name: r.Value("DESCRIPTION"), KTType: r.Value("KTTYPE")})
	}
	return out, nil
}

// SiteDoors reads the doors of a site as the EntraPass GO app does:
// GET GetListOwnerBy?ownerID=<site>&componentID=door.
func (c *Client) SiteDoors(ctx context.Context, site int) ([]DoorRow, error) {
	rows, err := c.rows(ctx, "GetListOwnerBy", param{"ownerID", strconv.Itoa(site)}, param{"componentID", "door"}, param{"includeUndefined", "0"})
	if err != nil {
		return nil, err
	}
	d, err := doorRows(rows)
	if err != nil {
		return nil, fmt.Errorf("entrapass: GET GetListOwnerBy: %w", err)
	}
	return d, nil
}

// Door is what the driver reads of GET Doors/{id}.
type Door struct {
	ID            int
	Description   string
	KTType        string
	GatewaySiteID int
	// Controller is FKController, 0 when the server does not send it.
	Controller int
}

// Door reads GET Doors/{id}.
func (c *Client) Door(ctx context.Context, id int) (Door, error) {
	path := "Doors/" + strconv.Itoa(id)
	body, err := c.get(ctx, path)
	if err != nil {
		return Door{}, err
	}
	root, err := parseDoc(body)
	if err == nil && root.name != "Door" {
		err = fmt.Errorf("%w: <%s> where <Door> was expected", ErrMalformed, root.name)
	}
	if err != nil {
		return Door{}, fmt.Errorf("entrapass: GET %s: %w", path, err)
	}
	d := Door{Description: root.childText("Description"), KTType: root.childText("KTType")}
	d.ID, _ = atoi(root.childText("ID"))
	d.GatewaySiteID, _ = atoi(root.childText("GatewaySiteID"))
	d.Controller, _ = atoi(root.childText("FKController"))
	return d, nil
}

// RegisterStates registers the components whose state rows the session
// polls: PUT ComponentsStates?statusID=0 with <string>id,id,…</string>.
func (c *Client) RegisterStates(ctx context.Context, ids []int) error {
	var b strings.Builder
	b.WriteString("<string>")
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(id))
	}
	b.WriteString("</string>")
	body, err := c.send(ctx, request{method: http.MethodPut, path: "ComponentsStates", query: []param{{"statusID", "0"}},
		body: []byte(b.String()), session: true})
	if err != nil {
		return err
	}
	c.registered.Store(int64(len(ids)))
	// The simulator answers <ServiceCommandResult>OK</…>; what a real
	// server answers is not recorded, so anything but a fault or a non-OK
	// result is accepted.
	if root, err := parseDoc(body); err == nil && root.name == "ServiceCommandResult" && !strings.EqualFold(strings.TrimSpace(root.text), "OK") {
		return fmt.Errorf("entrapass: PUT ComponentsStates: %w: %q", ErrCommandFailed, clip(strings.TrimSpace(root.text)))
	}
	return nil
}

// States reads GET ComponentsStatesByStatusId?statusID=n: the rows of the
// registered components changed since n (all of them for 0).
func (c *Client) States(ctx context.Context, statusID uint64) ([]Row, error) {
	return c.StatesInto(ctx, statusID, nil)
}

// StatesInto is States with the rows read into buf, whose storage the next
// call with buf reuses: the rows are valid until then, so a caller that
// keeps any copies it out first. The driver polls this way, so that a full
// poll of a large site (a million items) does not allocate its rows anew
// each time. A nil buf allocates, as States does.
func (c *Client) StatesInto(ctx context.Context, statusID uint64, buf *RowBuffer) ([]Row, error) {
	return c.rowsInto(ctx, buf, "ComponentsStatesByStatusId", param{"statusID", strconv.FormatUint(statusID, 10)})
}

// Event is an event row of GET Events.
type Event struct {
	// DT is the local date and time as sent, UDT the UTC one.
	DT, UDT string
	// Time is UDT read as UTC; zero when it cannot be read.
	Time time.Time
	// Local is DT read as a wall clock (its location is UTC, which it is
	// not); zero when it cannot be read.
	Local time.Time
	// Text is ETXT ("Access granted", "Door forced open" …).
	Text string
	// P1…P4 are P1TXT…P4TXT. Access events: door, card user, card number,
	// reader; others: the component's name in P1.
	P1, P2, P3, P4 string
	// CL, CLT and VVIEW are as sent.
	CL, CLT, VVIEW string
}

// Key is the identity of an event: SmartService rows carry no id, so a
// reader that must not count an event twice keys it by UDT, ETXT and
// P1TXT…P4TXT (SPEC §2) and counts its occurrences.
func (e *Event) Key() string {
	return normSpaces(e.UDT) + "\x1f" + e.Text + "\x1f" + e.P1 + "\x1f" + e.P2 + "\x1f" + e.P3 + "\x1f" + e.P4
}

func eventOf(r Row) Event {
	e := Event{DT: r.Value("DT"), UDT: r.Value("UDT"), Text: r.Value("ETXT"),
		P1: r.Value("P1TXT"), P2: r.Value("P2TXT"), P3: r.Value("P3TXT"), P4: r.Value("P4TXT"),
		CL: r.Value("CL"), CLT: r.Value("CLT"), VVIEW: r.Value("VVIEW")}
	e.Time, _ = parseTime(e.UDT)
	e.Local, _ = parseTime(e.DT)
	return e
}

func (c *Client) events(ctx context.Context, q ...param) ([]Event, error) {
	body, done, err := c.getScratch(ctx, "Events", q...)
	defer done()
	if err != nil {
		return nil, err
	}
	evs, err := parseEvents(body)
	if err != nil {
		return nil, fmt.Errorf("entrapass: GET Events: %w", err)
	}
	return evs, nil
}

// Events reads GET Events: the events queued for the session since its
// previous poll (since its login for the first).
func (c *Client) Events(ctx context.Context) ([]Event, error) { return c.events(ctx) }

// EventHistory reads GET Events?startDate=yyyy-MM-dd: the events from that
// day (server's local date) on, as the server keeps them.
func (c *Client) EventHistory(ctx context.Context, day time.Time) ([]Event, error) {
	return c.events(ctx, param{"startDate", day.Format("2006-01-02")})
}

// CardQuery selects card users in GET Cards.
type CardQuery struct {
	// Index is the list order: PKDATA (default), USERNAME or CARDNUMBER.
	Index string
	// Filter keeps the users whose Index field (every card number for
	// CARDNUMBER) starts with it, or contains it when Contains is set.
	Filter   string
	Contains bool
	// StartValue lists the users strictly after it in the order.
	StartValue string
	// Max is numberOfCards (the server's maximum, 4096, when 0).
	Max int
	// Extended are extendedFields: columns after PKDATA, CARDNUMBER,
	// USERNAME, CARDSTATE.
	Extended []string
}

// colon encodes ':' as planqr's client does ("[COLON]").
func colon(s string) string { return strings.ReplaceAll(s, ":", "[COLON]") }

// Cards reads GET Cards: rows PKDATA, CARDNUMBER, USERNAME, CARDSTATE and
// the extended fields.
func (c *Client) Cards(ctx context.Context, q CardQuery) ([]Row, error) {
	var ps []param
	if q.Index != "" {
		ps = append(ps, param{"listIndex", q.Index})
	}
	if q.Filter != "" {
		contains := "0"
		if q.Contains {
			contains = "1"
		}
		ps = append(ps, param{"filter", colon(q.Filter)}, param{"contains", contains})
	}
	if q.StartValue != "" {
		ps = append(ps, param{"listStartValue", colon(q.StartValue)})
	}
	if q.Max > 0 {
		ps = append(ps, param{"numberOfCards", strconv.Itoa(q.Max)})
	}
	if len(q.Extended) > 0 {
		ps = append(ps, param{"extendedFields", strings.Join(q.Extended, ",")})
	}
	return c.rows(ctx, "Cards", ps...)
}

// MaxDelay is the longest delay= of a temporary command: 64800 s (18 h, the
// EntraPass GO limit).
const MaxDelay = 64800

// Command sends PUT <name>?sdKey=&id=<id>[&delay=<delay>] with an empty body
// and checks for <ServiceCommandResult>OK</ServiceCommandResult>. delay is
// sent when positive.
func (c *Client) Command(ctx context.Context, name string, id, delay int) error {
	if id <= 0 {
		return fmt.Errorf("entrapass: %s: component id %d is not valid", name, id)
	}
	if delay < 0 || delay > MaxDelay {
		return fmt.Errorf("entrapass: %s: delay %d s is out of range (1–%d)", name, delay, MaxDelay)
	}
	q := []param{{"id", strconv.Itoa(id)}}
	if delay > 0 {
		q = append(q, param{"delay", strconv.Itoa(delay)})
	}
	body, err := c.send(ctx, request{method: http.MethodPut, path: name, query: q, session: true})
	if err != nil {
		return err
	}
	res, err := parseScalar(body, "ServiceCommandResult")
	if err != nil {
		return fmt.Errorf("entrapass: PUT %s id=%d: %w", name, id, err)
	}
	if !strings.EqualFold(res, "OK") {
		return fmt.Errorf("entrapass: PUT %s id=%d: %w: %q", name, id, ErrCommandFailed, clip(res))
	}
	c.log.Info("entrapass: command sent", "command", name, "id", id, "delay", delay)
	return nil
}

func checkDelay(name string, seconds int) error {
	if seconds < 1 || seconds > MaxDelay {
		return fmt.Errorf("entrapass: %s: delay %d s is out of range (1–%d)", name, seconds, MaxDelay)
	}
	return nil
}

// UnlockDoor unlocks a door until told otherwise (unlockDoor).
func (c *Client) UnlockDoor(ctx context.Context, door int) error {
	return c.Command(ctx, "unlockDoor", door, 0)
}

// LockDoor locks a door (LockDoor).
func (c *Client) LockDoor(ctx context.Context, door int) error {
	return c.Command(ctx, "LockDoor", door, 0)
}

// TemporarilyUnlockDoor unlocks a door for seconds (TemporarilyUnlockDoor
// delay=, 1–64800).
func (c *Client) TemporarilyUnlockDoor(ctx context.Context, door, seconds int) error {
	if err := checkDelay("TemporarilyUnlockDoor", seconds); err != nil {
		return err
	}
	return c.Command(ctx, "TemporarilyUnlockDoor", door, seconds)
}

// DisableReader disables a door's reader (DisableReader; DisableReader2 for
// its second reader). Readers are addressed through their door.
func (c *Client) DisableReader(ctx context.Context, door int, second bool) error {
	if second {
		return c.Command(ctx, "DisableReader2", door, 0)
	}
	return c.Command(ctx, "DisableReader", door, 0)
}

// EnableReader enables a door's reader (EnableReader, EnableReader2).
func (c *Client) EnableReader(ctx context.Context, door int, second bool) error {
	if second {
		return c.Command(ctx, "EnableReader2", door, 0)
	}
	return c.Command(ctx, "EnableReader", door, 0)
}

// ActivateRelay activates an output (ActivateRelay).
func (c *Client) ActivateRelay(ctx context.Context, relay int) error {
	return c.Command(ctx, "ActivateRelay", relay, 0)
}

// DeactivateRelay deactivates an output (DeactivateRelay).
func (c *Client) DeactivateRelay(ctx context.Context, relay int) error {
	return c.Command(ctx, "DeactivateRelay", relay, 0)
}

// TemporarilyActivateRelay activates an output for seconds
// (TemporarilyActivateRelay delay=, 1–64800).
func (c *Client) TemporarilyActivateRelay(ctx context.Context, relay, seconds int) error {
	if err := checkDelay("TemporarilyActivateRelay", seconds); err != nil {
		return err
	}
	return c.Command(ctx, "TemporarilyActivateRelay", relay, seconds)
}

// normSpaces collapses runs of spaces (UDT may carry two between date and
// time).
func normSpaces(s string) string {
	if !strings.Contains(s, "  ") && strings.TrimSpace(s) == s {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

var timeLayouts = []string{"2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05Z07:00", "2006/01/02 15:04:05"}

// parseTime reads a SmartService date and time (yyyy-MM-dd HH:mm:ss), as UTC.
func parseTime(s string) (time.Time, bool) {
	if t, ok := fastTime(s); ok {
		return t, true
	}
	s = normSpaces(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// fastTime reads exactly "yyyy-MM-dd HH:mm:ss", the form of every date of
// the event path, without time.Parse.
func fastTime(s string) (time.Time, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(i, n int) (int, bool) {
		v := 0
		for j := i; j < i+n; j++ {
			c := s[j]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 2)
	d, ok3 := num(8, 2)
	h, ok4 := num(11, 2)
	mi, ok5 := num(14, 2)
	se, ok6 := num(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, se, 0, time.UTC)
	if t.Day() != d { // 2026-02-30 and the like
		return time.Time{}, false
	}
	return t, true
}
