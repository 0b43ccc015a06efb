package wire

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cryptVectors were computed outside Go, with openssl enc -aes-{128,192}-cbc
// and a key derived by a separate Python script, so they check the scheme
// and not merely that Encrypt and Decrypt agree with each other.
var cryptVectors = []struct {
	name, plain, key, keyHex, b64 string
}{
	{"short key", "pacsim", "pacsim", "716366776e7300000000000000000000", "iL8KzwKMtNS0nAXVbt8dRw=="},
	{"ConnectedProgram", "56,6f1c4f0e-4b9a-4c1e-9d0a-3f2b1c0d9e8f", "pacsim", "716366776e7300000000000000000000",
		"qHJLkl5JdRm1BcIVp7RKO9XAsUzUHJQeIGjX1tVk7UOM18KTRZy45MOf7Wl8QEaA"},
	{"long key is AES-192", "admin", "a-much-longer-password!", "622f7079686e3474787872717f3b7f7184858a83877a3800", "i5ElO7Dj1KzaaY4giCeNWA=="},
	{"16 chars is still AES-128, full block padded", "exactly16bytes!!", "sixteen-chars-ok", "746b7b786a6b75356c726c7e803b7e7b",
		"0kpjK+TTe5maRlr6vPW9Dk8om91mWNKR6tpOjuG++zw="},
	{"byte wrap-around", "x", "abcdefghijklmnopqrstuvw\u8000", "626466686a6c6e70727476787a7c7e80828486888a8c8e00", "VdseOBqYTqrrq5h7T0Tk3w=="},
	{"10 chars of 2 bytes: 16-byte key, truncated", "Zoë", "éééééééééé", "c4abc6adc8afcab1ccb3ceb5d0b7d2b9", "iGaq5vvu1OW0WcuWQXiihQ=="},
	{"9 astral chars are 18 UTF-16 units: 24-byte key", "smile", strings.Repeat("😀", 9), "f1a19b84f5a59f88f9a9a38cfdada79001b1ab9405b5af98", "vAFfcaouMs4p5a5z4/sQeQ=="},
	{"one-char key", "0123456789abcdef", "k", "6c000000000000000000000000000000", "QdkFWyre+EJPrWz+pRzgBjQpsWWhxKfDDINhKiLxPYI="},
}

func TestCryptVectors(t *testing.T) {
	for _, v := range cryptVectors {
		t.Run(v.name, func(t *testing.T) {
			assert.Equal(t, v.keyHex, hexOf(deriveKey(v.key)))
			assert.Equal(t, v.b64, Encrypt(v.plain, v.key))
			got, err := Decrypt(v.b64, v.key)
			require.NoError(t, err)
			assert.Equal(t, v.plain, got)
		})
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestEncryptEmpty(t *testing.T) {
	// The public clients return "" rather than encrypting nothing.
	assert.Equal(t, "", Encrypt("", "pacsim"))
	assert.Equal(t, "", Encrypt("pacsim", ""))
	got, err := Decrypt("", "pacsim")
	require.NoError(t, err)
	assert.Equal(t, "", got)
}

func TestDecryptTransportShapes(t *testing.T) {
	const key = "pacsim"
	plain := "a value whose ciphertext has both + and /"
	b64 := Encrypt(plain, key)
	// Find a plaintext whose Base64 has every character transport mangles.
	for i := 0; !strings.ContainsAny(b64, "+") || !strings.Contains(b64, "/"); i++ {
		plain += "."
		b64 = Encrypt(plain, key)
		require.Less(t, i, 1000)
	}
	wrapped := b64[:10] + "\n" + b64[10:20] + "\r\n" + b64[20:]
	shapes := map[string]string{
		"intact":                b64,
		"form-decoded + as ' '": strings.ReplaceAll(b64, "+", " "),
		"percent-encoded":       url.QueryEscape(b64),
		"percent-encoded twice": url.QueryEscape(url.QueryEscape(b64)),
		"lowercase escapes":     strings.NewReplacer("+", "%2b", "/", "%2f", "=", "%3d").Replace(b64),
		"unpadded":              strings.TrimRight(b64, "="),
		"URL-safe alphabet":     strings.NewReplacer("+", "-", "/", "_").Replace(b64),
		"Android line breaks":   wrapped,
	}
	for name, in := range shapes {
		t.Run(name, func(t *testing.T) {
			got, err := Decrypt(in, key)
			require.NoError(t, err)
			assert.Equal(t, plain, got)
		})
	}
	// What net/url does to an unencoded value in a query is one of the shapes.
	q, err := url.ParseQuery("userName=" + b64)
	require.NoError(t, err)
	got, err := Decrypt(q.Get("userName"), key)
	require.NoError(t, err)
	assert.Equal(t, plain, got)
}

func TestDecryptErrors(t *testing.T) {
	good := Encrypt("pacsim", "pacsim")
	tests := map[string]struct{ b64, key string }{
		"wrong key":            {good, "not-the-password"},
		"empty key":            {good, ""},
		"bad Base64":           {"!!!!", "pacsim"},
		"bad percent-encoding": {"abc%zz", "pacsim"},
		"not whole blocks":     {"AAAA", "pacsim"},
		"padding inside":       {"iL8K=zwKMtNS0nAXVbt8dRw==", "pacsim"},
		"one block short":      {good[:10], "pacsim"},
		"two blocks, bad pad":  {Encrypt("0123456789abcdef", "pacsim")[:22], "pacsim"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := Decrypt(tt.b64, tt.key)
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrDecrypt))
			assert.Empty(t, got)
		})
	}
}

