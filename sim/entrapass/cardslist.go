package entrapass

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// MaxCardsPerList is the most rows one Cards answer carries, and the
// default: the Airflow client pages while an answer has 4096 rows.
const MaxCardsPerList = 4096

// List orders of the Cards list (listIndex=).
const (
	indexPKData     = "PKDATA"
	indexUserName   = "USERNAME"
	indexCardNumber = "CARDNUMBER"
)

// listQuery is a parsed Cards list request.
type listQuery struct {
	index    string
	start    string
	hasStart bool
	startID  int
	n        int
	filter   string
	// lowFilter is filter lower-cased, made on first use by test.
	lowFilter string
	contains  bool
	// filterField is the field the filter applies to: listFieldFilter
	// when given, else the list order's field.
	filterField string
	extended    []string
}

// parseListQuery reads the parameters of GET Cards. Values use "[COLON]"
// for ':' (planqr encodes it so).
func parseListQuery(c *call) (listQuery, *wire.Fault) {
	lq := listQuery{index: indexPKData, n: MaxCardsPerList}
	if v, _ := c.q.get("listindex"); strings.TrimSpace(v) != "" {
		switch up := strings.ToUpper(strings.TrimSpace(v)); up {
		case indexPKData, indexUserName, indexCardNumber:
			lq.index = up
		default:
			return lq, wire.InvalidParameter("listIndex", fmt.Sprintf("%q is not PKDATA, USERNAME or CARDNUMBER", clip(v)))
		}
	}
	if v, _ := c.q.get("numberofcards"); strings.TrimSpace(v) != "" {
		n, f := parseID("numberOfCards", v)
		if f != nil {
			return lq, f
		}
		if n < 0 {
			return lq, wire.InvalidParameter("numberOfCards", fmt.Sprintf("%d is out of range (1 to %d)", n, MaxCardsPerList))
		}
		if n > 0 {
			lq.n = min(n, MaxCardsPerList)
		}
	}
	if v, ok := c.q.get("liststartvalue"); ok && v != "" {
		lq.start, lq.hasStart = unColon(v), true
		if lq.index == indexPKData {
			id, f := parseID("listStartValue", lq.start)
			if f != nil {
				return lq, f
			}
			if id < 0 { // ids are positive: 0 starts at the beginning
				return lq, wire.InvalidParameter("listStartValue", fmt.Sprintf("%d is out of range (0 to %d)", id, math.MaxInt32))
			}
			lq.startID = id
		}
	}
	if v, _ := c.q.get("filter"); v != "" {
		lq.filter = unColon(v)
	}
	contains, f := c.flag("contains", "contains")
	if f != nil {
		return lq, f
	}
	lq.contains = contains
	lq.filterField = lq.index
	if v, _ := c.q.get("listfieldfilter"); strings.TrimSpace(v) != "" {
		up := strings.ToUpper(strings.TrimSpace(v))
		if !knownListField(up) {
			return lq, wire.InvalidParameter("listFieldFilter", fmt.Sprintf("%q is not a card field", clip(v)))
		}
		lq.filterField = up
	}
	if v, _ := c.q.get("extendedfields"); v != "" {
		for _, name := range strings.Split(v, ",") {
			up := strings.ToUpper(strings.TrimSpace(name))
			if up == "" {
				continue
			}
			if !knownListField(up) {
				return lq, wire.InvalidParameter("extendedFields", fmt.Sprintf("%q is not a card field", clip(name)))
			}
			lq.extended = append(lq.extended, up)
		}
	}
	return lq, nil
}

func unColon(s string) string { return strings.ReplaceAll(s, "[COLON]", ":") }

// knownListField reports whether name (upper-case) is a field a Cards row
// can show: the list's own four, the single <Card> fields and the indexed
// ones (CARDINFO1..40, CARDNUMBER1..5, CARDSTATE1..5).
func knownListField(name string) bool {
	switch name {
	case "PKDATA", "USERNAME", "CARDNUMBER", "CARDSTATE", "EMAIL", "CARDTYPE", "STARTDATE", "ENDDATE",
		"USINGENDDATE", "BADGING", "CREATIONDATE", "DELETEWHENEXPIRED", "WAITFORKEYPAD":
		return true
	}
	_, _, ok := indexedField(name)
	return ok
}

