package genetec

import (
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim/genetec/cardformat"
	"github.com/pacsim/pacsim/sim/genetec/query"
)

// set runs Prop=Value on e.
func (t *tx) set(e *entity, term *query.Term) error {
	if len(term.Path) != 1 {
		return invalidOp("Could not set property '%s' on %s", clip(term.Name), e.typ)
	}
	name := strings.ToLower(term.Name)
	v := term.Values[0]
	if e.world != 0 || e.typ == TypeSystem || e.typ == TypeSchedule || e.typ == TypeUser || e.typ == TypeUserGroup {
		return invalidOp("The property %s of %s %q cannot be set through the simulated Web SDK (the site file describes it)", term.Name, e.typ, e.name)
	}
	m := t.mut(e.guid)
	old := ""
	switch name {
	case "name":
		old, m.name = m.name, v.Text
	case "description":
		old, m.desc = m.desc, v.Text
	case "emailaddress":
		old, m.personMut().email = m.person().email, v.Text
	default:
		var err error
		switch e.typ {
		case TypeCardholder, TypeVisitor:
			old, err = t.setHolder(m, name, term.Name, v)
		case TypeCredential:
			old, err = t.setCredential(m, name, term.Name, v)
		case TypeAccessRule:
			old, err = t.setRule(m, name, term.Name, v)
		default:
			err = invalidOp("Could not find property '%s' on %s", clip(term.Name), e.typ)
		}
		if err != nil {
			return err
		}
	}
	t.audit(m, "Modified", term.Name+" changed", old, v.String())
	return nil
}

func (t *tx) setHolder(m *entity, name, raw string, v query.Value) (string, error) {
	switch name {
	case "firstname":
		old := m.person().first
		m.personMut().first = v.Text
		return old, nil
	case "lastname":
		old := m.person().last
		m.personMut().last = v.Text
		return old, nil
	case "mobilephonenumber":
		old := m.person().phone
		m.personMut().phone = v.Text
		return old, nil
	case "state":
		switch strings.ToLower(v.Text) {
		case "active":
			m.personMut().inactive = false
			if m.typ == TypeVisitor && !m.person().checkedIn {
				t.checkIn(m)
			}
		case "inactive":
			m.personMut().inactive = true
		default:
			return "", invalidValue("State=%s: a cardholder's state is Active or Inactive", clip(v.Text))
		}
		return "", nil
	case "activationmode":
		return "", t.activationMode(m, v)
	case "activationdate", "expirationdate":
		if m.typ == TypeVisitor {
			return "", invalidOp("The property %s has no setter", raw)
		}
		tm, err := timeValue(raw, v)
		if err != nil {
			return "", err
		}
		if name == "activationdate" {
			m.validityMut().activation = tm
		} else {
			m.validityMut().expiration = tm
		}
		return "", nil
	case "arrival", "departure":
		if m.typ != TypeVisitor {
			return "", invalidOp("Could not find property '%s' on %s", raw, m.typ)
		}
		tm, err := timeValue(raw, v)
		if err != nil {
			return "", err
		}
		if name == "arrival" {
			m.personMut().arrival = tm
		} else {
			m.personMut().departure = tm
		}
		return "", nil
	case "escort", "escort2":
		if m.typ != TypeVisitor {
			return "", invalidOp("Could not find property '%s' on %s", raw, m.typ)
		}
		g, err := t.holderRef(v.Text)
		if err != nil {
			return "", err
		}
		if name == "escort" {
			m.personMut().escort = g
		} else {
			m.personMut().escort2 = g
		}
		return "", nil
	}
	return "", invalidOp("Could not find property '%s' on %s", clip(raw), m.typ)
}

func (t *tx) setCredential(m *entity, name, raw string, v query.Value) (string, error) {
	switch name {
	case "format":
		f, err := formatValue(v)
		if err != nil {
			return "", err
		}
		old := m.credential().format.UniqueID()
		m.credentialMut().format = f
		return old, nil
	case "cardholderguid", "cardholder":
		g, ok := query.NormalizeGUID(v.Text)
		if !ok {
			return "", invalidValue("%s=%s: not a GUID", raw, clip(v.Text))
		}
		if g == GUIDEmpty {
			return "", t.unassign(m)
		}
		return "", t.assign(g, m)
	case "state":
		st, ok := map[string]string{"active": "Active", "inactive": "Inactive", "lost": "Lost", "stolen": "Stolen"}[strings.ToLower(v.Text)]
		if !ok {
			return "", invalidValue("State=%s: a credential's state is Active, Inactive, Lost or Stolen", clip(v.Text))
		}
		old := m.credential().state
		m.credentialMut().state = st
		return old, nil
	case "badgetemplate":
		g, ok := query.NormalizeGUID(v.Text)
		if !ok {
			return "", invalidValue("%s=%s: not a GUID", raw, clip(v.Text))
		}
		m.credentialMut().badge = g
		return "", nil
	case "activationmode":
		return "", t.activationMode(m, v)
	}
	return "", invalidOp("Could not find property '%s' on %s", clip(raw), m.typ)
}

