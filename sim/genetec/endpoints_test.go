package genetec_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/genetec"
)

// The default site's hardware the tests use.
const (
	frontDoor  sim.ID = 20 // Office: Front Door
	frontEntry sim.ID = 30 // its entry reader
	shopFront  sim.ID = 24 // Shop: Shop Front
	shopEntry  sim.ID = 36
)

const rootPartition = "00000000-0000-0000-0000-00000000000b"

var (
	adminAuth = auth("admin", devApp, "pacsim")
	guidRe    = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
)

// newSiteFrom is newSite over a site file the test built itself.
func newSiteFrom(t *testing.T, sf *sim.SiteFile, opts ...genetec.Option) *site {
	t.Helper()
	clock := sim.NewManualClock(sf.StartTime())
	w, err := sim.New(sf, sim.WithClock(clock))
	require.NoError(t, err)
	_, err = entrapass.New(w)
	require.NoError(t, err)
	gs, err := genetec.New(w, opts...)
	require.NoError(t, err)
	srv := httptest.NewServer(gs.Handler())
	t.Cleanup(func() { gs.Close(); srv.Close() })
	return &site{t: t, world: w, clock: clock, gs: gs, srv: srv}
}

// reply is what a client sees of one answer.
type reply struct {
	code   int
	header http.Header
	body   string
}

// send sends target (a path and its query, exactly as the client writes
// them on the wire) with the given Accept ("" for none), Authorization (""
// for none) and body (nil for none). No answer may come from the
// recoverer: a panic is a simulator bug whatever the input.
func (s *site) send(method, target, accept, authz string, body io.Reader) reply {
	s.t.Helper()
	req, err := http.NewRequest(method, s.srv.URL+target, body)
	require.NoError(s.t, err)
	if _, raw, ok := strings.Cut(target, "?"); ok {
		require.Equal(s.t, raw, req.URL.RawQuery, "the query must go out as written")
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	noInternalError(s.t, string(b))
	return reply{code: resp.StatusCode, header: resp.Header, body: string(b)}
}

func noInternalError(t testing.TB, body string) {
	t.Helper()
	assert.NotContains(t, body, "internal error", "the recoverer answered: a handler panicked")
	assert.NotContains(t, body, "InternalError", "the recoverer answered: a handler panicked")
}

// okRaw sends a text/json request as admin that must answer Ok, and
// decodes its Result into out (when not nil). It returns the raw Result.
func (s *site) okRaw(method, target string, out any) json.RawMessage {
	s.t.Helper()
	r := s.send(method, target, "text/json", adminAuth, nil)
	require.Equal(s.t, http.StatusOK, r.code, r.body)
	var env rsp
	require.NoError(s.t, json.Unmarshal([]byte(r.body), &env), r.body)
	require.Equal(s.t, "Ok", env.Rsp.Status, r.body)
	if out != nil {
		require.NoError(s.t, json.Unmarshal(env.Rsp.Result, out), r.body)
	}
	return env.Rsp.Result
}

// mustFail sends a text/json request as admin that must answer HTTP 200
// with Status Fail, one of the codes given, and a message holding every
// part given. It returns the message.
func (s *site) mustFail(method, target string, codes []string, parts ...string) string {
	s.t.Helper()
	r := s.send(method, target, "text/json", adminAuth, nil)
	require.Equal(s.t, http.StatusOK, r.code, "an application failure is HTTP 200: %s", r.body)
	var env rsp
	require.NoError(s.t, json.Unmarshal([]byte(r.body), &env), r.body)
	require.Equal(s.t, "Fail", env.Rsp.Status, r.body)
	var e struct{ SdkErrorCode, Message string }
	require.NoError(s.t, json.Unmarshal(env.Rsp.Result, &e), r.body)
	assert.Contains(s.t, codes, e.SdkErrorCode, r.body)
	for _, p := range parts {
		assert.Contains(s.t, e.Message, p, "the message should name what was wrong")
	}
	return e.Message
}

var (
	invalidOp    = []string{"InvalidOperation"}
	badValue     = []string{"InvalidOperation", "InvalidValue"}
	notRetrieved = []string{"UnableToRetrieveEntity"}
)

// guids runs a report and returns the GUIDs of its rows, in order.
func (s *site) guids(report, query string) []string {
	s.t.Helper()
	var rows []struct{ Guid string }
	s.ok("GET", q("/WebSdk/report/"+report, query), &rows)
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Guid
	}
	return out
}

// read reads properties of one entity: entity=g,p1,p2,….
func (s *site) read(g string, props ...string) map[string]any {
	s.t.Helper()
	var out map[string]any
	s.ok("GET", q("/WebSdk/entity", "entity="+g+","+strings.Join(props, ",")), &out)
	return out
}

// entity reads GET /entity/{g}.
func (s *site) entity(g string) map[string]any {
	s.t.Helper()
	var out map[string]any
	s.ok("GET", "/WebSdk/entity/"+g, &out)
	return out
}

// fixture are the default site's entities a client finds first.
type fixture struct {
	ada, badge                  string // Ada Lovelace and her Standard 26 bits 200:2001
	contractors, officeVisitors string // cardholder groups
	door, reader, shopDoor      string // Front Door, its entry reader, Shop Front
}

func (s *site) fixture() fixture {
	s.t.Helper()
	one := func(report, query string) string {
		g := s.guids(report, query)
		require.Len(s.t, g, 1, "%s?q=%s", report, query)
		return g[0]
	}
	d, err := s.world.Door(frontDoor)
	require.NoError(s.t, err)
	r, err := s.world.Reader(frontEntry)
	require.NoError(s.t, err)
	sd, err := s.world.Door(shopFront)
	require.NoError(s.t, err)
	return fixture{
		ada:            one("CardholderConfiguration", "FirstName=Ada,FirstNameSearchMode=Is"),
		badge:          one("CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(200,2001)"),
		contractors:    one("EntityConfiguration", "EntityTypes@CardholderGroup,Name=Contractors,NameSearchMode=Is"),
		officeVisitors: one("EntityConfiguration", "EntityTypes@CardholderGroup,Name=Visitors - Office,NameSearchMode=Is"),
		door:           d.GUID,
		reader:         r.GUID,
		shopDoor:       sd.GUID,
	}
}

