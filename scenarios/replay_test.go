package scenarios_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/scenarios"
)

// replayRecording builds a recording by hand: exchange i is on line i+2.
func replayRecording(system string, exs ...scenarios.Exchange) *scenarios.Recording {
	rec := &scenarios.Recording{Header: scenarios.Header{
		Format: scenarios.FormatName, Version: scenarios.Version, System: system,
		RecordedAt: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC), Upstream: "http://10.0.0.5:8801", Redacted: true,
	}}
	for i := range exs {
		exs[i].Seq = i + 1
		rec.Exchanges = append(rec.Exchanges, exs[i])
		rec.Lines = append(rec.Lines, i+2)
	}
	return rec
}

func replayXML(body string) scenarios.Response {
	return scenarios.Response{Status: http.StatusOK, Header: map[string][]string{"Content-Type": {"application/xml; charset=utf-8"}}, Body: body}
}

func replayGet(path, query string) scenarios.Request {
	return scenarios.Request{Method: http.MethodGet, Path: path, Query: query}
}

// smartServiceRecording is a login, two polls of Events that got different
// answers, and a Doors.
func replaySmartService() *scenarios.Recording {
	return replayRecording(scenarios.SystemEntraPass,
		scenarios.Exchange{Request: replayGet("/SmartService/Login", "userName=op-1&password=pw-1"),
			Response: replayXML("<Operator><SessionKey>K</SessionKey><OperatorName>op-1</OperatorName></Operator>")},
		scenarios.Exchange{Request: replayGet("/SmartService/Events", "sdKey=K"), Response: replayXML("<Events>first</Events>")},
		scenarios.Exchange{Request: replayGet("/SmartService/Events", "sdKey=K"), Response: replayXML("<Events>second</Events>")},
		scenarios.Exchange{Request: replayGet("/SmartService/Doors", "sdKey=K"), Response: replayXML("<ArrayOfSmartLinkDataRow/>")},
	)
}

func startTestReplayer(t *testing.T, cfg scenarios.ReplayConfig) (*scenarios.Replayer, *httptest.Server) {
	t.Helper()
	rp, err := scenarios.NewReplayer(cfg)
	require.NoError(t, err)
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	return rp, srv
}

func replayFetch(t *testing.T, method, url string, body io.Reader) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestReplayIdenticalRequestsInRecordedOrderThenTheLastRepeats(t *testing.T) {
	t.Parallel()
	rp, srv := startTestReplayer(t, scenarios.ReplayConfig{Recording: replaySmartService()})

	resp, body := replayFetch(t, "GET", srv.URL+"/SmartService/Login?userName=op-1&password=pw-1", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, "<SessionKey>K</SessionKey>")
	assert.Equal(t, "application/xml; charset=utf-8", resp.Header.Get("Content-Type"))

	for _, want := range []string{"<Events>first</Events>", "<Events>second</Events>", "<Events>second</Events>"} {
		resp, body := replayFetch(t, "GET", srv.URL+"/SmartService/Events?sdKey=K", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, body)
		assert.Equal(t, want, body)
	}
	assert.Equal(t, 4, rp.Served())
	assert.Equal(t, 0, rp.Unmatched())
}

func TestReplayUnmatchedIs404NamingTheNearestExchangeLineAndField(t *testing.T) {
	t.Parallel()
	rec := replaySmartService()
	rp, srv := startTestReplayer(t, scenarios.ReplayConfig{Recording: rec})

	// What the matcher says of this request is what the client must read.
	_, _, merr := scenarios.NewMatcher(rec).Match(&scenarios.Request{Method: "GET", Path: "/SmartService/Doors", Query: "sdKey=OTHER"})
	var mm *scenarios.Mismatch
	require.True(t, errors.As(merr, &mm), "%v", merr)
	require.Equal(t, 5, mm.Line)

	resp, body := replayFetch(t, "GET", srv.URL+"/SmartService/Doors?sdKey=OTHER", nil)
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain"), resp.Header.Get("Content-Type"))
	assert.Equal(t, mm.Error(), body)
	assert.Contains(t, body, "line 5")
	assert.Contains(t, body, mm.Field)
	assert.Equal(t, 1, rp.Served())
	assert.Equal(t, 1, rp.Unmatched())
}

func TestReplayStreamedAnswerChunksArriveInOrderAtMaxSpeed(t *testing.T) {
	t.Parallel()
	rec := replayRecording(scenarios.SystemGenetec, scenarios.Exchange{
		DurationMS: 100,
		Request:    replayGet("/WebSdk/events", ""),
		Response: scenarios.Response{Status: http.StatusOK, Header: map[string][]string{
			"Content-Type": {"text/json"}, "Transfer-Encoding": {"chunked"}, "Content-Length": {"999"},
		}, Chunks: []scenarios.Chunk{
			{OffsetMS: 0, Data: "ConnectionId:c1\r\n"},
			{OffsetMS: 50, Data: "--GENETECBOUNDARY\r\nContent-type: text/json\r\n{\"a\":1}\r\n"},
			{OffsetMS: 100, Data: "KeepAlive\r\n"},
		}},
	})
	_, srv := startTestReplayer(t, scenarios.ReplayConfig{Recording: rec, Speed: 0})
	resp, body := replayFetch(t, "GET", srv.URL+"/WebSdk/events", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, "ConnectionId:c1\r\n--GENETECBOUNDARY\r\nContent-type: text/json\r\n{\"a\":1}\r\nKeepAlive\r\n", body)
	// The recorded length is the upstream's framing, not this answer's.
	assert.Equal(t, int64(-1), resp.ContentLength)
}

