package query

import "strconv"

// Op is what a term does to its member.
type Op uint8

// The operations a term can carry, one per token of the query language.
const (
	OpGet    Op = iota + 1 // Name
	OpSet                  // Name=Value
	OpAdd                  // Name@V1@V2
	OpRemove               // Name-V
	OpClear                // Name*
	OpCall                 // Name(args), e.g. Status.Activate(...), Checkout()
)

var opNames = [...]string{OpGet: "get", OpSet: "set", OpAdd: "add", OpRemove: "remove", OpClear: "clear", OpCall: "call"}

// String returns the lower-case name of the operation ("get", "set", …), or
// Op(n) for a value outside the constants.
func (o Op) String() string {
	if o >= OpGet && int(o) < len(opNames) {
		return opNames[o]
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// ValueKind says what a Value holds.
type ValueKind uint8

// The kinds of Value.
const (
	Text   ValueKind = iota + 1 // plain text, escapes applied, in Text
	Call                        // Name(Args…)
	List                        // {Items…}
	Quoted                      // a "…" string, quotes and escapes removed, in Text
	XML                         // inline XML, verbatim in Text
)

// Value is one value of a term or one argument or item of another value.
type Value struct {
	Kind  ValueKind
	Pos   int     // byte offset in the query where the value starts
	Text  string  // Text, Quoted, XML
	Name  string  // Call: the function name, e.g. "WiegandStandardCredentialFormat", "NewEntity", "LogicalID"
	Args  []Value // Call
	Items []Value // List
}

// Term is one comma-separated element of a query.
type Term struct {
	Pos    int      // byte offset of the term
	Name   string   // the member path as written, e.g. "Status.Activate", "entity", "EntityTypes", "Guid"
	Path   []string // Name split at '.', e.g. ["Status","Activate"]
	Op     Op
	Values []Value // OpSet: one; OpAdd: one per '@'; OpRemove: one; OpCall: the arguments; OpGet/OpClear: none
	Raw    string  // the term's text as written (trimmed), for error messages
}

// Query is a parsed q= parameter.
type Query struct {
	Terms []Term
	Text  string // the query as given to Parse
}

// Limits of Parse. They bound the work and the stack a hostile query can
// cost: the parser recurses once per nesting level.
const (
	MaxLen   = 64 << 10 // bytes in a query
	MaxTerms = 4096     // terms in a query
	MaxDepth = 32       // nested parentheses and braces
)
