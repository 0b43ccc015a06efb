package genetec_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fingerprint is everything a client can see of the database: every
// entity a client can create, each one whole, and the audit trail. A
// refused request must leave it as it was.
func (s *site) fingerprint() string {
	s.t.Helper()
	var b strings.Builder
	all := s.guids("EntityConfiguration", "EntityTypes@Cardholder@Visitor@Credential@CardholderGroup@AccessRule@Partition")
	for _, g := range all {
		b.Write(s.okRaw("GET", "/WebSdk/entity/"+g, nil))
		b.WriteByte('\n')
	}
	b.Write(s.okRaw("GET", q("/WebSdk/report/AuditTrail", "TimeRange.SetTimeRange(2000-01-01T00:00:00,2100-01-01T00:00:00)"), nil))
	return b.String()
}

// Every bad request answers Fail naming what was wrong, and changes
// nothing.
func TestBadInputFailsAndChangesNothing(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	other := s.create("entity=NewEntity(Cardholder),FirstName=Other,LastName=Holder")
	visitor := s.create("entity=NewEntity(Visitor),FirstName=Vis,LastName=Itor,Departure=2026-01-05T17:00:00")
	ada := "entity=" + fx.ada
	const xmlHead = "<UndecodedWiegand><BitLength>26</BitLength><FormatType>00000000-0000-0000-0000-000000000200</FormatType>"

	cases := []struct {
		name   string
		method string
		target string
		codes  []string
		names  []string
	}{
		// Queries that do not parse: the message names the token.
		{"unclosed (", "POST", q("/WebSdk/entity", ada+",FirstName=Bob,Checkout("), invalidOp, []string{"'('"}},
		{"stray )", "POST", q("/WebSdk/entity", ada+"),FirstName=Bob"), invalidOp, []string{"')'"}},
		{"#", "POST", q("/WebSdk/entity", ada+",FirstName=Bob,#Name"), invalidOp, []string{"'#'"}},
		{"unterminated XML", "POST", q("/WebSdk/entity", ada+",FirstName=Bob,entity=NewEntity(Credential),Format=<UndecodedWiegand><BitLength>26"), invalidOp, []string{"<UndecodedWiegand>"}},
		{"empty member", "POST", q("/WebSdk/entity", ada+",,FirstName=Bob"), invalidOp, nil},
		{"bad percent-encoding", "POST", "/WebSdk/entity?q=" + ada + ",FirstName=B%ZZob", invalidOp, nil},
		{"no q=", "GET", "/WebSdk/entity", invalidOp, []string{"q="}},

		// Unknown members.
		{"unknown property set", "POST", q("/WebSdk/entity", ada+",FirstName=Bob,Shoesize=42"), invalidOp, []string{"Shoesize"}},
		{"unknown property read", "GET", q("/WebSdk/entity", ada+",Shoesize"), invalidOp, []string{"Shoesize"}},
		{"unknown method", "POST", q("/WebSdk/entity", ada+",FirstName=Bob,Explode()"), invalidOp, []string{"Explode"}},
		{"unknown collection", "POST", q("/WebSdk/entity", ada+",FirstName=Bob,Hats@"+fx.contractors), invalidOp, []string{"Hats"}},

		// Unknown entity types.
		{"NewEntity(Spaceship)", "POST", q("/WebSdk/entity", "entity=NewEntity(Spaceship),Name=Enterprise,Guid"), invalidOp, []string{"Spaceship"}},
		{"NewEntity(Door)", "POST", q("/WebSdk/entity", "entity=NewEntity(Door),Name=Portal,Guid"), invalidOp, []string{"Door"}},
		{"EntityTypes@Spaceship", "GET", q("/WebSdk/report/EntityConfiguration", "EntityTypes@Cardholder@Spaceship"), badValue, []string{"Spaceship"}},
		{"LogicalID(Spaceship,1)", "GET", q("/WebSdk/entity", "entity=LogicalID(Spaceship,1),Name"), badValue, []string{"Spaceship"}},

		// GUIDs that are not.
		{"entity=not-a-guid", "POST", q("/WebSdk/entity", "entity=not-a-guid,FirstName=Bob"), badValue, []string{"not-a-guid"}},
		{"GUID one digit short", "GET", "/WebSdk/entity/" + fx.ada[:35], badValue, []string{fx.ada[:35]}},
		{"GET /entity/not-a-guid", "GET", "/WebSdk/entity/not-a-guid", badValue, []string{"not-a-guid"}},
		{"DELETE /entity/not-a-guid", "DELETE", "/WebSdk/entity/not-a-guid", badValue, []string{"not-a-guid"}},
		{"Groups@12345", "POST", q("/WebSdk/entity", ada+",FirstName=Bob,Groups@12345"), badValue, []string{"12345"}},
		{"Credentials@zz", "POST", q("/WebSdk/entity", ada+",FirstName=Bob,Credentials@zz"), badValue, []string{"zz"}},
		{"CardholderGroupIds@nope", "GET", q("/WebSdk/report/CardholderConfiguration", "CardholderGroupIds@nope"), badValue, []string{"nope"}},
		{"Groups@ a cardholder", "POST", q("/WebSdk/entity", "entity="+other+",Groups@"+fx.ada), badValue, []string{fx.ada}},

		// Card numbers.
		{"facility 256", "POST", q("/WebSdk/entity", "entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(256,1),Guid"), badValue, []string{"256"}},
		{"card 65536", "POST", q("/WebSdk/entity", "entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(1,65536),Guid"), badValue, []string{"65536"}},
		{"card with a letter", "POST", q("/WebSdk/entity", "entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(200,20A1),Guid"), badValue, []string{"20A1"}},
		{"raw over 32 hex digits", "POST", q("/WebSdk/entity", "entity=NewEntity(Credential),Format="+xmlHead+"<Raw>000000000000000000000000002EC01B2</Raw></UndecodedWiegand>,Guid"), badValue, nil},
		{"raw not hex", "POST", q("/WebSdk/entity", "entity=NewEntity(Credential),Format="+xmlHead+"<Raw>XYZ</Raw></UndecodedWiegand>,Guid"), badValue, []string{"XYZ"}},
		{"credential without format", "POST", q("/WebSdk/entity", "entity=NewEntity(Credential),Name=Empty,Guid"), invalidOp, []string{"Format"}},
		{"duplicate of Ada's card", "POST", q("/WebSdk/entity", "entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(200,2001),Guid"), invalidOp, []string{fx.badge}},
		{"same card twice in one query", "POST", q("/WebSdk/entity", "entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(150,10),entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(150,10)"), invalidOp, []string{"same card"}},
		{"format change onto Ada's card", "POST", q("/WebSdk/entity", "entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(150,11),Format=WiegandStandardCredentialFormat(200,2001)"), invalidOp, []string{"same card"}},

		// Members on the wrong entity.
		{"Checkout() on a Cardholder", "POST", q("/WebSdk/entity", ada+",Checkout()"), invalidOp, []string{"Checkout"}},
		{"Arrival on a Cardholder", "POST", q("/WebSdk/entity", ada+",Arrival=2026-01-05T09:00:00"), invalidOp, []string{"Arrival"}},
		{"ActivationDate on a Visitor", "POST", q("/WebSdk/entity", "entity="+visitor+",ActivationDate=2026-01-05T09:00:00"), invalidOp, []string{"The property ActivationDate has no setter"}},
		{"ExpirationDate on a Visitor", "POST", q("/WebSdk/entity", "entity="+visitor+",ExpirationDate=2026-01-06T09:00:00"), invalidOp, []string{"The property ExpirationDate has no setter"}},

		// Values.
		{"Departure=tomorrow", "POST", q("/WebSdk/entity", "entity="+visitor+",Departure=tomorrow"), badValue, []string{"tomorrow"}},
		{"cardholder State=Sideways", "POST", q("/WebSdk/entity", ada+",State=Sideways"), badValue, []string{"Sideways"}},
		{"period ends before it starts", "POST", q("/WebSdk/entity", ada+",ActivationMode=SpecificActivationPeriod(2026-12-31T0:00:00,2026-01-01T0:00:00)"), badValue, []string{"2026-12-31T0:00:00"}},
		{"NameSearchMode=Sideways", "GET", q("/WebSdk/report/EntityConfiguration", "EntityTypes@Cardholder,Name=A,NameSearchMode=Sideways"), badValue, []string{"Sideways"}},
		{"PageSize=many", "GET", q("/WebSdk/report/EntityConfiguration", "EntityTypes@Cardholder,Page=1,PageSize=many"), badValue, []string{"many"}},
		{"DoorActivity Page=1", "GET", q("/WebSdk/report/DoorActivity", "Doors@"+fx.door+",Page=1"), invalidOp, []string{"Could not find property 'Page' from filter: 'Page=1'"}},

		// One card, one holder.
		{"Credentials@ Ada's badge", "POST", q("/WebSdk/entity", "entity="+other+",Credentials@"+fx.badge), invalidOp, []string{fx.badge}},
		{"CardholderGuid= on Ada's badge", "POST", q("/WebSdk/entity", "entity="+fx.badge+",CardholderGuid="+other), invalidOp, []string{fx.badge}},

		// The last term fails: nothing of the first ones lands.
		{"create then a bad term", "POST", q("/WebSdk/entity", "entity=NewEntity(Cardholder),FirstName=Ghost,LastName=Term,Groups@"+fx.contractors+",entity="+fx.ada+",FirstName=Changed,Credentials-"+fx.badge+",Shoesize=1"), invalidOp, []string{"Shoesize"}},
		{"checkout then a bad term", "POST", q("/WebSdk/entity", "entity="+visitor+",Status.Activate(),Checkout(),entity="+other+",Explode()"), invalidOp, []string{"Explode"}},
		{"delete-like changes then a missing entity", "POST", q("/WebSdk/entity", ada+",Groups-"+fx.contractors+",Credentials*,entity=0badc0de-0000-4000-8000-000000000001,Name"), notRetrieved, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := s.with(t)
			before := s.fingerprint()
			s.mustFail(c.method, c.target, c.codes, c.names...)
			assert.Equal(t, before, s.fingerprint(), "a refused request changes nothing")
		})
	}

	// What a client would check afterwards.
	assert.Empty(t, s.guids("CardholderConfiguration", "FirstName=Ghost"), "the created cardholder did not land")
	assert.Equal(t, "Ada", s.read(fx.ada, "FirstName")["FirstName"])
	assert.Equal(t, []string{fx.badge}, strList(s.read(fx.ada, "Credentials")["Credentials"]))
	assert.Equal(t, []string{fx.contractors}, strList(s.read(fx.ada, "Groups")["Groups"]))
	assert.Equal(t, fx.ada, s.read(fx.badge, "CardholderGuid")["CardholderGuid"])
	assert.Equal(t, []string{fx.badge}, s.guids("CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(200,2001)"))
	assert.Empty(t, s.guids("CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(150,10)"))
	assert.Empty(t, s.guids("Visitor", "VisitorStates@Archived"))
	assert.True(t, s.present(frontEntry, "200:2001").Granted)
}

