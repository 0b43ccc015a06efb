package simtest_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/fault"
	"github.com/pacsim/pacsim/sim/simtest"
)

// webSdk sends a text/json request to the site's Web SDK as its user.
func webSdk(t *testing.T, s *simtest.Site, method, path string) (int, string) {
	t.Helper()
	user, app, pass := s.GenetecUser()
	req, err := http.NewRequest(method, s.GenetecURL()+path, nil)
	require.NoError(t, err)
	req.SetBasicAuth(user+";"+app, pass)
	req.Header.Set("Accept", "text/json")
	resp, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func addFault(t *testing.T, s *simtest.Site, f fault.Fault) {
	t.Helper()
	_, err := s.Control().AddFault(context.Background(), f)
	require.NoError(t, err)
}

// Transport faults with target genetec act on the Web SDK and nowhere else.
func TestGenetecTransportFaults(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	addFault(t, s, fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStatus, Params: fault.Params{Status: 503},
		When: fault.When{Every: 3}})
	var codes []int
	for range 6 {
		code, _ := webSdk(t, s, "GET", "")
		codes = append(codes, code)
	}
	require.Equal(t, []int{200, 200, 503, 200, 200, 503}, codes)
	// SmartService is untouched.
	resp, err := s.HTTPClient().Get(s.EntraPassURL() + "Login?userName=pacsim&password=pacsim")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)

	require.NoError(t, s.Control().ResetFaults(context.Background()))
	addFault(t, s, fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindAppFault, Params: fault.Params{Code: "SdkRequestError"}})
	code, body := webSdk(t, s, "GET", "")
	require.Equal(t, 200, code)
	require.Contains(t, body, `"Status":"Fail"`)
	require.Contains(t, body, `"SdkErrorCode":"SdkRequestError"`)
}

// openStream opens the event stream and returns its lines.
func openStream(t *testing.T, s *simtest.Site) (<-chan string, func()) {
	t.Helper()
	user, app, pass := s.GenetecUser()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", s.GenetecURL()+"events", nil)
	req.SetBasicAuth(user+";"+app, pass)
	req.Header.Set("Accept", "text/json")
	resp, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	lines := make(chan string, 64)
	go func() {
		defer close(lines)
		defer resp.Body.Close()
		r := bufio.NewReader(resp.Body)
		for {
			l, err := r.ReadString('\n')
			if l != "" {
				lines <- strings.TrimRight(l, "\r\n")
			}
			if err != nil {
				return
			}
		}
	}()
	return lines, cancel
}

// next waits for the next line; "" when the stream ended.
func next(t *testing.T, lines <-chan string) (string, bool) {
	t.Helper()
	select {
	case l, ok := <-lines:
		return l, ok
	case <-time.After(10 * time.Second):
		t.Fatal("no line from the event stream within 10 s")
	}
	return "", false
}

// waitEvent reads lines until an event data line containing want; it
// fails if the stream ends first.
func waitEvent(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	for {
		l, ok := next(t, lines)
		require.True(t, ok, "the stream ended before %s", want)
		if strings.Contains(l, want) {
			return
		}
	}
}

// expire-sessions ends the stream and the subscriptions with the session;
// stream-cut cuts the stream after N events.
func TestGenetecStreamFaults(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	lines, stop := openStream(t, s)
	defer stop()
	first, _ := next(t, lines)
	require.True(t, strings.HasPrefix(first, "ConnectionId:"), first)
	code, _ := webSdk(t, s, "GET", "events/subscribe?q=event(Door,AccessGranted)")
	require.Equal(t, 200, code)
	_, err := s.Present(30, "200:2001", "")
	require.NoError(t, err)
	waitEvent(t, lines, `"EventType":"AccessGranted"`)

	// expire-sessions acts on the next request: every session ends, its
	// streams and subscriptions with it.
	addFault(t, s, fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindExpireSessions})
	webSdk(t, s, "GET", "")
	require.NoError(t, s.Control().ResetFaults(context.Background()))
	for {
		if _, ok := next(t, lines); !ok {
			break // the stream ended with its session
		}
	}
	_, body := webSdk(t, s, "GET", "events/subscribed")
	require.JSONEq(t, `{"Rsp":{"Status":"Ok","Result":[]}}`, body, "the subscriptions went with the session")

	addFault(t, s, fault.Fault{Target: fault.TargetGenetec, Kind: fault.KindStreamCut, Params: fault.Params{Events: 2},
		Match: fault.Match{Path: "/WebSdk/events"}})
	lines2, stop2 := openStream(t, s)
	defer stop2()
	first, _ = next(t, lines2)
	require.True(t, strings.HasPrefix(first, "ConnectionId:"), first)
	webSdk(t, s, "GET", "events/subscribe?q=event(Door,AccessGranted)")
	_, err = s.Present(30, "200:2001", "")
	require.NoError(t, err)
	// The second flush (the first event) goes through, then the stream is cut.
	n := 0
	for {
		l, ok := next(t, lines2)
		if !ok {
			break
		}
		if strings.Contains(l, "AccessGranted") {
			n++
		}
	}
	require.Equal(t, 1, n, "the stream is cut after its second flush: the ConnectionId, then one event")
}
