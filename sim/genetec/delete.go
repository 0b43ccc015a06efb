package genetec

import (
	"slices"

	"github.com/pacsim/pacsim/sim/genetec/query"
)

// Delete removes an entity, as DELETE /entity/{id} does, and every
// reference to it: a deleted cardholder's credentials become unassigned, a
// deleted credential leaves its holder, groups and rules forget members.
// The world's hardware and the built-in entities cannot be deleted.
func (db *DB) Delete(id, user, app string) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	g, ok := query.NormalizeGUID(id)
	if !ok {
		return invalidOp("%q is not a GUID", clip(id))
	}
	t := db.begin(user, app)
	e := t.get(g)
	if e == nil {
		return notFound(id)
	}
	if !creatable[e.typ] || e.accessRule().system || e.guid == GUIDAllCardholders || e.guid == GUIDVisitorsGroup || e.guid == GUIDRootPartition {
		return invalidOp("%s %q cannot be deleted", e.typ, e.name)
	}
	switch e.typ {
	case TypeCredential:
		if err := t.unassign(e); err != nil {
			return err
		}
	case TypeCardholder, TypeVisitor:
		for _, c := range slices.Clone(e.person().creds) {
			if err := t.unassign(t.get(c)); err != nil {
				return err
			}
		}
		for _, gr := range slices.Clone(t.get(g).person().groups) {
			t.leave(t.get(gr), t.get(g))
		}
	case TypeCardholderGroup:
		for _, m := range slices.Clone(e.misc().members) {
			t.leave(t.get(g), t.get(m))
		}
	}
	for _, r := range db.rules {
		if slices.Contains(db.byGUID[r].accessRule().ruleHolders, g) {
			m := t.mut(r)
			m.accessRuleMut().ruleHolders = removeString(m.accessRule().ruleHolders, g)
		}
	}
	t.audit(t.get(g), "Removed", string(e.typ)+" deleted", "", "")
	t.remove(g)
	t.commit()
	return nil
}

// Exists reports whether an entity exists.
func (db *DB) Exists(id string) (bool, error) {
	g, ok := query.NormalizeGUID(id)
	if !ok {
		return false, invalidOp("%q is not a GUID", clip(id))
	}
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.byGUID[g] != nil, nil
}
