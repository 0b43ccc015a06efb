package cardformat

import (
	"errors"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func spec(t *testing.T, ctor string) Spec {
	t.Helper()
	s, ok := ByConstructor(ctor)
	require.True(t, ok, ctor)
	return s
}

// The real-server capture: facility 118, card 217 is 02EC01B2 in 26 bits.
func TestGenetecCapture26(t *testing.T) {
	s := spec(t, "WiegandStandardCredentialFormat")
	raw, err := Encode(s, 118, 217)
	require.NoError(t, err)
	assert.Equal(t, "00000000000000000000000002EC01B2", raw)

	fac, card, ok, err := Decode(s, "02EC01B2")
	require.NoError(t, err)
	assert.Equal(t, uint64(118), fac)
	assert.Equal(t, uint64(217), card)
	assert.True(t, ok)

	// 0x02EC01B2 in 26 bits, as the brief spells it out.
	assert.Equal(t, "10111011000000000110110010", fmt.Sprintf("%026b", 0x02EC01B2))
}

// Round trips at 0, a middle value and the maximum of each field.
func TestEncodeDecodeRoundTrip(t *testing.T) {
	for _, s := range Builtins() {
		if s.Kind != Wiegand {
			continue
		}
		t.Run(s.Name, func(t *testing.T) {
			facs := []uint64{0}
			if s.HasFacility {
				facs = []uint64{0, s.MaxFacility / 2, s.MaxFacility}
			}
			for _, fac := range facs {
				for _, card := range []uint64{0, s.MaxCard/2 + 1, s.MaxCard} {
					raw, err := Encode(s, fac, card)
					require.NoError(t, err)
					require.Len(t, raw, 32)
					assert.Equal(t, strings.ToUpper(raw), raw)
					v, err := strconv.ParseUint(raw[16:], 16, 64)
					require.NoError(t, err)
					assert.Equal(t, "0000000000000000", raw[:16])
					assert.LessOrEqual(t, bits.Len64(v), s.Bits, "raw %s fits in %d bits", raw, s.Bits)

					f, c, ok, err := Decode(s, raw)
					require.NoError(t, err)
					assert.Equal(t, fac, f)
					assert.Equal(t, card, c)
					assert.True(t, ok, "parity of %s", raw)

					// Clients may send the digits unpadded and lower-case.
					short := strings.ToLower(strings.TrimLeft(raw, "0"))
					if short == "" {
						short = "0"
					}
					f2, c2, ok2, err := Decode(s, short)
					require.NoError(t, err)
					assert.Equal(t, []any{fac, card, ok}, []any{f2, c2, ok2})
				}
			}
		})
	}
}

// Flipping any parity bit, or any data bit, breaks the parity of every
// format that has parity.
func TestParityFlipDetected(t *testing.T) {
	for _, s := range Builtins() {
		if s.Kind != Wiegand {
			continue
		}
		l := layouts[s.ID]
		raw, err := Encode(s, s.MaxFacility/3, s.MaxCard/3)
		require.NoError(t, err)
		v, _ := strconv.ParseUint(raw[16:], 16, 64)
		for pos := 1; pos <= s.Bits; pos++ {
			flipped := fmt.Sprintf("%X", v^1<<(s.Bits-pos))
			_, _, ok, err := Decode(s, flipped)
			require.NoError(t, err, "a parity error is not refused")
			if len(l.parity) == 0 {
				assert.True(t, ok, "%s has no parity", s.Name)
			} else {
				assert.False(t, ok, "%s: flipping bit %d of %s", s.Name, pos, raw)
			}
		}
	}
}

func TestParityFlip26Capture(t *testing.T) {
	s := spec(t, "WiegandStandardCredentialFormat")
	// 02EC01B2 with the leading parity bit (bit 1, 1<<25) cleared.
	fac, card, ok, err := Decode(s, "00EC01B2")
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, []uint64{118, 217}, []uint64{fac, card})
	// ... and with the trailing one (bit 26) set.
	_, _, ok, err = Decode(s, "02EC01B3")
	require.NoError(t, err)
	assert.False(t, ok)
}

