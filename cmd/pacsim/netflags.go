package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"

	"github.com/pacsim/pacsim/internal/guard"
)

// netFlags are the listener flags serve, driver and visitors share: the
// connection cap, the host names their API answers to, and the addresses
// printed for scripts.
type netFlags struct {
	maxConns       int
	allowHosts     guard.HostList
	printAddresses string
}

func (n *netFlags) register(fs *flag.FlagSet, api string) {
	fs.IntVar(&n.maxConns, "max-conns", guard.DefaultMaxConns, "open connections each listener holds at once (more wait in the kernel's queue until one closes)")
	fs.Var(&n.allowHosts, "allow-host", "a host name "+api+" answers to besides IP addresses and localhost, such as the name a remote client uses to reach this machine (repeatable, or comma-separated; \"*\" for any)")
	fs.StringVar(&n.printAddresses, "print-addresses", "", "\"json\": print one JSON object of the listeners' actual addresses as the first line of stdout (the banner goes to stderr)")
}

// check refuses values the flags cannot take.
func (n *netFlags) check() error {
	if n.maxConns < 1 {
		return fmt.Errorf("--max-conns: %d is not a number of connections (1 or more)", n.maxConns)
	}
	if n.printAddresses != "" && n.printAddresses != "json" {
		return fmt.Errorf("--print-addresses: %q is not a format: the one format is json", n.printAddresses)
	}
	return nil
}

// wrap guards an API a browser could reach (guard.Wrap): its Host, Origin,
// body type and, when token is set, the bearer token.
func (n *netFlags) wrap(h http.Handler, addr net.Addr, token, hint string) http.Handler {
	return guard.Wrap(h, guard.Options{Addr: addr, AllowHosts: n.allowHosts, Token: token, Open: guard.OpenPaths, TokenHint: hint})
}

// wrapControl guards the simulator's control API: as wrap, but a script's
// body need not say it is JSON (curl -d '{…}' keeps working; a page's
// still must).
func (n *netFlags) wrapControl(h http.Handler, addr net.Addr) http.Handler {
	return guard.Wrap(h, guard.Options{Addr: addr, AllowHosts: n.allowHosts, Open: guard.OpenPaths, ScriptBodies: true})
}

// print writes addrs as one JSON line when --print-addresses json.
func (n *netFlags) print(w io.Writer, addrs map[string]string) error {
	if n.printAddresses == "" {
		return nil
	}
	b, err := json.Marshal(addrs)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
