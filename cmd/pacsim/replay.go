package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/scenarios"
)

// errDifferences is returned when `replay --against` found the live server
// differing from the recording: main prints it and exits 1.
var errDifferences = errors.New("the live server differs from the recording")

const replayUsage = `Usage: pacsim replay FILE --listen ADDR [--speed 1|10|max]
       pacsim replay FILE --against URL [--username U] [--app-id ID] [--insecure] [--json]

With --listen, serves the recording FILE (made by 'pacsim record') to a driver
until SIGINT or SIGTERM: identical requests are answered in recorded order (the
last answer repeats); a request that matches nothing gets 404 naming the
nearest exchange, its line and the field that differed.

With --against, sends the recorded requests in order to the live server URL
(the simulator, say) and reports every difference of status and body structure,
volatile fields ignored. The recording's credentials are redacted: it logs in
as --username with the password in $PACSIM_ENTRAPASS_PASSWORD or
$PACSIM_GENETEC_PASSWORD (by the recording's system).
Exit status: 0 nothing differs, 1 something does, 2 usage error.

FILE may come before or after the flags.

Flags:`

// runReplay is `pacsim replay`: serve a recording, or replay it against a
// live server (SPEC §9).
func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		listen   = fs.String("listen", "", "serve the recording on this address (host:port; port 0 picks a free one)")
		speed    = fs.String("speed", "1", "pace of --listen: 1 the recorded timing, 10 ten times faster, any positive number, or max (no waiting)")
		against  = fs.String("against", "", "send the recorded requests to this live server, e.g. http://127.0.0.1:8801/SmartService/ or https://host:4590/WebSdk/")
		asJSON   = fs.Bool("json", false, "with --against, print the report as JSON")
		username = fs.String("username", "", "with --against, who logs in to the live server (required when the recording is redacted)")
		appID    = fs.String("app-id", "", "with --against a Genetec recording, the application ID of the Authorization (default: the recorded one)")
		insecure = fs.Bool("insecure", false, "with --against, accept any certificate of an https URL")
	)
	fs.Usage = func() {
		fmt.Fprintln(stderr, replayUsage)
		fs.PrintDefaults()
	}
	flagArgs, files, err := splitArgs(fs, args)
	if err != nil {
		return usagef(fs, "%w", err)
	}
	if err := parseFlags(fs, flagArgs); err != nil {
		return err
	}
	usageErr := func(format string, a ...any) error { return usagef(fs, format, a...) }
	switch {
	case len(files) == 0:
		return usageErr("no recording: pacsim replay FILE --listen ADDR | --against URL")
	case len(files) > 1:
		return usageErr("one recording at a time, got %q", files)
	case *listen != "" && *against != "":
		return usageErr("--listen and --against: one or the other")
	case *listen == "" && *against == "":
		return usageErr("--listen ADDR to serve the recording, or --against URL to compare a live server with it")
	}
	file := files[0]
	if *listen != "" {
		sp, err := parseSpeed(*speed)
		if err != nil {
			return usageErr("--speed: %v", err)
		}
		for _, f := range []string{"json", "username", "app-id", "insecure"} {
			if isSet(fs, f) {
				return usageErr("--%s goes with --against, not --listen", f)
			}
		}
		rec, err := openRecording(file)
		if err != nil {
			return err
		}
		return serveReplay(ctx, file, rec, *listen, sp, stdout)
	}
	if isSet(fs, "speed") {
		return usageErr("--speed goes with --listen, not --against")
	}
	base, err := url.Parse(*against)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return usageErr("--against: %q is not an http(s) URL", *against)
	}
	rec, err := openRecording(file)
	if err != nil {
		return err
	}
	env := passwordEnv
	if rec.Header.System == scenarios.SystemGenetec {
		env = genetecPasswordEnv
	}
	password := os.Getenv(env)
	if rec.Header.Redacted {
		// A redacted recording's credentials log in nowhere: without
		// these every request would just be refused.
		if *username == "" {
			return usageErr("%s is redacted: give --username (and the password in $%s)", file, env)
		}
		if password == "" {
			return usageErr("%s is redacted: set $%s to %s's password", file, env, *username)
		}
	}
	client := &http.Client{Timeout: 30 * time.Second}
	if *insecure {
		client.Transport = &http.Transport{Proxy: http.ProxyFromEnvironment,
			TLSClientConfig: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // asked for with --insecure
	}
	rep, err := scenarios.Against(ctx, rec, base, scenarios.AgainstOptions{
		Client: client, Username: *username, Password: password, AppID: *appID,
	})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(stdout, rec, rep)
	}
	if rep.Failed() {
		return fmt.Errorf("%w: %d difference(s), %d request(s) unanswered", errDifferences, len(rep.Differences), len(rep.Errors))
	}
	return nil
}

