package genetec

import (
	"fmt"
	"time"

	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// maxAudit bounds the audit trail: the oldest rows go first.
const maxAudit = 100000

// auditRow is one change made through the Web SDK.
type auditRow struct {
	id       int
	guid     string // the audited entity
	name     string
	typ      Type
	time     time.Time
	user     string // user GUID
	userName string
	app      string
	desc     string
	oldValue string
	newValue string
	kind     string // Added, Modified, Removed
}

// numericTypes are the audit trail's numeric entity types.
var numericTypes = map[Type]int{TypeCardholder: 7, TypeCardholderGroup: 8, TypeCredential: 9, TypeAccessRule: 4,
	TypeVisitor: 38, TypePartition: 12, TypeSchedule: 10, TypeDoor: 5, TypeArea: 3, TypeUser: 1}

// audit records a change of e by this transaction.
func (t *tx) audit(e *entity, kind, desc, oldV, newV string) {
	t.audits = append(t.audits, auditRow{guid: e.guid, name: e.name, typ: e.typ, time: t.now, user: t.user,
		userName: t.userName(), app: t.app, desc: desc, oldValue: oldV, newValue: newV, kind: kind})
}

func (t *tx) userName() string {
	if u := t.db.byGUID[t.user]; u != nil {
		return u.name
	}
	return ""
}

func (db *DB) appendAudit(rows []auditRow) {
	for _, r := range rows {
		r.id = len(db.audit) + 1
		if n := len(db.audit); n > 0 {
			r.id = db.audit[n-1].id + 1
		}
		db.audit = append(db.audit, r)
	}
	if over := len(db.audit) - maxAudit; over > 0 {
		db.audit = append(db.audit[:0:0], db.audit[over:]...)
	}
}

// modificationTypes number AuditTrailModificationType as the report shows
// it (a real capture has 0 for a created entity; the rest is our reading).
var modificationTypes = map[string]int{"Added": 0, "Modified": 1, "Removed": 2}

// auditObject is a row of report/AuditTrail, with the fields production
// clients parse (SPEC §3).
func (db *DB) auditObject(r auditRow) *wire.Object {
	ts := r.time.UTC().Format("2006-01-02T15:04:05.000Z")
	data := fmt.Sprintf("<AuditData><Description>%s</Description><OldValue>%s</OldValue><NewValue>%s</NewValue></AuditData>",
		xmlText(r.desc), xmlText(r.oldValue), xmlText(r.newValue))
	return wire.NewObject(24).Set("Id", r.id).Set("Guid", r.guid).Set("ModificationTimeStamp", ts).
		Set("ModifiedBy", r.user).Set("SourceApplicationGuid", GUIDEmpty).Set("Name", r.name).
		Set("ModifiedByAsString", r.userName).Set("SourceApplicationAsString", db.spec.Machine+" - WebSdkConnection").
		Set("Machine", db.spec.Machine).Set("SourceApplicationType", 4).Set("OldValue", r.oldValue).
		Set("NewValue", r.newValue).Set("CustomFieldId", GUIDEmpty).Set("CustomFieldName", "").
		Set("CustomFieldValueType", 0).Set("AuditTrailModificationType", modificationTypes[r.kind]).Set("Type", numericTypes[r.typ]).
		Set("Description", r.desc).Set("AuditTrailModificationSubTypes", 0).Set("Value", data)
}
