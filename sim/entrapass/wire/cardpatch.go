package wire

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pacsim/pacsim/internal/limit"
)

// AccessLevelChange is one <CardAccessLevel> of a POST or PUT body.
type AccessLevelChange struct {
	// GatewaySiteID is the site whose access level changes.
	GatewaySiteID int
	// AccessLevelID is the new access level (unused when State is Deleted).
	AccessLevelID int
	// State is the entry's change marker, "" when absent.
	State ChangeState
}

// CardPatch is a parsed POST or PUT <Card> body: the values of the elements
// that were sent and the set of those elements.
//
// PUT merges: only the elements sent change, and an element sent empty
// clears its field (to "", 0, False, no date, or Valid). So the set of sent
// elements matters as much as their values, and a Card alone cannot carry it.
type CardPatch struct {
	// Card holds the value of each sent element and zero elsewhere. Its
	// CardAccessLevels is unused: the entries are in AccessLevels.
	// Card.State is the body's <State> (Added, Modified, Unchanged) or ""
	// when absent.
	Card Card
	// AccessLevels are the <CardAccessLevel> entries, in body order.
	AccessLevels []AccessLevelChange

	sent fieldSet
}

// Sent reports whether the body contained element f.
func (p *CardPatch) Sent(f CardField) bool { return p.sent.has(f) }

// SentFields returns the elements the body contained, in document order.
func (p *CardPatch) SentFields() []CardField {
	var out []CardField
	p.sent.each(func(f CardField) { out = append(out, f) })
	return out
}

// Apply merges the patch into c: each sent field is copied, the others are
// left alone. It cannot fail; the server validates the patch against its
// database first (card type exists, user name not taken, …), so nothing is
// half-applied.
//
// ID, State and CreationDate are not copied: they belong to the server. An
// access level entry sets that site's level (replacing any level the user
// had there), Deleted removes it, and an empty <CardAccessLevels/> removes
// all — per-site merging because Airflow sends a single site's entry to
// change that site only.
func (p *CardPatch) Apply(c *Card) {
	p.sent.each(func(f CardField) {
		if i, ok := f.cardInfo(); ok {
			c.CardInfo.Set(i, p.Card.CardInfo.Get(i))
			return
		}
		if fam, i, ok := f.slot(); ok {
			dst, src := &c.Slots[i], &p.Card.Slots[i]
			switch fam {
			case 0:
				dst.Number = src.Number
			case 1:
				dst.Display = src.Display
			case 2:
				dst.State = src.State
			case 3:
				dst.Trace = src.Trace
			case 4:
				dst.EndDate = src.EndDate
			case 5:
				dst.UsingEndDate = src.UsingEndDate
			}
			return
		}
		switch f {
		case FieldUserName:
			c.UserName = p.Card.UserName
		case FieldEmail:
			c.Email = p.Card.Email
		case FieldCardType:
			c.CardType = p.Card.CardType
		case FieldCardState:
			c.CardState = p.Card.CardState
		case FieldStartDate:
			c.StartDate = p.Card.StartDate
		case FieldEndDate:
			c.EndDate = p.Card.EndDate
		case FieldUsingEndDate:
			c.UsingEndDate = p.Card.UsingEndDate
		case FieldNip:
			c.Nip = p.Card.Nip
		case FieldWaitForKeypad:
			c.WaitForKeypad = p.Card.WaitForKeypad
		case FieldBadging:
			c.Badging = p.Card.Badging
		case FieldDeleteWhenExpired:
			c.DeleteWhenExpired = p.Card.DeleteWhenExpired
		case FieldCardAccessLevels:
			c.CardAccessLevels = mergeAccessLevels(c.CardAccessLevels, p.AccessLevels)
		}
	})
}

