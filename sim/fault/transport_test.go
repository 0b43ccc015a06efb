package fault_test

import (
	"bufio"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
	"github.com/pacsim/pacsim/sim/fault"
)

func TestNoFaultPassesThrough(t *testing.T) {
	s := newSite(t)
	h := newHead()
	ts := s.serve(t, "entrapass", h)
	code, body := get(t, ts.Client(), "GET", ts.URL+"/SmartService/Doors")
	assert.Equal(t, 200, code)
	assert.Equal(t, innerBody, body)
	assert.Equal(t, 1, h.count())
}

func TestLatency(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindLatency,
		Params: fault.Params{Latency: 150 * time.Millisecond}})
	start := time.Now()
	code, body := get(t, ts.Client(), "GET", ts.URL+"/SmartService/Doors")
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond, "real bytes are late by the latency")
	assert.Equal(t, 200, code)
	assert.Equal(t, innerBody, body)
}

func TestLatencyJitterStaysInRange(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindLatency,
		Params: fault.Params{Latency: 80 * time.Millisecond, Jitter: 40 * time.Millisecond}, When: fault.When{Seed: 3}})
	for range 5 {
		start := time.Now()
		code, _ := get(t, ts.Client(), "GET", ts.URL+"/x")
		assert.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond, "never below latency-jitter")
		assert.Equal(t, 200, code)
	}
}

func TestLatencyLetsGoWhenRemoved(t *testing.T) {
	s := newSite(t)
	hk := watch(s.plan)
	ts := s.serve(t, "entrapass", newHead())
	st := s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindLatency, Params: fault.Params{Latency: fault.MaxLatency}})
	done := make(chan int, 1)
	go func() { code, _ := get(t, ts.Client(), "GET", ts.URL+"/x"); done <- code }()
	hk.wait(t, "fire")
	_, err := s.plan.Remove(st.ID)
	require.NoError(t, err)
	assert.Equal(t, 200, <-done)
}

func TestStatus(t *testing.T) {
	s := newSite(t)
	h := newHead()
	ts := s.serve(t, "entrapass", h)
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 503}})
	code, body := get(t, ts.Client(), "GET", ts.URL+"/SmartService/Doors")
	assert.Equal(t, 503, code)
	assert.Equal(t, "503 Service Unavailable\n", body)
	assert.Equal(t, 0, h.count(), "the head-end never saw the request")

	s.plan.Reset()
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 500, Body: "boom"}})
	code, body = get(t, ts.Client(), "GET", ts.URL+"/")
	assert.Equal(t, 500, code)
	assert.Equal(t, "boom", body)
}

func TestAppFaultEntraPass(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindAppFault})
	resp, err := ts.Client().Get(ts.URL + "/SmartService/Doors")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, 200, resp.StatusCode, "SmartService answers its faults with HTTP 200")
	assert.Equal(t, "application/xml; charset=utf-8", resp.Header.Get("Content-Type"))
	f, ok := wire.ParseFault(b)
	require.True(t, ok, "a StandardFault: %s", b)
	assert.Equal(t, fault.DefaultAppFaultCode, f.Message)
	assert.Equal(t, fault.DefaultAppFaultMessage, f.VisibleMessage)

	s.plan.Reset()
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindAppFault,
		Params: fault.Params{Code: wire.CodeInvalidSessionKey, Message: "Log in again."}})
	_, body := get(t, ts.Client(), "GET", ts.URL+"/SmartService/Events")
	f, ok = wire.ParseFault([]byte(body))
	require.True(t, ok)
	assert.Equal(t, "Invalid SessionKey", f.Message)
	assert.Equal(t, "Log in again.", f.VisibleMessage)
	assert.True(t, strings.HasPrefix(body, `<StandardFault xmlns="http://schemas.datacontract.org/2004/07/Kantech.SmartLinkSDK"`))
}