// Independent references: the 26-bit and H10302 encoders of a Genetec
// connector (string arithmetic, as in Koha's C4::Spaces::SCA) and the
// Corporate 1000 packers of the Proxmark3 client (32-bit masks). Our
// position-list layouts must agree with both for random values.
func TestLayoutsAgreeWithReferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	refs := map[string]func(fac, card uint64) uint64{
		"WiegandStandardCredentialFormat":           perl26,
		"WiegandH10302CredentialFormat":             perlH10302,
		"WiegandH10304CredentialFormat":             pmH10304,
		"WiegandH10306CredentialFormat":             pmH10306,
		"WiegandCorporate1000CredentialFormat":      pmC1k35,
		"Wiegand48BitCorporate1000CredentialFormat": pmC1k48,
	}
	for ctor, ref := range refs {
		s := spec(t, ctor)
		for range 2000 {
			fac := rng.Uint64N(s.MaxFacility + 1)
			card := rng.Uint64N(s.MaxCard + 1)
			raw, err := Encode(s, fac, card)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("%032X", ref(fac, card)), raw, "%s(%d,%d)", ctor, fac, card)
		}
	}
}

// perl26 mirrors compute_wiegand_standard: even parity over facility and
// the first 4 card bits in front, odd parity over the last 12 behind.
func perl26(fac, card uint64) uint64 {
	f, c := fmt.Sprintf("%08b", fac), fmt.Sprintf("%016b", card)
	begin, end := f+c[:4], c[4:]
	begin = strconv.Itoa(strings.Count(begin, "1")%2) + begin
	end += strconv.Itoa(1 - strings.Count(end, "1")%2)
	v, _ := strconv.ParseUint(begin+end, 2, 64)
	return v
}

// perlH10302 mirrors compute_wiegand_h10302: the parities cover the first
// and last 18 of the 35 card bits, sharing the middle one.
func perlH10302(_, card uint64) uint64 {
	c := fmt.Sprintf("%035b", card)
	begin, end := c[:18], c[17:]
	begin = strconv.Itoa(strings.Count(begin, "1")%2) + begin
	end += strconv.Itoa(1 - strings.Count(end, "1")%2)
	v, _ := strconv.ParseUint(begin+end[1:], 2, 64)
	return v
}

// Proxmark3's parity helpers: the bit that makes the ones even / odd.
func evenp(x uint64) uint64 { return uint64(bits.OnesCount64(x) & 1) }
func oddp(x uint64) uint64  { return evenp(x) ^ 1 }

// pmLinear mirrors set_linear_field/get_linear_field of Proxmark3 (index 0
// is the first bit sent), for the formats it packs that way.
func pmLinear(n int, v uint64, start, width int) uint64 { return v << (n - start - width) }
func pmGet(n int, frame uint64, start, width int) uint64 {
	return frame >> (n - start - width) & (1<<width - 1)
}

func pmH10306(fac, card uint64) uint64 {
	f := pmLinear(34, fac, 1, 16) | pmLinear(34, card, 17, 16)
	f |= evenp(pmGet(34, f, 1, 16)) << 33
	f |= oddp(pmGet(34, f, 17, 16))
	return f
}

func pmH10304(fac, card uint64) uint64 {
	f := pmLinear(37, fac, 1, 16) | pmLinear(37, card, 17, 19)
	f |= evenp(pmGet(37, f, 1, 18)) << 36
	f |= oddp(pmGet(37, f, 18, 18))
	return f
}

// pmC1k35 mirrors Pack_C1k35s: Bot is the low 32 bits, Mid the rest.
func pmC1k35(fac, card uint64) uint64 {
	var bot, mid uint64
	bot |= (card & 0xFFFFF) << 1
	bot |= (fac & 0x7FF) << 21
	mid |= (fac & 0x800) >> 11
	mid |= evenp(mid&0x1^bot&0xB6DB6DB6) << 1
	bot |= oddp(mid&0x3 ^ bot&0x6DB6DB6C)
	mid |= oddp(mid&0x3^bot&0xFFFFFFFF) << 2
	return mid<<32 | bot
}

