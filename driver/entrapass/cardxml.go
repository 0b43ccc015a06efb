package entrapass

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file writes and reads the <Card> document of Cards/{id} on the client
// side (SPEC §2 "<Card>", reference §7). It shares nothing with the
// simulator's wire package: the driver talks to a real SmartService.

// cardDateLayout is the layout of every date of a <Card>.
const cardDateLayout = "2006-01-02 15:04:05"

// SiteLevel is the access level a card user holds on one site (a card user
// has at most one per site).
type SiteLevel struct {
	// Site is the GatewaySiteID.
	Site int `json:"site"`
	// Level is the AccessLevelID.
	Level int `json:"level"`
}

// CardUser is a card user as GET Cards/{id} gives it. The PIN is not kept:
// HasPIN says whether one is set.
type CardUser struct {
	ID       int
	UserName string
	Email    string
	CardType int
	// Cards are the card numbers of slots 1..5 in use, in slot order.
	Cards []string
	// CardStates are the cards' own states (CardState1..5), parallel to
	// Cards: a card can be StolenLost while its user is Valid.
	CardStates []string
	// CardSlots are the cards' slots (1..5), parallel to Cards.
	CardSlots []int
	// State is the card user's own state, CardStateAsString (or
	// CardState): Valid, Invalid, StolenLost, Pending, Expired, PostDated,
	// ToBeActivated. StateOf gives a card's.
	State string
	// StartDate and EndDate are the server's wall clock, in a UTC
	// container; zero when empty. EndDate applies when UsingEndDate.
	StartDate, EndDate time.Time
	UsingEndDate       bool
	HasPIN             bool
	WaitForKeypad      bool
	Badging            int
	DeleteWhenExpired  bool
	CreationDate       time.Time
	// Levels are CardAccessLevels, in document order.
	Levels []SiteLevel
}

// StateOf is the state of one of the user's cards as an operator sees it:
// the user's own state unless it is Valid, else the card's (CardStateN).
// A number the user does not hold gives the user's state.
func (u *CardUser) StateOf(number string) string {
	if u.State != "" && u.State != "Valid" {
		return u.State
	}
	if n, err := normCard(number); err == nil {
		number = n
	}
	for i, c := range u.Cards {
		n, err := normCard(c)
		if (err == nil && n == number || c == number) && i < len(u.CardStates) && u.CardStates[i] != "" {
			return u.CardStates[i]
		}
	}
	return u.State
}

// HasCard reports whether number (normalised) is one of the user's cards.
func (u *CardUser) HasCard(number string) bool {
	for _, c := range u.Cards {
		if n, err := normCard(c); err == nil && n == number {
			return true
		}
		if c == number {
			return true
		}
	}
	return false
}

// parseCardUser reads a <Card> document.
func parseCardUser(data []byte) (CardUser, error) {
	root, err := parseDoc(data)
	if err != nil {
		return CardUser{}, err
	}
	if !strings.EqualFold(root.name, "Card") {
		return CardUser{}, fmt.Errorf("%w: <%s> where <Card> was expected", ErrMalformed, root.name)
	}
	var u CardUser
	if u.ID, err = atoiField(root.childText("ID"), "Card/ID"); err != nil {
		return CardUser{}, err
	}
	u.UserName = root.childText("UserName")
	u.Email = root.childText("Email")
	if t := root.childText("CardType"); t != "" {
		if u.CardType, err = atoiField(t, "Card/CardType"); err != nil {
			return CardUser{}, err
		}
	}
	for i := 1; i <= 5; i++ {
		if n := root.childText("CardNumber" + strconv.Itoa(i)); n != "" {
			u.Cards = append(u.Cards, strings.ReplaceAll(n, "[COLON]", ":"))
			u.CardStates = append(u.CardStates, cardStateName(root.childText("CardState"+strconv.Itoa(i))))
			u.CardSlots = append(u.CardSlots, i)
		}
	}
	u.State = cardStateName(root.childText("CardStateAsString"))
	if u.State == "" {
		u.State = cardStateName(root.childText("CardState"))
	}
	u.StartDate, _ = parseTime(root.childText("StartDate"))
	u.EndDate, _ = parseTime(root.childText("EndDate"))
	u.CreationDate, _ = parseTime(root.childText("CreationDate"))
	u.UsingEndDate = parseBool(root.childText("UsingEndDate"))
	u.HasPIN = root.childText("Nip") != ""
	u.WaitForKeypad = parseBool(root.childText("WaitForKeypad"))
	u.DeleteWhenExpired = parseBool(root.childText("DeleteWhenExpired"))
	u.Badging, _ = atoi(root.childText("Badging"))
	if ls := root.child("CardAccessLevels"); ls != nil {
		for _, k := range ls.kids {
			if !strings.EqualFold(k.name, "CardAccessLevel") {
				continue
			}
			var l SiteLevel
			if l.Site, err = atoiField(k.childText("GatewaySiteID"), "CardAccessLevel/GatewaySiteID"); err != nil {
				return CardUser{}, err
			}
			if l.Level, err = atoiField(k.childText("AccessLevelID"), "CardAccessLevel/AccessLevelID"); err != nil {
				return CardUser{}, err
			}
			if l.Level != 0 {
				u.Levels = append(u.Levels, l)
			}
		}
	}
	return u, nil
}

func parseBool(s string) bool {
	return strings.EqualFold(s, "true") || s == "1"
}

// cardDoc writes a <Card> body, element by element, in the order SPEC §2
// gives (ID, UserName, …, CardAccessLevels, State).
type cardDoc struct {
	b bytes.Buffer
}

func newCardDoc() *cardDoc {
	d := &cardDoc{}
	d.b.WriteString("<Card>")
	return d
}

func (d *cardDoc) elem(name, value string) *cardDoc {
	d.b.WriteByte('<')
	d.b.WriteString(name)
	d.b.WriteByte('>')
	_ = xml.EscapeText(&d.b, []byte(value)) // writes to a bytes.Buffer: cannot fail
	d.b.WriteString("</")
	d.b.WriteString(name)
	d.b.WriteByte('>')
	return d
}

func (d *cardDoc) int(name string, v int) *cardDoc { return d.elem(name, strconv.Itoa(v)) }

func (d *cardDoc) bool(name string, v bool) *cardDoc {
	if v {
		return d.elem(name, "True")
	}
	return d.elem(name, "False")
}

func (d *cardDoc) date(name string, t time.Time) *cardDoc {
	if t.IsZero() {
		return d.elem(name, "")
	}
	return d.elem(name, t.Format(cardDateLayout))
}

// levels writes <CardAccessLevels> with one entry per site, each marked
// state (Added on create, Modified on update). A Level of 0 clears that
// site's level (as ropelletier's client does).
func (d *cardDoc) levels(ls []SiteLevel, state string) *cardDoc {
	d.b.WriteString("<CardAccessLevels>")
	for _, l := range ls {
		d.b.WriteString("<CardAccessLevel>")
		d.int("GatewaySiteID", l.Site)
		d.int("AccessLevelID", l.Level)
		d.elem("State", state)
		d.b.WriteString("</CardAccessLevel>")
	}
	d.b.WriteString("</CardAccessLevels>")
	return d
}

// done closes the document with its change marker and returns it.
func (d *cardDoc) done(state string) []byte {
	d.elem("State", state)
	d.b.WriteString("</Card>")
	return d.b.Bytes()
}
