// Package cardformat knows the credential formats that pacsim's simulated
// Genetec Security Center accepts: the built-in card formats (their GUIDs,
// names, bit lengths and field ranges), the Wiegand bit layouts with their
// parity bits (to encode a facility and card into raw data and decode raw
// data back), keypad PINs and licence plates.
//
// Clients of the Web SDK write a credential's format in one of two ways, and
// both come here already split out of the query string:
//
//   - a constructor call, WiegandStandardCredentialFormat(200,2001),
//     KeypadCredentialFormat(1234), LicensePlateCredentialFormat(ABC123), or
//     a FASC-N constructor with key/value fields: see FromConstructor and
//     FromFields;
//   - inline XML, <UndecodedWiegand>…</UndecodedWiegand>, <Keypad>…</Keypad>,
//     <Plate>…</Plate>: see FromXML.
//
// Either way the result is a Credential, which gives what the server shows
// and matches on (UniqueID), what Format.Serialize() answers (Serialize) and
// the card number the simulated world uses (WorldCard).
//
// # Evidence and our readings
//
// One case is pinned by a capture from a real server: the 26-bit raw value
// 02EC01B2 is facility 118, card 217, and its UniqueId is the raw value as 32
// upper-case hex digits, a bar and the bit length
// ("00000000000000000000000002EC01B2|26"). (The capture's RawData as
// transcribed has 33 digits; we read that as a slip and use the same 32
// digits as the UniqueId.) The Wiegand layouts follow HID's
// published formats; wiegand.go names the source of each. Everything the
// evidence does not show — the GUIDs of the keypad and licence plate formats,
// the UniqueID of keypad, plate and FASC-N credentials, the XML form of a
// FASC-N credential, the short names of formats other than 26 bits — is our
// reading, and is marked so where it is defined.
//
// All state is immutable after package initialisation, so every function is
// safe for concurrent use.
package cardformat
