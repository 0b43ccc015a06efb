package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writerExchange(seq int) *Exchange {
	return &Exchange{
		Seq: seq, OffsetMS: int64(seq) * 10, DurationMS: 3,
		Request:  Request{Method: "GET", Path: "/SmartService/Doors", Query: fmt.Sprintf("sdKey=k&id=%d", seq)},
		Response: Response{Status: 200, Body: "<int>1</int>"},
	}
}

func TestWriterCreate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.jsonl")
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	w, err := Create(path, Header{System: SystemEntraPass, RecordedAt: at, Upstream: "http://10.0.0.5:8801", Redacted: true})
	require.NoError(t, err)
	require.NoError(t, w.Write(writerExchange(1)))
	require.NoError(t, w.Write(writerExchange(2)))
	assert.Equal(t, 2, w.Count())
	require.NoError(t, w.Close())
	require.NoError(t, w.Close(), "a second Close does nothing")
	assert.Error(t, w.Write(writerExchange(3)), "no write after Close")

	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, `{"format":"pacsim-recording","version":1,"system":"entrapass","recorded_at":"2026-12-03T10:00:00Z","upstream":"http://10.0.0.5:8801","redacted":true}`, lines[0])
	assert.Contains(t, lines[1], `"body":"<int>1</int>"`, "XML is not escaped into \\u003c")

	rec, err := Open(path)
	require.NoError(t, err)
	assert.Equal(t, FormatName, rec.Header.Format)
	assert.Equal(t, Version, rec.Header.Version)
	assert.Equal(t, []int{2, 3}, rec.Lines)
	assert.Equal(t, *writerExchange(2), rec.Exchanges[1])
}

func TestWriterCreateRefusesAnExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	require.NoError(t, os.WriteFile(path, []byte("yesterday\n"), 0o644))
	_, err := Create(path, Header{System: SystemGenetec})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "exists; pass --force to overwrite")
	b, _ := os.ReadFile(path)
	assert.Equal(t, "yesterday\n", string(b), "left alone")

	w, err := Create(path, Header{System: SystemGenetec}, WithForce())
	require.NoError(t, err)
	require.NoError(t, w.Close())
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "an overwritten file is 0600 too")
	rec, err := Open(path)
	require.NoError(t, err)
	assert.Empty(t, rec.Exchanges)
}

func TestWriterRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    Header
		e    func(*Exchange)
	}{
		{"unknown system", Header{System: "lenel"}, nil},
		{"no method", Header{System: SystemEntraPass}, func(e *Exchange) { e.Request.Method = "" }},
		{"no path", Header{System: SystemEntraPass}, func(e *Exchange) { e.Request.Path = "" }},
		{"no status without an error", Header{System: SystemEntraPass}, func(e *Exchange) { e.Response.Status = 0 }},
		{"both bodies", Header{System: SystemEntraPass}, func(e *Exchange) { e.Request.Body, e.Request.Body64 = "a", "YQ==" }},
		{"bad base64", Header{System: SystemEntraPass}, func(e *Exchange) { e.Response.Body, e.Response.Body64 = "", "!!" }},
		{"body and chunks", Header{System: SystemEntraPass}, func(e *Exchange) { e.Response.Chunks = []Chunk{{Data: "x"}} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, tc.h)
			if tc.e == nil {
				require.ErrorIs(t, err, ErrFormat)
				return
			}
			require.NoError(t, err)
			e := writerExchange(1)
			tc.e(e)
			require.ErrorIs(t, w.Write(e), ErrFormat)
			assert.Equal(t, 0, w.Count())
			assert.Equal(t, 1, strings.Count(buf.String(), "\n"), "nothing written")
		})
	}
}

func TestWriterKeepsAnExchangeWithoutAnswer(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{System: SystemGenetec})
	require.NoError(t, err)
	e := writerExchange(1)
	e.Response = Response{}
	e.Error = "connection refused"
	require.NoError(t, w.Write(e))
	rec, err := Read(&buf)
	require.NoError(t, err)
	assert.Equal(t, "connection refused", rec.Exchanges[0].Error)
}

func TestWriterConcurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	w, err := Create(path, Header{System: SystemEntraPass})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := 1; i <= 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.NoError(t, w.Write(writerExchange(i)))
		}()
	}
	wg.Wait()
	require.NoError(t, w.Close())
	rec, err := Open(path)
	require.NoError(t, err)
	require.Len(t, rec.Exchanges, 50, "every line whole")
	assert.Equal(t, 50, w.Count())
}

// writerFailing fails every write after the first n bytes, as a full disk
// would, having written part of the line.
type writerFailing struct {
	buf  bytes.Buffer
	left int
}

func (f *writerFailing) Write(p []byte) (int, error) {
	if len(p) <= f.left {
		f.left -= len(p)
		return f.buf.Write(p)
	}
	n := f.left
	f.buf.Write(p[:n])
	f.left = 0
	return n, errors.New("no space left on device")
}

func TestWriterDiskFull(t *testing.T) {
	f := &writerFailing{left: 300}
	w, err := NewWriter(f, Header{System: SystemEntraPass})
	require.NoError(t, err)
	require.NoError(t, w.Write(writerExchange(1)))
	err = w.Write(writerExchange(2))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no space left")
	assert.Equal(t, 1, w.Count())
	require.Error(t, w.Write(writerExchange(3)), "a half-written line cannot be taken back from a plain writer")
	require.NoError(t, w.Close(), "Close works after a write error")
	_, err = Read(bytes.NewReader(f.buf.Bytes()))
	require.ErrorIs(t, err, ErrTruncated, "the cut line reads as a truncation")
}

// On a file, a partial line is taken back: the recording stays whole and
// writing goes on. A read-only file makes every write fail with nothing
// written, which exercises the same path without filling a disk.
func TestWriterFileStaysReadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	w, err := Create(path, Header{System: SystemEntraPass})
	require.NoError(t, err)
	require.NoError(t, w.Write(writerExchange(1)))
	fw := w.file
	ro, err := os.Open(path)
	require.NoError(t, err)
	w.w = ro // writes fail: bad file descriptor
	require.Error(t, w.Write(writerExchange(2)))
	w.w = fw
	require.NoError(t, w.Write(writerExchange(3)), "the writer is still usable")
	ro.Close()
	require.NoError(t, w.Close())
	rec, err := Open(path)
	require.NoError(t, err)
	require.Len(t, rec.Exchanges, 2)
	assert.Equal(t, 3, rec.Exchanges[1].Seq)
}
