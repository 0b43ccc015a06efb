package genetec_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// legacyRsp is what a legacy XML client (XML::Simple, XmlDocument) reads.
type legacyRsp struct {
	XMLName xml.Name `xml:"rsp"`
	Status  string   `xml:"status,attr"`
	Guid    string   `xml:"Guid"`
	Name    string   `xml:"Name"`
	State   string   `xml:"State"`
	Error   *struct {
		Message string `xml:"message"`
	} `xml:"error"`
	QueryResult *struct {
		Rows []struct {
			Cells []struct {
				Name  string `xml:"name,attr"`
				Value string `xml:",chardata"`
			} `xml:"Cell"`
		} `xml:"Row"`
	} `xml:"QueryResult"`
}

// textXMLRsp is the text/xml envelope.
type textXMLRsp struct {
	XMLName xml.Name `xml:"WebSdk"`
	Rsp     struct {
		Status string `xml:"Status"`
		Result struct {
			Inner string `xml:",innerxml"`
		} `xml:"Result"`
	} `xml:"Rsp"`
}

// legacyJSONRsp is the application/jsonrequest envelope.
type legacyJSONRsp struct {
	Rsp struct {
		Status string          `json:"status"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Message string `json:"message"`
		} `json:"error"`
	} `json:"rsp"`
}

func contentType(t *testing.T, r reply, want string) {
	t.Helper()
	ct := r.header.Get("Content-Type")
	assert.True(t, strings.HasPrefix(ct, want), "Content-Type %q, want %s", ct, want)
}

func decodeLegacy(t *testing.T, r reply) legacyRsp {
	t.Helper()
	require.Equal(t, http.StatusOK, r.code, r.body)
	contentType(t, r, "application/xml")
	var l legacyRsp
	require.NoError(t, xml.Unmarshal([]byte(r.body), &l), r.body)
	return l
}

// The four serialisations, chosen by Accept, on the same requests.
func TestSerialisationByAccept(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	read := q("/WebSdk/entity", "entity="+fx.door+",Name")
	missing := q("/WebSdk/entity", "entity=0badc0de-0000-4000-8000-000000000001,Name")

	t.Run("text/json", func(t *testing.T) {
		s := s.with(t)
		r := s.send("GET", read, "text/json", adminAuth, nil)
		contentType(t, r, "text/json")
		assert.Equal(t, `{"Rsp":{"Status":"Ok","Result":{"Name":"Front Door"}}}`, r.body)
		r = s.send("GET", missing, "text/json", adminAuth, nil)
		assert.Equal(t, http.StatusOK, r.code)
		var env struct {
			Rsp struct {
				Status string
				Result struct{ SdkErrorCode, Message string }
			}
		}
		require.NoError(t, json.Unmarshal([]byte(r.body), &env), r.body)
		assert.Equal(t, "Fail", env.Rsp.Status)
		assert.Equal(t, "UnableToRetrieveEntity", env.Rsp.Result.SdkErrorCode)
		assert.NotEmpty(t, env.Rsp.Result.Message)
	})

	t.Run("text/xml", func(t *testing.T) {
		s := s.with(t)
		r := s.send("GET", read, "text/xml", adminAuth, nil)
		contentType(t, r, "text/xml")
		assert.Equal(t, `<WebSdk><Rsp><Status>Ok</Status><Result><Name>Front Door</Name></Result></Rsp></WebSdk>`, r.body)
		r = s.send("GET", "/WebSdk/", "text/xml", adminAuth, nil)
		assert.Equal(t, `<WebSdk><Rsp><Status>Ok</Status></Rsp></WebSdk>`, r.body)
		r = s.send("GET", missing, "text/xml", adminAuth, nil)
		assert.Equal(t, http.StatusOK, r.code)
		var env textXMLRsp
		require.NoError(t, xml.Unmarshal([]byte(r.body), &env), r.body)
		assert.Equal(t, "Fail", env.Rsp.Status)
		assert.Contains(t, env.Rsp.Result.Inner, "<SdkErrorCode>UnableToRetrieveEntity</SdkErrorCode>")
		assert.Contains(t, env.Rsp.Result.Inner, "<Message>")
		r = s.send("GET", q("/WebSdk/report/CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(200,2001)"), "text/xml", adminAuth, nil)
		require.NoError(t, xml.Unmarshal([]byte(r.body), &env), r.body)
		assert.Equal(t, "Ok", env.Rsp.Status)
		assert.Contains(t, env.Rsp.Result.Inner, fx.badge)
	})

	// No Accept, application/xml, and */* all get the legacy XML.
	for _, accept := range []string{"", "application/xml", "*/*"} {
		t.Run("legacy XML, Accept "+accept, func(t *testing.T) {
			s := s.with(t)
			r := s.send("GET", read, accept, adminAuth, nil)
			decodeLegacy(t, r)
			assert.Equal(t, `<rsp status="ok"><Name>Front Door</Name></rsp>`, r.body)

			r = s.send("GET", q("/WebSdk/entity", "entity="+fx.badge+",State"), accept, adminAuth, nil)
			assert.Equal(t, `<rsp status="ok"><State>Active</State></rsp>`, r.body)

			r = s.send("GET", missing, accept, adminAuth, nil)
			l := decodeLegacy(t, r)
			assert.Equal(t, "fail", l.Status)
			require.NotNil(t, l.Error, r.body)
			assert.NotEmpty(t, l.Error.Message)
			assert.True(t, strings.HasPrefix(r.body, `<rsp status="fail"><error>`), r.body)
			assert.True(t, strings.HasSuffix(r.body, `</message></error></rsp>`), r.body)

			r = s.send("GET", q("/WebSdk/report/CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(200,2001)"), accept, adminAuth, nil)
			decodeLegacy(t, r)
			assert.Equal(t, `<rsp status="ok"><QueryResult><Row><Cell name="Guid">`+fx.badge+`</Cell></Row></QueryResult></rsp>`, r.body)

			r = s.send("GET", q("/WebSdk/report/CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(200,2002)"), accept, adminAuth, nil)
			l = decodeLegacy(t, r)
			assert.Equal(t, `<rsp status="ok"><QueryResult></QueryResult></rsp>`, r.body)
			require.NotNil(t, l.QueryResult)
			assert.Empty(t, l.QueryResult.Rows)

			r = s.send("GET", q("/WebSdk/report/EntityConfiguration", "EntityTypes@Cardholdergroup,Name=Contractors"), accept, adminAuth, nil)
			l = decodeLegacy(t, r)
			require.NotNil(t, l.QueryResult)
			require.Len(t, l.QueryResult.Rows, 1)
			require.Len(t, l.QueryResult.Rows[0].Cells, 1, "exactly one Cell a row")
			assert.Equal(t, "Guid", l.QueryResult.Rows[0].Cells[0].Name)
			assert.Equal(t, fx.contractors, l.QueryResult.Rows[0].Cells[0].Value)
		})
	}

	t.Run("legacy XML create with Guid", func(t *testing.T) {
		s := s.with(t)
		r := s.send("POST", q("/WebSdk/entity", "entity=NewEntity(Cardholder),FirstName=Leg,LastName=Acy,Guid"), "", adminAuth, nil)
		l := decodeLegacy(t, r)
		require.Regexp(t, guidRe, l.Guid)
		assert.Equal(t, `<rsp status="ok"><Guid>`+l.Guid+`</Guid></rsp>`, r.body)
		assert.Equal(t, "Leg Acy", s.read(l.Guid, "Name")["Name"])
	})

	// BULAC reads a credential's holder with Cardholder.Guid and takes
	// $result->{Guid}.
	t.Run("legacy XML Cardholder.Guid", func(t *testing.T) {
		s := s.with(t)
		r := s.send("GET", "/WebSdk/entity?q=entity="+fx.badge+",Cardholder.Guid", "", adminAuth, nil)
		l := decodeLegacy(t, r)
		assert.Equal(t, "ok", l.Status, r.body)
		assert.Equal(t, fx.ada, l.Guid, r.body)
	})

	t.Run("application/jsonrequest", func(t *testing.T) {
		s := s.with(t)
		r := s.send("GET", read, "application/jsonrequest", adminAuth, nil)
		contentType(t, r, "application/jsonrequest")
		assert.True(t, strings.HasPrefix(r.body, `{"rsp":{"status":"ok"`), r.body)
		var env legacyJSONRsp
		require.NoError(t, json.Unmarshal([]byte(r.body), &env), r.body)
		assert.Equal(t, "ok", env.Rsp.Status)
		assert.Contains(t, string(env.Rsp.Result), `"Front Door"`)

		r = s.send("GET", "/WebSdk/", "application/jsonrequest", adminAuth, nil)
		assert.Equal(t, `{"rsp":{"status":"ok"}}`, r.body)

		r = s.send("GET", missing, "application/jsonrequest", adminAuth, nil)
		assert.Equal(t, http.StatusOK, r.code)
		env = legacyJSONRsp{}
		require.NoError(t, json.Unmarshal([]byte(r.body), &env), r.body)
		assert.Equal(t, "fail", env.Rsp.Status)
		require.NotNil(t, env.Rsp.Error, r.body)
		assert.NotEmpty(t, env.Rsp.Error.Message)
	})
}

// percentAll percent-encodes every byte but the unreserved ones (RFC 3986),
// a space as %20.
func percentAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// rawish writes the query as clients that build URLs by hand do: the
// query language's ( ) , : = @ / as they are, only what cannot stand in a
// URL escaped (a space as %20, < > " as a URI library does).
func rawish(s string) string {
	return strings.NewReplacer(" ", "%20", "<", "%3C", ">", "%3E", `"`, "%22").Replace(s)
}

var encodings = []struct {
	name string
	enc  func(string) string
}{
	{"raw", rawish},
	{"percent-encoded", percentAll},
	{"form-encoded", url.QueryEscape},
}

// A q= sent raw, percent-encoded or form-encoded reads the same: each
// encoding runs on a fresh site (whose new GUIDs are deterministic), so
// every answer must be the very same text.
func TestQueryEncodingsReadTheSame(t *testing.T) {
	t.Parallel()
	const undecoded = "<UndecodedWiegand><BitLength>26</BitLength><FormatType>00000000-0000-0000-0000-000000000200</FormatType><Raw>00000000000000000000000002EC01B2</Raw></UndecodedWiegand>"
	require.Len(t, "00000000000000000000000002EC01B2", 32)
	steps := []struct{ method, path, query string }{
		{"POST", "/WebSdk/entity", "entity=NewEntity(Cardholder),Name=Grace Hopper,FirstName=Grace,LastName=Hopper,EmailAddress=grace@example.com,Guid"},
		{"POST", "/WebSdk/entity", "entity=NewEntity(Visitor),FirstName=Alan,Departure=2026-01-05T17:00:00,Guid"},
		{"POST", "/WebSdk/entity", "entity=NewEntity(Credential),Name=Raw 217,Format=" + undecoded + ",Guid"},
		{"GET", "/WebSdk/report/EntityConfiguration", "EntityTypes@Cardholder@Visitor,Name=Grace Hopper,NameSearchMode=Is"},
		{"GET", "/WebSdk/report/CredentialConfiguration", "UniqueIds@WiegandStandardCredentialFormat(118,217)"},
		{"GET", "/WebSdk/report/CredentialConfiguration", "UniqueIds@" + undecoded},
		{"GET", "/WebSdk/report/EntityConfiguration", "EntityTypes@Credential,Name=Raw 217"},
		{"GET", "/WebSdk/entity", "entity=LogicalID(Cardholder,2),Name,EmailAddress,entity=LogicalID(Visitor,1),Departure"},
		{"GET", "/WebSdk/report/AuditTrail", "TimeRange.SetTimeRange(2026-01-05T00:00:00,2026-01-06T00:00:00),SortOrder=Ascending"},
	}
	var answers [][]string
	var credential string
	for _, e := range encodings {
		t.Run(e.name, func(t *testing.T) {
			s := newSite(t)
			var got []string
			for _, st := range steps {
				target := st.path + "?q=" + e.enc(st.query)
				r := s.send(st.method, target, "text/json", adminAuth, nil)
				require.Equal(t, http.StatusOK, r.code)
				assert.Contains(t, r.body, `"Status":"Ok"`, "%s: %s", target, r.body)
				got = append(got, r.body)
			}
			// The raw card decodes to facility 118, card 217, as in Genetec's capture.
			var env struct {
				Rsp struct{ Result struct{ Guid string } }
			}
			require.NoError(t, json.Unmarshal([]byte(got[2]), &env))
			credential = env.Rsp.Result.Guid
			require.Regexp(t, guidRe, credential)
			var cred struct {
				Format struct {
					Facility, CardId int
					FormatId         string
				}
			}
			s.ok("GET", "/WebSdk/entity/"+credential, &cred)
			assert.Equal(t, 118, cred.Format.Facility)
			assert.Equal(t, 217, cred.Format.CardId)
			assert.Equal(t, "00000000-0000-0000-0000-000000000200", cred.Format.FormatId)
			p := s.present(frontEntry, "118:217")
			assert.Equal(t, credential, p.Credential, "the world reads the raw card as 118:217")
			assert.Equal(t, "UnassignedCredential", p.Detail)
			answers = append(answers, got)
		})
	}
	require.Len(t, answers, len(encodings))
	for i, st := range steps {
		for j := 1; j < len(answers); j++ {
			assert.Equal(t, answers[0][i], answers[j][i], "%s %s: %s and %s answer differently", st.method, st.query, encodings[0].name, encodings[j].name)
		}
	}
	assert.Contains(t, answers[0][4], credential, "UniqueIds@WiegandStandardCredentialFormat(118,217) finds the raw card")
	assert.Contains(t, answers[0][5], credential, "UniqueIds@<UndecodedWiegand> finds it too")
	assert.Contains(t, answers[0][6], credential, "a name with a space")
	assert.Contains(t, answers[0][7], "grace@example.com")
}

// The same in legacy XML, the way BULAC sends it: POST with no body and
// the raw inline XML.
func TestLegacyClientFlow(t *testing.T) {
	t.Parallel()
	s := newSite(t)
	fx := s.fixture()
	post := func(query string) legacyRsp {
		t.Helper()
		r := s.send("POST", "/WebSdk/entity?q="+rawish(query), "", adminAuth, strings.NewReader(""))
		l := decodeLegacy(t, r)
		require.Equal(t, "ok", l.Status, r.body)
		return l
	}
	get := func(target string) legacyRsp {
		t.Helper()
		r := s.send("GET", rawish(target), "", adminAuth, nil)
		l := decodeLegacy(t, r)
		require.Equal(t, "ok", l.Status, r.body)
		return l
	}
	ch := post("entity=NewEntity(Cardholder),FirstName=Jean,LastName=Dupont,Name=Jean Dupont,Guid").Guid
	require.Regexp(t, guidRe, ch)
	post("entity=" + ch + ",InsertIntoPartition(00000000-0000-0000-0000-00000000000b)")
	cred := post("entity=NewEntity(Credential),Name=217,CardholderGuid=" + ch + ",Format=<UndecodedWiegand><BitLength>26</BitLength><FormatType>00000000-0000-0000-0000-000000000200</FormatType><Raw>00000000000000000000000002EC01B2</Raw></UndecodedWiegand>,Guid").Guid
	require.Regexp(t, guidRe, cred)
	post("entity=" + ch + ",State=Active,ActivationMode=SpecificActivationPeriod(2026-01-01T0:00:00,2026-12-31T23:59:59)")
	post("entity=" + cred + ",State=Active,ActivationMode=SpecificActivationPeriod(2026-01-01T0:00:00,2026-12-31T23:59:59)")
	group := get("/WebSdk/report/EntityConfiguration?q=EntityTypes@Cardholdergroup,Name=Contractors")
	require.NotNil(t, group.QueryResult)
	require.Len(t, group.QueryResult.Rows, 1)
	g := group.QueryResult.Rows[0].Cells[0].Value
	assert.Equal(t, fx.contractors, g)
	post("entity=" + ch + ",Groups-" + g)
	post("entity=" + ch + ",Groups@" + g)

	assert.Equal(t, "Active", get("/WebSdk/entity?q=entity="+ch+",State").State)
	assert.Equal(t, "217", get("/WebSdk/entity?q=entity="+cred+",Name").Name)
	found := get("/WebSdk/report/EntityConfiguration?q=EntityTypes@Credential,Name=217")
	require.NotNil(t, found.QueryResult)
	require.Len(t, found.QueryResult.Rows, 1)
	assert.Equal(t, cred, found.QueryResult.Rows[0].Cells[0].Value)
	p := s.present(frontEntry, "118:217")
	assert.True(t, p.Granted, "%s %s", p.Reason, p.Detail)
	assert.Equal(t, ch, p.Holder)
}
