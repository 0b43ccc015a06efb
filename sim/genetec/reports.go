package genetec

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/genetec/query"
	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// filters are a report query's settings.
type filters struct {
	types      []Type
	name       string
	nameSet    bool
	nameMode   string
	first      string
	firstMode  string
	last       string
	lastMode   string
	email      string
	groups     []string
	status     []string
	uniques    []string
	formats    []string
	unassigned bool
	states     []string
	guids      []string
	sources    []string
	events     []string
	from, to   time.Time
	ascending  bool
	page       int
	pageSize   int
	max        int
}

// reportSpec says which filters a report takes and how it runs.
type reportSpec struct {
	// name is the report's name as the Web SDK spells it.
	name    string
	allowed map[string]bool
	run     func(db *DB, f *filters) (wire.Rows, error)
	// paged reports answer TooManyResults with one row more than a page.
	paged bool
	// needs names a filter the report cannot run without.
	needs string
}

func allow(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[strings.ToLower(n)] = true
	}
	return m
}

var activityFilters = []string{"Events", "CustomEvents", "ExcludedExpansionEntities", "TimeRange.SetTimeRange", "SortOrder", "MaximumResultCount"}

var reports = map[string]*reportSpec{
	"entityconfiguration": {allowed: allow("EntityTypes", "Name", "NameSearchMode", "Page", "PageSize", "EntityGuids", "Guids", "MaximumResultCount"),
		run: (*DB).reportEntities, paged: true},
	"cardholderconfiguration": {allowed: allow("FirstName", "FirstNameSearchMode", "LastName", "LastNameSearchMode", "Email", "EmailSearchMode",
		"CardholderGroupIds", "AccessStatus", "Page", "PageSize", "DownloadAllRelatedData", "MaximumResultCount", "Name", "NameSearchMode"),
		run: (*DB).reportCardholders, paged: true},
	"credentialconfiguration": {allowed: allow("UniqueIds", "UnassignedOnly", "FormatType", "Page", "PageSize", "MaximumResultCount", "Name", "NameSearchMode"),
		run: (*DB).reportCredentials, paged: true},
	"visitor": {allowed: allow("VisitorStates", "FirstName", "FirstNameSearchMode", "LastName", "LastNameSearchMode", "EntityGuids",
		"Page", "PageSize", "MaximumResultCount"), run: (*DB).reportVisitors, paged: true},
	"dooractivity":       {allowed: allow(append([]string{"Doors"}, activityFilters...)...), run: activity(), needs: "doors"},
	"cardholderactivity": {allowed: allow(append([]string{"Cardholders"}, activityFilters...)...), run: activity(), needs: "cardholders"},
	"visitoractivity":    {allowed: allow(append([]string{"Visitor"}, activityFilters...)...), run: activity(), needs: "visitor"},
	"credentialactivity": {allowed: allow(append([]string{"Credentials"}, activityFilters...)...), run: activity(), needs: "credentials"},
	"areaactivity":       {allowed: allow(append([]string{"Areas"}, activityFilters...)...), run: activity(), needs: "areas"},
	"audittrail":         {allowed: allow("TimeRange.SetTimeRange", "SortOrder", "MaximumResultCount", "QueryEntities", "Applications", "Users"), run: (*DB).reportAudit},
}

var reportNames = []string{"EntityConfiguration", "CardholderConfiguration", "CredentialConfiguration", "Visitor",
	"DoorActivity", "CardholderActivity", "VisitorActivity", "CredentialActivity", "AreaActivity", "AuditTrail"}

func init() {
	for _, n := range reportNames {
		reports[strings.ToLower(n)].name = n
	}
	at := *reports["audittrail"]
	at.name = "AuditTrailsReport"
	reports["audittrailsreport"] = &at
}

