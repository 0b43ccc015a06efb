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

// entity is one entity of the database. One struct serves every type: the
// fields a type does not use stay zero. Entities are copied on write by a
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

	// Cardholders and visitors.
	first, last, email, phone string
	inactive                  bool      // State=Inactive / Status.Deactivate()
	activation, expiration    time.Time // zero: none
	creds                     []string
	groups                    []string
	// Visitors.
	arrival, departure, checkin, checkout time.Time
	checkedIn, checkedOut                 bool
	escort, escort2                       string

	// Credentials.
	format cardformat.Credential
	holder string
	state  string // Active, Inactive, Lost, Stolen
	badge  string

	// Cardholder groups: members (cardholders, visitors, groups).
	members []string

	// Access rules.
	schedule      string
	doors         []string
	ruleHolders   []string // cardholders and groups
	temporary     bool
	start, end    time.Time
	denying       bool
	system        bool
	scheduleValue *sim.Schedule // schedules: nil is Always

	// Users.
	password string
	disabled bool

	// Hardware mirrored from the world.
	world sim.ID
	kind  sim.Kind
	// parent is the area of a door, the unit of a door or device, the role
	// of a unit.
	parent string
	unit   string
}

func (e *entity) clone() *entity {
	c := *e
	c.parts = slices.Clone(e.parts)
	c.creds = slices.Clone(e.creds)
	c.groups = slices.Clone(e.groups)
	c.members = slices.Clone(e.members)
	c.doors = slices.Clone(e.doors)
	c.ruleHolders = slices.Clone(e.ruleHolders)
	return &c
}

// isHolder reports whether e is a cardholder or a visitor.
func (e *entity) isHolder() bool { return e.typ == TypeCardholder || e.typ == TypeVisitor }

// holderState is the cardholder's or visitor's State at now: Active,
// Inactive or Expired. A visitor is Active from check-in to check-out or
// departure.
func (e *entity) holderState(now time.Time) string {
	switch {
	case e.inactive:
		return "Inactive"
	case e.typ == TypeVisitor && e.checkedOut:
		return "Inactive"
	case !e.expiration.IsZero() && !now.Before(e.expiration):
		return "Expired"
	case e.typ == TypeVisitor && !e.departure.IsZero() && !now.Before(e.departure):
		return "Expired"
	case e.typ == TypeVisitor && !e.checkedIn:
		return "Inactive"
	case !e.activation.IsZero() && now.Before(e.activation):
		return "Inactive"
	}
	return "Active"
}

// credState is the credential's State at now: Active, Inactive, Lost,
// Stolen or Expired.
func (e *entity) credState(now time.Time) string {
	switch {
	case e.state != "Active":
		return e.state
	case !e.expiration.IsZero() && !now.Before(e.expiration):
		return "Expired"
	case !e.activation.IsZero() && now.Before(e.activation):
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
