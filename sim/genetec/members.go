package genetec

import (
	"slices"
	"strings"

	"github.com/pacsim/pacsim/sim/genetec/query"
)

// ref resolves a GUID argument to an entity of one of the wanted types.
func (t *tx) ref(text string, want ...Type) (*entity, error) {
	text = strings.TrimSpace(text)
	if len(text) >= 2 && text[0] == '(' && text[len(text)-1] == ')' {
		text = text[1 : len(text)-1]
	}
	g, ok := query.NormalizeGUID(text)
	if !ok {
		return nil, invalidValue("%q is not a GUID", clip(text))
	}
	e := t.get(g)
	if e == nil {
		return nil, notFound(text)
	}
	if len(want) > 0 && !slices.Contains(want, e.typ) {
		names := make([]string, len(want))
		for i, w := range want {
			names[i] = string(w)
		}
		return nil, invalidValue("%s is a %s, not a %s", g, e.typ, strings.Join(names, " or "))
	}
	return e, nil
}

func (t *tx) holderRef(text string) (string, error) {
	if g, ok := query.NormalizeGUID(text); ok && g == GUIDEmpty {
		return "", nil
	}
	e, err := t.ref(text, TypeCardholder, TypeVisitor)
	if err != nil {
		return "", err
	}
	return e.guid, nil
}

// assign gives credential cred to cardholder or visitor h. A credential
// held by someone else is refused: one card, one holder.
func (t *tx) assign(h string, cred *entity) error {
	he, err := t.ref(h, TypeCardholder, TypeVisitor)
	if err != nil {
		return err
	}
	if cred.credential().holder == he.guid {
		return nil
	}
	if cred.credential().holder != "" && t.get(cred.credential().holder) != nil {
		return invalidOp("credential %s is already assigned to %s %q", cred.guid, t.get(cred.credential().holder).typ, t.get(cred.credential().holder).name)
	}
	c := t.mut(cred.guid)
	c.credentialMut().holder = he.guid
	m := t.mut(he.guid)
	m.personMut().creds, _ = addString(m.person().creds, cred.guid)
	t.audit(c, "Modified", "Credential assigned", "", he.guid)
	return nil
}

// unassign takes a credential from its holder.
func (t *tx) unassign(cred *entity) error {
	if cred.credential().holder == "" {
		return nil
	}
	if h := t.mut(cred.credential().holder); h != nil {
		h.personMut().creds = removeString(h.person().creds, cred.guid)
	}
	c := t.mut(cred.guid)
	old := c.credential().holder
	c.credentialMut().holder = ""
	t.audit(c, "Modified", "Credential unassigned", old, "")
	return nil
}

// join puts member (a cardholder, visitor or group) into group g.
func (t *tx) join(g, member *entity) error {
	if slices.Contains(g.misc().members, member.guid) {
		return invalidOp("%s %q is already a member of cardholder group %q", member.typ, member.name, g.name)
	}
	if member.guid == g.guid {
		return invalidOp("a cardholder group cannot be a member of itself")
	}
	gm := t.mut(g.guid)
	gm.miscMut().members = append(gm.misc().members, member.guid)
	if member.isHolder() {
		mm := t.mut(member.guid)
		mm.personMut().groups, _ = addString(mm.person().groups, g.guid)
	}
	t.audit(gm, "Modified", "Member added", "", member.guid)
	return nil
}

// leave takes member out of group g; leaving a group one is not in succeeds.
func (t *tx) leave(g, member *entity) {
	gm := t.mut(g.guid)
	gm.miscMut().members = removeString(gm.misc().members, member.guid)
	if member.isHolder() {
		mm := t.mut(member.guid)
		mm.personMut().groups = removeString(mm.person().groups, g.guid)
	}
	t.audit(gm, "Modified", "Member removed", member.guid, "")
}

// checkIn is a visitor's arrival: from now its credentials open its doors.
func (t *tx) checkIn(m *entity) {
	p := m.personMut()
	p.checkedIn, p.checkedOut, p.inactive = true, false, false
	p.checkin, p.checkout = t.now, zeroTime
	if p.arrival.IsZero() {
		p.arrival = t.now
	}
}

