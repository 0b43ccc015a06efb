package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/driver/genetec/store"
)

// runVisitors is `pacsim visitors`: the visitor-badge connector as a
// service (SPEC §7).
func runVisitors(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim visitors", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:9630", "address of the connector's API (host:port; port 0 picks a free one)")
	path := fs.String("store", "pacsim-visitors.db", "the connector's store (a bbolt file, mode 0600; its key beside it as <store>.key unless $PACSIM_VISITORS_KEY)")
	eod := fs.String("end-of-day", genetec.DefaultEndOfDay, "when visits end, HH:MM in --timezone")
	tz := fs.String("timezone", "", "IANA time zone of --end-of-day (default the machine's)")
	timeout := fs.Duration("timeout", 10*time.Second, "bound of each Security Center request")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: pacsim visitors [flags]\n\nRuns the Genetec visitor-badge connector and its API until SIGINT or SIGTERM.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(fs, "takes no arguments, got %q", fs.Args())
	}
	loc := time.Local
	if *tz != "" {
		l, err := time.LoadLocation(*tz)
		if err != nil {
			return usagef(fs, "--timezone: unknown time zone %q", *tz)
		}
		loc = l
	}
	if *timeout <= 0 || *timeout > time.Hour {
		return usagef(fs, "--timeout: %v is not between 0 and 1h", *timeout)
	}
	st, err := store.Open(*path)
	if err != nil {
		return err
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(stderr, nil))
	c, err := genetec.New(genetec.Config{Store: st, EndOfDay: *eod, Location: loc, Timeout: *timeout, Logger: log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	c.Start()
	defer c.Close()
	srv := &http.Server{Handler: c.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "pacsim %s: visitor-badge connector on http://%s/v1 (store %s, end of day %s %s)\n",
		version, ln.Addr(), st.Path(), *eod, loc)
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
