package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/pacsim/pacsim/driver/dataserver"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/internal/metrics"
)

// passwordEnv is read when neither --password nor the config file gives
// one, so that the password need not appear on a command line.
const passwordEnv = "PACSIM_ENTRAPASS_PASSWORD"

// driverTokenEnv holds the northbound API's bearer token when --token-file
// is not given.
const driverTokenEnv = "PACSIM_DRIVER_TOKEN"

// driverFile is the --config file: the flags' fields, in JSON.
type driverFile struct {
	Host       string `json:"host"`
	Port       int    `json:"port"`
	Username   string `json:"username"`
	Password   string `json:"password"`
	TLS        bool   `json:"tls"`
	Insecure   bool   `json:"insecure"`
	Poll       string `json:"poll"`
	Dataserver string `json:"dataserver"`
	Debug      string `json:"debug"`
	State      string `json:"state"`
}

// driverFlagOf names the flag of each entrapass.Config field an error can
// name.
var driverFlagOf = map[string]string{
	"Host": "--host", "Port": "--port", "Username": "--username", "Password": "--password",
	"TLS": "--tls", "InsecureSkipVerify": "--insecure", "Poll": "--poll",
}

// runDriver is `pacsim driver`: the EntraPass driver against a SmartService
// (real or simulated), serving its assets northbound (the Dataserver, port
// 9628) and its debug log stream (Debug Tools, port 9629) until ctx ends.
func runDriver(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim driver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f driverFile
	var configFile, passwordFile, tokenFile string
	var nf netFlags
	fs.StringVar(&f.Host, "host", "", "IP address or host name of the EntraPass server (required)")
	fs.IntVar(&f.Port, "port", entrapass.DefaultPort, "SmartService port (a real SmartService and pacsim serve listen on 8801)")
	fs.StringVar(&f.Username, "username", "", "EntraPass operator to log in as (required)")
	fs.StringVar(&f.Password, "password", "", "the operator's password; never printed, but visible to other users in ps: prefer --password-file or $"+passwordEnv)
	fs.StringVar(&passwordFile, "password-file", "", "file holding the operator's password (its first line; keep it mode 0600)")
	fs.StringVar(&tokenFile, "token-file", "", "file holding the bearer token every request to the Dataserver and the debug log stream must carry (default: $"+driverTokenEnv+"; none: no token asked)")
	nf.register(fs, "the Dataserver and the debug log stream")
	fs.BoolVar(&f.TLS, "tls", false, "connect over HTTPS (the server's certificate is verified)")
	fs.BoolVar(&f.Insecure, "insecure", false, "with --tls, accept any server certificate")
	fs.StringVar(&f.Poll, "poll", entrapass.DefaultPoll.String(), "poll interval of states and events, 100ms–1h")
	fs.StringVar(&f.Dataserver, "dataserver", dataserver.DefaultAddr, "address of the Dataserver, the northbound API (host:port; port 0 picks a free one)")
	fs.StringVar(&f.Debug, "debug", dataserver.DefaultDebugAddr, "address of the Debug Tools log stream GET /logs (fixed at 9629 for a real site, as the integration document says; settable for tests)")
	fs.StringVar(&f.State, "state", "", "file keeping the driver's place in the event stream, so a restarted driver delivers the events raised while it was stopped, once (default: none, a restart starts from its new login)")
	fs.StringVar(&configFile, "config", "", "JSON file with the same fields (host, port, username, password, tls, insecure, poll, dataserver, debug, state); flags given override it")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: pacsim driver --host H --username U [flags]\n\nRuns the EntraPass driver and serves its assets until SIGINT or SIGTERM.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(fs, "takes no arguments, got %q", fs.Args())
	}
	if configFile != "" {
		if err := mergeDriverFile(fs, &f, configFile); err != nil {
			return err
		}
	}
	if err := nf.check(); err != nil {
		return err
	}
	if passwordFile != "" {
		given := false
		fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "password" })
		if given {
			return fmt.Errorf("--password-file: give --password or --password-file, not both")
		}
		pw, err := readPasswordFile(passwordFile)
		if err != nil {
			return err
		}
		f.Password = pw
	}
	if f.Password == "" {
		f.Password = os.Getenv(passwordEnv)
	}
	token, err := guard.ReadToken("--token-file", tokenFile, driverTokenEnv)
	if err != nil {
		return err
	}
	human := stdout // with --print-addresses json, stdout holds the JSON line
	if nf.printAddresses != "" {
		human = stderr
	}
	poll, err := time.ParseDuration(f.Poll)
	if err != nil {
		return usagef(fs, "--poll: %q is not a duration like 1s or 100ms", f.Poll)
	}
	cfg := entrapass.Config{
		Host: f.Host, Port: f.Port, Username: f.Username, Password: f.Password,
		TLS: f.TLS, InsecureSkipVerify: f.Insecure, Poll: poll,
	}
	if f.Port == 0 {
		// 0 would silently mean the default; on the command line it is a mistake.
		return usagef(fs, "--port: 0 is out of range (1–65535)")
	}

	logs := dataserver.NewLogStream()
	defer logs.Close()
	logger := slog.New(slog.NewMultiHandler(
		slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}),
		logs.SlogHandler(&slog.HandlerOptions{Level: slog.LevelDebug}),
	))

	// Everything is checked before anything is sent: the configuration, then
	// the two addresses. The command refuses an invalid configuration and
	// exits (the driver New would make of it serves nothing worth running).
	if err := cfg.Validate(); err != nil {
		var ce *entrapass.ConfigError
		if errors.As(err, &ce) && driverFlagOf[ce.Field] != "" {
			return usagef(fs, "%s: %w", driverFlagOf[ce.Field], err)
		}
		return usagef(fs, "%w", err)
	}
	opts := []entrapass.Option{entrapass.WithLogger(logger)}
	if f.State != "" {
		opts = append(opts, entrapass.WithStateFile(f.State))
	}
	d, err := entrapass.New(cfg, opts...)
	if err != nil {
		return err
	}
	dsLn, err := guard.Listen(f.Dataserver, nf.maxConns)
	if err != nil {
		return fmt.Errorf("--dataserver: %w", err)
	}
	defer dsLn.Close()
	dbgLn, err := guard.Listen(f.Debug, nf.maxConns)
	if err != nil {
		return fmt.Errorf("--debug: %w", err)
	}
	defer dbgLn.Close()

	ds := dataserver.New(d.Registry(), dataserver.WithLogger(logger), dataserver.WithReady(func() error { return driverReady(d) }))
	defer ds.Close()
	errc := make(chan error, 2)
	serve := func(srv *http.Server, ln net.Listener) {
		go func() {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	hint := "--token-file or $" + driverTokenEnv
	reg := metrics.New()
	reg.MustRegister(d.Collector())
	dsSrv := guard.Server(nf.wrap(withMetrics(ds.Handler(), reg), dsLn.Addr(), token, hint))
	dbgSrv := guard.Server(nf.wrap(logs.Handler(), dbgLn.Addr(), token, hint))
	serve(dsSrv, dsLn)
	serve(dbgSrv, dbgLn)

	if err := d.Start(ctx); err != nil {
		return err
	}
	c := d.Config()
	if err := nf.print(stdout, map[string]string{
		"dataserver": dsLn.Addr().String(), "dataserver_url": "http://" + dsLn.Addr().String(),
		"debug": dbgLn.Addr().String(), "debug_url": "http://" + dbgLn.Addr().String() + "/logs",
	}); err != nil {
		return err
	}
	fmt.Fprintf(human, "pacsim %s driver: EntraPass SmartService %s as %q, poll %s\n", version, c.BaseURL(), c.Username, c.Poll)
	fmt.Fprintf(human, "dataserver: http://%s\n", dsLn.Addr())
	fmt.Fprintf(human, "debug log stream: http://%s/logs\n", dbgLn.Addr())
	for _, w := range []string{
		guard.Warning("the Dataserver", dsLn.Addr(), token != "", hint),
		guard.Warning("the debug log stream", dbgLn.Addr(), token != "", hint),
	} {
		if w != "" {
			fmt.Fprintln(stderr, w)
		}
	}

	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
	}
	fmt.Fprintln(human, "pacsim driver: stopping")
	shutdown := func(srv *http.Server) error {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return nil
	}
	ds.Close() // end the event streams, so that Shutdown does not wait on them
	err1 := shutdown(dsSrv)
	d.Stop() // logs out; its last lines still reach the log stream
	logs.Close()
	err2 := shutdown(dbgSrv)
	return errors.Join(serveErr, err1, err2)
}

