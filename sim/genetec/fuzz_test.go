package genetec_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/genetec"
)

// fuzzAccepts are the Accept values clients send, and two they should not.
var fuzzAccepts = []string{"text/json", "text/xml", "", "application/xml", "application/jsonrequest", "*/*", "text/json;q=0, text/xml"}

// FuzzWebSdkQuery sends arbitrary q= strings to /WebSdk/entity, raw,
// percent-encoded or form-encoded, with every Accept. Whatever the query,
// the answer is HTTP 200 with a well-formed Ok or Fail envelope in the
// negotiated serialisation, and never the recoverer's "internal error".
func FuzzWebSdkQuery(f *testing.F) {
	sf := sim.DefaultSite()
	w, err := sim.New(sf, sim.WithClock(sim.NewManualClock(sf.StartTime())))
	if err != nil {
		f.Fatal(err)
	}
	if _, err := entrapass.New(w); err != nil {
		f.Fatal(err)
	}
	gs, err := genetec.New(w)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(gs.Close)
	h := gs.Handler()
	door, _ := w.Door(frontDoor)
	// The default site's GUIDs are deterministic: Ada and her badge.
	const ada, badge = "64b696fc-d6af-5f81-abfe-b6d4e5575a08", "77798aaa-354c-59b9-9ecd-911c165b32d0"
	const undecoded = "<UndecodedWiegand><BitLength>26</BitLength><FormatType>00000000-0000-0000-0000-000000000200</FormatType><Raw>00000000000000000000000002EC01B2</Raw></UndecodedWiegand>"
	seeds := []string{
		"entity=" + door.GUID + ",Guid,Name,EntityType,entity=" + ada + ",Name",
		"entity=LogicalID(Door,1),Name",
		"entity=" + strings.ToUpper(strings.ReplaceAll(ada, "-", "")) + ",FirstName,Credentials,Groups",
		"entity=NewEntity(Cardholder),Name=Grace Hopper,FirstName=Grace,LastName=Hopper,EmailAddress=grace@example.com,Guid",
		"entity=NewEntity(Visitor),FirstName=Alan,Departure=2026-01-05T17:00:00,Guid",
		"entity=NewEntity(Credential),Name=Raw,Format=" + undecoded + ",Guid",
		"entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(256,1)",
		"entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(200,20A1)",
		"entity=NewEntity(Credential),Format=WiegandStandardCredentialFormat(200,2001)",
		"entity=NewEntity(Credential),Format=KeypadCredentialFormat(1234),Guid",
		"entity=NewEntity(Credential),Format=CustomCredentialFormat(1f0094ce-2bc3-46f2-b934-ad6759d78b2a,{{\"Card\",\"42\"}})",
		"entity=" + ada + ",State=Inactive,ActivationMode=SpecificActivationPeriod(2026-01-01T0:00:00,2026-12-31T23:59:59)",
		"entity=" + ada + ",ActivationMode=RelativeDeactivation(6.00:00:00)",
		"entity=" + ada + ",Groups@00000000-0000-0000-0000-00000000000d,Groups-00000000-0000-0000-0000-00000000000d",
		"entity=" + ada + ",Credentials-" + badge + ",Credentials@" + badge + ",Credentials*",
		"entity=" + ada + ",InsertIntoPartition(00000000-0000-0000-0000-00000000000b),GetPartitions()",
		"entity=" + badge + ",Cardholder.Guid,Format.Serialize(),Status.Lost(),Status.Activate()",
		"entity=" + ada + ",Checkout(),Status.Deactivate(2026-01-06T00:00:00)",
		"entity=NewEntity(AccessRule,Temporary),StartTime=2026-01-05T08:00:00,EndTime=2026-01-06T08:00:00,AddCardholders(" + ada + "),Guid",
		"entity=NewEntity(CardholderGroup),Name=G,AddCardholderIntoGroup(" + ada + "),Members,Guid",
		"entity=" + door.GUID + ",AddAccessRule(00000000-0000-0000-0000-00000000000a),SupportedEvents",
		"entity=" + ada + ",FirstName=Hi\\, there,Name=\"quoted, name\"",
		"entity=" + ada + "),Name",
		"entity=" + ada + ",#Name",
		"entity=" + ada + ",Name=(",
		"entity=NewEntity(Spaceship)",
		"entity=not-a-guid,Name",
		"entity=NewEntity(Cardholder),FirstName=Ghost,entity=" + ada + ",Shoesize=1",
		"{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{",
		"entity=" + ada + ",Name=<a><b></a>",
		"q=&q=",
		"",
	}
	for i, s := range seeds {
		f.Add(s, uint8(i), uint8(i%3), i%2 == 0)
	}
	var calls atomic.Int64
	f.Fuzz(func(t *testing.T, query string, acceptIdx, encoding uint8, post bool) {
		// The database grows with every create: start again now and then so
		// the fuzzer does not slow down to a crawl.
		if calls.Add(1)%500 == 0 {
			gs.Reset()
		}
		accept := fuzzAccepts[int(acceptIdx)%len(fuzzAccepts)]
		var enc string
		switch encoding % 3 {
		case 0:
			enc = url.QueryEscape(query)
		case 1:
			enc = percentAll(query)
		default:
			enc = rawish(query)
		}
		method := http.MethodGet
		if post {
			method = http.MethodPost
		}
		req, err := http.NewRequest(method, "http://pacsim/WebSdk/entity?q="+enc, nil)
		if err != nil { // a raw query that is no URL: send it encoded
			req, err = http.NewRequest(method, "http://pacsim/WebSdk/entity?q="+url.QueryEscape(query), nil)
			if err != nil {
				t.Fatal(err)
			}
		}
		req.Header.Set("Authorization", adminAuth)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if strings.Contains(body, "internal error") || strings.Contains(body, "InternalError") {
			t.Fatalf("q=%q: the recoverer answered: %s", query, body)
		}
		if rec.Code != http.StatusOK {
			t.Fatalf("q=%q: HTTP %d: %s", query, rec.Code, body)
		}
		checkEnvelope(t, accept, rec.Header().Get("Content-Type"), body)
	})
}