// splitArgs separates the flags from the positional arguments wherever
// they stand: the flag package stops at the first non-flag, and the
// recording is naturally written first. A flag's value is taken from the
// next argument unless it is a boolean flag or written --flag=value.
func splitArgs(fs *flag.FlagSet, args []string) (flags, rest []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(rest, args[i+1:]...), nil
		}
		if len(a) < 2 || a[0] != '-' {
			rest = append(rest, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			// Unknown (or -h): the flag package says so.
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 >= len(args) {
			return nil, nil, fmt.Errorf("flag needs an argument: %s", a)
		}
		i++
		flags = append(flags, args[i])
	}
	return flags, rest, nil
}

// isSet reports whether the flag was given on the command line.
func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// parseSpeed reads --speed: max (no waiting, 0 for the replayer) or a
// positive number, 1 and 10 being the usual ones.
func parseSpeed(s string) (float64, error) {
	if strings.EqualFold(s, "max") {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0) || v > 1e6 {
		return 0, fmt.Errorf("%q is not 1, 10, max or another positive number", s)
	}
	return v, nil
}

// openRecording reads a recording, naming the file in the error as a
// compiler names a source file: recording.jsonl: line 3: ….
func openRecording(file string) (*scenarios.Recording, error) {
	rec, err := scenarios.Open(file)
	if err != nil {
		var le *scenarios.LineError
		if errors.As(err, &le) {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		return nil, err
	}
	return rec, nil
}

// serveReplay serves rec on addr until ctx ends.
func serveReplay(ctx context.Context, file string, rec *scenarios.Recording, addr string, speed float64, stdout io.Writer) error {
	rp, err := scenarios.NewReplayer(scenarios.ReplayConfig{Recording: rec, Speed: speed})
	if err != nil {
		return err
	}
	ln, err := guard.Listen(addr, guard.DefaultMaxConns)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	// A replayed event stream stays open as long as it was recorded (at
	// --speed 1): the replayer bounds each of its writes instead.
	srv := guard.Server(rp)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "replaying %s (%d exchanges of %s recorded at %s) on http://%s\n",
		file, len(rec.Exchanges), rec.Header.System, rec.Header.RecordedAt.Format(time.RFC3339), ln.Addr())
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	// A replayed event stream may run long: give answers in flight a
	// moment, then cut them.
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	fmt.Fprintf(stdout, "served %d requests, %d unmatched\n", rp.Served(), rp.Unmatched())
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return nil
}

// printReport writes the human summary of an --against run.
func printReport(w io.Writer, rec *scenarios.Recording, rep *scenarios.Report) {
	fmt.Fprintf(w, "%d exchanges sent, %d differences\n", rep.Sent, len(rep.Differences))
	bySeq := make(map[int]*scenarios.Exchange, len(rec.Exchanges))
	for i := range rec.Exchanges {
		bySeq[rec.Exchanges[i].Seq] = &rec.Exchanges[i]
	}
	for _, d := range rep.Differences {
		what := ""
		if ex := bySeq[d.Seq]; ex != nil {
			what = " " + ex.Request.Method + " " + ex.Request.Path
		}
		fmt.Fprintf(w, "exchange %d (line %d)%s: %s: %s%s\n", d.Seq, d.Line, what, d.Where, d.Kind, wantGot(d))
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(w, "error: %s\n", e)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

// wantGot says what was recorded and what is live when that is more than
// the kind says: a status or a type. "missing" and "extra" need nothing
// more.
func wantGot(d scenarios.Difference) string {
	switch d.Kind {
	case "missing", "extra", "rows":
		return ""
	}
	if d.Want == "" && d.Got == "" {
		return ""
	}
	return fmt.Sprintf(" (recorded %s, live %s)", orNone(d.Want), orNone(d.Got))
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
