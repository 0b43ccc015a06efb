package panel_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/control"
	"github.com/pacsim/pacsim/sim/control/panel"
	"github.com/pacsim/pacsim/sim/entrapass"
	"github.com/pacsim/pacsim/sim/fault"
)

// onCI reports whether the tests run on CI (.ci/run exports PACSIM_CI=1;
// CI services set CI), where a missing browser is a failure, not a skip.
func onCI() bool {
	ci := strings.ToLower(os.Getenv("CI"))
	return os.Getenv("PACSIM_CI") == "1" || (ci != "" && ci != "0" && ci != "false")
}

// chromium finds the browser: $PACSIM_CHROMIUM, or the Debian chromium
// package's binary, or another Chromium or Chrome on the PATH.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PACSIM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium found (install the Debian package chromium, or set PACSIM_CHROMIUM to a Chromium or Chrome binary): the site panel's browser tests need one"
	if onCI() {
		t.Fatal(msg + " — on CI this is a failure")
	}
	t.Skip(msg)
	return ""
}

var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserErr    error
	browserCancel context.CancelFunc = func() {}
)

func TestMain(m *testing.M) {
	code := m.Run()
	browserCancel()
	os.Exit(code)
}

// browser returns the context of one headless Chromium shared by the
// package's tests (started once: it takes a second).
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromium(t)
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox, // containers run tests as root
			chromedp.WindowSize(1366, 900),
		)
		actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
		bctx, bcancel := chromedp.NewContext(actx)
		browserCancel = func() { bcancel(); acancel() }
		browserErr = chromedp.Do(bctx) // starts the browser
		browserCtx = bctx
	})
	require.NoError(t, browserErr, "starting %s", path)
	return browserCtx
}

// site is a simulated site (default site, virtual clock, EntraPass
// decisions, faults) with its control API and the panel, served on a
// loopback address that can be taken away and brought back.
type site struct {
	t     *testing.T
	world *sim.World
	clock *sim.ManualClock
	plan  *fault.Plan
	ctl   *control.Server
	c     *control.Client
	addr  string
	srv   *http.Server
}

func newSite(t *testing.T, sf *sim.SiteFile) *site {
	t.Helper()
	if sf == nil {
		sf = sim.DefaultSite()
	}
	w, err := sim.New(sf)
	require.NoError(t, err)
	_, err = entrapass.New(w)
	require.NoError(t, err)
	plan := fault.New(w)
	ctl := control.New(w, control.WithRoutes(panel.Routes()), control.WithRoutes(fault.Routes(plan)),
		control.WithResetHook(func() { plan.Reset() }))
	clock, _ := w.Clock().(*sim.ManualClock)
	s := &site{t: t, world: w, clock: clock, plan: plan, ctl: ctl}
	s.up("127.0.0.1:0")
	s.c = control.NewClient("http://" + s.addr)
	t.Cleanup(func() {
		ctl.Close()
		s.down()
	})
	return s
}

// up serves the control address (again, after down).
func (s *site) up(addr string) {
	s.t.Helper()
	ln, err := net.Listen("tcp", addr)
	require.NoError(s.t, err)
	s.addr = ln.Addr().String()
	s.srv = &http.Server{Handler: s.ctl.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
}

// down takes the control address away: listener and connections closed.
func (s *site) down() { _ = s.srv.Close() }

// page is one browser tab on the panel.
type page struct {
	t      *testing.T
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

// open opens the panel of s in a new tab and waits until it has drawn the
// site and follows the journal. JavaScript exceptions fail the test.
func (s *site) open() *page {
	s.t.Helper()
	ctx, cancel := chromedp.NewContext(browser(s.t))
	s.t.Cleanup(cancel)
	p := &page{t: s.t, ctx: ctx}
	require.NoError(s.t, chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			p.mu.Lock()
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			p.errors = append(p.errors, fmt.Sprintf("%s (line %d)", msg, d.LineNumber))
			p.mu.Unlock()
		}
	}))
	s.t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, e := range p.errors {
			s.t.Errorf("JavaScript exception on the page: %s", e)
		}
	})
	p.do(chromedp.Navigate("http://" + s.addr + "/"))
	p.waitJS(`document.body.dataset.ready === "1" && document.body.dataset.conn === "live"`, 10*time.Second)
	return p
}

// do runs actions on the page, each step bounded.
func (p *page) do(steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	require.NoError(p.t, chromedp.Do(ctx, steps...))
}

// eval returns the value of a JavaScript expression.
func eval[T any](p *page, expr string) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	require.NoError(p.t, err, expr)
	return v
}

// waitJS waits, at most d, for a JavaScript expression to be true; on
// timeout it fails the test with what the page shows.
func (p *page) waitJS(expr string, d time.Duration) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, d+5*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(d)))
	if err != nil {
		body, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 3000)`))
		p.t.Fatalf("waiting %v for %s: %v\nthe page shows:\n%s", d, expr, err, body)
	}
}

// row is the JavaScript expression of a component's row, by kind and name.
func row(kind, name string) string {
	return fmt.Sprintf(`document.querySelector('.row[data-kind=%q][data-name=%q]')`, kind, name)
}

// stateOf is the expression of the state word a row shows for a field.
func stateOf(kind, name, field string) string {
	return fmt.Sprintf(`(%s?.querySelector('[data-field=%q]')?.textContent ?? "")`, row(kind, name), field)
}

// button is the expression of a row's button, by its label.
func button(kind, name, label string) string {
	return fmt.Sprintf(`[...%s.querySelectorAll('button')].find(b => b.textContent === %q)`, row(kind, name), label)
}

// click clicks a button found by a JavaScript expression, as a person
// would (a real mouse click at its place).
func (p *page) click(expr string) {
	p.t.Helper()
	p.waitJS(fmt.Sprintf(`!!(%s) && !(%s).disabled`, expr, expr), 5*time.Second)
	p.do(chromedp.Click(chromedp.JSPath(expr)))
}

// fill types into a form field found by CSS selector.
func (p *page) fill(sel, text string) {
	p.t.Helper()
	// Emptied first, as a person selecting what is there and typing over it.
	eval[string](p, fmt.Sprintf(`document.querySelector(%q).value = ""`, sel))
	p.do(chromedp.SendKeys(chromedp.CSS(sel), text))
}

// screenshot writes the viewport as a PNG to the path in
// PACSIM_PANEL_SCREENSHOT, if set (the README's picture).
func (p *page) screenshot() {
	p.t.Helper()
	path := os.Getenv("PACSIM_PANEL_SCREENSHOT")
	if path == "" {
		return
	}
	p.waitJS(`!document.querySelector('.row.flash')`, 5*time.Second) // no change half drawn
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	require.NoError(p.t, err)
	require.NoError(p.t, os.WriteFile(path, png, 0o644))
	p.t.Logf("screenshot written to %s", path)
}

// chromedpSelect picks an option of a <select> as a person does: the value
// set, then the change event the page listens to.
func chromedpSelect(sel, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.SetValue(chromedp.CSS(sel), value),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event('change', {bubbles: true}))`, sel))(ctx, t)
			return err
		}))
}