// mergeAccessLevels applies changes to levels without modifying the
// original slice, which the caller may share with a snapshot.
func mergeAccessLevels(levels []CardAccessLevel, changes []AccessLevelChange) []CardAccessLevel {
	if len(changes) == 0 {
		return nil
	}
	out := make([]CardAccessLevel, len(levels), len(levels)+len(changes))
	copy(out, levels)
	for _, ch := range changes {
		i := 0
		for i < len(out) && out[i].GatewaySiteID != ch.GatewaySiteID {
			i++
		}
		switch {
		case ch.State == Deleted && i < len(out):
			out = append(out[:i], out[i+1:]...)
		case ch.State == Deleted:
		case i < len(out):
			out[i].AccessLevelID = ch.AccessLevelID
		default:
			out = append(out, CardAccessLevel{GatewaySiteID: ch.GatewaySiteID, AccessLevelID: ch.AccessLevelID})
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ParseCardPatch parses the body of POST Cards/0 or PUT Cards/{id}.
//
// It accepts what the public clients send: elements in any order (<ID>
// first or last), <State> absent (or empty), Added, Modified or Unchanged, and unknown
// elements, which it skips as WCF does (GOPass, CardAccessGroup,
// CardDoorAccessList, Session, CardInfo41, CardNumber6, …). Element names are
// case-sensitive, as in WCF: <username> is an unknown element. A repeated
// element takes its last value.
//
// It validates every value it keeps: numbers are .NET Int32, booleans
// True/False (any case) or 1/0, dates yyyy-MM-dd HH:mm:ss, yyyy-MM-dd or
// yyyy-MM-ddTHH:mm:ss, card states the seven names. Empty elements are
// valid and mean "clear". <CardStateAsString> is read only when <CardState>
// is absent, since the GO app sends both with the same value.
//
// Every error is a *Fault from InvalidParameter whose VisibleMessage names
// the element, malformed XML included (named "Card"). The caller must cap
// the body at MaxBodySize before calling.
func ParseCardPatch(body []byte) (*CardPatch, error) {
	r := newDocReader(body)
	root, err := r.root()
	if err != nil {
		return nil, InvalidParameter("Card", malformedText(err))
	}
	if root.Name.Local != "Card" {
		return nil, InvalidParameter("Card", fmt.Sprintf("the body is <%s>, want <Card>", clip(root.Name.Local)))
	}
	p := &CardPatch{}
	var asString CardState
	for {
		el, ok, err := r.next()
		if err != nil {
			return nil, malformed("Card", err)
		}
		if !ok {
			break
		}
		name := el.Name.Local
		f, known := cardFieldByName[name]
		if !known {
			if err := r.skip(); err != nil {
				return nil, malformed("Card", err)
			}
			continue
		}
		if f == FieldCardAccessLevels {
			levels, err := parseAccessLevels(r)
			if err != nil {
				return nil, err
			}
			p.AccessLevels = levels
			p.sent.add(f)
			continue
		}
		text, err := r.text(el)
		if err != nil {
			return nil, malformed(name, err)
		}
		if f == FieldCardStateAsString {
			// Kept aside: it only stands in for an absent <CardState>.
			if asString, err = parseCardStateText(text); err != nil {
				return nil, InvalidParameter(name, err.Error())
			}
			p.sent.add(f)
			continue
		}
		if f == FieldState {
			st, err := parseChangeState(text, false)
			if err != nil {
				return nil, InvalidParameter(name, err.Error())
			}
			p.Card.State = st
			if st != "" {
				p.sent.add(f)
			}
			continue
		}
		if err := setCardField(&p.Card, f, text); err != nil {
			return nil, InvalidParameter(name, err.Error())
		}
		p.sent.add(f)
	}
	if err := r.end(); err != nil {
		return nil, malformed("Card", err)
	}
	if p.sent.has(FieldCardStateAsString) && !p.sent.has(FieldCardState) {
		p.Card.CardState = asString
		p.sent.add(FieldCardState)
	}
	return p, nil
}

// ParseCard reads a complete <Card> document, as GET Cards/{id} answers it,
// including the server-owned ID, CreationDate and State. Errors are those of
// ParseCardPatch.
func ParseCard(data []byte) (*Card, error) {
	p, err := ParseCardPatch(data)
	if err != nil {
		return nil, err
	}
	c := &Card{}
	p.Apply(c)
	c.ID = p.Card.ID
	c.CreationDate = p.Card.CreationDate
	c.State = p.Card.State
	return c, nil
}

// malformed builds the fault of a syntax or structural error found while
// reading element name, the innermost element known to be open, so the
// message points at the place to look.
func malformed(name string, err error) *Fault {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, limit.ErrLimit) {
		return InvalidParameter(name, malformedText(err))
	}
	return InvalidParameter(name, err.Error())
}

// setCardField stores the text of element f into c after checking its type.
func setCardField(c *Card, f CardField, text string) error {
	var err error
	if i, ok := f.cardInfo(); ok {
		c.CardInfo.Set(i, text)
		return nil
	}
	if fam, i, ok := f.slot(); ok {
		s := &c.Slots[i]
		switch fam {
		case 0:
			s.Number = text
		case 1:
			s.Display, err = parseBoolText(text)
		case 2:
			s.State, err = parseCardStateText(text)
		case 3:
			s.Trace, err = parseBoolText(text)
		case 4:
			s.EndDate, err = parseDateText(text)
		case 5:
			s.UsingEndDate, err = parseBoolText(text)
		}
		return err
	}
	switch f {
	case FieldID:
		c.ID, err = parseIntText(text)
	case FieldUserName:
		c.UserName = text
	case FieldEmail:
		c.Email = text
	case FieldCardType:
		c.CardType, err = parseIntText(text)
	case FieldCardState:
		c.CardState, err = parseCardStateText(text)
	case FieldStartDate:
		c.StartDate, err = parseDateText(text)
	case FieldEndDate:
		c.EndDate, err = parseDateText(text)
	case FieldUsingEndDate:
		c.UsingEndDate, err = parseBoolText(text)
	case FieldNip:
		c.Nip = text
	case FieldWaitForKeypad:
		c.WaitForKeypad, err = parseBoolText(text)
	case FieldBadging:
		c.Badging, err = parseIntText(text)
	case FieldDeleteWhenExpired:
		c.DeleteWhenExpired, err = parseBoolText(text)
	case FieldCreationDate:
		c.CreationDate, err = parseDateText(text)
	default:
		// Unreachable: the other fields are handled by the caller.
		err = fmt.Errorf("not a text element")
	}
	return err
}

// parseAccessLevels reads the children of <CardAccessLevels>.
func parseAccessLevels(r *docReader) ([]AccessLevelChange, error) {
	var out []AccessLevelChange
	for {
		el, ok, err := r.next()
		if err != nil {
			return nil, malformed("CardAccessLevels", err)
		}
		if !ok {
			return out, nil
		}
		if el.Name.Local != "CardAccessLevel" {
			if err := r.skip(); err != nil {
				return nil, malformed("CardAccessLevels", err)
			}
			continue
		}
		path := fmt.Sprintf("CardAccessLevels/CardAccessLevel[%d]", len(out)+1)
		ch, err := parseAccessLevel(r, path)
		if err != nil {
			return nil, err
		}
		out = append(out, ch)
	}
}

// parseAccessLevel reads one <CardAccessLevel>. GatewaySiteID is required,
// and AccessLevelID unless the entry is Deleted: an entry without them says
// nothing a server could apply. Its other children (ID, Session,
// CardSecondaryAccessLevels in the GO app's bodies) are skipped.
func parseAccessLevel(r *docReader, path string) (AccessLevelChange, error) {
	var ch AccessLevelChange
	var haveSite, haveLevel bool
	for {
		el, ok, err := r.next()
		if err != nil {
			return ch, malformed(path, err)
		}
		if !ok {
			break
		}
		name := el.Name.Local
		switch name {
		case "GatewaySiteID", "AccessLevelID", "State":
		default:
			if err := r.skip(); err != nil {
				return ch, malformed(path, err)
			}
			continue
		}
		text, err := r.text(el)
		if err != nil {
			return ch, malformed(path+"/"+name, err)
		}
		switch name {
		case "GatewaySiteID":
			ch.GatewaySiteID, err = parseInt32(text)
			haveSite = true
		case "AccessLevelID":
			ch.AccessLevelID, err = parseInt32(text)
			haveLevel = true
		case "State":
			ch.State, err = parseChangeState(text, true)
		}
		if err != nil {
			return ch, InvalidParameter(path+"/"+name, err.Error())
		}
	}
	if !haveSite {
		return ch, InvalidParameter(path+"/GatewaySiteID", "is required")
	}
	if !haveLevel && ch.State != Deleted {
		return ch, InvalidParameter(path+"/AccessLevelID", "is required")
	}
	return ch, nil
}

// parseIntText parses an Int32 element; empty clears it to 0.
func parseIntText(s string) (int, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	return parseInt32(s)
}

// parseBoolText parses a boolean element; empty clears it to false. The
// service writes True/False (.NET Boolean.ToString); xsd:boolean's
// true/false/1/0 are accepted too because a WCF client serialises that way.
func parseBoolText(s string) (bool, error) {
	t := strings.TrimSpace(s)
	switch {
	case t == "", t == "0", strings.EqualFold(t, "false"):
		return false, nil
	case t == "1", strings.EqualFold(t, "true"):
		return true, nil
	}
	return false, fmt.Errorf("%q is not a boolean (True or False)", clip(t))
}

// dateLayouts are the accepted date forms: the service's own, a bare date
// (the GO app sends StartDate as yyyy-MM-dd 00:00:00, other clients often
// just the day) and the xsd:dateTime form a WCF client produces.
var dateLayouts = [...]string{DateLayout, "2006-01-02", "2006-01-02T15:04:05"}

// parseDateText parses a date element; empty clears it.
func parseDateText(s string) (time.Time, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return time.Time{}, nil
	}
	for _, layout := range dateLayouts {
		if d, err := time.Parse(layout, t); err == nil {
			return d, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (yyyy-MM-dd HH:mm:ss)", clip(t))
}

// parseCardStateText parses a card state element; empty clears it to Valid.
func parseCardStateText(s string) (CardState, error) {
	if strings.TrimSpace(s) == "" {
		return CardValid, nil
	}
	return ParseCardState(s)
}

// parseChangeState parses a <State>; empty is absent. Deleted is allowed only
// on an access level entry: a card is deleted with DELETE, not with a marker.
func parseChangeState(s string, allowDeleted bool) (ChangeState, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", nil
	}
	for _, st := range [...]ChangeState{Added, Modified, Unchanged, Deleted} {
		if strings.EqualFold(t, string(st)) && (st != Deleted || allowDeleted) {
			return st, nil
		}
	}
	if allowDeleted {
		return "", fmt.Errorf("%q is not Added, Modified, Unchanged or Deleted", clip(t))
	}
	return "", fmt.Errorf("%q is not Added, Modified or Unchanged", clip(t))
}
