package fault

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// UnmarshalJSON decodes the JSON form of a fault strictly: an unknown
// field, target, kind, parameter, match or when key, a duplicate key, a
// value of the wrong type ("status": "503", "latency": 300), a parameter
// the kind does not take, or anything Validate refuses is an error wrapping
// ErrInvalid that names it. Durations are Go duration strings. Explicit
// zeros that would silently mean "unset" are refused too: "every": 0,
// "first": 0, "probability": 0, "seed": 0, "for": "0s".
func (f *Fault) UnmarshalJSON(data []byte) error {
	keys, obj, err := decodeObject(data, "the fault")
	if err != nil {
		return err
	}
	var g Fault
	for _, k := range keys {
		switch k {
		case "target":
			s, err := decodeString(obj[k], "target")
			if err != nil {
				return err
			}
			g.Target = Target(s)
		case "kind":
			s, err := decodeString(obj[k], "kind")
			if err != nil {
				return err
			}
			g.Kind = Kind(s)
		case "params", "match", "when":
		default:
			return invalidf("unknown field %q in the fault (it has target, kind, params, match and when)", k)
		}
	}
	spec, err := g.spec()
	if err != nil {
		return err
	}
	if raw, ok := obj["params"]; ok && !isNull(raw) {
		if err := g.Params.decode(raw, spec); err != nil {
			return err
		}
	}
	if raw, ok := obj["match"]; ok && !isNull(raw) {
		if err := g.Match.UnmarshalJSON(raw); err != nil {
			return err
		}
	}
	if raw, ok := obj["when"]; ok && !isNull(raw) {
		if err := g.When.UnmarshalJSON(raw); err != nil {
			return err
		}
	}
	if err := g.Validate(); err != nil {
		return err
	}
	*f = g
	return nil
}

// MarshalJSON writes the parameters that are set, as {"latency":"300ms",…}.
func (p Params) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i := range paramDescs {
		d := &paramDescs[i]
		if d.isZero(&p) {
			continue
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(d.name)
		v, err := json.Marshal(d.value(&p))
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON decodes parameters strictly: an unknown name or a value of
// the wrong type is an error wrapping ErrInvalid. Whether the kind takes
// them is checked by Fault's UnmarshalJSON and Validate.
func (p *Params) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	return p.decode(data, nil)
}

// decode reads params; with a kind spec, a parameter the kind does not take
// is an error.
func (p *Params) decode(data []byte, s *kindSpec) error {
	keys, obj, err := decodeObject(data, "params")
	if err != nil {
		return err
	}
	var q Params
	for _, k := range keys {
		d := paramByName(k)
		if d == nil {
			if s != nil {
				return invalidf("unknown parameter %q (kind %q: %s)", k, string(s.kind), s.takesList())
			}
			return invalidf("unknown parameter %q", k)
		}
		if s != nil && !s.takes(k) {
			return invalidf("kind %q takes no parameter %q (%s)", string(s.kind), k, s.takesList())
		}
		where := "params." + k
		switch d.typ {
		case typeDuration:
			v, err := decodeDuration(obj[k], where)
			if err != nil {
				return err
			}
			*d.dur(&q) = v
		case typeInt:
			v, err := decodeInt(obj[k], where)
			if err != nil {
				return err
			}
			*d.num(&q) = v
		case typeString:
			v, err := decodeString(obj[k], where)
			if err != nil {
				return err
			}
			*d.str(&q) = v
		}
	}
	*p = q
	return nil
}

// UnmarshalJSON decodes a match strictly: only "method" and "path", both
// strings.
func (m *Match) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	keys, obj, err := decodeObject(data, "match")
	if err != nil {
		return err
	}
	var n Match
	for _, k := range keys {
		var dst *string
		switch k {
		case "method":
			dst = &n.Method
		case "path":
			dst = &n.Path
		default:
			return invalidf("unknown key %q in match (it has method and path)", k)
		}
		if *dst, err = decodeString(obj[k], "match."+k); err != nil {
			return err
		}
	}
	*m = n
	return nil
}

// whenJSON is When as JSON writes it: durations as Go duration strings.
type whenJSON struct {
	Probability float64 `json:"probability,omitempty"`
	Seed        uint64  `json:"seed,omitempty"`
	Every       int     `json:"every,omitempty"`
	First       int     `json:"first,omitempty"`
	After       int     `json:"after,omitempty"`
	StartAfter  string  `json:"start_after,omitempty"`
	For         string  `json:"for,omitempty"`
}

func durText(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return d.String()
}

// MarshalJSON writes the keys that are set; durations as "30s".
func (w When) MarshalJSON() ([]byte, error) {
	return json.Marshal(whenJSON{w.Probability, w.Seed, w.Every, w.First, w.After, durText(w.StartAfter), durText(w.For)})
}

