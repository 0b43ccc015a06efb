package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/internal/metrics"
)

// visitorsTokenEnv holds the connector API's bearer token when --token-file
// is not given.
const visitorsTokenEnv = "PACSIM_VISITORS_TOKEN"

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
	tokenFile := fs.String("token-file", "", "file holding the bearer token every API request must carry (default: $"+visitorsTokenEnv+"; none: no token asked)")
	var nf netFlags
	nf.register(fs, "the connector's API")
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
	if err := nf.check(); err != nil {
		return err
	}
	token, err := guard.ReadToken("--token-file", *tokenFile, visitorsTokenEnv)
	if err != nil {
		return err
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
	ln, err := guard.Listen(*listen, nf.maxConns)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	c.Start()
	defer c.Close()
	hint := "--token-file or $" + visitorsTokenEnv
	reg := metrics.New()
	reg.MustRegister(c.Collector())
	srv := guard.Server(nf.wrap(withMetrics(c.Handler(), reg), ln.Addr(), token, hint))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	human := stdout // with --print-addresses json, stdout holds the JSON line
	if nf.printAddresses != "" {
		human = stderr
	}
	if err := nf.print(stdout, map[string]string{"listen": ln.Addr().String(), "listen_url": fmt.Sprintf("http://%s/v1", ln.Addr())}); err != nil {
		return err
	}
	fmt.Fprintf(human, "pacsim %s: visitor-badge connector on http://%s/v1 (store %s, end of day %s %s)\n",
		version, ln.Addr(), st.Path(), *eod, loc)
	if w := guard.Warning("the visitor connector's API", ln.Addr(), token != "", hint); w != "" {
		fmt.Fprintln(stderr, w)
	}
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
