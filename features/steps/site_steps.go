package steps

import (
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
)

// Site and driver set-up.

func (w *World) defaultSite() error { return w.build(sim.DefaultSite()) }

func (w *World) siteWithVersion(v string) error {
	sf := sim.DefaultSite()
	sf.EntraPass.ServerVersion = v
	return w.build(sf)
}

func (w *World) siteWithEdition(edition string) error {
	sf := sim.DefaultSite()
	sf.EntraPass.Edition = edition
	sf.EntraPass.Licences = nil
	return w.build(sf)
}

func (w *World) siteWithCorporateLicence(id int) error {
	sf := sim.DefaultSite()
	sf.EntraPass.Edition = "Corporate"
	sf.EntraPass.Licences = []string{"E-COR-CONNECT"}
	sf.EntraPass.CorporateIntegrationID = id
	return w.build(sf)
}

// siteWithGenetecVersion: the simulated Security Center reports another
// version.
func (w *World) siteWithGenetecVersion(v string) error {
	sf := sim.DefaultSite()
	sf.Genetec.Version = v
	return w.build(sf)
}

// siteWithoutLicencePart: the simulated Security Center's licence lacks a
// part.
func (w *World) siteWithoutLicencePart(part string) error {
	sf := sim.DefaultSite()
	parts := []string{}
	for _, p := range sf.Genetec.LicenceParts {
		if !strings.EqualFold(p, part) {
			parts = append(parts, p)
		}
	}
	if len(parts) == len(sf.Genetec.LicenceParts) {
		return fmt.Errorf("the default site's licence has no part %q (it has %s)", part, quoteList(sf.Genetec.LicenceParts))
	}
	sf.Genetec.LicenceParts = parts
	return w.build(sf)
}

// siteWithLevelCardType: the access level admits only one card type.
func (w *World) siteWithLevelCardType(level, site, cardType string) error {
	sf := sim.DefaultSite()
	siteID, err := siteIDIn(sf, site)
	if err != nil {
		return err
	}
	ct, err := cardTypeIn(sf, cardType)
	if err != nil {
		return err
	}
	found := false
	for i := range sf.AccessLevels {
		l := &sf.AccessLevels[i]
		if strings.EqualFold(l.Name, level) && l.Site == siteID {
			l.CardTypes = []int{ct}
			found = true
		}
	}
	if !found {
		return fmt.Errorf("site %q has no access level %q", site, level)
	}
	return w.build(sf)
}

// siteWithUnlockSchedule: a door stays unlocked while a schedule is active
// (the site file's unlock_schedule), for unlocked-schedule and the return to
// locked when the schedule ends.
func (w *World) siteWithUnlockSchedule(door, schedule string) error {
	sf := sim.DefaultSite()
	sched, err := scheduleIn(sf, schedule)
	if err != nil {
		return err
	}
	var names []string
	for gi := range sf.Gateways {
		for si := range sf.Gateways[gi].Sites {
			for ci := range sf.Gateways[gi].Sites[si].Controllers {
				ds := sf.Gateways[gi].Sites[si].Controllers[ci].Doors
				for di := range ds {
					if strings.EqualFold(ds[di].Name, door) {
						ds[di].UnlockSchedule = sched
						return w.build(sf)
					}
					names = append(names, ds[di].Name)
				}
			}
		}
	}
	return fmt.Errorf("the default site has no door %q (it has %s)", door, quoteList(names))
}

// siteWithEventBatch: SmartService answers at most n rows an Events answer,
// the history's included, and the driver is configured to know it (its
// EventBatch), as at a site where the operator set both.
func (w *World) siteWithEventBatch(n int) error {
	if n < 1 {
		return fmt.Errorf("an event batch of %d: it must be at least 1", n)
	}
	sf := sim.DefaultSite()
	sf.EntraPass.EventBatch = n
	return w.build(sf)
}

// siteInZone: the default site in another time zone (its schedules, start
// time, card dates and the server's local times run in it); it starts at
// 09:00 local on its first day.
func (w *World) siteInZone(zone string) error {
	if _, err := time.LoadLocation(zone); err != nil || zone == "" || zone == "Local" {
		return fmt.Errorf("%q is not an IANA time zone name (like \"America/Toronto\" or \"Europe/Paris\")", zone)
	}
	sf := sim.DefaultSite()
	sf.TimeZone = zone
	return w.build(sf)
}