// UnmarshalJSON decodes a schedule strictly: an unknown key, a value of the
// wrong type, or an explicit zero that would silently mean "unset"
// (probability, seed, every, first, for) is an error wrapping ErrInvalid.
func (w *When) UnmarshalJSON(data []byte) error {
	if isNull(data) {
		return nil
	}
	keys, obj, err := decodeObject(data, "when")
	if err != nil {
		return err
	}
	var n When
	for _, k := range keys {
		raw, where := obj[k], "when."+k
		switch k {
		case "probability":
			v, err := decodeFloat(raw, where)
			if err != nil {
				return err
			}
			if v == 0 {
				return invalidf("when.probability must be above 0 (omit it to fire on every request)")
			}
			n.Probability = v
		case "seed":
			v, err := decodeUint(raw, where)
			if err != nil {
				return err
			}
			if v == 0 {
				return invalidf("when.seed must be from 1")
			}
			n.Seed = v
		case "every", "first", "after":
			v, err := decodeInt(raw, where)
			if err != nil {
				return err
			}
			if v == 0 && k != "after" {
				return invalidf("%s must be at least 1 (omit it for no limit)", where)
			}
			switch k {
			case "every":
				n.Every = v
			case "first":
				n.First = v
			default:
				n.After = v
			}
		case "start_after", "for":
			v, err := decodeDuration(raw, where)
			if err != nil {
				return err
			}
			if k == "for" {
				if v == 0 {
					return invalidf("when.for must be above 0 (omit it to last until removed)")
				}
				n.For = v
			} else {
				n.StartAfter = v
			}
		default:
			return invalidf("unknown key %q in when (it has probability, seed, every, first, after, start_after and for)", k)
		}
	}
	*w = n
	return nil
}

// decodeObject reads a JSON object, keeping its keys in order. A value that
// is not an object, malformed JSON, a duplicate key or trailing data is an
// error naming where.
func decodeObject(data []byte, where string) ([]string, map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, invalidf("%s: %s", where, jsonErr(err))
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, invalidf("%s must be a JSON object, not %s", where, typeOf(data))
	}
	var keys []string
	obj := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, invalidf("%s: %s", where, jsonErr(err))
		}
		k := tok.(string) // object keys are strings, or Token errs
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, invalidf("%s: %s", where, jsonErr(err))
		}
		if _, dup := obj[k]; dup {
			return nil, nil, invalidf("%s: key %q appears twice", where, k)
		}
		keys = append(keys, k)
		obj[k] = raw
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, invalidf("%s: %s", where, jsonErr(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, invalidf("%s: trailing data after the object", where)
	}
	return keys, obj, nil
}

func jsonErr(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return "malformed JSON at byte " + strconv.FormatInt(syn.Offset, 10) + ": " + syn.Error()
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "malformed JSON: it ends in the middle of a value"
	}
	return "malformed JSON: " + err.Error()
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

// typeOf names the JSON type of a raw value, for messages.
func typeOf(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number (" + string(raw) + ")"
}

func decodeString(raw []byte, where string) (string, error) {
	var s string
	if bytes.HasPrefix(bytes.TrimSpace(raw), []byte{'"'}) && json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	return "", invalidf("%s must be a string, not %s", where, typeOf(raw))
}

func decodeDuration(raw []byte, where string) (time.Duration, error) {
	var s string
	if !bytes.HasPrefix(bytes.TrimSpace(raw), []byte{'"'}) || json.Unmarshal(raw, &s) != nil {
		return 0, invalidf("%s must be %s, not %s", where, typeDuration, typeOf(raw))
	}
	return parseDuration(s, where)
}

func parseDuration(s, where string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, invalidf("%s %q is not a Go duration like \"300ms\" or \"1m30s\"", where, s)
	}
	return d, nil
}

// number returns the literal of a JSON number, or an error naming where.
func number(raw []byte, where, want string) (string, error) {
	var n json.Number
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || (t[0] != '-' && (t[0] < '0' || t[0] > '9')) || json.Unmarshal(t, &n) != nil {
		return "", invalidf("%s must be %s, not %s", where, want, typeOf(raw))
	}
	return string(n), nil
}

func decodeInt(raw []byte, where string) (int, error) {
	s, err := number(raw, where, "an integer")
	if err != nil {
		return 0, err
	}
	return parseInt(s, where)
}

func parseInt(s, where string) (int, error) {
	n, err := strconv.ParseInt(s, 10, 0)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
			return 0, invalidf("%s %s is too large", where, s)
		}
		return 0, invalidf("%s must be an integer, not %s", where, s)
	}
	return int(n), nil
}

func decodeUint(raw []byte, where string) (uint64, error) {
	s, err := number(raw, where, "an integer")
	if err != nil {
		return 0, err
	}
	return parseUint(s, where)
}

func parseUint(s, where string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, invalidf("%s must be an integer from 1 to 18446744073709551615, not %s", where, s)
	}
	return n, nil
}

func decodeFloat(raw []byte, where string) (float64, error) {
	s, err := number(raw, where, "a number")
	if err != nil {
		return 0, err
	}
	return parseFloat(s, where)
}

func parseFloat(s, where string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, invalidf("%s must be a number, not %s", where, s)
	}
	return v, nil
}