// with is s reporting to t, for use inside a subtest: a failed require
// must end the subtest, not its parent.
func (s *site) with(t *testing.T) *site {
	c := *s
	c.t = t
	return &c
}

func strList(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func undash(g string) string { return strings.ReplaceAll(g, "-", "") }

func TestKeepAliveAnyCaseWithAndWithoutSlash(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	for _, path := range []string{"/WebSdk/", "/WebSdk", "/webSdk/", "/WebSDK/", "/websdk", "/WEBSDK/"} {
		for _, method := range []string{"GET", "POST"} {
			t.Run(method+" "+path, func(t *testing.T) {
				s := s.with(t)
				r := s.send(method, path, "text/json", adminAuth, nil)
				assert.Equal(t, http.StatusOK, r.code)
				assert.Equal(t, `{"Rsp":{"Status":"Ok"}}`, r.body)
				assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "text/json"), r.header.Get("Content-Type"))

				r = s.send(method, path, "", adminAuth, nil)
				assert.Equal(t, http.StatusOK, r.code)
				assert.Equal(t, `<rsp status="ok"></rsp>`, r.body)
				assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "application/xml"), r.header.Get("Content-Type"))
			})
		}
	}
}

// Every spelling of an id a client uses finds the same entity, on every
// entity endpoint.
func TestEntityIDForms(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	forms := map[string]string{
		"dashed":           fx.door,
		"dashed upper":     strings.ToUpper(fx.door),
		"no dashes":        undash(fx.door),
		"no dashes upper":  strings.ToUpper(undash(fx.door)),
		"LogicalID":        "LogicalID(Door,1)",
		"logicalid lower":  "logicalid(door,1)",
		"LOGICALID upper":  "LOGICALID(DOOR,1)",
		"cardholder guid":  strings.ToUpper(undash(fx.ada)),
		"cardholder logic": "LogicalID(Cardholder,1)",
	}
	for name, id := range forms {
		want, typ, wantName := fx.door, "Door", "Front Door"
		if strings.HasPrefix(name, "cardholder") {
			want, typ, wantName = fx.ada, "Cardholder", "Ada Lovelace"
		}
		t.Run(name, func(t *testing.T) {
			s := s.with(t)
			var full map[string]any
			s.okRaw("GET", "/WebSdk/entity/"+id, &full)
			assert.Equal(t, want, full["Guid"])
			assert.Equal(t, typ, full["EntityType"])
			assert.Equal(t, wantName, full["Name"])
			assert.EqualValues(t, 1, full["LogicalId"])
			if typ == "Door" {
				assert.Contains(t, full, "DoorSideIn", "the full entity has the door's own properties")
			} else {
				assert.Equal(t, []string{fx.badge}, strList(full["Credentials"]))
				assert.Equal(t, []string{fx.contractors}, strList(full["Groups"]))
			}

			r := s.send("GET", "/WebSdk/entity/"+id, "text/json", adminAuth, nil)
			assert.Contains(t, r.body, `"ObsoletedMembers":[{"Member":`, "a full read names the obsolete members beside Result")

			// The basic members come under Result.Entity, as in the
			// Postman capture "Retrieve basic information of an entity".
			var wrap struct{ Entity map[string]any }
			s.okRaw("GET", "/WebSdk/entity/basic/"+id, &wrap)
			basic := wrap.Entity
			require.NotNil(t, basic)
			assert.Equal(t, want, basic["Guid"])
			assert.Equal(t, typ, basic["EntityType"])
			assert.Equal(t, wantName, basic["Name"])
			assert.NotContains(t, basic, "DoorSideIn", "basic shows the base-class properties only")
			assert.NotContains(t, basic, "Credentials", "basic shows the base-class properties only")

			var read struct{ Guid, Name string }
			s.okRaw("GET", "/WebSdk/entity?q=entity="+id+",Guid,Name", &read)
			assert.Equal(t, want, read.Guid, "Guid reads back dashed and lower-case")
			assert.Equal(t, wantName, read.Name)

			var exists struct{ Value bool }
			s.okRaw("GET", "/WebSdk/entity/exists/"+id, &exists)
			assert.True(t, exists.Value)
		})
	}
}

func TestEntityMissingFailsWithHTTP200(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	const missing = "0badc0de-0000-4000-8000-000000000001"
	for _, target := range []string{
		"/WebSdk/entity/" + missing,
		"/WebSdk/entity/basic/" + missing,
		"/WebSdk/entity/exists/" + missing,
		"/WebSdk/entity/exists/" + strings.ToUpper(undash(missing)),
		"/WebSdk/entity?q=entity=" + missing + ",Name",
		"/WebSdk/entity/LogicalID(Door,99)",
		"/WebSdk/entity?q=entity=LogicalID(Cardholder,99),Name",
	} {
		t.Run(target, func(t *testing.T) {
			msg := s.with(t).mustFail("GET", target, notRetrieved)
			assert.True(t, strings.HasPrefix(msg, "Could not get the entity, does it exists? Guid: "), msg)
		})
	}
}

