package sim

import (
	"crypto/sha1"
	"fmt"
	"testing"
)

// guidByFmt is GUID as first written, with fmt: the GUIDs of every site
// file ever written depend on it staying the same.
func guidByFmt(site string, id ID) string {
	h := sha1.Sum([]byte(fmt.Sprintf("pacsim/%s/%d", site, id)))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func TestGUIDKeepsItsValues(t *testing.T) {
	for _, site := range []string{"", "Main", "Ünïcode site", "a/b", string(make([]byte, 200))} {
		for _, id := range []ID{0, 1, 20, 65535, 1 << 40, -3} {
			if got, want := GUID(site, id), guidByFmt(site, id); got != want {
				t.Errorf("GUID(%q, %d) = %s, was %s", site, id, got, want)
			}
		}
	}
	if got := GUID("Main", 20); got != "7f3390da-71d1-5c89-9010-a0e6ac4a322d" {
		t.Errorf("GUID(Main, 20) = %s", got)
	}
}
