package genetec

import (
	"slices"
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/genetec/cardformat"
)

// Type is an entity type as the Web SDK names it.
type Type string

// The entity types the simulated Security Center holds.
const (
	TypeCardholder      Type = "Cardholder"
	TypeVisitor         Type = "Visitor"
	TypeCredential      Type = "Credential"
	TypeCardholderGroup Type = "CardholderGroup"
	TypeAccessRule      Type = "AccessRule"
	TypeSchedule        Type = "Schedule"
	TypePartition       Type = "Partition"
	TypeUser            Type = "User"
	TypeUserGroup       Type = "UserGroup"
	TypeSystem          Type = "SystemConfiguration"
	TypeDoor            Type = "Door"
	TypeArea            Type = "Area"
	TypeUnit            Type = "Unit"
	TypeRole            Type = "Role"
	TypeDevice          Type = "Device"
	TypeServer          Type = "Server"
)

// types lists every type, for case-insensitive look-up of a name a client
// wrote (EntityTypes@Cardholdergroup).
var types = []Type{TypeCardholder, TypeVisitor, TypeCredential, TypeCardholderGroup, TypeAccessRule,
	TypeSchedule, TypePartition, TypeUser, TypeUserGroup, TypeSystem, TypeDoor, TypeArea, TypeUnit,
	TypeRole, TypeDevice, TypeServer}

// ParseType finds the entity type named s, ignoring case.
func ParseType(s string) (Type, bool) {
	for _, t := range types {
		if strings.EqualFold(string(t), s) {
			return t, true
		}
	}
	return "", false
}

// creatable are the types NewEntity makes; the hardware is the world's.
var creatable = map[Type]bool{TypeCardholder: true, TypeVisitor: true, TypeCredential: true,
	TypeCardholderGroup: true, TypeAccessRule: true, TypePartition: true}

// entity is one entity of the database. It holds what every entity has;
// the fields of a few types live in groups held by pointer and allocated
// on first write, so the hundreds of thousands of doors, readers and units
// mirrored from the world stay small. A nil group reads as zero values:
// read a group with its accessor (e.person()), write it through its Mut
// accessor on a transaction's copy. Entities are copied on write by a
// transaction (clone), so a request that fails half-way changes nothing.
type entity struct {
	guid     string
	typ      Type
	name     string
	desc     string
	logical  int // 0: none
	created  time.Time
	modified time.Time
	parts    []string // partitions it is a member of

	// Hardware mirrored from the world.
	world sim.ID
	// parent is the area of a door, the unit of a door or device, the role
	// of a unit.
	parent string
	unit   string
	kind   sim.Kind

	personG *personFields
	validG  *validityFields
	credG   *credFields
	ruleG   *ruleFields
	miscG   *miscFields
}

// personFields are a cardholder's or a visitor's (any entity may carry an
// email address).
type personFields struct {
	first, last, email, phone string
	inactive                  bool // State=Inactive / Status.Deactivate()
	creds                     []string
	groups                    []string
	// Visitors.
	arrival, departure, checkin, checkout time.Time
	checkedIn, checkedOut                 bool
	escort, escort2                       string
}

// validityFields bound when a cardholder, visitor or credential is valid.
type validityFields struct {
	activation, expiration time.Time // zero: none
}

// credFields are a credential's.
type credFields struct {
	format cardformat.Credential
	holder string
	state  string // Active, Inactive, Lost, Stolen
	badge  string
}

// ruleFields are an access rule's.
type ruleFields struct {
	schedule    string
	doors       []string
	ruleHolders []string // cardholders and groups
	temporary   bool
	start, end  time.Time
	denying     bool
	system      bool
}

// miscFields are those of the types few entities have: cardholder groups,
// schedules, users.
type miscFields struct {
	// Cardholder groups: members (cardholders, visitors, groups).
	members       []string
	scheduleValue *sim.Schedule // schedules: nil is Always
	// Users.
	password string
	disabled bool
}

// The read accessors return a copy of a group, zero when the entity has
// none, so reading a cardholder's field of a door is safe and a write
// through them does not compile.

