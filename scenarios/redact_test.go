package scenarios

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	dep "github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/simtest"
)

// The secrets of the simulator-based redaction test: distinctive, so that
// finding one in the serialised recording can only be a leak.
const (
	redactOperator    = "opsmaster"
	redactOpPassword  = "Tr0ub4dor-Secret"
	redactGUser       = "secadmin"
	redactGPassword   = "Corr3ct-Horse-Battery"
	redactCardUser    = "Margaret Hamilton"
	redactCardEmail   = "margaret.hamilton@example.org"
	redactCardNumber  = "100:4242"
	redactCardPIN     = "24680"
	redactVisitor     = "Grace Hopper"
	redactVisitorMail = "grace.hopper@example.com"
	redactCredential  = "150:7"
)

// redactSite starts a simulated site whose operator and Web SDK user have
// the test's names and passwords.
func redactSite(t *testing.T) *simtest.Site {
	sf := sim.DefaultSite()
	require.NotEmpty(t, sf.EntraPass.Operators)
	sf.EntraPass.Operators[0].Name = redactOperator
	sf.EntraPass.Operators[0].Password = redactOpPassword
	require.NotEmpty(t, sf.Genetec.Users)
	sf.Genetec.Users[0].Name = redactGUser
	sf.Genetec.Users[0].Password = redactGPassword
	return simtest.Start(t, simtest.WithSite(sf))
}

// redactCall sends one request and returns it with its answer as an
// Exchange, as the recorder would have recorded it.
func redactCall(t *testing.T, c *http.Client, method, rawURL string, header map[string]string, body string) Exchange {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	req, err := http.NewRequest(method, rawURL, strings.NewReader(body))
	require.NoError(t, err)
	e := Exchange{Request: Request{Method: method, Path: u.Path, Query: u.RawQuery}}
	if len(header) > 0 {
		e.Request.Header = map[string][]string{}
	}
	for k, v := range header {
		req.Header.Set(k, v)
		e.Request.Header[k] = []string{v}
	}
	SetBody([]byte(body), &e.Request.Body, &e.Request.Body64)
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	e.Response.Status = resp.StatusCode
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		e.Response.Header = map[string][]string{"Content-Type": {ct}}
	}
	SetBody(b, &e.Response.Body, &e.Response.Body64)
	return e
}

var redactSessionKeyRE = regexp.MustCompile(`<SessionKey>([^<]+)</SessionKey>`)

// redactEntraPass records a SmartService session: a plain and an encrypted
// login, a card user created, read and listed, a card presented and the
// events polled, the door list and the door's last accesses.
func redactEntraPass(t *testing.T, s *simtest.Site) (exs []Exchange, key string) {
	c := s.HTTPClient()
	base := s.EntraPassURL()
	login := redactCall(t, c, "GET", base+"Login?"+url.Values{"userName": {redactOperator}, "password": {redactOpPassword}}.Encode(), nil, "")
	m := redactSessionKeyRE.FindStringSubmatch(login.Response.Body)
	require.NotNil(t, m, login.Response.Body)
	key = m[1]
	exs = append(exs, login)

	pw := redactOpPassword
	enc := url.Values{
		"userName":         {dep.Encrypt(redactOperator, pw)},
		"password":         {dep.Encrypt(pw, pw)},
		"encrypted":        {"1"},
		"ConnectedProgram": {dep.Encrypt("56,6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b", pw)},
	}
	encLogin := redactCall(t, c, "GET", base+"Login?"+enc.Encode(), nil, "")
	require.Contains(t, encLogin.Response.Body, "<SessionKey>")
	exs = append(exs, encLogin)

	sd := "?sdKey=" + url.QueryEscape(key)
	card := "<Card><UserName>" + redactCardUser + "</UserName><Email>" + redactCardEmail + "</Email>" +
		"<CardNumber1>" + redactCardNumber + "</CardNumber1><Nip>" + redactCardPIN + "</Nip>" +
		"<CardAccessLevels><CardAccessLevel><GatewaySiteID>2</GatewaySiteID><AccessLevelID>101</AccessLevelID>" +
		"</CardAccessLevel></CardAccessLevels><State>Added</State></Card>"
	created := redactCall(t, c, "POST", base+"Cards/0"+sd, map[string]string{"Content-Type": "application/xml"}, card)
	id := regexp.MustCompile(`<int>(\d+)</int>`).FindStringSubmatch(created.Response.Body)
	require.NotNil(t, id, created.Response.Body)
	exs = append(exs, created)
	exs = append(exs, redactCall(t, c, "GET", base+"Cards/"+id[1]+sd, nil, ""))
	exs = append(exs, redactCall(t, c, "GET", base+"Cards"+sd+"&extendedFields=EMAIL,CARDNUMBER1", nil, ""))
	exs = append(exs, redactCall(t, c, "GET", base+"Cards"+sd+"&listIndex=USERNAME&filter=Margaret", nil, ""))

	d, err := s.Present(30, redactCardNumber, "") // Front Door entry
	require.NoError(t, err)
	require.True(t, d.Granted, "%+v", d)
	_, err = s.Present(30, "100:1001", "")
	require.NoError(t, err)
	events := redactCall(t, c, "GET", base+"Events"+sd, nil, "")
	require.Contains(t, events.Response.Body, redactCardNumber)
	require.Contains(t, events.Response.Body, "Alice Martin")
	exs = append(exs, events)
	exs = append(exs, redactCall(t, c, "GET", base+"LastDoorAccess"+sd+"&id=20", nil, ""))
	doors := redactCall(t, c, "GET", base+"Doors"+sd, nil, "")
	require.Contains(t, doors.Response.Body, "Front Door")
	exs = append(exs, doors)
	exs = append(exs, redactCall(t, c, "GET", base+"Logout"+sd, nil, ""))
	return exs, key
}