func TestAppFaultGenetecAndPluggable(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "genetec", newHead())
	s.add(t, fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindAppFault, Params: fault.Params{Code: "UnableToRetrieveEntity"}})
	code, body := get(t, ts.Client(), "GET", ts.URL+"/WebSdk/entity/x")
	assert.Equal(t, 200, code)
	var v struct {
		Rsp struct {
			Status string
			Result struct{ SdkErrorCode, Message string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(body), &v))
	assert.Equal(t, "Fail", v.Rsp.Status)
	assert.Equal(t, "UnableToRetrieveEntity", v.Rsp.Result.SdkErrorCode)

	// A head-end plugs its own body in.
	own := newSite(t, fault.WithAppFault(fault.TargetGenetec, func(code, msg string) (string, []byte) {
		return "text/plain", []byte("own:" + code)
	}))
	ts2 := own.serve(t, "genetec", newHead())
	own.add(t, fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindAppFault, Params: fault.Params{Code: "X"}})
	_, body = get(t, ts2.Client(), "GET", ts2.URL+"/")
	assert.Equal(t, "own:X", body)
}

func TestMalformedTruncate(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindMalformed})
	code, body := get(t, ts.Client(), "GET", ts.URL+"/SmartService/Doors")
	assert.Equal(t, 200, code, "the status stays valid")
	assert.Less(t, len(body), len(innerBody))
	assert.True(t, strings.HasPrefix(innerBody, body), "a prefix of the real answer")
	assert.Greater(t, len(body), len(innerBody)/2)
	assert.Contains(t, body[len(body)-3:], "<", "cut just inside an element")
	assert.Error(t, xml.Unmarshal([]byte(body), new(struct{})), "no XML parser takes it")

	s.plan.Reset()
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindMalformed, Params: fault.Params{At: 30}})
	_, body = get(t, ts.Client(), "GET", ts.URL+"/SmartService/Doors")
	assert.Equal(t, innerBody[:30], body)
}

func TestMalformedGarble(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindMalformed, Params: fault.Params{Mode: fault.ModeGarble}})
	code, body := get(t, ts.Client(), "GET", ts.URL+"/SmartService/Doors")
	assert.Equal(t, 200, code)
	assert.Len(t, body, len(innerBody))
	assert.NotEqual(t, innerBody, body)
	assert.Contains(t, body, "\x00")
	assert.Error(t, xml.Unmarshal([]byte(body), new(struct{})))
}

func TestEmpty(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindEmpty})
	code, body := get(t, ts.Client(), "GET", ts.URL+"/SmartService/Doors")
	assert.Equal(t, 200, code)
	assert.Empty(t, body)
}

func TestReset(t *testing.T) {
	s := newSite(t)
	h := newHead()
	ts := s.serve(t, "entrapass", h)
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindReset})
	_, err := fresh().Get(ts.URL + "/SmartService/Doors")
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "connection reset by peer, got %v", err)
	assert.Equal(t, 0, h.count())
}

func TestHangUntilClientTimeout(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	st := s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindHang})
	c := &http.Client{Timeout: 200 * time.Millisecond}
	_, err := c.Get(ts.URL + "/SmartService/Events")
	require.Error(t, err)
	var ne interface{ Timeout() bool }
	require.True(t, errors.As(err, &ne) && ne.Timeout(), "the client timed out: %v", err)
	got, err := s.plan.Get(st.ID)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), got.Fired)
}

func TestHangTimeoutClosesConnection(t *testing.T) {
	s := newSite(t)
	h := newHead()
	ts := s.serve(t, "entrapass", h)
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindHang, Params: fault.Params{Timeout: 100 * time.Millisecond}})
	start := time.Now()
	_, err := fresh().Get(ts.URL + "/SmartService/Events")
	require.Error(t, err)
	assert.ErrorIs(t, err, io.EOF, "the server closed the connection with no answer")
	assert.GreaterOrEqual(t, time.Since(start), 100*time.Millisecond)
	assert.Equal(t, 0, h.count())
}

func TestHangReleasedByRemoveResetAndWindow(t *testing.T) {
	for _, how := range []string{"remove", "reset", "window"} {
		t.Run(how, func(t *testing.T) {
			s := newSite(t)
			hk := watch(s.plan)
			ts := s.serve(t, "entrapass", newHead())
			f := fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindHang}
			if how == "window" {
				f.When.For = time.Minute
			}
			st := s.add(t, f)
			done := make(chan string, 1)
			go func() { _, body := get(t, ts.Client(), "GET", ts.URL+"/SmartService/Events"); done <- body }()
			hk.wait(t, "hang")
			switch how {
			case "remove":
				_, err := s.plan.Remove(st.ID)
				require.NoError(t, err)
			case "reset":
				assert.Equal(t, 1, s.plan.Reset())
			case "window":
				s.clock.Advance(time.Minute)
			}
			assert.Equal(t, innerBody, <-done, "released, the request goes on to the head-end")
		})
	}
}