func scheduleIn(sf *sim.SiteFile, name string) (int, error) {
	var names []string
	for _, s := range sf.Schedules {
		if strings.EqualFold(s.Name, name) {
			return int(s.ID), nil
		}
		names = append(names, s.Name)
	}
	return 0, fmt.Errorf("the site has no schedule %q (it has %s)", name, quoteList(names))
}

func siteIDIn(sf *sim.SiteFile, name string) (sim.ID, error) {
	var names []string
	for _, g := range sf.Gateways {
		for _, s := range g.Sites {
			if strings.EqualFold(s.Name, name) {
				return s.ID, nil
			}
			names = append(names, s.Name)
		}
	}
	return 0, fmt.Errorf("the site file has no site %q (it has %s)", name, quoteList(names))
}

func cardTypeIn(sf *sim.SiteFile, name string) (int, error) {
	var names []string
	for _, c := range sf.CardTypes {
		if strings.EqualFold(c.Name, name) {
			return c.ID, nil
		}
		names = append(names, c.Name)
	}
	return 0, fmt.Errorf("the site has no card type %q (it has %s)", name, quoteList(names))
}

func levelIn(sf *sim.SiteFile, name string, site sim.ID) (int, error) {
	for _, l := range sf.AccessLevels {
		if strings.EqualFold(l.Name, name) && l.Site == site {
			return l.ID, nil
		}
	}
	return 0, fmt.Errorf("site %d has no access level %q", site, name)
}

// driverConnected configures the driver as the default site's operator and
// runs its first cycle, which must succeed; the events of the start are
// kept.
func (w *World) driverConnected() error {
	if err := w.needSite(); err != nil {
		return err
	}
	cfg, err := w.baseConfig("pacsim", "pacsim")
	if err != nil {
		return err
	}
	if err := w.startDriver(cfg); err != nil {
		return err
	}
	if w.cfgErr != nil {
		return fmt.Errorf("the driver refused its configuration: %w", w.cfgErr)
	}
	if err := w.poll(); err != nil {
		return fmt.Errorf("the driver's first poll failed: %w", err)
	}
	return nil
}

func (w *World) driverConnectedWithTimeout(ms int) error {
	if err := w.needSite(); err != nil {
		return err
	}
	cfg, err := w.baseConfig("pacsim", "pacsim")
	if err != nil {
		return err
	}
	cfg.RequestTimeout = time.Duration(ms) * time.Millisecond
	if err := w.startDriver(cfg); err != nil {
		return err
	}
	if w.cfgErr != nil {
		return fmt.Errorf("the driver refused its configuration: %w", w.cfgErr)
	}
	if err := w.poll(); err != nil {
		return fmt.Errorf("the driver's first poll failed: %w", err)
	}
	return nil
}

// driverConfiguredAs configures the driver with a user and password and
// polls once; the poll may fail (see "the last poll failed …").
func (w *World) driverConfiguredAs(user, password string) error {
	if err := w.needSite(); err != nil {
		return err
	}
	cfg, err := w.baseConfig(user, password)
	if err != nil {
		return err
	}
	if err := w.startDriver(cfg); err != nil {
		return err
	}
	if w.cfgErr != nil {
		return fmt.Errorf("the driver refused its configuration: %w", w.cfgErr)
	}
	_ = w.poll()
	return nil
}

// driverConfiguredWith configures the driver for this site with one field
// changed (Host, Port, Username, Password, Poll, RequestTimeout,
// IntegrationID); a refused configuration is kept for the next step.
func (w *World) driverConfiguredWith(field, value string) error {
	if err := w.needSite(); err != nil {
		return err
	}
	w.cmdMark = w.requestCount()
	cfg, err := w.baseConfig("pacsim", "pacsim")
	if err != nil {
		return err
	}
	// The text goes to the driver as a PSIM's configuration form gives it:
	// the driver, not the step, reads "0" or "http" in Port and refuses
	// them naming the field.
	var ce *entrapass.ConfigError
	if err := cfg.Set(field, value); err != nil && !errors.As(err, &ce) {
		return err
	}
	if err := w.startDriver(cfg); err != nil {
		return err
	}
	if w.cfgErr == nil {
		_ = w.poll()
	}
	return nil
}

