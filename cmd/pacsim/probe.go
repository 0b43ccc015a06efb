package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

const probeUsage = `Usage: pacsim probe URL [--timeout 5s]

GETs URL once and exits 0 when it answers 200, so that a container holding
only the pacsim binary (no shell, no wget) can check another server: the
chart's 'helm test' pods run 'pacsim probe http://<site>:9700/readyz'.
Otherwise it exits 1 with one line on stderr: the status and the first line
of the body (a 503 from /readyz says why the server is not ready), or why no
answer came (connection refused, no such host, no answer within --timeout).
Exit status: 0 200; 1 anything else; 2 usage error.

Flags:`

// probeMaxTimeout bounds --timeout: a probe that may wait longer is a
// mistake (a unit left out, 5h for 5s).
const probeMaxTimeout = 10 * time.Minute

// probeLineMax is how much of the body's first line an error quotes.
const probeLineMax = 200

// runProbe is `pacsim probe URL`: one GET, exit 0 on 200.
func runProbe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeoutFlag := fs.String("timeout", "5s", "give up when no whole answer has come within this long (the connection, the status and the body's first line)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, probeUsage)
		fs.PrintDefaults()
	}
	flagArgs, rest, err := splitArgs(fs, args)
	if err != nil {
		return usagef(fs, "%w", err)
	}
	if err := parseFlags(fs, flagArgs); err != nil {
		return err
	}
	switch {
	case len(rest) == 0:
		return usagef(fs, "no URL: pacsim probe http://host:port/path")
	case len(rest) > 1:
		return usagef(fs, "one URL at a time, got %q", rest)
	}
	timeout, err := time.ParseDuration(*timeoutFlag)
	switch {
	case err != nil:
		return usagef(fs, "--timeout: %q is not a duration like 5s or 500ms", *timeoutFlag)
	case timeout <= 0 || timeout > probeMaxTimeout:
		return usagef(fs, "--timeout: %v is not between 0 and %v", timeout, probeMaxTimeout)
	}
	raw := rest[0]
	if l := strings.ToLower(raw); !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		return usagef(fs, "URL %q: not http:// or https://", raw)
	}
	u, err := url.Parse(raw)
	var ue *url.Error
	switch {
	case errors.As(err, &ue):
		return usagef(fs, "URL %q: %v", raw, ue.Err)
	case err != nil:
		return usagef(fs, "URL %q: %v", raw, err)
	case u.Host == "":
		return usagef(fs, "URL %q: no host", raw)
	}
	status, err := probe(ctx, u, timeout)
	if err != nil {
		return fmt.Errorf("probe: GET %s: %w", u.Redacted(), err)
	}
	fmt.Fprintf(stdout, "GET %s: %s\n", u.Redacted(), status)
	return nil
}

// probe GETs u and returns its status line when it is 200, else an error
// of one line saying what came back or why nothing did.
func probe(ctx context.Context, u *url.URL, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	// No proxy: a probe asks the server it names. Nothing kept alive: it
	// makes one request.
	tr := &http.Transport{DisableKeepAlives: true, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return "", probeError(err, u, timeout)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return resp.Status, nil
	}
	line, err := firstLine(resp.Body)
	switch {
	case err != nil && ctx.Err() != nil:
		line = fmt.Sprintf("(the body did not come within %v)", timeout)
	case err != nil:
		line = fmt.Sprintf("(the body could not be read: %v)", err)
	case line == "":
		line = "(empty body)"
	}
	return "", fmt.Errorf("%s: %s", resp.Status, line)
}

// firstLine reads the body's first line, clipped to probeLineMax bytes on
// a rune boundary.
func firstLine(r io.Reader) (string, error) {
	br := bufio.NewReader(io.LimitReader(r, 4*probeLineMax))
	line, err := br.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	line = strings.TrimSpace(line)
	if len(line) > probeLineMax {
		cut := probeLineMax
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		line = line[:cut] + "…"
	}
	return line, nil
}

// probeError names why a request got no answer in words an operator
// reads: the bare transport error is "Get …: dial tcp …: connect: …".
func probeError(err error, u *url.URL, timeout time.Duration) error {
	var dns *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return fmt.Errorf("no answer within %v (--timeout)", timeout)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("connection refused: nothing listens on %s", hostPort(u))
	case errors.As(err, &dns) && dns.IsNotFound:
		return fmt.Errorf("no such host %q", dns.Name)
	case errors.Is(err, context.Canceled):
		return errors.New("interrupted")
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// hostPort is u's host and port, the scheme's port when u names none.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	port := "80"
	if u.Scheme == "https" {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port)
}
