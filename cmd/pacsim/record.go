package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/scenarios"
)

// errRecordStopped is the cause the recorder's requests are cancelled with
// at the stop: a stream still open is recorded as ended by the stop, not
// by its client.
var errRecordStopped = errors.New("pacsim record stopped")

// recordGrace is how long the stop waits for ordinary requests in flight
// before it ends them (streams never end by themselves).
const recordGrace = 2 * time.Second

// recordProgress is how often, at most, the running count is printed.
const recordProgress = time.Second

// runRecord is `pacsim record`: a reverse proxy between an integration and
// a real head-end that records what passes (SPEC §9) until ctx ends. It
// returns errUsage for a usage error (exit 2), nil at the stop when every
// exchange was written, and an error (exit 1) saying how many were not.
func runRecord(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		upstream, listen, out, system string
		certFile, keyFile             string
		noRedact, insecure, force     bool
	)
	fs.StringVar(&upstream, "upstream", "", "the real head-end, e.g. http://10.0.0.5:8801 (SmartService) or https://sc.example:4590 (Web SDK) (required)")
	fs.StringVar(&listen, "listen", "", "address the integration is pointed at instead, host:port; port 0 picks a free one (required)")
	fs.StringVar(&out, "out", "", "the recording to write, JSON Lines (required; an existing file is refused without --force)")
	fs.StringVar(&system, "system", "", "entrapass or genetec (default: from the --upstream path, /SmartService or /WebSdk, else its port, 8801 or 4590)")
	fs.BoolVar(&noRedact, "no-redact", false, "keep passwords, session keys, credentials, card numbers and names in clear (the header says so)")
	fs.BoolVar(&insecure, "upstream-insecure", false, "accept any certificate of an https --upstream (a head-end's self-signed one)")
	fs.BoolVar(&force, "force", false, "overwrite an existing --out")
	fs.StringVar(&certFile, "cert", "", "PEM certificate to serve the integration HTTPS with (with --key; default: plain HTTP)")
	fs.StringVar(&keyFile, "key", "", "PEM private key of --cert")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: pacsim record --upstream URL --listen ADDR --out FILE [flags]

Proxies an integration's traffic to a real head-end and records each
exchange to FILE, redacted unless --no-redact, until SIGINT or SIGTERM.

