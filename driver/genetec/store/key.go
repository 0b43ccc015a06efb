package store

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// KeyEnv is the environment variable that, when set, holds the sealing key
// as base64 of 32 bytes. It lets a deployment keep the key in its secret
// store rather than in a file beside the database.
const KeyEnv = "PACSIM_VISITORS_KEY"

// keySize is an AES-256 key.
const keySize = 32

// keyFileMode is the key file's mode: the key unseals every provider
// password, so only the connector's user may read it.
const keyFileMode os.FileMode = 0o600

// KeyPath returns the key file used for the store at storePath when neither
// WithKey nor $PACSIM_VISITORS_KEY gives the key.
func KeyPath(storePath string) string { return storePath + ".key" }

// loadKey returns the sealing key and a description of where it came from
// (for error messages; never the key itself). create permits making a new
// key file, which Open allows only for a store holding no sealed data yet.
func loadKey(storePath string, fixed []byte, create bool) ([]byte, string, error) {
	if fixed != nil {
		return fixed, "WithKey", nil
	}
	if v, ok := os.LookupEnv(KeyEnv); ok {
		key, err := decodeEnvKey(v)
		if err != nil {
			return nil, "", err
		}
		return key, "$" + KeyEnv, nil
	}
	path := KeyPath(storePath)
	source := "key file " + path
	key, err := readKeyFile(path)
	if err == nil {
		return key, source, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, "", err
	}
	if !create {
		return nil, "", fmt.Errorf("key file %s is missing, but store %s already holds secrets sealed with a key: restore the key file or set $%s", path, storePath, KeyEnv)
	}
	key, err = createKeyFile(path)
	if err != nil {
		return nil, "", err
	}
	return key, source, nil
}

// decodeEnvKey decodes $PACSIM_VISITORS_KEY. Standard and URL-safe base64,
// padded or not, are accepted, and surrounding white space (such as the
// newline `base64` prints) is ignored. Errors name the variable but never
// repeat its value.
func decodeEnvKey(v string) ([]byte, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, fmt.Errorf("$%s is set but empty: set it to base64 of %d bytes, or unset it to use the key file", KeyEnv, keySize)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		key, err := enc.DecodeString(v)
		if err != nil {
			continue
		}
		if len(key) != keySize {
			return nil, fmt.Errorf("$%s decodes to %d bytes, want base64 of exactly %d", KeyEnv, len(key), keySize)
		}
		return key, nil
	}
	return nil, fmt.Errorf("$%s is not valid base64: want base64 of exactly %d bytes", KeyEnv, keySize)
}

// readKeyFile reads an existing key file, refusing one that others can read
// or that is not exactly keySize bytes (truncated, or not a key at all).
func readKeyFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	defer f.Close()
	// Stat the open file, not the path, so the checks apply to what is read.
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("key file %s is not a regular file", path)
	}
	// Windows has no group/other bits to speak of; its ACLs are out of scope.
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s has mode %#o: it must not be accessible to group or others (chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	if fi.Size() != keySize {
		return nil, fmt.Errorf("key file %s is %d bytes, want %d", path, fi.Size(), keySize)
	}
	key := make([]byte, keySize)
	if _, err := io.ReadFull(f, key); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return key, nil
}

// createKeyFile makes a new random key file. It writes a temporary file,
// syncs it, and renames it into place, so a crash never leaves a short key
// file that would brick the next start; the directory is synced so the
// rename itself survives a crash. Open holds the store's lock while this
// runs, so no other connector races to make a different key.
func createKeyFile(path string) ([]byte, error) {
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("key file %s: generating key: %w", path, err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(tmpName)
		}
	}()
	// CreateTemp already uses 0600; Chmod makes that explicit and
	// independent of the platform's defaults.
	if err := tmp.Chmod(keyFileMode); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if _, err := tmp.Write(key); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	ok = true
	syncDir(dir)
	return key, nil
}

// syncDir makes a rename in dir durable. Failure is ignored: some platforms
// and file systems cannot sync a directory, and the key is already safely
// written; at worst a crash loses the new (still unused) key file.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