func TestReplayStreamedAnswerKeepsTheRecordedPace(t *testing.T) {
	t.Parallel()
	rec := replayRecording(scenarios.SystemGenetec, scenarios.Exchange{
		Request: replayGet("/WebSdk/events", ""),
		Response: scenarios.Response{Status: http.StatusOK, Chunks: []scenarios.Chunk{
			{OffsetMS: 0, Data: "ConnectionId:c1\r\n"}, {OffsetMS: 500, Data: "KeepAlive\r\n"}, {OffsetMS: 1000, Data: "KeepAlive\r\n"},
		}},
	})
	_, srv := startTestReplayer(t, scenarios.ReplayConfig{Recording: rec, Speed: 10})
	start := time.Now()
	resp, err := http.Get(srv.URL + "/WebSdk/events")
	require.NoError(t, err)
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	var lines []string
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			break
		}
		lines = append(lines, l)
	}
	assert.Equal(t, []string{"ConnectionId:c1\r\n", "KeepAlive\r\n", "KeepAlive\r\n"}, lines)
	// The last chunk was recorded 1000 ms in: at ten times the speed, not
	// before 100 ms.
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
}

func TestReplayWaitsTheRecordedDurationScaledBySpeed(t *testing.T) {
	t.Parallel()
	rec := replayRecording(scenarios.SystemEntraPass, scenarios.Exchange{
		DurationMS: 800, Request: replayGet("/SmartService/CardTypes", "sdKey=K"), Response: replayXML("<x/>"),
	})
	_, srv := startTestReplayer(t, scenarios.ReplayConfig{Recording: rec, Speed: 10})
	start := time.Now()
	resp, body := replayFetch(t, "GET", srv.URL+"/SmartService/CardTypes?sdKey=K", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "<x/>", body)
	assert.GreaterOrEqual(t, time.Since(start), 80*time.Millisecond)
}

func TestReplayStreamEndsWhenTheClientGoesAway(t *testing.T) {
	t.Parallel()
	rec := replayRecording(scenarios.SystemGenetec, scenarios.Exchange{
		Request: replayGet("/WebSdk/events", ""),
		Response: scenarios.Response{Status: http.StatusOK, Chunks: []scenarios.Chunk{
			{OffsetMS: 0, Data: "ConnectionId:c1\r\n"}, {OffsetMS: 3_600_000, Data: "KeepAlive\r\n"},
		}},
	})
	rp, err := scenarios.NewReplayer(scenarios.ReplayConfig{Recording: rec, Speed: 1})
	require.NoError(t, err)
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/WebSdk/events", nil)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	l, err := bufio.NewReader(resp.Body).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "ConnectionId:c1\r\n", l)
	cancel()
	resp.Body.Close()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the replayer kept the stream of a client that went away")
	}
}

func TestReplayRecordedUpstreamFailureIs502(t *testing.T) {
	t.Parallel()
	rec := replayRecording(scenarios.SystemEntraPass, scenarios.Exchange{
		Request: replayGet("/SmartService/Doors", "sdKey=K"), Error: "connection refused",
	})
	rp, srv := startTestReplayer(t, scenarios.ReplayConfig{Recording: rec})
	resp, body := replayFetch(t, "GET", srv.URL+"/SmartService/Doors?sdKey=K", nil)
	require.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, "recorded upstream failure: connection refused", body)
	assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain"))
	assert.Equal(t, 0, rp.Unmatched(), "a recorded failure is a matched exchange")
}

func TestReplayBodyOverTheLimitIs413(t *testing.T) {
	t.Parallel()
	rec := replayRecording(scenarios.SystemEntraPass, scenarios.Exchange{
		Request:  scenarios.Request{Method: "PUT", Path: "/SmartService/Cards/200", Query: "sdKey=K", Body: "<Card/>"},
		Response: replayXML("<CommandResult/>"),
	})
	rp, srv := startTestReplayer(t, scenarios.ReplayConfig{Recording: rec, MaxBody: 16})
	resp, body := replayFetch(t, "PUT", srv.URL+"/SmartService/Cards/200?sdKey=K", strings.NewReader(strings.Repeat("x", 17)))
	require.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.Contains(t, body, "16 bytes")
	assert.Equal(t, 1, rp.Unmatched())

	// At the limit, the body is read and matched.
	resp, body = replayFetch(t, "PUT", srv.URL+"/SmartService/Cards/200?sdKey=K", strings.NewReader("<Card/>"))
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	assert.Equal(t, "<CommandResult/>", body)
	assert.Equal(t, 2, rp.Served())
	assert.Equal(t, 1, rp.Unmatched())
}

func TestReplayKeepsRecordedHeadersButNotTheFraming(t *testing.T) {
	t.Parallel()
	ans := replayXML("<x/>")
	ans.Header["Content-Length"] = []string{"12345"}
	ans.Header["Cache-Control"] = []string{"no-cache"}
	rec := replayRecording(scenarios.SystemEntraPass, scenarios.Exchange{Request: replayGet("/SmartService/CardTypes", ""), Response: ans})
	_, srv := startTestReplayer(t, scenarios.ReplayConfig{Recording: rec})
	resp, body := replayFetch(t, "GET", srv.URL+"/SmartService/CardTypes", nil)
	require.Equal(t, "<x/>", body)
	assert.Equal(t, int64(4), resp.ContentLength)
	assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
}

func TestNewReplayerRefusesABadConfig(t *testing.T) {
	t.Parallel()
	_, err := scenarios.NewReplayer(scenarios.ReplayConfig{})
	require.Error(t, err)
	_, err = scenarios.NewReplayer(scenarios.ReplayConfig{Recording: replaySmartService(), Speed: -1})
	require.Error(t, err)
	_, err = scenarios.NewReplayer(scenarios.ReplayConfig{Recording: replaySmartService(), MaxBody: -1})
	require.Error(t, err)
}