func (t *tx) setRule(m *entity, name, raw string, v query.Value) (string, error) {
	switch name {
	case "schedule", "scheduleguid":
		g, ok := query.NormalizeGUID(v.Text)
		if s := t.get(g); !ok || s == nil || s.typ != TypeSchedule {
			return "", invalidValue("%s=%s: not a schedule", raw, clip(v.Text))
		}
		m.accessRuleMut().schedule = g
	case "isdenyingrule":
		b, err := boolValue(raw, v)
		if err != nil {
			return "", err
		}
		m.accessRuleMut().denying = b
	case "starttime", "endtime":
		if !m.accessRule().temporary {
			return "", invalidOp("%s: only a temporary access rule (NewEntity(AccessRule,Temporary)) has a time range", raw)
		}
		tm, err := timeValue(raw, v)
		if err != nil {
			return "", err
		}
		if name == "starttime" {
			m.accessRuleMut().start = tm
		} else {
			m.accessRuleMut().end = tm
		}
	default:
		return "", invalidOp("Could not find property '%s' on %s", clip(raw), m.typ)
	}
	return "", nil
}

// activationMode reads the legacy ActivationMode values:
// SpecificActivationPeriod(start,end), SpecificDeactivation(end),
// RelativeDeactivation(d.hh:mm:ss).
func (t *tx) activationMode(m *entity, v query.Value) error {
	if v.Kind != query.Call {
		return invalidValue("ActivationMode=%s: SpecificActivationPeriod(start,end), SpecificDeactivation(end) or RelativeDeactivation(d.hh:mm:ss)", clip(v.String()))
	}
	switch strings.ToLower(v.Name) {
	case "specificactivationperiod":
		if len(v.Args) != 2 {
			return invalidValue("SpecificActivationPeriod takes a start and an end")
		}
		a, err := timeValue("start", v.Args[0])
		if err != nil {
			return err
		}
		b, err := timeValue("end", v.Args[1])
		if err != nil {
			return err
		}
		if !b.After(a) {
			return invalidValue("SpecificActivationPeriod(%s,%s): the end is not after the start", v.Args[0].Text, v.Args[1].Text)
		}
		v := m.validityMut()
		v.activation, v.expiration = a, b
	case "specificdeactivation":
		if len(v.Args) != 1 {
			return invalidValue("SpecificDeactivation takes an end")
		}
		b, err := timeValue("end", v.Args[0])
		if err != nil {
			return err
		}
		m.validityMut().expiration = b
	case "relativedeactivation":
		if len(v.Args) != 1 {
			return invalidValue("RelativeDeactivation takes a duration d.hh:mm:ss")
		}
		d, err := query.ParseTimeSpan(v.Args[0].Text)
		if err != nil || d <= 0 {
			return invalidValue("RelativeDeactivation(%s): not a positive duration d.hh:mm:ss", clip(v.Args[0].Text))
		}
		m.validityMut().expiration = t.now.Add(d)
	default:
		return invalidValue("ActivationMode=%s: unknown activation mode", clip(v.Name))
	}
	if m.typ == TypeCardholder || m.typ == TypeVisitor {
		m.personMut().inactive = false
	}
	return nil
}

// formatValue builds a credential format from a constructor call or inline XML.
func formatValue(v query.Value) (cardformat.Credential, error) {
	var f cardformat.Credential
	var err error
	switch v.Kind {
	case query.Call:
		if len(v.Args) == 1 && v.Args[0].Kind == query.List {
			fields, ferr := keyValues(v.Args[0])
			if ferr != nil {
				return f, ferr
			}
			f, err = cardformat.FromFields(v.Name, fields)
		} else {
			args := make([]string, len(v.Args))
			for i, a := range v.Args {
				args[i] = a.Text
			}
			f, err = cardformat.FromConstructor(v.Name, args)
		}
	case query.XML:
		f, err = cardformat.FromXML(v.Text)
	default:
		return f, invalidValue("Format=%s: a format constructor such as WiegandStandardCredentialFormat(200,2001) or inline XML such as <UndecodedWiegand>…</UndecodedWiegand>", clip(v.String()))
	}
	if err != nil {
		return f, invalidValue("Format=%s: %v", clip(v.String()), err)
	}
	return f, nil
}

// keyValues reads {{"k","v"},…}.
func keyValues(v query.Value) ([][2]string, error) {
	var out [][2]string
	for _, it := range v.Items {
		if it.Kind != query.List || len(it.Items) != 2 {
			return nil, invalidValue("%s: expected {\"key\",\"value\"} pairs", clip(v.String()))
		}
		out = append(out, [2]string{it.Items[0].Text, it.Items[1].Text})
	}
	return out, nil
}

func timeValue(what string, v query.Value) (time.Time, error) {
	tm, err := query.ParseTime(v.Text)
	if err != nil {
		return time.Time{}, invalidValue("%s=%s: not a date and time like 2026-01-05T09:00:00", what, clip(v.Text))
	}
	return tm, nil
}

func boolValue(what string, v query.Value) (bool, error) {
	switch strings.ToLower(v.Text) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, invalidValue("%s=%s: true or false", what, clip(v.Text))
}