// collection runs Name@v…, Name-v and Name* on e.
func (t *tx) collection(e *entity, term *query.Term) error {
	name := strings.ToLower(term.Name)
	switch {
	case e.isHolder() && name == "credentials":
		return t.eachRef(term, func(v string) error {
			c, err := t.ref(v, TypeCredential)
			if err != nil {
				return err
			}
			if term.Op == query.OpAdd {
				return t.assign(e.guid, c)
			}
			if c.credential().holder != e.guid {
				return nil
			}
			return t.unassign(c)
		}, func() error {
			for _, c := range slices.Clone(t.get(e.guid).person().creds) {
				if err := t.unassign(t.get(c)); err != nil {
					return err
				}
			}
			return nil
		})
	case e.isHolder() && name == "groups":
		return t.eachRef(term, func(v string) error {
			g, err := t.ref(v, TypeCardholderGroup)
			if err != nil {
				return err
			}
			if term.Op == query.OpAdd {
				return t.join(g, t.get(e.guid))
			}
			t.leave(g, t.get(e.guid))
			return nil
		}, func() error {
			for _, g := range slices.Clone(t.get(e.guid).person().groups) {
				t.leave(t.get(g), t.get(e.guid))
			}
			return nil
		})
	case e.typ == TypeCardholderGroup && name == "members":
		return t.eachRef(term, func(v string) error {
			m, err := t.ref(v, TypeCardholder, TypeVisitor, TypeCardholderGroup)
			if err != nil {
				return err
			}
			if term.Op == query.OpAdd {
				return t.join(t.get(e.guid), m)
			}
			t.leave(t.get(e.guid), m)
			return nil
		}, func() error {
			for _, m := range slices.Clone(t.get(e.guid).misc().members) {
				t.leave(t.get(e.guid), t.get(m))
			}
			return nil
		})
	case e.typ == TypeAccessRule && (name == "members" || name == "cardholders"):
		return t.eachRef(term, func(v string) error {
			m, err := t.ref(v, TypeCardholder, TypeVisitor, TypeCardholderGroup)
			if err != nil {
				return err
			}
			r := t.mut(e.guid)
			if term.Op == query.OpAdd {
				r.accessRuleMut().ruleHolders, _ = addString(r.accessRule().ruleHolders, m.guid)
			} else {
				r.accessRuleMut().ruleHolders = removeString(r.accessRule().ruleHolders, m.guid)
			}
			t.audit(r, "Modified", "Cardholders changed", "", m.guid)
			return nil
		}, func() error {
			r := t.mut(e.guid)
			r.accessRuleMut().ruleHolders = nil
			t.audit(r, "Modified", "Cardholders cleared", "", "")
			return nil
		})
	case (e.typ == TypeAccessRule) && name == "doors":
		return t.eachRef(term, func(v string) error {
			d, err := t.ref(v, TypeDoor)
			if err != nil {
				return err
			}
			r := t.mut(e.guid)
			if term.Op == query.OpAdd {
				r.accessRuleMut().doors, _ = addString(r.accessRule().doors, d.guid)
			} else {
				r.accessRuleMut().doors = removeString(r.accessRule().doors, d.guid)
			}
			t.audit(r, "Modified", "Doors changed", "", d.guid)
			return nil
		}, func() error {
			r := t.mut(e.guid)
			r.accessRuleMut().doors = nil
			t.audit(r, "Modified", "Doors cleared", "", "")
			return nil
		})
	}
	return invalidOp("Could not find collection '%s' on %s", clip(term.Name), e.typ)
}

// eachRef runs one for each value of an add or remove, or clear for Name*.
func (t *tx) eachRef(term *query.Term, one func(string) error, clear func() error) error {
	if term.Op == query.OpClear {
		return clear()
	}
	for _, v := range term.Values {
		if err := one(v.Text); err != nil {
			return err
		}
	}
	return nil
}
