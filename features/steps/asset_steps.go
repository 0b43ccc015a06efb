package steps

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
)

// Stimuli: what a person or the building does to the simulated hardware
// (@sim-only). Each is followed by one driver cycle.

func (w *World) after(err error) error {
	if err != nil {
		return err
	}
	_ = w.poll()
	return nil
}

// presentation is a card presented at a reader of the simulated site, with
// the head-end's decision.
type presentation struct {
	sim.Presented
	reader string // as the scenario named it
	card   string
	polled bool // the driver polled after it
}

func (w *World) presentCard(card, reader string) error { return w.presentCardPIN(card, reader, "") }

func (w *World) presentCardPIN(card, reader, pin string) error {
	if err := w.present(card, reader, pin); err != nil {
		return err
	}
	_ = w.poll()
	if n := len(w.presents); n > 0 && w.presErr == nil {
		w.presents[n-1].polled = true
	}
	return nil
}

func (w *World) presentCardNoPoll(card, reader string) error { return w.present(card, reader, "") }

func (w *World) present(card, reader, pin string) error {
	id, err := w.idOf(sim.KindReader, reader)
	if err != nil {
		return err
	}
	p, err := w.w.PresentCard(id, card, pin)
	w.presErr = err
	if err == nil {
		w.presents = append(w.presents, presentation{Presented: p, reader: reader, card: card})
	}
	return nil
}

// driverShows checks what the driver shows of a presentation the head-end
// decided: the Last Access Event of the reader's door and of the reader,
// read as the PSIM reads them, say the same (granted or denied and why, the
// card). It has nothing to check when the driver could not know yet: no
// driver, no poll since, a poll that failed, or an event its controller
// holds while cut off.
func (w *World) driverShows(p presentation) error {
	if w.drv == nil || w.psim == nil || !p.polled || w.pollErr != nil || p.Seq == 0 {
		return nil
	}
	rid, err := w.idOf(sim.KindReader, p.reader)
	if err != nil {
		return err
	}
	r, err := w.w.Reader(rid)
	if err != nil {
		return err
	}
	want := "Access granted"
	if !p.Granted {
		want = "Access denied - " + p.Reason.Text()
	}
	card, err := sim.ParseCard(p.card)
	if err != nil {
		return err
	}
	for _, ref := range []asset.Ref{{Type: asset.Door, ID: int(r.Door)}, {Type: asset.Reader, ID: int(r.Door)}} {
		s, err := w.snapshot(ref)
		if err != nil {
			return fmt.Errorf("the driver's %s: %w", ref, err)
		}
		e := s.LastAccess
		switch {
		case e == nil:
			return fmt.Errorf("the head-end decided (%s), but the driver shows no Last Access Event on %s", want, ref)
		case e.AccessGranted != p.Granted || e.Description != want || e.CardID != card:
			return fmt.Errorf("the head-end decided %q for card %s, but the driver's Last Access Event on %s says %s", want, card, ref, e)
		}
	}
	return nil
}

func (w *World) presentCardTimes(card string, n int, reader string) error {
	if n < 1 || n > 10000 {
		return fmt.Errorf("presented %d times: give 1 to 10000", n)
	}
	for range n {
		if err := w.presentCardNoPoll(card, reader); err != nil {
			return err
		}
		if w.presErr != nil {
			break
		}
	}
	_ = w.poll()
	return nil
}

// lastAt is the last presentation at the named reader.
func (w *World) lastAt(reader string) (presentation, error) {
	if _, err := w.idOf(sim.KindReader, reader); err != nil {
		return presentation{}, err
	}
	for i := len(w.presents) - 1; i >= 0; i-- {
		if strings.EqualFold(w.presents[i].reader, reader) {
			return w.presents[i], nil
		}
	}
	return presentation{}, fmt.Errorf("no card was presented at reader %q", reader)
}

func (w *World) readerGranted(reader string) error {
	p, err := w.lastAt(reader)
	if err != nil {
		return err
	}
	if !p.Granted {
		return fmt.Errorf("reader %q denied card %s (%s), expected a grant", reader, p.card, p.Reason)
	}
	return w.driverShows(p)
}

func (w *World) readerDenied(reader, reason string) error {
	p, err := w.lastAt(reader)
	if err != nil {
		return err
	}
	if p.Granted {
		return fmt.Errorf("reader %q granted card %s, expected a denial with reason %q", reader, p.card, reason)
	}
	if p.Reason.String() != reason && p.Reason.Text() != reason {
		return fmt.Errorf("reader %q denied card %s with reason %q (%s), expected %q", reader, p.card, p.Reason, p.Reason.Text(), reason)
	}
	return w.driverShows(p)
}

