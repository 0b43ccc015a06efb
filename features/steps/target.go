package steps

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
)

// Target is the servers the scenarios run against: the zero Target is the
// simulator (each scenario serves its own simulated site, SmartService and
// Security Center); one with a URL is a real SmartService, the driver
// connecting to it as Username/Password; one with a Genetec URL is a real
// Security Center, the visitor connector's provider pointing at it.
//
// Against a real server a scenario still builds its simulated site, which
// names the doors, readers, inputs and outputs the steps speak of (the
// real server must be configured like the site: sim/sites/default.yaml),
// but the driver connects to the URL: "the driver is connected" (with or
// without a request timeout) logs in with the target's credentials over
// http or https as the URL says, and every other step that configures the
// driver reaches the URL's host and port. Steps that look at the
// simulator's side (what the server received, the simulated hardware,
// faults) cannot see a real server: scenarios that use them are tagged
// @sim-only or @fault and the runner leaves them out; a site variant
// ("the default site with EntraPass version …", "the default site with
// Security Center version …" and the like) skips its scenario. The
// visitor connector's steps reach a real Security Center in the same way:
// its provider gets the Genetec URL and credentials, it runs on the wall
// clock, and the steps that need the simulated one fail (their scenarios
// are @sim-only or @fault).
type Target struct {
	URL                string
	Username, Password string
	// InsecureSkipVerify accepts any certificate of an https URL.
	InsecureSkipVerify bool
	// Genetec is a real Security Center (zero: the simulated one).
	Genetec GenetecTarget
}

// Real reports whether t has a real server (not only the simulator).
func (t Target) Real() bool { return t.EntraPassReal() || t.Genetec.Real() }

// EntraPassReal reports whether t has a real EntraPass server.
func (t Target) EntraPassReal() bool { return t.URL != "" }

// String is "the simulator" or the URLs of the real servers.
func (t Target) String() string {
	switch {
	case t.EntraPassReal() && t.Genetec.Real():
		return t.URL + " and " + t.Genetec.URL
	case t.EntraPassReal():
		return t.URL
	case t.Genetec.Real():
		return t.Genetec.URL
	}
	return "the simulator"
}

// endpoint parses the URL: host:port and whether it is https. A URL
// without a scheme is http; without a port, 8080.
func (t Target) endpoint() (hostport string, tls bool, err error) {
	raw := t.URL
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false, fmt.Errorf("--entrapass-url %q: %v", t.URL, err)
	}
	switch u.Scheme {
	case "http":
	case "https":
		tls = true
	default:
		return "", false, fmt.Errorf("--entrapass-url %q: the scheme is not http or https", t.URL)
	}
	if u.Hostname() == "" {
		return "", false, fmt.Errorf("--entrapass-url %q: no host", t.URL)
	}
	port := u.Port()
	if port == "" {
		port = "8080"
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return "", false, fmt.Errorf("--entrapass-url %q: port %q is not 1–65535", t.URL, port)
	}
	return net.JoinHostPort(u.Hostname(), port), tls, nil
}

// Validate checks the target's URLs and credentials.
func (t Target) Validate() error {
	if err := t.Genetec.Validate(); err != nil {
		return err
	}
	if !t.EntraPassReal() {
		if t.Username != "" || t.Password != "" {
			return fmt.Errorf("--username and --password need --entrapass-url")
		}
		return nil
	}
	if _, _, err := t.endpoint(); err != nil {
		return err
	}
	if t.Username == "" {
		return fmt.Errorf("--entrapass-url needs --username")
	}
	return nil
}