// redactGenetec records a Web SDK session: a visitor "Grace Hopper" with
// credential 150:7 created and read in every serialisation, a report, and
// the event stream of the card presented.
func redactGenetec(t *testing.T, s *simtest.Site) []Exchange {
	c := s.HTTPClient()
	base := strings.TrimSuffix(s.GenetecURL(), "/")
	user, app, pw := s.GenetecUser()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+";"+app+":"+pw))
	js := map[string]string{"Authorization": basic, "Accept": "text/json"}
	legacy := map[string]string{"Authorization": basic}
	q := func(path, query string) string { return base + path + "?q=" + url.QueryEscape(query) }
	guidOf := func(e Exchange) string {
		var env struct {
			Rsp struct{ Result struct{ Guid string } }
		}
		require.NoError(t, json.Unmarshal([]byte(e.Response.Body), &env), e.Response.Body)
		require.NotEmpty(t, env.Rsp.Result.Guid, e.Response.Body)
		return env.Rsp.Result.Guid
	}
	var exs []Exchange
	first, last, _ := strings.Cut(redactVisitor, " ")
	v := redactCall(t, c, "POST", q("/entity", "entity=NewEntity(Visitor),FirstName="+first+",LastName="+last+
		",EmailAddress="+redactVisitorMail+",Guid"), js, "")
	vg := guidOf(v)
	cr := redactCall(t, c, "POST", q("/entity", "entity=NewEntity(Credential),Name=Badge 7,Format=WiegandStandardCredentialFormat(150,7),Guid"), js, "")
	cg := guidOf(cr)
	exs = append(exs, v, cr)
	exs = append(exs, redactCall(t, c, "POST", q("/entity", "entity="+vg+",Credentials@"+cg+",Status.Activate()"), js, ""))
	var groups struct {
		Rsp struct{ Result []struct{ Guid string } }
	}
	gr := redactCall(t, c, "GET", q("/report/EntityConfiguration", "EntityTypes@CardholderGroup,Name=Visitors - Office,NameSearchMode=Is"), js, "")
	require.NoError(t, json.Unmarshal([]byte(gr.Response.Body), &groups))
	require.Len(t, groups.Rsp.Result, 1)
	exs = append(exs, gr, redactCall(t, c, "POST", q("/entity", "entity="+groups.Rsp.Result[0].Guid+",AddCardholderIntoGroup("+vg+")"), js, ""))

	full := redactCall(t, c, "GET", base+"/entity/"+vg, js, "")
	require.Contains(t, full.Response.Body, redactVisitor)
	cred := redactCall(t, c, "GET", base+"/entity/"+cg, js, "")
	require.Contains(t, cred.Response.Body, `"Facility":150`)
	xmlRead := redactCall(t, c, "GET", q("/entity", "entity="+vg+",Name,FirstName"), map[string]string{"Authorization": basic, "Accept": "text/xml"}, "")
	require.Contains(t, xmlRead.Response.Body, redactVisitor)
	legacyRead := redactCall(t, c, "GET", q("/entity", "entity="+vg+",Name"), legacy, "")
	require.Contains(t, legacyRead.Response.Body, redactVisitor)
	report := redactCall(t, c, "GET", q("/report/Visitor", "FirstName="+first), js, "")
	require.Contains(t, report.Response.Body, last)
	exs = append(exs, full, cred, xmlRead, legacyRead, report)
	exs = append(exs, redactStream(t, c, base, js, s))
	return exs
}