// Creating with a trailing ,Guid answers Result{Guid}, and the entity reads
// back with what was set.
func TestCreateWithGuid(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	cases := []struct {
		name, query, typ string
		check            func(t *testing.T, e map[string]any)
	}{
		{"cardholder", "entity=NewEntity(Cardholder),Name=Grace Hopper,FirstName=Grace,LastName=Hopper,EmailAddress=grace@example.com,MobilePhoneNumber=5551234", "Cardholder",
			func(t *testing.T, e map[string]any) {
				assert.Equal(t, "Grace Hopper", e["Name"])
				assert.Equal(t, "Grace", e["FirstName"])
				assert.Equal(t, "Hopper", e["LastName"])
				assert.Equal(t, "grace@example.com", e["EmailAddress"])
				assert.Equal(t, "5551234", e["MobilePhoneNumber"])
			}},
		{"visitor", "entity=NewEntity(Visitor),FirstName=Alan,LastName=Turing,Departure=2026-01-05T17:00:00", "Visitor",
			func(t *testing.T, e map[string]any) {
				assert.Equal(t, "Alan Turing", e["Name"])
				assert.Equal(t, "2026-01-05T17:00:00Z", e["Departure"])
			}},
		{"credential", "entity=NewEntity(Credential),Name=Badge 42,Format=WiegandStandardCredentialFormat(150,42)", "Credential",
			func(t *testing.T, e map[string]any) {
				f, _ := e["Format"].(map[string]any)
				assert.EqualValues(t, 150, f["Facility"])
				assert.EqualValues(t, 42, f["CardId"])
				assert.Equal(t, "00000000-0000-0000-0000-000000000000", e["CardholderGuid"])
			}},
		{"group, type name in any case", "entity=NewEntity(cardholdergroup),Name=Interns,EmailAddress=interns@example.com", "CardholderGroup",
			func(t *testing.T, e map[string]any) { assert.Equal(t, "Interns", e["Name"]) }},
		{"access rule", "entity=NewEntity(AccessRule),Name=Night shift", "AccessRule",
			func(t *testing.T, e map[string]any) { assert.Equal(t, "Permanent", e["AccessRuleType"]) }},
		{"temporary access rule", "entity=NewEntity(AccessRule,Temporary),Name=Fair week,StartTime=2026-01-05T08:00:00,EndTime=2026-01-09T18:00:00", "AccessRule",
			func(t *testing.T, e map[string]any) {
				assert.Equal(t, "Temporary", e["AccessRuleType"])
				assert.Equal(t, "2026-01-05T08:00:00Z", e["StartTime"])
				assert.Equal(t, "2026-01-09T18:00:00Z", e["EndTime"])
			}},
		{"partition", "entity=NewEntity(Partition),Name=Lab", "Partition",
			func(t *testing.T, e map[string]any) { assert.Equal(t, "Lab", e["Name"]) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := s.with(t)
			var res map[string]any
			s.ok("POST", q("/WebSdk/entity", c.query+",Guid"), &res)
			require.Len(t, res, 1, "the answer is Result{Guid} only: %v", res)
			g, _ := res["Guid"].(string)
			require.Regexp(t, guidRe, g)
			e := s.entity(g)
			assert.Equal(t, g, e["Guid"])
			assert.Equal(t, c.typ, e["EntityType"])
			c.check(t, e)
		})
	}
}

func TestChainedReadsAnswerAnArrayInOrder(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	var got []map[string]any
	s.ok("GET", q("/WebSdk/entity", "entity="+fx.ada+",Guid,Name,EntityType,entity="+fx.door+",Name,entity="+strings.ToUpper(undash(fx.badge))+",Guid,State"), &got)
	require.Len(t, got, 3)
	assert.Equal(t, map[string]any{"Guid": fx.ada, "Name": "Ada Lovelace", "EntityType": "Cardholder"}, got[0])
	assert.Equal(t, map[string]any{"Name": "Front Door"}, got[1])
	assert.Equal(t, map[string]any{"Guid": fx.badge, "State": "Active"}, got[2])

	// The same with the raw query a client writes by hand.
	var raw []map[string]any
	s.okRaw("GET", "/WebSdk/entity?q=entity="+fx.ada+",Guid,Name,EntityType,entity="+fx.door+",Name,entity="+strings.ToUpper(undash(fx.badge))+",Guid,State", &raw)
	assert.Equal(t, got, raw)
}