// Initializer returns the scenario initializer for the target: Register
// for the simulator; for a real server, the same vocabulary with the
// driver pointed at the URL (or the visitor connector at the Genetec URL).
func (t Target) Initializer() (func(*godog.ScenarioContext), error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if !t.Real() {
		return Register, nil
	}
	var hostport string
	var tls bool
	if t.EntraPassReal() {
		hostport, tls, _ = t.endpoint()
	}
	return func(sc *godog.ScenarioContext) {
		w := newWorld()
		w.gen = t.Genetec
		connected := func(timeout time.Duration) error {
			if err := w.needSite(); err != nil {
				return err
			}
			cfg, err := w.baseConfig(t.Username, t.Password)
			if err != nil {
				return err
			}
			cfg.TLS, cfg.InsecureSkipVerify = tls, tls && t.InsecureSkipVerify
			if timeout > 0 {
				cfg.RequestTimeout = timeout
			}
			if err := w.startDriver(cfg); err != nil {
				return err
			}
			if w.cfgErr != nil {
				return fmt.Errorf("the driver refused its configuration: %w", w.cfgErr)
			}
			if err := restore(context.Background(), w.drv.Client(), w.sf); err != nil {
				return fmt.Errorf("returning %s to its default state: %w", t.URL, err)
			}
			if err := w.poll(); err != nil {
				return fmt.Errorf("the driver's first poll of %s failed: %w", t.URL, err)
			}
			return nil
		}
		for _, d := range vocabulary {
			switch {
			case t.EntraPassReal() && d.Pattern == `^the driver is connected$`:
				sc.Step(d.Pattern, func() error { return connected(0) })
			case t.EntraPassReal() && d.Pattern == `^the driver is connected with a request timeout of `+num+` milliseconds$`:
				sc.Step(d.Pattern, func(ms int) error { return connected(time.Duration(ms) * time.Millisecond) })
			default:
				if strings.HasPrefix(d.Pattern, "^the default site ") {
					// A variant of the site (another version, edition,
					// licence, access level) is the simulator's to make.
					sc.Step(d.Pattern, skipStep(d.Pattern))
					continue
				}
				sc.Step(d.Pattern, d.bind(w))
			}
		}
		sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
			return context.WithValue(ctx, scenarioKey{}, s), nil
		})
		sc.StepContext().After(func(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
			// Once a site step has built the simulated site, the driver
			// goes to the real server instead of the simulated one.
			if t.EntraPassReal() && w.w != nil && w.addr != hostport && w.drv == nil {
				w.addr = hostport
			}
			if err == nil || status != godog.StepFailed {
				return ctx, err
			}
			name, uri := "", ""
			if s, ok := ctx.Value(scenarioKey{}).(*godog.Scenario); ok {
				name, uri = s.Name, s.Uri
			}
			return ctx, fmt.Errorf("%s: scenario %q: step %q failed (against %s)", uri, name, strings.TrimSpace(st.Text), t)
		})
		sc.After(func(ctx context.Context, s *godog.Scenario, err error) (context.Context, error) {
			w.Close()
			return ctx, nil
		})
	}, nil
}

// restore returns a real server to the state every scenario starts from,
// as far as operator commands can: the scenarios that run against a real
// server change it only by commands (the rest are @sim-only or @fault), so
// each door goes back to its schedule with its readers enabled, each relay
// off and each input supervised. Without it a scenario would meet the door
// an earlier one unlocked.
func restore(ctx context.Context, c *entrapass.Client, sf *sim.SiteFile) error {
	if _, err := c.Login(ctx); err != nil {
		return err
	}
	send := func(cmd string, id sim.ID) error {
		if err := c.Command(ctx, cmd, int(id), 0); err != nil {
			return fmt.Errorf("%s %d: %w", cmd, id, err)
		}
		return nil
	}
	for _, g := range sf.Gateways {
		for _, st := range g.Sites {
			for _, ctl := range st.Controllers {
				for _, d := range ctl.Doors {
					if err := send("DoorBackToSchedule", d.ID); err != nil {
						return err
					}
					for i := range d.Readers {
						cmd := "EnableReader"
						if i == 1 {
							cmd = "EnableReader2"
						}
						if err := send(cmd, d.ID); err != nil {
							return err
						}
					}
				}
				for _, o := range ctl.Outputs {
					if err := send("DeactivateRelay", o.ID); err != nil {
						return err
					}
				}
				for _, in := range ctl.Inputs {
					if err := send("InputNormal", in.ID); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

// skipStep is a step function for pattern that skips the scenario (its
// arguments taken as strings, whatever they are).
func skipStep(pattern string) any {
	n := regexp.MustCompile(pattern).NumSubexp()
	in := make([]reflect.Type, n)
	for i := range in {
		in[i] = reflect.TypeFor[string]()
	}
	ft := reflect.FuncOf(in, []reflect.Type{reflect.TypeFor[error]()}, false)
	return reflect.MakeFunc(ft, func([]reflect.Value) []reflect.Value {
		return []reflect.Value{reflect.ValueOf(&godog.ErrSkip).Elem()}
	}).Interface()
}