// redactStream opens the event stream, subscribes to access events,
// presents the visitor's card and an unknown one, and returns the stream
// as an exchange whose chunks are cut every 7 bytes, so that events
// straddle chunks.
func redactStream(t *testing.T, c *http.Client, base string, h map[string]string, s *simtest.Site) Exchange {
	req, err := http.NewRequest("GET", base+"/events", nil)
	require.NoError(t, err)
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data := make(chan []byte, 64)
	go func() {
		defer close(data)
		buf := make([]byte, 4096)
		for {
			n, err := resp.Body.Read(buf)
			if n > 0 {
				data <- append([]byte(nil), buf[:n]...)
			}
			if err != nil {
				return
			}
		}
	}()
	var got []byte
	wait := func(what string, n int) {
		deadline := time.After(10 * time.Second)
		for bytes.Count(got, []byte(what)) < n {
			select {
			case b, ok := <-data:
				require.True(t, ok, "the stream ended")
				got = append(got, b...)
			case <-deadline:
				require.FailNow(t, "no "+what+" on the stream", "%s", got)
			}
		}
	}
	wait("ConnectionId:", 1)
	sub := redactCall(t, c, "GET", base+"/events/subscribe?q="+url.QueryEscape("event(Door,AccessGranted),event(Door,AccessRefused)"), h, "")
	require.Equal(t, 200, sub.Response.Status)
	_, err = s.Present(30, redactCredential, "")
	require.NoError(t, err)
	_, err = s.Present(30, "151:77", "")
	require.NoError(t, err)
	wait("--GENETECBOUNDARY", 2)
	wait("}}\r\n", 2)
	require.Contains(t, string(got), `"Card":"151:77"`)

	e := Exchange{Request: Request{Method: "GET", Path: req.URL.Path, Header: map[string][]string{}}}
	for k, v := range h {
		e.Request.Header[k] = []string{v}
	}
	e.Response.Status = resp.StatusCode
	for i := 0; i < len(got); i += 7 {
		var ch Chunk
		SetBody(got[i:min(i+7, len(got))], &ch.Data, &ch.Data64)
		ch.OffsetMS = int64(i)
		e.Response.Chunks = append(e.Response.Chunks, ch)
	}
	return e
}

// TestRedactSimulatorRecording is SPEC §9's redaction on real answers of
// the simulator: no secret survives anywhere in the serialised recording,
// component names do, the pseudonymous session key of the Login answer is
// the one later requests send, and every body stays well-formed.
func TestRedactSimulatorRecording(t *testing.T) {
	t.Parallel()
	s := redactSite(t)
	epExs, key := redactEntraPass(t, s)
	gExs := redactGenetec(t, s)
	user, app, _ := s.GenetecUser()
	basic := base64.StdEncoding.EncodeToString([]byte(user + ";" + app + ":" + redactGPassword))

	for _, tc := range []struct {
		system string
		exs    []Exchange
		want   []string // must survive
	}{
		{SystemEntraPass, epExs, []string{"Front Door", "Office Door", "Server Room", "Access granted"}},
		{SystemGenetec, gExs, []string{app, "Visitors - Office", "AccessGranted", "Badge 7"}},
	} {
		t.Run(tc.system, func(t *testing.T) {
			// A fixed key: with a random one, a pseudonym may by chance be
			// one of the secret words looked for ("Margaret" is a common
			// fake first name too).
			r := NewRedactor(tc.system, []byte("redact-test-key"))
			var buf bytes.Buffer
			w, err := NewWriter(&buf, Header{System: tc.system, Redacted: true})
			require.NoError(t, err)
			for i := range tc.exs {
				tc.exs[i].Seq = i + 1
				r.Exchange(&tc.exs[i])
				require.NoError(t, w.Write(&tc.exs[i]))
			}
			require.NoError(t, w.Close())
			text := buf.String()
			// The file is JSON: look for the secrets in its decoded
			// strings, where an escape cannot hide them.
			all := text + "\n" + redactDecoded(t, &buf)

			for _, secret := range []string{
				redactOperator, redactOpPassword, redactGUser, redactGPassword, basic, key,
				url.QueryEscape(key), dep.Encrypt(redactOpPassword, redactOpPassword),
				redactCardUser, "Margaret", "Hamilton", redactCardEmail, redactCardNumber, redactCardPIN,
				"Alice Martin", "100:1001",
				redactVisitor, "Hopper", redactVisitorMail, redactCredential, "151:77",
				"WiegandStandardCredentialFormat(150,7)",
			} {
				assert.NotContains(t, all, secret, "a secret survived redaction")
			}
			for _, keep := range tc.want {
				assert.Contains(t, all, keep, "a component name or a non-secret was redacted")
			}

			rec, err := Read(strings.NewReader(text))
			require.NoError(t, err, "the redacted recording reads")
			for i, e := range rec.Exchanges {
				for _, b := range redactBodies(t, &e) {
					if tb := bytes.TrimSpace(b); len(tb) > 0 && (tb[0] == '<' || tb[0] == '{') {
						_, isXML := parseXML(b)
						_, isJSON := parseJSON(b)
						assert.True(t, isXML || isJSON, "exchange %d: a body is no longer well-formed: %s", i+1, b)
					}
				}
			}
		})
	}

	t.Run("session key", func(t *testing.T) {
		r := NewRedactor(SystemEntraPass, nil)
		var keys []string
		for i := range epExs {
			e := epExs[i]
			r.Exchange(&e)
			if m := redactSessionKeyRE.FindStringSubmatch(e.Response.Body); m != nil && len(keys) == 0 {
				keys = append(keys, m[1])
			}
			if q, err := url.ParseQuery(e.Request.Query); err == nil && q.Get("sdKey") != "" {
				keys = append(keys, q.Get("sdKey"))
			}
		}
		require.Greater(t, len(keys), 3)
		assert.NotEqual(t, key, keys[0])
		assert.Regexp(t, `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`, keys[0], "a GUID stays a GUID")
		for _, k := range keys[1:] {
			assert.Equal(t, keys[0], k, "every sdKey= is the Login answer's pseudonym")
		}
	})
}