func TestSlowBodyDribbles(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	const rate, interval = 40, 30 * time.Millisecond
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindSlowBody, Params: fault.Params{Rate: rate, Interval: interval}})
	resp, err := ts.Client().Get(ts.URL + "/SmartService/Doors")
	require.NoError(t, err)
	defer resp.Body.Close()
	// Measure the chunks as they arrive.
	var got []byte
	var arrivals []time.Time
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			assert.LessOrEqual(t, n, rate, "no read carries more than one chunk")
			got = append(got, buf[:n]...)
			arrivals = append(arrivals, time.Now())
		}
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
	}
	assert.Equal(t, innerBody, string(got), "the whole real answer, slowly")
	chunks := (len(innerBody) + rate - 1) / rate
	require.GreaterOrEqual(t, len(arrivals), chunks)
	span := arrivals[len(arrivals)-1].Sub(arrivals[0])
	assert.GreaterOrEqual(t, span, time.Duration(chunks-1)*interval*9/10, "%d chunks, %v apart", chunks, interval)
}

func TestSlowBodyLetsGoWhenRemoved(t *testing.T) {
	s := newSite(t)
	hk := watch(s.plan)
	ts := s.serve(t, "entrapass", newHead())
	st := s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindSlowBody, Params: fault.Params{Rate: 1, Interval: fault.MaxInterval}})
	resp, err := ts.Client().Get(ts.URL + "/SmartService/Doors")
	require.NoError(t, err)
	defer resp.Body.Close()
	hk.wait(t, "fire")
	one := make([]byte, 1)
	_, err = io.ReadFull(resp.Body, one) // the first chunk, then an hour's wait
	require.NoError(t, err)
	_, err = s.plan.Remove(st.ID)
	require.NoError(t, err)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, innerBody, string(one)+string(rest))
}

type expirer struct{ calls chan struct{} }

func (e *expirer) ExpireSessions() int { e.calls <- struct{}{}; return 3 }

func TestExpireSessions(t *testing.T) {
	e := &expirer{calls: make(chan struct{}, 100)}
	s := newSite(t, fault.WithSessionExpirer(fault.TargetEntraPass, e))
	h := newHead()
	ts := s.serve(t, "entrapass", h)
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindExpireSessions, When: fault.When{Every: 2}})
	for range 6 {
		code, body := get(t, ts.Client(), "GET", ts.URL+"/SmartService/Events")
		assert.Equal(t, 200, code)
		assert.Equal(t, innerBody, body, "the request goes through")
	}
	assert.Len(t, e.calls, 3, "once per firing: requests 2, 4 and 6")
	assert.Equal(t, 6, h.count())

	// Without an expirer for the head-end, the fault is refused.
	_, err := s.plan.Add(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindExpireSessions})
	assert.ErrorIs(t, err, fault.ErrNotWired)
}

func TestStreamCutAfterEvents(t *testing.T) {
	s := newSite(t)
	h := newHead()
	ts := s.serve(t, "genetec", h)
	s.add(t, fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStreamCut, Params: fault.Params{Events: 3}, Match: fault.Match{Path: "/stream"}})
	resp, err := ts.Client().Get(ts.URL + "/stream")
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	sc := bufio.NewScanner(resp.Body)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	assert.Equal(t, []string{"event 0", "event 1", "event 2"}, lines)
	assert.ErrorIs(t, sc.Err(), io.ErrUnexpectedEOF, "the stream ends in the middle")
	err = <-h.streamEnd
	assert.True(t, errors.Is(err, fault.ErrStreamCut) || errors.Is(err, context.Canceled), "the handler is told: %v", err)

	// Other paths are not cut.
	code, body := get(t, ts.Client(), "GET", ts.URL+"/other")
	assert.Equal(t, 200, code)
	assert.Equal(t, innerBody, body)
}