// indexedField splits CARDINFOn, CARDNUMBERn and CARDSTATEn into the
// family and the 0-based index.
func indexedField(name string) (base string, i int, ok bool) {
	for _, p := range []struct {
		base string
		max  int
	}{{"CARDINFO", wire.CardInfoFields}, {"CARDNUMBER", wire.CardSlots}, {"CARDSTATE", wire.CardSlots}} {
		rest, found := strings.CutPrefix(name, p.base)
		if !found || rest == "" || rest[0] == '0' {
			continue
		}
		n, err := strconv.Atoi(rest)
		if err != nil || n < 1 || n > p.max {
			continue
		}
		return p.base, n - 1, true
	}
	return "", 0, false
}

// field returns the value a Cards row shows for name at now. Booleans are
// True/False and dates yyyy-MM-dd HH:mm:ss, as in <Card>; states are the
// numeric codes of CARDSTATE.
func (u *cardUser) field(name string, now time.Time) string {
	date := func(s stamp) string {
		if s == 0 {
			return ""
		}
		return s.wall().Format(wire.DateLayout)
	}
	boolean := func(b bool) string {
		if b {
			return "True"
		}
		return "False"
	}
	switch name {
	case "PKDATA":
		return strconv.Itoa(u.id)
	case "USERNAME":
		return u.name()
	case "CARDNUMBER":
		return u.firstCard()
	case "CARDSTATE":
		return strconv.Itoa(int(u.state(now)))
	case "EMAIL":
		return u.email()
	case "CARDTYPE":
		return strconv.Itoa(int(u.cardType))
	case "STARTDATE":
		return date(u.startWall)
	case "ENDDATE":
		return date(u.endWall)
	case "USINGENDDATE":
		return boolean(u.flags&userUsingEndDate != 0)
	case "BADGING":
		return strconv.Itoa(int(u.badging))
	case "CREATIONDATE":
		return date(u.created)
	case "DELETEWHENEXPIRED":
		return boolean(u.deleteWhenExpired())
	case "WAITFORKEYPAD":
		return boolean(u.flags&userWaitForKeypad != 0)
	}
	if base, i, ok := indexedField(name); ok {
		switch base {
		case "CARDINFO":
			return u.info().Get(i)
		case "CARDNUMBER":
			return u.number(i)
		case "CARDSTATE":
			return strconv.Itoa(int(u.slotState(i, now)))
		}
	}
	return ""
}

// matches reports whether the user passes the filter: the filtered field
// starts with it (contains=0) or contains it (contains=1), ignoring case.
// A CARDNUMBER filter looks at every card of the user.
func (lq *listQuery) matches(u *cardUser, now time.Time) bool {
	if lq.filter == "" {
		return true
	}
	if lq.filterField == indexCardNumber {
		for j := range u.nslots() {
			if n := u.slotAt(j).number; n != "" && lq.test(n) {
				return true
			}
		}
		return false
	}
	return lq.test(u.field(lq.filterField, now))
}

// test applies the filter to one value, ignoring case. It runs once per
// card user per query (a driver looks a card up for each access event), so
// a prefix is compared in place instead of lower-casing every value.
func (lq *listQuery) test(v string) bool {
	f := lq.filter
	if !lq.contains {
		return len(v) >= len(f) && strings.EqualFold(v[:len(f)], f)
	}
	if lq.lowFilter == "" {
		lq.lowFilter = strings.ToLower(f)
	}
	return strings.Contains(strings.ToLower(v), lq.lowFilter)
}