// redactDecoded returns every string of a JSON Lines recording, decoded,
// and the base64 bodies decoded too.
func redactDecoded(t *testing.T, r io.Reader) string {
	rec, err := Read(r)
	require.NoError(t, err)
	var b strings.Builder
	for _, e := range rec.Exchanges {
		b.WriteString(e.Request.Query + "\n")
		if q, err := url.QueryUnescape(e.Request.Query); err == nil {
			b.WriteString(q + "\n")
		}
		for _, vs := range e.Request.Header {
			for _, v := range vs {
				b.WriteString(v + "\n")
				if _, cred, ok := strings.Cut(v, " "); ok {
					if d, err := base64.StdEncoding.DecodeString(cred); err == nil {
						b.Write(d)
						b.WriteByte('\n')
					}
				}
			}
		}
		for _, body := range redactBodies(t, &e) {
			b.Write(body)
			b.WriteByte('\n')
		}
		b.WriteString(e.Error + "\n")
	}
	return b.String()
}

func redactBodies(t *testing.T, e *Exchange) [][]byte {
	rq, err := e.Request.Bytes()
	require.NoError(t, err)
	rs, err := e.Response.Bytes()
	require.NoError(t, err)
	return [][]byte{rq, rs}
}

func TestRedactPseudonym(t *testing.T) {
	r := NewRedactor(SystemEntraPass, []byte("k"))
	for _, tc := range []struct {
		kind, value string
		shape       string // a regexp the pseudonym matches
	}{
		{PseudoName, "Grace Hopper", `^[A-Z][a-z'A-Z]+ [A-Z][a-z'A-Z ]+$`},
		{PseudoName, "Hopper, Grace", `^[A-Z][a-z'A-Z ]+, [A-Z][a-zA-Z']+$`},
		{PseudoName, "pacsim", `^[A-Z][a-zA-Z']+$`},
		{PseudoFirstName, "Grace", `^[A-Z][a-zA-Z']+$`},
		{PseudoEmail, "grace.hopper@navy.mil", `^[a-z]+\.[a-z]+@example\.com$`},
		{PseudoCard, "100:1001", `^\d{1,3}:\d{1,5}$`},
		{PseudoCard, "100[COLON]1001", `^[a-zA-Z0-9]{3}\[[A-Z]{5}\][0-9]{4}$`},
		{PseudoCard, "1234567890", `^\d+$`},
		{PseudoCard, "04F3A9C2", `^[0-9A-F]{8}$`},
		{PseudoFacility, "150", `^\d{1,3}$`},
		{PseudoCardNumber, "0001001", `^\d{7}$`},
		{PseudoPIN, "00042", `^\d{5}$`},
		{PseudoPassword, "pacsim", `^redacted-[0-9a-f]{8}$`},
		{PseudoSessionKey, "e8847343-4c48-4b1e-9f3a-0c1d2e3f4a5b", `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`},
		{PseudoSessionKey, "{E8847343-4C48-4B1E-9F3A-0C1D2E3F4A5B}", `^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$`},
		{PseudoToken, "kD8+v/QzWq1lE2rTx9a0Pw==", `^[a-zA-Z]{2}\d\+[a-z]/[A-Z][a-z][A-Z][a-z]\d[a-z][A-Z]\d[a-z][A-Z][a-z]\d[a-z]\d[A-Z][a-z]==$`},
		{"unknown kind", "xyz-123", `^[a-z]{3}-\d{3}$`},
	} {
		t.Run(tc.kind+" "+tc.value, func(t *testing.T) {
			p := r.Pseudonym(tc.kind, tc.value)
			assert.Regexp(t, tc.shape, p)
			assert.NotEqual(t, tc.value, p)
			assert.Equal(t, p, r.Pseudonym(tc.kind, tc.value), "consistent")
			assert.Equal(t, p, NewRedactor(SystemGenetec, []byte("k")).Pseudonym(tc.kind, tc.value), "the key makes it, not the order")
		})
	}
	assert.Equal(t, "", r.Pseudonym(PseudoName, ""))
	assert.NotEqual(t, r.Pseudonym(PseudoName, "Grace Hopper"), r.Pseudonym(PseudoName, "Grace Hoppers"))

	// A card's numbers keep within their format's bounds.
	for _, c := range []string{"100:1001", "255:65535", "1:1", "200:2001"} {
		m := regexp.MustCompile(`^(\d+):(\d+)$`).FindStringSubmatch(r.Pseudonym(PseudoCard, c))
		require.NotNil(t, m)
		assert.LessOrEqual(t, len(m[1]), 3)
		assert.LessOrEqual(t, len(m[2]), 5)
	}
	// The full name agrees with its parts.
	assert.Equal(t, r.Pseudonym(PseudoFirstName, "Grace")+" "+r.Pseudonym(PseudoLastName, "Hopper"), r.Pseudonym(PseudoName, "Grace Hopper"))
	// And a card with its facility and number.
	assert.Equal(t, r.Pseudonym(PseudoFacility, "150")+":"+r.Pseudonym(PseudoCardNumber, "7"), r.Pseudonym(PseudoCard, "150:7"))

	// A random key: another Redactor, other pseudonyms.
	a, b := NewRedactor(SystemGenetec, nil), NewRedactor(SystemGenetec, nil)
	assert.NotEqual(t, a.Pseudonym(PseudoSessionKey, "e8847343-4c48-4b1e-9f3a-0c1d2e3f4a5b"), b.Pseudonym(PseudoSessionKey, "e8847343-4c48-4b1e-9f3a-0c1d2e3f4a5b"))
}