// The legacy setters production clients still send.
func TestLegacySetters(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(t *testing.T, s *site, fx fixture)
	}{
		{"cardholder State=Inactive then State=Active", func(t *testing.T, s *site, fx fixture) {
			ch := s.create("entity=NewEntity(Cardholder),FirstName=Bea,LastName=State")
			s.ok("POST", q("/WebSdk/entity", "entity="+ch+",State=Inactive"), nil)
			assert.Equal(t, "Inactive", s.read(ch, "State")["State"])
			assert.Equal(t, []string{ch}, s.guids("CardholderConfiguration", "FirstName=Bea,AccessStatus@Inactive"))
			s.ok("POST", q("/WebSdk/entity", "entity="+ch+",State=Active"), nil)
			assert.Equal(t, "Active", s.read(ch, "State")["State"])
		}},
		{"Ada State=Inactive refuses her badge", func(t *testing.T, s *site, fx fixture) {
			s.ok("POST", q("/WebSdk/entity", "entity="+fx.ada+",State=Inactive"), nil)
			p := s.present(frontEntry, "200:2001")
			assert.False(t, p.Granted)
			s.ok("POST", q("/WebSdk/entity", "entity="+fx.ada+",State=Active"), nil)
			assert.True(t, s.present(frontEntry, "200:2001").Granted)
		}},
		{"credential State=Lost", func(t *testing.T, s *site, fx fixture) {
			s.ok("POST", q("/WebSdk/entity", "entity="+fx.badge+",State=Lost"), nil)
			assert.Equal(t, "Lost", s.read(fx.badge, "State")["State"])
			p := s.present(frontEntry, "200:2001")
			assert.False(t, p.Granted)
			assert.Equal(t, "LostCredential", p.Detail)
		}},
		{"credential State=Inactive then Active", func(t *testing.T, s *site, fx fixture) {
			s.ok("POST", q("/WebSdk/entity", "entity="+fx.badge+",State=Inactive"), nil)
			assert.Equal(t, "Inactive", s.read(fx.badge, "State")["State"])
			assert.False(t, s.present(frontEntry, "200:2001").Granted)
			s.ok("POST", q("/WebSdk/entity", "entity="+fx.badge+",State=Active"), nil)
			assert.True(t, s.present(frontEntry, "200:2001").Granted)
		}},
		{"ActivationMode=SpecificActivationPeriod with a one-digit hour", func(t *testing.T, s *site, fx fixture) {
			ch := s.create("entity=NewEntity(Cardholder),FirstName=Per,LastName=Iod")
			cr := s.create("entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(150,77),CardholderGuid=" + ch)
			for _, g := range []string{ch, cr} {
				s.okRaw("POST", "/WebSdk/entity?q=entity="+g+",State=Active,ActivationMode=SpecificActivationPeriod(2026-01-01T0:00:00,2026-12-31T23:59:59)", nil)
				st, _ := s.read(g, "Status")["Status"].(map[string]any)
				assert.Equal(t, "2026-01-01T00:00:00Z", st["ActivationDate"], g)
				assert.Equal(t, "2026-12-31T23:59:59Z", st["ExpirationDate"], g)
				assert.Equal(t, "Active", st["State"], g)
				assert.Equal(t, "Active", s.read(g, "State")["State"], g)
			}
		}},
		{"ActivationMode=SpecificDeactivation expires on the site clock", func(t *testing.T, s *site, fx fixture) {
			s.okRaw("POST", "/WebSdk/entity?q=entity="+fx.badge+",State=Active,ActivationMode=SpecificDeactivation(2026-01-05T10:00:00)", nil)
			assert.Equal(t, "Active", s.read(fx.badge, "State")["State"])
			assert.True(t, s.present(frontEntry, "200:2001").Granted)
			s.clock.Advance(time.Hour)
			assert.Equal(t, "Expired", s.read(fx.badge, "State")["State"])
			assert.Equal(t, "ExpiredCredential", s.present(frontEntry, "200:2001").Detail)
		}},
		{"Groups@G then Groups-G, twice", func(t *testing.T, s *site, fx fixture) {
			ch := s.create("entity=NewEntity(Cardholder),FirstName=Gro,LastName=Up")
			s.okRaw("POST", "/WebSdk/entity?q=entity="+ch+",Groups@"+fx.officeVisitors, nil)
			assert.Equal(t, []string{fx.officeVisitors}, strList(s.read(ch, "Groups")["Groups"]))
			assert.Contains(t, strList(s.read(fx.officeVisitors, "Members")["Members"]), ch)
			assert.Equal(t, []string{ch}, s.guids("CardholderConfiguration", "CardholderGroupIds@"+fx.officeVisitors))
			s.okRaw("POST", "/WebSdk/entity?q=entity="+ch+",Groups-"+fx.officeVisitors, nil)
			assert.Empty(t, strList(s.read(ch, "Groups")["Groups"]))
			assert.NotContains(t, strList(s.read(fx.officeVisitors, "Members")["Members"]), ch)
			// Removing a group one is not in succeeds (BULAC removes before it adds).
			s.okRaw("POST", "/WebSdk/entity?q=entity="+ch+",Groups-"+fx.officeVisitors, nil)
			s.okRaw("POST", "/WebSdk/entity?q=entity="+ch+",Groups-"+fx.contractors, nil)
			assert.Empty(t, strList(s.read(ch, "Groups")["Groups"]))
			assert.Equal(t, []string{fx.contractors}, strList(s.read(fx.ada, "Groups")["Groups"]), "other cardholders keep their groups")
		}},
		{"CardholderGuid= inside NewEntity(Credential)", func(t *testing.T, s *site, fx fixture) {
			ch := s.create("entity=NewEntity(Cardholder),FirstName=Car,LastName=Holder")
			s.okRaw("POST", "/WebSdk/entity?q=entity="+ch+",Groups@"+fx.contractors, nil)
			var res struct{ Guid string }
			s.okRaw("POST", "/WebSdk/entity?q=entity=NewEntity(Credential),Name=12345,CardholderGuid="+ch+",Format=WiegandStandardCredentialFormat(150,12),Guid", &res)
			require.Regexp(t, guidRe, res.Guid)
			assert.Equal(t, ch, s.read(res.Guid, "CardholderGuid")["CardholderGuid"])
			assert.Equal(t, []string{res.Guid}, strList(s.read(ch, "Credentials")["Credentials"]))
			p := s.present(frontEntry, "150:12")
			assert.True(t, p.Granted, "%s %s", p.Reason, p.Detail)
			assert.Equal(t, ch, p.Holder)
		}},
		{"InsertIntoPartition(root partition)", func(t *testing.T, s *site, fx fixture) {
			ch := s.create("entity=NewEntity(Cardholder),FirstName=Part,LastName=Ition")
			s.okRaw("POST", "/WebSdk/entity?q=entity="+ch+",InsertIntoPartition("+rootPartition+")", nil)
			assert.Contains(t, strList(s.read(ch, "GetPartitions()")["GetPartitions"]), rootPartition)
			assert.Contains(t, strList(s.entity(rootPartition)["Members"]), ch)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t)
			c.run(t, s, s.fixture())
		})
	}
}

func TestDeleteThenReadFails(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	ch := s.create("entity=NewEntity(Cardholder),Name=Del Me,FirstName=Del,LastName=Me")
	cr := s.create("entity=NewEntity(Credential),Name=Del badge,Format=WiegandStandardCredentialFormat(150,99),CardholderGuid=" + ch)
	s.ok("POST", q("/WebSdk/entity", "entity="+ch+",Groups@"+fx.contractors), nil)
	require.True(t, s.present(frontEntry, "150:99").Granted)

	// DELETE with no body and no Content-Type, as clients send it.
	r := s.send("DELETE", "/WebSdk/entity/"+ch, "text/json", adminAuth, nil)
	require.Equal(t, http.StatusOK, r.code)
	assert.Equal(t, `{"Rsp":{"Status":"Ok"}}`, r.body)
	// Legacy XML, with an explicit empty body (Content-Length: 0).
	r = s.send("DELETE", "/WebSdk/entity/"+cr, "", adminAuth, strings.NewReader(""))
	require.Equal(t, http.StatusOK, r.code)
	assert.Equal(t, `<rsp status="ok"></rsp>`, r.body)

	for _, g := range []string{ch, cr} {
		s.mustFail("GET", "/WebSdk/entity/"+g, notRetrieved, g)
		s.mustFail("GET", q("/WebSdk/entity", "entity="+g+",Name"), notRetrieved)
		s.mustFail("GET", "/WebSdk/entity/exists/"+g, notRetrieved)
		s.mustFail("DELETE", "/WebSdk/entity/"+g, notRetrieved)
	}
	assert.Empty(t, s.guids("EntityConfiguration", "EntityTypes@Cardholder,Name=Del Me,NameSearchMode=Is"))
	assert.Empty(t, s.guids("CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(150,99)"))
	assert.NotContains(t, strList(s.read(fx.contractors, "Members")["Members"]), ch)
	assert.Equal(t, "UnknownCredential", s.present(frontEntry, "150:99").Detail)
}