// checkEnvelope checks that body is a whole envelope of the serialisation
// accept selects, with a status a client knows.
func checkEnvelope(t *testing.T, accept, ctype, body string) {
	t.Helper()
	switch accept {
	case "text/json":
		if !strings.HasPrefix(ctype, "text/json") {
			t.Fatalf("Content-Type %q for text/json", ctype)
		}
		var env struct {
			Rsp *struct{ Status string }
		}
		if err := json.Unmarshal([]byte(body), &env); err != nil || env.Rsp == nil {
			t.Fatalf("not a text/json envelope (%v): %s", err, body)
		}
		switch env.Rsp.Status {
		case "Ok", "Fail", "TooManyResults", "Partial":
		default:
			t.Fatalf("status %q: %s", env.Rsp.Status, body)
		}
	case "text/xml", "text/json;q=0, text/xml":
		if !strings.HasPrefix(ctype, "text/xml") {
			t.Fatalf("Content-Type %q for text/xml", ctype)
		}
		if !strings.HasPrefix(body, "<WebSdk><Rsp><Status>Ok</Status>") && !strings.HasPrefix(body, "<WebSdk><Rsp><Status>Fail</Status>") {
			t.Fatalf("not a text/xml envelope: %s", body)
		}
		wellFormed(t, body)
	case "application/jsonrequest":
		if !strings.HasPrefix(ctype, "application/jsonrequest") {
			t.Fatalf("Content-Type %q for application/jsonrequest", ctype)
		}
		var env struct {
			Rsp *struct {
				Status string `json:"status"`
			} `json:"rsp"`
		}
		if err := json.Unmarshal([]byte(body), &env); err != nil || env.Rsp == nil {
			t.Fatalf("not a legacy JSON envelope (%v): %s", err, body)
		}
		if env.Rsp.Status != "ok" && env.Rsp.Status != "fail" {
			t.Fatalf("status %q: %s", env.Rsp.Status, body)
		}
	default: // legacy XML
		if !strings.HasPrefix(ctype, "application/xml") {
			t.Fatalf("Content-Type %q for Accept %q", ctype, accept)
		}
		if !strings.HasPrefix(body, `<rsp status="ok">`) && !strings.HasPrefix(body, `<rsp status="fail">`) {
			t.Fatalf("not a legacy XML envelope: %s", body)
		}
		wellFormed(t, body)
	}
}

// wellFormed parses body as one XML document.
func wellFormed(t *testing.T, body string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(body))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML (%v): %s", err, body)
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || depth != 0 {
		t.Fatalf("not one XML document: %s", body)
	}
}
