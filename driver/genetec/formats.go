package genetec

import (
	"fmt"
	"strconv"
)

// format is a built-in Security Center credential format the connector can
// write a badge in: the Web SDK constructor and the ranges of its fields.
type format struct {
	constructor string
	facility    bool
	maxFacility uint64
	maxCard     uint64
}

// formats are keyed by the built-in FormatId (reference §3.3). A badge type
// that is a site's custom format cannot be written from a unique ID alone.
var formats = map[string]format{
	"00000000-0000-0000-0000-000000000200": {"WiegandStandardCredentialFormat", true, 255, 65535},
	"00000000-0000-0000-0000-000000000300": {"WiegandH10306CredentialFormat", true, 65535, 65535},
	"00000000-0000-0000-0000-000000000400": {"WiegandH10302CredentialFormat", false, 0, 34359738367},
	"00000000-0000-0000-0000-000000000500": {"WiegandH10304CredentialFormat", true, 65535, 524287},
	"00000000-0000-0000-0000-000000000600": {"WiegandCorporate1000CredentialFormat", true, 4095, 1048575},
	"00000000-0000-0000-0000-000000000700": {"WiegandCsn32CredentialFormat", false, 0, 4294967295},
	"00000000-0000-0000-0000-000000000800": {"Wiegand48BitCorporate1000CredentialFormat", true, 4194303, 8388607},
}

// credentialFormat is the Format= value of a badge: its type's constructor
// with the provider's facility code and the badge's unique ID, and the card
// the readers see ("200:5001", or the plain number).
func credentialFormat(typ Named, uniqueID string, facility uint64) (q, card string, err error) {
	f, ok := formats[typ.GUID]
	if !ok {
		return "", "", badRequest("badge type %q is not a built-in card format the connector can encode", typ.Name)
	}
	n, err := strconv.ParseUint(uniqueID, 10, 64)
	if err != nil || n > f.maxCard {
		return "", "", badRequest("unique_id %s is out of range for %s (0–%d)", uniqueID, typ.Name, f.maxCard)
	}
	if !f.facility {
		return fmt.Sprintf("%s(%d)", f.constructor, n), strconv.FormatUint(n, 10), nil
	}
	if facility > f.maxFacility {
		return "", "", badRequest("the provider's facility_code %d is out of range for %s (0–%d)", facility, typ.Name, f.maxFacility)
	}
	return fmt.Sprintf("%s(%d,%d)", f.constructor, facility, n), fmt.Sprintf("%d:%d", facility, n), nil
}

// digitsOnly reports whether s is a non-empty string of ASCII digits.
func digitsOnly(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