func (w *World) simGranted() error {
	if w.presErr != nil {
		return fmt.Errorf("the reader read nothing: %v", w.presErr)
	}
	if len(w.presents) == 0 {
		return errors.New("no card was presented")
	}
	p := w.presents[len(w.presents)-1]
	if !p.Granted {
		return fmt.Errorf("the card was denied (%s), expected a grant", p.Reason)
	}
	return w.driverShows(p)
}

func (w *World) simDenied(reason string) error {
	if w.presErr != nil {
		return fmt.Errorf("the reader read nothing: %v", w.presErr)
	}
	if len(w.presents) == 0 {
		return errors.New("no card was presented")
	}
	p := w.presents[len(w.presents)-1]
	if p.Granted {
		return fmt.Errorf("the card was granted, expected a denial with reason %q", reason)
	}
	if p.Reason.String() != reason && p.Reason.Text() != reason {
		return fmt.Errorf("the card was denied with reason %q (%s), expected %q", p.Reason, p.Reason.Text(), reason)
	}
	return w.driverShows(p)
}

func (w *World) simReadNothing() error {
	if w.presErr == nil {
		return errors.New("the reader read the card; expected it to read nothing")
	}
	return nil
}

// stimulus finds the component of kind named name, applies do to it and
// lets the driver poll: what every hardware step below does.
func (w *World) stimulus(kind sim.Kind, name string, do func(sim.ID) error) error {
	id, err := w.idOf(kind, name)
	if err != nil {
		return err
	}
	return w.after(do(id))
}

// seq drops the sequence number of a world stimulus.
func seq(f func(sim.ID) (uint64, error)) func(sim.ID) error {
	return func(id sim.ID) error {
		_, err := f(id)
		return err
	}
}

// toggle binds a world setter to a step's "reports" / "clears".
func toggle(f func(sim.ID, bool) error, verb string) func(sim.ID) error {
	on := verb == "reports"
	return func(id sim.ID) error { return f(id, on) }
}

func (w *World) doorOpened(name string) error {
	return w.stimulus(sim.KindDoor, name, seq(w.w.OpenDoor))
}

func (w *World) doorClosed(name string) error {
	return w.stimulus(sim.KindDoor, name, seq(w.w.CloseDoor))
}

func (w *World) rexPressed(name string) error {
	return w.stimulus(sim.KindDoor, name, seq(w.w.PressREX))
}

func (w *World) inputAlarm(name string) error {
	return w.stimulus(sim.KindInput, name, func(id sim.ID) error { _, err := w.w.SetInput(id, true); return err })
}

func (w *World) inputRest(name string) error {
	return w.stimulus(sim.KindInput, name, func(id sim.ID) error { _, err := w.w.SetInput(id, false); return err })
}

func (w *World) inputTampered(name string) error {
	return w.stimulus(sim.KindInput, name, seq(w.w.TamperInput))
}

func (w *World) inputTamperRestored(name string) error {
	return w.stimulus(sim.KindInput, name, seq(w.w.RestoreInput))
}

func (w *World) inputTrouble(name, verb string) error {
	return w.stimulus(sim.KindInput, name, toggle(w.w.SetInputTrouble, verb))
}

func (w *World) readerFault(name, verb string) error {
	return w.stimulus(sim.KindReader, name, toggle(w.w.SetReaderFault, verb))
}

func (w *World) outputControllerFault(name, verb string) error {
	return w.stimulus(sim.KindOutput, name, toggle(w.w.SetOutputFault, verb))
}

// outputTrouble: the output itself (not its controller) reports, or
// clears, an issue: TROUBLE on its relay row, which the driver shows as
// Fault.
func (w *World) outputTrouble(name, verb string) error {
	return w.stimulus(sim.KindOutput, name, toggle(w.w.SetOutputTrouble, verb))
}

func (w *World) controllerCut(name string) error {
	return w.stimulus(sim.KindController, name, w.w.CutController)
}

func (w *World) controllerRestored(name string) error {
	return w.stimulus(sim.KindController, name, w.w.RestoreController)
}

func (w *World) controllerFault(name, verb string) error {
	return w.stimulus(sim.KindController, name, toggle(w.w.SetControllerFault, verb))
}

