package wire

import (
	"strconv"
	"time"
)

// Sizes of the indexed <Card> fields. Elements beyond them (CardInfo41,
// CardNumber6) are unknown elements and ignored, as WCF would.
const (
	CardInfoFields = 40
	CardSlots      = 5
)

// DateLayout is the layout of every date on this wire (yyyy-MM-dd HH:mm:ss).
const DateLayout = "2006-01-02 15:04:05"

// ChangeState is the change-tracking marker of SmartLinkSDK objects, the
// <State> element of a <Card> or <CardAccessLevel>.
type ChangeState string

// The change states. The service writes Unchanged; clients send Added
// (create) and Modified (update). Deleted is our reading, used only on a
// CardAccessLevel to remove a site's access level.
const (
	Unchanged ChangeState = "Unchanged"
	Added     ChangeState = "Added"
	Modified  ChangeState = "Modified"
	Deleted   ChangeState = "Deleted"
)

// CardSlot is one of the five cards of a card user: the fields
// CardNumberN, DisplayCardNumberN, CardStateN, TraceN, EndDateN and
// UsingEndDateN of a <Card>.
type CardSlot struct {
	// Number is the card number as displayed (e.g. "100:1001"); "" for an
	// unused slot.
	Number string
	// Display is DisplayCardNumberN.
	Display bool
	// State is the state of this card.
	State CardState
	// Trace marks the card for tracing (an event on every use).
	Trace bool
	// EndDate is the card's own end date, honoured when UsingEndDate.
	EndDate time.Time
	// UsingEndDate says whether EndDate applies.
	UsingEndDate bool
}

// CardAccessLevel is the access level a card user holds on one site.
type CardAccessLevel struct {
	// GatewaySiteID is the site (a card user has at most one level per site).
	GatewaySiteID int
	// AccessLevelID is the access level on that site.
	AccessLevelID int
}

// Card is a card user: the <Card> document of GET Cards/{id}.
//
// Dates are wall-clock values without a zone, as the service writes them;
// parsers return them in time.UTC only as a container, and the server
// interprets them on the site clock. The zero time is written as an empty
// element (the user has no such date).
type Card struct {
	// ID is the card user's id (PKDATA); 0 before creation.
	ID int
	// UserName is the card user's name, unique in the system.
	UserName string
	// CardInfo holds CardInfo1..CardInfo40 (CardInfo.Get(0) is CardInfo1).
	CardInfo CardInfo
	// Email is the card user's e-mail address.
	Email string
	// CardType is the id of the card type.
	CardType int
	// Slots holds the five cards (Slots[0] is card 1).
	Slots [CardSlots]CardSlot
	// CardState is the state of the card user; it is written twice, as
	// <CardState> and <CardStateAsString>.
	CardState CardState
	// StartDate is when the card user becomes valid.
	StartDate time.Time
	// EndDate is when the card user expires, honoured when UsingEndDate.
	EndDate time.Time
	// UsingEndDate says whether EndDate applies.
	UsingEndDate bool
	// Nip is the PIN; a string because leading zeros count.
	Nip string
	// WaitForKeypad requires the PIN after the card.
	WaitForKeypad bool
	// Badging is the id of the badge layout.
	Badging int
	// DeleteWhenExpired deletes the card user when EndDate passes.
	DeleteWhenExpired bool
	// CreationDate is when the card user was created; set by the server.
	CreationDate time.Time
	// CardAccessLevels holds the access level per site.
	CardAccessLevels []CardAccessLevel
	// State is the change marker; "" is written as Unchanged, which is what
	// a GET answers.
	State ChangeState
}

// MarshalCard returns the <Card> document of c.
func MarshalCard(c *Card) []byte {
	return AppendCard(make([]byte, 0, 4096), c)
}

