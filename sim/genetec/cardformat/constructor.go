package cardformat

import "strings"

// FromConstructor builds a credential from a constructor name and its
// arguments as text: the caller has parsed
// `WiegandStandardCredentialFormat(200,2001)` into
// "WiegandStandardCredentialFormat", ["200","2001"]. The name is matched
// ignoring case; arguments may carry surrounding spaces and must otherwise be
// plain decimal (keypad, Wiegand) or letters and digits (plate).
//
// Range and syntax errors are *Error naming the field and the allowed range:
// `facility 256 is out of range for Standard 26 bits (0–255)`,
// `card "12a" is not a number`,
// `WiegandStandardCredentialFormat takes 2 arguments (facility, card), got 1`.
func FromConstructor(name string, args []string) (Credential, error) {
	s, ok := ByConstructor(strings.TrimSpace(name))
	if !ok {
		return Credential{}, errf("format", "unknown credential format %s", shown(name))
	}
	switch s.Kind {
	case Keypad:
		if err := arity(s, args, "code"); err != nil {
			return Credential{}, err
		}
		code, v, err := parsePIN(args[0])
		if err != nil {
			return Credential{}, err
		}
		return Credential{Spec: s, Card: v, Code: code, ParityOK: true}, nil
	case Plate:
		if err := arity(s, args, "plate"); err != nil {
			return Credential{}, err
		}
		p, err := parsePlate(args[0])
		if err != nil {
			return Credential{}, err
		}
		return Credential{Spec: s, Code: p, ParityOK: true}, nil
	case FascN:
		return Credential{}, errf("format", "%s takes a list of {name, value} fields, not %s", s.Constructor, plural(len(args), "argument"))
	}
	return fromWiegandArgs(s, args)
}

// fromWiegandArgs parses a Wiegand constructor's facility (if any) and card,
// then encodes them so the credential carries the raw data the server would
// store.
func fromWiegandArgs(s Spec, args []string) (Credential, error) {
	fl := facilityLabel(s)
	var facility, card uint64
	var err error
	if s.HasFacility {
		if err := arity(s, args, fl, "card"); err != nil {
			return Credential{}, err
		}
		if facility, err = parseNumber(fl, args[0], s, s.MaxFacility); err != nil {
			return Credential{}, err
		}
		args = args[1:]
	} else if err := arity(s, args, "card"); err != nil {
		return Credential{}, err
	}
	if card, err = parseNumber("card", args[0], s, s.MaxCard); err != nil {
		return Credential{}, err
	}
	rawHex, err := Encode(s, facility, card)
	if err != nil {
		return Credential{}, err
	}
	return Credential{Spec: s, Facility: facility, Card: card, Raw: rawHex, ParityOK: true}, nil
}

// arity checks the argument count: "X takes 2 arguments (facility, card),
// got 1".
func arity(s Spec, args []string, labels ...string) error {
	if len(args) != len(labels) {
		return errf("format", "%s takes %s (%s), got %d", s.Constructor, plural(len(labels), "argument"), list(labels...), len(args))
	}
	return nil
}

// FromFields builds a credential of one of the two FASC-N constructors,
// FascN75BitCardCredentialFormat and FascN200BitCardCredentialFormat, whose
// argument is a list of key/value pairs ({{"Agency Code","1234"},…}). The
// pairs are kept as given, in their order; see checkFields for what is
// refused. pacsim does not encode FASC-N bits, so the credential has no raw
// data.
func FromFields(name string, fields [][2]string) (Credential, error) {
	s, ok := ByConstructor(strings.TrimSpace(name))
	if !ok {
		return Credential{}, errf("format", "unknown credential format %s", shown(name))
	}
	if s.Kind != FascN {
		return Credential{}, errf("format", "%s does not take a list of fields", s.Constructor)
	}
	f, err := checkFields(s, fields)
	if err != nil {
		return Credential{}, err
	}
	return Credential{Spec: s, Fields: f, ParityOK: true}, nil
}