func (w *World) gatewayDisconnected(name string) error {
	return w.stimulus(sim.KindGateway, name, w.w.DisconnectGateway)
}

func (w *World) gatewayConnected(name string) error {
	return w.stimulus(sim.KindGateway, name, w.w.ConnectGateway)
}

func (w *World) secondsPass(n int) error {
	if err := w.needSite(); err != nil {
		return err
	}
	w.advance(time.Duration(n) * time.Second)
	return nil
}

func (w *World) minutesPass(n int) error {
	if err := w.needSite(); err != nil {
		return err
	}
	w.advance(time.Duration(n) * time.Minute)
	return nil
}

func (w *World) clockAt(when string) error {
	if err := w.needSite(); err != nil {
		return err
	}
	now := w.clk.Now().In(w.w.Location())
	var target time.Time
	if t, err := time.ParseInLocation("2006-01-02 15:04", when, now.Location()); err == nil {
		target = t // a date and a time, on the site's wall clock
	} else if t, err := time.Parse("15:04", when); err == nil {
		target = time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, now.Location())
	} else {
		return fmt.Errorf("%q is neither HH:MM nor YYYY-MM-DD HH:MM", when)
	}
	if target.Before(now) {
		return fmt.Errorf("the site clock is already %s, after %s", now.Format("2006-01-02 15:04:05"), when)
	}
	w.advance(target.Sub(now))
	return nil
}

// clockOn moves the site clock forward to the next given weekday and time
// of the day (HH:MM) on the site's wall clock; now, if it is that already.
func (w *World) clockOn(day, hhmm string) error {
	if err := w.needSite(); err != nil {
		return err
	}
	t, err := time.Parse("15:04", hhmm)
	if err != nil {
		return fmt.Errorf("%q is not HH:MM", hhmm)
	}
	wd := -1
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), day) {
			wd = int(d)
		}
	}
	if wd < 0 {
		return fmt.Errorf("%q is not a day of the week", day)
	}
	now := w.clk.Now().In(w.w.Location())
	target := time.Date(now.Year(), now.Month(), now.Day(), t.Hour(), t.Minute(), 0, 0, now.Location())
	for int(target.Weekday()) != wd || target.Before(now) {
		target = time.Date(target.Year(), target.Month(), target.Day()+1, t.Hour(), t.Minute(), 0, 0, now.Location())
	}
	w.advance(target.Sub(now))
	return nil
}

// The simulated hardware, as the building sees it.

func (w *World) simDoorIs(name, state string) error {
	id, err := w.idOf(sim.KindDoor, name)
	if err != nil {
		return err
	}
	d, err := w.w.Door(id)
	if err != nil {
		return err
	}
	if string(d.Lock) == state || string(d.Contact) == state {
		return nil
	}
	return fmt.Errorf("the simulated door %q is %s and %s, expected %q", name, d.Lock, d.Contact, state)
}

func (w *World) simReaderIs(name, state string) error {
	id, err := w.idOf(sim.KindReader, name)
	if err != nil {
		return err
	}
	r, err := w.w.Reader(id)
	if err != nil {
		return err
	}
	return twoStateIs("reader", name, r.Enabled, "enabled", "disabled", state)
}

func (w *World) simOutputIs(name, state string) error {
	id, err := w.idOf(sim.KindOutput, name)
	if err != nil {
		return err
	}
	o, err := w.w.Output(id)
	if err != nil {
		return err
	}
	return twoStateIs("output", name, o.Active, "active", "inactive", state)
}

// twoStateIs checks a simulated component's on/off state, named onWord or
// offWord, against the state a step expects.
func twoStateIs(kind, name string, on bool, onWord, offWord, want string) error {
	got := offWord
	if on {
		got = onWord
	}
	if got != want {
		return fmt.Errorf("the simulated %s %q is %s, expected %s", kind, name, got, want)
	}
	return nil
}

// What the driver shows.

func (w *World) shows(typ, name, status string) error {
	ref, err := w.ref(typ, name)
	if err != nil {
		return err
	}
	s, err := w.snapshot(ref)
	if err != nil {
		return err
	}
	if string(s.Status) != status {
		return fmt.Errorf("%s %q (%s) shows %q (statuses %s), expected %q", typ, name, ref, s.Status, statusList(s.Statuses), status)
	}
	return nil
}

func statusList(ss []asset.Status) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return "[" + strings.Join(out, ", ") + "]"
}

func (w *World) systemShows(status string) error { return w.shows("system", "", status) }

