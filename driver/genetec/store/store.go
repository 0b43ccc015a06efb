package store

import (
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// openTimeout bounds how long Open waits for bbolt's file lock. bbolt waits
// forever by default; a second connector pointed at the same file should
// fail fast and say why instead of hanging at start.
const openTimeout = time.Second

// fileMode is the mode of a store file that Open creates: it holds visitor
// names and e-mails, which are nobody else's business.
const fileMode os.FileMode = 0o600

// Errors callers may test for with errors.Is. The returned errors carry more
// detail (the path, the key source) in their messages.
var (
	// ErrInUse reports that another process (or another Open in this
	// process) holds the store's file lock.
	ErrInUse = errors.New("store is in use by another process")
	// ErrWrongKey reports that the sealing key is not the one the store's
	// secrets were sealed with.
	ErrWrongKey = errors.New("the store's secrets were sealed with another key")
	// ErrInvalidID reports an empty or over-long id or bucket name.
	ErrInvalidID = errors.New("invalid id")
	// ErrTooLarge reports a document whose JSON encoding exceeds MaxDocSize.
	ErrTooLarge = errors.New("document too large")
)

// Store is an open store file plus its sealing key. It is safe for
// concurrent use; bbolt serialises writers and lets readers run alongside.
type Store struct {
	db   *bolt.DB
	path string
	seal *sealer
}

// Option configures Open.
type Option func(*options)

type options struct {
	key []byte // nil: take the key from the environment or the key file
}

// WithKey makes Open use key (exactly 32 bytes) as the sealing key instead
// of $PACSIM_VISITORS_KEY or the key file; no key file is read or created.
// It is meant for tests and embedding, where a fixed key is wanted.
func WithKey(key []byte) Option {
	return func(o *options) { o.key = append([]byte(nil), key...) }
}

// Open opens the bbolt file at path, creating it with mode 0600 if absent,
// and loads or creates the sealing key.
//
// If another process holds the file, Open gives up after one second with
// "store <path> is in use by another process" (errors.Is ErrInUse).
//
// The key is, in order of precedence: the one given with WithKey;
// $PACSIM_VISITORS_KEY, which must then be base64 of exactly 32 bytes (a set
// but empty or malformed variable is an error, so that a typo never silently
// falls back to another key); or the key file "<path>.key", made with 32
// random bytes and mode 0600 when the store is new. A key file of the wrong
// size or readable by group or others is an error naming it.
//
// A new store records a sealed check value; opening it later with another
// key fails here with ErrWrongKey instead of at the first unseal.
func Open(path string, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.key != nil && len(o.key) != keySize {
		return nil, fmt.Errorf("store %s: WithKey: key is %d bytes, want %d", path, len(o.key), keySize)
	}

	db, err := bolt.Open(path, fileMode, &bolt.Options{Timeout: openTimeout})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, &kindError{kind: ErrInUse, msg: fmt.Sprintf("store %s is in use by another process", path)}
		}
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.init(o); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// init loads the key and checks it against the store, or records it in a
// new store. It runs with the file lock held, so two first starts cannot
// race to make two different key files.
func (s *Store) init(o options) error {
	m, err := s.readMeta()
	if err != nil {
		return err
	}
	if m.version != "" && m.version != formatVersion {
		return fmt.Errorf("store %s has format version %q; this build reads %q", s.path, m.version, formatVersion)
	}
	// A store that already has sealed secrets must not get a fresh key
	// file: that would only turn "key file missing" into "wrong key".
	key, source, err := loadKey(s.path, o.key, m.check == "")
	if err != nil {
		return err
	}
	sl, err := newSealer(key)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	s.seal = sl
	if m.check != "" {
		got, err := s.seal.unseal(m.check)
		if err != nil || got != checkPlain {
			return &kindError{kind: ErrWrongKey, msg: fmt.Sprintf("store %s: %s (the key from %s does not open them; use the key the store was created with)", s.path, ErrWrongKey, source)}
		}
		return nil
	}
	return s.writeMeta()
}

// Close closes the file and releases its lock. The Store must not be used
// afterwards.
func (s *Store) Close() error {
	return s.db.Close()
}

// Path returns the path the store was opened with.
func (s *Store) Path() string {
	return s.path
}

// Update runs fn in one read-write transaction. If fn returns nil, all its
// writes are committed and fsync'd before Update returns; if fn returns an
// error or panics, none of them are (a panic is re-raised, not swallowed).
// fn must not call Update or View on the same Store: that deadlocks.
func (s *Store) Update(fn func(tx *Tx) error) error {
	return s.db.Update(func(btx *bolt.Tx) error {
		tx := &Tx{tx: btx}
		// The Tx must not outlive its bbolt transaction: bbolt memory
		// behind it is unmapped or reused after commit.
		defer tx.close()
		return fn(tx)
	})
}

// View runs fn in a read-only transaction that sees a consistent snapshot.
// Writes inside fn fail.
func (s *Store) View(fn func(tx *Tx) error) error {
	return s.db.View(func(btx *bolt.Tx) error {
		tx := &Tx{tx: btx}
		defer tx.close()
		return fn(tx)
	})
}

// kindError is an error with its own full message that still matches a
// sentinel with errors.Is, so messages need not repeat the sentinel's text.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// The meta bucket holds the store's own bookkeeping. Its name starts with a
// NUL byte, which Tx refuses in bucket names, so no caller can reach it.
const metaBucket = "\x00meta"

const (
	metaVersion = "version"
	metaCheck   = "key_check"
	// formatVersion is written at creation so that a later, incompatible
	// layout can be refused instead of misread.
	formatVersion = "1"
	// checkPlain is what the check value seals. It is not secret: the point
	// is only that a wrong key fails GCM authentication on it.
	checkPlain = "pacsim visitors store key check"
)

type meta struct {
	version string
	check   string
}

func (s *Store) readMeta() (meta, error) {
	var m meta
	err := s.db.View(func(btx *bolt.Tx) error {
		b := btx.Bucket([]byte(metaBucket))
		if b == nil {
			return nil
		}
		m.version = string(b.Get([]byte(metaVersion)))
		m.check = string(b.Get([]byte(metaCheck)))
		return nil
	})
	if err != nil {
		return meta{}, fmt.Errorf("store %s: reading meta: %w", s.path, err)
	}
	return m, nil
}

// writeMeta records the format version and the sealed check value in one
// transaction, so a crash leaves either both or neither.
func (s *Store) writeMeta() error {
	check, err := s.seal.seal(checkPlain)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.path, err)
	}
	err = s.db.Update(func(btx *bolt.Tx) error {
		b, err := btx.CreateBucketIfNotExists([]byte(metaBucket))
		if err != nil {
			return err
		}
		if err := b.Put([]byte(metaVersion), []byte(formatVersion)); err != nil {
			return err
		}
		return b.Put([]byte(metaCheck), []byte(check))
	})
	if err != nil {
		return fmt.Errorf("store %s: writing meta: %w", s.path, err)
	}
	return nil
}