func TestReportEntityConfigurationNameSearch(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	hopper := s.create("entity=NewEntity(Cardholder),Name=Grace Hopper")
	kelly := s.create("entity=NewEntity(Cardholder),Name=Grace Kelly")
	turing := s.create("entity=NewEntity(Cardholder),Name=Alan Turing")
	all := []string{fx.ada, hopper, kelly, turing}
	cases := []struct {
		filter string
		want   []string
	}{
		{"Name=Grace", []string{hopper, kelly}}, // StartsWith by default
		{"Name=Kelly", nil},
		{"Name=Grace,NameSearchMode=StartsWith", []string{hopper, kelly}},
		{"Name=ace,NameSearchMode=Contains", []string{fx.ada, hopper, kelly}},
		{"Name=Kelly,NameSearchMode=EndsWith", []string{kelly}},
		{"Name=Grace Kelly,NameSearchMode=Is", []string{kelly}},
		{"Name=Grace,NameSearchMode=Is", nil},
		{"Name=Grace,NameSearchMode=DoesNotStartWith", []string{fx.ada, turing}},
		{"Name=Hopper,NameSearchMode=DoesNotEndWith", []string{fx.ada, kelly, turing}},
		{"Name=ace,NameSearchMode=DoesNotContain", []string{turing}},
		{"Name=Alan Turing,NameSearchMode=IsNot", []string{fx.ada, hopper, kelly}},
	}
	for _, c := range cases {
		t.Run(c.filter, func(t *testing.T) {
			got := s.with(t).guids("EntityConfiguration", "EntityTypes@Cardholder,"+c.filter)
			assert.ElementsMatch(t, c.want, got)
			for _, g := range got {
				assert.Contains(t, all, g)
			}
		})
	}
	t.Run("type names in any case, several types", func(t *testing.T) {
		s := s.with(t)
		assert.Equal(t, []string{fx.contractors}, s.guids("EntityConfiguration", "EntityTypes@Cardholdergroup,Name=Contractors"))
		v := s.create("entity=NewEntity(Visitor),Name=Grace Visitor")
		assert.ElementsMatch(t, []string{hopper, kelly, v}, s.guids("EntityConfiguration", "EntityTypes@Cardholder@Visitor,Name=Grace"))
	})
}

func TestReportCardholderAndCredentialConfiguration(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	ch := s.create("entity=NewEntity(Cardholder),FirstName=Grace,LastName=Hopper,EmailAddress=grace@example.com")
	spare := s.create("entity=NewEntity(Credential),Name=Spare,Format=WiegandStandardCredentialFormat(150,5)")

	assert.Equal(t, []string{fx.ada}, s.guids("CardholderConfiguration", "FirstName=Ada"))
	assert.Equal(t, []string{ch}, s.guids("CardholderConfiguration", "FirstName=Gr"))
	assert.Equal(t, []string{ch}, s.guids("CardholderConfiguration", "Email=grace@example.com"))
	assert.Equal(t, []string{fx.ada}, s.guids("CardholderConfiguration", "CardholderGroupIds@"+fx.contractors))

	assert.Equal(t, []string{fx.badge}, s.guids("CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(200,2001)"))
	assert.Empty(t, s.guids("CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(200,2002)"))
	assert.Empty(t, s.guids("CredentialConfiguration", "UniqueIds@WiegandH10306CredentialFormat(200,2001)"), "another format is another card")
	unassigned := s.guids("CredentialConfiguration", "UnassignedOnly=true")
	assert.Contains(t, unassigned, spare)
	assert.NotContains(t, unassigned, fx.badge)
	assert.ElementsMatch(t, []string{fx.badge, spare}, s.guids("CredentialConfiguration", "FormatType@00000000-0000-0000-0000-000000000200"))

	s.ok("POST", q("/WebSdk/entity", "entity="+ch+",Credentials@"+spare), nil)
	assert.NotContains(t, s.guids("CredentialConfiguration", "UnassignedOnly=true"), spare)
}

func TestReportVisitorStates(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	v := s.create("entity=NewEntity(Visitor),FirstName=Vera,LastName=Visit,Departure=2026-01-05T17:00:00")
	c := s.create("entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(150,3),CardholderGuid=" + v)
	s.ok("POST", q("/WebSdk/entity", "entity="+v+",Status.Activate()"), nil)

	type row struct {
		Guid         string
		FirstName    string
		CheckinDate  string
		CheckoutDate string
		VisitorState int
	}
	var active []row
	s.ok("GET", q("/WebSdk/report/Visitor", "VisitorStates@Active"), &active)
	require.Len(t, active, 1)
	assert.Equal(t, v, active[0].Guid)
	assert.Equal(t, "Vera", active[0].FirstName)
	assert.Equal(t, 0, active[0].VisitorState)
	assert.Equal(t, "2026-01-05T09:00:00Z", active[0].CheckinDate)
	assert.Empty(t, s.guids("Visitor", "VisitorStates@Archived"))

	s.clock.Advance(2 * time.Hour)
	s.ok("POST", q("/WebSdk/entity", "entity="+v+",Checkout()"), nil)
	assert.Empty(t, s.guids("Visitor", "VisitorStates@Active"))
	var archived []row
	s.ok("GET", q("/WebSdk/report/Visitor", "VisitorStates@Archived"), &archived)
	require.Len(t, archived, 1)
	assert.Equal(t, v, archived[0].Guid)
	assert.Equal(t, 1, archived[0].VisitorState)
	assert.Equal(t, "2026-01-05T11:00:00Z", archived[0].CheckoutDate)
	// The badge is unassigned, not deleted.
	assert.Contains(t, s.guids("CredentialConfiguration", "UnassignedOnly=true"), c)
}

