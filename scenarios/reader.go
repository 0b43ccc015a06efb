package scenarios

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// MaxLine is the longest line a recording may have: 64 MiB, room for a
// large answer (a 4096-row Cards list, a picture) as JSON text.
const MaxLine = 64 << 20

// Recording is a recording read into memory.
type Recording struct {
	Header    Header
	Exchanges []Exchange
	// Lines are the file line of each exchange (the header is line 1), for
	// messages that point into the file.
	Lines []int
}

// Open reads the recording at path (see Read).
func Open(path string) (*Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(f)
}

// Read reads a recording. Every error about its content is a *LineError
// naming the line, wrapping ErrFormat (not a recording, bad JSON, an unknown
// or missing field, a body both as text and base64, bad base64, a line over
// MaxLine), ErrVersion (a version this build does not read) or ErrTruncated
// (a last line without its newline: a recording cut in the middle of a
// write). Decoding is strict: an unknown field is an error rather than
// something silently dropped.
func Read(r io.Reader) (*Recording, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 1<<20 {
		// Large reads: a line of an answer with a picture is megabytes.
		br = bufio.NewReaderSize(r, 1<<20)
	}
	rec := &Recording{}
	for n := 1; ; n++ {
		line, err := readRecordingLine(br)
		if errors.Is(err, io.EOF) && len(line) == 0 {
			if n == 1 {
				return nil, &LineError{Line: 1, Err: fmt.Errorf("%w: the file is empty", ErrFormat)}
			}
			return rec, nil
		}
		if errors.Is(err, errLineTooLong) {
			return nil, &LineError{Line: n, Err: fmt.Errorf("%w: the line is over %d bytes", ErrFormat, MaxLine)}
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, &LineError{Line: n, Err: err}
		}
		cut := errors.Is(err, io.EOF) // the line has no '\n'
		if n == 1 {
			err = readHeader(line, &rec.Header)
			if cut && (err == nil || bytes.HasPrefix(bytes.TrimSpace(line), []byte("{"))) {
				// A header cut short, or whole without its newline.
				err = fmt.Errorf("%w: the header line ends without a newline", ErrTruncated)
			}
			if err != nil {
				return nil, &LineError{Line: 1, Err: err}
			}
			continue
		}
		if cut {
			return nil, &LineError{Line: n, Err: fmt.Errorf("%w: the last line ends without a newline", ErrTruncated)}
		}
		var e Exchange
		if err := readExchange(line, &e); err != nil {
			return nil, &LineError{Line: n, Err: err}
		}
		rec.Exchanges = append(rec.Exchanges, e)
		rec.Lines = append(rec.Lines, n)
	}
}

var errLineTooLong = errors.New("line too long")

// readRecordingLine reads one line with its '\n' (io.EOF with the bytes of a last
// line without one), at most MaxLine bytes.
func readRecordingLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > MaxLine+1 {
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, err
	}
}

// versionError is ErrVersion with the message the user sees.
type versionError struct{ got int }

func (e *versionError) Error() string {
	return fmt.Sprintf("recording version %d: this pacsim reads version %d", e.got, Version)
}

func (e *versionError) Unwrap() error { return ErrVersion }

// readHeader decodes and checks the header line.
func readHeader(line []byte, h *Header) error {
	// The format and version first, leniently: a later version may have
	// fields this one does not know, and deserves ErrVersion, not
	// ErrFormat.
	var probe struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(line, &probe); err != nil || probe.Format != FormatName {
		return fmt.Errorf("%w: the first line is not a header of format %q", ErrFormat, FormatName)
	}
	if probe.Version != Version {
		return &versionError{got: probe.Version}
	}
	if err := decodeStrict(line, h); err != nil {
		return fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	return checkHeader(h)
}

// checkHeader checks what the JSON cannot say.
func checkHeader(h *Header) error {
	if h.System != SystemEntraPass && h.System != SystemGenetec {
		return fmt.Errorf("%w: header: system %q is neither %q nor %q", ErrFormat, h.System, SystemEntraPass, SystemGenetec)
	}
	return nil
}

// readExchange decodes and checks an exchange line.
func readExchange(line []byte, e *Exchange) error {
	if len(bytes.TrimSpace(line)) == 0 {
		return fmt.Errorf("%w: an empty line", ErrFormat)
	}
	if err := decodeStrict(line, e); err != nil {
		return fmt.Errorf("%w: %v", ErrFormat, err)
	}
	// Presence, which the decoded zero values cannot tell.
	var seen struct {
		Request *struct {
			Method *string `json:"method"`
			Path   *string `json:"path"`
		} `json:"request"`
		Response *struct {
			Status *int `json:"status"`
		} `json:"response"`
	}
	_ = json.Unmarshal(line, &seen) // it decoded strictly just above
	switch {
	case seen.Request == nil:
		return fmt.Errorf("%w: the exchange has no request", ErrFormat)
	case seen.Request.Method == nil:
		return fmt.Errorf("%w: the request has no method", ErrFormat)
	case seen.Request.Path == nil:
		return fmt.Errorf("%w: the request has no path", ErrFormat)
	case seen.Response == nil:
		return fmt.Errorf("%w: the exchange has no response", ErrFormat)
	case seen.Response.Status == nil:
		return fmt.Errorf("%w: the response has no status", ErrFormat)
	}
	// What omitempty does not write reads as absent, so that a recording
	// read and written back reads the same.
	if len(e.Request.Header) == 0 {
		e.Request.Header = nil
	}
	if len(e.Response.Header) == 0 {
		e.Response.Header = nil
	}
	if len(e.Response.Chunks) == 0 {
		e.Response.Chunks = nil
	}
	return checkExchange(e)
}

// checkExchange checks an exchange as the format requires, on reading and
// on writing alike, so that what is written reads.
func checkExchange(e *Exchange) error {
	switch {
	case e.Request.Method == "":
		return fmt.Errorf("%w: the request has no method", ErrFormat)
	case strings.ContainsAny(e.Request.Method, " \t\r\n"):
		return fmt.Errorf("%w: request method %q", ErrFormat, clipText(e.Request.Method, 80))
	case e.Request.Path == "":
		return fmt.Errorf("%w: the request has no path", ErrFormat)
	case e.Error == "" && (e.Response.Status < 100 || e.Response.Status > 999):
		// Status 0 is "no answer", which only an exchange with an error has.
		return fmt.Errorf("%w: response status %d is not an HTTP status (and the exchange has no error)", ErrFormat, e.Response.Status)
	case e.Response.Status < 0 || e.Response.Status > 999:
		return fmt.Errorf("%w: response status %d is not an HTTP status", ErrFormat, e.Response.Status)
	}
	if _, err := e.Request.Bytes(); err != nil {
		return fmt.Errorf("request: %w", err)
	}
	if len(e.Response.Chunks) > 0 && (e.Response.Body != "" || e.Response.Body64 != "") {
		return fmt.Errorf("%w: the response has both a body and chunks", ErrFormat)
	}
	if _, err := e.Response.Bytes(); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	return nil
}

// decodeStrict decodes one JSON value into v, refusing unknown fields and
// anything after the value.
func decodeStrict(line []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(line))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("more than one JSON value on the line")
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return errors.New("more than one JSON value on the line")
	}
	return nil
}
