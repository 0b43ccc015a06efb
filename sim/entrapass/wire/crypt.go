package wire

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// The encrypted=1 login scheme. Clients encrypt the user name, the password
// and the ConnectedProgram with the operator's password as the key string:
//
//   - key bytes: the UTF-8 bytes of the key string, byte i increased by i+1
//     with byte wrap-around;
//   - key length: 16 bytes if the key string has at most 16 characters, else
//     24, the bytes zero-padded or truncated to that length (AES-128 or
//     AES-192, never AES-256);
//   - IV: the first 16 key bytes, so equal plaintexts give equal ciphertexts;
//   - AES-CBC with PKCS#7 padding, standard Base64 out.
//
// Confirmed against two stored public copies of client code: the Java class
// AESEncryptionKantech (incrementBytes: b = (byte)(b + i + 1); getKeyArraySize:
// key.length() > 16 ? 24 : 16; IV copied from the key; "AES/CBC/PKCS5Padding")
// and the EntraPass GO app's AESCrypt.smali (the same loop as add-int v9, v8;
// add-int 1; int-to-byte, "AES/CBC/PKCS7Padding"). Two details the reference
// does not spell out come from them too:
//
//   - "characters" is Java's String.length(), i.e. UTF-16 code units, not
//     bytes: a 10-letter password with accents has more than 16 UTF-8 bytes
//     yet gives a 16-byte key (truncated). keyChars counts the same way.
//   - the GO app encodes with android.util.Base64 DEFAULT flags, which break
//     lines every 76 characters; Decrypt therefore ignores line breaks.
//
// Both clients also return "" for an empty plaintext or an empty key instead
// of encrypting; Encrypt does the same so our driver sends what they send.

// ErrDecrypt is wrapped by every Decrypt error, so a caller trying several
// keys can tell "not this key" from a programming error with errors.Is.
var ErrDecrypt = errors.New("wire: cannot decrypt")

const (
	shortKeyChars = 16
	shortKeyLen   = 16 // AES-128
	longKeyLen    = 24 // AES-192
)

// deriveKey returns the AES key (its first 16 bytes are also the IV).
func deriveKey(key string) []byte {
	n := shortKeyLen
	if keyChars(key) > shortKeyChars {
		n = longKeyLen
	}
	k := make([]byte, n)
	for i := 0; i < len(key) && i < n; i++ {
		// byte arithmetic wraps, exactly as Java's (byte) cast does.
		k[i] = key[i] + byte(i+1)
	}
	return k
}

// keyChars counts UTF-16 code units, the unit of Java's String.length().
func keyChars(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func newCBC(key string) (cipher.Block, []byte) {
	k := deriveKey(key)
	block, err := aes.NewCipher(k)
	if err != nil {
		// Unreachable: deriveKey only makes 16- and 24-byte keys.
		panic("wire: " + err.Error())
	}
	return block, k[:aes.BlockSize]
}

// Encrypt encrypts plain with key by the encrypted=1 scheme and returns
// standard Base64 (with '+', '/' and '=' — URL-encode it before putting it in
// a query). plain should be UTF-8: Decrypt refuses anything else. An empty
// plain or key gives "", as the real clients do.
func Encrypt(plain, key string) string {
	if plain == "" || key == "" {
		return ""
	}
	block, iv := newCBC(key)
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	buf := make([]byte, len(plain)+pad)
	copy(buf, plain)
	for i := len(plain); i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, iv).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf)
}

// Decrypt reverses Encrypt. The Base64 may arrive in any of the shapes a
// query string produces: intact, with '+' turned into ' ' by form decoding,
// percent-encoded (once or twice), wrapped over several lines, unpadded, or
// in the URL-safe alphabet. "" decrypts to "" (the clients' encryption of an
// empty string).
//
// A wrong key almost always shows as bad padding; the rare wrong key whose
// padding happens to check out is caught by requiring valid UTF-8, which is
// all the clients can produce. Every failure wraps ErrDecrypt; nothing here
// panics on hostile input.
func Decrypt(b64, key string) (string, error) {
	if b64 == "" {
		return "", nil
	}
	if key == "" {
		return "", fmt.Errorf("%w: empty key", ErrDecrypt)
	}
	s, err := normalizeBase64(b64)
	if err != nil {
		return "", err
	}
	data, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("%w: bad Base64: %v", ErrDecrypt, err)
	}
	if len(data) == 0 || len(data)%aes.BlockSize != 0 {
		return "", fmt.Errorf("%w: %d bytes is not a whole number of AES blocks", ErrDecrypt, len(data))
	}
	block, iv := newCBC(key)
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(data, data)
	pad := int(data[len(data)-1])
	if pad == 0 || pad > aes.BlockSize {
		return "", fmt.Errorf("%w: bad padding (wrong key?)", ErrDecrypt)
	}
	for _, b := range data[len(data)-pad:] {
		if int(b) != pad {
			return "", fmt.Errorf("%w: bad padding (wrong key?)", ErrDecrypt)
		}
	}
	plain := data[:len(data)-pad]
	if !utf8.Valid(plain) {
		return "", fmt.Errorf("%w: not UTF-8 (wrong key?)", ErrDecrypt)
	}
	return string(plain), nil
}

// maxUnescape bounds percent-decoding rounds: a value URL-encoded by the
// client and again by a proxy or a careless caller is plausible, more is not.
const maxUnescape = 3

// normalizeBase64 undoes what transport did to a Base64 value and strips the
// padding, leaving input for RawStdEncoding.
func normalizeBase64(s string) (string, error) {
	// Base64 never contains '%', so any '%' is percent-encoding. PathUnescape,
	// not QueryUnescape: a '+' still present is Base64, not a space.
	for i := 0; i < maxUnescape && strings.IndexByte(s, '%') >= 0; i++ {
		u, err := url.PathUnescape(s)
		if err != nil {
			return "", fmt.Errorf("%w: bad percent-encoding: %v", ErrDecrypt, err)
		}
		s = u
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ':
			// Form decoding turned the '+' of an unencoded value into a space.
			return '+'
		case '-':
			return '+'
		case '_':
			return '/'
		case '\r', '\n', '\t':
			return -1
		}
		return r
	}, s)
	return strings.TrimRight(s, "="), nil
}