// Report runs /report/{name}?q=… and returns its status and rows.
func (db *DB) Report(name string, q *query.Query) (wire.Status, any, error) {
	spec, ok := reports[strings.ToLower(name)]
	if !ok {
		return 0, nil, invalidOp("Unknown report type '%s' (the simulator has %s, AuditTrailsReport)", clip(name), strings.Join(reportNames, ", "))
	}
	f := &filters{page: 1}
	seen := map[string]bool{}
	for i := range q.Terms {
		term := &q.Terms[i]
		key := strings.ToLower(term.Name)
		if !spec.allowed[key] {
			return 0, nil, invalidOp("Could not find property '%s' from filter: '%s'", clip(term.Name), clip(term.Raw))
		}
		seen[key] = true
		if err := f.take(term); err != nil {
			return 0, nil, err
		}
	}
	if spec.needs != "" && !seen[spec.needs] {
		return 0, nil, invalidOp("The %s report needs %s@<guid>", spec.name, neededFilter(spec))
	}
	db.mu.RLock()
	rows, err := spec.run(db, f)
	db.mu.RUnlock()
	if err != nil {
		return 0, nil, err
	}
	if !spec.paged || f.pageSize == 0 {
		if f.max > 0 && len(rows) > f.max {
			return wire.Partial, rows[:f.max], nil
		}
		return wire.Ok, rows, nil
	}
	start := (f.page - 1) * f.pageSize
	if start >= len(rows) {
		return wire.Ok, wire.Rows{}, nil
	}
	rows = rows[start:]
	if len(rows) > f.pageSize {
		return wire.TooManyResults, rows[:f.pageSize+1], nil
	}
	return wire.Ok, rows, nil
}

// neededFilter spells the filter a report cannot run without as clients write it.
func neededFilter(spec *reportSpec) string {
	for _, n := range []string{"Doors", "Cardholders", "Visitor", "Credentials", "Areas"} {
		if strings.ToLower(n) == spec.needs {
			return n
		}
	}
	return spec.needs
}

// take reads one filter term.
func (f *filters) take(term *query.Term) error {
	vals := func() []string {
		out := make([]string, len(term.Values))
		for i, v := range term.Values {
			out[i] = v.Text
		}
		return out
	}
	text := ""
	if len(term.Values) > 0 {
		text = term.Values[0].Text
	}
	num := func(min int) (int, error) {
		n, err := strconv.Atoi(text)
		if err != nil || n < min || n > 1_000_000 {
			return 0, invalidValue("%s=%s: a whole number from %d to 1000000", term.Name, clip(text), min)
		}
		return n, nil
	}
	var err error
	switch strings.ToLower(term.Name) {
	case "entitytypes":
		for _, s := range vals() {
			t, ok := ParseType(s)
			if !ok {
				return invalidValue("EntityTypes@%s: unknown entity type", clip(s))
			}
			f.types = append(f.types, t)
		}
	case "name":
		f.name, f.nameSet = text, true
	case "namesearchmode":
		f.nameMode, err = searchMode(term.Name, text)
	case "firstname":
		f.first = text
	case "firstnamesearchmode":
		f.firstMode, err = searchMode(term.Name, text)
	case "lastname":
		f.last = text
	case "lastnamesearchmode":
		f.lastMode, err = searchMode(term.Name, text)
	case "email":
		f.email = text
	case "cardholdergroupids", "entityguids", "guids", "doors", "cardholders", "credentials", "areas", "queryentities", "visitor":
		for _, s := range vals() {
			g, ok := query.NormalizeGUID(s)
			if !ok {
				return invalidValue("%s: %q is not a GUID", term.Name, clip(s))
			}
			switch strings.ToLower(term.Name) {
			case "cardholdergroupids":
				f.groups = append(f.groups, g)
			case "entityguids", "guids", "queryentities":
				f.guids = append(f.guids, g)
			default:
				f.sources = append(f.sources, g)
			}
		}
	case "accessstatus", "visitorstates":
		f.states = append(f.states, vals()...)
	case "uniqueids":
		for _, v := range term.Values {
			c, ferr := formatValue(v)
			if ferr != nil {
				return ferr
			}
			f.uniques = append(f.uniques, c.UniqueID())
		}
	case "formattype":
		for _, s := range vals() {
			g, ok := query.NormalizeGUID(s)
			if !ok {
				return invalidValue("FormatType@%s: not a GUID", clip(s))
			}
			f.formats = append(f.formats, g)
		}
	case "unassignedonly":
		f.unassigned, err = boolValue(term.Name, term.Values[0])
	case "events":
		if term.Op == query.OpClear {
			f.events = nil
		} else {
			f.events = append(f.events, vals()...)
		}
	case "timerange.settimerange":
		if len(term.Values) != 2 {
			return invalidOp("TimeRange.SetTimeRange takes a start and an end")
		}
		if f.from, err = timeValue("start", term.Values[0]); err == nil {
			f.to, err = timeValue("end", term.Values[1])
		}
	case "sortorder":
		switch strings.ToLower(text) {
		case "ascending":
			f.ascending = true
		case "descending":
			f.ascending = false
		default:
			return invalidValue("SortOrder=%s: Ascending or Descending", clip(text))
		}
	case "page":
		f.page, err = num(1)
	case "pagesize":
		f.pageSize, err = num(1)
	case "maximumresultcount":
		f.max, err = num(1)
	}
	return err
}

