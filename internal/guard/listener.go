package guard

import (
	"fmt"
	"net"
	"sync"
)

// DefaultMaxConns is the cap on open connections of one listener when none
// is given. Each listener has its own, so a flood on one (a head-end) never
// starves another (the control API).
const DefaultMaxConns = 1024

// Listen listens on the TCP address addr and caps its open connections at
// max (DefaultMaxConns when max <= 0).
func Listen(addr string, max int) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return Limit(ln, max), nil
}

// Limit caps the connections of ln open at once at max (DefaultMaxConns
// when max <= 0). At the cap, Accept waits for one to close: the next
// connections wait in the kernel's backlog, not in this process's file
// descriptors. Wrap the TCP listener, under any TLS listener.
func Limit(ln net.Listener, max int) net.Listener {
	if max <= 0 {
		max = DefaultMaxConns
	}
	return &limitListener{Listener: ln, sem: make(chan struct{}, max), done: make(chan struct{})}
}

type limitListener struct {
	net.Listener
	sem       chan struct{}
	done      chan struct{}
	closeOnce sync.Once
}

// Accept takes a slot, then a connection; the slot is freed when the
// connection is closed.
func (l *limitListener) Accept() (net.Conn, error) {
	select {
	case l.sem <- struct{}{}:
	case <-l.done:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitConn{Conn: c, release: func() { <-l.sem }}, nil
}

// Close closes the listener and wakes an Accept waiting for a slot.
func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// String names the cap, for logs.
func (l *limitListener) String() string {
	return fmt.Sprintf("%s (at most %d connections)", l.Addr(), cap(l.sem))
}

// Open returns how many of ln's slots are taken — its open connections,
// plus one while Accept waits for the next — when ln came from Limit or
// Listen (else -1). It never exceeds the cap.
func Open(ln net.Listener) int {
	if l, ok := ln.(*limitListener); ok {
		return len(l.sem)
	}
	return -1
}

type limitConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
