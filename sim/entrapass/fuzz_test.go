package entrapass

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// fuzzSite is a server whose handler is called in process and without the
// recover middleware, so that a panic fails the fuzz test instead of being
// turned into a fault.
type fuzzSite struct {
	srv *Server
	h   http.Handler
	mu  sync.Mutex
	key string
}

func newFuzzSite(t testing.TB) *fuzzSite {
	sf := sim.DefaultSite()
	// The fuzzer logs in as often as it likes: never hit Error 72 for the
	// key the other targets use.
	sf.EntraPass.Operators[0].MaxSessions = 1 << 30
	w, err := sim.New(sf)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(w)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return &fuzzSite{srv: srv, h: normalizePath(srv.router)}
}

// sessionKey returns a live key, logging in again if the fuzzer logged it
// out.
func (f *fuzzSite) sessionKey(t *testing.T) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, fault := f.srv.sessions.get(f.key, f.srv.world.Now()); f.key == "" || fault != nil {
		_, body := f.serve(t, http.MethodGet, "/SmartService/Login", "userName=pacsim&password=pacsim", "")
		m := sessionKeyRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("cannot log in: %s", body)
		}
		f.key = m[1]
	}
	return f.key
}

// serve calls the handler directly: arbitrary paths and queries would not
// survive a real client's URL checks.
func (f *fuzzSite) serve(t *testing.T, method, path, query, body string) (int, string) {
	req := &http.Request{
		Method:     method,
		URL:        &url.URL{Path: path, RawQuery: query},
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     http.Header{},
		Body:       io.NopCloser(strings.NewReader(body)),
		Host:       "127.0.0.1",
		RemoteAddr: "127.0.0.1:1",
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// checkAnswer checks the server's contract: 200 with a well-formed XML
// document (a fault or the answer), or 404/405 with a fault for a path or
// method no operation has.
func checkAnswer(t *testing.T, code int, body string, routed bool) {
	t.Helper()
	switch code {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusMethodNotAllowed:
		if routed {
			t.Fatalf("status %d on a known route: %s", code, body)
		}
		if _, ok := wire.ParseFault([]byte(body)); !ok {
			t.Fatalf("status %d without a StandardFault: %q", code, body)
		}
		return
	default:
		t.Fatalf("status %d: %s", code, body)
	}
	if strings.HasPrefix(body, "<?xml") {
		t.Fatalf("declaration: %q", body)
	}
	d := xml.NewDecoder(bytes.NewReader([]byte(body)))
	roots := 0
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("malformed answer (%v): %q", err, body)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 {
				t.Fatalf("text outside the document: %q", body)
			}
		}
	}
	if roots != 1 {
		t.Fatalf("%d document elements: %q", roots, body)
	}
	if f, ok := wire.ParseFault([]byte(body)); ok && f.Message == CodeInternalError {
		t.Fatalf("internal error: %s", body)
	}
}

func FuzzLogin(f *testing.F) {
	for _, seed := range []string{
		"userName=pacsim&password=pacsim",
		"userName=pacsim&password=pacsim&encrypted=1",
		encLogin("pacsim", "pacsim", "56,"+newGUID())[len("Login?"):],
		encLogin("pacsim", "pacsim", "57,x")[len("Login?"):],
		"USERNAME=disabled&PASSWORD=disabled",
		"userName=expired&password=expired&ConnectedProgram=56,abc",
		"userName=pacsim&password=pacsim&ConnectedProgram=%ZZ&encrypted=true",
		"userName=%00&password=%FF%FE",
		"encrypted=2",
		"userName=" + strings.Repeat("A", 300) + "&password=x&encrypted=1",
		";;;&&&==",
	} {
		f.Add(seed)
	}
	fs := newFuzzSite(f)
	f.Fuzz(func(t *testing.T, query string) {
		code, body := fs.serve(t, http.MethodGet, "/SmartService/Login", query, "")
		checkAnswer(t, code, body, true)
		if !strings.HasPrefix(body, "<Operator>") {
			if _, ok := wire.ParseFault([]byte(body)); !ok {
				t.Fatalf("neither Operator nor fault: %s", body)
			}
		}
	})
}