// AppendCard appends the <Card> document of c to buf.
//
// The elements are in the order the SPEC fixes (ID, UserName, CardInfo1..40,
// Email, CardType, CardNumber1..5, DisplayCardNumber1..5, CardState1..5,
// Trace1..5, EndDate1..5, UsingEndDate1..5, CardState, CardStateAsString,
// StartDate, EndDate, UsingEndDate, Nip, WaitForKeypad, Badging,
// DeleteWhenExpired, CreationDate, CardAccessLevels, State), which is also
// the order of the CardField constants. No namespace: the GO app and the
// Airflow client send and read a bare <Card>.
func AppendCard(buf []byte, c *Card) []byte {
	buf = append(buf, "<Card>"...)
	buf = appendIntElem(buf, "ID", c.ID)
	buf = appendElem(buf, "UserName", c.UserName)
	for i := range CardInfoFields {
		buf = appendIndexedOpen(buf, "CardInfo", i)
		buf = appendEscaped(buf, c.CardInfo.Get(i))
		buf = appendIndexedClose(buf, "CardInfo", i)
	}
	buf = appendElem(buf, "Email", c.Email)
	buf = appendIntElem(buf, "CardType", c.CardType)
	for i := range c.Slots {
		buf = appendIndexedOpen(buf, "CardNumber", i)
		buf = appendEscaped(buf, c.Slots[i].Number)
		buf = appendIndexedClose(buf, "CardNumber", i)
	}
	for i := range c.Slots {
		buf = appendIndexedOpen(buf, "DisplayCardNumber", i)
		buf = appendBool(buf, c.Slots[i].Display)
		buf = appendIndexedClose(buf, "DisplayCardNumber", i)
	}
	for i := range c.Slots {
		buf = appendIndexedOpen(buf, "CardState", i)
		buf = append(buf, c.Slots[i].State.String()...)
		buf = appendIndexedClose(buf, "CardState", i)
	}
	for i := range c.Slots {
		buf = appendIndexedOpen(buf, "Trace", i)
		buf = appendBool(buf, c.Slots[i].Trace)
		buf = appendIndexedClose(buf, "Trace", i)
	}
	for i := range c.Slots {
		buf = appendIndexedOpen(buf, "EndDate", i)
		buf = appendDate(buf, c.Slots[i].EndDate)
		buf = appendIndexedClose(buf, "EndDate", i)
	}
	for i := range c.Slots {
		buf = appendIndexedOpen(buf, "UsingEndDate", i)
		buf = appendBool(buf, c.Slots[i].UsingEndDate)
		buf = appendIndexedClose(buf, "UsingEndDate", i)
	}
	buf = appendElem(buf, "CardState", c.CardState.String())
	buf = appendElem(buf, "CardStateAsString", c.CardState.String())
	buf = appendDateElem(buf, "StartDate", c.StartDate)
	buf = appendDateElem(buf, "EndDate", c.EndDate)
	buf = appendBoolElem(buf, "UsingEndDate", c.UsingEndDate)
	buf = appendElem(buf, "Nip", c.Nip)
	buf = appendBoolElem(buf, "WaitForKeypad", c.WaitForKeypad)
	buf = appendIntElem(buf, "Badging", c.Badging)
	buf = appendBoolElem(buf, "DeleteWhenExpired", c.DeleteWhenExpired)
	buf = appendDateElem(buf, "CreationDate", c.CreationDate)
	buf = append(buf, "<CardAccessLevels>"...)
	for _, al := range c.CardAccessLevels {
		buf = append(buf, "<CardAccessLevel>"...)
		buf = appendIntElem(buf, "GatewaySiteID", al.GatewaySiteID)
		buf = appendIntElem(buf, "AccessLevelID", al.AccessLevelID)
		buf = append(buf, "</CardAccessLevel>"...)
	}
	buf = append(buf, "</CardAccessLevels>"...)
	state := c.State
	if state == "" {
		state = Unchanged
	}
	buf = appendElem(buf, "State", string(state))
	return append(buf, "</Card>"...)
}

// appendIndexedOpen appends <nameN> for slot or CardInfo index i (N = i+1).
func appendIndexedOpen(buf []byte, name string, i int) []byte {
	buf = append(buf, '<')
	buf = append(buf, name...)
	buf = strconv.AppendInt(buf, int64(i+1), 10)
	return append(buf, '>')
}

// appendIndexedClose appends </nameN>.
func appendIndexedClose(buf []byte, name string, i int) []byte {
	buf = append(buf, "</"...)
	buf = append(buf, name...)
	buf = strconv.AppendInt(buf, int64(i+1), 10)
	return append(buf, '>')
}

func appendIntElem(buf []byte, name string, v int) []byte {
	buf = append(buf, '<')
	buf = append(buf, name...)
	buf = append(buf, '>')
	buf = strconv.AppendInt(buf, int64(v), 10)
	return appendClose(buf, name)
}

// appendBool writes True/False, the capitalised .NET Boolean.ToString()
// form the service uses (not xsd:boolean's true/false).
func appendBool(buf []byte, v bool) []byte {
	if v {
		return append(buf, "True"...)
	}
	return append(buf, "False"...)
}

func appendBoolElem(buf []byte, name string, v bool) []byte {
	buf = append(buf, '<')
	buf = append(buf, name...)
	buf = append(buf, '>')
	buf = appendBool(buf, v)
	return appendClose(buf, name)
}

// appendDate writes t in DateLayout, or nothing for the zero time.
func appendDate(buf []byte, t time.Time) []byte {
	if t.IsZero() {
		return buf
	}
	return t.AppendFormat(buf, DateLayout)
}

func appendDateElem(buf []byte, name string, t time.Time) []byte {
	buf = append(buf, '<')
	buf = append(buf, name...)
	buf = append(buf, '>')
	buf = appendDate(buf, t)
	return appendClose(buf, name)
}