Flags:`)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	usageErr := func(format string, a ...any) error { return usagef(fs, format, a...) }
	if fs.NArg() > 0 {
		return usageErr("takes no arguments, got %q", fs.Args())
	}
	for _, f := range []struct{ name, v string }{{"--upstream", upstream}, {"--listen", listen}, {"--out", out}} {
		if f.v == "" {
			return usageErr("%s is required", f.name)
		}
	}
	up, err := url.Parse(upstream)
	if err != nil || (up.Scheme != "http" && up.Scheme != "https") || up.Host == "" {
		return usageErr("--upstream %q is not an http:// or https:// URL with a host", upstream)
	}
	if up.User != nil || up.RawQuery != "" || up.Fragment != "" {
		return usageErr("--upstream %s: give the head-end's address only (no user, query or fragment)", up.Redacted())
	}
	if insecure && up.Scheme != "https" {
		return usageErr("--upstream-insecure needs an https --upstream")
	}
	switch system {
	case "":
		if system = scenarios.SystemOfPath(up.Path); system == "" {
			system = systemOfPort(up.Port())
		}
		if system == "" {
			return usageErr("cannot tell the system from --upstream %s: give --system entrapass or --system genetec", up)
		}
	case scenarios.SystemEntraPass, scenarios.SystemGenetec:
	default:
		return usageErr("--system %q is not entrapass or genetec", system)
	}
	if (certFile == "") != (keyFile == "") {
		return usageErr("--cert and --key go together")
	}
	// Refused here already, with the flag to use, before anything listens;
	// Create refuses it again should the file appear meanwhile.
	if _, err := os.Stat(out); err == nil && !force {
		return fmt.Errorf("--out %s exists: give --force to overwrite it, or another file", out)
	}

	ln, err := guard.Listen(listen, guard.DefaultMaxConns)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	defer ln.Close()
	scheme := "http"
	if certFile != "" {
		cfg, err := loadTLS(certFile, keyFile)
		if err != nil {
			return fmt.Errorf("--cert/--key: %w", err)
		}
		ln = tls.NewListener(ln, cfg)
		scheme = "https"
	}

	redact := !noRedact
	var opts []scenarios.WriterOption
	if force {
		opts = append(opts, scenarios.WithForce())
	}
	w, err := scenarios.Create(out, scenarios.Header{
		Format:     scenarios.FormatName,
		Version:    scenarios.Version,
		System:     system,
		RecordedAt: time.Now().UTC(),
		Upstream:   (&url.URL{Scheme: up.Scheme, Host: up.Host, Path: up.Path}).String(),
		Redacted:   redact,
	}, opts...)
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	closeWriter := sync.OnceValue(w.Close)
	defer closeWriter()
	rec, err := scenarios.NewRecorder(scenarios.RecorderConfig{
		Upstream: up, System: system, Writer: w, Redact: redact, InsecureSkipVerify: insecure,
	})
	if err != nil {
		return err
	}

	// Requests derive from base: cancelling it with errRecordStopped ends
	// the streams still open at the stop.
	base, stopRequests := context.WithCancelCause(context.Background())
	defer stopRequests(errRecordStopped)
	var inflight sync.WaitGroup
	// The recorder bounds each of its writes (a stream lasts as long as
	// the integration keeps it open), overriding WriteTimeout.
	srv := guard.Server(http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		inflight.Add(1)
		defer inflight.Done()
		rec.ServeHTTP(rw, req)
	}))
	srv.BaseContext = func(net.Listener) context.Context { return base }
	errc := make(chan error, 1)
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	state := "redacted"
	if !redact {
		state = "NOT redacted"
	}
	fmt.Fprintf(stdout, "recording %s on %s://%s to %s (%s)\n", up, scheme, ln.Addr(), out, state)

	p := recordReporter{rec: rec, out: out, stderr: stderr}
	tick := time.NewTicker(recordProgress)
	defer tick.Stop()
	var serveErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case serveErr = <-errc:
			break loop
		case <-tick.C:
			p.report()
		}
	}

	// Ordinary requests in flight finish within the grace; then what is
	// still open (streams) is ended, and recorded as ended by the stop.
	grace, cancel := context.WithTimeout(context.Background(), recordGrace)
	_ = srv.Shutdown(grace)
	cancel()
	stopRequests(errRecordStopped)
	_ = srv.Close()
	inflight.Wait()
	rec.Flush() // every exchange answered is written before the file closes
	closeErr := closeWriter()
	p.warn()

	n, failed := rec.Count(), rec.Failed()
	if failed > 0 {
		fmt.Fprintf(stdout, "recorded %d exchanges (%d upstream failures)\n", n, failed)
	} else {
		fmt.Fprintf(stdout, "recorded %d exchanges\n", n)
	}
	switch {
	case serveErr != nil:
		return serveErr
	case rec.Unwritten() > 0:
		return fmt.Errorf("%d exchanges were proxied but not written to %s: %v", rec.Unwritten(), out, rec.WriteErr())
	case closeErr != nil:
		return fmt.Errorf("--out %s: %w", out, closeErr)
	}
	return nil
}

// systemOfPort guesses the system from the head-ends' standard ports.
func systemOfPort(port string) string {
	switch port {
	case "8801":
		return scenarios.SystemEntraPass
	case "4590":
		return scenarios.SystemGenetec
	}
	return ""
}

// recordReporter prints the running count and the first write error on
// stderr. It is used by runRecord's goroutine only.
type recordReporter struct {
	rec           *scenarios.Recorder
	out           string
	stderr        io.Writer
	count, failed int
	warned        bool
}

// report prints the count when it changed, then warn.
func (p *recordReporter) report() {
	n, f := p.rec.Count(), p.rec.Failed()
	if n != p.count || f != p.failed {
		p.count, p.failed = n, f
		fmt.Fprintf(p.stderr, "recorded %d exchanges (%d upstream failures)\n", n, f)
	}
	p.warn()
}

// warn prints the writer's first error, once: the recording is
// incomplete from then on, and the user should know before the end.
func (p *recordReporter) warn() {
	if p.warned {
		return
	}
	if err := p.rec.WriteErr(); err != nil {
		p.warned = true
		fmt.Fprintf(p.stderr, "pacsim record: cannot write to %s: %v (exchanges are still proxied, but not recorded)\n", p.out, err)
	}
}
