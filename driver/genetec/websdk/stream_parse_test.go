package websdk_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/websdk"
)

// scripted is a server whose event stream writes chunks and ends, and
// whose other paths answer answers[path] (else Ok): for what the simulator
// never sends.
func scripted(t *testing.T, chunks []string, answers map[string]string) websdk.Config {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/WebSdk/events" {
			w.Header().Set("Content-Type", "text/json")
			for _, c := range chunks {
				_, _ = io.WriteString(w, c)
				w.(http.Flusher).Flush()
			}
			return
		}
		if a, ok := answers[strings.TrimSuffix(r.URL.Path, "/")]; ok {
			_, _ = io.WriteString(w, a)
			return
		}
		_, _ = io.WriteString(w, `{"Rsp":{"Status":"Ok"}}`)
	}))
	t.Cleanup(srv.Close)
	return websdk.Config{URL: srv.URL + "/WebSdk/", Username: "admin", AppID: "app", Password: testPassword}
}

// Keep-alives, blank lines and parts that are not text/json are skipped; a
// failed part is reported once and the stream goes on; the end is io.EOF.
func TestStreamParsing(t *testing.T) {
	t.Parallel()
	part := func(ctype, data string) string {
		return "--GENETECBOUNDARY\r\nContent-type: " + ctype + "\r\n" + data + "\r\n"
	}
	cfg := scripted(t, []string{
		"ConnectionId:4c3d0a1e-0000-0000-0000-000000000001\r\n",
		"KeepAlive\r\n",
		part("text/plain", "hello"),
		part("text/xml", "<WebSdk><Rsp><Status>Ok</Status></Rsp></WebSdk>"),
		"--GENETECBOUNDARY\r\nContent-Type: text/json; charset=utf-8\r\n\r\n" +
			`{"Rsp":{"Status":"Ok","Result":{"EventType":"DoorOpen","EventTypeId":27,"SourceGuid":"g1","Timestamp":"2026-01-05T09:00:00.5"}}}` + "\r\n",
		part("text/json", `{"Rsp":{"Status":"Fail","Result":{"SdkErrorCode":"SdkRequestError","Message":"oops"}}}`),
		"KeepAlive\r\n" + part("text/json", `{"Rsp":{"Status":"Ok","Result":{"EventType":35,"Timestamp":"/Date(1767603600000)/","AlarmTriggered":{"x":1}}}}`),
		part("text/json", `{"Rsp":{"Status":"Ok","Result":{"EventType":"DoorClose","Timestamp":"2026-01-05T10:00:00+01:00"}}}`),
	}, nil)
	cl := newClient(t, cfg)
	st, err := cl.OpenStream(context.Background())
	require.NoError(t, note(t, cfg, err))
	defer st.Close()
	assert.Equal(t, "4c3d0a1e-0000-0000-0000-000000000001", st.ID)
	st.IdleTimeout = nextGuard

	ev, err := st.Next()
	require.NoError(t, note(t, cfg, err))
	assert.Equal(t, "DoorOpen", ev.EventType)
	assert.Equal(t, 27, ev.EventTypeID)
	assert.Equal(t, "g1", ev.SourceGuid)
	assert.Equal(t, time.Date(2026, 1, 5, 9, 0, 0, 5e8, time.UTC), ev.Timestamp, "no zone is UTC")

	_, err = st.Next()
	var se *websdk.SdkError
	require.ErrorAs(t, note(t, cfg, err), &se)
	assert.Equal(t, "SdkRequestError", se.Code)

	ev, err = st.Next()
	require.NoError(t, note(t, cfg, err), "the stream goes on after a failed part")
	assert.Equal(t, "", ev.EventType)
	assert.Equal(t, 35, ev.EventTypeID, "a numeric EventType is the id")
	assert.Equal(t, time.UnixMilli(1767603600000).UTC(), ev.Timestamp)
	assert.Contains(t, string(ev.Raw), "AlarmTriggered")

	ev, err = st.Next()
	require.NoError(t, note(t, cfg, err))
	assert.True(t, ev.Timestamp.Equal(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)))

	_, err = st.Next()
	assert.Equal(t, io.EOF, note(t, cfg, err))
	_, err = st.Next()
	assert.Equal(t, io.EOF, err)
}

// A line over 1 MiB ends the stream rather than filling memory.
func TestStreamLongLine(t *testing.T) {
	t.Parallel()
	cfg := scripted(t, []string{"ConnectionId:x\r\n", strings.Repeat("x", 1<<20+1) + "\r\n"}, nil)
	st, err := newClient(t, cfg).OpenStream(context.Background())
	require.NoError(t, note(t, cfg, err))
	defer st.Close()
	st.IdleTimeout = nextGuard
	_, err = st.Next()
	var pe *websdk.ProtocolError
	require.ErrorAs(t, note(t, cfg, err), &pe)
	assert.ErrorIs(t, err, websdk.ErrTooLarge)
}