// driverStopped stops the driver process as an operator would (Stop: it
// writes its state file and logs out); nothing polls until it is started
// again.
func (w *World) driverStopped() error {
	if err := w.needDriver(); err != nil {
		return err
	}
	w.drain()
	w.drv.Stop()
	w.drv, w.psim, w.users = nil, nil, nil
	return nil
}

// driverStartedAgain starts a new driver process with the configuration and
// the state file of the stopped one, and runs its first cycle.
func (w *World) driverStartedAgain() error {
	if w.drv != nil {
		return errors.New(`the driver is running: stop it first with "When the driver is stopped"`)
	}
	if w.cfg == (entrapass.Config{}) {
		return errors.New("no driver was configured in this scenario")
	}
	if err := w.startDriver(w.cfg); err != nil {
		return err
	}
	_ = w.poll()
	return nil
}

func atoiLoose(s string) (int, error) {
	var n int
	if _, err := fmt.Sscan(strings.TrimSpace(s), &n); err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return n, nil
}

func (w *World) configRefused(field string) error {
	if w.cfgErr == nil {
		return errors.New("the configuration was accepted; expected it to be refused")
	}
	var ce *entrapass.ConfigError
	if !errors.As(w.cfgErr, &ce) {
		return fmt.Errorf("the configuration was refused, but not with a ConfigError: %v", w.cfgErr)
	}
	if !strings.EqualFold(ce.Field, field) {
		return fmt.Errorf("the configuration error names %q, expected %q: %v", ce.Field, field, w.cfgErr)
	}
	// The refused driver is given its chance to send something: it runs a
	// cycle, which must fail with the same error and send nothing.
	if w.drv != nil {
		ctx, cancel := ctxT()
		err := w.drv.PollOnce(ctx)
		cancel()
		if err == nil {
			return errors.New("the refused configuration was refused, yet its driver polled the server successfully")
		}
	}
	if n := len(w.requestsSince(w.cmdMark)); n != 0 {
		return fmt.Errorf("%d request(s) reached the server before the refusal", n)
	}
	return nil
}

func (w *World) configRefusedWith(text string) error {
	if w.cfgErr == nil {
		return errors.New("the configuration was accepted; expected it to be refused")
	}
	if !strings.Contains(strings.ToLower(w.cfgErr.Error()), strings.ToLower(text)) {
		return fmt.Errorf("the configuration was refused with %q, which does not contain %q", w.cfgErr, text)
	}
	var ce *entrapass.ConfigError
	if errors.As(w.cfgErr, &ce) {
		return w.configRefused(ce.Field) // and nothing reached the server
	}
	return nil
}

func (w *World) configAccepted() error {
	if w.cfgErr != nil {
		return fmt.Errorf("the configuration was refused: %v", w.cfgErr)
	}
	return nil
}

func (w *World) defaultPort(port int) error {
	cfg := entrapass.Config{Host: "entrapass.example", Username: "u", Password: "p"}.WithDefaults()
	if cfg.Port != port {
		return fmt.Errorf("a configuration with no port uses port %d, expected %d", cfg.Port, port)
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("a configuration with no port is refused: %v", err)
	}
	if !strings.Contains(cfg.BaseURL(), fmt.Sprintf(":%d/", port)) {
		return fmt.Errorf("its base URL %q does not use port %d", cfg.BaseURL(), port)
	}
	return nil
}

func (w *World) pollFailedWith(text string) error {
	if w.pollErr == nil {
		return errors.New("the last poll succeeded; expected it to fail")
	}
	if !strings.Contains(strings.ToLower(w.pollErr.Error()), strings.ToLower(text)) {
		return fmt.Errorf("the last poll failed with %q, which does not contain %q", w.pollErr, text)
	}
	return nil
}

func (w *World) pollSucceeded() error {
	if w.pollErr != nil {
		return fmt.Errorf("the last poll failed: %v", w.pollErr)
	}
	return nil
}

func (w *World) driverPolls() error {
	if err := w.needDriver(); err != nil {
		return err
	}
	_ = w.poll()
	return nil
}