// mergeDriverFile reads the --config file into f, except the fields whose
// flags were given: those are set again from the command line afterwards.
func mergeDriverFile(fs *flag.FlagSet, f *driverFile, name string) error {
	data, err := os.ReadFile(name)
	if err != nil {
		return fmt.Errorf("--config: %w", err)
	}
	given := map[string]string{}
	fs.Visit(func(fl *flag.Flag) { given[fl.Name] = fl.Value.String() })
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(f); err != nil { // a field the file leaves out keeps its flag's value
		return fmt.Errorf("--config %s: %s", name, jsonProblem(data, err, f))
	}
	for flagName, v := range given {
		if err := fs.Set(flagName, v); err != nil {
			return fmt.Errorf("--%s: %w", flagName, err)
		}
	}
	return nil
}

// readPasswordFile returns the first line of a --password-file: the
// password, without its line ending (spaces inside or around are kept).
func readPasswordFile(name string) (string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("--password-file: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", fmt.Errorf("--password-file: %s is empty: put the password on its first line", name)
	}
	return line, nil
}

// driverReady is the Dataserver's GET /readyz: ready once logged in to
// SmartService and while polls succeed.
func driverReady(d *entrapass.Driver) error {
	err := d.Err()
	if !d.Client().LoggedIn() {
		if err != nil {
			return fmt.Errorf("not logged in to SmartService: %w", err)
		}
		return errors.New("not logged in to SmartService yet")
	}
	if err != nil {
		return fmt.Errorf("the last poll of SmartService failed: %w", err)
	}
	return nil
}
