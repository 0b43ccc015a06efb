package entrapass_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// TestEncryptMatchesServer: the driver's own AES scheme (it may not share
// the simulator's code) gives what the simulated server decrypts, and the
// very bytes the simulator's encoder gives, for keys of every length class
// (≤16 characters: AES-128; more: AES-192, truncated past 24 bytes) and for
// non-ASCII keys.
func TestEncryptMatchesServer(t *testing.T) {
	keys := []string{"p", "pacsim", "0123456789abcdef", "0123456789abcdefg", "S3cr3t-Pa55word!",
		"a much longer password than twenty-four bytes", "pässwörd-ünïcödé", "密码密码密码密码密码密码密码密码密码", "\U0001F511key"}
	plains := []string{"pacsim", "56,0f8fad5b-d9cb-469f-a165-70867728950e", "x", "exactly16bytes!!", ""}
	for _, k := range keys {
		for _, p := range plains {
			enc := entrapass.Encrypt(p, k)
			assert.Equal(t, wire.Encrypt(p, k), enc, "key %q plain %q", k, p)
			got, err := wire.Decrypt(enc, k)
			require.NoError(t, err, "key %q plain %q", k, p)
			assert.Equal(t, p, got)
		}
	}
	assert.Equal(t, "", entrapass.Encrypt("x", ""))
}

// TestEncryptGolden pins values computed by a third implementation (Python's
// cryptography package, from the reference's description), so a change of
// the scheme shows even if both Go implementations changed together.
func TestEncryptGolden(t *testing.T) {
	assert.Equal(t, "iL8KzwKMtNS0nAXVbt8dRw==", entrapass.Encrypt("pacsim", "pacsim"))
	assert.Equal(t, "evN7tkX8Uo+FKccc/vJcicvRlB2HspSOjNtpPST/B3GMfvmrpTJTC0K790ech7cE",
		entrapass.Encrypt("56,0f8fad5b-d9cb-469f-a165-70867728950e", "S3cr3t-Pa55word!xyz"))
}