// Paged reports answer TooManyResults with one row more than a page when
// another page exists.
func TestReportPaging(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	all := []string{fx.ada}
	for _, n := range []string{"P1", "P2", "P3", "P4", "P5"} {
		all = append(all, s.create("entity=NewEntity(Cardholder),FirstName="+n))
	}
	cases := []struct {
		page, size int
		status     string
		want       []string
	}{
		{1, 2, "TooManyResults", all[0:3]},
		{2, 2, "TooManyResults", all[2:5]},
		{3, 2, "Ok", all[4:6]},
		{4, 2, "Ok", nil},
		{1, 5, "TooManyResults", all[0:6]},
		{1, 6, "Ok", all},
		{2, 4, "Ok", all[4:6]},
	}
	for _, report := range []string{"EntityConfiguration?q=EntityTypes@Cardholder,", "CardholderConfiguration?q="} {
		for _, c := range cases {
			target := "/WebSdk/report/" + report + "Page=" + strconv.Itoa(c.page) + ",PageSize=" + strconv.Itoa(c.size)
			t.Run(target, func(t *testing.T) {
				r := s.with(t).send("GET", target, "text/json", adminAuth, nil)
				require.Equal(t, http.StatusOK, r.code)
				var env rsp
				require.NoError(t, json.Unmarshal([]byte(r.body), &env), r.body)
				assert.Equal(t, c.status, env.Rsp.Status, r.body)
				var rows []struct{ Guid string }
				require.NoError(t, json.Unmarshal(env.Rsp.Result, &rows), r.body)
				got := make([]string, len(rows))
				for i, row := range rows {
					got[i] = row.Guid
				}
				assert.Equal(t, len(c.want), len(got), r.body)
				assert.Equal(t, c.want, nilIfEmpty(got))
			})
		}
	}
}

func nilIfEmpty(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return l
}

func TestReportDoorActivity(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	msg := s.mustFail("GET", q("/WebSdk/report/DoorActivity", "TimeRange.SetTimeRange(2026-01-05T00:00:00,2026-01-06T00:00:00)"), invalidOp)
	assert.Contains(t, strings.ToLower(msg), "doors", "the message names the missing filter")
	assert.Contains(t, msg, "DoorActivity", "the message names the report as the client wrote it")
	msg = s.mustFail("GET", q("/WebSdk/report/DoorActivity", "Doors@"+fx.door+",Page=1"), invalidOp)
	assert.Equal(t, "Could not find property 'Page' from filter: 'Page=1'", msg)

	require.True(t, s.present(frontEntry, "200:2001").Granted)
	s.clock.Advance(time.Minute)
	require.False(t, s.present(frontEntry, "999:1").Granted)
	require.True(t, s.present(shopEntry, "200:2001").Granted)

	type row struct {
		Timestamp                                  string
		EventType                                  int
		SourceGuid, CardholderGuid, CredentialGuid string
	}
	var rows []row
	s.ok("GET", q("/WebSdk/report/DoorActivity", "Doors@"+fx.door+",TimeRange.SetTimeRange(2026-01-05T00:00:00,2026-01-06T00:00:00),SortOrder=Ascending"), &rows)
	var access []row
	for _, r := range rows {
		if r.EventType == 35 || r.EventType == 36 {
			access = append(access, r)
		}
	}
	require.Len(t, access, 2, "the two accesses at the Front Door, not the Shop's: %+v", rows)
	assert.Equal(t, 35, access[0].EventType)
	assert.Equal(t, fx.ada, access[0].CardholderGuid)
	assert.Equal(t, fx.badge, access[0].CredentialGuid)
	assert.Equal(t, "2026-01-05T09:00:00Z", access[0].Timestamp)
	assert.Equal(t, 36, access[1].EventType)
	assert.Equal(t, "2026-01-05T09:01:00Z", access[1].Timestamp)
}