func TestDecryptWrongKeysNeverReturnGarbage(t *testing.T) {
	// A server trying each operator's password must not mistake a wrong key
	// for a right one that decrypts to junk.
	ct := Encrypt("pacsim", "right password")
	for _, key := range []string{"wrong", "right passwore", "Right password", "right password ", "x"} {
		got, err := Decrypt(ct, key)
		if err == nil {
			assert.NotEqual(t, "pacsim", got, key)
			assert.True(t, utf8.ValidString(got))
		}
	}
}

func BenchmarkEncrypt(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Encrypt("56,6f1c4f0e-4b9a-4c1e-9d0a-3f2b1c0d9e8f", "pacsim")
	}
}

func BenchmarkDecrypt(b *testing.B) {
	ct := Encrypt("56,6f1c4f0e-4b9a-4c1e-9d0a-3f2b1c0d9e8f", "pacsim")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decrypt(ct, "pacsim"); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzDecrypt(f *testing.F) {
	for _, v := range cryptVectors {
		f.Add(v.b64, v.key)
	}
	f.Add("iL8KzwKMtNS0nAXVbt8dRw", "pacsim")
	f.Add("iL8KzwKMtNS0nAXVbt8dRw%3D%3D", "pacsim")
	f.Add("%", "k")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, b64, key string) {
		plain, err := Decrypt(b64, key)
		if err != nil {
			if !errors.Is(err, ErrDecrypt) {
				t.Fatalf("error does not wrap ErrDecrypt: %v", err)
			}
			return
		}
		if !utf8.ValidString(plain) {
			t.Fatalf("Decrypt returned invalid UTF-8 %q", plain)
		}
		// Whatever decrypts re-encrypts to something that decrypts the same.
		again, err := Decrypt(Encrypt(plain, key), key)
		if err != nil || again != plain {
			t.Fatalf("round trip of %q with key %q: %q, %v", plain, key, again, err)
		}
	})
}

func FuzzEncryptRoundTrip(f *testing.F) {
	f.Add("pacsim", "pacsim")
	f.Add("56,6f1c4f0e-4b9a-4c1e-9d0a-3f2b1c0d9e8f", "a-much-longer-password!")
	f.Fuzz(func(t *testing.T, plain, key string) {
		if !utf8.ValidString(plain) {
			return // the clients cannot produce it, Decrypt refuses it
		}
		ct := Encrypt(plain, key)
		got, err := Decrypt(ct, key)
		if key == "" {
			if ct != "" {
				t.Fatalf("empty key encrypted to %q", ct)
			}
			return
		}
		if err != nil || got != plain {
			t.Fatalf("Decrypt(Encrypt(%q)) = %q, %v", plain, got, err)
		}
		// And through a form-decoded query string.
		got, err = Decrypt(strings.ReplaceAll(ct, "+", " "), key)
		if err != nil || got != plain {
			t.Fatalf("form-decoded: %q, %v", got, err)
		}
	})
}
