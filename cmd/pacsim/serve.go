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
	"sync/atomic"
	"time"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/internal/metrics"
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
	"github.com/pacsim/pacsim/sim/control/panel"
	"github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/fault"
	"github.com/pacsim/pacsim/sim/genetec"
)

// serveConfig is what `pacsim serve` takes.
type serveConfig struct {
	site      siteFlags
	clock     string
	start     string
	control   string
	entrapass string
	epTLS     bool
	epCert    string
	epKey     string
	genetec   string
	gTLS      bool
	gCert     string
	gKey      string
	faults    fault.Flags
	net       netFlags
	// retention overrides the site file's journal_retention when > 0.
	retention int
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("pacsim serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c serveConfig
	c.site.register(fs)
	fs.StringVar(&c.clock, "clock", "real", "site clock: real (wall time) or virtual (moves only through POST /v1/clock/advance)")
	fs.StringVar(&c.start, "start", "", "where the virtual clock starts, \"2006-01-02 15:04:05\" in the site's zone (default: the site file's start, else Monday 2026-01-05 09:00:00)")
	fs.StringVar(&c.control, "control", "127.0.0.1:9700", "address of the control API (host:port; port 0 picks a free one)")
	fs.StringVar(&c.entrapass, "entrapass", "127.0.0.1:8801", "address of the simulated EntraPass SmartService (\"off\" to serve none)")
	fs.BoolVar(&c.epTLS, "entrapass-tls", false, "serve SmartService over HTTPS (a self-signed certificate unless --entrapass-cert/--entrapass-key)")
	fs.StringVar(&c.epCert, "entrapass-cert", "", "PEM certificate for --entrapass-tls")
	fs.StringVar(&c.epKey, "entrapass-key", "", "PEM private key for --entrapass-tls")
	fs.StringVar(&c.genetec, "genetec", "127.0.0.1:4590", "address of the simulated Genetec Security Center Web SDK (\"off\" to serve none); 4590 is the real role's port")
	fs.BoolVar(&c.gTLS, "genetec-tls", true, "serve the Web SDK over HTTPS, as the real role does with SSL on (--genetec-tls=false for plain HTTP)")
	fs.StringVar(&c.gCert, "genetec-cert", "", "PEM certificate for the Web SDK's HTTPS (default: one generated at start for 127.0.0.1/localhost)")
	fs.StringVar(&c.gKey, "genetec-key", "", "PEM private key for --genetec-cert")
	fs.Var(&c.faults, "fault", "a fault to inject from the start, e.g. entrapass:status=503,path=/SmartService/Events*,every=3 (repeatable; syntax in the README)")
	fs.IntVar(&c.retention, "journal-retention", 0, "events the journal keeps, overriding the site file's journal_retention (0: the site file's, else 1,000,000); a site's memory grows with them")
	c.net.register(fs, "the control API")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: pacsim serve [flags]\n\nServes the simulated site and its control API until SIGINT or SIGTERM.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef(fs, "takes no arguments, got %q", fs.Args())
	}
	if err := c.net.check(); err != nil {
		return err
	}
	if c.retention < 0 {
		return usagef(fs, "--journal-retention: must not be negative, got %d", c.retention)
	}
	// With --print-addresses json, stdout holds the one JSON line; what a
	// person reads goes to stderr.
	human := stdout
	if c.net.printAddresses != "" {
		human = stderr
	}
	// Progress lines go to stderr: stdout may be the addresses' JSON.
	prog := startProgress(stderr, c.site.progress)
	// A generated site is built and kept from its first byte; reading a
	// site file is mostly garbage (the YAML's trees), which the start's
	// GOGC would let pile up fourfold. So the start's collecting begins
	// before a generation, after a reading.
	restoreGC := func() {}
	if c.site.generate != "" {
		restoreGC = startCollecting()
	}
	defer func() { restoreGC() }()
	defer prog.Stop("started")
	site, err := c.site.load(prog, true)
	if err != nil {
		return err
	}
	if c.site.generate == "" {
		restoreGC = startCollecting()
	}
	if c.retention > 0 {
		site.JournalRetention = c.retention
	}
	var clock sim.Clock
	switch c.clock {
	case "real":
		if c.start != "" {
			return usagef(fs, "--start needs --clock virtual")
		}
		clock = sim.RealClock{}
	case "virtual":
		start := site.StartTime()
		if c.start != "" {
			t, err := time.ParseInLocation("2006-01-02 15:04:05", c.start, site.Location())
			if err != nil {
				return usagef(fs, "--start: %q is not a time like \"2026-01-05 09:00:00\"", c.start)
			}
			start = t
		}
		clock = sim.NewManualClock(start)
	default:
		return usagef(fs, "--clock: %q is not real or virtual", c.clock)
	}
	prog.Phase("building the world", nil)
	world, err := sim.New(site, sim.WithClock(clock))
	if err != nil {
		return err
	}
	var servers []*http.Server
	errc := make(chan error, 2)
	serve := func(srv *http.Server, ln net.Listener) {
		servers = append(servers, srv)
		go func() {
			if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
				errc <- err
			}
		}()
	}

	var ep *entrapass.Server
	var epURL string
	var gs *genetec.Server
	var gURL string
	faultOpts := []fault.Option{fault.WithClock(clock)}
	// The garbage of generating, validating and building goes before the
	// databases load: their end is the start's peak (settle.go).
	settle()
	// The two databases load side by side (a million card users take
	// seconds each); Security Center's decider is chained after.
	var gdb *genetec.DB
	gerr := make(chan error, 1)
	switch {
	case c.entrapass != "off" && c.genetec != "off":
		prog.Phase("loading the EntraPass and Security Center databases", nil)
	case c.entrapass != "off":
		prog.Phase("loading the EntraPass database", nil)
	case c.genetec != "off":
		prog.Phase("loading the Security Center database", nil)
	}
	if c.genetec != "off" {
		go func() {
			var err error
			gdb, err = genetec.NewDB(world)
			gerr <- err
		}()
	} else {
		gerr <- nil
	}
	if c.entrapass != "off" {
		ep, err = entrapass.New(world)
		if err != nil {
			<-gerr
			return err
		}
		defer ep.Close()
		faultOpts = append(faultOpts, fault.WithSessionExpirer(fault.TargetEntraPass, ep))
	} else {
		faultOpts = append(faultOpts, fault.WithoutHeadEnd(fault.TargetEntraPass))
	}
	if err := <-gerr; err != nil {
		return err
	}
	if gdb != nil {
		gs = genetec.NewOf(gdb)
		defer gs.Close()
		faultOpts = append(faultOpts, fault.WithSessionExpirer(fault.TargetGenetec, gs))
	} else {
		faultOpts = append(faultOpts, fault.WithoutHeadEnd(fault.TargetGenetec))
	}
	plan := fault.New(world, faultOpts...)
	defer plan.Reset()
	for _, f := range c.faults {
		st, err := plan.Add(f)
		if err != nil {
			return usagef(fs, "--fault %s: %w", f, err)
		}
		fmt.Fprintf(human, "fault %s: %s\n", st.ID, f)
	}
	prog.Phase("starting the servers", nil)
	var epReqs *control.RequestLog
	addrs := map[string]string{}
	reg := metrics.New()
	headendReqs := metrics.NewRequests(reg)
	if ep != nil {
		ln, err := guard.Listen(c.entrapass, c.net.maxConns)
		if err != nil {
			return fmt.Errorf("--entrapass: %w", err)
		}
		scheme := "http"
		if c.epTLS {
			cfg, err := loadTLS(c.epCert, c.epKey)
			if err != nil {
				ln.Close()
				return fmt.Errorf("--entrapass-tls: %w", err)
			}
			ln = tls.NewListener(ln, cfg)
			scheme = "https"
		} else if c.epCert != "" || c.epKey != "" {
			ln.Close()
			return usagef(fs, "--entrapass-cert and --entrapass-key need --entrapass-tls")
		}
		epURL = fmt.Sprintf("%s://%s%s", scheme, ln.Addr(), entrapass.Prefix)
		addrs["entrapass"], addrs["entrapass_url"] = ln.Addr().String(), epURL
		// The request log is outside the fault middleware: a faulted
		// answer is what the driver got, so it is logged too.
		epReqs = control.NewRequestLog(control.DefaultRequestLogSize, world.Now)
		h := epReqs.Middleware(plan.Middleware(string(fault.TargetEntraPass), ep.Handler()))
		serve(guard.Server(headendReqs.Wrap("entrapass", metrics.RouteOf(ep.Router(), true), h)), ln)
	}

	if gs != nil {
		ln, err := guard.Listen(c.genetec, c.net.maxConns)
		if err != nil {
			return fmt.Errorf("--genetec: %w", err)
		}
		scheme := "http"
		if c.gTLS {
			cfg, err := loadTLS(c.gCert, c.gKey)
			if err != nil {
				ln.Close()
				return fmt.Errorf("--genetec-cert/--genetec-key: %w", err)
			}
			ln = tls.NewListener(ln, cfg)
			scheme = "https"
		} else if c.gCert != "" || c.gKey != "" {
			ln.Close()
			return usagef(fs, "--genetec-cert and --genetec-key need --genetec-tls (the default)")
		}
		gURL = fmt.Sprintf("%s://%s%s", scheme, ln.Addr(), genetec.Prefix)
		addrs["genetec"], addrs["genetec_url"] = ln.Addr().String(), gURL
		// The event stream outlives WriteTimeout: it bounds each of its
		// writes instead (guard.Stream).
		h := plan.Middleware(string(fault.TargetGenetec), gs.Handler())
		serve(guard.Server(headendReqs.Wrap("genetec", metrics.RouteOf(gs.Router(), true), h)), ln)
	}

	var ready atomic.Bool
	ctlOpts := []control.Option{control.WithReady(func() error {
		if !ready.Load() {
			return errors.New("starting: the listeners are not all up yet")
		}
		return nil
	})}
	if epReqs != nil {
		ctlOpts = append(ctlOpts, control.WithEntraPassRequests(epReqs))
	}
	ctl := control.New(world, append(ctlOpts, control.WithRoutes(panel.Routes()), control.WithRoutes(fault.Routes(plan)), control.WithResetRemover("faults", plan.Reset), control.WithResetHook(func() {
		if ep != nil {
			ep.Reset()
		}
		if gs != nil {
			gs.Reset()
		}
	}))...)
	defer ctl.Close()
	reg.MustRegister(siteCollector(world, plan, ep, gs, ctl))
	ln, err := guard.Listen(c.control, c.net.maxConns)
	if err != nil {
		return fmt.Errorf("--control: %w", err)
	}
	serve(guard.Server(c.net.wrapControl(withMetrics(ctl.Handler(), reg), ln.Addr())), ln)
	addrs["control"], addrs["control_url"] = ln.Addr().String(), fmt.Sprintf("http://%s/v1", ln.Addr())
	ready.Store(true)
	prog.Stop("started")
	if w := guard.Warning("the control API", ln.Addr(), false, ""); w != "" {
		fmt.Fprintln(stderr, w)
	}
	if err := c.net.print(stdout, addrs); err != nil {
		return err
	}
	restoreGC()
	go settled()

	// Counted from the site file: a snapshot of the world to count it is
	// tens of megabytes of a large site, thrown away at once.
	n := countSite(site)
	fmt.Fprintf(human, "pacsim %s: site %q: %d gateway(s), %d site(s), %d controller(s), %d door(s), %d reader(s), %d input(s), %d output(s), %d card user(s)\n",
		version, site.Name, n.gateways, n.sites, n.controllers, n.doors, n.readers, n.inputs, n.outputs, len(site.Users))
	fmt.Fprintf(human, "clock: %s, site time %s\n", c.clock, world.Now().Format("2006-01-02 15:04:05 MST"))
	fmt.Fprintf(human, "control API: http://%s/v1\n", ln.Addr())
	fmt.Fprintf(human, "site panel: http://%s/\n", ln.Addr())
	if ep != nil {
		e := site.EntraPass
		fmt.Fprintf(human, "EntraPass SmartService: %s (EntraPass %s %s, licences %v)\n", epURL, e.Edition, e.ServerVersion, e.Licences)
		for _, o := range e.Operators {
			state := ""
			if o.Disabled {
				state = " (disabled)"
			} else if o.PasswordExpires != "" {
				state = " (password expires " + o.PasswordExpires + ")"
			}
			fmt.Fprintf(human, "  operator %s / %s%s\n", o.Name, o.Password, state)
		}
	}

	if gs != nil {
		g := site.Genetec
		fmt.Fprintf(human, "Genetec Web SDK: %s (Security Center %s, licence parts %v)\n", gURL, g.Version, g.LicenceParts)
		for _, u := range g.Users {
			state := ""
			if u.Disabled {
				state = " (disabled)"
			}
			fmt.Fprintf(human, "  user %s / %s%s\n", u.Name, u.Password, state)
		}
		for _, a := range g.Applications {
			fmt.Fprintf(human, "  application %s (part %s)\n", a.ID, a.Part)
		}
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(human, "pacsim: stopping")
	ctl.Close() // end event streams, so Shutdown does not wait on them
	if gs != nil {
		gs.Close()
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}
	return nil
}
