package genetec

import "github.com/pacsim/pacsim/sim/genetec/wire"

// obsolete are the deprecated members a full-entity read names in
// Rsp.ObsoletedMembers, by type: the member and what to use instead (the
// real server lists them from the SDK's [Obsolete] attributes).
var obsolete = map[Type][][2]string{
	TypeCardholder: {
		{"Genetec.Sdk.Entities.Cardholder.ActivationDate", "Use Status.ActivationDate."},
		{"Genetec.Sdk.Entities.Cardholder.ActivationMode", "Use Status."},
		{"Genetec.Sdk.Entities.Cardholder.ExpirationDate", "Use Status.ExpirationDate."},
		{"Genetec.Sdk.Entities.Cardholder.State", "Use Status."},
	},
	TypeCredential: {
		{"Genetec.Sdk.Entities.Credential.ActivationDate", "Use Status.ActivationDate."},
		{"Genetec.Sdk.Entities.Credential.ExpirationDate", "Use Status.ExpirationDate."},
		{"Genetec.Sdk.Entities.Credential.State", "Use Status.State."},
	},
	TypeDoor:       {{"Genetec.Sdk.Entities.Door.DoorSides", "Use DoorSideIn and DoorSideOut."}},
	TypeArea:       {{"Genetec.Sdk.Entities.Area.AccessRules", "Use the access rules of a side."}},
	TypeAccessRule: {{"Genetec.Sdk.Entities.AccessRule.Members", "Use Cardholders."}},
	TypePartition:  {{"Genetec.Sdk.Entities.Partition.AcceptedUsers", "Use UserAccesses."}},
	TypeUser:       {{"Genetec.Sdk.Entities.User.IsPartitionAdministrator", "Use the privileges."}},
}

// every entity's deprecated members.
var obsoleteCommon = [][2]string{
	{"Genetec.Sdk.Entities.Entity.CustomFields", "Use the custom field service."},
	{"Genetec.Sdk.Entities.Entity.ModifiedOn", "Use an audit trail query."},
}

func init() { obsolete[TypeVisitor] = obsolete[TypeCardholder] }

// obsoleted is the ObsoletedMembers list of a full read of type t.
func obsoleted(t Type) []any {
	out := []any{}
	for _, m := range append(obsolete[t], obsoleteCommon...) {
		out = append(out, wire.NewObject(2).Set("Member", m[0]).Set("Message", m[1]))
	}
	return out
}
