package scenarios

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	readerHeader = `{"format":"pacsim-recording","version":1,"system":"entrapass","recorded_at":"2026-12-03T10:00:00Z","upstream":"http://10.0.0.5:8801","redacted":true}`
	readerLine   = `{"seq":1,"offset_ms":0,"duration_ms":12,"request":{"method":"GET","path":"/SmartService/Doors","query":"sdKey=k"},"response":{"status":200,"body":"<int>1</int>"}}`
	readerStream = `{"seq":2,"offset_ms":5,"duration_ms":900,"request":{"method":"GET","path":"/WebSdk/events"},"response":{"status":200,"chunks":[{"offset_ms":0,"data":"ConnectionId:x\r\n"},{"offset_ms":800,"data_b64":"/w=="}]},"error":"stream ended by the client"}`
)

func TestReader(t *testing.T) {
	rec, err := Read(strings.NewReader(readerHeader + "\n" + readerLine + "\n" + readerStream + "\n"))
	require.NoError(t, err)
	assert.Equal(t, SystemEntraPass, rec.Header.System)
	assert.True(t, rec.Header.Redacted)
	require.Len(t, rec.Exchanges, 2)
	assert.Equal(t, []int{2, 3}, rec.Lines)
	assert.Equal(t, "<int>1</int>", rec.Exchanges[0].Response.Body)
	b, err := rec.Exchanges[1].Response.Bytes()
	require.NoError(t, err)
	assert.Equal(t, "ConnectionId:x\r\n\xff", string(b))
}

func TestReaderErrors(t *testing.T) {
	h := readerHeader + "\n"
	for _, tc := range []struct {
		name, in string
		line     int
		err      error
		msg      string
	}{
		{"empty file", "", 1, ErrFormat, "empty"},
		{"not a recording", "hello\n", 1, ErrFormat, "pacsim-recording"},
		{"another format", `{"format":"har","version":1}` + "\n", 1, ErrFormat, "pacsim-recording"},
		{"version 2", `{"format":"pacsim-recording","version":2,"system":"entrapass","future":true}` + "\n", 1, ErrVersion,
			"recording version 2: this pacsim reads version 1"},
		{"unknown header field", `{"format":"pacsim-recording","version":1,"system":"entrapass","extra":1}` + "\n", 1, ErrFormat, "extra"},
		{"unknown system", `{"format":"pacsim-recording","version":1,"system":"lenel"}` + "\n", 1, ErrFormat, "lenel"},
		{"header without newline", readerHeader, 1, ErrTruncated, "newline"},
		{"cut header", readerHeader[:30], 1, ErrTruncated, "newline"},
		{"bad JSON", h + "{\n", 2, ErrFormat, ""},
		{"unknown field", h + strings.Replace(readerLine, `"seq":1`, `"seq":1,"sequence":1`, 1) + "\n", 2, ErrFormat, "sequence"},
		{"unknown nested field", h + strings.Replace(readerLine, `"method":"GET"`, `"method":"GET","verb":"GET"`, 1) + "\n", 2, ErrFormat, "verb"},
		{"wrong type", h + strings.Replace(readerLine, `"seq":1`, `"seq":"1"`, 1) + "\n", 2, ErrFormat, "seq"},
		{"no method", h + strings.Replace(readerLine, `"method":"GET",`, ``, 1) + "\n", 2, ErrFormat, "method"},
		{"no path", h + strings.Replace(readerLine, `"path":"/SmartService/Doors",`, ``, 1) + "\n", 2, ErrFormat, "path"},
		{"no status", h + strings.Replace(readerLine, `"status":200,`, ``, 1) + "\n", 2, ErrFormat, "status"},
		{"no request", h + `{"seq":1,"response":{"status":200}}` + "\n", 2, ErrFormat, "request"},
		{"both bodies", h + strings.Replace(readerLine, `"body":"<int>1</int>"`, `"body":"a","body_b64":"YQ=="`, 1) + "\n", 2, ErrFormat, "both"},
		{"bad base64", h + strings.Replace(readerLine, `"body":"<int>1</int>"`, `"body_b64":"***"`, 1) + "\n", 2, ErrFormat, "base64"},
		{"bad chunk base64", h + strings.Replace(readerStream, `/w==`, `/w`, 1) + "\n", 2, ErrFormat, "base64"},
		{"two values on a line", h + readerLine + readerLine + "\n", 2, ErrFormat, ""},
		{"an empty line", h + "\n" + readerLine + "\n", 2, ErrFormat, "empty"},
		{"last line cut", h + readerLine + "\n" + readerLine[:40], 3, ErrTruncated, "newline"},
		{"last line whole but without newline", h + readerLine, 2, ErrTruncated, "newline"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in))
			require.Error(t, err)
			var le *LineError
			require.True(t, errors.As(err, &le), "a *LineError: %v", err)
			assert.Equal(t, tc.line, le.Line)
			assert.ErrorIs(t, err, tc.err)
			assert.Contains(t, err.Error(), tc.msg)
			assert.True(t, strings.HasPrefix(err.Error(), "line "), err.Error())
		})
	}
}