// cardKey makes card numbers sort in numeric order: facility then number,
// each zero-padded, so 100:999 comes before 100:1001. A raw number sorts
// after every facility:number, by value. An unparsable start value sorts
// as its text.
func cardKey(n string) string {
	if n == "" {
		return ""
	}
	norm, err := sim.ParseCard(n)
	if err != nil {
		return "~" + n
	}
	if fac, num, ok := strings.Cut(norm, ":"); ok {
		f, _ := strconv.ParseUint(fac, 10, 64)
		n, _ := strconv.ParseUint(num, 10, 64)
		return fmt.Sprintf("0%05d:%010d", f, n)
	}
	return "1" + strings.Repeat("0", 20-len(norm)) + norm
}

// sortKey is a user's position in the list order.
func (lq *listQuery) sortKey(u *cardUser) string {
	switch lq.index {
	case indexUserName:
		return strings.ToLower(u.name())
	case indexCardNumber:
		return cardKey(u.firstCard())
	}
	return ""
}

// list writes the rows of GET Cards: the users passing the filter that come
// strictly after listStartValue in the list order, at most n, each row
// PKDATA, CARDNUMBER, USERNAME, CARDSTATE, then the extended fields in the
// order asked. Ties in the order (users without a card in CARDNUMBER
// order) are broken by id, so paging never skips or repeats a user.
func (db *DB) list(lq *listQuery, now time.Time, rw *wire.RowWriter) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	if lq.index == indexPKData && !lq.byCardPrefix() {
		db.listByID(lq, now, rw)
		return
	}
	db.listSorted(lq, now, rw)
}

// listSorted writes the rows of any list: every candidate user sorted.
// Called with the read lock.
func (db *DB) listSorted(lq *listQuery, now time.Time, rw *wire.RowWriter) {
	type entry struct {
		key string
		u   *cardUser
	}
	startKey := ""
	if lq.hasStart {
		switch lq.index {
		case indexUserName:
			startKey = strings.ToLower(lq.start)
		case indexCardNumber:
			startKey = cardKey(lq.start)
		}
	}
	var sel []entry
	for _, u := range db.candidates(lq) {
		if !lq.matches(u, now) || u.gone(now) { // the filter first: gone works out dates
			continue
		}
		e := entry{key: lq.sortKey(u), u: u}
		if lq.hasStart {
			if lq.index == indexPKData {
				if u.id <= lq.startID {
					continue
				}
			} else if e.key <= startKey {
				continue
			}
		}
		sel = append(sel, e)
	}
	slices.SortFunc(sel, func(a, b entry) int {
		if c := cmp.Compare(a.key, b.key); c != 0 {
			return c
		}
		return cmp.Compare(a.u.id, b.u.id)
	})
	if len(sel) > lq.n {
		sel = sel[:lq.n]
	}
	for _, e := range sel {
		lq.writeRow(rw, e.u, now)
	}
}

// candidates are the card users a query has to look at: for a card-number
// prefix filter, those holding a card in the prefix's range of the sorted
// card numbers; otherwise all of them. Called with the read lock.
func (db *DB) candidates(lq *listQuery) map[int]*cardUser {
	if !lq.byCardPrefix() {
		return db.users
	}
	db.cardOrderMu.Lock()
	if db.cardOrder == nil {
		db.cardOrder = slices.Sorted(maps.Keys(db.byCard))
	}
	order := db.cardOrder
	db.cardOrderMu.Unlock()
	// Card numbers are digits and colons, so a filter with letters in it
	// matches none, whatever its case.
	out := map[int]*cardUser{}
	for i, _ := slices.BinarySearch(order, lq.filter); i < len(order) && strings.HasPrefix(order[i], lq.filter); i++ {
		u := db.byCard[order[i]]
		out[u.id] = u
	}
	return out
}

// byCardPrefix reports whether the query filters on a card-number prefix,
// which the sorted card numbers narrow to a few users.
func (lq *listQuery) byCardPrefix() bool {
	return lq.filter != "" && lq.filterField == indexCardNumber && !lq.contains
}

// cardsList answers GET Cards.
func (s *Server) cardsList(c *call) ([]byte, *wire.Fault) {
	lq, f := parseListQuery(c)
	if f != nil {
		return nil, f
	}
	rw := c.rows()
	s.db.list(&lq, c.now, rw)
	return rw.End(), nil
}
