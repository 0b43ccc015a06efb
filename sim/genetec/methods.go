package genetec

import (
	"strconv"
	"strings"

	"github.com/pacsim/pacsim/sim/genetec/query"
)

// call runs a method on e and returns what it answers (nil for none).
func (t *tx) call(e *entity, term *query.Term) (any, error) {
	name := strings.ToLower(term.Name)
	args := term.Values
	switch name {
	case "insertintopartition", "addtopartition":
		p, err := t.oneRef(term, TypePartition)
		if err != nil {
			return nil, err
		}
		m := t.mut(e.guid)
		m.parts, _ = addString(m.parts, p.guid)
		t.audit(m, "Modified", "Inserted into partition", "", p.guid)
		return nil, nil
	case "getpartitions":
		return strs(e.parts), nil
	case "setaccesspermissionlevel":
		if len(args) != 1 {
			return nil, invalidOp("SetAccessPermissionLevel takes a level from 0 to 7")
		}
		if n, err := strconv.Atoi(args[0].Text); err != nil || n < 0 || n > 7 {
			return nil, invalidValue("SetAccessPermissionLevel(%s): a level from 0 to 7", clip(args[0].Text))
		}
		return nil, nil
	}
	switch e.typ {
	case TypeCardholder, TypeVisitor:
		switch name {
		case "status.activate":
			return nil, t.activate(e, args)
		case "status.deactivate":
			return nil, t.deactivate(e, args)
		case "checkout":
			if e.typ != TypeVisitor {
				return nil, invalidOp("Checkout() is a method of a Visitor, not of a %s", e.typ)
			}
			if len(args) != 0 {
				return nil, invalidOp("Checkout() takes no argument")
			}
			m := t.mut(e.guid)
			for _, c := range append([]string(nil), m.person().creds...) {
				if err := t.unassign(t.get(c)); err != nil {
					return nil, err
				}
			}
			m = t.mut(e.guid)
			p := m.personMut()
			p.checkedOut, p.checkout = true, t.now
			t.audit(m, "Modified", "Visitor checked out", "", "")
			return nil, nil
		case "assignescorts":
			if e.typ != TypeVisitor || len(args) < 1 || len(args) > 2 {
				return nil, invalidOp("AssignEscorts(escort[,escort2]) is a method of a Visitor")
			}
			m := t.mut(e.guid)
			for i, a := range args {
				g, err := t.holderRef(a.Text)
				if err != nil {
					return nil, err
				}
				if i == 0 {
					m.personMut().escort = g
				} else {
					m.personMut().escort2 = g
				}
			}
			t.audit(m, "Modified", "Escorts assigned", "", "")
			return nil, nil
		}
	case TypeCredential:
		switch name {
		case "status.activate":
			return nil, t.activate(e, args)
		case "status.deactivate":
			return nil, t.deactivate(e, args)
		case "status.lost", "status.stolen":
			if len(args) != 0 {
				return nil, invalidOp("%s() takes no argument", term.Name)
			}
			m := t.mut(e.guid)
			old := m.credential().state
			m.credentialMut().state = map[string]string{"status.lost": "Lost", "status.stolen": "Stolen"}[name]
			t.audit(m, "Modified", "State changed", old, m.credential().state)
			return nil, nil
		case "format.serialize":
			return e.credential().format.Serialize(), nil
		case "getcredentialformatid":
			return e.credential().format.Spec.ID, nil
		}
	case TypeCardholderGroup:
		switch name {
		case "addcardholderintogroup", "removecardholderfromgroup":
			m, err := t.oneRef(term, TypeCardholder, TypeVisitor, TypeCardholderGroup)
			if err != nil {
				return nil, err
			}
			if name == "addcardholderintogroup" {
				return nil, t.join(t.get(e.guid), m)
			}
			t.leave(t.get(e.guid), m)
			return nil, nil
		}
	case TypeAccessRule:
		switch name {
		case "addcardholders", "removecardholders":
			m, err := t.oneRef(term, TypeCardholder, TypeVisitor, TypeCardholderGroup)
			if err != nil {
				return nil, err
			}
			r := t.mut(e.guid)
			if name == "addcardholders" {
				r.accessRuleMut().ruleHolders, _ = addString(r.accessRule().ruleHolders, m.guid)
			} else {
				r.accessRuleMut().ruleHolders = removeString(r.accessRule().ruleHolders, m.guid)
			}
			t.audit(r, "Modified", "Cardholders changed", "", m.guid)
			return nil, nil
		case "clearcardholders":
			r := t.mut(e.guid)
			r.accessRuleMut().ruleHolders = nil
			t.audit(r, "Modified", "Cardholders cleared", "", "")
			return nil, nil
		case "ismember":
			m, err := t.oneRef(term, TypeCardholder, TypeVisitor, TypeCardholderGroup)
			if err != nil {
				return nil, err
			}
			return t.db.pub.Load().ruleHolds(e, m), nil
		}
	case TypeDoor, TypeArea:
		switch name {
		case "addaccessrule", "removeaccessrule":
			if len(args) < 1 || len(args) > 2 {
				return nil, invalidOp("%s(rule[,side]) takes an access rule", term.Name)
			}
			r, err := t.ref(args[0].Text, TypeAccessRule)
			if err != nil {
				return nil, err
			}
			doors := []string{e.guid}
			if e.typ == TypeArea {
				doors = t.db.childrenOf(e.guid, TypeDoor)
			}
			m := t.mut(r.guid)
			for _, d := range doors {
				if name == "addaccessrule" {
					m.accessRuleMut().doors, _ = addString(m.accessRule().doors, d)
				} else {
					m.accessRuleMut().doors = removeString(m.accessRule().doors, d)
				}
			}
			t.audit(m, "Modified", "Access points changed", "", e.guid)
			return nil, nil
		}
	case TypePartition:
		switch name {
		case "addmember", "removemember":
			m, err := t.oneRef(term)
			if err != nil {
				return nil, err
			}
			mm := t.mut(m.guid)
			if name == "addmember" {
				mm.parts, _ = addString(mm.parts, e.guid)
			} else {
				mm.parts = removeString(mm.parts, e.guid)
			}
			t.audit(t.mut(e.guid), "Modified", "Partition members changed", "", m.guid)
			return nil, nil
		}
	}
	return nil, invalidOp("Could not find method '%s' on %s", clip(term.Name), e.typ)
}

