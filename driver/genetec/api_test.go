package genetec_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/sim/fault"
)

// api sends a request to the connector's HTTP API and returns the status and body.
func (r *rig) api(method, path, body string) (int, string) {
	r.t.Helper()
	srv := httptest.NewServer(r.c.Handler())
	defer srv.Close()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(r.t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(r.t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// The API as SPEC §7 fixes it: codes, bodies, the password never answered.
func TestAPI(t *testing.T) {
	t.Parallel()
	r := newRig(t, 1)
	code, body := r.api("GET", "/v1/providers/"+r.provider, "")
	require.Equal(t, 200, code, body)
	assert.NotContains(t, body, "pacsim\"", "the password is never answered back")
	assert.NotContains(t, body, "password")

	code, body = r.api("POST", "/v1/providers", `{"location":"HQ","name":"Annex","url":"ftp://x","username":"a","password":"p"}`)
	assert.Equal(t, 400, code, body)
	assert.Contains(t, body, "ftp://x")
	code, body = r.api("POST", "/v1/providers", `{"location":"HQ","name":"Annex","username":"a","password":"p","colour":"red"}`)
	assert.Equal(t, 400, code, body)
	assert.Contains(t, body, "colour")
	code, body = r.api("POST", "/v1/providers", `{"location":"HQ","name":"Annex","username":"a","password":"p"}`)
	require.Equal(t, 201, code, body)
	var p genetec.Provider
	require.NoError(t, json.Unmarshal([]byte(body), &p))
	assert.Equal(t, "https://localhost:4590/WebSdk/", p.URL, "the document's default")
	assert.Equal(t, "pacsim-visitors", p.AppID)
	code, body = r.api("PUT", "/v1/providers/"+p.ID, `{"name":"Annex B"}`)
	require.Equal(t, 200, code, body)
	assert.Contains(t, body, `"name":"Annex B"`)
	assert.Contains(t, body, `"location":"HQ"`, "PUT merges: fields left out stay")
	code, _ = r.api("DELETE", "/v1/providers/"+p.ID, "")
	assert.Equal(t, 200, code)
	code, _ = r.api("GET", "/v1/providers/"+p.ID, "")
	assert.Equal(t, 404, code)

	code, body = r.api("POST", "/v1/providers/"+r.provider+"/badges", `{"name":"X","unique_id":"12-4","badge_type":"Standard 26 bits"}`)
	assert.Equal(t, 400, code)
	assert.Contains(t, body, "12-4")
	code, _ = r.api("POST", "/v1/providers/"+r.provider+"/badges", `{"name":"X","unique_id":"5001","badge_type":"Standard 26 bits"}`)
	assert.Equal(t, 409, code)

	visit := `{"location":"HQ","visitor":{"first_name":"Ann"},"badge":"` + r.badges[0] + `","cardholder_groups":["Visitors - Office"],"by":"rita@example.com"}`
	code, body = r.api("POST", "/v1/visits", visit)
	require.Equal(t, 201, code, body)
	var v genetec.Visit
	require.NoError(t, json.Unmarshal([]byte(body), &v))
	assert.Equal(t, "active", v.State)
	code, _ = r.api("POST", "/v1/visits", visit)
	assert.Equal(t, 409, code, "the badge is active for Ann")
	code, body = r.api("GET", "/v1/visits?active=true", "")
	require.Equal(t, 200, code)
	assert.Contains(t, body, v.ID)

	// Security Center down: the sign-out is stored and answered 202.
	id := r.fault(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 503}})
	code, body = r.api("POST", "/v1/visits/"+v.ID+"/signout", "")
	assert.Equal(t, 202, code, body)
	assert.Contains(t, body, `"state":"pending-deactivation"`)
	code, body = r.api("GET", "/v1/visits?active=true", "")
	assert.Equal(t, "[]\n", body, "a pending visit is not active")
	require.NoError(t, r.s.Control().RemoveFault(context.Background(), id))
	r.c.Tick(context.Background())
	code, body = r.api("GET", "/v1/visits/"+v.ID, "")
	assert.Contains(t, body, `"state":"ended"`)
	assert.False(t, r.present(frontDoorEntry, 0).Granted)

	code, _ = r.api("POST", "/v1/visits/"+v.ID+"/signout", "")
	assert.Equal(t, 409, code, "already ended")
	code, _ = r.api("GET", "/v1/visits/nope", "")
	assert.Equal(t, 404, code)
	code, _ = r.api("PATCH", "/v1/visits/"+v.ID, "")
	assert.Equal(t, 405, code)
	code, _ = r.api("POST", "/v1/user-groups", strings.Repeat(" ", 70<<10)+"{}")
	assert.Equal(t, 413, code)
	code, _ = r.api("POST", "/v1/user-groups", `{"name":"A"} {"name":"B"}`)
	assert.Equal(t, 400, code)
}

// The store never holds a provider's password in clear.
func TestPasswordSealedInStore(t *testing.T) {
	t.Parallel()
	r := newRigNoRefresh(t)
	_, err := r.c.AddProvider(genetec.Provider{Location: "HQ", Name: "B", URL: r.s.GenetecURL(), Username: "admin", Password: "s3cret-Zebra-42"})
	require.NoError(t, err)
	r.crash()
	raw, err := os.ReadFile(r.path)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "s3cret-Zebra-42")
}

// A web page of another origin cannot drive the API from a browser.
func TestAPIRefusesCrossOrigin(t *testing.T) {
	t.Parallel()
	r := newRig(t, 1)
	srv := httptest.NewServer(r.c.Handler())
	defer srv.Close()
	for _, c := range []struct {
		origin string
		code   int
	}{{"http://evil.example", 403}, {"null", 403}, {srv.URL, 200}} {
		req, _ := http.NewRequest("GET", srv.URL+"/v1/visits", nil)
		req.Header.Set("Origin", c.origin)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, c.code, resp.StatusCode, c.origin)
	}
}
