package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func matchReq(method, path, query, body string) *Request {
	return &Request{Method: method, Path: path, Query: query, Body: body}
}

func TestMatchNormalize(t *testing.T) {
	for _, tc := range []struct {
		name   string
		system string
		a, b   *Request
		same   bool
	}{
		{"EntraPass path case and trailing slash", SystemEntraPass,
			matchReq("GET", "/SmartService/CardTypes/", "sdKey=k", ""), matchReq("GET", "/smartservice/cardtypes", "sdKey=k", ""), true},
		{"EntraPass parameter names case and order", SystemEntraPass,
			matchReq("GET", "/SmartService/Doors/20", "sdKey=k&ID=20", ""), matchReq("GET", "/SmartService/Doors/20", "id=20&sdkey=k", ""), true},
		{"EntraPass values compare exactly", SystemEntraPass,
			matchReq("GET", "/SmartService/Doors", "id=20", ""), matchReq("GET", "/SmartService/Doors", "id=21", ""), false},
		{"EntraPass login credentials are volatile", SystemEntraPass,
			matchReq("GET", "/SmartService/Login", "userName=a&password=b&encrypted=1&ConnectedProgram=x&LocalDateTime=1", ""),
			matchReq("GET", "/SmartService/Login", "username=c&password=d&connectedprogram=y", ""), true},
		{"EntraPass startDate is kept", SystemEntraPass,
			matchReq("GET", "/SmartService/Events", "startDate=2026-01-01", ""), matchReq("GET", "/SmartService/Events", "startDate=2026-01-02", ""), false},
		{"cache-buster", SystemEntraPass,
			matchReq("GET", "/SmartService/Events", "sdKey=k&_=1", ""), matchReq("GET", "/SmartService/Events", "sdKey=k&_=2", ""), true},
		{"EntraPass empty pairs", SystemEntraPass,
			matchReq("GET", "/SmartService/Events", "sdKey=k&&a=1", ""), matchReq("GET", "/SmartService/Events", "a=1&sdKey=k", ""), true},
		{"method", SystemEntraPass,
			matchReq("GET", "/SmartService/Cards/1", "", ""), matchReq("DELETE", "/SmartService/Cards/1", "", ""), false},
		{"PUT body trimmed", SystemEntraPass,
			matchReq("PUT", "/SmartService/ComponentsStates", "", "<string>20,21</string>\n"), matchReq("PUT", "/SmartService/ComponentsStates", "", " <string>20,21</string>"), true},
		{"PUT body differs", SystemEntraPass,
			matchReq("PUT", "/SmartService/ComponentsStates", "", "<string>20</string>"), matchReq("PUT", "/SmartService/ComponentsStates", "", "<string>21</string>"), false},
		{"GET body ignored", SystemEntraPass,
			matchReq("GET", "/SmartService/Doors", "", "x"), matchReq("GET", "/SmartService/Doors", "", "y"), true},
		{"Genetec base case", SystemGenetec,
			matchReq("GET", "/WebSDK/entity/Abc", "", ""), matchReq("GET", "/websdk/entity/Abc", "", ""), true},
		{"Genetec rest of the path compares exactly", SystemGenetec,
			matchReq("GET", "/WebSdk/entity/Abc", "", ""), matchReq("GET", "/WebSdk/entity/abc", "", ""), false},
		{"Genetec raw, percent- and form-encoded q=", SystemGenetec,
			matchReq("GET", "/WebSdk/entity", "q=entity=NewEntity(Visitor),FirstName=Grace Hopper", ""),
			matchReq("GET", "/WebSdk/entity", "q=entity%3DNewEntity%28Visitor%29%2CFirstName%3DGrace+Hopper", ""), true},
		{"Genetec %20 and +", SystemGenetec,
			matchReq("GET", "/WebSdk/entity", "q=Name%3DGrace%20Hopper", ""), matchReq("GET", "/WebSdk/entity", "q=Name=Grace+Hopper", ""), true},
		{"Genetec parameter names compare exactly", SystemGenetec,
			matchReq("GET", "/WebSdk/entity", "q=x", ""), matchReq("GET", "/WebSdk/entity", "Q=x", ""), false},
		{"Genetec time ranges", SystemGenetec,
			matchReq("GET", "/WebSdk/report/AuditTrail", "q=TimeRange.SetTimeRange(2026-01-05T09:00:00,2026-01-05T10:00:00),SortOrder=Ascending", ""),
			matchReq("GET", "/WebSdk/report/AuditTrail", "q=TimeRange.SetTimeRange(2026-02-01T00:00:00,2026-02-01T01:00:00),SortOrder=Ascending", ""), true},
		{"Genetec other times are kept", SystemGenetec,
			matchReq("POST", "/WebSdk/entity", "q=Departure=2026-01-05T17:00:00", ""), matchReq("POST", "/WebSdk/entity", "q=Departure=2026-01-05T18:00:00", ""), false},
		{"Genetec Authorization takes no part", SystemGenetec,
			&Request{Method: "GET", Path: "/WebSdk/", Header: map[string][]string{"Authorization": {"Basic a"}}},
			&Request{Method: "GET", Path: "/WebSdk/", Header: map[string][]string{"Authorization": {"Basic b"}}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, b := Normalize(tc.system, tc.a), Normalize(tc.system, tc.b)
			if tc.same {
				assert.Equal(t, a, b)
			} else {
				assert.NotEqual(t, a, b)
			}
		})
	}
}

