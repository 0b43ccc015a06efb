package sim

import (
	"crypto/sha1"
	"fmt"
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
	h := sha1.Sum([]byte(fmt.Sprintf("pacsim/%s/%d", site, id)))
	// RFC 4122 version 5 layout: the GUID is name-based.
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