func (w *World) holds(typ, name, status string) error {
	ref, err := w.ref(typ, name)
	if err != nil {
		return err
	}
	s, err := w.snapshot(ref)
	if err != nil {
		return err
	}
	if !slices.Contains(s.Statuses, asset.Status(status)) {
		return fmt.Errorf("%s %q (%s) holds %s, not %q", typ, name, ref, statusList(s.Statuses), status)
	}
	return nil
}

func (w *World) holdsNot(typ, name, status string) error {
	ref, err := w.ref(typ, name)
	if err != nil {
		return err
	}
	s, err := w.snapshot(ref)
	if err != nil {
		return err
	}
	if slices.Contains(s.Statuses, asset.Status(status)) {
		return fmt.Errorf("%s %q (%s) holds %s, including %q", typ, name, ref, statusList(s.Statuses), status)
	}
	return nil
}

func (w *World) everyAssetShows(status string) error {
	if err := w.needDriver(); err != nil {
		return err
	}
	list, err := w.assets()
	if err != nil {
		return err
	}
	if len(list) < 2 {
		return w.noAssetsYet("door, reader, input or output")
	}
	var bad []string
	for _, s := range list {
		if string(s.Status) != status {
			bad = append(bad, fmt.Sprintf("%s %q shows %q", s.Ref, s.Name, s.Status))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("%d asset(s) do not show %q: %s", len(bad), status, strings.Join(bad, "; "))
	}
	return nil
}

// everyAssetOf: every asset of a type shows status.
func (w *World) everyAssetOfShows(typ, status string) error {
	if err := w.needDriver(); err != nil {
		return err
	}
	t, err := assetType(strings.TrimSuffix(typ, "s"))
	if err != nil {
		return err
	}
	list, err := w.assets()
	if err != nil {
		return err
	}
	n := 0
	for _, s := range list {
		if s.Type != t {
			continue
		}
		n++
		if string(s.Status) != status {
			return fmt.Errorf("%s %q shows %q (statuses %s), expected %q", s.Ref, s.Name, s.Status, statusList(s.Statuses), status)
		}
	}
	if n == 0 {
		return w.noAssetsYet(typ)
	}
	return nil
}

// noAssetsYet explains an empty registry: the driver discovers the site's
// doors, readers, inputs and outputs at its first successful login, so a
// driver that never logged in has none (only the System asset).
func (w *World) noAssetsYet(typ string) error {
	if w.cfgErr != nil {
		return fmt.Errorf("the driver has no %s asset: its configuration was refused (%v), so it never discovered the site; only the System asset exists", typ, w.cfgErr)
	}
	if w.pollErr != nil {
		return fmt.Errorf("the driver has no %s asset: it discovers the site at its first successful login, and its last poll failed (%v); only the System asset exists", typ, w.pollErr)
	}
	return fmt.Errorf("the driver has no %s asset", typ)
}

// Operator commands, through the registry as the northbound API gives them.

func (w *World) send(cmd string, secs int, withSeconds bool, typ, name string) error {
	ref, err := w.ref(typ, name)
	if err != nil {
		return err
	}
	if err := w.needDriver(); err != nil {
		return err
	}
	w.cmdMark = w.requestCount()
	if c, err := asset.ParseCommand(cmd); err == nil && c == asset.Pass && ref.Type == asset.Door && secs >= 1 && secs <= 255 && os.Getenv(BreakEnv) == "pass-no-relock" {
		// Deliberately broken (see BreakEnv): a Pass that does not relock.
		ctx, cancel := ctxT()
		defer cancel()
		w.cmdErr = w.drv.Client().TemporarilyUnlockDoor(ctx, ref.ID, entrapass.MaxDelay)
		_ = w.poll()
		return nil
	}
	// As the PSIM sends it: the command's name as the operator chose it,
	// and the seconds only for the commands that take them.
	w.cmdErr = w.psim.command(ref, cmd, secs, withSeconds)
	_ = w.poll()
	return nil
}

func (w *World) sends(cmd, typ, name string) error {
	if err := w.send(cmd, 0, false, typ, name); err != nil {
		return err
	}
	if w.cmdErr != nil {
		return fmt.Errorf("the command %q to %s %q failed: %w", cmd, typ, name, w.cmdErr)
	}
	return nil
}

func (w *World) sendsSeconds(cmd string, secs int, typ, name string) error {
	if err := w.send(cmd, secs, true, typ, name); err != nil {
		return err
	}
	if w.cmdErr != nil {
		return fmt.Errorf("the command %q %d s to %s %q failed: %w", cmd, secs, typ, name, w.cmdErr)
	}
	return nil
}

func (w *World) sendsSystem(cmd string) error { return w.sends(cmd, "system", "") }

func (w *World) tries(cmd, typ, name string) error { return w.send(cmd, 0, false, typ, name) }

func (w *World) triesSeconds(cmd string, secs int, typ, name string) error {
	return w.send(cmd, secs, true, typ, name)
}

func (w *World) triesSystem(cmd string) error { return w.send(cmd, 0, false, "system", "") }

func (w *World) refused(text string) error {
	if w.cmdErr == nil {
		return errors.New("the command was carried out; expected it to be refused")
	}
	if !strings.Contains(strings.ToLower(w.cmdErr.Error()), strings.ToLower(text)) {
		return fmt.Errorf("the command was refused with %q, which does not contain %q", w.cmdErr, text)
	}
	return nil
}

func (w *World) nothingSent() error {
	var cmds []string
	for _, r := range w.requestsSince(w.cmdMark) {
		if strings.HasPrefix(r, "PUT ") && !strings.Contains(strings.ToLower(r), "componentsstates") {
			cmds = append(cmds, r)
		}
	}
	if len(cmds) > 0 {
		return fmt.Errorf("the server received the command(s) %s", strings.Join(cmds, ", "))
	}
	return nil
}

func (w *World) serverReceived(cmd string) error {
	for _, r := range w.requestsSince(w.cmdMark) {
		if strings.EqualFold(r, "PUT /SmartService/"+cmd) {
			return nil
		}
	}
	return fmt.Errorf("the server received no PUT %s; it received %s", cmd, strings.Join(w.requestsSince(w.cmdMark), ", "))
}

// Selection.

func (w *World) selects(typ, name string) error {
	ref, err := w.ref(typ, name)
	if err != nil {
		return err
	}
	if err := w.needDriver(); err != nil {
		return err
	}
	sel, err := w.psim.selection()
	if err != nil {
		return err
	}
	return w.psim.setSelection(append(sel, ref))
}

func (w *World) selectionHolds(n int) error {
	if err := w.needDriver(); err != nil {
		return err
	}
	sel, err := w.psim.selection()
	if err != nil {
		return err
	}
	if len(sel) != n {
		return fmt.Errorf("the selection holds %d asset(s) %v, expected %d", len(sel), sel, n)
	}
	return nil
}

func (w *World) sendsToSelection(cmd string) error {
	if err := w.needDriver(); err != nil {
		return err
	}
	res, err := w.psim.selectionCommand(cmd)
	if err != nil {
		return err
	}
	for _, r := range res {
		if r.Error != "" {
			return fmt.Errorf("%s on %s: %s", cmd, r.Ref, r.Error)
		}
	}
	_ = w.poll()
	return nil
}

// Workflow events.

func (w *World) lastAccess(typ, name string) (*asset.LastAccessEvent, asset.Ref, error) {
	ref, err := w.ref(typ, name)
	if err != nil {
		return nil, ref, err
	}
	s, err := w.snapshot(ref)
	if err != nil {
		return nil, ref, err
	}
	if s.LastAccess == nil {
		return nil, ref, fmt.Errorf("%s %q (%s) has no Last Access Event", typ, name, ref)
	}
	return s.LastAccess, ref, nil
}

// accessProperty renders a property of Tables 1 and 2 as the document
// names it.
func accessProperty(e *asset.LastAccessEvent, prop string) (string, error) {
	switch prop {
	case "Username":
		return e.Username, nil
	case "BadgeTemplateID":
		return strconv.Itoa(e.BadgeTemplateID), nil
	case "DateTime":
		return e.DateTime.UTC().Format("2006-01-02 15:04:05"), nil
	case "CardId":
		return e.CardID, nil
	case "Access Granted":
		if e.AccessGranted {
			return "True", nil
		}
		return "False", nil
	case "Description":
		return e.Description, nil
	case "Card Status":
		return e.CardStatus, nil
	case "Parent Id":
		return strconv.Itoa(e.ParentID), nil
	case "Parent Type":
		return string(e.ParentType), nil
	}
	return "", fmt.Errorf("the Last Access Event has no property %q (Username, BadgeTemplateID, DateTime, CardId, Access Granted, Description, Card Status, Parent Id, Parent Type)", prop)
}

func (w *World) lastAccessHas(typ, name, prop, value string) error {
	e, ref, err := w.lastAccess(typ, name)
	if err != nil {
		return err
	}
	got, err := accessProperty(e, prop)
	if err != nil {
		return err
	}
	if got != value {
		return fmt.Errorf("the Last Access Event of %s %q (%s) has %q = %q, expected %q (event: %s)", typ, name, ref, prop, got, value, e)
	}
	return nil
}

func (w *World) lastAccessContains(typ, name, prop, part string) error {
	e, ref, err := w.lastAccess(typ, name)
	if err != nil {
		return err
	}
	got, err := accessProperty(e, prop)
	if err != nil {
		return err
	}
	if !strings.Contains(strings.ToLower(got), strings.ToLower(part)) {
		return fmt.Errorf("the Last Access Event of %s %q (%s) has %q = %q, which does not contain %q (event: %s)", typ, name, ref, prop, got, part, e)
	}
	return nil
}

func (w *World) lastAccessNonEmpty(typ, name, prop string) error {
	e, ref, err := w.lastAccess(typ, name)
	if err != nil {
		return err
	}
	got, err := accessProperty(e, prop)
	if err != nil {
		return err
	}
	// BadgeTemplateID and Parent Id are numbers whose absence is 0.
	numeric := prop == "BadgeTemplateID" || prop == "Parent Id"
	if strings.TrimSpace(got) == "" || numeric && got == "0" {
		return fmt.Errorf("the Last Access Event of %s %q (%s) has no %q (it is %q; event: %s)", typ, name, ref, prop, got, e)
	}
	return nil
}

func (w *World) lastAccessTable(typ, name string, t tableRows) error {
	for _, row := range t {
		if err := w.lastAccessHas(typ, name, row[0], row[1]); err != nil {
			return err
		}
	}
	return nil
}

// accessEvents are the Last Access Events published for ref.
func (w *World) accessEvents(ref asset.Ref) []*asset.LastAccessEvent {
	var out []*asset.LastAccessEvent
	for _, e := range w.events {
		if a, ok := e.(*asset.LastAccessEvent); ok && a.Ref == ref {
			out = append(out, a)
		}
	}
	return out
}

func (w *World) accessPublished(n int, typ, name string) error {
	ref, err := w.ref(typ, name)
	if err != nil {
		return err
	}
	if w.streamErr != nil {
		return w.streamErr
	}
	got := w.accessEvents(ref)
	if len(got) != n {
		var ss []string
		for _, e := range got {
			ss = append(ss, e.String())
		}
		return fmt.Errorf("%d Last Access Event(s) were published for %s %q (%s), expected %d: %s", len(got), typ, name, ref, n, strings.Join(ss, "; "))
	}
	return nil
}

func (w *World) gatewayEvents() []*asset.GatewayConnectionChanged {
	var out []*asset.GatewayConnectionChanged
	for _, e := range w.events {
		if g, ok := e.(*asset.GatewayConnectionChanged); ok {
			out = append(out, g)
		}
	}
	return out
}

func (w *World) gatewayEvent(name, state string) error {
	id, err := w.idOf(sim.KindGateway, name)
	if err != nil {
		return err
	}
	want := state == "online"
	if w.streamErr != nil {
		return w.streamErr
	}
	evs := w.gatewayEvents()
	if len(evs) == 0 {
		return errors.New("no Gateway Connection Changed event was published")
	}
	e := evs[len(evs)-1]
	switch {
	case e.GatewayID != int(id):
		return fmt.Errorf("the last Gateway Connection Changed has Gateway ID %d, expected %d", e.GatewayID, id)
	case e.GatewayName != name:
		return fmt.Errorf("the last Gateway Connection Changed has Gateway Name %q, expected %q", e.GatewayName, name)
	case e.GatewayConnectedState != want:
		return fmt.Errorf("the last Gateway Connection Changed has Gateway Connected State %v, expected %v (%s)", e.GatewayConnectedState, want, state)
	case e.Ref != asset.SystemRef:
		return fmt.Errorf("the Gateway Connection Changed belongs to %s, expected the System asset", e.Ref)
	}
	return nil
}

func (w *World) gatewayEventCount(n int) error {
	if w.streamErr != nil {
		return w.streamErr
	}
	if got := len(w.gatewayEvents()); got != n {
		return fmt.Errorf("%d Gateway Connection Changed event(s) were published, expected %d", got, n)
	}
	return nil
}

// eventsForgotten clears the events collected so far.
func (w *World) eventsForgotten() error {
	w.events = nil
	return nil
}
