package cardformat

import "fmt"

// A Wiegand frame is described as HID does: bit positions count from 1 at
// the first bit sent (the most significant bit of the raw value) to Bits at
// the last. All built-in frames are at most 48 bits, so a frame is a uint64.

// field is a run of data bits, most significant first.
type field struct{ pos, width int }

// parityBit is one parity bit at pos over the bits at over. An even parity
// bit makes the count of ones over "over" plus itself even, an odd one odd.
type parityBit struct {
	pos  int
	odd  bool
	over []int
}

// layout is a frame: where the facility and card sit and its parity bits, in
// the order they must be computed (a later bit may cover an earlier one).
type layout struct {
	facility, card field // facility.width 0: the format has none
	parity         []parityBit
}

// span is positions a..b.
func span(a, b int) []int {
	out := make([]int, 0, b-a+1)
	for p := a; p <= b; p++ {
		out = append(out, p)
	}
	return out
}

// every3 is the positions p in a..b with p mod 3 != skip: the "two bits of
// every three" patterns of HID's Corporate 1000 parity bits.
func every3(a, b, skip int) []int {
	var out []int
	for p := a; p <= b; p++ {
		if p%3 != skip {
			out = append(out, p)
		}
	}
	return out
}

// layouts by FormatId. Sources: HID's format descriptions as implemented by
// the Proxmark3 client (client/src/wiegand_formats.c, Pack_H10301,
// Pack_H10306, Pack_H10302, Pack_H10304, Pack_C1k35s, Pack_C1k48s), and a
// Genetec Web SDK connector that builds 26-bit and H10302 raw data itself
// (Koha's C4::Spaces::SCA). The 26-bit layout is checked against the
// real-server capture: facility 118, card 217 is 02EC01B2.
var layouts = map[string]layout{
	// Standard 26 bits (HID H10301): P(1) even over 2-13; facility 2-9;
	// card 10-25; P(26) odd over 14-25.
	"00000000-0000-0000-0000-000000000200": {
		facility: field{2, 8}, card: field{10, 16},
		parity: []parityBit{{1, false, span(2, 13)}, {26, true, span(14, 25)}},
	},
	// HID H10306 34 bits: P(1) even over 2-17; facility 2-17; card 18-33;
	// P(34) odd over 18-33.
	"00000000-0000-0000-0000-000000000300": {
		facility: field{2, 16}, card: field{18, 16},
		parity: []parityBit{{1, false, span(2, 17)}, {34, true, span(18, 33)}},
	},
	// HID H10302 37 bits: card 2-36; P(1) even over 2-19; P(37) odd over
	// 19-36 — bit 19 is covered by both, as HID defines it.
	"00000000-0000-0000-0000-000000000400": {
		card:   field{2, 35},
		parity: []parityBit{{1, false, span(2, 19)}, {37, true, span(19, 36)}},
	},
	// HID H10304 37 bits: facility 2-17; card 18-36; P(1) even over 2-19;
	// P(37) odd over 19-36.
	"00000000-0000-0000-0000-000000000500": {
		facility: field{2, 16}, card: field{18, 19},
		parity: []parityBit{{1, false, span(2, 19)}, {37, true, span(19, 36)}},
	},
	// HID Corporate 1000 35 bits: company 3-14; card 15-34;
	// P(2) even over 3,4,6,7,…,33,34; P(35) odd over 2,3,5,6,…,32,33 (which
	// covers P(2), so P(2) comes first); P(1) odd over 2-35.
	"00000000-0000-0000-0000-000000000600": {
		facility: field{3, 12}, card: field{15, 20},
		parity: []parityBit{
			{2, false, every3(3, 34, 2)},
			{35, true, every3(2, 33, 1)},
			{1, true, span(2, 35)},
		},
	},
	// CSN 32 bits: the card's serial number, all 32 bits, no parity.
	"00000000-0000-0000-0000-000000000700": {
		card: field{1, 32},
	},
	// HID Corporate 1000 48 bits: company 3-24; card 25-47;
	// P(2) even over 4,5,7,8,…,46,47; P(48) odd over 3,4,6,7,…,45,46;
	// P(1) odd over 2-48.
	"00000000-0000-0000-0000-000000000800": {
		facility: field{3, 22}, card: field{25, 23},
		parity: []parityBit{
			{2, false, every3(4, 47, 0)},
			{48, true, every3(3, 46, 2)},
			{1, true, span(2, 48)},
		},
	},
}