// The 1 MiB body limit: a 2 MiB body is refused before the query runs.
func TestBodyOverOneMiB(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	before := s.fingerprint()
	for _, accept := range []string{"text/json", ""} {
		req := httptest.NewRequest("POST", q("/WebSdk/entity", "entity="+fx.ada+",FirstName=Big"), bytes.NewReader(make([]byte, 2<<20)))
		req.Header.Set("Authorization", adminAuth)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		rec := httptest.NewRecorder()
		s.gs.Handler().ServeHTTP(rec, req)
		body := rec.Body.String()
		noInternalError(t, body)
		require.Equal(t, http.StatusOK, rec.Code, body)
		if accept == "" {
			assert.True(t, strings.HasPrefix(body, `<rsp status="fail"><error>`), body)
			continue
		}
		var env struct {
			Rsp struct {
				Status string
				Result struct{ SdkErrorCode, Message string }
			}
		}
		require.NoError(t, json.Unmarshal([]byte(body), &env), body)
		assert.Equal(t, "Fail", env.Rsp.Status)
		assert.Contains(t, env.Rsp.Result.Message, "body")
	}
	assert.Equal(t, before, s.fingerprint())
	assert.Equal(t, "Ada", s.read(fx.ada, "FirstName")["FirstName"])

	// A small body (a form nobody reads) is fine.
	r := s.send("POST", q("/WebSdk/entity", "entity="+fx.ada+",FirstName=Small"), "text/json", adminAuth, strings.NewReader("a=b"))
	assert.Equal(t, `{"Rsp":{"Status":"Ok"}}`, r.body)
	assert.Equal(t, "Small", s.read(fx.ada, "FirstName")["FirstName"])
}