func (e *entity) person() personFields {
	if e.personG == nil {
		return personFields{}
	}
	return *e.personG
}

func (e *entity) validity() validityFields {
	if e.validG == nil {
		return validityFields{}
	}
	return *e.validG
}

func (e *entity) credential() credFields {
	if e.credG == nil {
		return credFields{}
	}
	return *e.credG
}

func (e *entity) accessRule() ruleFields {
	if e.ruleG == nil {
		return ruleFields{}
	}
	return *e.ruleG
}

func (e *entity) misc() miscFields {
	if e.miscG == nil {
		return miscFields{}
	}
	return *e.miscG
}

// The Mut accessors return the group to change, allocating it. Call them
// only on an entity not yet shared: a transaction's copy (tx.mut, tx.create)
// or one being loaded.

func (e *entity) personMut() *personFields {
	if e.personG == nil {
		e.personG = &personFields{}
	}
	return e.personG
}

func (e *entity) validityMut() *validityFields {
	if e.validG == nil {
		e.validG = &validityFields{}
	}
	return e.validG
}

func (e *entity) credentialMut() *credFields {
	if e.credG == nil {
		e.credG = &credFields{}
	}
	return e.credG
}

func (e *entity) accessRuleMut() *ruleFields {
	if e.ruleG == nil {
		e.ruleG = &ruleFields{}
	}
	return e.ruleG
}

func (e *entity) miscMut() *miscFields {
	if e.miscG == nil {
		e.miscG = &miscFields{}
	}
	return e.miscG
}

// clone copies e and its groups, so changing the copy leaves e as it was.
func (e *entity) clone() *entity {
	c := *e
	c.parts = slices.Clone(e.parts)
	if e.personG != nil {
		p := *e.personG
		p.creds = slices.Clone(p.creds)
		p.groups = slices.Clone(p.groups)
		c.personG = &p
	}
	if e.validG != nil {
		v := *e.validG
		c.validG = &v
	}
	if e.credG != nil {
		cr := *e.credG
		c.credG = &cr
	}
	if e.ruleG != nil {
		r := *e.ruleG
		r.doors = slices.Clone(r.doors)
		r.ruleHolders = slices.Clone(r.ruleHolders)
		c.ruleG = &r
	}
	if e.miscG != nil {
		m := *e.miscG
		m.members = slices.Clone(m.members)
		c.miscG = &m
	}
	return &c
}

// isHolder reports whether e is a cardholder or a visitor.
func (e *entity) isHolder() bool { return e.typ == TypeCardholder || e.typ == TypeVisitor }

// holderState is the cardholder's or visitor's State at now: Active,
// Inactive or Expired. A visitor is Active from check-in to check-out or
// departure.
func (e *entity) holderState(now time.Time) string {
	p, v := e.person(), e.validity()
	switch {
	case p.inactive:
		return "Inactive"
	case e.typ == TypeVisitor && p.checkedOut:
		return "Inactive"
	case !v.expiration.IsZero() && !now.Before(v.expiration):
		return "Expired"
	case e.typ == TypeVisitor && !p.departure.IsZero() && !now.Before(p.departure):
		return "Expired"
	case e.typ == TypeVisitor && !p.checkedIn:
		return "Inactive"
	case !v.activation.IsZero() && now.Before(v.activation):
		return "Inactive"
	}
	return "Active"
}

// credState is the credential's State at now: Active, Inactive, Lost,
// Stolen or Expired.
func (e *entity) credState(now time.Time) string {
	st, v := e.credential().state, e.validity()
	switch {
	case st != "Active":
		return st
	case !v.expiration.IsZero() && !now.Before(v.expiration):
		return "Expired"
	case !v.activation.IsZero() && now.Before(v.activation):
		return "Inactive"
	}
	return "Active"
}

// removeString removes every s from list, keeping the order.
func removeString(list []string, s string) []string {
	return slices.DeleteFunc(list, func(x string) bool { return x == s })
}

// addString appends s unless list holds it; it reports whether it did.
func addString(list []string, s string) ([]string, bool) {
	if slices.Contains(list, s) {
		return list, false
	}
	return append(list, s), true
}
