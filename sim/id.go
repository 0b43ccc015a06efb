package sim

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strconv"
)

// ID is a component's global integer identifier. As in EntraPass (PkData),
// one number space is shared by every kind of object in a site.
type ID int

// Kind says what sort of component an ID names.
type Kind uint8

// The kinds of hardware component.
const (
	KindGateway Kind = iota + 1
	KindSite
	KindController
	KindDoor
	KindReader
	KindInput
	KindOutput
)

var kindNames = [...]string{"", "gateway", "site", "controller", "door", "reader", "input", "output"}

func (k Kind) String() string {
	if int(k) < len(kindNames) && k != 0 {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// GUID derives a stable, Genetec-style GUID from a site name and an ID, so a
// component keeps its GUID across restarts and the same file always gives the
// same GUIDs.
func GUID(site string, id ID) string {
	var buf [64]byte
	b := append(buf[:0], "pacsim/"...)
	b = append(b, site...)
	b = append(b, '/')
	return NameGUID(strconv.AppendInt(b, int64(id), 10))
}

// NameGUID is the GUID named by name: its SHA-1 in the RFC 4122 version 5
// layout, written without fmt (a 100,000-door site derives 400,000).
func NameGUID[T string | []byte](name T) string {
	h := sha1.Sum([]byte(name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], h[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], h[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], h[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], h[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], h[10:16])
	return string(b[:])
}