func searchMode(name, s string) (string, error) {
	for _, m := range []string{"StartsWith", "Contains", "EndsWith", "Is", "DoesNotStartWith", "DoesNotEndWith", "DoesNotContain", "IsNot"} {
		if strings.EqualFold(m, s) {
			return m, nil
		}
	}
	return "", invalidValue("%s=%s: StartsWith, Contains, EndsWith, Is, DoesNotStartWith, DoesNotEndWith, DoesNotContain or IsNot", name, clip(s))
}

// match compares a name as a search mode says (default StartsWith), ignoring case.
func match(value, pattern, mode string) bool {
	v, p := strings.ToLower(value), strings.ToLower(pattern)
	switch mode {
	case "Contains":
		return strings.Contains(v, p)
	case "EndsWith":
		return strings.HasSuffix(v, p)
	case "Is":
		return v == p
	case "DoesNotStartWith":
		return !strings.HasPrefix(v, p)
	case "DoesNotEndWith":
		return !strings.HasSuffix(v, p)
	case "DoesNotContain":
		return !strings.Contains(v, p)
	case "IsNot":
		return v != p
	}
	return strings.HasPrefix(v, p)
}

func guidRow(g string) *wire.Object { return wire.NewObject(1).Set("Guid", g) }

func (db *DB) reportEntities(f *filters) (wire.Rows, error) {
	rows := wire.Rows{}
	db.each("", func(e *entity) {
		if len(f.types) > 0 && !slices.Contains(f.types, e.typ) {
			return
		}
		if len(f.guids) > 0 && !slices.Contains(f.guids, e.guid) {
			return
		}
		if f.nameSet && !match(e.name, f.name, f.nameMode) {
			return
		}
		rows = append(rows, guidRow(e.guid))
	})
	return rows, nil
}

func (db *DB) reportCardholders(f *filters) (wire.Rows, error) {
	now := db.now()
	rows := wire.Rows{}
	db.each(TypeCardholder, func(e *entity) {
		p := e.person()
		if f.first != "" && !match(p.first, f.first, f.firstMode) || f.last != "" && !match(p.last, f.last, f.lastMode) ||
			f.email != "" && !strings.EqualFold(p.email, f.email) || f.nameSet && !match(e.name, f.name, f.nameMode) {
			return
		}
		for _, g := range f.groups {
			if !slices.Contains(p.groups, g) {
				return
			}
		}
		if len(f.states) > 0 && !slices.ContainsFunc(f.states, func(s string) bool { return strings.EqualFold(s, e.holderState(now)) }) {
			return
		}
		rows = append(rows, guidRow(e.guid))
	})
	return rows, nil
}

func (db *DB) reportCredentials(f *filters) (wire.Rows, error) {
	rows := wire.Rows{}
	db.each(TypeCredential, func(e *entity) {
		c := e.credential()
		if len(f.uniques) > 0 && !slices.Contains(f.uniques, c.format.UniqueID()) {
			return
		}
		if f.unassigned && c.holder != "" {
			return
		}
		if len(f.formats) > 0 && !slices.Contains(f.formats, c.format.Spec.ID) {
			return
		}
		if f.nameSet && !match(e.name, f.name, f.nameMode) {
			return
		}
		rows = append(rows, guidRow(e.guid))
	})
	return rows, nil
}

