package fault

import (
	"net"
	"net/http"
)

func init() {
	register(&kindSpec{kind: KindReset, check: func(*Params) error { return nil }})
}

// resetConnection resets the connection of w: SO_LINGER 0 then close sends
// a TCP RST, so the client sees "connection reset by peer" (ECONNRESET).
// Over TLS the TCP connection below is reset, with no close_notify. Where
// the connection cannot be taken over (HTTP/2) the handler is aborted.
func resetConnection(w http.ResponseWriter) {
	conn, ok := hijack(w, false)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		conn = nc.NetConn()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
