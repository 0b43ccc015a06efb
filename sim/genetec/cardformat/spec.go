package cardformat

import "strings"

// Kind is the family of a credential format, which decides what a
// Credential carries (facility and card, a PIN, a plate, FASC-N fields or an
// opaque raw value) and how it serialises.
type Kind uint8

const (
	// Wiegand is a built-in card format with a known bit layout.
	Wiegand Kind = iota + 1
	// Keypad is a PIN typed at a keypad.
	Keypad
	// Plate is a licence plate read by a camera.
	Plate
	// FascN is a FASC-N card (U.S. federal PIV/CAC), given as key/value
	// fields.
	FascN
	// Custom is a site's own card format, known only by its GUID: the raw
	// data is kept as given.
	Custom
)

// Spec is a built-in format.
type Spec struct {
	// ID is the FormatId, a lower-case dashed GUID.
	ID string
	// Name is the FormatName a real server answers ("Standard 26 bits").
	Name string
	// ShortName is the credential format's "Name" field: "26 bit Wiegand"
	// for 26 bits (seen on a real server); the others are our choice in the
	// same style.
	ShortName string
	// Constructor is the Web SDK constructor ("WiegandStandardCredentialFormat").
	Constructor string
	// Bits is the frame length; 0 for keypad and plate.
	Bits int
	// Kind is the format's family.
	Kind Kind
	// HasFacility says whether the format has a facility (company) code.
	HasFacility bool
	// MaxFacility and MaxCard are the largest facility and card numbers
	// (both 0 where the format has no such field; MaxCard of Keypad is the
	// largest 15-digit PIN).
	MaxFacility, MaxCard uint64
}

// The keypad and licence plate GUIDs are ours: the reference shows those
// formats only as XML (<Keypad>, <Plate>), never their FormatId. We continue
// the built-in numbering (…0200 to …0a00, a step of 0x100) so they sit with
// the others and cannot be mistaken for a site's random custom GUID.
const (
	keypadID = "00000000-0000-0000-0000-000000000b00"
	plateID  = "00000000-0000-0000-0000-000000000c00"
)

// builtins is the table of the brief, in its order. FormatIds …0200 to …0a00
// and the FormatNames are what a real server answers.
var builtins = []Spec{
	{ID: "00000000-0000-0000-0000-000000000200", Name: "Standard 26 bits", ShortName: "26 bit Wiegand",
		Constructor: "WiegandStandardCredentialFormat", Bits: 26, Kind: Wiegand,
		HasFacility: true, MaxFacility: 1<<8 - 1, MaxCard: 1<<16 - 1},
	{ID: "00000000-0000-0000-0000-000000000300", Name: "HID H10306 34 Bits", ShortName: "34 bit Wiegand H10306",
		Constructor: "WiegandH10306CredentialFormat", Bits: 34, Kind: Wiegand,
		HasFacility: true, MaxFacility: 1<<16 - 1, MaxCard: 1<<16 - 1},
	{ID: "00000000-0000-0000-0000-000000000400", Name: "HID H10302 37 Bits", ShortName: "37 bit Wiegand H10302",
		Constructor: "WiegandH10302CredentialFormat", Bits: 37, Kind: Wiegand,
		MaxCard: 1<<35 - 1},
	{ID: "00000000-0000-0000-0000-000000000500", Name: "HID H10304 37 Bits", ShortName: "37 bit Wiegand H10304",
		Constructor: "WiegandH10304CredentialFormat", Bits: 37, Kind: Wiegand,
		HasFacility: true, MaxFacility: 1<<16 - 1, MaxCard: 1<<19 - 1},
	{ID: "00000000-0000-0000-0000-000000000600", Name: "HID Corporate 1000 35 Bits", ShortName: "35 bit Wiegand Corporate 1000",
		Constructor: "WiegandCorporate1000CredentialFormat", Bits: 35, Kind: Wiegand,
		HasFacility: true, MaxFacility: 1<<12 - 1, MaxCard: 1<<20 - 1},
	{ID: "00000000-0000-0000-0000-000000000700", Name: "CSN 32 Bits", ShortName: "32 bit CSN",
		Constructor: "WiegandCsn32CredentialFormat", Bits: 32, Kind: Wiegand,
		MaxCard: 1<<32 - 1},
	{ID: "00000000-0000-0000-0000-000000000800", Name: "HID Corporate 1000 48 Bits", ShortName: "48 bit Wiegand Corporate 1000",
		Constructor: "Wiegand48BitCorporate1000CredentialFormat", Bits: 48, Kind: Wiegand,
		HasFacility: true, MaxFacility: 1<<22 - 1, MaxCard: 1<<23 - 1},
	{ID: "00000000-0000-0000-0000-000000000900", Name: "FASC-N 75 bits", ShortName: "75 bit FASC-N",
		Constructor: "FascN75BitCardCredentialFormat", Bits: 75, Kind: FascN},
	{ID: "00000000-0000-0000-0000-000000000a00", Name: "FASC-N 200 bits", ShortName: "200 bit FASC-N",
		Constructor: "FascN200BitCardCredentialFormat", Bits: 200, Kind: FascN},
	{ID: keypadID, Name: "Keypad", ShortName: "Keypad",
		Constructor: "KeypadCredentialFormat", Kind: Keypad, MaxCard: maxPIN},
	{ID: plateID, Name: "License plate", ShortName: "License plate",
		Constructor: "LicensePlateCredentialFormat", Kind: Plate},
}

// byID and byCtor index builtins; built once, read-only afterwards.
var byID, byCtor = func() (map[string]Spec, map[string]Spec) {
	ids := make(map[string]Spec, len(builtins))
	ctors := make(map[string]Spec, len(builtins))
	for _, s := range builtins {
		ids[s.ID] = s
		ctors[strings.ToLower(s.Constructor)] = s
	}
	return ids, ctors
}()

// Builtins returns the built-in formats in the order of the table. The slice
// is a copy; changing it changes nothing here.
func Builtins() []Spec {
	out := make([]Spec, len(builtins))
	copy(out, builtins)
	return out
}

// ByID returns the built-in format with that FormatId. The caller normalises
// the GUID to its lower-case dashed form; upper-case hex is tolerated since
// folding it costs nothing.
func ByID(guid string) (Spec, bool) {
	s, ok := byID[strings.ToLower(guid)]
	return s, ok
}

// ByConstructor returns the built-in format built by that Web SDK
// constructor, ignoring case as the Web SDK does.
func ByConstructor(name string) (Spec, bool) {
	s, ok := byCtor[strings.ToLower(name)]
	return s, ok
}

// facilityLabel is what the facility field is called in messages: HID's
// Corporate 1000 formats call it a company ID (the SDK constructors take
// companyId), the others a facility code.
func facilityLabel(s Spec) string {
	if strings.Contains(s.Constructor, "Corporate1000") {
		return "company"
	}
	return "facility"
}

// customSpec describes a site's own format, of which we know only the GUID
// and the bit length the client gave. Its names are ours: the real server
// would show the name configured on the site, which pacsim does not model.
func customSpec(guid string, bits int) Spec {
	return Spec{ID: guid, Name: "Custom card format", ShortName: "Custom",
		Bits: bits, Kind: Custom}
}