func matchRecording(system string, exs ...Exchange) *Recording {
	rec := &Recording{Header: Header{Format: FormatName, Version: Version, System: system}}
	for i := range exs {
		exs[i].Seq = i + 1
		rec.Exchanges = append(rec.Exchanges, exs[i])
		rec.Lines = append(rec.Lines, i+2)
	}
	return rec
}

func matchEx(method, path, query, answer string) Exchange {
	return Exchange{Request: *matchReq(method, path, query, ""), Response: Response{Status: 200, Body: answer}}
}

// RP-SEQUENCE: identical requests get the recorded answers in order, then
// the last again.
func TestMatchSequence(t *testing.T) {
	rec := matchRecording(SystemEntraPass,
		matchEx("GET", "/SmartService/Events", "sdKey=k", "first"),
		matchEx("GET", "/SmartService/Doors", "sdKey=k", "doors"),
		matchEx("GET", "/SmartService/Events", "sdKey=k", "second"),
		matchEx("GET", "/SmartService/Events", "sdKey=k", "third"),
	)
	m := NewMatcher(rec)
	var got []string
	var lines []int
	for range 5 {
		e, line, err := m.Match(matchReq("GET", "/smartservice/events/", "SDKEY=k", ""))
		require.NoError(t, err)
		got = append(got, e.Response.Body)
		lines = append(lines, line)
	}
	assert.Equal(t, []string{"first", "second", "third", "third", "third"}, got)
	assert.Equal(t, []int{2, 4, 5, 5, 5}, lines)
	e, line, err := m.Match(matchReq("GET", "/SmartService/Doors", "sdKey=k", ""))
	require.NoError(t, err)
	assert.Equal(t, "doors", e.Response.Body)
	assert.Equal(t, 3, line)
}

func TestMatchConcurrent(t *testing.T) {
	var exs []Exchange
	for i := range 100 {
		exs = append(exs, matchEx("GET", "/SmartService/Events", "sdKey=k", fmt.Sprint(i)))
	}
	m := NewMatcher(matchRecording(SystemEntraPass, exs...))
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, _, err := m.Match(matchReq("GET", "/SmartService/Events", "sdKey=k", ""))
			assert.NoError(t, err)
			mu.Lock()
			seen[e.Response.Body] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	assert.Len(t, seen, 100, "each answer once")
}