// A path the Web SDK does not have is 400 with an HTML body, credentials
// or not.
func TestUnknownPathIsHTML400(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	cases := []struct{ method, target string }{
		{"GET", "/WebSdk/nope"},
		{"GET", "/WebSdk/entity/" + fx.ada + "/extra"},
		{"GET", "/WebSdk/entity/basic/" + fx.ada + "/extra"},
		{"GET", "/WebSdk/report"},
		{"GET", "/WebSdk/licenseItemUsage/NoSuchItem"},
		{"PUT", "/WebSdk/entity?q=entity=" + fx.ada + ",FirstName=Put"},
		{"PATCH", "/WebSdk/"},
		{"GET", "/WebSdkX/"},
		{"GET", "/"},
	}
	for _, c := range cases {
		for _, authz := range []string{adminAuth, ""} {
			t.Run(c.method+" "+c.target, func(t *testing.T) {
				r := s.with(t).send(c.method, c.target, "text/json", authz, nil)
				assert.Equal(t, http.StatusBadRequest, r.code, r.body)
				assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "text/html"), r.header.Get("Content-Type"))
				assert.Contains(t, r.body, "<html")
			})
		}
	}
	assert.Equal(t, "Ada", s.read(fx.ada, "FirstName")["FirstName"], "the PUT changed nothing")
}

// Report names compare ignoring case; an unknown one is a Fail naming it.
func TestUnknownReport(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	msg := s.mustFail("GET", q("/WebSdk/report/Nonsense", "Name=A"), invalidOp)
	assert.Contains(t, strings.ToLower(msg), "nonsense")
	assert.NotEmpty(t, s.guids("entityconfiguration", "EntityTypes@Door"))
	assert.NotEmpty(t, s.guids("ENTITYCONFIGURATION", "EntityTypes@Door"))
}