func (w *World) driverPollsN(n int) error {
	if err := w.needDriver(); err != nil {
		return err
	}
	w.pollErrs = nil
	for i := 0; i < n; i++ {
		_ = w.poll()
	}
	return nil
}

func (w *World) pollsFailed(failed, total int) error {
	if len(w.pollErrs) != total {
		return fmt.Errorf("%d polls were counted, expected %d", len(w.pollErrs), total)
	}
	n := 0
	var msgs []string
	for _, e := range w.pollErrs {
		if e != nil {
			n++
			msgs = append(msgs, e.Error())
		}
	}
	if n != failed {
		return fmt.Errorf("%d of the last %d polls failed, expected %d (errors: %s)", n, total, failed, strings.Join(msgs, "; "))
	}
	return nil
}

func (w *World) logContains(text string) error {
	if w.logs == nil {
		return errors.New("no driver log: configure the driver first")
	}
	if !strings.Contains(strings.ToLower(w.logs.String()), strings.ToLower(text)) {
		return fmt.Errorf("the driver's log has no line containing %q; it reads:\n%s", text, w.logs.String())
	}
	return nil
}

func (w *World) logOmits(text string) error {
	if w.logs == nil {
		return errors.New("no driver log: configure the driver first")
	}
	log := w.logs.String()
	if strings.TrimSpace(log) == "" {
		// An absence proves nothing in a log with nothing in it.
		return fmt.Errorf("the driver's log is empty: nothing shows that %q is left out", text)
	}
	if strings.Contains(strings.ToLower(log), strings.ToLower(text)) {
		return fmt.Errorf("the driver's log shows %q (ignoring case); it reads:\n%s", text, log)
	}
	return nil
}

// requestSent checks that the server received a request to path (its last
// segment, e.g. "Logout") since the driver was configured.
func (w *World) requestSent(path string) error {
	for _, r := range w.requestsSince(0) {
		if strings.HasSuffix(strings.ToLower(r), "/"+strings.ToLower(path)) {
			return nil
		}
	}
	return fmt.Errorf("the server received no %q request", path)
}

// Dataserver and Debug Tools ports.

// dataserverServed serves the driver's northbound API on 127.0.0.1:0, a
// port other than the default.
func (w *World) dataserverServed() error {
	if err := w.needDriver(); err != nil {
		return err
	}
	srv := newDataserver(w.drv.Registry())
	ts := httptest.NewServer(srv.Handler())
	w.defer_(func() {
		ts.Close()
		srv.Close()
	})
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	if port == "9628" {
		return errors.New("the ephemeral port happened to be 9628; cannot show it changed")
	}
	w.dsURL = ts.URL
	return nil
}

func (w *World) dataserverShows(path, status string) error {
	if w.dsURL == "" {
		return errors.New(`no dataserver: add "the dataserver is served on another port"`)
	}
	snap, err := getSnapshot(w.dsURL + path)
	if err != nil {
		return err
	}
	if string(snap.Status) != status {
		return fmt.Errorf("GET %s shows %q, expected %q", path, snap.Status, status)
	}
	return nil
}

// debugClientReading starts a Debug Tools client on GET /logs.
func (w *World) debugClientReading() error {
	if w.logs2 == nil {
		return errors.New("no driver: configure the driver first")
	}
	base := ""
	if w.debugPort != 0 {
		var err error
		if base, err = w.serveDebugDefault(); err != nil {
			return err
		}
	}
	ch, stop, err := readLogStream(w.logs2, base)
	if err != nil {
		return err
	}
	w.defer_(stop)
	w.logLine = ch
	return nil
}

func (w *World) debugClientReads(text string) error {
	if w.logLine == nil {
		return errors.New(`no Debug Tools client: add "a Debug Tools client reads the log stream"`)
	}
	deadline := time.After(10 * time.Second)
	var seen []string
	for {
		select {
		case l, ok := <-w.logLine:
			if !ok {
				return fmt.Errorf("the log stream ended without a line containing %q; it gave:\n%s", text, strings.Join(seen, "\n"))
			}
			if strings.Contains(strings.ToLower(l), strings.ToLower(text)) {
				return nil
			}
			seen = append(seen, l)
		case <-deadline:
			return fmt.Errorf("no line containing %q came on the log stream in 10 s; it gave:\n%s", text, strings.Join(seen, "\n"))
		}
	}
}

