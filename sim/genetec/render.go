package genetec

import (
	"strconv"
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/genetec/cardformat"
	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// The Web SDK shows an unset date as .NET's DateTime.MinValue.
var zeroTime time.Time

// orNil is t, or nil (JSON null) when t is unset.
func orNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// strs copies a GUID list into a tree value (never nil: [] not null).
func strs(l []string) []any {
	out := make([]any, len(l))
	for i, s := range l {
		out[i] = s
	}
	return out
}

// supportedEvents are what each type lists in SupportedEvents, from the
// real captures' arrays.
var supportedEvents = map[Type][]string{
	TypeCardholder: {"CardholderAccessGranted", "CardholderAccessRefused", "CardholderInactive", "CardholderCredentialExpired",
		"CardholderCredentialInactive", "CardholderCredentiallost", "CardholderCredentialStolen", "EntityWarning"},
	TypeCredential: {"CredentialUnassigned", "CredentialExpired", "CredentialStolen", "CredentialLost", "CredentialInactive",
		"CredentialHasExpired", "CredentialIsExpiring", "EntityWarning"},
	TypeDoor: {"AccessGranted", "AccessRefused", "DoorOpen", "DoorClose", "DoorOpenedForTooLong", "DoorForcedOpen",
		"DoorRexOn", "DoorLock", "DoorUnlock", "DoorManuallyUnlocked", "DoorScheduledUnlock", "AccessUnknownCredential",
		"AccessUnassignedCredential", "AccessExpiredCredential", "AccessInactiveCredential", "AccessLostCredential",
		"AccessStolenCredential", "AccessInactivePerson", "AccessOutOfSchedule", "AccessNoAccessRuleAssigned", "EntityWarning"},
	TypeArea: {"AccessGranted", "AccessRefused", "EntityWarning"},
	TypeUnit: {"UnitConnected", "UnitDisconnected", "EntityWarning"},
	TypeUser: {"EntityWarning", "UserLoggedOn", "UserLoggedOff", "UserLoginFailed"},
}

func init() { supportedEvents[TypeVisitor] = supportedEvents[TypeCardholder] }

// render is the whole entity as GET /entity/{id} shows it: the type's own
// properties, then the ones every entity has, in the real server's order.
func (db *DB) render(e *entity, now time.Time) *wire.Object {
	o := wire.NewObject(64)
	switch e.typ {
	case TypeCardholder, TypeVisitor:
		db.renderHolder(o, e, now)
	case TypeCredential:
		db.renderCredential(o, e, now)
	case TypeCardholderGroup:
		o.Set("AccessPermissionLevel", 7).Set("AccessRules", strs(db.rulesOf(e.guid))).
			Set("EmailAddress", e.person().email).Set("Members", strs(e.misc().members)).Set("IsVisitorGroup", e.guid == GUIDVisitorsGroup)
	case TypeAccessRule:
		ru := e.accessRule()
		typ := "Permanent"
		if ru.temporary {
			typ = "Temporary"
		}
		var sched any
		if se := db.byGUID[ru.schedule]; se != nil && se.typ == TypeSchedule {
			sched = db.render(se, now)
		}
		o.Set("AccessRuleType", typ).Set("Cardholders", strs(ru.ruleHolders)).Set("EndTime", timeOr(ru.end, "9999-12-31T23:59:59.9999999")).
			Set("IsDenyingRule", ru.denying).Set("IsSystemRule", ru.system).Set("Members", strs(ru.ruleHolders)).
			Set("RelatedAccessPoints", strs(ru.doors)).Set("Schedule", sched).Set("ScheduleGuid", ru.schedule).
			Set("StartTime", timeOr(ru.start, "0001-01-01T00:00:00"))
	case TypeSchedule:
		o.Set("Coverage", wire.NewObject(1).Set("CoverageItems", []any{})).Set("SupportTwilightCoverage", false).
			Set("AccessRules", strs(db.rulesWithSchedule(e.guid)))
	case TypePartition:
		o.Set("Members", strs(db.partitionMembers(e.guid))).Set("UserAccesses", []any{}).Set("AcceptedUsers", []any{GUIDAdministrators})
	case TypeUser:
		status := "Activated"
		if e.misc().disabled {
			status = "Deactivated"
		}
		admin := e.guid == GUIDAdmin
		o.Set("ActiveDirectoryDomainName", "").Set("EmailAddress", "").Set("ExternalSystemUserStatus", status).Set("FirstName", "").
			Set("IsAdministrator", admin).Set("IsPartitionAdministrator", admin).Set("IsSecurityLevelInherited", true).
			Set("IsSystemAdministratorUser", admin).Set("LastName", "").Set("NeedChangePassword", false).
			Set("PasswordExpiration", 0).Set("PasswordLastModified", "9999-12-31T23:59:59.997Z").Set("Privileges", []any{}).
			Set("SecurityLevel", 1).Set("TimespanBeforePasswordExpires", "10675199.02:48:05.4775807").
			Set("UserGroups", []any{GUIDAdministrators}).Set("UserStatus", status).Set("IsNewlyCreated", false)
	case TypeUserGroup:
		o.Set("ActiveDirectoryDomainName", nil).Set("Children", []any{}).Set("Domain", nil).Set("EffectiveCreationTime", e.created).
			Set("EmailAddress", "").Set("ExpirationDate", "9999-12-31T23:59:59.9999999").Set("ExpirationDuration", 0).
			Set("ExpirationIsInherited", true).Set("ExpirationMode", "Never").Set("ExternalUniqueId", nil).
			Set("IsNewlyCreated", false).Set("IsOwnedByPlugin", false).Set("IsSecurityLevelInherited", true).
			Set("IsSystemAdministratorsUserGroup", e.guid == GUIDAdministrators).Set("Members", strs(db.usersOf())).
			Set("Privileges", []any{}).Set("SecurityLevel", 1).Set("UserGroups", []any{})
	case TypeDoor:
		db.renderDoor(o, e)
	case TypeArea:
		doors := db.childrenOf(e.guid, TypeDoor)
		var entry, exit []string
		for _, d := range doors {
			entry = append(entry, db.apGUID(d, "In", "CardReader"))
			exit = append(exit, db.apGUID(d, "Out", "CardReader"))
		}
		o.Set("AccessControlSupport", true).Set("AccessPermissionLevel", 7).Set("AccessRules", []any{}).
			Set("AntipassbackMode", "None").Set("AntipassbackSchedule", GUIDAlways).Set("AntipassbackStrict", false).
			Set("AntipassbackTimeout", 0).Set("MaxOccupancyMode", "None").Set("MaxOccupancyLimit", 1).
			Set("AllDoors", strs(doors)).Set("CaptiveAccessPoints", []any{}).Set("CaptiveAreas", []any{}).
			Set("EntryAccessPoints", strs(entry)).Set("ExitAccessPoints", strs(exit)).Set("PeopleCount", []any{}).
			Set("PerimeterDoors", strs(doors))
	case TypeSystem:
		formats := make([]any, 0, 12)
		for _, f := range cardformat.Builtins() {
			formats = append(formats, wire.NewObject(11).Set("FormatName", f.Name).Set("BitLength", f.Bits).
				Set("Facility", 0).Set("CardId", 0).Set("FormatId", f.ID).Set("Name", f.ShortName).Set("RawData", "").
				Set("Type", "UndecodedWiegand").Set("UniqueId", "").Set("IsMobile", false).Set("IsCustomFormat", false))
		}
		o.Set("CredentialFormats", formats).Set("MaximumVisitorsSingleEscort", -1)
	case TypeRole:
		o.Set("Type", "AccessManager").Set("Units", strs(db.childrenOf(e.guid, TypeUnit)))
	case TypeServer:
		o.Set("FullyQualifiedName", strings.ToUpper(db.spec.Machine)+".PACSIM.LOCAL").Set("IsMainServer", true).
			Set("PrivateEndPoint", "127.0.0.1").Set("PrivateEndPoints", []any{"127.0.0.1"}).Set("PublicEndPoint", nil).
			Set("TimeZone", wire.NewObject(2).Set("Id", "UTC").Set("DisplayName", "(UTC) Coordinated Universal Time")).
			Set("Version", versionObject(db.spec.Version)).Set("ServerCertificateThumbprint", "")
	case TypeUnit:
		st, _ := db.world.Controller(e.world)
		o.Set("IsOnline", st.Reachable).Set("Doors", strs(db.unitChildren(e.guid, TypeDoor)))
	}
	db.common(o, e)
	return o
}

// common sets the members every entity has, after its own.
func (db *DB) common(o *wire.Object, e *entity) {
	o.Set("Application", GUIDEmpty).Set("Behaviors", []any{}).Set("EventToActions", []any{}).
		Set("CreatedOn", e.created).Set("CustomFields", []any{}).Set("Description", e.desc).Set("EntitySubType", 0).
		Set("EntityType", string(e.typ)).Set("Guid", e.guid).Set("HiddenFromUI", false).
		Set("HierarchicalChildren", strs(db.hierChildren(e))).Set("HierarchicalParents", strs(db.hierParents(e))).
		Set("IsDisposed", false).Set("IsInMaintenance", false).Set("IsMaintenanceSupported", false)
	if _, ok := o.Get("IsOnline"); !ok {
		o.Set("IsOnline", db.online(e))
	}
	var logical any
	if e.logical != 0 {
		logical = e.logical
	}
	running := "Running"
	if !db.online(e) {
		running = "Warning"
	}
	o.Set("LinkedMaps", []any{}).Set("LogicalId", logical).Set("ModifiedOn", e.modified).Set("MaintenanceEndTime", nil).
		Set("MaintenanceReason", nil).Set("Name", e.name).Set("OwnerRole", GUIDEmpty).Set("OwnerRoleType", "None").
		Set("RunningState", running).Set("SupportedCustomEvents", []any{}).
		Set("SupportedEvents", strs(supportedEventsOf(e.typ))).Set("Synchronised", false)
}

// apGUID is the GUID of a door side's access point (kind: CardReader, Rex,
// EntrySensor, Side), stable for a site.
func (db *DB) apGUID(door, side, kind string) string {
	return guidFor(db.site, "ap/"+door+"/"+side+"/"+kind)
}

func guidForDevice(site, door, what string) string { return guidFor(site, "device/"+door+"/"+what) }

// accessPoint is an access point of a door side, as the Door entity nests
// it: the device it reads (a reader, or none), its side and type, and the
// members every entity has.
func (db *DB) accessPoint(door *entity, side, kind, device string) *wire.Object {
	ap := &entity{guid: db.apGUID(door.guid, side, kind), typ: "AccessPoint", name: door.name + " - " + side + " - " + kind,
		created: door.created, modified: door.modified}
	o := wire.NewObject(40).Set("Device", orEmpty(device)).Set("AccessPointSide", side).Set("AccessPointType", kind).
		Set("AccessPointGroup", door.guid).Set("AccessRules", []any{}).Set("Cameras", []any{}).Set("Door", door.guid)
	db.common(o, ap)
	return o
}

// usersOf lists the users (every one is an administrator in the simulator).
func (db *DB) usersOf() []string {
	var out []string
	db.each(TypeUser, func(e *entity) { out = append(out, e.guid) })
	return out
}

// versionObject is a .NET System.Version as the Server entity shows it.
func versionObject(v string) *wire.Object {
	var n [4]int
	for i, p := range strings.SplitN(v, ".", 4) {
		n[i], _ = strconv.Atoi(p)
	}
	return wire.NewObject(6).Set("Major", n[0]).Set("Minor", n[1]).Set("Build", n[2]).Set("Revision", n[3]).
		Set("MajorRevision", 0).Set("MinorRevision", n[3])
}

func supportedEventsOf(t Type) []string {
	if l, ok := supportedEvents[t]; ok {
		return l
	}
	return []string{"EntityWarning"}
}

func timeOr(t time.Time, unset string) any {
	if t.IsZero() {
		return unset
	}
	return t
}

// status is the Status object of a cardholder, visitor or credential.
func status(activation, expiration time.Time, state string) *wire.Object {
	at, et := "Never", "Never"
	if !activation.IsZero() {
		at = "SpecificDate"
	}
	if !expiration.IsZero() {
		et = "SpecificDate"
	}
	return wire.NewObject(6).Set("ActivationDate", orNil(activation)).Set("ActivationType", at).
		Set("ExpirationDate", orNil(expiration)).Set("ExpirationType", et).Set("ExpirationDuration", nil).Set("State", state)
}

func (db *DB) renderHolder(o *wire.Object, e *entity, now time.Time) {
	state := e.holderState(now)
	p, v := e.person(), e.validity()
	exp := v.expiration
	if e.typ == TypeVisitor {
		if exp.IsZero() {
			exp = p.departure
		}
		o.Set("Arrival", orNil(p.arrival)).Set("CheckinDate", orNil(p.checkin)).Set("VisitDate", orNil(p.arrival)).
			Set("Departure", orNil(p.departure)).Set("Escort", orEmpty(p.escort)).Set("Escort2", orEmpty(p.escort2)).
			Set("MandatoryEscort", false)
	}
	o.Set("ActiveDirectoryOverride", false).Set("ActivationDate", timeOr(v.activation, "0001-01-01T00:00:00")).
		Set("ActivationMode", wire.NewObject(0)).Set("ActiveDirectoryDomainName", nil).Set("CanEscort", false).
		Set("AntipassbackExemption", false).Set("Credentials", strs(p.creds)).Set("EmailAddress", p.email).
		Set("MobilePhoneNumber", p.phone).Set("ExpirationDate", timeOr(exp, "0001-01-01T00:00:00")).
		Set("ExpirationDuration", 0).Set("FirstName", p.first).Set("Groups", strs(p.groups)).
		Set("AccessPermissionLevel", 7).Set("AccessRules", strs(db.holderRules(e))).Set("InheritAccessPermissionLevel", true).
		Set("IsActiveDirectoryEntity", false).
		Set("LastAccessPoint", wire.NewObject(3).Set("AccessPointGuid", GUIDEmpty).Set("AccessPointDate", "0001-01-01T00:00:00").Set("AccessGranted", false)).
		Set("LastName", p.last).Set("Parents", []any{}).Set("Picture", nil).Set("PictureFileName", nil).
		Set("State", state).Set("Status", status(v.activation, exp, state)).Set("UseExtendedGrantTime", false)
}

func orEmpty(g string) string {
	if g == "" {
		return GUIDEmpty
	}
	return g
}

func (db *DB) renderCredential(o *wire.Object, e *entity, now time.Time) {
	state := e.credState(now)
	c, v := e.credential(), e.validity()
	f := c.format
	format := wire.NewObject(12).Set("FormatName", f.Spec.Name).Set("BitLength", f.Spec.Bits)
	if f.Spec.HasFacility {
		format.Set("Facility", f.Facility)
	}
	format.Set("CardId", f.Card).Set("FormatId", f.Spec.ID).Set("Name", f.Spec.ShortName).Set("RawData", f.Raw).
		Set("Type", "UndecodedWiegand").Set("UniqueId", f.UniqueID()).Set("IsMobile", false).Set("IsCustomFormat", f.Spec.Kind == 5)
	if f.Code != "" {
		format = wire.NewObject(4).Set("FormatName", f.Spec.Name).Set("Code", f.Code).Set("FormatId", f.Spec.ID).Set("UniqueId", f.UniqueID())
	}
	var holder any
	o.Set("ActivationDate", timeOr(v.activation, "0001-01-01T00:00:00")).Set("ActivationMode", wire.NewObject(0)).
		Set("Cardholder", holder).Set("CardholderGuid", orEmpty(c.holder)).Set("BadgeTemplate", orEmpty(c.badge)).
		Set("ExpirationDate", timeOr(v.expiration, "0001-01-01T00:00:00")).Set("ExpirationDuration", 0).
		Set("ActiveDirectoryOverride", false).Set("Format", format).Set("IsActiveDirectoryEntity", false).
		Set("State", state).Set("Status", status(v.activation, v.expiration, state)).Set("Type", "UndecodedWiegand")
}

func (db *DB) renderDoor(o *wire.Object, e *entity) {
	st, _ := db.world.Door(e.world)
	readers := db.childrenOf(e.guid, TypeDevice)
	side := func(i int, name string) any {
		reader := ""
		if i < len(readers) {
			reader = readers[i]
		}
		return wire.NewObject(4).Set("AccessPointSide", name).
			Set("Reader", db.accessPoint(e, name, "CardReader", reader)).
			Set("Rex", db.accessPoint(e, name, "Rex", "")).
			Set("EntrySensor", db.accessPoint(e, name, "EntrySensor", ""))
	}
	var areas []string
	if e.parent != "" {
		areas = []string{e.parent}
	}
	o.Set("AccessPermissionLevel", 7).Set("PreferredUnit", e.unit).Set("PreferredInterface", e.unit).
		Set("AccessRules", strs(db.doorRules(e.guid))).
		Set("Areas", strs(areas)).Set("AutoUnlockOverride", nil).
		Set("DoorForced", wire.NewObject(2).Set("BuzzerBehavior", "SuppressReaderBuzzer").Set("IsActive", st.Contact == sim.ContactForced)).
		Set("DoorHeld", wire.NewObject(3).Set("BuzzerBehavior", "SuppressReaderBuzzer").Set("IsActive", st.Contact == sim.ContactHeldOpen).Set("TriggerTime", 30)).
		Set("DoorLockDevice", guidForDevice(db.site, e.guid, "lock")).
		Set("DoorSides", []any{db.apGUID(e.guid, "In", "Side"), db.apGUID(e.guid, "Out", "Side")}).
		Set("DoorSideIn", side(0, "In")).Set("DoorSideOut", side(1, "Out")).
		Set("ExtendedGrantTimeInSeconds", 15).Set("ExtendedEntryTimeInSeconds", 15).
		Set("IgnoreAccessEventsWhenUnlockedBySchedule", false).Set("IgnoreDoorOpenTooLongEventWhenUnlockedBySchedule", false).
		Set("IsLocked", st.Lock == sim.LockLocked).Set("IsManualStationActive", false).Set("IsOpen", st.Contact.IsOpen()).
		Set("MaintenanceModeActive", false).Set("RelockDelayInSeconds", 0).Set("RelockOnClose", true).
		Set("RequestToExit", wire.NewObject(4).Set("HoldoffAfterClosedDelayInSeconds", 0).Set("HoldoffAfterGrantedDelayInSeconds", 0).
			Set("IgnoreRexEventsWhenDoorOpen", false).Set("UnlockOnRex", true)).
		Set("StandardGrantTimeInSeconds", 5).Set("StandardEntryTimeInSeconds", 5).
		Set("TwoPersonRule", wire.NewObject(1).Set("IsActive", false)).
		Set("Units", strs([]string{e.unit})).Set("UnlockExceptionSchedules", []any{}).Set("UnlockSchedules", []any{}).
		Set("VisitorEscort", wire.NewObject(1).Set("MaximumDelayBetweenCardPresentations", 5))
}

// online tells whether a mirrored component can report.
func (db *DB) online(e *entity) bool {
	switch e.kind {
	case sim.KindGateway:
		g, _ := db.world.Gateway(e.world)
		return g.Connected
	case sim.KindController:
		c, _ := db.world.Controller(e.world)
		return c.Reachable
	case sim.KindDoor:
		d, _ := db.world.Door(e.world)
		return d.Reachable
	case sim.KindReader:
		r, _ := db.world.Reader(e.world)
		return r.Reachable
	}
	return true
}