// bitAt is the bit at HID position pos of a frame of n bits.
func bitAt(frame uint64, n, pos int) uint64 { return frame >> (n - pos) & 1 }

// ones counts the ones of frame at positions.
func ones(frame uint64, n int, positions []int) uint64 {
	var c uint64
	for _, p := range positions {
		c += bitAt(frame, n, p)
	}
	return c
}

// get reads a field of a frame of n bits.
func (f field) get(frame uint64, n int) uint64 {
	if f.width == 0 {
		return 0
	}
	return frame >> (n - f.pos - f.width + 1) & (1<<f.width - 1)
}

// put writes v (already range-checked) into a field of a frame of n bits.
func (f field) put(frame uint64, n int, v uint64) uint64 {
	if f.width == 0 {
		return frame
	}
	return frame | v<<(n-f.pos-f.width+1)
}

// wiegandLayout finds the layout of s, by its ID so a caller's copy of a
// Spec works, and refuses formats that have none.
func wiegandLayout(s Spec) (Spec, layout, error) {
	b, ok := ByID(s.ID)
	if !ok || b.Kind != Wiegand {
		name := s.Name
		if name == "" {
			name = s.ID
		}
		return Spec{}, layout{}, errf("format", "%s is not a built-in Wiegand format", shown(name))
	}
	return b, layouts[b.ID], nil
}

// outOfRange is the message of a number beyond a field: "facility 256 is
// out of range for Standard 26 bits (0–255)". text is the number as the
// client wrote it, so a value too large for uint64 reads back unchanged.
func outOfRange(label, text string, s Spec, max uint64) error {
	if len(text) > maxShown {
		text = text[:maxShown] + "…"
	}
	return errf(label, "%s %s is out of range for %s (0–%d)", label, text, s.Name, max)
}

// Encode returns the raw 32-hex-digit value of facility/card in format s
// (with parity). Formats without a facility take facility 0.
func Encode(s Spec, facility, card uint64) (string, error) {
	b, l, err := wiegandLayout(s)
	if err != nil {
		return "", err
	}
	if !b.HasFacility && facility != 0 {
		return "", errf("facility", "%s has no facility code (got %d)", b.Name, facility)
	}
	if facility > b.MaxFacility {
		return "", outOfRange(facilityLabel(b), fmt.Sprint(facility), b, b.MaxFacility)
	}
	if card > b.MaxCard {
		return "", outOfRange("card", fmt.Sprint(card), b, b.MaxCard)
	}
	n := b.Bits
	frame := l.card.put(l.facility.put(0, n, facility), n, card)
	for _, p := range l.parity {
		// The bit that makes the covered ones plus itself even (or odd).
		bit := ones(frame, n, p.over) & 1
		if p.odd {
			bit ^= 1
		}
		frame |= bit << (n - p.pos)
	}
	return fmt.Sprintf("%032X", frame), nil
}

// Decode splits a raw value of format s into facility and card, and whether
// the parity holds. rawHex is up to 32 hex digits, any case, and must fit in
// the format's bit length. A parity error is not refused: a real reader would
// drop the read, but Security Center stores what it is given, so the caller
// only records it.
//
// A custom format (Kind Custom, Bits its length) decodes to no facility and
// the raw value as card number, when that fits in 64 bits.
func Decode(s Spec, rawHex string) (facility, card uint64, parityOK bool, err error) {
	if s.Kind == Custom {
		r, err := parseRaw(rawHex, s.Bits)
		if err != nil {
			return 0, 0, false, err
		}
		if r.hi != 0 {
			return 0, 0, false, errf("raw", "raw %s is larger than a 64-bit card number", shown(rawHex))
		}
		return 0, r.lo, true, nil
	}
	b, l, err := wiegandLayout(s)
	if err != nil {
		return 0, 0, false, err
	}
	r, err := parseRaw(rawHex, b.Bits)
	if err != nil {
		return 0, 0, false, err
	}
	n, frame := b.Bits, r.lo // Bits <= 48: the value is all in lo.
	parityOK = true
	for _, p := range l.parity {
		c := ones(frame, n, p.over) + bitAt(frame, n, p.pos)
		if (c&1 == 1) != p.odd {
			parityOK = false
		}
	}
	return l.facility.get(frame, n), l.card.get(frame, n), parityOK, nil
}