func TestRedactQuery(t *testing.T) {
	r := NewRedactor(SystemEntraPass, []byte("k"))
	p := r.Pseudonym
	enc := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	for _, tc := range []struct {
		name, path, in, want string
	}{
		{"plain login", "/SmartService/Login", "userName=pacsim&password=pacsim",
			"userName=" + enc(p(PseudoName, "pacsim")) + "&password=" + p(PseudoPassword, "pacsim")},
		{"encrypted login", "/SmartService/Login", "userName=q83v%2Bw%3D%3D&password=AbC%2F&encrypted=1&ConnectedProgram=xyz0",
			"userName=" + enc(p(PseudoToken, "q83v+w==")) + "&password=" + p(PseudoPassword, "AbC/") + "&encrypted=1&ConnectedProgram=" + p(PseudoToken, "xyz0")},
		{"session key; the rest byte for byte", "/SmartService/Doors", "sdKey=e8847343-4c48-4b1e-9f3a-0c1d2e3f4a5b&id=20&x=%7e",
			"sdKey=" + p(PseudoSessionKey, "e8847343-4c48-4b1e-9f3a-0c1d2e3f4a5b") + "&id=20&x=%7e"},
		{"names compare case-insensitively", "/SmartService/Doors", "SDKEY=abc",
			"SDKEY=" + p(PseudoSessionKey, "abc")},
		{"Cards filter on a name", "/SmartService/Cards", "sdKey=k&listIndex=USERNAME&filter=Grace",
			"sdKey=" + p(PseudoSessionKey, "k") + "&listIndex=USERNAME&filter=" + p(PseudoName, "Grace")},
		{"Cards start value on a card, planqr's [COLON]", "/SmartService/Cards", "listIndex=CARDNUMBER&listStartValue=100%5BCOLON%5D1001",
			"listIndex=CARDNUMBER&listStartValue=" + enc(strings.ReplaceAll(p(PseudoCard, "100:1001"), ":", "[COLON]"))},
		{"Cards filter on ids is kept", "/SmartService/Cards", "filter=20", "filter=20"},
		{"no query", "/SmartService/Doors", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, r.query(tc.path, tc.in, &reqContext{}))
		})
	}
}