func TestMatchMismatch(t *testing.T) {
	rec := matchRecording(SystemEntraPass,
		matchEx("GET", "/SmartService/Login", "userName=u&password=p", "login"),
		matchEx("GET", "/SmartService/Doors", "sdKey=k&id=19", "door 19"),
		matchEx("GET", "/SmartService/Doors", "sdKey=k&id=20", "door 20"),
		matchEx("PUT", "/SmartService/unlockDoor", "sdKey=k&id=20", "ok"),
		Exchange{Request: *matchReq("PUT", "/SmartService/ComponentsStates", "sdKey=k&statusID=0", "<string>20,21</string>"), Response: Response{Status: 200}},
	)
	m := NewMatcher(rec)
	for _, tc := range []struct {
		name    string
		req     *Request
		nearest int // Seq
		field   string
		want    string
		got     string
		msg     string
	}{
		{"a query value", matchReq("GET", "/SmartService/Doors", "sdKey=k&id=21", ""), 2, "query parameter id", "19", "21",
			`no recorded exchange matches GET /SmartService/Doors: the nearest is exchange 2 (line 3), whose query parameter id is "19", not "21"`},
		{"the session key", matchReq("GET", "/SmartService/Doors", "sdKey=other&id=20", ""), 3, "query parameter sdKey", "k", "other",
			`whose query parameter sdKey is "k", not "other"`},
		{"a parameter missing", matchReq("GET", "/SmartService/Doors", "sdKey=k", ""), 2, "query parameter id", "19", "",
			`whose query parameter id is "19", and the request has none`},
		{"a parameter added", matchReq("GET", "/SmartService/Doors", "sdKey=k&id=20&delay=5", ""), 3, "query parameter delay", "", "5",
			`which has no query parameter delay (the request's is "5")`},
		{"the method", matchReq("GET", "/SmartService/unlockDoor", "sdKey=k&id=20", ""), 4, "method", "PUT", "GET",
			`the nearest is exchange 4 (line 5), whose method is "PUT", not "GET"`},
		{"the body", matchReq("PUT", "/SmartService/ComponentsStates", "sdKey=k&statusID=0", "<string>22</string>"), 5, "body",
			"<string>20,21</string>", "<string>22</string>", `whose body is "<string>20,21</string>", not "<string>22</string>"`},
		{"the path", matchReq("GET", "/SmartService/Relays", "sdKey=k", ""), 1, "path", "/SmartService/Login", "/SmartService/Relays",
			`whose path is "/SmartService/Login", not "/SmartService/Relays"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := m.Match(tc.req)
			var mm *Mismatch
			require.True(t, errors.As(err, &mm), "%v", err)
			require.NotNil(t, mm.Nearest)
			assert.Equal(t, tc.nearest, mm.Nearest.Seq)
			assert.Equal(t, tc.nearest+1, mm.Line)
			assert.Equal(t, tc.field, mm.Field)
			assert.Equal(t, tc.want, mm.Want)
			assert.Equal(t, tc.got, mm.Got)
			assert.Contains(t, mm.Error(), tc.msg)
		})
	}

	t.Run("values are clipped", func(t *testing.T) {
		long := strings.Repeat("é", 100)
		_, _, err := m.Match(matchReq("GET", "/SmartService/Doors", "sdKey=k&id="+long, ""))
		var mm *Mismatch
		require.ErrorAs(t, err, &mm)
		assert.LessOrEqual(t, len(mm.Got), 80)
		assert.True(t, strings.HasSuffix(mm.Got, "…"))
		assert.True(t, strings.HasPrefix(long, strings.TrimSuffix(mm.Got, "…")), "cut on a character boundary")
	})
	t.Run("an empty recording", func(t *testing.T) {
		_, _, err := NewMatcher(matchRecording(SystemGenetec)).Match(matchReq("GET", "/WebSdk/", "", ""))
		var mm *Mismatch
		require.ErrorAs(t, err, &mm)
		assert.Nil(t, mm.Nearest)
		assert.Equal(t, "no recorded exchange matches GET /WebSdk/: the recording has no exchanges", err.Error())
	})
}

// A recording built by hand, without Lines, still names lines.
func TestMatchWithoutLines(t *testing.T) {
	rec := matchRecording(SystemGenetec, matchEx("GET", "/WebSdk/", "", "ok"))
	rec.Lines = nil
	_, line, err := NewMatcher(rec).Match(matchReq("GET", "/WebSdk/", "", ""))
	require.NoError(t, err)
	assert.Equal(t, 2, line)
}
