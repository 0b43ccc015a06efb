package store_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/store"
)

func skipWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions")
	}
}

func TestKeyFileCreatedAndReused(t *testing.T) {
	skipWindows(t)
	path := tempPath(t)
	s, err := store.Open(path)
	require.NoError(t, err)
	sealed, err := s.Seal("hunter2")
	require.NoError(t, err)
	require.NoError(t, s.Close())

	kp := store.KeyPath(path)
	assert.Equal(t, path+".key", kp)
	fi, err := os.Stat(kp)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	assert.EqualValues(t, 32, fi.Size())
	key, err := os.ReadFile(kp)
	require.NoError(t, err)
	assert.False(t, bytes.Equal(key, make([]byte, 32)), "key is random, not zero")

	// Reopening reuses the same key: old seals still open, the file is untouched.
	s, err = store.Open(path)
	require.NoError(t, err)
	plain, err := s.Unseal(sealed)
	require.NoError(t, err)
	assert.Equal(t, "hunter2", plain)
	require.NoError(t, s.Close())
	again, err := os.ReadFile(kp)
	require.NoError(t, err)
	assert.Equal(t, key, again)

	// And the file's key is the store's key.
	s, err = store.Open(path, store.WithKey(key))
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

func TestKeyFileNoTempLeftBehind(t *testing.T) {
	path := tempPath(t)
	s, err := store.Open(path)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	dir, err := os.ReadDir(dirOf(path))
	require.NoError(t, err)
	var names []string
	for _, e := range dir {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"visitors.db", "visitors.db.key"}, names)
}

func TestKeyFileBadModeRefused(t *testing.T) {
	skipWindows(t)
	path := tempPath(t)
	s, err := store.Open(path)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	kp := store.KeyPath(path)
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		require.NoError(t, os.Chmod(kp, mode))
		_, err = store.Open(path)
		require.Error(t, err, "mode %#o", mode)
		assert.ErrorContains(t, err, kp)
		assert.ErrorContains(t, err, "group or others")
	}
	// The store was not left locked by the failed Opens.
	require.NoError(t, os.Chmod(kp, 0o600))
	s, err = store.Open(path)
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

func TestKeyFileBadSizeRefused(t *testing.T) {
	path := tempPath(t)
	kp := store.KeyPath(path)
	for _, size := range []int{0, 16, 31, 33, 44} {
		require.NoError(t, os.WriteFile(kp, make([]byte, size), 0o600))
		require.NoError(t, os.Chmod(kp, 0o600))
		_, err := store.Open(path)
		require.Error(t, err, "size %d", size)
		assert.ErrorContains(t, err, kp)
	}
}

func TestKeyFileMissingForExistingStore(t *testing.T) {
	path := tempPath(t)
	s, err := store.Open(path)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, os.Remove(store.KeyPath(path)))

	_, err = store.Open(path)
	require.ErrorContains(t, err, store.KeyPath(path))
	require.ErrorContains(t, err, "missing")
	_, err = os.Stat(store.KeyPath(path))
	assert.True(t, os.IsNotExist(err), "no new key is made for a store with sealed data")
}

func TestEnvKeyUsed(t *testing.T) {
	path := tempPath(t)
	t.Setenv(store.KeyEnv, base64.StdEncoding.EncodeToString(key2)+"\n")
	s, err := store.Open(path)
	require.NoError(t, err)
	sealed, err := s.Seal("pw")
	require.NoError(t, err)
	require.NoError(t, s.Close())
	_, err = os.Stat(store.KeyPath(path))
	assert.True(t, os.IsNotExist(err), "no key file when the variable gives the key")

	// The variable's key is the store's key.
	s, err = store.Open(path, store.WithKey(key2))
	require.NoError(t, err)
	plain, err := s.Unseal(sealed)
	require.NoError(t, err)
	assert.Equal(t, "pw", plain)
	require.NoError(t, s.Close())

	// URL-safe and unpadded forms are accepted too.
	t.Setenv(store.KeyEnv, base64.RawURLEncoding.EncodeToString(key2))
	s, err = store.Open(path)
	require.NoError(t, err)
	require.NoError(t, s.Close())

	// WithKey wins over the variable.
	s, err = store.Open(tempPath(t), store.WithKey(key1))
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

func TestEnvKeyBadRefused(t *testing.T) {
	secretish := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x5a}, 16))
	for _, v := range []string{"", "   ", "not base64 at all!", secretish, base64.StdEncoding.EncodeToString(make([]byte, 33))} {
		t.Run("", func(t *testing.T) {
			t.Setenv(store.KeyEnv, v)
			path := tempPath(t)
			_, err := store.Open(path)
			require.Error(t, err)
			assert.ErrorContains(t, err, "PACSIM_VISITORS_KEY")
			if len(v) > 3 {
				assert.NotContains(t, err.Error(), v, "the value is never echoed")
			}
			_, statErr := os.Stat(store.KeyPath(path))
			assert.True(t, os.IsNotExist(statErr), "no fallback to a key file")
		})
	}
}

func TestWithKeyBadSize(t *testing.T) {
	_, err := store.Open(tempPath(t), store.WithKey(make([]byte, 16)))
	require.ErrorContains(t, err, "WithKey")
}

func TestOpenWithAnotherKey(t *testing.T) {
	path := tempPath(t)
	s, err := store.Open(path, store.WithKey(key1))
	require.NoError(t, err)
	require.NoError(t, s.Close())

	_, err = store.Open(path, store.WithKey(key2))
	require.ErrorIs(t, err, store.ErrWrongKey)
	assert.ErrorContains(t, err, "the store's secrets were sealed with another key (")
	assert.ErrorContains(t, err, path)

	t.Setenv(store.KeyEnv, base64.StdEncoding.EncodeToString(key2))
	_, err = store.Open(path)
	require.ErrorIs(t, err, store.ErrWrongKey)
	assert.ErrorContains(t, err, "$PACSIM_VISITORS_KEY")

	// The failed Opens released the lock; the right key still works.
	s, err = store.Open(path, store.WithKey(key1))
	require.NoError(t, err)
	require.NoError(t, s.Close())
}

func TestOpenWithAnotherKeyFile(t *testing.T) {
	skipWindows(t)
	path := tempPath(t)
	s, err := store.Open(path)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, os.WriteFile(store.KeyPath(path), key2, 0o600))

	_, err = store.Open(path)
	require.ErrorIs(t, err, store.ErrWrongKey)
	assert.ErrorContains(t, err, "key file "+store.KeyPath(path))
}
