package wire

import (
	"fmt"
	"strconv"
	"strings"
)

// CardState is the state of a card user or of one of its cards. Its numeric
// value is the CARDSTATE code of the Cards list rows; its String is the name
// <Card> documents carry.
type CardState uint8

// The card states. 0, 1, 2 and 4 are evidenced as list codes (ropelletier,
// Airflow); 3, 5 and 6 follow the order in which the GO app lists the names,
// which is our reading.
const (
	CardValid         CardState = 0
	CardInvalid       CardState = 1
	CardStolenLost    CardState = 2
	CardPending       CardState = 3
	CardExpired       CardState = 4
	CardPostDated     CardState = 5
	CardToBeActivated CardState = 6
)

var cardStateNames = [...]string{
	CardValid:         "Valid",
	CardInvalid:       "Invalid",
	CardStolenLost:    "StolenLost",
	CardPending:       "Pending",
	CardExpired:       "Expired",
	CardPostDated:     "PostDated",
	CardToBeActivated: "ToBeActivated",
}

// String returns the name used in <Card> documents, or CardState(n) for a
// value outside the vocabulary.
func (s CardState) String() string {
	if int(s) < len(cardStateNames) {
		return cardStateNames[s]
	}
	return "CardState(" + strconv.Itoa(int(s)) + ")"
}

// Valid reports whether s is one of the seven states.
func (s CardState) Valid() bool { return int(s) < len(cardStateNames) }

// ParseCardState parses a state name. Case is ignored, as .NET's
// Enum.Parse(…, ignoreCase) would; surrounding whitespace is trimmed. Numeric
// codes are refused: <Card> documents carry names, and accepting numbers
// would let a driver pass against the simulator and fail against a real
// server.
func ParseCardState(s string) (CardState, error) {
	t := strings.TrimSpace(s)
	for i, name := range cardStateNames {
		if strings.EqualFold(t, name) {
			return CardState(i), nil
		}
	}
	return 0, fmt.Errorf("%q is not a card state (Valid, Invalid, StolenLost, Pending, Expired, PostDated, ToBeActivated)", clip(t))
}
