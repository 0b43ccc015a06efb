package steps

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/dataserver"
)

func newDataserver(reg *asset.Registry) *dataserver.Server { return dataserver.New(reg) }

// getSnapshot reads GET url as an asset.
func getSnapshot(url string) (asset.Snapshot, error) {
	var s asset.Snapshot
	resp, err := http.Get(url)
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return s, err
	}
	if resp.StatusCode != http.StatusOK {
		return s, fmt.Errorf("GET %s: HTTP %d: %s", url, resp.StatusCode, body)
	}
	if err := json.Unmarshal(body, &s); err != nil {
		return s, fmt.Errorf("GET %s: %w: %s", url, err, body)
	}
	return s, nil
}

// readLogStream reads GET /logs (text) of ls served at base (or, when base
// is "", serves it on 127.0.0.1:0) in the
// background: each line comes on the channel. It returns once the
// subscription is in place, so no line logged afterwards is missed.
func readLogStream(ls *dataserver.LogStream, base string) (<-chan string, func(), error) {
	ts := httptest.NewUnstartedServer(ls.Handler())
	if base == "" { // served here, on 127.0.0.1:0
		ts.Start()
		base = ts.URL
	}
	ctx, cancel := context.WithCancel(context.Background())
	before := ls.Subscribers()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/logs?format=text", nil)
	if err != nil {
		cancel()
		ts.Close()
		return nil, nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		ts.Close()
		return nil, nil, err
	}
	// The header is written after the subscription: once it is here, the
	// reader is subscribed.
	if ls.Subscribers() <= before {
		cancel()
		resp.Body.Close()
		ts.Close()
		return nil, nil, errors.New("the Debug Tools client is not subscribed to the log stream")
	}
	ch := make(chan string, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			select {
			case ch <- sc.Text():
			default: // nobody reads: drop
			}
		}
	}()
	stop := func() {
		cancel()
		resp.Body.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
		ts.CloseClientConnections()
		ts.Close()
	}
	return ch, stop, nil
}