func FuzzCardsPost(f *testing.F) {
	for _, seed := range []string{
		airflowCreate,
		"<Card><UserName>x</UserName><CardNumber1>1:1</CardNumber1><Nip>12345</Nip></Card>",
		"<Card><CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>100</AccessLevelID></CardAccessLevel></CardAccessLevels><ID>200</ID><State>Modified</State></Card>",
		"<Card><CardAccessLevels><CardAccessLevel><GatewaySiteID>3</GatewaySiteID><State>Deleted</State></CardAccessLevel></CardAccessLevels></Card>",
		"<Card><EndDate>2026-01-05</EndDate><UsingEndDate>True</UsingEndDate><DeleteWhenExpired>1</DeleteWhenExpired></Card>",
		"<?xml version=\"1.0\"?><Card><CardState>stolenlost</CardState><CardInfo40>&amp;&#x41;</CardInfo40></Card>",
		"<Card><ID>99999999999</ID></Card>",
		"<Card><UserName>a</UserName></Card><Card/>",
		"<Card>",
		"",
	} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	fs := newFuzzSite(f)
	f.Fuzz(func(t *testing.T, body string, put bool) {
		key := fs.sessionKey(t)
		method, path := http.MethodPost, "/SmartService/Cards/0"
		if put {
			method, path = http.MethodPut, "/SmartService/Cards/200"
		}
		code, answer := fs.serve(t, method, path, "sdKey="+key, body)
		checkAnswer(t, code, answer, true)
		if n, err := wire.ParseInt([]byte(answer)); err == nil {
			// What was written reads back as a <Card>, unless it was
			// deleted at once for having expired (DeleteWhenExpired).
			_, card := fs.serve(t, http.MethodGet, "/SmartService/Cards/"+strconv.Itoa(n), "sdKey="+key, "")
			if _, err := wire.ParseCard([]byte(card)); err != nil {
				if f, ok := wire.ParseFault([]byte(card)); !ok || f.Message != wire.CodeComponentNotExist {
					t.Fatalf("card %d does not read back: %v: %s", n, err, card)
				}
			}
		} else if _, ok := wire.ParseFault([]byte(answer)); !ok {
			t.Fatalf("neither <int> nor fault: %s", answer)
		}
	})
}

var fuzzMethods = [...]string{http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete, http.MethodHead, "PATCH"}

func FuzzQuery(f *testing.F) {
	for _, seed := range []struct{ path, query, body string }{
		{"GatewaysSites", "", ""},
		{"Sites/2/Relays", "", ""},
		{"sites/2/INPUTS/", "", ""},
		{"Sites/x/AccessLevels", "", ""},
		{"AccessLevels/100", "", ""},
		{"GetListOwnerBy", "ownerID=2&componentID=door", ""},
		{"Doors/20", "shortReturn=0", ""},
		{"CardTypes/", "", ""},
		{"Cards", "listIndex=USERNAME&listStartValue=0&filter=a&contains=1&extendedFields=CARDINFO1,EMAIL", ""},
		{"Cards", "listIndex=CARDNUMBER&listStartValue=100[COLON]1&numberOfCards=-3", ""},
		{"Cards/200", "", ""},
		{"CardPictures/200", "", "<CardPicture><Picture>/9j/4A==</Picture></CardPicture>"},
		{"LastDoorAccess", "id=20", ""},
		{"ComponentFullStatus/21", "", ""},
		{"ComponentsStates", "statusID=0", "<string>20,21,50,70</string>"},
		{"ComponentsStatesByStatusId", "statusID=0", ""},
		{"Events", "startDate=2026-01-05", ""},
		{"EventsAndStayAlive", "", ""},
		{"TemporarilyUnlockDoor", "id=20&delay=5", ""},
		{"DisableReader2", "id=21", ""},
		{"InputNoSupervisionTemporarily", "id=50&delay=64801", ""},
		{"ActivateRelay", "id=9999999999999", ""},
		{"Logout", "", ""},
		{"../../x", "%%", ""},
	} {
		for m := range fuzzMethods {
			f.Add(uint8(m), seed.path, seed.query, seed.body, true)
		}
		f.Add(uint8(0), seed.path, seed.query, seed.body, false)
	}
	fs := newFuzzSite(f)
	// known reports whether an operation has this method and path: it must
	// then answer 200, whatever the query and body.
	known := func(method, path string) bool {
		p := strings.ToLower(path)
		if t := strings.TrimRight(p, "/"); t != "" {
			p = t
		}
		var m mux.RouteMatch
		req := &http.Request{Method: method, URL: &url.URL{Path: p}}
		return fs.srv.router.Match(req, &m) && m.MatchErr == nil
	}
	f.Fuzz(func(t *testing.T, m uint8, path, query, body string, auth bool) {
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		if auth {
			if query != "" {
				query += "&"
			}
			query += "sdKey=" + fs.sessionKey(t)
		}
		code, answer := fs.serve(t, method, "/SmartService/"+path, query, body)
		checkAnswer(t, code, answer, known(method, "/SmartService/"+path))
	})
}
