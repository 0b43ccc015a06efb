package genetec

import (
	"maps"
	"time"
)

// tx is one request's changes: entities are cloned on their first change
// and land together at commit, so a query that fails half-way leaves the
// database as it was. It runs under the database's write lock.
type tx struct {
	db      *DB
	now     time.Time
	user    string // who changes, for the audit trail
	app     string
	changed map[string]*entity
	created []string
	deleted map[string]bool
	audits  []auditRow
}

func (db *DB) begin(user, app string) *tx {
	return &tx{db: db, now: db.now(), user: user, app: app, changed: map[string]*entity{}, deleted: map[string]bool{}}
}

// get reads an entity as this transaction sees it.
func (t *tx) get(guid string) *entity {
	if t.deleted[guid] {
		return nil
	}
	if e, ok := t.changed[guid]; ok {
		return e
	}
	return t.db.byGUID[guid]
}

// mut returns the transaction's own copy of an entity, to change.
func (t *tx) mut(guid string) *entity {
	if e, ok := t.changed[guid]; ok {
		return e
	}
	e := t.db.byGUID[guid]
	if e == nil || t.deleted[guid] {
		return nil
	}
	c := e.clone()
	t.changed[guid] = c
	return c
}

// create adds a new entity of type typ.
func (t *tx) create(typ Type) *entity {
	e := &entity{guid: t.db.newGUID(), typ: typ, created: t.now, modified: t.now}
	t.changed[e.guid] = e
	t.created = append(t.created, e.guid)
	return e
}

// remove deletes an entity.
func (t *tx) remove(guid string) { t.deleted[guid] = true }

// commit lands every change, keeping the card indexes and the audit trail.
func (t *tx) commit() {
	db := t.db
	if len(t.changed) == 0 && len(t.created) == 0 && len(t.deleted) == 0 && len(t.audits) == 0 {
		return // a read: the published view stands, uncopied
	}
	// The published view shares these maps (publish).
	db.byGUID = maps.Clone(db.byGUID)
	db.byCard = maps.Clone(db.byCard)
	for _, g := range t.created {
		if t.deleted[g] {
			continue
		}
		e := t.changed[g]
		if e.typ == TypeCardholder || e.typ == TypeVisitor {
			db.logical[e.typ]++
			e.logical = db.logical[e.typ]
		}
		db.order = append(db.order, g)
		if e.typ == TypeAccessRule {
			db.rules = append(db.rules, g)
		}
	}
	for g, e := range t.changed {
		if t.deleted[g] {
			continue
		}
		if old := db.byGUID[g]; old != nil && old.typ == TypeCredential {
			db.unindexCredential(old)
		}
		e.modified = t.now
		db.byGUID[g] = e
		if e.typ == TypeCredential {
			db.indexCredential(e)
		}
	}
	for g := range t.deleted {
		if old := db.byGUID[g]; old != nil {
			if old.typ == TypeCredential {
				db.unindexCredential(old)
			}
			if old.typ == TypeAccessRule {
				db.rules = removeString(db.rules, g)
			}
			delete(db.byGUID, g)
		}
	}
	// An entity's name may be set after the term that audited it (a create
	// names itself later in the query): the trail shows the final name.
	for i := range t.audits {
		if e := t.changed[t.audits[i].guid]; e != nil {
			t.audits[i].name = e.name
		}
	}
	db.appendAudit(t.audits)
	db.publish()
}
