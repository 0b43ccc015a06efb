package guard

import (
	"net/http"
	"time"
)

// Timeouts of Server. A request's header must arrive within
// ReadHeaderTimeout and its body within ReadTimeout; an answer must be
// written within WriteTimeout (long streams lift it, see Stream); an idle
// keep-alive connection is closed after IdleTimeout.
const (
	ReadHeaderTimeout = 10 * time.Second
	ReadTimeout       = time.Minute
	WriteTimeout      = 2 * time.Minute
	IdleTimeout       = 2 * time.Minute
	// MaxHeaderBytes caps a request's header.
	MaxHeaderBytes = 1 << 20
)

// Server returns an http.Server for h with every timeout set, so that a
// slow or idle client cannot hold a connection (and a file descriptor)
// for ever. Serve it on a listener from Listen.
func Server(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}
