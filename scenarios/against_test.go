package scenarios_test

import (
	"bufio"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/scenarios"
	"github.com/pacsim/pacsim/sim/simtest"
)

// againstCall makes a request of the simulator and returns it as a
// recorded exchange (unredacted).
func againstCall(t *testing.T, client *http.Client, base, method, path, query string, header http.Header) scenarios.Exchange {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	u.Path, u.RawQuery = path, query
	req, err := http.NewRequest(method, u.String(), nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	ex := scenarios.Exchange{
		Request:  scenarios.Request{Method: method, Path: path, Query: query, Header: map[string][]string(header)},
		Response: scenarios.Response{Status: resp.StatusCode, Header: map[string][]string{"Content-Type": resp.Header.Values("Content-Type")}, Body: string(body)},
	}
	return ex
}

// entraPassRecording records Login (plain), GatewaysSites and Doors on s,
// then redacts it as the recorder would: the session key and the
// credentials become pseudonyms.
func entraPassRecording(t *testing.T, s *simtest.Site) *scenarios.Recording {
	t.Helper()
	user, pass := s.Operator()
	base := s.EntraPassURL()
	c := s.HTTPClient()
	login := againstCall(t, c, base, "GET", "/SmartService/Login", "userName="+url.QueryEscape(user)+"&password="+url.QueryEscape(pass), nil)
	require.Equal(t, http.StatusOK, login.Response.Status, login.Response.Body)
	key := sessionKeyOf(t, login.Response.Body)
	sites := againstCall(t, c, base, "GET", "/SmartService/GatewaysSites", "sdKey="+key, nil)
	doors := againstCall(t, c, base, "GET", "/SmartService/Doors", "sdKey="+key, nil)
	require.Equal(t, http.StatusOK, doors.Response.Status, doors.Response.Body)

	const pseudoKey = "5e55104e-0000-4000-8000-00000000d0d0"
	login.Request.Query = "userName=operator-7f3a&password=password-91c2"
	login.Response.Body = strings.ReplaceAll(login.Response.Body, key, pseudoKey)
	sites.Request.Query = "sdKey=" + pseudoKey
	doors.Request.Query = "sdKey=" + pseudoKey
	return replayRecording(scenarios.SystemEntraPass, login, sites, doors)
}

func sessionKeyOf(t *testing.T, body string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, "<SessionKey>")
	require.True(t, ok, body)
	key, _, ok := strings.Cut(rest, "</SessionKey>")
	require.True(t, ok, body)
	return key
}

func againstURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

func TestAgainstTheSimulatorItWasRecordedFromFindsNoDifference(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	rec := entraPassRecording(t, s)
	user, pass := s.Operator()

	rep, err := scenarios.Against(context.Background(), rec, againstURL(t, s.EntraPassURL()), scenarios.AgainstOptions{Username: user, Password: pass})
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Exchanges)
	assert.Equal(t, 3, rep.Sent)
	assert.Empty(t, rep.Differences)
	assert.Empty(t, rep.Errors)
	assert.Empty(t, rep.Notes)
	assert.False(t, rep.Failed())
}

func TestAgainstReportsARenamedElement(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	rec := entraPassRecording(t, s)
	user, pass := s.Operator()
	doors := &rec.Exchanges[2].Response
	require.Contains(t, doors.Body, "<SmartLinkDataRow>")
	// The first row's element renamed: the live answer lacks it.
	doors.Body = strings.Replace(doors.Body, "<SmartLinkDataRow>", "<SmartLinkDataRecord>", 1)
	doors.Body = strings.Replace(doors.Body, "</SmartLinkDataRow>", "</SmartLinkDataRecord>", 1)

	rep, err := scenarios.Against(context.Background(), rec, againstURL(t, s.EntraPassURL()), scenarios.AgainstOptions{Username: user, Password: pass})
	require.NoError(t, err)
	require.Len(t, rep.Differences, 1, "%+v", rep.Differences)
	assert.Equal(t, scenarios.Difference{Seq: 3, Line: 4, Where: "body: /ArrayOfSmartLinkDataRow/SmartLinkDataRecord",
		Kind: "missing", Want: "present", Got: "absent"}, rep.Differences[0])
	assert.True(t, rep.Failed())
}

func TestAgainstSendsAnEncryptedLoginInClearAndSaysSoOnce(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	rec := entraPassRecording(t, s)
	user, pass := s.Operator()
	// Two encrypted logins (redacted fields): both sent plain, one note.
	rec.Exchanges[0].Request.Query = "userName=enc-user-1&password=enc-pass-1&encrypted=1&ConnectedProgram=enc-cp"
	again := rec.Exchanges[0]
	rec = replayRecording(scenarios.SystemEntraPass, rec.Exchanges[0], again, rec.Exchanges[1], rec.Exchanges[2])

	rep, err := scenarios.Against(context.Background(), rec, againstURL(t, s.EntraPassURL()), scenarios.AgainstOptions{Username: user, Password: pass})
	require.NoError(t, err)
	assert.Empty(t, rep.Differences)
	assert.Empty(t, rep.Errors)
	require.Len(t, rep.Notes, 1)
	assert.Contains(t, rep.Notes[0], "encrypted")
}

func TestAgainstSendsARedactedLoginWithoutItsConnectedProgram(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	rec := entraPassRecording(t, s)
	user, pass := s.Operator()
	// Redacted, it is a token the server cannot decrypt.
	rec.Exchanges[0].Request.Query += "&ConnectedProgram=Zm9vYmFyYmF6cXV4"

	rep, err := scenarios.Against(context.Background(), rec, againstURL(t, s.EntraPassURL()), scenarios.AgainstOptions{Username: user, Password: pass})
	require.NoError(t, err)
	assert.Empty(t, rep.Differences)
	require.Len(t, rep.Notes, 1)
	assert.Contains(t, rep.Notes[0], "ConnectedProgram")
}

