package entrapass

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// The answer parsers meet whatever a server sends: each fuzz target checks
// that a parser never panics, that what it refuses is ErrMalformed, and,
// where the simulator has a writer, that it reads back what was written.

// malformedOnly fails t when err is neither nil nor ErrMalformed.
func malformedOnly(t *testing.T, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, ErrMalformed) {
		t.Fatalf("error %v is not ErrMalformed", err)
	}
}

// xmlText reports whether s survives an XML document: valid UTF-8 of
// characters XML allows, no \r (which XML reads as \n).
func xmlText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\r' || (r < 0x20 && r != '\t' && r != '\n') || r == 0xFFFE || r == 0xFFFF || r == utf8.RuneError {
			return false
		}
	}
	return true
}

func TestParseDocBounds(t *testing.T) {
	// Text cut by comments reads whole.
	root, err := parseDoc([]byte("<a>x<!---->y<!---->z<b>1</b></a>"))
	require.NoError(t, err)
	assert.Equal(t, "xyz", root.text)
	assert.Equal(t, "1", root.childText("b"))
	_, err = parseDoc([]byte("<a>" + strings.Repeat("<b/>", maxNodes) + "</a>"))
	assert.ErrorIs(t, err, ErrMalformed)
	assert.ErrorContains(t, err, "more than 524288 elements")
	_, err = parseDoc([]byte("<a>" + strings.Repeat("<b/>", maxNodes-1) + "</a>"))
	assert.NoError(t, err)
}

func FuzzParseDoc(f *testing.F) {
	f.Add([]byte(goldenRows))
	f.Add([]byte(goldenFault))
	f.Add([]byte("<a>x<!---->y<b/></a>"))
	f.Add([]byte("<a><a><a>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := parseDoc(data)
		malformedOnly(t, err)
		if err == nil && root == nil {
			t.Fatal("no error and no root")
		}
	})
}

// FuzzParseFault: a StandardFault the simulator writes reads back with its
// code and sentence; anything else never panics, and a fault found is one
// mayBeFault lets through.
func FuzzParseFault(f *testing.F) {
	f.Add([]byte(goldenFault), "Invalid SessionKey", "Log in again.")
	f.Add([]byte("<StandardFault/>"), "Error 72", "")
	f.Fuzz(func(t *testing.T, data []byte, code, msg string) {
		if _, ok := parseFault(data); ok && !mayBeFault(data) {
			t.Fatalf("%q is a fault mayBeFault lets by", data)
		}
		if !xmlText(code) || !xmlText(msg) || strings.TrimSpace(code) == "" {
			return
		}
		doc := (&wire.Fault{Message: code, VisibleMessage: msg, FirstLanguageErrorDescription: msg}).Marshal()
		got, ok := parseFault(doc)
		if !ok {
			t.Fatalf("%s is not read as a fault", doc)
		}
		if got.Code != strings.TrimSpace(code) || got.Message != strings.TrimSpace(msg) {
			t.Fatalf("%s read as %+v", doc, got)
		}
	})
}

func FuzzParseLight(f *testing.F) {
	f.Add([]byte(`<ArrayOfLightComponentOfGatewaySite><LightComponentOfGatewaySite><ID>2</ID><Description>Main</Description><Description2/><Owner>1</Owner></LightComponentOfGatewaySite></ArrayOfLightComponentOfGatewaySite>`))
	f.Add([]byte(`<ArrayOfX><e><a>1</a><b>d</b><c/><d>x</d></e></ArrayOfX>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := parseLight(data)
		malformedOnly(t, err)
	})
}

// FuzzParseScalar: <int> and <string> answers read back what the simulator
// wrote.
func FuzzParseScalar(f *testing.F) {
	f.Add([]byte("<int>12</int>"), int64(12), "OK")
	f.Add([]byte("<ServiceCommandResult>OK</ServiceCommandResult>"), int64(-1), " a & b ")
	f.Fuzz(func(t *testing.T, data []byte, n int64, s string) {
		_, err := parseScalar(data, "int")
		malformedOnly(t, err)
		got, err := parseScalar(wire.AppendInt(nil, n), "int")
		if err != nil || got != strconv.FormatInt(n, 10) {
			t.Fatalf("<int>%d</int> read as %q, %v", n, got, err)
		}
		if xmlText(s) {
			got, err := parseScalar(wire.AppendString(nil, s), "string")
			if err != nil || got != strings.TrimSpace(s) {
				t.Fatalf("<string>%q</string> read as %q, %v", s, got, err)
			}
		}
	})
}

func FuzzParseCardUser(f *testing.F) {
	f.Add([]byte(`<Card><ID>200</ID><UserName>Ada</UserName><CardNumber1>1:2</CardNumber1><CardState>0</CardState></Card>`))
	f.Add([]byte(`<Card><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>100</AccessLevelID></CardAccessLevel></CardAccessLevels></Card>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := parseCardUser(data)
		malformedOnly(t, err)
	})
}

// FuzzParsePicture: a picture reads back as stored, whatever its bytes and
// however the Base64 is cut into lines.
func FuzzParsePicture(f *testing.F) {
	f.Add([]byte("<CardPicture><ID>5</ID><Picture>/9j/4A==</Picture></CardPicture>"), []byte{0xFF, 0xD8, 0xFF}, 5, uint8(76))
	f.Fuzz(func(t *testing.T, data, pic []byte, id int, width uint8) {
		_, err := parsePicture(data, id)
		malformedOnly(t, err)
		if len(pic) == 0 || id < 0 {
			return
		}
		b64 := base64.StdEncoding.EncodeToString(pic)
		if w := int(width); w > 0 {
			var lines []string
			for len(b64) > w {
				lines = append(lines, b64[:w])
				b64 = b64[w:]
			}
			b64 = strings.Join(append(lines, b64), "\r\n")
		}
		doc := "<CardPicture><ID>" + strconv.Itoa(id) + "</ID><Picture>" + b64 + "</Picture></CardPicture>"
		got, err := parsePicture([]byte(doc), id)
		if err != nil || string(got) != string(pic) {
			t.Fatalf("%s read as %x, %v", doc, got, err)
		}
	})
}

// FuzzParseVersion: a version read writes back as one that reads the same.
func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"8.10.0.1234", "7.5", "7.50", " 8.10 ", "1.2.3.4.5", "-1.0", "8.x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err != nil {
			return
		}
		w, err := ParseVersion(v.String())
		if err != nil || w != v {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, v, v.String(), w, err)
		}
	})
}
