package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// sealPrefix versions the sealed format so that a future scheme (another
// cipher, key rotation) can be told apart from this one.
const sealPrefix = "v1:"

// nonceSize is GCM's standard nonce. Nonces are random: with at most a few
// thousand passwords sealed under one key, collisions are negligible.
const nonceSize = 12

// Errors from Unseal, for errors.Is. Their messages never include the
// sealed value, the plaintext or the key.
var (
	// ErrNotSealed reports a value that is not in the sealed format: no
	// "v1:" prefix, bad base64, or too short.
	ErrNotSealed = errors.New("not a sealed value")
	// ErrUnsealAuth reports a value that fails authentication: it was
	// altered, or sealed with another key.
	ErrUnsealAuth = errors.New("sealed value failed authentication (altered, or sealed with another key)")
)

type sealer struct {
	aead cipher.AEAD
}

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("sealing key: %w", err)
	}
	aead, err := cipher.NewGCMWithNonceSize(block, nonceSize)
	if err != nil {
		return nil, fmt.Errorf("sealing key: %w", err)
	}
	return &sealer{aead: aead}, nil
}

func (sl *sealer) seal(plain string) (string, error) {
	buf := make([]byte, nonceSize, nonceSize+len(plain)+sl.aead.Overhead())
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("seal: nonce: %w", err)
	}
	buf = sl.aead.Seal(buf, buf[:nonceSize], []byte(plain), nil)
	return sealPrefix + base64.StdEncoding.EncodeToString(buf), nil
}

func (sl *sealer) unseal(sealed string) (string, error) {
	rest, ok := strings.CutPrefix(sealed, sealPrefix)
	if !ok {
		return "", fmt.Errorf("unseal: %w: missing %q prefix", ErrNotSealed, sealPrefix)
	}
	buf, err := base64.StdEncoding.DecodeString(rest)
	if err != nil {
		// Not wrapping err: its message is just an offset, and keeping
		// the error chain free of input bytes is the simpler guarantee.
		return "", fmt.Errorf("unseal: %w: invalid base64", ErrNotSealed)
	}
	// DecodeString skips newlines; insisting on the canonical encoding
	// keeps exactly one accepted spelling per sealed value.
	if base64.StdEncoding.EncodeToString(buf) != rest {
		return "", fmt.Errorf("unseal: %w: non-canonical base64", ErrNotSealed)
	}
	if len(buf) < nonceSize+sl.aead.Overhead() {
		return "", fmt.Errorf("unseal: %w: too short", ErrNotSealed)
	}
	plain, err := sl.aead.Open(nil, buf[:nonceSize], buf[nonceSize:], nil)
	if err != nil {
		return "", fmt.Errorf("unseal: %w", ErrUnsealAuth)
	}
	return string(plain), nil
}

// Seal encrypts plain (a provider password, say) with AES-256-GCM under the
// store's key and a fresh random nonce, returning "v1:" followed by base64
// of nonce and ciphertext. Sealing the same plaintext twice gives different
// results, so equal passwords cannot be spotted in the file.
func (s *Store) Seal(plain string) (string, error) {
	return s.seal.seal(plain)
}

// Unseal reverses Seal. It refuses a value without the "v1:" prefix or with
// bad base64 (ErrNotSealed) and one that fails authentication because it
// was altered or sealed with another key (ErrUnsealAuth); it never returns
// partial or garbage plaintext.
func (s *Store) Unseal(sealed string) (string, error) {
	return s.seal.unseal(sealed)
}
