package scenarios

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Key is a request as matching sees it (Normalize): two requests with the
// same Key are the same request to a replay.
type Key string

// Normalize returns the Key of req for a recording of system: the method;
// the path (EntraPass: lower-cased, a trailing slash dropped, as
// SmartService matches paths; Genetec: the /WebSdk base lower-cased); the
// query parameters sorted by name (EntraPass: names lower-cased), without
// the volatile ones (VolatileQuery), values percent-decoded and re-encoded
// canonically, so that a raw, a percent-encoded and a form-encoded q= are
// one, and TimeRange.SetTimeRange(…) normalised; and for PUT and POST the
// body, trimmed. Headers take no part.
func Normalize(system string, req *Request) Key { return normalize(system, req).key }

// normRequest is a request in the form matching compares.
type normRequest struct {
	method string
	path   string
	params []normParam // sorted by name
	body   string
	key    Key
}

// normParam is one query parameter (all the values of one name).
type normParam struct {
	name   string   // as compared: lower-cased for EntraPass
	shown  string   // as the client wrote it, for messages
	values []string // decoded, in order
}

func normalize(system string, req *Request) normRequest {
	n := normRequest{method: strings.ToUpper(req.Method), path: normalizePath(system, req.Path)}
	byName := map[string]int{}
	for _, pair := range strings.Split(req.Query, "&") {
		if pair == "" {
			continue // "a=1&&b=2" (the EntraPass GO app sends that)
		}
		k, v, _ := strings.Cut(pair, "=")
		shown := queryUnescape(k)
		name := shown
		if system != SystemGenetec {
			name = strings.ToLower(name)
		}
		if isVolatile(system, name) {
			continue
		}
		v = queryUnescape(v)
		if system == SystemGenetec && name == "q" {
			v = NormalizeTimeRanges(v)
		}
		i, ok := byName[name]
		if !ok {
			i = len(n.params)
			byName[name] = i
			n.params = append(n.params, normParam{name: name, shown: shown})
		}
		n.params[i].values = append(n.params[i].values, v)
	}
	sort.SliceStable(n.params, func(i, j int) bool { return n.params[i].name < n.params[j].name })
	if n.method == "PUT" || n.method == "POST" {
		if b, err := req.Bytes(); err == nil {
			n.body = strings.TrimSpace(string(b))
		} else {
			n.body = req.Body64
		}
	}
	var b strings.Builder
	b.WriteString(n.method)
	b.WriteByte(' ')
	b.WriteString(n.path)
	for i, p := range n.params {
		for j, v := range p.values {
			if i == 0 && j == 0 {
				b.WriteByte('?')
			} else {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(p.name))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	if n.body != "" {
		b.WriteByte('\n')
		b.WriteString(n.body)
	}
	n.key = Key(b.String())
	return n
}

// normalizePath normalises a path as the system's server compares paths.
func normalizePath(system, p string) string {
	if system == SystemGenetec {
		segs := strings.Split(p, "/")
		for i, s := range segs {
			if strings.EqualFold(s, "websdk") {
				for j := 0; j <= i; j++ {
					segs[j] = strings.ToLower(segs[j])
				}
				return strings.Join(segs, "/")
			}
		}
		return p
	}
	p = strings.TrimRight(strings.ToLower(p), "/")
	if p == "" {
		return "/"
	}
	return p
}

// Matcher answers requests from a recording (pacsim replay). It is safe for
// concurrent use.
type Matcher struct {
	rec    *Recording
	system string
	norm   []normRequest
	byKey  map[Key][]int

	mu   sync.Mutex
	next map[Key]int
}

// NewMatcher returns a Matcher of rec's exchanges. rec must not change
// afterwards.
func NewMatcher(rec *Recording) *Matcher {
	m := &Matcher{rec: rec, system: rec.Header.System, byKey: map[Key][]int{}, next: map[Key]int{}}
	m.norm = make([]normRequest, len(rec.Exchanges))
	for i := range rec.Exchanges {
		m.norm[i] = normalize(m.system, &rec.Exchanges[i].Request)
		k := m.norm[i].key
		m.byKey[k] = append(m.byKey[k], i)
	}
	return m
}

// Match answers a request: among the exchanges with the same Key, the next
// one in recorded order; after the last, the last again (RP-SEQUENCE: a
// poll that was answered three times answers the same from then on). It
// returns the exchange and its line in the file. A request that matches no
// exchange gets a *Mismatch naming the field that differs from the nearest
// exchange.
func (m *Matcher) Match(req *Request) (*Exchange, int, error) {
	n := normalize(m.system, req)
	list := m.byKey[n.key]
	if len(list) == 0 {
		return nil, 0, m.mismatch(req, &n)
	}
	m.mu.Lock()
	pos := m.next[n.key]
	if pos < len(list)-1 {
		m.next[n.key] = pos + 1
	} else {
		pos = len(list) - 1
	}
	m.mu.Unlock()
	i := list[pos]
	return &m.rec.Exchanges[i], m.line(i), nil
}

// line is exchange i's line in the file (the header is line 1).
func (m *Matcher) line(i int) int {
	if i < len(m.rec.Lines) {
		return m.rec.Lines[i]
	}
	return i + 2
}

// Mismatch is a request that matches no recorded exchange, and how it
// differs from the nearest one: the first field that differs, with the
// recorded value (Want) and the request's (Got), each clipped to 80 bytes.
type Mismatch struct {
	// Nearest is the nearest exchange: the same method and path if any
	// (then the fewest differing query parameters), else the same path,
	// else the first exchange; nil when the recording has none.
	Nearest *Exchange
	// Line is Nearest's line in the file.
	Line int
	// Field is the first field that differs: "method", "path", "query
	// parameter sdKey", "body".
	Field string
	// Want is the recorded value, Got the request's.
	Want, Got string

	method, path        string // the request's, as sent
	number              int    // Nearest's number (its Seq)
	wantNone, gotNone   bool   // a query parameter absent from one side
	recordingHasNothing bool
}

// Error says what matched nothing and why, e.g. `no recorded exchange
// matches GET /SmartService/Doors: the nearest is exchange 12 (line 13),
// whose query parameter id is "20", not "21"`.
func (e *Mismatch) Error() string {
	head := fmt.Sprintf("no recorded exchange matches %s %s", e.method, e.path)
	if e.Nearest == nil {
		return head + ": the recording has no exchanges"
	}
	near := fmt.Sprintf("%s: the nearest is exchange %d (line %d), ", head, e.number, e.Line)
	switch {
	case e.Field == "":
		return near + "which differs only in ways matching does not show"
	case e.wantNone:
		return near + fmt.Sprintf("which has no %s (the request's is %q)", e.Field, e.Got)
	case e.gotNone:
		return near + fmt.Sprintf("whose %s is %q, and the request has none", e.Field, e.Want)
	}
	return near + fmt.Sprintf("whose %s is %q, not %q", e.Field, e.Want, e.Got)
}

// mismatch builds the Mismatch of a request with no exchange of its Key.
func (m *Matcher) mismatch(req *Request, n *normRequest) *Mismatch {
	mm := &Mismatch{method: req.Method, path: req.Path}
	best := m.nearest(n)
	if best < 0 {
		return mm
	}
	mm.Nearest, mm.Line = &m.rec.Exchanges[best], m.line(best)
	mm.number = mm.Nearest.Seq
	if mm.number == 0 {
		mm.number = best + 1
	}
	rec := &m.norm[best]
	switch {
	case rec.method != n.method:
		mm.Field, mm.Want, mm.Got = "method", mm.Nearest.Request.Method, req.Method
	case rec.path != n.path:
		mm.Field, mm.Want, mm.Got = "path", mm.Nearest.Request.Path, req.Path
	default:
		if p, want, got, ok := firstParamDiff(rec.params, n.params); ok {
			mm.Field = "query parameter " + p
			mm.Want, mm.wantNone = strings.Join(want, ","), want == nil
			mm.Got, mm.gotNone = strings.Join(got, ","), got == nil
		} else if rec.body != n.body {
			mm.Field, mm.Want, mm.Got = "body", rec.body, n.body
		}
	}
	mm.Want, mm.Got = clipText(mm.Want, 80), clipText(mm.Got, 80)
	return mm
}

// nearest picks the nearest exchange to n (see Mismatch.Nearest); ties go
// to the one with the same body, then to the earliest. -1: no exchanges.
func (m *Matcher) nearest(n *normRequest) int {
	if len(m.norm) == 0 {
		return -1
	}
	best, bestScore := -1, 0
	for _, samePathOnly := range []bool{false, true} {
		for i := range m.norm {
			r := &m.norm[i]
			if r.path != n.path || (!samePathOnly && r.method != n.method) {
				continue
			}
			score := 2 * countParamDiffs(r.params, n.params)
			if r.body != n.body {
				score++
			}
			if best < 0 || score < bestScore {
				best, bestScore = i, score
			}
		}
		if best >= 0 {
			return best
		}
	}
	return 0
}

// paramDiffs walks two sorted parameter lists in step and calls f for every
// name whose values differ (nil: absent) until f returns false.
func paramDiffs(a, b []normParam, f func(shown string, av, bv []string) bool) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i].name < b[j].name):
			if !f(a[i].shown, a[i].values, nil) {
				return
			}
			i++
		case i >= len(a) || b[j].name < a[i].name:
			if !f(b[j].shown, nil, b[j].values) {
				return
			}
			j++
		default:
			if !equalStrings(a[i].values, b[j].values) && !f(b[j].shown, a[i].values, b[j].values) {
				return
			}
			i++
			j++
		}
	}
}

func countParamDiffs(a, b []normParam) int {
	n := 0
	paramDiffs(a, b, func(string, []string, []string) bool { n++; return true })
	return n
}

// firstParamDiff returns the first parameter, by name, that differs.
func firstParamDiff(rec, got []normParam) (shown string, want, have []string, ok bool) {
	paramDiffs(rec, got, func(s string, a, b []string) bool {
		shown, want, have, ok = s, a, b, true
		return false
	})
	return
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// clipText cuts s to at most n bytes, on a character boundary, marking the
// cut with "…".
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