// assetAdded adds an asset by hand, as a PSIM's property grid does, under
// a name the later steps use.
func (w *World) assetAdded(typ, name, prop, value string) error {
	if err := w.needDriver(); err != nil {
		return err
	}
	t, err := assetType(typ)
	if err != nil {
		return err
	}
	id, _ := atoiLoose(value)
	ref := asset.Ref{Type: t, ID: id}
	props := map[string]string{}
	if prop != "" {
		props[prop] = value
	}
	if err := w.drv.Registry().Add(ref, name, props); err != nil {
		return fmt.Errorf("adding %s %q: %w", typ, name, err)
	}
	w.aliases[strings.ToLower(typ+"/"+name)] = ref
	_ = w.poll()
	return nil
}

// assetRefused tries to add an asset by hand and expects a refusal.
func (w *World) assetRefused(typ, prop, value, text string) error {
	if err := w.needDriver(); err != nil {
		return err
	}
	t, err := assetType(typ)
	if err != nil {
		return err
	}
	props := map[string]string{}
	if prop != "" && value != "" {
		props[prop] = value
	}
	id := 999
	if n, err := atoiLoose(value); err == nil && n > 0 {
		id = n
	}
	err = w.drv.Registry().Add(asset.Ref{Type: t, ID: id}, "hand-made", props)
	if err == nil {
		return fmt.Errorf("adding a %s asset with %q = %q was accepted", typ, prop, value)
	}
	if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(text)) {
		return fmt.Errorf("adding it was refused with %q, which does not contain %q", err, text)
	}
	return nil
}

func assetType(typ string) (asset.Type, error) {
	switch strings.ToLower(typ) {
	case "door":
		return asset.Door, nil
	case "reader":
		return asset.Reader, nil
	case "output":
		return asset.Output, nil
	case "input":
		return asset.Input, nil
	case "system":
		return asset.System, nil
	}
	return "", fmt.Errorf("unknown asset type %q", typ)
}

func (w *World) assetProperty(typ, name, prop, value string) error {
	ref, err := w.ref(typ, name)
	if err != nil {
		return err
	}
	s, err := w.snapshot(ref)
	if err != nil {
		return err
	}
	got, ok := s.Properties[prop]
	if !ok {
		return fmt.Errorf("%s %q (%s) has no property %q (it has %v)", typ, name, ref, prop, s.Properties)
	}
	if got != value {
		return fmt.Errorf("%s %q (%s) has %q = %q, expected %q", typ, name, ref, prop, got, value)
	}
	return nil
}

// everyDiscovered: every door, reader (first of each door), input and
// output of the simulated site is an asset with its required property.
func (w *World) everyDiscovered() error {
	if err := w.needDriver(); err != nil {
		return err
	}
	snap := w.w.Snapshot()
	reg := w.drv.Registry()
	check := func(ref asset.Ref, prop string, id sim.ID) error {
		s, err := reg.Get(ref)
		if err != nil {
			return fmt.Errorf("%s: %w", ref, err)
		}
		if s.Properties[prop] != fmt.Sprint(id) {
			return fmt.Errorf("%s has %q = %q, expected %d", ref, prop, s.Properties[prop], id)
		}
		return nil
	}
	for _, d := range snap.Doors {
		if err := check(asset.Ref{Type: asset.Door, ID: int(d.ID)}, asset.PropDoorID, d.ID); err != nil {
			return err
		}
		if err := check(asset.Ref{Type: asset.Reader, ID: int(d.ID)}, asset.PropDoorID, d.ID); err != nil {
			return err
		}
	}
	for _, i := range snap.Inputs {
		if err := check(asset.Ref{Type: asset.Input, ID: int(i.ID)}, asset.PropInputID, i.ID); err != nil {
			return err
		}
	}
	for _, o := range snap.Outputs {
		if err := check(asset.Ref{Type: asset.Output, ID: int(o.ID)}, asset.PropOutputID, o.ID); err != nil {
			return err
		}
	}
	return nil
}