func TestReportAuditTrail(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	const window = "TimeRange.SetTimeRange(2026-01-01T00:00:00,2026-12-31T00:00:00)"
	type auditRow struct {
		Id                        int
		Guid                      string
		ModificationTimeStamp     string
		SourceApplicationAsString string
		SourceApplicationType     int
		Type                      int
		Value                     *string
		ModifiedByAsString        string
	}
	audit := func(extra string) []auditRow {
		t.Helper()
		var rows []auditRow
		raw := s.okRaw("GET", q("/WebSdk/report/AuditTrail", window+extra), &rows)
		require.True(t, strings.HasPrefix(string(raw), "["), "Result is always a list: %s", raw)
		return rows
	}
	t.Run("empty is a list", func(t *testing.T) {
		raw := s.with(t).okRaw("GET", q("/WebSdk/report/AuditTrail", "TimeRange.SetTimeRange(2025-01-01T00:00:00,2025-02-01T00:00:00)"), nil)
		assert.JSONEq(t, `[]`, string(raw))
	})

	ch := ""
	cr := ""
	steps := []struct {
		name  string
		do    func()
		about func() []string // the entities the change is about
		typ   int             // the numeric type of at least one row
	}{
		{"create cardholder", func() { ch = s.create("entity=NewEntity(Cardholder),FirstName=Audi,LastName=Ted") }, func() []string { return []string{ch} }, 7},
		{"set a property", func() { s.ok("POST", q("/WebSdk/entity", "entity="+ch+",FirstName=Audrey"), nil) }, func() []string { return []string{ch} }, 7},
		{"State=Inactive", func() { s.ok("POST", q("/WebSdk/entity", "entity="+ch+",State=Inactive"), nil) }, func() []string { return []string{ch} }, 7},
		{"Groups@", func() { s.ok("POST", q("/WebSdk/entity", "entity="+ch+",Groups@"+fx.contractors), nil) }, func() []string { return []string{ch, fx.contractors} }, 0},
		{"Groups-", func() { s.ok("POST", q("/WebSdk/entity", "entity="+ch+",Groups-"+fx.contractors), nil) }, func() []string { return []string{ch, fx.contractors} }, 0},
		{"AddCardholderIntoGroup", func() {
			s.ok("POST", q("/WebSdk/entity", "entity="+fx.officeVisitors+",AddCardholderIntoGroup("+ch+")"), nil)
		}, func() []string { return []string{ch, fx.officeVisitors} }, 0},
		{"create credential", func() {
			cr = s.create("entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(150,55)")
		}, func() []string { return []string{cr} }, 9},
		{"Credentials@", func() { s.ok("POST", q("/WebSdk/entity", "entity="+ch+",Credentials@"+cr), nil) }, func() []string { return []string{ch, cr} }, 0},
		{"Status.Lost()", func() { s.ok("POST", q("/WebSdk/entity", "entity="+cr+",Status.Lost()"), nil) }, func() []string { return []string{cr} }, 9},
		{"InsertIntoPartition", func() {
			s.ok("POST", q("/WebSdk/entity", "entity="+ch+",InsertIntoPartition("+rootPartition+")"), nil)
		}, func() []string { return []string{ch, rootPartition} }, 0},
		{"DELETE", func() { s.ok("DELETE", "/WebSdk/entity/"+cr, nil) }, func() []string { return []string{cr} }, 9},
	}
	for _, st := range steps {
		before := len(audit(""))
		st.do()
		rows := audit(",SortOrder=Descending")
		if !assert.Greater(t, len(rows), before, "%s: every change made through the Web SDK is audited", st.name) {
			continue
		}
		fresh := rows[:len(rows)-before]
		about := st.about()
		seen := false
		for _, r := range fresh {
			seen = seen || slices.Contains(about, r.Guid)
			if st.typ != 0 && r.Guid == about[0] {
				assert.Equal(t, st.typ, r.Type, st.name)
			}
		}
		assert.True(t, seen, "%s: a row names the entity changed", st.name)
	}

	rows := audit(",SortOrder=Ascending")
	require.NotEmpty(t, rows)
	stamp := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$`)
	for i, r := range rows {
		assert.Regexp(t, stamp, r.ModificationTimeStamp)
		assert.Equal(t, "PACSIM - WebSdkConnection", r.SourceApplicationAsString)
		assert.Equal(t, 4, r.SourceApplicationType)
		assert.Equal(t, "admin", r.ModifiedByAsString)
		if assert.NotNil(t, r.Value, "Value is never null") {
			assert.True(t, strings.HasPrefix(*r.Value, "<AuditData>"), *r.Value)
		}
		if i > 0 {
			assert.Greater(t, r.Id, rows[i-1].Id, "Ascending")
		}
	}
	desc := audit(",SortOrder=Descending")
	require.Len(t, desc, len(rows))
	assert.Equal(t, rows[0].Id, desc[len(desc)-1].Id)

	var alias []auditRow
	s.ok("GET", q("/WebSdk/report/AuditTrailsReport", window+",SortOrder=Ascending"), &alias)
	assert.Equal(t, rows, alias)
	// Cut by MaximumResultCount: Ok or Partial (reference §2.2), and one
	// row is still a list.
	r := s.send("GET", q("/WebSdk/report/AuditTrail", window+",SortOrder=Ascending,MaximumResultCount=1"), "text/json", adminAuth, nil)
	var env rsp
	require.NoError(t, json.Unmarshal([]byte(r.body), &env), r.body)
	assert.Contains(t, []string{"Ok", "Partial"}, env.Rsp.Status, r.body)
	var one []auditRow
	require.NoError(t, json.Unmarshal(env.Rsp.Result, &one), "Result is a list: %s", r.body)
	require.Len(t, one, 1)
	assert.Equal(t, rows[0].Id, one[0].Id)
}

func TestActions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		target func(door string) string
	}{
		{"percent-encoded", func(d string) string { return q("/WebSdk/action", "UnlockDoor("+d+")") }},
		{"raw", func(d string) string { return "/WebSdk/action?q=UnlockDoor(" + d + ")" }},
		{"no dashes upper", func(d string) string { return "/WebSdk/action?q=UnlockDoor(" + strings.ToUpper(undash(d)) + ")" }},
		{"LogicalID", func(string) string { return "/WebSdk/action?q=UnlockDoor(LogicalID(Door,1))" }},
	}
	for _, c := range cases {
		t.Run("UnlockDoor "+c.name, func(t *testing.T) {
			t.Parallel()
			s := newSite(t)
			fx := s.fixture()
			var res []any
			s.okRaw("POST", c.target(fx.door), &res)
			assert.Empty(t, res)
			d, _ := s.world.Door(frontDoor)
			assert.Equal(t, sim.LockUnlockedTemporary, d.Lock)
			s.clock.Advance(4 * time.Second)
			d, _ = s.world.Door(frontDoor)
			assert.Equal(t, sim.LockUnlockedTemporary, d.Lock, "still unlocked before 5 s")
			s.clock.Advance(time.Second)
			d, _ = s.world.Door(frontDoor)
			assert.Equal(t, sim.LockLocked, d.Lock, "relocked after 5 s")
			// Opening it now is forced: it really locked again.
			_, err := s.world.OpenDoor(frontDoor)
			require.NoError(t, err)
			d, _ = s.world.Door(frontDoor)
			assert.Equal(t, sim.ContactForced, d.Contact)
		})
	}
	t.Run("Open lets one passage through", func(t *testing.T) {
		t.Parallel()
		s := newSite(t)
		fx := s.fixture()
		s.okRaw("POST", "/WebSdk/action?q=Open("+fx.door+")", nil)
		d, _ := s.world.Door(frontDoor)
		assert.NotEqual(t, sim.LockLocked, d.Lock)
		_, err := s.world.OpenDoor(frontDoor)
		require.NoError(t, err)
		d, _ = s.world.Door(frontDoor)
		assert.Equal(t, sim.ContactOpen, d.Contact, "not forced")
		_, err = s.world.CloseDoor(frontDoor)
		require.NoError(t, err)
		d, _ = s.world.Door(frontDoor)
		assert.Equal(t, sim.LockLocked, d.Lock, "relocks on close")
	})
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		s := newSite(t)
		fx := s.fixture()
		s.mustFail("POST", "/WebSdk/action?q=UnlockDoor("+fx.ada+")", badValue, fx.ada)
		s.mustFail("POST", "/WebSdk/action?q=Explode("+fx.door+")", invalidOp, "Explode")
		s.mustFail("POST", "/WebSdk/action?q=UnlockDoor(0badc0de-0000-4000-8000-000000000001)", notRetrieved)
		d, _ := s.world.Door(frontDoor)
		assert.Equal(t, sim.LockLocked, d.Lock)
	})
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	cases := []struct {
		name   string
		authz  string
		status int
	}{
		{"no credentials", "", http.StatusUnauthorized},
		{"wrong password", auth("admin", devApp, "wrong"), http.StatusUnauthorized},
		{"empty password", auth("admin", devApp, ""), http.StatusUnauthorized},
		{"unknown user", auth("mallory", devApp, "pacsim"), http.StatusUnauthorized},
		{"not Basic", "Bearer " + devApp, http.StatusUnauthorized},
		{"unknown application", auth("admin", "not-an-application", "pacsim"), http.StatusForbidden},
		{"no application", "Basic YWRtaW46cGFjc2lt", http.StatusForbidden}, // admin:pacsim
		{"development application", adminAuth, http.StatusOK},
		{"visitor connector", auth("admin", sim.GenetecVisitorsAppID, "pacsim"), http.StatusOK},
	}
	for _, c := range cases {
		for _, target := range []string{"/WebSdk/", "/WebSdk", "/WebSdk/entity/" + fx.door, q("/WebSdk/report/EntityConfiguration", "EntityTypes@Door")} {
			t.Run(c.name+" "+target, func(t *testing.T) {
				r := s.with(t).send("GET", target, "text/json", c.authz, nil)
				assert.Equal(t, c.status, r.code, r.body)
				if c.status == http.StatusUnauthorized {
					assert.True(t, strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Basic"), "WWW-Authenticate: %q", r.header.Get("WWW-Authenticate"))
				}
				if c.status != http.StatusOK {
					assert.NotContains(t, r.body, "Front Door", "nothing is read without valid credentials")
				}
			})
		}
	}
}

// An application whose licence part the licence lacks is refused with 403,
// while a licensed one goes on working.
func TestAuthenticationUnlicensedPart(t *testing.T) {
	t.Parallel()
	sf := sim.DefaultSite()
	sf.Genetec.LicenceParts = slices.DeleteFunc(slices.Clone(sf.Genetec.LicenceParts), func(p string) bool { return p == "GSC-1SDK-TRACTIONGUEST-VM" })
	require.NotEmpty(t, sf.Genetec.LicenceParts)
	s := newSiteFrom(t, sf)
	visitors := auth("admin", sim.GenetecVisitorsAppID, "pacsim")
	for _, target := range []string{"/WebSdk/", "/WebSdk/entity/LogicalID(Door,1)", q("/WebSdk/entity", "entity=NewEntity(Cardholder),FirstName=No,Guid")} {
		r := s.send("GET", target, "text/json", visitors, nil)
		assert.Equal(t, http.StatusForbidden, r.code, "%s: %s", target, r.body)
		r = s.send("GET", target, "text/json", adminAuth, nil)
		assert.Equal(t, http.StatusOK, r.code, "%s: %s", target, r.body)
	}
	// The refused create did not land; the development one did.
	assert.Len(t, s.guids("CardholderConfiguration", "FirstName=No,FirstNameSearchMode=Is"), 1)
	// A wrong password is still 401, whatever the application.
	r := s.send("GET", "/WebSdk/", "text/json", auth("admin", sim.GenetecVisitorsAppID, "bad"), nil)
	assert.Equal(t, http.StatusUnauthorized, r.code)
}

func subscribedTypes(t *testing.T, s *site) []string {
	t.Helper()
	var subs []struct {
		EventType string
		Entities  []string
	}
	s.ok("GET", "/WebSdk/events/subscribed", &subs)
	out := []string{}
	for _, sub := range subs {
		out = append(out, sub.EventType)
	}
	return out
}

// Sessions idle out after 5 minutes of the site clock; any request,
// keep-alive included, keeps them.
func TestSessionIdlesOutAfterFiveMinutes(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	s.ok("GET", q("/WebSdk/events/subscribe", "event(Door,AccessGranted)"), nil)
	require.Equal(t, []string{"AccessGranted"}, subscribedTypes(t, s))

	for range 3 { // 12 minutes, a keep-alive every 4
		s.clock.Advance(4 * time.Minute)
		s.ok("GET", "/WebSdk/", nil)
	}
	assert.Equal(t, []string{"AccessGranted"}, subscribedTypes(t, s), "a keep-alive keeps the session")

	s.clock.Advance(4*time.Minute + 59*time.Second)
	assert.Equal(t, []string{"AccessGranted"}, subscribedTypes(t, s), "not idle yet at 4:59")

	s.clock.Advance(5*time.Minute + time.Second)
	assert.Empty(t, subscribedTypes(t, s), "the session idled out: its subscriptions went with it")

	// Sessions are per user and application: the other application's
	// session is its own.
	s.ok("GET", q("/WebSdk/events/subscribe", "event(Door,AccessRefused)"), nil)
	r := s.send("GET", "/WebSdk/events/subscribed", "text/json", auth("admin", sim.GenetecVisitorsAppID, "pacsim"), nil)
	assert.Equal(t, `{"Rsp":{"Status":"Ok","Result":[]}}`, r.body)
}
