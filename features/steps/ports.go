package steps

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/dataserver"
)

// The driver's fixed and default ports, checked on listeners.
//
// The Dataserver's default port (9628) and the Debug Tools port (9629,
// fixed on a site) are checked by serving the driver's own handlers on the
// driver's own default addresses and reaching them there, not by comparing
// constants. Those addresses are machine-wide: scenarios that use them take
// defaultPorts, so that two of them in parallel do not collide.
var defaultPorts sync.Mutex

// holdDefaultPorts takes defaultPorts until the scenario ends.
func (w *World) holdDefaultPorts() {
	if w.holdsPorts {
		return
	}
	defaultPorts.Lock()
	w.holdsPorts = true
	w.defer_(defaultPorts.Unlock)
}

// listenDefault listens on a default address; another process holding it
// is named in the error.
func listenDefault(what, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot listen on its default address %s (is another program, or another pacsim driver, using it?): %w", what, addr, err)
	}
	return ln, nil
}

func portOf(addr string) (int, error) {
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(p)
}

// dataserverDefault serves a Dataserver on the driver's default Dataserver
// address and reads GET /assets from 127.0.0.1:port.
func (w *World) dataserverDefault(port int) error {
	w.holdDefaultPorts()
	addr := dataserver.DefaultAddr
	if got, err := portOf(addr); err != nil || got != port {
		return fmt.Errorf("the Dataserver's default address is %s, expected port %d", addr, port)
	}
	ln, err := listenDefault("the Dataserver", addr)
	if err != nil {
		return err
	}
	reg := asset.NewRegistry(nil, nil)
	ds := dataserver.New(reg)
	srv := &http.Server{Handler: ds.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Close below
	defer func() {
		ds.Close()
		srv.Close()
	}()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://127.0.0.1:" + strconv.Itoa(port) + "/assets")
	if err != nil {
		return fmt.Errorf("the Dataserver on its default port %d does not answer: %w", port, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var list []asset.Snapshot
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &list) != nil || len(list) == 0 || list[0].Ref != asset.SystemRef {
		return fmt.Errorf("GET /assets on port %d: HTTP %d %.200q, expected the driver's assets (the System first)", port, resp.StatusCode, body)
	}
	return nil
}

// debugDefault makes the scenario's Debug Tools client read the driver's
// log stream on 127.0.0.1:port, served on the driver's Debug Tools address
// (the step "a Debug Tools client reads the log stream" then connects
// there).
func (w *World) debugDefault(port int) error {
	addr := dataserver.DefaultDebugAddr
	if got, err := portOf(addr); err != nil || got != port {
		return fmt.Errorf("the Debug Tools address is %s, expected port %d", addr, port)
	}
	w.holdDefaultPorts()
	w.debugPort = port
	return nil
}

// serveDebugDefault serves the driver's log stream on its Debug Tools
// address, for a scenario that named the port.
func (w *World) serveDebugDefault() (string, error) {
	if w.logs2 == nil {
		return "", errors.New("no driver: configure the driver first")
	}
	ln, err := listenDefault("the Debug Tools log stream", dataserver.DefaultDebugAddr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: w.logs2.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Close below
	w.defer_(func() { srv.Close() })
	return "http://127.0.0.1:" + strconv.Itoa(w.debugPort), nil
}