func TestReaderLongLines(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a line of 64 MiB")
	}
	t.Parallel()
	big := strings.Repeat("x", 5<<20)
	e := writerExchange(1)
	e.Response.Body = big
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{System: SystemEntraPass})
	require.NoError(t, err)
	require.NoError(t, w.Write(e))
	rec, err := Read(&buf)
	require.NoError(t, err, "a line of several MiB reads")
	assert.Equal(t, big, rec.Exchanges[0].Response.Body)

	huge := readerHeader + "\n" + strings.Repeat(" ", MaxLine+10) + "\n"
	_, err = Read(strings.NewReader(huge))
	var le *LineError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, 2, le.Line)
	assert.ErrorIs(t, err, ErrFormat)
}

func TestReaderOpenMissing(t *testing.T) {
	_, err := Open(t.TempDir() + "/none.jsonl")
	assert.Error(t, err)
}

// FuzzReadRecording: Read never panics; every error is a *LineError; and a
// recording that reads, written back, reads the same.
func FuzzReadRecording(f *testing.F) {
	f.Add([]byte(readerHeader + "\n" + readerLine + "\n" + readerStream + "\n"))
	f.Add([]byte(readerHeader + "\n"))
	f.Add([]byte(readerHeader))
	f.Add([]byte(""))
	f.Add([]byte(`{"format":"pacsim-recording","version":2}` + "\n"))
	f.Add([]byte(readerHeader + "\n" + `{"seq":3,"request":{"method":"PUT","path":"/a","body_b64":"AAE="},"response":{"status":0},"error":"timeout"}` + "\n"))
	f.Add([]byte(readerHeader + "\n" + `{"request":{"method":"GET","path":"/\u00e9\ud800","header":{"A":["b"]}},"response":{"status":204,"header":{}}}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := Read(bytes.NewReader(data))
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("not a *LineError: %v", err)
			}
			if !errors.Is(err, ErrFormat) && !errors.Is(err, ErrVersion) && !errors.Is(err, ErrTruncated) {
				t.Fatalf("wraps no sentinel: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		w, err := NewWriter(&buf, rec.Header)
		if err != nil {
			t.Fatalf("the header read does not write: %v", err)
		}
		for i := range rec.Exchanges {
			if err := w.Write(&rec.Exchanges[i]); err != nil {
				t.Fatalf("exchange %d read does not write: %v", i+1, err)
			}
		}
		again, err := Read(&buf)
		if err != nil {
			t.Fatalf("what was written does not read: %v\n%s", err, buf.Bytes())
		}
		if len(rec.Exchanges) == 0 {
			rec.Exchanges, rec.Lines = nil, nil
		}
		require.Equal(t, rec, again)
	})
}
