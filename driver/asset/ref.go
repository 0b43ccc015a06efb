package asset

import (
	"fmt"
	"strconv"
	"strings"
)

// Ref names one asset by type and id, as the northbound API does: the path
// /assets/door/12 and the JSON {"type":"door","id":12}.
//
// Ids are the EntraPass component ids (integers); the System asset is
// system/1.
type Ref struct {
	// Type is the asset's type.
	Type Type `json:"type"`
	// ID is the asset's id within its type.
	ID int `json:"id"`
}

// SystemRef is the System asset: there is one, and its id is 1.
var SystemRef = Ref{Type: System, ID: 1}

// String renders the reference as in the northbound path: "door/12".
func (r Ref) String() string { return string(r.Type) + "/" + strconv.Itoa(r.ID) }

// ParseRef reads "door/12".
func ParseRef(s string) (Ref, error) {
	ty, id, ok := strings.Cut(s, "/")
	if !ok {
		return Ref{}, fmt.Errorf("%w: asset reference %q is not type/id", ErrUnknownAsset, s)
	}
	t, err := ParseType(ty)
	if err != nil {
		return Ref{}, err
	}
	n, err := strconv.Atoi(id)
	if err != nil || n <= 0 {
		return Ref{}, fmt.Errorf("%w: asset id %q of %q is not a positive integer", ErrUnknownAsset, id, s)
	}
	return Ref{Type: t, ID: n}, nil
}

// less orders references by type in the document's order, then by id: the
// order of List and Selection.
func (r Ref) less(o Ref) bool {
	if a, b := r.Type.order(), o.Type.order(); a != b {
		return a < b
	}
	return r.ID < o.ID
}

// compare is less as a three-way comparison, for slices.SortFunc.
func (r Ref) compare(o Ref) int {
	switch {
	case r.less(o):
		return -1
	case o.less(r):
		return 1
	}
	return 0
}