func TestAgainstAServerThatIsDownIsAnError(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	rec := entraPassRecording(t, s)
	dead := httptest.NewServer(http.NotFoundHandler())
	u := againstURL(t, dead.URL+"/SmartService/")
	dead.Close()

	rep, err := scenarios.Against(context.Background(), rec, u, scenarios.AgainstOptions{Username: "x", Password: "y"})
	require.NoError(t, err)
	assert.Equal(t, 0, rep.Sent)
	assert.Len(t, rep.Errors, 3)
	assert.Contains(t, rep.Errors[0], "exchange 1 (line 2) GET /SmartService/Login")
	assert.True(t, rep.Failed())
}

func TestAgainstDoesNotCompareWhatTheUpstreamNeverAnswered(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	rec := entraPassRecording(t, s)
	user, pass := s.Operator()
	// The site's server was down for the Doors: the recorder answered 502
	// itself and kept why.
	doors := &rec.Exchanges[2]
	doors.Error = "upstream 10.0.0.5:8801: dial tcp 10.0.0.5:8801: connect: connection refused"
	doors.Response = scenarios.Response{Status: http.StatusBadGateway, Header: map[string][]string{"Content-Type": {"text/plain; charset=utf-8"}},
		Body: "pacsim record: " + doors.Error + "\n"}

	rep, err := scenarios.Against(context.Background(), rec, againstURL(t, s.EntraPassURL()), scenarios.AgainstOptions{Username: user, Password: pass})
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Sent)
	assert.Empty(t, rep.Differences)
	require.Len(t, rep.Notes, 1)
	assert.Contains(t, rep.Notes[0], "exchange 3 (line 4) GET /SmartService/Doors: the upstream did not answer when recorded")
}

func TestAgainstCancelledStopsAndReturnsWhatWasDone(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	rec := entraPassRecording(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := scenarios.Against(ctx, rec, againstURL(t, s.EntraPassURL()), scenarios.AgainstOptions{})
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, rep)
	assert.Equal(t, 0, rep.Sent)
}

// genetecStreamRecording records the opening of the Web SDK event stream
// on s with redacted credentials (the recorded application ID is kept).
func genetecStreamRecording(t *testing.T, s *simtest.Site) *scenarios.Recording {
	t.Helper()
	user, app, pass := s.GenetecUser()
	req, err := http.NewRequest("GET", s.GenetecURL()+"events", nil)
	require.NoError(t, err)
	req.SetBasicAuth(user+";"+app, pass)
	req.Header.Set("Accept", "text/json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resp, err := s.HTTPClient().Do(req.WithContext(ctx))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	first, err := bufio.NewReader(resp.Body).ReadString('\n')
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(first, "ConnectionId:"), first)

	redacted := "Basic " + base64.StdEncoding.EncodeToString([]byte("user-3b1d;"+app+":password-77aa"))
	ex := scenarios.Exchange{
		DurationMS: 30,
		Request: scenarios.Request{Method: "GET", Path: "/WebSdk/events",
			Header: map[string][]string{"Accept": {"text/json"}, "Authorization": {redacted}}},
		Response: scenarios.Response{Status: http.StatusOK, Header: map[string][]string{"Content-Type": resp.Header.Values("Content-Type")},
			Chunks: []scenarios.Chunk{{OffsetMS: 0, Data: first}}},
		Error: "stream ended by the client",
	}
	return replayRecording(scenarios.SystemGenetec, ex)
}

func TestAgainstOpensTheEventStreamAndComparesItsConnectionID(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	rec := genetecStreamRecording(t, s)
	user, _, pass := s.GenetecUser()

	rep, err := scenarios.Against(context.Background(), rec, againstURL(t, s.GenetecURL()),
		scenarios.AgainstOptions{Client: s.HTTPClient(), Username: user, Password: pass})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Sent)
	assert.Empty(t, rep.Differences)
	assert.Empty(t, rep.Errors)

	// A recorded stream that began otherwise differs.
	rec.Exchanges[0].Response.Chunks[0].Data = "Hello\r\n"
	rep, err = scenarios.Against(context.Background(), rec, againstURL(t, s.GenetecURL()),
		scenarios.AgainstOptions{Client: s.HTTPClient(), Username: user, Password: pass})
	require.NoError(t, err)
	require.Len(t, rep.Differences, 2, "%+v", rep.Differences)
	assert.Equal(t, scenarios.Difference{Seq: 1, Line: 2, Where: "stream: ConnectionId", Kind: "extra", Want: "absent", Got: "present"}, rep.Differences[0])
	assert.Equal(t, scenarios.Difference{Seq: 1, Line: 2, Where: "stream: Hello", Kind: "missing", Want: "present", Got: "absent"}, rep.Differences[1])
}

func TestAgainstWithoutTheCredentialsTheWebSDKRefuses(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	rec := genetecStreamRecording(t, s)
	// The recorded (redacted) credentials are sent: 401, a difference of
	// status.
	rep, err := scenarios.Against(context.Background(), rec, againstURL(t, s.GenetecURL()), scenarios.AgainstOptions{Client: s.HTTPClient()})
	require.NoError(t, err)
	require.NotEmpty(t, rep.Differences)
	assert.Equal(t, scenarios.Difference{Seq: 1, Line: 2, Where: "status", Kind: "status", Want: "200", Got: "401"}, rep.Differences[0])
}