func TestRedactWebSDKQuery(t *testing.T) {
	r := NewRedactor(SystemGenetec, []byte("k"))
	p := r.Pseudonym
	for _, tc := range []struct {
		name, path, q, want string
	}{
		{"a visitor", "/WebSdk/entity", `entity=NewEntity(Visitor),FirstName=Grace,LastName=Hopper,EmailAddress=grace@navy.mil,Guid`,
			"entity=NewEntity(Visitor),FirstName=" + p(PseudoFirstName, "Grace") + ",LastName=" + p(PseudoLastName, "Hopper") +
				",EmailAddress=" + p(PseudoEmail, "grace@navy.mil") + ",Guid"},
		{"a cardholder's Name, escaped", "/WebSdk/entity", `entity=NewEntity(Cardholder),Name=Hopper\, Grace`,
			`entity=NewEntity(Cardholder),Name=` + strings.Replace(p(PseudoName, "Hopper, Grace"), ",", `\,`, 1)},
		{"a door's Name is kept", "/WebSdk/entity", `entity=LogicalID(Door,1),Name`, `entity=LogicalID(Door,1),Name`},
		{"a credential", "/WebSdk/entity", `entity=NewEntity(Credential),Name=Badge 7,Format=WiegandStandardCredentialFormat(150, 7)`,
			`entity=NewEntity(Credential),Name=Badge 7,Format=WiegandStandardCredentialFormat(` + p(PseudoFacility, "150") + `, ` + p(PseudoCardNumber, "7") + `)`},
		{"a look-up by unique id", "/WebSdk/report/CredentialConfiguration", `UniqueIds@WiegandCsn32CredentialFormat(123456789)`,
			`UniqueIds@WiegandCsn32CredentialFormat(` + p(PseudoCardNumber, "123456789") + `)`},
		{"a keypad code", "/WebSdk/entity", `entity=NewEntity(Credential),Format=KeypadCredentialFormat(1234)`,
			`entity=NewEntity(Credential),Format=KeypadCredentialFormat(` + p(PseudoPIN, "1234") + `)`},
		{"raw Wiegand", "/WebSdk/entity", `entity=NewEntity(Credential),Format=<UndecodedWiegand><BitLength>26</BitLength><Raw>0000000002EC01B2</Raw></UndecodedWiegand>`,
			`entity=NewEntity(Credential),Format=<UndecodedWiegand><BitLength>26</BitLength><Raw>` + p(PseudoToken, "0000000002EC01B2") + `</Raw></UndecodedWiegand>`},
		{"a people report", "/WebSdk/report/CardholderConfiguration", `FirstName=Ada,Name=Ada Lovelace,Page=1`,
			`FirstName=` + p(PseudoFirstName, "Ada") + `,Name=` + p(PseudoName, "Ada Lovelace") + `,Page=1`},
		{"a group search is kept", "/WebSdk/report/EntityConfiguration", `EntityTypes@CardholderGroup,Name=Visitors - Office`,
			`EntityTypes@CardholderGroup,Name=Visitors - Office`},
		{"a cardholder search", "/WebSdk/report/EntityConfiguration", `EntityTypes@Cardholder@Visitor,Name=Grace`,
			`EntityTypes@Cardholder@Visitor,Name=` + p(PseudoName, "Grace")},
		{"time ranges and the rest kept", "/WebSdk/report/AuditTrail", `TimeRange.SetTimeRange(2026-01-05T09:00:00,2026-01-05T10:00:00)`,
			`TimeRange.SetTimeRange(2026-01-05T09:00:00,2026-01-05T10:00:00)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := &reqContext{}
			raw := "q=" + url.QueryEscape(tc.q)
			got := r.query(tc.path, raw, ctx)
			if tc.want == tc.q {
				assert.Equal(t, raw, got, "unchanged, byte for byte")
				return
			}
			v, err := url.ParseQuery(got)
			require.NoError(t, err)
			assert.Equal(t, tc.want, v.Get("q"))
			assert.NotContains(t, got, "+", "a space is %20")
		})
	}
}

func TestRedactAuthorization(t *testing.T) {
	r := NewRedactor(SystemGenetec, []byte("k"))
	b64 := base64.StdEncoding.EncodeToString
	app := sim.GenetecDevAppID
	for _, tc := range []struct{ in, want string }{
		{"Basic " + b64([]byte("admin;"+app+":pacsim")),
			"Basic " + b64([]byte(r.Pseudonym(PseudoName, "admin")+";"+app+":"+r.Pseudonym(PseudoPassword, "pacsim")))},
		{"basic " + b64([]byte("admin:pw:with:colons")),
			"basic " + b64([]byte(r.Pseudonym(PseudoName, "admin")+":"+r.Pseudonym(PseudoPassword, "pw:with:colons")))},
		{"Basic !!!", "Basic " + r.Pseudonym(PseudoToken, "!!!")},
		{"Bearer abc.DEF", "Bearer " + r.Pseudonym(PseudoToken, "abc.DEF")},
		{"opaque", r.Pseudonym(PseudoToken, "opaque")},
	} {
		h := map[string][]string{"Authorization": {tc.in}, "Accept": {"text/json"}}
		r.headers(h)
		assert.Equal(t, tc.want, h["Authorization"][0], tc.in)
		assert.Equal(t, "text/json", h["Accept"][0])
	}
	h := map[string][]string{"Set-Cookie": {"session=abc123; Path=/; HttpOnly"}}
	r.headers(h)
	assert.Equal(t, "session="+r.Pseudonym(PseudoToken, "abc123")+"; Path=/; HttpOnly", h["Set-Cookie"][0])
}

func TestRedactBodies(t *testing.T) {
	r := NewRedactor(SystemEntraPass, []byte("k"))
	p := r.Pseudonym
	for _, tc := range []struct {
		name, in, want string
	}{
		{"XML escapes", `<Card><UserName>Tom &amp; Jerry</UserName><CardInfo1>Sales &amp; Co</CardInfo1></Card>`,
			`<Card><UserName>` + string(xmlEscaped(p(PseudoName, "Tom & Jerry"))) + `</UserName><CardInfo1>Sales &amp; Co</CardInfo1></Card>`},
		{"self-closed and empty elements are left alone", `<Card><UserName/><Email></Email><CardNumber1>100:1</CardNumber1></Card>`,
			`<Card><UserName/><Email></Email><CardNumber1>` + p(PseudoCard, "100:1") + `</CardNumber1></Card>`},
		{"a PIN", `<Card><Nip>12345</Nip></Card>`, `<Card><Nip>` + p(PseudoPIN, "12345") + `</Nip></Card>`},
		{"LastDoorAccess", diffRowsItem("ACCESS1", "2026-01-05  09:00:00 Access granted 100:1001 Alice Martin"),
			diffRowsItem("ACCESS1", "2026-01-05  09:00:00 Access granted "+p(PseudoCard, "100:1001")+" "+p(PseudoName, "Alice Martin"))},
		{"LastDoorAccess of an unknown card", diffRowsItem("ACCESS1", "2026-01-05  09:00:00 Access denied 999:1"),
			diffRowsItem("ACCESS1", "2026-01-05  09:00:00 Access denied "+p(PseudoCard, "999:1"))},
		{"an event row that is no access keeps its texts", diffRowsItem("ETXT", "Door forced open") + diffRowsItem("P2TXT", "Front Door"),
			diffRowsItem("ETXT", "Door forced open") + diffRowsItem("P2TXT", "Front Door")},
		{"JSON numbers stay numbers", `{"Format":{"FormatId":"00000000-0000-0000-0000-000000000200","Facility":150,"CardId":7,"RawData":"02EC01B2","UniqueId":"02EC01B2|26","Name":"26 bit Wiegand"}}`,
			`{"Format":{"FormatId":"00000000-0000-0000-0000-000000000200","Facility":` + p(PseudoFacility, "150") + `,"CardId":` + p(PseudoCardNumber, "7") +
				`,"RawData":"` + p(PseudoToken, "02EC01B2") + `","UniqueId":"` + p(PseudoToken, "02EC01B2") + `|26","Name":"26 bit Wiegand"}}`},
		{"JSON escapes", `{"EntityType":"Cardholder","Name":"Grace \"Amazing\" Hopper","Description":"x"}`,
			`{"EntityType":"Cardholder","Name":` + string(jsonQuoted(p(PseudoName, `Grace "Amazing" Hopper`))) + `,"Description":"x"}`},
		{"a picture", `{"Picture":"` + strings.Repeat("QUJD", 40) + `"}`, `{"Picture":"` + placeholderJPEG + `"}`},
		{"a door is kept", `{"EntityType":"Door","Name":"Front Door","Guid":"g"}`, `{"EntityType":"Door","Name":"Front Door","Guid":"g"}`},
		{"free text with a URL", "Get \"http://h/SmartService/Login?userName=a&password=secret\": refused",
			"Get \"http://h/SmartService/Login?userName=" + url.QueryEscape(p(PseudoToken, "a")) + "&password=" + p(PseudoPassword, "secret") + "\": refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			want := tc.want
			if strings.HasPrefix(in, "<item>") {
				in, want = diffRowsWrap(in), diffRowsWrap(want)
			}
			got := string(r.body([]byte(in), &reqContext{}))
			assert.Equal(t, want, got)
		})
	}
}

func diffRowsItem(k, v string) string {
	return "<item><key><string>" + k + "</string></key><value><SmartLinkDataValue><Value>" + v + "</Value></SmartLinkDataValue></value></item>"
}

func diffRowsWrap(items string) string {
	return "<ArrayOfSmartLinkDataRow><SmartLinkDataRow>" + items + "</SmartLinkDataRow></ArrayOfSmartLinkDataRow>"
}

// What a Redactor learns serves later exchanges: the GUID of a visitor it
// saw created, for a legacy read of its Name; the full name of a
// cardholder, for the free text that quotes it.
func TestRedactLearns(t *testing.T) {
	r := NewRedactor(SystemGenetec, []byte("k"))
	create := Exchange{
		Request:  Request{Method: "POST", Path: "/WebSdk/entity", Query: "q=" + url.QueryEscape("entity=NewEntity(Visitor),FirstName=Grace,LastName=Hopper,Guid")},
		Response: Response{Status: 200, Body: `{"Rsp":{"Status":"Ok","Result":{"Guid":"6F1C2A3B-4D5E-4F60-8A9B-0C1D2E3F4A5B"}}}`},
	}
	r.Exchange(&create)
	read := Exchange{
		Request:  Request{Method: "GET", Path: "/WebSdk/entity", Query: "q=" + url.QueryEscape("entity=6f1c2a3b4d5e4f608a9b0c1d2e3f4a5b,Name")},
		Response: Response{Status: 200, Body: `<rsp status="ok"><Name>Grace Hopper</Name></rsp>`},
	}
	r.Exchange(&read)
	full := r.Pseudonym(PseudoName, "Grace Hopper")
	assert.Equal(t, `<rsp status="ok"><Name>`+string(xmlEscaped(full))+`</Name></rsp>`, read.Response.Body)

	chained := Exchange{
		Request: Request{Method: "GET", Path: "/WebSdk/entity", Query: "q=" + url.QueryEscape(
			"entity=6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b,Name,entity=LogicalID(Door,1),Name")},
		Response: Response{Status: 200, Body: `{"Rsp":{"Status":"Ok","Result":[{"Name":"Grace Hopper"},{"Name":"Front Door"}]}}`},
	}
	r.Exchange(&chained)
	assert.Equal(t, `{"Rsp":{"Status":"Ok","Result":[{"Name":`+string(jsonQuoted(full))+`},{"Name":"Front Door"}]}}`, chained.Response.Body)

	audit := Exchange{
		Request:  Request{Method: "GET", Path: "/WebSdk/report/AuditTrail"},
		Response: Response{Status: 200, Body: `{"Rsp":{"Status":"Ok","Result":[{"Name":"Grace Hopper","Description":"Visitor Grace Hopper created"}]}}`},
		Error:    "the answer quoted Grace Hopper",
	}
	r.Exchange(&audit)
	assert.NotContains(t, audit.Response.Body, "Grace Hopper")
	assert.Contains(t, audit.Response.Body, "Visitor "+full+" created")
	assert.Equal(t, "the answer quoted "+full, audit.Error)
}

// A stream's chunks are redacted as one text and cut again where they
// were: an event split over many chunks is redacted whole, and each chunk
// keeps its time.
func TestRedactStreamChunks(t *testing.T) {
	stream := "ConnectionId:3f2a\r\n--GENETECBOUNDARY\r\nContent-type: text/json\r\n" +
		`{"Rsp":{"Status":"Ok","Result":{"EventType":"AccessRefused","Reason":"UnknownCredential","Card":"151:77"}}}` + "\r\nKeepAlive\r\n"
	for _, size := range []int{1, 3, 7, 64, len(stream)} {
		r := NewRedactor(SystemGenetec, []byte("k"))
		var resp Response
		resp.Status = 200
		for i := 0; i < len(stream); i += size {
			var c Chunk
			SetBody([]byte(stream[i:min(i+size, len(stream))]), &c.Data, &c.Data64)
			c.OffsetMS = int64(i)
			resp.Chunks = append(resp.Chunks, c)
		}
		n := len(resp.Chunks)
		e := Exchange{Request: Request{Method: "GET", Path: "/WebSdk/events"}, Response: resp}
		r.Exchange(&e)
		require.Len(t, e.Response.Chunks, n, "size %d", size)
		for i, c := range e.Response.Chunks {
			assert.Equal(t, int64(i*size), c.OffsetMS)
		}
		got, err := e.Response.Bytes()
		require.NoError(t, err)
		assert.Equal(t, strings.Replace(stream, "151:77", r.Pseudonym(PseudoCard, "151:77"), 1), string(got), "size %d", size)
	}
}

func TestRedactConcurrent(t *testing.T) {
	r := NewRedactor(SystemEntraPass, nil)
	done := make(chan Exchange)
	for i := range 20 {
		go func() {
			e := Exchange{
				Request:  Request{Method: "GET", Path: "/SmartService/Login", Query: "userName=op&password=pw" + strings.Repeat("x", i%3)},
				Response: Response{Status: 200, Body: "<Operator><SessionKey>e8847343-4c48-4b1e-9f3a-0c1d2e3f4a5b</SessionKey></Operator>"},
			}
			r.Exchange(&e)
			done <- e
		}()
	}
	var first string
	for range 20 {
		e := <-done
		if first == "" {
			first = e.Response.Body
		}
		assert.Equal(t, first, e.Response.Body)
		assert.NotContains(t, e.Request.Query, "pw")
	}
}