// pmC1k48 mirrors Pack_C1k48s.
func pmC1k48(fac, card uint64) uint64 {
	var bot, mid uint64
	bot |= (card & 0x7FFFFF) << 1
	bot |= (fac & 0xFF) << 24
	mid |= (fac & 0x3FFF00) >> 8
	mid |= evenp(mid&0x1B6D^bot&0xB6DB6DB6) << 14
	bot |= oddp(mid&0x36DB ^ bot&0x6DB6DB6C)
	mid |= oddp(mid&0x7FFF^bot&0xFFFFFFFF) << 15
	return mid<<32 | bot
}

func TestEncodeRefusals(t *testing.T) {
	std := spec(t, "WiegandStandardCredentialFormat")
	c1k := spec(t, "WiegandCorporate1000CredentialFormat")
	h10302 := spec(t, "WiegandH10302CredentialFormat")
	for _, tc := range []struct {
		name      string
		s         Spec
		fac, card uint64
		field     string
		msg       string
	}{
		{"facility", std, 256, 0, "facility", "facility 256 is out of range for Standard 26 bits (0–255)"},
		{"card", std, 0, 65536, "card", "card 65536 is out of range for Standard 26 bits (0–65535)"},
		{"company", c1k, 4096, 1, "company", "company 4096 is out of range for HID Corporate 1000 35 Bits (0–4095)"},
		{"no facility", h10302, 1, 1, "facility", "HID H10302 37 Bits has no facility code (got 1)"},
		{"card 35 bits", h10302, 0, 1 << 35, "card", "card 34359738368 is out of range for HID H10302 37 Bits (0–34359738367)"},
		{"keypad", spec(t, "KeypadCredentialFormat"), 0, 1, "format", `"Keypad" is not a built-in Wiegand format`},
		{"unknown", Spec{ID: "x"}, 0, 1, "format", `"x" is not a built-in Wiegand format`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Encode(tc.s, tc.fac, tc.card)
			var e *Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, tc.field, e.Field)
			assert.Equal(t, tc.msg, e.Error())
		})
	}
}

func TestDecodeRefusals(t *testing.T) {
	std := spec(t, "WiegandStandardCredentialFormat")
	for _, tc := range []struct {
		name, raw, msg string
	}{
		{"empty", "  ", "raw is empty"},
		{"not hex", "02EC01BG", `raw "02EC01BG" is not hexadecimal`},
		{"sign", "-1", `raw "-1" is not hexadecimal`},
		{"0x", "0x2EC01B2", `raw "0x2EC01B2" is not hexadecimal`},
		{"too long", strings.Repeat("0", 33), "raw has 33 hex digits; at most 32 are allowed"},
		{"too wide", "4000000", "raw 4000000 does not fit in 26 bits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, err := Decode(std, tc.raw)
			var e *Error
			require.True(t, errors.As(err, &e), "%v", err)
			assert.Equal(t, "raw", e.Field)
			assert.Equal(t, tc.msg, e.Msg)
		})
	}
	// The widest 26-bit value is accepted (with bad parity).
	_, _, ok, err := Decode(std, "3FFFFFF")
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestDecodeCustom(t *testing.T) {
	s := customSpec("6655ce03-3048-4999-9db9-9c526cb75a77", 40)
	fac, card, ok, err := Decode(s, "FFFFFFFFFF")
	require.NoError(t, err)
	assert.Equal(t, []uint64{0, 1<<40 - 1}, []uint64{fac, card})
	assert.True(t, ok)

	_, _, _, err = Decode(customSpec("6655ce03-3048-4999-9db9-9c526cb75a77", 128), strings.Repeat("F", 32))
	assert.ErrorContains(t, err, "larger than a 64-bit card number")
}
