package wire

import (
	"fmt"
	"math/bits"
	"strconv"
)

// CardField names one element of a <Card>. A CardPatch records the set of
// fields a client sent, because an update changes only those: absent means
// "leave alone", empty means "clear".
//
// The values follow the document order of AppendCard, so iterating over
// them in numeric order visits the elements as they are written.
type CardField uint8

// The fields that occur once. The indexed ones (CardInfoN, CardNumberN, …)
// come from CardInfoField, CardNumberField and the like.
const (
	FieldID CardField = iota
	FieldUserName
	fieldCardInfo1 // CardInfo1..40 follow
)

// Card field values after the CardInfo block, chained so that changing a
// block size cannot leave a gap or an overlap.
const (
	FieldEmail              CardField = fieldCardInfo1 + CardInfoFields
	FieldCardType           CardField = FieldEmail + 1
	fieldCardNumber1        CardField = FieldCardType + 1
	fieldDisplayCardNumber1 CardField = fieldCardNumber1 + CardSlots
	fieldCardState1         CardField = fieldDisplayCardNumber1 + CardSlots
	fieldTrace1             CardField = fieldCardState1 + CardSlots
	fieldEndDate1           CardField = fieldTrace1 + CardSlots
	fieldUsingEndDate1      CardField = fieldEndDate1 + CardSlots
	FieldCardState          CardField = fieldUsingEndDate1 + CardSlots
	FieldCardStateAsString  CardField = FieldCardState + 1
	FieldStartDate          CardField = FieldCardStateAsString + 1
	FieldEndDate            CardField = FieldStartDate + 1
	FieldUsingEndDate       CardField = FieldEndDate + 1
	FieldNip                CardField = FieldUsingEndDate + 1
	FieldWaitForKeypad      CardField = FieldNip + 1
	FieldBadging            CardField = FieldWaitForKeypad + 1
	FieldDeleteWhenExpired  CardField = FieldBadging + 1
	FieldCreationDate       CardField = FieldDeleteWhenExpired + 1
	FieldCardAccessLevels   CardField = FieldCreationDate + 1
	FieldState              CardField = FieldCardAccessLevels + 1
	numCardFields                     = int(FieldState) + 1
)

// slotBlocks are the per-card element families, in document order.
var slotBlocks = [...]struct {
	first CardField
	name  string
}{
	{fieldCardNumber1, "CardNumber"},
	{fieldDisplayCardNumber1, "DisplayCardNumber"},
	{fieldCardState1, "CardState"},
	{fieldTrace1, "Trace"},
	{fieldEndDate1, "EndDate"},
	{fieldUsingEndDate1, "UsingEndDate"},
}

// CardInfoField returns the field CardInfoN, n in 1..40. Other n panic: they
// are not fields of a card.
func CardInfoField(n int) CardField {
	if n < 1 || n > CardInfoFields {
		panic(fmt.Sprintf("wire: CardInfo%d is not a card field", n))
	}
	return fieldCardInfo1 + CardField(n-1)
}

func slotField(first CardField, name string, n int) CardField {
	if n < 1 || n > CardSlots {
		panic(fmt.Sprintf("wire: %s%d is not a card field", name, n))
	}
	return first + CardField(n-1)
}

// CardNumberField returns the field CardNumberN, n in 1..5.
func CardNumberField(n int) CardField { return slotField(fieldCardNumber1, "CardNumber", n) }

// DisplayCardNumberField returns the field DisplayCardNumberN, n in 1..5.
func DisplayCardNumberField(n int) CardField {
	return slotField(fieldDisplayCardNumber1, "DisplayCardNumber", n)
}

// CardStateField returns the field CardStateN (a card's own state), n in 1..5.
func CardStateField(n int) CardField { return slotField(fieldCardState1, "CardState", n) }

// TraceField returns the field TraceN, n in 1..5.
func TraceField(n int) CardField { return slotField(fieldTrace1, "Trace", n) }

// EndDateField returns the field EndDateN (a card's own end date), n in 1..5.
func EndDateField(n int) CardField { return slotField(fieldEndDate1, "EndDate", n) }

// UsingEndDateField returns the field UsingEndDateN, n in 1..5.
func UsingEndDateField(n int) CardField { return slotField(fieldUsingEndDate1, "UsingEndDate", n) }

// cardFieldNames maps each field to its element name; cardFieldByName is the
// reverse, used to recognise elements. Building both from one loop keeps
// them in step with the constants.
var (
	cardFieldNames  [numCardFields]string
	cardFieldByName = make(map[string]CardField, numCardFields)
)

func init() {
	singles := map[CardField]string{
		FieldID: "ID", FieldUserName: "UserName", FieldEmail: "Email", FieldCardType: "CardType",
		FieldCardState: "CardState", FieldCardStateAsString: "CardStateAsString",
		FieldStartDate: "StartDate", FieldEndDate: "EndDate", FieldUsingEndDate: "UsingEndDate",
		FieldNip: "Nip", FieldWaitForKeypad: "WaitForKeypad", FieldBadging: "Badging",
		FieldDeleteWhenExpired: "DeleteWhenExpired", FieldCreationDate: "CreationDate",
		FieldCardAccessLevels: "CardAccessLevels", FieldState: "State",
	}
	for f, name := range singles {
		cardFieldNames[f] = name
	}
	for i := 0; i < CardInfoFields; i++ {
		cardFieldNames[fieldCardInfo1+CardField(i)] = "CardInfo" + strconv.Itoa(i+1)
	}
	for _, b := range slotBlocks {
		for i := 0; i < CardSlots; i++ {
			cardFieldNames[b.first+CardField(i)] = b.name + strconv.Itoa(i+1)
		}
	}
	for f, name := range cardFieldNames {
		if name == "" {
			panic(fmt.Sprintf("wire: card field %d has no name", f))
		}
		cardFieldByName[name] = CardField(f)
	}
}

// String returns the element name (CardInfo7, UsingEndDate2, Nip, …).
func (f CardField) String() string {
	if int(f) < numCardFields {
		return cardFieldNames[f]
	}
	return "CardField(" + strconv.Itoa(int(f)) + ")"
}

// slot reports which per-card family f belongs to (its index in slotBlocks)
// and which slot (0-based); ok is false for the other fields.
func (f CardField) slot() (family, i int, ok bool) {
	if f < fieldCardNumber1 || f >= fieldCardNumber1+CardField(len(slotBlocks)*CardSlots) {
		return 0, 0, false
	}
	d := int(f - fieldCardNumber1)
	return d / CardSlots, d % CardSlots, true
}

// cardInfo reports whether f is CardInfoN and its 0-based index.
func (f CardField) cardInfo() (i int, ok bool) {
	if f >= fieldCardInfo1 && f < fieldCardInfo1+CardInfoFields {
		return int(f - fieldCardInfo1), true
	}
	return 0, false
}

// fieldSet is a set of CardFields; two words hold all 86.
type fieldSet [(numCardFields + 63) / 64]uint64

func (s *fieldSet) add(f CardField)      { s[f/64] |= 1 << (f % 64) }
func (s *fieldSet) has(f CardField) bool { return s[f/64]&(1<<(f%64)) != 0 }
func (s *fieldSet) each(fn func(f CardField)) {
	for w, word := range s {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			fn(CardField(w*64 + b))
			word &^= 1 << b
		}
	}
}
