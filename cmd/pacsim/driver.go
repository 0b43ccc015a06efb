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
	"time"

	"github.com/pacsim/pacsim/driver/dataserver"
	"github.com/pacsim/pacsim/driver/entrapass"
)

// passwordEnv is read when neither --password nor the config file gives
// one, so that the password need not appear on a command line.
const passwordEnv = "PACSIM_ENTRAPASS_PASSWORD"

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
	var configFile string
	fs.StringVar(&f.Host, "host", "", "IP address or host name of the EntraPass server (required)")
	fs.IntVar(&f.Port, "port", entrapass.DefaultPort, "SmartService port (a real SmartService and pacsim serve listen on 8801)")
	fs.StringVar(&f.Username, "username", "", "EntraPass operator to log in as (required)")
	fs.StringVar(&f.Password, "password", "", "the operator's password (default: $"+passwordEnv+"); never printed")
	fs.BoolVar(&f.TLS, "tls", false, "connect over HTTPS (the server's certificate is verified)")
	fs.BoolVar(&f.Insecure, "insecure", false, "with --tls, accept any server certificate")
	fs.StringVar(&f.Poll, "poll", entrapass.DefaultPoll.String(), "poll interval of states and events, 100ms–1h")
	fs.StringVar(&f.Dataserver, "dataserver", dataserver.DefaultAddr, "address of the Dataserver, the northbound API (host:port; port 0 picks a free one)")
	fs.StringVar(&f.Debug, "debug", dataserver.DefaultDebugAddr, "address of the Debug Tools log stream GET /logs (fixed at 9629 for a real site, as the integration document says; settable for tests)")
	fs.StringVar(&configFile, "config", "", "JSON file with the same fields (host, port, username, password, tls, insecure, poll, dataserver, debug); flags given override it")
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
	if f.Password == "" {
		f.Password = os.Getenv(passwordEnv)
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
	d, err := entrapass.New(cfg, entrapass.WithLogger(logger))
	if err != nil {
		return err
	}
	dsLn, err := net.Listen("tcp", f.Dataserver)
	if err != nil {
		return fmt.Errorf("--dataserver: %w", err)
	}
	defer dsLn.Close()
	dbgLn, err := net.Listen("tcp", f.Debug)
	if err != nil {
		return fmt.Errorf("--debug: %w", err)
	}
	defer dbgLn.Close()

	ds := dataserver.New(d.Registry(), dataserver.WithLogger(logger))
	defer ds.Close()
	errc := make(chan error, 2)
	serve := func(srv *http.Server, ln net.Listener) {
		go func() {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}
	dsSrv := &http.Server{Handler: ds.Handler(), ReadHeaderTimeout: 10 * time.Second}
	dbgSrv := &http.Server{Handler: logs.Handler(), ReadHeaderTimeout: 10 * time.Second}
	serve(dsSrv, dsLn)
	serve(dbgSrv, dbgLn)

	if err := d.Start(ctx); err != nil {
		return err
	}
	c := d.Config()
	fmt.Fprintf(stdout, "pacsim %s driver: EntraPass SmartService %s as %q, poll %s\n", version, c.BaseURL(), c.Username, c.Poll)
	fmt.Fprintf(stdout, "dataserver: http://%s\n", dsLn.Addr())
	fmt.Fprintf(stdout, "debug log stream: http://%s/logs\n", dbgLn.Addr())

	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "pacsim driver: stopping")
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
