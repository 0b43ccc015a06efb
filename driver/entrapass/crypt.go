package entrapass

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// Encrypt encrypts plain for an encrypted=1 login, as the public clients of
// SmartService do (reference §2.2: the Java AESEncryptionKantech class and
// the EntraPass GO app's AESCrypt):
//
//   - key bytes: the UTF-8 bytes of key, byte i increased by i+1 (wrapping
//     as a Java byte does);
//   - key length: 16 bytes when key has at most 16 characters (Java's
//     String.length(), UTF-16 code units), else 24; zero-padded or truncated;
//   - IV: the first 16 key bytes;
//   - AES-CBC, PKCS#7 padding, standard Base64.
//
// The result still has to be URL-encoded to go in a query. Like those
// clients, an empty plain or key gives "".
func Encrypt(plain, key string) string {
	if plain == "" || key == "" {
		return ""
	}
	k := cryptKey(key)
	block, err := aes.NewCipher(k)
	if err != nil {
		panic("entrapass: " + err.Error()) // unreachable: 16 or 24 bytes
	}
	pad := aes.BlockSize - len(plain)%aes.BlockSize
	buf := make([]byte, len(plain)+pad)
	copy(buf, plain)
	for i := len(plain); i < len(buf); i++ {
		buf[i] = byte(pad)
	}
	cipher.NewCBCEncrypter(block, k[:aes.BlockSize]).CryptBlocks(buf, buf)
	return base64.StdEncoding.EncodeToString(buf)
}

// cryptKey derives the AES key from the key string.
func cryptKey(key string) []byte {
	n := 16
	if utf16Len(key) > 16 {
		n = 24
	}
	k := make([]byte, n)
	for i := 0; i < len(key) && i < n; i++ {
		k[i] = key[i] + byte(i+1)
	}
	return k
}

// utf16Len counts UTF-16 code units, the unit of Java's String.length().
func utf16Len(s string) int {
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

// newGUID returns a random version 4 GUID in .NET's lower-case form: the
// ConnectedProgram nonce, new at every login.
func newGUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("entrapass: random GUID: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
