package guard

import (
	"fmt"
	"net"
	"os"
	"strings"
)

// Loopback reports whether a listener's address is reachable only from
// this machine.
func Loopback(addr net.Addr) bool {
	if a, ok := addr.(*net.TCPAddr); ok {
		return a.IP.IsLoopback()
	}
	host, _, err := net.SplitHostPort(addr.String())
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Warning returns the warning to print when what listens on addr off
// loopback without a token ("" when it does not): anyone who reaches the
// address can use the API. hint says how to set a token ("" when the API
// takes none).
func Warning(what string, addr net.Addr, token bool, hint string) string {
	if token || Loopback(addr) {
		return ""
	}
	if hint == "" {
		return fmt.Sprintf("warning: %s listens on %s, off loopback, and takes no token: anyone who can reach it can use it", what, addr)
	}
	msg := fmt.Sprintf("warning: %s listens on %s, off loopback, without a token: anyone who can reach it can use it; set one with %s", what, addr, hint)
	return msg
}

// ReadToken returns the token of file (its content, spaces trimmed), else
// of the environment variable env, else "". A file that cannot be read or
// is empty is an error naming flag.
func ReadToken(flag, file, env string) (string, error) {
	if file == "" {
		return strings.TrimSpace(os.Getenv(env)), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s: %w", flag, err)
	}
	tok := strings.TrimSpace(string(b))
	if tok == "" {
		return "", fmt.Errorf("%s: %s is empty: put the token in it", flag, file)
	}
	return tok, nil
}

// HostList is a repeatable flag of host names (--allow-host).
type HostList []string

// String lists the hosts.
func (h *HostList) String() string { return strings.Join(*h, ",") }

// Set adds one host name, or several separated by commas. A port is an
// error: Host is compared without it.
func (h *HostList) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(s); err == nil {
			return fmt.Errorf("%q: give a host name without a port", s)
		}
		*h = append(*h, s)
	}
	return nil
}