func TestStreamCutAfterBytes(t *testing.T) {
	s := newSite(t)
	h := newHead()
	ts := s.serve(t, "genetec", h)
	s.add(t, fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStreamCut, Params: fault.Params{Bytes: 12}})
	resp, err := ts.Client().Get(ts.URL + "/stream")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, "event 0\neven", string(b), "exactly 12 bytes")
	assert.ErrorIs(t, <-h.streamEnd, fault.ErrStreamCut)

	// A plain answer with a Content-Length is cut too.
	resp, err = ts.Client().Get(ts.URL + "/SmartService/Doors")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err = io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, innerBody[:12], string(b))
}

func TestMatchMethodAndPath(t *testing.T) {
	s := newSite(t)
	ts := s.serve(t, "entrapass", newHead())
	st := s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 503},
		Match: fault.Match{Method: "get", Path: "/SmartService/Events*"}})
	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/SmartService/Events", 503},
		{"GET", "/smartservice/eventsandstayalive", 503}, // EntraPass paths compare case-insensitively
		{"PUT", "/SmartService/Events", 200},
		{"GET", "/SmartService/Doors", 200},
		{"GET", "/Events", 200},
	} {
		code, _ := get(t, ts.Client(), c.method, ts.URL+c.path)
		assert.Equal(t, c.want, code, "%s %s", c.method, c.path)
	}
	got, _ := s.plan.Get(st.ID)
	assert.Equal(t, uint64(2), got.Matched, "only matching requests count")
	assert.Equal(t, uint64(2), got.Fired)
}

func TestTargetsAreSeparate(t *testing.T) {
	s := newSite(t)
	ep := s.serve(t, "entrapass", newHead())
	gt := s.serve(t, "genetec", newHead())
	s.add(t, fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 500}})
	code, _ := get(t, ep.Client(), "GET", ep.URL+"/")
	assert.Equal(t, 200, code)
	code, _ = get(t, gt.Client(), "GET", gt.URL+"/")
	assert.Equal(t, 500, code)
	assert.Equal(t, [2]int{0, 1}, fault.SnapshotSizes(s.plan))
}

func TestFaultsComposeInOrder(t *testing.T) {
	e := &expirer{calls: make(chan struct{}, 10)}
	s := newSite(t, fault.WithSessionExpirer(fault.TargetEntraPass, e))
	ts := s.serve(t, "entrapass", newHead())
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindExpireSessions})
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindLatency, Params: fault.Params{Latency: 50 * time.Millisecond}})
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 502}})
	last := s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 504}})
	start := time.Now()
	code, _ := get(t, ts.Client(), "GET", ts.URL+"/")
	assert.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	assert.Equal(t, 502, code, "the first fault that answers wins")
	assert.Len(t, e.calls, 1)
	got, _ := s.plan.Get(last.ID)
	assert.Equal(t, uint64(1), got.Matched, "a later fault still counts the request")
}

func TestClientGoneDuringLatency(t *testing.T) {
	s := newSite(t)
	hk := watch(s.plan)
	h := newHead()
	ts := s.serve(t, "entrapass", h)
	s.add(t, fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindLatency, Params: fault.Params{Latency: fault.MaxLatency}})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/", nil)
	errc := make(chan error, 1)
	go func() {
		resp, err := ts.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	hk.wait(t, "fire")
	cancel()
	assert.ErrorIs(t, <-errc, context.Canceled)
	ts.Close() // waits for the handler: it returned without calling the head-end
	assert.Equal(t, 0, h.count())
}

func TestMiddlewarePanicsOnSiteTarget(t *testing.T) {
	s := newSite(t)
	assert.PanicsWithValue(t, `fault.Middleware: target "site" is not a head-end (want entrapass or genetec)`, func() {
		s.plan.Middleware("site", newHead())
	})
}

// A head-end that is not served takes no fault: it could never act.
func TestFaultOnAbsentHeadEndRefused(t *testing.T) {
	p := fault.New(nil, fault.WithoutHeadEnd(fault.TargetGenetec))
	_, err := p.Add(fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 503}})
	assert.ErrorIs(t, err, fault.ErrNotWired)
	assert.ErrorContains(t, err, "not served")
	_, err = p.Add(fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus, Params: fault.Params{Status: 503}})
	assert.NoError(t, err)
}
