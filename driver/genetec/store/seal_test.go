package store_test

import (
	"bytes"
	"encoding/base64"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/store"
)

func TestSealRoundTrip(t *testing.T) {
	s := openTemp(t)
	for _, plain := range []string{"", "hunter2", "pässwörd ✓", strings.Repeat("x", 10000), "\x00\xff"} {
		sealed, err := s.Seal(plain)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(sealed, "v1:"))
		if plain != "" {
			assert.NotContains(t, sealed, plain)
		}
		got, err := s.Unseal(sealed)
		require.NoError(t, err)
		assert.Equal(t, plain, got)
	}
}

func TestSealNonceRandom(t *testing.T) {
	s := openTemp(t)
	a, err := s.Seal("same")
	require.NoError(t, err)
	b, err := s.Seal("same")
	require.NoError(t, err)
	assert.NotEqual(t, a, b)
	ra, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, "v1:"))
	rb, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(b, "v1:"))
	assert.NotEqual(t, ra[:12], rb[:12], "nonces differ")
}

func TestUnsealTamper(t *testing.T) {
	s := openTemp(t)
	const plain = "correct horse battery staple"
	sealed, err := s.Seal(plain)
	require.NoError(t, err)
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(sealed, "v1:"))
	require.NoError(t, err)
	// Every bit of nonce, ciphertext and tag is covered.
	for i := range raw {
		for bit := range 8 {
			bad := bytes.Clone(raw)
			bad[i] ^= 1 << bit
			got, err := s.Unseal("v1:" + base64.StdEncoding.EncodeToString(bad))
			require.ErrorIs(t, err, store.ErrUnsealAuth, "byte %d bit %d", i, bit)
			assert.Empty(t, got)
			assert.NotContains(t, err.Error(), plain)
		}
	}
	// Truncated and extended.
	_, err = s.Unseal("v1:" + base64.StdEncoding.EncodeToString(raw[:len(raw)-1]))
	assert.ErrorIs(t, err, store.ErrUnsealAuth)
	_, err = s.Unseal("v1:" + base64.StdEncoding.EncodeToString(append(bytes.Clone(raw), 0)))
	assert.ErrorIs(t, err, store.ErrUnsealAuth)
}

func TestUnsealMalformed(t *testing.T) {
	s := openTemp(t)
	for _, in := range []string{"", "hunter2", "v2:AAAA", "V1:AAAA", "v1:", "v1:!!!notbase64", "v1:AAAA", "v1:" + base64.StdEncoding.EncodeToString(make([]byte, 27))} {
		got, err := s.Unseal(in)
		require.ErrorIs(t, err, store.ErrNotSealed, "%q", in)
		assert.Empty(t, got)
		if len(in) > 4 {
			assert.NotContains(t, err.Error(), in, "the input is never echoed")
		}
	}
}

func TestUnsealNonCanonical(t *testing.T) {
	s := openTemp(t)
	sealed, err := s.Seal("pw")
	require.NoError(t, err)
	// base64 decoding alone would skip the newline; Unseal does not.
	_, err = s.Unseal(sealed[:10] + "\n" + sealed[10:])
	require.ErrorIs(t, err, store.ErrNotSealed)
}

func TestUnsealOtherKey(t *testing.T) {
	a := openTemp(t)
	b, err := store.Open(tempPath(t), store.WithKey(key2))
	require.NoError(t, err)
	defer b.Close()
	sealed, err := a.Seal("pw")
	require.NoError(t, err)
	_, err = b.Unseal(sealed)
	require.ErrorIs(t, err, store.ErrUnsealAuth)
	assert.Contains(t, err.Error(), "another key")
}

// TestPlaintextNotInFile greps the raw bbolt file for a sealed password.
func TestPlaintextNotInFile(t *testing.T) {
	path := tempPath(t)
	s, err := store.Open(path)
	require.NoError(t, err)
	const password = "Sup3r-Secret-Passw0rd-For-Security-Center"
	sealed, err := s.Seal(password)
	require.NoError(t, err)
	require.NoError(t, store.Put(s, "providers", "1", provider{ID: "1", Name: "Lobby-Provider-Name", Password: sealed}))
	require.NoError(t, s.Close())

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, bytes.Contains(data, []byte("Lobby-Provider-Name")), "the grep works on unsealed fields")
	assert.False(t, bytes.Contains(data, []byte(password)), "the password is not in the file")
	key, err := os.ReadFile(store.KeyPath(path))
	require.NoError(t, err)
	assert.False(t, bytes.Contains(data, key), "nor is the key")
}

func FuzzUnseal(f *testing.F) {
	s, err := store.Open(f.TempDir()+"/fuzz.db", store.WithKey(key1))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = s.Close() })
	// A fixed sealed value (of "pw" under key1), not a fresh Seal: fuzz
	// workers are separate processes and must all agree on which input is
	// the one that opens.
	const good = "v1:wiZlIm0d9fBcuHc7zP5BE3i9fedbG+zFe2dnLxb4"
	if got, err := s.Unseal(good); err != nil || got != "pw" {
		f.Fatalf("fixed seed: %q, %v", got, err)
	}
	for _, seed := range []string{"", "v1:", "v1:AAAA", "v1:====", "v1:!!", good, good[:len(good)-2], "v1:" + strings.Repeat("A", 40), "x" + good, good[:10] + "\n" + good[10:]} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := s.Unseal(in)
		switch {
		case err != nil && got != "":
			t.Fatalf("error with non-empty plaintext %q", got)
		case err == nil && (in != good || got != "pw"):
			// GCM forgeries are out of a fuzzer's reach and the base64
			// must be canonical, so only the sealed seed itself opens.
			t.Fatalf("Unseal(%q) = %q, want only the sealed seed to open", in, got)
		}
		// Unseal inverts Seal for any plaintext.
		again, err := s.Seal(in)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := s.Unseal(again); err != nil || back != in {
			t.Fatalf("round trip of %q: %q, %v", in, back, err)
		}
	})
}
