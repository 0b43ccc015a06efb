package store

import (
	"encoding/json"
	"fmt"
)

// Put stores v as document id of bucket in its own transaction. Use
// Store.Update and Tx.Put to change several documents atomically.
func Put[T any](s *Store, bucket, id string, v T) error {
	return s.Update(func(tx *Tx) error { return tx.Put(bucket, id, v) })
}

// Get returns document id of bucket decoded as T, and whether it exists; an
// absent document is the zero T and false.
func Get[T any](s *Store, bucket, id string) (T, bool, error) {
	var v T
	var found bool
	err := s.View(func(tx *Tx) error {
		var err error
		found, err = tx.Get(bucket, id, &v)
		return err
	})
	if err != nil {
		var zero T
		return zero, false, err
	}
	return v, found, nil
}

// List returns every document of bucket decoded as T, in id order (numeric
// when all ids are decimal digits, as NextID's are; see Tx.List). An absent
// bucket is an empty list.
func List[T any](s *Store, bucket string) ([]T, error) {
	var out []T
	err := s.View(func(tx *Tx) error {
		return tx.List(bucket, func(id string, raw []byte) error {
			var v T
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("store: list %s: document %s: %w", bucket, id, err)
			}
			out = append(out, v)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
