package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Writer writes a recording: the header, then one exchange per line, each
// handed to the operating system (one write) before Write returns, so that
// a recorder killed at any moment leaves a file whose every complete line
// reads (at most the exchange in flight is lost, and the reader reports a
// cut last line as ErrTruncated). A file is also fsync'd at most once a
// second (SyncEvery) and at Close, so a power loss costs at most the last
// second: an fsync per exchange made the driver's event path through
// pacsim record twelve times slower (bench/RESULTS.md).
// It is safe for concurrent use.
type Writer struct {
	mu     sync.Mutex
	w      io.Writer
	file   *os.File // the file Create opened (Close closes it), else nil
	sync   bool     // fsync now and then: w is a regular *os.File
	synced time.Time
	dirty  bool
	off    int64 // bytes written: the end of the last complete line
	count  int
	broken error // a line that could not be taken back: no more writes
	closed bool
}

// writerConfig is what WriterOptions set.
type writerConfig struct {
	force bool
}

// WriterOption configures Create.
type WriterOption func(*writerConfig)

// WithForce lets Create overwrite an existing file (pacsim record --force).
func WithForce() WriterOption { return func(c *writerConfig) { c.force = true } }

// Create creates a recording at path, mode 0600 (it may hold what
// redaction missed, or everything under --no-redact), and writes its
// header with Format and Version filled in. An existing path is refused
// unless WithForce: a recording is evidence, and a typo should not erase
// yesterday's.
func Create(path string, h Header, opts ...WriterOption) (*Writer, error) {
	var cfg writerConfig
	for _, o := range opts {
		o(&cfg)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if cfg.force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s exists; pass --force to overwrite", path)
	}
	if err != nil {
		return nil, err
	}
	if cfg.force {
		// O_TRUNC keeps the mode of the file it truncates.
		if err := f.Chmod(0o600); err != nil {
			f.Close()
			return nil, err
		}
	}
	w, err := NewWriter(f, h)
	if err != nil {
		f.Close()
		return nil, err
	}
	w.file = f
	return w, nil
}

// NewWriter writes the header line to w, with Format and Version filled
// in, and returns a Writer of exchanges to w. When w is a regular file, it
// is fsync'd at most once a second and at Close. Close does not close w.
func NewWriter(w io.Writer, h Header) (*Writer, error) {
	h.Format, h.Version = FormatName, Version
	if err := checkHeader(&h); err != nil {
		return nil, err
	}
	wr := &Writer{w: w}
	if f, ok := w.(*os.File); ok {
		// fsync of a pipe or a terminal fails; only a file needs it.
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			wr.sync = true
			if off, err := f.Seek(0, io.SeekCurrent); err == nil {
				wr.off = off
			}
		}
	}
	line, err := encodeLine(&h)
	if err != nil {
		return nil, err
	}
	if err := wr.writeLine(line); err != nil {
		return nil, err
	}
	return wr, nil
}

// Write writes e as one line and returns once the operating system has it. It assigns
// nothing: the caller numbers exchanges (Seq). An exchange the reader would
// refuse (no method, both body and body_b64…) is refused with an error
// wrapping ErrFormat. A failed write (disk full) returns its error; the
// part of the line written is taken back when w is a file, so the
// recording stays readable and later writes may succeed, and Close still
// works whatever happened.
func (w *Writer) Write(e *Exchange) error {
	if err := checkExchange(e); err != nil {
		return err
	}
	line, err := encodeLine(e)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errors.New("scenarios: write to a closed recording")
	}
	if w.broken != nil {
		return fmt.Errorf("scenarios: the recording is unusable after an earlier write error: %w", w.broken)
	}
	if err := w.writeLine(line); err != nil {
		return err
	}
	w.count++
	return nil
}

// writeLine writes one line, syncs it, and on a failure takes back what was
// written of it.
func (w *Writer) writeLine(line []byte) error {
	n, err := w.w.Write(line)
	if err == nil && n < len(line) {
		err = io.ErrShortWrite
	}
	if err == nil && w.sync {
		w.dirty = true
		if now := time.Now(); now.Sub(w.synced) >= SyncEvery {
			err = w.w.(*os.File).Sync()
			w.synced, w.dirty = now, false
		}
	}
	if err != nil {
		if n > 0 && !w.rollback() {
			w.broken = err
		}
		return fmt.Errorf("scenarios: writing the recording: %w", err)
	}
	w.off += int64(n)
	return nil
}

// rollback cuts the file back to its last complete line after a partial
// write. It reports whether the file is whole again.
func (w *Writer) rollback() bool {
	f, ok := w.w.(*os.File)
	if !ok || !w.sync {
		return false
	}
	if f.Truncate(w.off) != nil {
		return false
	}
	_, err := f.Seek(w.off, io.SeekStart)
	return err == nil
}

// Count is the number of exchanges written.
func (w *Writer) Count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.count
}

// Close ends the recording: it closes the file Create opened (NewWriter's
// writer stays open). A second Close does nothing.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	var err error
	if w.sync && w.dirty {
		err = w.w.(*os.File).Sync()
	}
	if w.file != nil {
		if cerr := w.file.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// SyncEvery is how often, at most, a recording file is fsync'd while
// exchanges are written.
const SyncEvery = time.Second

// encodeLine encodes v as one JSON line. <, > and & are left as they are:
// escaping them would make every XML body unreadable in the file.
func encodeLine(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("scenarios: encoding the recording: %w", err)
	}
	if buf.Len() > MaxLine {
		return nil, fmt.Errorf("%w: an exchange of %d bytes is over the %d-byte line limit", ErrFormat, buf.Len(), MaxLine)
	}
	return buf.Bytes(), nil
}
