package genetec

import "slices"

// The relations between entities, read by walking the database in
// creation order so answers list them stably. Called locked.

// each calls fn for every live entity of type t, in creation order.
func (db *DB) each(t Type, fn func(*entity)) {
	for _, g := range db.order {
		if e := db.byGUID[g]; e != nil && (t == "" || e.typ == t) {
			fn(e)
		}
	}
}

// rulesOf are the access rules that hold a cardholder or group directly.
func (db *DB) rulesOf(guid string) []string {
	var out []string
	for _, g := range db.rules {
		if r := db.byGUID[g]; r != nil && slices.Contains(r.accessRule().ruleHolders, guid) {
			out = append(out, g)
		}
	}
	return out
}

// holderRules are the rules a cardholder gets, directly or by its groups.
func (db *DB) holderRules(h *entity) []string {
	out := db.rulesOf(h.guid)
	for _, gr := range h.person().groups {
		for _, r := range db.rulesOf(gr) {
			out, _ = addString(out, r)
		}
	}
	return out
}

func (db *DB) rulesWithSchedule(guid string) []string {
	var out []string
	for _, g := range db.rules {
		if r := db.byGUID[g]; r != nil && r.accessRule().schedule == guid {
			out = append(out, g)
		}
	}
	return out
}

func (db *DB) doorRules(door string) []string {
	var out []string
	for _, g := range db.rules {
		if r := db.byGUID[g]; r != nil && slices.Contains(r.accessRule().doors, door) {
			out = append(out, g)
		}
	}
	return out
}

func (db *DB) partitionMembers(p string) []string {
	var out []string
	db.each("", func(e *entity) {
		if slices.Contains(e.parts, p) {
			out = append(out, e.guid)
		}
	})
	return out
}

// childrenOf are the entities of type t whose parent is guid.
func (db *DB) childrenOf(guid string, t Type) []string {
	var out []string
	db.each(t, func(e *entity) {
		if e.parent == guid {
			out = append(out, e.guid)
		}
	})
	return out
}

// unitChildren are the entities of type t on a unit.
func (db *DB) unitChildren(unit string, t Type) []string {
	var out []string
	db.each(t, func(e *entity) {
		if e.unit == unit {
			out = append(out, e.guid)
		}
	})
	return out
}

func (db *DB) hierChildren(e *entity) []string {
	switch e.typ {
	case TypeArea:
		return db.childrenOf(e.guid, TypeDoor)
	case TypeRole:
		return db.childrenOf(e.guid, TypeUnit)
	case TypeDoor:
		return db.childrenOf(e.guid, TypeDevice)
	}
	return nil
}

func (db *DB) hierParents(e *entity) []string {
	switch {
	case e.parent != "":
		return []string{e.parent}
	case e.typ == TypeArea || e.typ == TypeRole:
		return []string{GUIDSystem}
	}
	return nil
}
