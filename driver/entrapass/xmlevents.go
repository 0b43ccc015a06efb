package entrapass

import (
	"bytes"
	"encoding/binary"
	"strings"
	"time"
)

// parseEvents reads an Events answer into events: what parseRows and
// eventOf give, row by row. The compact form SmartService writes is read
// straight into events by scanEvents; anything else goes through parseRows.
func parseEvents(body []byte) ([]Event, error) {
	if evs, ok := scanEvents(body); ok {
		return evs, nil
	}
	rows, err := parseRows(body)
	if err != nil {
		return nil, err
	}
	evs := make([]Event, len(rows))
	for i, r := range rows {
		evs[i] = eventOf(r)
	}
	return evs, nil
}

// minEventRow is the length of the shortest compact row of the ten event
// items with empty values: an upper bound of the rows an answer of that
// many bytes holds, to size the events slice once.
const minEventRow = len(rowOpen) + len(rowClose) + 10*(len(itemOpen)+len(itemMid)+len(itemClose)) + 2 + 3 + 4 + 4*5 + 2 + 3 + 5

// scanEvents is scanRows for an Events answer, building the events
// directly instead of rows: the same markup is accepted and the same is
// refused (ok=false, and parseRows decides), and each event is what eventOf
// makes of the row. A row item whose key is one of the ten event keys sets
// that field, the first such item winning as in Row.Get; other keys are
// skipped, unless they match an event key only when case is ignored (Row.Get
// would then choose between them: parseRows does).
//
// Values repeat from row to row (event texts, names, cards, the date of
// the second), so each is looked up in a small cache of the strings made
// so far before a string is allocated for it.
func scanEvents(data []byte) ([]Event, bool) {
	s := data
	if !bytes.HasPrefix(s, []byte(rowsRoot)) {
		return nil, false
	}
	s = s[len(rowsRoot):]
	end := bytes.IndexByte(s, '>')
	if end < 0 {
		return nil, false
	}
	attrs, selfClosed := s[:end], false
	if end > 0 && s[end-1] == '/' {
		attrs, selfClosed = s[:end-1], true
	}
	if !plainAttrs(attrs) {
		return nil, false
	}
	s = s[end+1:]
	if selfClosed {
		return nil, len(bytes.TrimSpace(s)) == 0
	}
	evs := make([]Event, 0, len(s)/minEventRow+1)
	var cache stringCache
	var times timeCache
	for {
		switch {
		case bytes.HasPrefix(s, []byte(rowOpen)):
			s = s[len(rowOpen):]
		case bytes.HasPrefix(s, []byte(rowsClose)):
			if len(bytes.TrimSpace(s[len(rowsClose):])) != 0 {
				return nil, false
			}
			return evs, true
		case bytes.HasPrefix(s, []byte(rowEmpty)):
			evs = append(evs, Event{})
			s = s[len(rowEmpty):]
			continue
		default:
			return nil, false
		}
		evs = append(evs, Event{})
		e := &evs[len(evs)-1]
		var set uint16 // the fields set, by eventKey
		for items := 0; ; items++ {
			if !bytes.HasPrefix(s, []byte(itemOpen)) {
				if bytes.HasPrefix(s, []byte(rowClose)) {
					break
				}
				return nil, false
			}
			if items > scanMaxRow {
				return nil, false
			}
			s = s[len(itemOpen):]
			i := textEnd(s)
			if i < 0 {
				return nil, false
			}
			key := s[:i]
			s = s[i:]
			if !bytes.HasPrefix(s, []byte(itemMid)) {
				return nil, false
			}
			s = s[len(itemMid):]
			if i = textEnd(s); i < 0 {
				return nil, false
			}
			val := s[:i]
			s = s[i:]
			if !bytes.HasPrefix(s, []byte(itemClose)) {
				return nil, false
			}
			s = s[len(itemClose):]
			k := eventKey(key)
			if k < 0 {
				if foldsToEventKey(key) {
					return nil, false
				}
				continue
			}
			if set&(1<<k) != 0 {
				continue // Row.Get returns the first
			}
			set |= 1 << k
			*e.field(k) = cache.get(bytes.TrimSpace(val))
		}
		s = s[len(rowClose):]
		e.Time = times.parse(e.UDT)
		e.Local = times.parse(e.DT)
	}
}

// textEnd returns the index of the first '<' of s, or -1 when there is
// none or an '&' comes first (an entity: encoding/xml decides). Text here is
// a few bytes long, shorter than what bytes.IndexByte is faster for.
func textEnd(s []byte) int {
	for i, c := range s {
		switch c {
		case '<':
			return i
		case '&':
			return -1
		}
	}
	return -1
}

// timeCache remembers the last two dates read: the rows of an answer share
// their second, and DT is UDT on a site kept in UTC.
type timeCache struct {
	s [2]string
	t [2]time.Time
	n int
}

// parse is parseTime, the zero time when s cannot be read.
func (c *timeCache) parse(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if s == c.s[0] {
		return c.t[0]
	}
	if s == c.s[1] {
		return c.t[1]
	}
	t, _ := parseTime(s)
	c.s[c.n], c.t[c.n] = s, t
	c.n ^= 1
	return t
}

// The keys of an event row, in the order of eventKeys.
var eventKeys = [...]string{"DT", "UDT", "ETXT", "P1TXT", "P2TXT", "P3TXT", "P4TXT", "CL", "CLT", "VVIEW"}

// eventKey returns the index in eventKeys of an event row's key, -1 for any
// other key.
func eventKey(b []byte) int {
	switch string(b) { // no allocation
	case "DT":
		return 0
	case "UDT":
		return 1
	case "ETXT":
		return 2
	case "P1TXT":
		return 3
	case "P2TXT":
		return 4
	case "P3TXT":
		return 5
	case "P4TXT":
		return 6
	case "CL":
		return 7
	case "CLT":
		return 8
	case "VVIEW":
		return 9
	}
	return -1
}

// foldsToEventKey reports whether b is an event key when case is ignored
// (eventKey has already said it is not one exactly).
func foldsToEventKey(b []byte) bool {
	for _, k := range eventKeys {
		if len(b) == len(k) && strings.EqualFold(string(b), k) {
			return true
		}
	}
	return false
}

// field returns the field of the event key k.
func (e *Event) field(k int) *string {
	switch k {
	case 0:
		return &e.DT
	case 1:
		return &e.UDT
	case 2:
		return &e.Text
	case 3:
		return &e.P1
	case 4:
		return &e.P2
	case 5:
		return &e.P3
	case 6:
		return &e.P4
	case 7:
		return &e.CL
	case 8:
		return &e.CLT
	default:
		return &e.VVIEW
	}
}

// stringCache returns a string for bytes, reusing the string made last time
// for the same bytes when it is still in its slot (a direct-mapped table, so
// a slot shared by two values only costs an allocation).
type stringCache [64]string

func (c *stringCache) get(b []byte) string {
	n := len(b)
	if n == 0 {
		return ""
	}
	var h uint64
	if n >= 8 {
		h = binary.LittleEndian.Uint64(b) ^ binary.LittleEndian.Uint64(b[n-8:])<<1
	} else {
		for _, c := range b {
			h = h<<8 | uint64(c)
		}
	}
	h = (h ^ uint64(n)) * 0x9e3779b97f4a7c15
	slot := &c[h>>58]
	if *slot == string(b) { // no allocation
		return *slot
	}
	*slot = string(b)
	return *slot
}
