package store_test

import (
	"bytes"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/store"
)

type visit struct {
	ID    string `json:"id"`
	State string `json:"state"`
	Badge string `json:"badge"`
}

type provider struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Password string `json:"password"` // sealed
}

var (
	key1 = bytes.Repeat([]byte{0x11}, 32)
	key2 = bytes.Repeat([]byte{0x22}, 32)
)

func tempPath(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), "visitors.db")
}

// openTemp opens a new store with a fixed key, closed at test end.
func openTemp(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(tempPath(t), store.WithKey(key1))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func itoa(i int) string { return strconv.Itoa(i) }

func dirOf(path string) string { return filepath.Dir(path) }
