package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

const (
	// MaxDocSize bounds a document's JSON encoding. Documents here are
	// providers, badges, groups and visits: anything near this size is a
	// bug (say, an unbounded list), and bbolt keeps a whole value in one
	// contiguous run of pages, so large values also bloat the file.
	MaxDocSize = 1 << 20
	// MaxIDSize bounds ids and bucket names, in bytes.
	MaxIDSize = 256
)

// errTxClosed is returned by a Tx used after its Update or View returned.
var errTxClosed = errors.New("store: transaction has ended")

// Tx is one transaction, valid only inside the Update or View callback that
// received it, and only on that callback's goroutine.
type Tx struct {
	tx *bolt.Tx
}

func (tx *Tx) close() { tx.tx = nil }

// Put stores v, encoded with json.Marshal, as document id of bucket,
// replacing any previous one. The bucket is created if needed. A document
// over MaxDocSize is refused.
func (tx *Tx) Put(bucket, id string, v any) error {
	if err := tx.check(bucket, id); err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("store: put %s/%s: %w", bucket, id, err)
	}
	if len(raw) > MaxDocSize {
		return fmt.Errorf("store: put %s/%s: %w (%d bytes, limit %d)", bucket, id, ErrTooLarge, len(raw), MaxDocSize)
	}
	b, err := tx.tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return fmt.Errorf("store: put %s/%s: %w", bucket, id, err)
	}
	if err := b.Put([]byte(id), raw); err != nil {
		return fmt.Errorf("store: put %s/%s: %w", bucket, id, err)
	}
	return nil
}

// Get decodes document id of bucket into v (a pointer, as for
// json.Unmarshal) and reports whether it exists. An absent bucket or id is
// (false, nil). v may be nil to test existence only.
func (tx *Tx) Get(bucket, id string, v any) (bool, error) {
	if err := tx.check(bucket, id); err != nil {
		return false, err
	}
	b := tx.tx.Bucket([]byte(bucket))
	if b == nil {
		return false, nil
	}
	raw := b.Get([]byte(id))
	if raw == nil {
		return false, nil
	}
	if v == nil {
		return true, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return true, fmt.Errorf("store: get %s/%s: %w", bucket, id, err)
	}
	return true, nil
}

// Delete removes document id of bucket. Deleting an absent document (or
// from an absent bucket) is not an error, so retried deletes are harmless.
func (tx *Tx) Delete(bucket, id string) error {
	if err := tx.check(bucket, id); err != nil {
		return err
	}
	b := tx.tx.Bucket([]byte(bucket))
	if b == nil {
		// Still refuse a delete in a read-only transaction, as bbolt
		// would if the bucket existed: the caller has a bug either way.
		if !tx.tx.Writable() {
			return fmt.Errorf("store: delete %s/%s: %w", bucket, id, berrors.ErrTxNotWritable)
		}
		return nil
	}
	if err := b.Delete([]byte(id)); err != nil {
		return fmt.Errorf("store: delete %s/%s: %w", bucket, id, err)
	}
	return nil
}

// List calls fn for each document of bucket in id order: numeric order when
// every id is a string of decimal digits (so "10" follows "9", as NextID's
// ids should), byte order otherwise. raw is the document's JSON; it is valid
// only during fn and must not be modified (copy it to keep it). An absent
// bucket lists nothing. An error from fn stops the listing and is returned.
func (tx *Tx) List(bucket string, fn func(id string, raw []byte) error) error {
	if err := tx.checkBucket(bucket); err != nil {
		return err
	}
	b := tx.tx.Bucket([]byte(bucket))
	if b == nil {
		return nil
	}
	type doc struct{ id, raw []byte }
	var docs []doc
	allDigits := true
	err := b.ForEach(func(k, v []byte) error {
		if v == nil {
			return nil // a nested bucket, which this package never makes
		}
		allDigits = allDigits && isDigits(k)
		docs = append(docs, doc{k, v})
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: list %s: %w", bucket, err)
	}
	if allDigits {
		sort.SliceStable(docs, func(i, j int) bool { return numericLess(docs[i].id, docs[j].id) })
	}
	for _, d := range docs {
		if err := fn(string(d.id), d.raw); err != nil {
			return err
		}
	}
	return nil
}

// NextID returns a new id unique in bucket: the decimal form of the
// bucket's bbolt sequence, which increases by one with every call ("1",
// "2", …) and is never reused, even after deletes. The bucket is created if
// needed. Like any write it is undone if the transaction is.
func (tx *Tx) NextID(bucket string) (string, error) {
	if err := tx.checkBucket(bucket); err != nil {
		return "", err
	}
	b, err := tx.tx.CreateBucketIfNotExists([]byte(bucket))
	if err != nil {
		return "", fmt.Errorf("store: next id in %s: %w", bucket, err)
	}
	n, err := b.NextSequence()
	if err != nil {
		return "", fmt.Errorf("store: next id in %s: %w", bucket, err)
	}
	return strconv.FormatUint(n, 10), nil
}

func (tx *Tx) check(bucket, id string) error {
	if err := tx.checkBucket(bucket); err != nil {
		return err
	}
	if id == "" || len(id) > MaxIDSize {
		return fmt.Errorf("store: bucket %s: %w: id must be 1 to %d bytes, got %d", bucket, ErrInvalidID, MaxIDSize, len(id))
	}
	return nil
}

func (tx *Tx) checkBucket(bucket string) error {
	if tx.tx == nil {
		return errTxClosed
	}
	if bucket == "" || len(bucket) > MaxIDSize {
		return fmt.Errorf("store: %w: bucket name must be 1 to %d bytes, got %d", ErrInvalidID, MaxIDSize, len(bucket))
	}
	// A leading NUL marks the store's own buckets (see metaBucket).
	if bucket[0] == 0 {
		return fmt.Errorf("store: %w: bucket name %q is reserved", ErrInvalidID, bucket)
	}
	return nil
}

func isDigits(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// numericLess compares two strings of decimal digits by value without
// parsing them (ids may exceed uint64 when callers choose their own). Equal
// values with different leading zeros fall back to byte order, so the order
// is total and deterministic.
func numericLess(a, b []byte) bool {
	ta, tb := bytes.TrimLeft(a, "0"), bytes.TrimLeft(b, "0")
	if len(ta) != len(tb) {
		return len(ta) < len(tb)
	}
	if c := bytes.Compare(ta, tb); c != 0 {
		return c < 0
	}
	return bytes.Compare(a, b) < 0
}
