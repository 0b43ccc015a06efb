package genetec

import (
	"strconv"
	"strings"

	"github.com/pacsim/pacsim/sim/genetec/query"
	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// Exec runs an /entity query for a user and application, and returns the
// result tree (nil when nothing was read). Every change lands together, or
// none does: a failing term leaves the database as it was.
func (db *DB) Exec(q *query.Query, user, app string) (any, error) {
	db.mu.Lock()
	defer db.mu.Unlock()
	t := db.begin(user, app)
	var outs []*wire.Object
	var cur *entity
	var out *wire.Object
	for i := range q.Terms {
		term := &q.Terms[i]
		if strings.EqualFold(term.Name, "entity") && term.Op == query.OpSet {
			e, err := t.selectEntity(term.Values[0])
			if err != nil {
				return nil, err
			}
			cur, out = e, wire.NewObject(4)
			outs = append(outs, out)
			continue
		}
		if cur == nil {
			return nil, invalidOp("%q: a query on /entity starts with entity=<guid>, entity=LogicalID(Type,n) or entity=NewEntity(Type)", clip(term.Raw))
		}
		// A term may replace cur's copy (mut), so take it again each time.
		cur = t.get(cur.guid)
		if cur == nil {
			return nil, notFound(term.Raw)
		}
		if err := t.apply(cur, term, out); err != nil {
			return nil, err
		}
	}
	if err := t.finish(); err != nil {
		return nil, err
	}
	t.commit()
	n := 0
	for _, o := range outs {
		if o.Len() > 0 {
			n++
		}
	}
	switch {
	case n == 0:
		return nil, nil
	case len(outs) == 1:
		return outs[0], nil
	}
	list := make([]any, len(outs))
	for i, o := range outs {
		list[i] = o
	}
	return list, nil
}

// selectEntity resolves the value of entity=: a GUID, LogicalID(Type,n) or
// NewEntity(Type[,subtype]).
func (t *tx) selectEntity(v query.Value) (*entity, error) {
	if v.Kind == query.Call {
		switch strings.ToLower(v.Name) {
		case "newentity":
			if len(v.Args) < 1 || len(v.Args) > 2 {
				return nil, invalidOp("NewEntity takes a type and an optional subtype, as NewEntity(Cardholder)")
			}
			typ, ok := ParseType(v.Args[0].Text)
			if !ok || !creatable[typ] {
				return nil, invalidOp("NewEntity(%s): cannot create an entity of type %q here (Cardholder, Visitor, Credential, CardholderGroup, AccessRule, Partition)", clip(v.Args[0].Text), clip(v.Args[0].Text))
			}
			if n := len(t.db.byGUID) + len(t.created); n >= t.db.maxEntities {
				return nil, invalidOp("NewEntity(%s): the Security Center holds %d entities, its most: delete some first", clip(v.Args[0].Text), n)
			}
			e := t.create(typ)
			if typ == TypeCredential {
				c := e.credentialMut()
				c.state, c.badge = "Active", GUIDEmpty
			}
			if typ == TypeAccessRule {
				e.accessRuleMut().schedule = GUIDAlways
				if len(v.Args) == 2 {
					if !strings.EqualFold(v.Args[1].Text, "Temporary") && !strings.EqualFold(v.Args[1].Text, "Permanent") {
						return nil, invalidOp("NewEntity(AccessRule,%s): the subtype is Permanent or Temporary", clip(v.Args[1].Text))
					}
					e.accessRuleMut().temporary = strings.EqualFold(v.Args[1].Text, "Temporary")
				}
			}
			if typ == TypeCardholder || typ == TypeVisitor {
				e.validityMut().activation = t.now
			}
			t.audit(e, "Added", "Entity created: "+t.db.spec.Machine+" - WebSdkConnection.", "", "")
			return e, nil
		case "logicalid":
			if len(v.Args) != 2 {
				return nil, invalidOp("LogicalID takes a type and a number, as LogicalID(Door,1)")
			}
			typ, ok := ParseType(v.Args[0].Text)
			n, err := strconv.Atoi(v.Args[1].Text)
			if !ok || err != nil {
				return nil, invalidOp("%s: LogicalID takes a type and a number", clip(v.String()))
			}
			e := t.db.byLogical(typ, n)
			if e == nil {
				return nil, notFound(v.String())
			}
			return t.get(e.guid), nil
		}
		return nil, invalidOp("%s: entity= takes a GUID, LogicalID(Type,n) or NewEntity(Type)", clip(v.String()))
	}
	g, ok := query.NormalizeGUID(v.Text)
	if !ok {
		return nil, invalidOp("%q is not a GUID", clip(v.Text))
	}
	e := t.get(g)
	if e == nil {
		return nil, notFound(v.Text)
	}
	return e, nil
}

// apply runs one term on e, writing reads into out.
func (t *tx) apply(e *entity, term *query.Term, out *wire.Object) error {
	switch term.Op {
	case query.OpGet:
		v, err := t.read(e, term.Path)
		if err != nil {
			return err
		}
		out.Set(term.Path[len(term.Path)-1], v)
		return nil
	case query.OpSet:
		return t.set(e, term)
	case query.OpAdd, query.OpRemove, query.OpClear:
		return t.collection(e, term)
	case query.OpCall:
		v, err := t.call(e, term)
		if err != nil {
			return err
		}
		if v != nil {
			out.Set(term.Path[len(term.Path)-1], v)
		}
		return nil
	}
	return invalidOp("%q: unsupported term", clip(term.Raw))
}

// read reads a property, or a property of a property (Status.State), from
// the entity as GET /entity shows it.
func (t *tx) read(e *entity, path []string) (any, error) {
	if len(path) == 1 && strings.EqualFold(path[0], "Guid") {
		return e.guid, nil
	}
	// A credential's Cardholder is an entity: Cardholder.Guid,
	// Cardholder.Name read through it (BULAC reads Cardholder.Guid).
	if e.typ == TypeCredential && len(path) > 1 && strings.EqualFold(path[0], "Cardholder") {
		h := t.get(e.credential().holder)
		if h == nil {
			if strings.EqualFold(path[1], "Guid") && len(path) == 2 {
				return GUIDEmpty, nil
			}
			return nil, nil
		}
		return t.read(h, path[1:])
	}
	var cur any = t.db.render(e, t.now)
	for _, p := range path {
		o, ok := cur.(*wire.Object)
		if !ok {
			return nil, invalidOp("Could not find property '%s' on %s", clip(p), e.typ)
		}
		v, ok := getFold(o, p)
		if !ok {
			return nil, invalidOp("Could not find property '%s' on %s", clip(p), e.typ)
		}
		cur = v
	}
	return cur, nil
}

// getFold finds a key ignoring case, as the Web SDK matches member names.
func getFold(o *wire.Object, key string) (any, bool) {
	if v, ok := o.Get(key); ok {
		return v, true
	}
	for _, k := range o.Keys() {
		if strings.EqualFold(k, key) {
			return o.Get(k)
		}
	}
	return nil, false
}

// finish checks what a created entity needs before the transaction lands.
func (t *tx) finish() error {
	for _, g := range t.created {
		e := t.changed[g]
		if t.deleted[g] {
			continue
		}
		switch e.typ {
		case TypeCredential:
			if e.credential().format.Spec.ID == "" {
				return invalidOp("a new Credential needs a Format, as Format=WiegandStandardCredentialFormat(200,2001)")
			}
		}
		if e.name == "" {
			p := e.person()
			switch {
			case e.isHolder() && strings.TrimSpace(p.first+" "+p.last) != "":
				e.name = strings.TrimSpace(p.first + " " + p.last)
			default:
				e.name = "New_" + string(e.typ) + "_" + e.guid
			}
		}
	}
	// One credential a card: a create or a format change that repeats a
	// card already held is refused.
	seen := map[string]string{}
	for g, e := range t.changed {
		if e.typ != TypeCredential || t.deleted[g] {
			continue
		}
		u := e.credential().format.UniqueID()
		if other, ok := seen[u]; ok {
			return invalidOp("credentials %s and %s would hold the same card (%s)", other, g, u)
		}
		seen[u] = g
		if other, ok := t.db.byUnique[u]; ok && other != g && !t.deleted[other] {
			if o := t.changed[other]; o == nil || o.credential().format.UniqueID() == u {
				return invalidOp("a credential with the same card already exists: %s (%s)", other, u)
			}
		}
	}
	return nil
}
