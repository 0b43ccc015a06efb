package entrapass

import (
	"errors"
	"syscall"
)

// ErrDefaultPortRefused is wrapped, beside ErrUnreachable, by the error of
// a request refused on DefaultPort. Port 8080 is the integration
// document's, but a real SmartService and `pacsim serve` listen on 8801:
// a driver left on the default finds nothing there, and the error says
// where to look.
var ErrDefaultPortRefused = errors.New("nothing listens on port 8080, the integration document's default; pacsim serve serves SmartService on 127.0.0.1:8801: --port 8801")

// refusedOnDefault reports whether err is a connection refused on
// DefaultPort.
func refusedOnDefault(port int, err error) bool {
	return port == DefaultPort && errors.Is(err, syscall.ECONNREFUSED)
}
