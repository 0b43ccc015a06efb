package entrapass

import (
	"fmt"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// Operator rights. The login answer lists every right of
// sim.EntraPassRights, True or False; the server enforces CardRight on the
// card-user writes (POST, PUT and DELETE Cards, PUT CardPictures). Reading
// card users needs no right: a monitoring account still sees the names in
// the events it reads (our reading — the reference names the rights, not
// what each one guards).

// RightCard is the right to create, modify and delete card users.
const RightCard = "CardRight"

// CodeRightDenied is the fault of a request the operator has no right to
// make. The reference gives no code for it; like COMPONENT_NOT_EXIST it is
// a code a driver may branch on, and its VisibleMessage names the right.
const CodeRightDenied = "OPERATOR_RIGHT_DENIED"

// rightSet is a set of rights, bit i for sim.EntraPassRights[i].
type rightSet uint64

// allRights holds every right.
var allRights = rightSet(1)<<len(sim.EntraPassRights) - 1

// rightsOf reads a site file's list (already checked and spelt as
// sim.EntraPassRights spells them); nil is every right.
func rightsOf(names []string) rightSet {
	if names == nil {
		return allRights
	}
	var s rightSet
	for _, n := range names {
		for i, r := range sim.EntraPassRights {
			if r == n {
				s |= 1 << i
			}
		}
	}
	return s
}

// has reports whether the set holds the right named r.
func (s rightSet) has(r string) bool {
	for i, n := range sim.EntraPassRights {
		if n == r {
			return s&(1<<i) != 0
		}
	}
	return false
}

// needRight refuses the call when its session's operator lacks right r;
// what is what the right would have allowed, for the sentence.
func (c *call) needRight(r, what string) *wire.Fault {
	if c.sess == nil || c.sess.op.rights.has(r) {
		return nil
	}
	return newFault(CodeRightDenied, fmt.Sprintf("Operator %s does not have the right %s: %s.", c.sess.op.name, r, what))
}
