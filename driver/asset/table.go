package asset

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Table is a status table: statuses ordered highest first. An asset shows
// the highest of its visible statuses in its type's table. The default is
// SPEC §6's precedence; the configuration can give a type another order
// (the document's "Configure a Status Table").
//
// A Table is immutable once made, so it can be shared by every asset of a
// type and read without locks.
type Table struct {
	order []Status
	// bits[i] is order[i] as a set, so that ranking a set needs no lookup.
	bits []statusSet
	// rank[i] is the position in order of allStatuses[i], or noRank when the
	// table does not list it.
	rank [len(allStatuses)]uint8
}

const noRank = 0xff

// defaultTable is SPEC §6's precedence: No Communication > Masked >
// Acknowledged > the alarm states (Fault, Forced Open, Held Open, Tamper,
// Controller Fault) > Disabled, Unsecure, Active > Enabled, Secure,
// Inactive, Present > Normal. Within a tier the order is the one SPEC lists.
var defaultTable = mustTable(allStatuses[:]...)

// DefaultTable returns SPEC §6's precedence.
func DefaultTable() *Table { return defaultTable }

func mustTable(order ...Status) *Table {
	t, err := NewTable(order...)
	if err != nil {
		panic(err)
	}
	return t
}

// NewTable makes a status table from statuses ordered highest first. It
// refuses an unknown status (naming it), a status listed twice, and a table
// without No Communication, which the document requires in all status tables.
// A table need not list every status; SetTable checks that it lists all the
// statuses of the type it is given to.
func NewTable(order ...Status) (*Table, error) {
	t := &Table{order: make([]Status, 0, len(order))}
	for i := range t.rank {
		t.rank[i] = noRank
	}
	var unknown []string
	for _, s := range order {
		i, ok := index(s)
		if !ok {
			unknown = append(unknown, fmt.Sprintf("%q", string(s)))
			continue
		}
		if t.rank[i] != noRank {
			return nil, fmt.Errorf("%w: %q is listed twice", ErrInvalidTable, s)
		}
		t.rank[i] = uint8(len(t.order))
		t.order = append(t.order, s)
		t.bits = append(t.bits, 1<<i)
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%w: unknown status %s (the statuses are %s)", ErrInvalidTable, strings.Join(unknown, ", "), joinStatuses(allStatuses[:]))
	}
	if _, ok := t.Rank(NoCommunication); !ok {
		return nil, fmt.Errorf("%w: %q is required in every status table", ErrInvalidTable, NoCommunication)
	}
	return t, nil
}

// ParseTable makes a table from status names (see ParseStatus), as a
// configuration file gives them.
func ParseTable(names ...string) (*Table, error) {
	order := make([]Status, 0, len(names))
	var unknown []string
	for _, n := range names {
		s, err := ParseStatus(n)
		if err != nil {
			unknown = append(unknown, fmt.Sprintf("%q", n))
			continue
		}
		order = append(order, s)
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%w: unknown status %s (the statuses are %s)", ErrInvalidTable, strings.Join(unknown, ", "), joinStatuses(allStatuses[:]))
	}
	return NewTable(order...)
}

// Statuses returns the table's statuses, highest first.
func (t *Table) Statuses() []Status { return append([]Status(nil), t.order...) }

// Rank returns the position of s in the table (0 is highest) and whether
// the table lists it.
func (t *Table) Rank(s Status) (int, bool) {
	i, ok := index(s)
	if !ok || t.rank[i] == noRank {
		return 0, false
	}
	return int(t.rank[i]), true
}

// Higher returns whichever of a and b ranks higher in the table.
func (t *Table) Higher(a, b Status) Status {
	ra, oka := t.Rank(a)
	rb, okb := t.Rank(b)
	if !okb || (oka && ra <= rb) {
		return a
	}
	return b
}

// Check refuses the table for a type when it lacks any status the type
// supports, naming them: an asset must never hold a status its table cannot
// rank.
func (t *Table) Check(ty Type) error {
	in := ty.info()
	if in == nil {
		return fmt.Errorf("%w %q", ErrUnknownType, ty)
	}
	var missing []Status
	for _, s := range in.statuses {
		if _, ok := t.Rank(s); !ok {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w for %s: missing %s", ErrInvalidTable, in.title, joinStatuses(missing))
	}
	return nil
}

// top returns the highest status of the set, or "" for an empty set or a
// set the table lists none of.
func (t *Table) top(s statusSet) Status {
	for i, b := range t.bits {
		if s&b != 0 {
			return t.order[i]
		}
	}
	return ""
}

// list returns the set's statuses in table order.
func (t *Table) list(s statusSet) []Status {
	out := make([]Status, 0, popcount(s))
	for i, b := range t.bits {
		if s&b != 0 {
			out = append(out, t.order[i])
		}
	}
	return out
}

func popcount(s statusSet) int {
	n := 0
	for ; s != 0; s &= s - 1 {
		n++
	}
	return n
}

// String renders the table as "No Communication > Masked > …".
func (t *Table) String() string {
	var b strings.Builder
	for i, s := range t.order {
		if i > 0 {
			b.WriteString(" > ")
		}
		b.WriteString(string(s))
	}
	return b.String()
}

// MarshalJSON writes the table as its statuses, highest first.
func (t *Table) MarshalJSON() ([]byte, error) { return json.Marshal(t.order) }

// UnmarshalJSON reads a table from its statuses, highest first, with the
// checks of NewTable.
func (t *Table) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidTable, err)
	}
	nt, err := ParseTable(names...)
	if err != nil {
		return err
	}
	*t = *nt
	return nil
}
