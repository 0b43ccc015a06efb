package query

import "strings"

// Builders for expected trees. Positions and Raw are left zero: the tests
// that check them do so on their own, and strip clears them on the parsed
// side.

func T(s string) Value { return Value{Kind: Text, Text: s} }
func Q(s string) Value { return Value{Kind: Quoted, Text: s} }
func X(s string) Value { return Value{Kind: XML, Text: s} }

func C(name string, args ...Value) Value { return Value{Kind: Call, Name: name, Args: args} }
func L(items ...Value) Value             { return Value{Kind: List, Items: items} }

func term(op Op, name string, vs ...Value) Term {
	return Term{Name: name, Path: strings.Split(name, "."), Op: op, Values: vs}
}

func get(name string) Term                 { return term(OpGet, name) }
func set(name string, v Value) Term        { return term(OpSet, name, v) }
func add(name string, vs ...Value) Term    { return term(OpAdd, name, vs...) }
func rm(name string, v Value) Term         { return term(OpRemove, name, v) }
func clr(name string) Term                 { return term(OpClear, name) }
func call(name string, args ...Value) Term { return term(OpCall, name, args...) }

// strip clears the positions and Raw of parsed terms.
func strip(ts []Term) []Term {
	out := make([]Term, len(ts))
	for i, t := range ts {
		t.Pos, t.Raw = 0, ""
		t.Values = stripValues(t.Values)
		out[i] = t
	}
	return out
}

func stripValues(vs []Value) []Value {
	if vs == nil {
		return nil
	}
	out := make([]Value, len(vs))
	for i, v := range vs {
		v.Pos = 0
		v.Args = stripValues(v.Args)
		v.Items = stripValues(v.Items)
		out[i] = v
	}
	return out
}

const (
	g1 = "6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b"
	g2 = "0A1B2C3D4E5F40718293A4B5C6D7E8F9"
)