func (t *tx) oneRef(term *query.Term, want ...Type) (*entity, error) {
	if len(term.Values) != 1 {
		return nil, invalidOp("%s takes one entity GUID", clip(term.Name))
	}
	return t.ref(term.Values[0].Text, want...)
}

// activate is Status.Activate([activation[,expiration]]): for a visitor
// without arguments it is the check-in.
func (t *tx) activate(e *entity, args []query.Value) error {
	if len(args) > 2 {
		return invalidOp("Status.Activate takes at most an activation and an expiration date")
	}
	m := t.mut(e.guid)
	switch m.typ {
	case TypeCredential:
		m.credentialMut().state = "Active"
	default:
		m.personMut().inactive = false
	}
	if len(args) == 0 {
		if m.typ == TypeVisitor {
			t.checkIn(m)
			t.audit(m, "Modified", "Visitor checked in", "", "")
			return nil
		}
		if m.validity().activation.IsZero() || m.validity().activation.After(t.now) {
			m.validityMut().activation = t.now
		}
		t.audit(m, "Modified", "Activated", "", "")
		return nil
	}
	a, err := timeValue("activation", args[0])
	if err != nil {
		return err
	}
	m.validityMut().activation = a
	if len(args) == 2 {
		b, err := timeValue("expiration", args[1])
		if err != nil {
			return err
		}
		if !b.After(a) {
			return invalidValue("Status.Activate(%s,%s): the expiration is not after the activation", args[0].Text, args[1].Text)
		}
		m.validityMut().expiration = b
	}
	if m.typ == TypeVisitor {
		t.checkIn(m)
		m.validityMut().activation = a
	}
	t.audit(m, "Modified", "Activated", "", "")
	return nil
}

// deactivate is Status.Deactivate([date]): at once, or from a date.
func (t *tx) deactivate(e *entity, args []query.Value) error {
	if len(args) > 1 {
		return invalidOp("Status.Deactivate takes at most a date")
	}
	m := t.mut(e.guid)
	if len(args) == 1 {
		d, err := timeValue("deactivation", args[0])
		if err != nil {
			return err
		}
		m.validityMut().expiration = d
	} else if m.typ == TypeCredential {
		m.credentialMut().state = "Inactive"
	} else {
		m.personMut().inactive = true
	}
	t.audit(m, "Modified", "Deactivated", "", "")
	return nil
}