func (db *DB) reportVisitors(f *filters) (wire.Rows, error) {
	rows := wire.Rows{}
	db.each(TypeVisitor, func(e *entity) {
		p := e.person()
		state := 0
		if p.checkedOut {
			state = 1
		}
		if len(f.states) > 0 && !slices.ContainsFunc(f.states, func(s string) bool {
			return strings.EqualFold(s, "Active") && state == 0 || strings.EqualFold(s, "Archived") && state == 1
		}) {
			return
		}
		if f.first != "" && !match(p.first, f.first, f.firstMode) || f.last != "" && !match(p.last, f.last, f.lastMode) {
			return
		}
		if len(f.guids) > 0 && !slices.Contains(f.guids, e.guid) {
			return
		}
		exp := e.validity().expiration
		if exp.IsZero() {
			exp = p.departure
		}
		rows = append(rows, wire.NewObject(18).Set("Guid", e.guid).Set("FirstName", p.first).Set("LastName", p.last).
			Set("Email", p.email).Set("CustomField", nil).Set("ActivationDate", timeOr(e.validity().activation, "0001-01-01T00:00:00")).
			Set("ExpirationDate", timeOr(exp, "0001-01-01T00:00:00")).Set("Picture", nil).Set("Thumbnail", nil).
			Set("CheckinDate", timeOr(p.checkin, "0001-01-01T00:00:00")).Set("CheckoutDate", timeOr(p.checkout, "0001-01-01T00:00:00")).
			Set("Description", e.desc).Set("Escort", orEmpty(p.escort)).Set("Escort2", orEmpty(p.escort2)).
			Set("MandatoryEscort", false).Set("VisitDate", timeOr(p.arrival, "0001-01-01T00:00:00")).
			Set("MobilePhoneNumber", p.phone).Set("VisitorState", state))
	})
	return rows, nil
}

func (db *DB) reportAudit(f *filters) (wire.Rows, error) {
	rows := wire.Rows{}
	for _, r := range db.audit {
		if !f.from.IsZero() && r.time.Before(f.from) || !f.to.IsZero() && r.time.After(f.to) {
			continue
		}
		if len(f.guids) > 0 && !slices.Contains(f.guids, r.guid) {
			continue
		}
		rows = append(rows, db.auditObject(r))
	}
	if !f.ascending {
		slices.Reverse(rows)
	}
	return rows, nil
}

// activity reads the journal for the access and door events of the
// report's sources (doors, areas, cardholders, visitors, credentials).
func activity() func(db *DB, f *filters) (wire.Rows, error) {
	return func(db *DB, f *filters) (wire.Rows, error) {
		v := db.pub.Load()
		j := db.world.Journal()
		var evs []sim.Event
		rows := wire.Rows{}
		after := uint64(0)
		if first := j.First(); first > 0 {
			after = first - 1
		}
		for {
			evs, _ = j.Read(after, evs[:0], 4096)
			if len(evs) == 0 {
				break
			}
			after = evs[len(evs)-1].Seq
			for i := range evs {
				ev := &evs[i]
				if !ev.Type.OfSite() {
					continue
				}
				if !f.from.IsZero() && ev.Time.Before(f.from) || !f.to.IsZero() && ev.Time.After(f.to) {
					continue
				}
				var we wire.Event
				k := v.toWire(ev, &we)
				if !slices.ContainsFunc(f.sources, func(g string) bool {
					return g == we.DoorGuid || g == we.AreaGuid || g == we.CardholderGuid || g == we.CredentialGuid || g == we.SourceGuid
				}) {
					continue
				}
				if len(f.events) > 0 && !slices.ContainsFunc(f.events, func(s string) bool {
					return strings.EqualFold(s, k.name) || s == strconv.Itoa(k.id)
				}) {
					continue
				}
				rows = append(rows, activityRow(&we, k, db.byGUID[we.DoorGuid]))
			}
		}
		if !f.ascending {
			slices.Reverse(rows)
		}
		return rows, nil
	}
}

// activityRow is a row of an activity report, with the fields of a real
// CardholderActivity capture (EventType numeric).
func activityRow(we *wire.Event, k eventKind, door *entity) *wire.Object {
	unit := GUIDEmpty
	if door != nil {
		unit = door.unit
	}
	return wire.NewObject(13).Set("Timestamp", we.Timestamp).Set("EventType", k.id).Set("UnitGuid", unit).
		Set("DeviceGuid", orEmpty(we.ReaderGuid)).Set("APGuid", orEmpty(we.ReaderGuid)).Set("SourceGuid", orEmpty(we.SourceGuid)).
		Set("CredentialGuid", orEmpty(we.CredentialGuid)).Set("CardholderGuid", orEmpty(we.CardholderGuid)).
		Set("Credential2Guid", GUIDEmpty).Set("TimeZone", "UTC").Set("OccurrencePeriod", 0).
		Set("AccessPointGroupGuid", orEmpty(we.DoorGuid)).Set("CustomEventMessage", we.Reason)
}
