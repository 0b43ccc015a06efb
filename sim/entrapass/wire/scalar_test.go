package wire

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScalarWritersGolden(t *testing.T) {
	assert.Equal(t, "<ServiceCommandResult>OK</ServiceCommandResult>", CommandResultOK)
	assert.Equal(t, CommandResultOK, string(AppendCommandResult(nil, "OK")))
	assert.Equal(t, "<ServiceCommandResult>A &amp; B</ServiceCommandResult>", string(AppendCommandResult(nil, "A & B")))
	assert.Equal(t, "<int>42</int>", string(AppendInt(nil, 42)))
	assert.Equal(t, "<int>-1</int>", string(AppendInt(nil, -1)))
	assert.Equal(t, "x<int>0</int>", string(AppendInt([]byte("x"), 0)))
	assert.Equal(t, "<string>591,592</string>", string(AppendString(nil, "591,592")))
	assert.Equal(t, "<string>&lt;&gt;</string>", string(AppendString(nil, "<>")))
	assert.Equal(t, "<string></string>", string(AppendString(nil, "")))
}

func TestParseScalars(t *testing.T) {
	s, err := ParseCommandResult([]byte(CommandResultOK))
	require.NoError(t, err)
	assert.Equal(t, "OK", s)

	n, err := ParseInt([]byte("<int>601</int>"))
	require.NoError(t, err)
	assert.Equal(t, 601, n)

	n, err = ParseInt([]byte(`<?xml version="1.0"?><int xmlns="http://schemas.microsoft.com/2003/10/Serialization/"> 7 </int>`))
	require.NoError(t, err)
	assert.Equal(t, 7, n)

	s, err = ParseString([]byte("<string>a &amp; b</string>"))
	require.NoError(t, err)
	assert.Equal(t, "a & b", s)

	for _, doc := range []string{"<int>x</int>", "<int>2147483648</int>", "<int></int>", "<string>1</string>", "<int>1", ""} {
		_, err := ParseInt([]byte(doc))
		assert.Error(t, err, doc)
	}
	_, err = ParseCommandResult([]byte("<int>1</int>"))
	assert.Error(t, err)
}

func TestParseScalarReturnsFault(t *testing.T) {
	_, err := ParseInt(ComponentNotExist("5").Marshal())
	var f *Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, CodeComponentNotExist, f.Message)
	_, err = ParseCommandResult(InvalidSessionKey().Marshal())
	require.ErrorAs(t, err, &f)
	assert.Equal(t, CodeInvalidSessionKey, f.Message)
}

func TestParseStringList(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []int
	}{
		{"GO app", "<string>591,592</string>", []int{591, 592}},
		{"one", "<string>7</string>", []int{7}},
		{"WCF namespace", `<string xmlns="http://schemas.microsoft.com/2003/10/Serialization/">1,2,3</string>`, []int{1, 2, 3}},
		{"whitespace", "\n<string> 1 ,\t2 ,\n3 </string>\n", []int{1, 2, 3}},
		{"declaration", `<?xml version="1.0" encoding="utf-8"?><string>4</string>`, []int{4}},
		{"trailing comma", "<string>1,2,</string>", []int{1, 2}},
		{"empty", "<string></string>", []int{}},
		{"self-closed", "<string/>", []int{}},
		{"commas only", "<string>,,</string>", []int{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStringList([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseStringListRejects(t *testing.T) {
	tests := []struct {
		name, body, mention string
	}{
		{"not a number", "<string>591,abc,592</string>", `"abc"`},
		{"out of range", "<string>1,99999999999</string>", `"99999999999"`},
		{"float", "<string>1.5</string>", `"1.5"`},
		{"wrong root", "<int>1</int>", "<int>"},
		{"malformed", "<string>1,2", "malformed XML"},
		{"empty body", "", "malformed XML"},
		{"child element", "<string><a/></string>", "string"},
		{"two roots", "<string>1</string><string>2</string>", "string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseStringList([]byte(tt.body))
			var f *Fault
			require.ErrorAs(t, err, &f)
			assert.Equal(t, CodeInvalidParameter, f.Message)
			assert.Contains(t, f.VisibleMessage, "string")
			assert.Contains(t, f.VisibleMessage, tt.mention)
		})
	}
}

func FuzzParseStringList(f *testing.F) {
	f.Add([]byte("<string>591,592</string>"))
	f.Add([]byte(`<string xmlns="http://schemas.microsoft.com/2003/10/Serialization/"> 1 , 2 ,</string>`))
	f.Add([]byte("<string>-2147483648,2147483647</string>"))
	f.Add([]byte("<string>1,x</string>"))
	f.Add([]byte("<string>"))
	f.Fuzz(func(t *testing.T, body []byte) {
		ids, err := ParseStringList(body)
		if err != nil {
			if _, ok := err.(*Fault); !ok {
				t.Fatalf("error is %T, want *Fault", err)
			}
			return
		}
		// What we accept, written back canonically, parses to the same ids.
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = strconv.Itoa(id)
		}
		again, err := ParseStringList(AppendString(nil, strings.Join(parts, ",")))
		if err != nil {
			t.Fatalf("canonical form rejected: %v", err)
		}
		if fmt.Sprint(again) != fmt.Sprint(ids) {
			t.Fatalf("round trip: %v != %v", again, ids)
		}
	})
}