// A stream that does not start with its ConnectionId is refused; one that
// starts with a Fail envelope reports it.
func TestStreamNoConnectionID(t *testing.T) {
	t.Parallel()
	cfg := scripted(t, []string{"<html>proxy login</html>\r\n"}, nil)
	_, err := newClient(t, cfg).OpenStream(context.Background())
	var pe *websdk.ProtocolError
	require.ErrorAs(t, note(t, cfg, err), &pe)
	assert.Contains(t, pe.What, "ConnectionId")

	cfg = scripted(t, []string{`{"Rsp":{"Status":"Fail","Result":{"SdkErrorCode":"InvalidOperation","Message":"no"}}}` + "\r\n"}, nil)
	_, err = newClient(t, cfg).OpenStream(context.Background())
	var se *websdk.SdkError
	require.ErrorAs(t, note(t, cfg, err), &se)
	assert.Equal(t, "InvalidOperation", se.Code)
}

// Answers that are not a Web SDK envelope are *ProtocolError naming what is
// wrong; the legacy JSON failure is still read as an *SdkError.
func TestEnvelopes(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 300)
	cfg := scripted(t, nil, map[string]string{
		"/WebSdk/html":                       "<html><body>Login required</body></html>",
		"/WebSdk/norsp":                      `{"Status":"Ok"}`,
		"/WebSdk/nostat":                     `{"Rsp":{"Result":1}}`,
		"/WebSdk/unknown":                    `{"Rsp":{"Status":"Maybe"}}`,
		"/WebSdk/two":                        `{"Rsp":{"Status":"Ok"}}{"Rsp":{"Status":"Ok"}}`,
		"/WebSdk/legacy":                     `{"rsp":{"status":"fail","error":{"code":"InvalidValue","message":"bad"}}}`,
		"/WebSdk/long":                       "<p>" + long + "</p>",
		"/WebSdk/bom":                        "\xef\xbb\xbf" + `{"Rsp":{"Status":"Ok","Result":{"Value":true}}}`,
		"/WebSdk/report/EntityConfiguration": `{"Rsp":{"Status":"Ok","Result":{"Guid":"not a list"}}}`,
	})
	ctx := context.Background()
	for path, what := range map[string]string{
		"html": "not JSON", "norsp": "no {\"Rsp\"", "nostat": "no Status", "unknown": "unknown Rsp.Status", "two": "invalid JSON",
		"long": "not JSON",
	} {
		err := keepAliveAt(t, cfg, path)
		var pe *websdk.ProtocolError
		require.ErrorAs(t, note(t, cfg, err), &pe, path)
		assert.Contains(t, pe.What, what, path)
		assert.LessOrEqual(t, len(pe.Body), 200+len("…"), path)
		assert.True(t, utf8.ValidString(pe.Body), path)
	}
	require.NoError(t, keepAliveAt(t, cfg, "bom"), "a byte order mark is no error")

	err := keepAliveAt(t, cfg, "legacy")
	var se *websdk.SdkError
	require.ErrorAs(t, note(t, cfg, err), &se)
	assert.Equal(t, "InvalidValue", se.Code)
	assert.Equal(t, "bad", se.Message)

	_, err = newClient(t, cfg).ReportAll(ctx, "EntityConfiguration", "EntityTypes@Door", 2)
	var pe *websdk.ProtocolError
	require.ErrorAs(t, note(t, cfg, err), &pe)
	assert.Contains(t, pe.What, "not a list")
}

// keepAliveAt sends the keep-alive of a client whose base is path below
// cfg's: GET {base}{path}/.
func keepAliveAt(t *testing.T, cfg websdk.Config, path string) error {
	t.Helper()
	cfg.URL += path + "/"
	return newClient(t, cfg).KeepAlive(context.Background())
}

// Event objects decode leniently.
func TestEventJSON(t *testing.T) {
	t.Parallel()
	var ev websdk.Event
	require.NoError(t, json.Unmarshal([]byte(`{"EventType":"AccessGranted","EventTypeId":35,"Timestamp":"2023-11-22T10:23:58.62Z","CardholderGuid":"c"}`), &ev))
	assert.Equal(t, time.Date(2023, 11, 22, 10, 23, 58, 62e7, time.UTC), ev.Timestamp)
	assert.Equal(t, "c", ev.CardholderGuid)
	require.NoError(t, json.Unmarshal([]byte(`{"EventType":35,"EventTypeId":36}`), &ev))
	assert.Equal(t, 36, ev.EventTypeID, "EventTypeId wins over a numeric EventType")
	assert.True(t, ev.Timestamp.IsZero())
	require.Error(t, json.Unmarshal([]byte(`{"Timestamp":"yesterday"}`), &ev))
	require.Error(t, json.Unmarshal([]byte(`{"EventType":{}}`), &ev))
	require.Error(t, json.Unmarshal([]byte(`[1]`), &ev))
}
