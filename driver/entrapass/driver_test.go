package entrapass_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/sim"
)

// harness is a driver against a simulated site, polled synchronously.
type harness struct {
	t    *testing.T
	s    *site
	d    *entrapass.Driver
	sub  *asset.Subscription
	logs *logBuffer
}

func newHarness(t *testing.T, s *site, user, password string, edit ...func(*entrapass.Config)) *harness {
	t.Helper()
	cfg := s.config(user, password)
	for _, e := range edit {
		e(&cfg)
	}
	logs := &logBuffer{}
	d, err := entrapass.New(cfg, entrapass.WithLogger(logs.logger()))
	require.NoError(t, err)
	h := &harness{t: t, s: s, d: d, sub: d.Bus().Subscribe(1 << 16), logs: logs}
	t.Cleanup(d.Stop)
	return h
}

// start is the default harness, polled once.
func start(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, newSite(t, nil), "pacsim", "pacsim")
	h.poll()
	h.drain()
	return h
}

func (h *harness) poll() {
	h.t.Helper()
	require.NoError(h.t, h.d.PollOnce(ctx(h.t)))
}

func (h *harness) snap(ref asset.Ref) asset.Snapshot {
	h.t.Helper()
	s, err := h.d.Registry().Get(ref)
	require.NoError(h.t, err)
	return s
}

func (h *harness) status(ref asset.Ref) asset.Status { h.t.Helper(); return h.snap(ref).Status }

func (h *harness) statuses(ref asset.Ref) []asset.Status { h.t.Helper(); return h.snap(ref).Statuses }

// drain returns the events published so far (PollOnce publishes
// synchronously, so nothing is waited for).
func (h *harness) drain() []asset.Event {
	var out []asset.Event
	for {
		select {
		case e := <-h.sub.Events():
			out = append(out, e)
		default:
			return out
		}
	}
}

func (h *harness) accesses() []*asset.LastAccessEvent {
	var out []*asset.LastAccessEvent
	for _, e := range h.drain() {
		if a, ok := e.(*asset.LastAccessEvent); ok {
			out = append(out, a)
		}
	}
	return out
}

func (h *harness) exec(ref asset.Ref, name asset.CommandName, secs int) error {
	return h.d.Registry().Execute(ctx(h.t), ref, asset.Command{Name: name, Seconds: secs})
}

// TestDiscovery: every door (with its reader), input and output of the
// site becomes an asset with its required property, and the first poll
// shows the site at rest.
func TestDiscovery(t *testing.T) {
	h := start(t)
	count := map[asset.Type]int{}
	for _, a := range h.d.Registry().List() {
		count[a.Type]++
	}
	assert.Equal(t, map[asset.Type]int{asset.System: 1, asset.Door: 8, asset.Reader: 8, asset.Input: 16, asset.Output: 8}, count)

	door := h.snap(doorRef(doorFront))
	assert.Equal(t, "Front Door", door.Name)
	assert.Equal(t, "20", door.Properties[asset.PropDoorID])
	assert.Equal(t, "Office", door.Properties[entrapass.PropSite])
	assert.Equal(t, "10", door.Properties[entrapass.PropControllerID])
	assert.Equal(t, asset.Secure, door.Status)

	rdr := h.snap(readerRef(doorFront))
	assert.Equal(t, "20", rdr.Properties[asset.PropDoorID])
	assert.Equal(t, "Front Door reader", rdr.Name)
	assert.Equal(t, []asset.Status{asset.Enabled, asset.Normal}, rdr.Statuses)
	assert.Equal(t, "False", rdr.Properties[entrapass.PropReader2Disabled])

	in := h.snap(inputRef(inMotion))
	assert.Equal(t, "52", in.Properties[asset.PropInputID])
	assert.Equal(t, "Office Motion", in.Name)
	assert.Equal(t, []asset.Status{asset.Inactive}, in.Statuses)

	out := h.snap(outputRef(outBuzzer))
	assert.Equal(t, "70", out.Properties[asset.PropOutputID])
	assert.Equal(t, []asset.Status{asset.Present, asset.Normal}, out.Statuses)
	assert.Equal(t, "False", out.Properties[entrapass.PropActive])

	assert.Equal(t, asset.Normal, h.status(asset.SystemRef))
	assert.Equal(t, 1, h.s.srv.Sessions())

	// Gateways and controllers are registered for states, so the System
	// follows them.
	reg := h.s.lastRequest("/ComponentsStates")
	require.NotNil(t, reg)
}

// TestDoorStatuses: EP-DOOR-S-SECURE, -UNSECURE, -FORCED-OPEN, -HELD-OPEN,
// -FAULT, -NOCOMM through the world.
func TestDoorStatuses(t *testing.T) {
	h := start(t)
	w, ref := h.s.w, doorRef(doorFront)

	// Forced: opened while locked without a grant.
	_, err := w.OpenDoor(doorFront)
	require.NoError(t, err)
	h.poll()
	assert.Equal(t, asset.ForcedOpen, h.status(ref))
	assert.Contains(t, h.statuses(ref), asset.Unsecure)
	_, err = w.CloseDoor(doorFront)
	require.NoError(t, err)
	h.poll()
	assert.Equal(t, asset.Secure, h.status(ref))

	// Granted, opened: Unsecure; pre-alarm: Unsecure; open too long: Held Open.
	_, err = w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	h.poll()
	assert.Equal(t, asset.Unsecure, h.status(ref), "unlocked on access")
	_, err = w.OpenDoor(doorFront)
	require.NoError(t, err)
	h.poll()
	assert.Equal(t, []asset.Status{asset.Unsecure}, h.statuses(ref))
	h.s.clk.Advance(21 * time.Second)
	h.poll()
	assert.Equal(t, []asset.Status{asset.Unsecure}, h.statuses(ref), "pre-alarm")
	h.s.clk.Advance(10 * time.Second)
	h.poll()
	assert.Equal(t, asset.HeldOpen, h.status(ref))
	assert.Equal(t, []asset.Status{asset.HeldOpen, asset.Unsecure}, h.statuses(ref))
	_, err = w.CloseDoor(doorFront)
	require.NoError(t, err)
	h.poll()
	assert.Equal(t, asset.Secure, h.status(ref))

	// A reader in fault: Fault on its door's row, so on the door and the reader.
	require.NoError(t, w.SetReaderFault(rdFrontOut, true))
	h.poll()
	assert.Equal(t, asset.Fault, h.status(ref))
	assert.Equal(t, asset.Fault, h.status(readerRef(doorFront)))
	require.NoError(t, w.SetReaderFault(rdFrontOut, false))
	h.poll()
	assert.Equal(t, asset.Secure, h.status(ref))

	// The controller cut off: No Communication; the System shows Fault.
	require.NoError(t, w.CutController(ctrlOffice))
	h.poll()
	assert.Equal(t, []asset.Status{asset.NoCommunication}, h.statuses(ref))
	assert.Equal(t, asset.NoCommunication, h.status(readerRef(doorFront)))
	assert.Equal(t, asset.NoCommunication, h.status(inputRef(inMotion)))
	assert.Equal(t, asset.ControllerFault, h.status(outputRef(outBuzzer)))
	assert.Equal(t, asset.Fault, h.status(asset.SystemRef))
	assert.Equal(t, asset.Secure, h.status(doorRef(doorShop)), "the other controller is fine")
	require.NoError(t, w.RestoreController(ctrlOffice))
	h.poll()
	assert.Equal(t, asset.Secure, h.status(ref))
	assert.Equal(t, asset.Present, h.status(outputRef(outBuzzer)))
	assert.Equal(t, asset.Normal, h.status(asset.SystemRef))

	// A controller in hardware fault still answers: its doors, readers
	// and inputs show Fault, never No Communication; its outputs
	// Controller Fault; the System Fault (issue 22, SPEC §6).
	require.NoError(t, w.SetControllerFault(ctrlShop, true))
	h.poll()
	assert.Equal(t, asset.Fault, h.status(doorRef(doorShop)))
	assert.NotContains(t, h.statuses(doorRef(doorShop)), asset.NoCommunication)
	assert.Equal(t, asset.Fault, h.status(readerRef(doorShop)))
	assert.Equal(t, asset.ControllerFault, h.status(outputRef(outShopHorn)))
	assert.Equal(t, asset.Fault, h.status(asset.SystemRef))
	require.NoError(t, w.SetControllerFault(ctrlShop, false))
	h.poll()
	assert.Equal(t, asset.Secure, h.status(doorRef(doorShop)))
	assert.Equal(t, asset.Normal, h.status(asset.SystemRef))
}

// TestReaderInputOutputStatuses: EP-RDR-S-*, EP-IN-S-*, EP-OUT-S-*.
func TestReaderInputOutputStatuses(t *testing.T) {
	h := start(t)
	w := h.s.w

	require.NoError(t, w.DisableReader(rdFrontIn))
	h.poll()
	assert.Equal(t, []asset.Status{asset.Disabled}, h.statuses(readerRef(doorFront)), "a disabled reader never shows Normal")
	require.NoError(t, w.EnableReader(rdFrontIn))
	require.NoError(t, w.DisableReader(rdFrontOut))
	h.poll()
	assert.Equal(t, asset.Enabled, h.status(readerRef(doorFront)))
	assert.Equal(t, "True", h.snap(readerRef(doorFront)).Properties[entrapass.PropReader2Disabled])

	_, err := w.SetInput(inMotion, true)
	require.NoError(t, err)
	h.poll()
	assert.Equal(t, []asset.Status{asset.Active}, h.statuses(inputRef(inMotion)))
	_, err = w.TamperInput(inMotion)
	require.NoError(t, err)
	h.poll()
	assert.Equal(t, asset.Tamper, h.status(inputRef(inMotion)))
	require.NoError(t, w.SetInputTrouble(inMotion, true))
	h.poll()
	assert.Equal(t, []asset.Status{asset.Fault, asset.Tamper, asset.Active}, h.statuses(inputRef(inMotion)))
	require.NoError(t, w.SetInputTrouble(inMotion, false))
	_, err = w.RestoreInput(inMotion)
	require.NoError(t, err)
	_, err = w.SetInput(inMotion, false)
	require.NoError(t, err)
	h.poll()
	assert.Equal(t, []asset.Status{asset.Inactive}, h.statuses(inputRef(inMotion)))

	require.NoError(t, w.SetOutputFault(outBuzzer, true))
	h.poll()
	assert.Equal(t, []asset.Status{asset.ControllerFault, asset.Present}, h.statuses(outputRef(outBuzzer)))
	require.NoError(t, w.SetOutputFault(outBuzzer, false))
	h.poll()
	assert.Equal(t, []asset.Status{asset.Present, asset.Normal}, h.statuses(outputRef(outBuzzer)))
}

// TestCommands: every hardware command reaches the world (EP-DOOR-C-LOCK,
// -UNLOCK, -PASS, EP-RDR-C-DISABLE, -ENABLE, EP-OUT-C-ACTIVATE,
// -DEACTIVATE, -TIMED) and out-of-range values are refused before anything
// is sent (EP-DOOR-C-PASS-RANGE).
func TestCommands(t *testing.T) {
	h := start(t)
	w := h.s.w
	lock := func() sim.LockState {
		ds, err := w.Door(doorFront)
		require.NoError(t, err)
		return ds.Lock
	}

	require.NoError(t, h.exec(doorRef(doorFront), asset.Pass, 5))
	assert.Equal(t, sim.LockUnlockedTemporary, lock())
	h.poll()
	assert.Equal(t, asset.Unsecure, h.status(doorRef(doorFront)))
	assert.Equal(t, "True", h.snap(doorRef(doorFront)).Properties[entrapass.PropUnlockedTemp])
	h.s.clk.Advance(5 * time.Second)
	assert.Equal(t, sim.LockLocked, lock())
	h.poll()
	assert.Equal(t, asset.Secure, h.status(doorRef(doorFront)))

	require.NoError(t, h.exec(doorRef(doorFront), asset.Unlock, 0))
	assert.Equal(t, sim.LockUnlockedOperator, lock())
	require.NoError(t, h.exec(doorRef(doorFront), asset.Lock, 0))
	assert.Equal(t, sim.LockLocked, lock())

	before := len(h.s.paths())
	for _, secs := range []int{0, 256, -1} {
		err := h.exec(doorRef(doorFront), asset.Pass, secs)
		assert.ErrorIs(t, err, asset.ErrOutOfRange)
	}
	assert.ErrorIs(t, h.exec(outputRef(outBuzzer), asset.TimedActivation, 64801), asset.ErrOutOfRange)
	assert.Equal(t, before, len(h.s.paths()), "nothing was sent")
	require.NoError(t, h.exec(doorRef(doorFront), asset.Pass, 255))

	require.NoError(t, h.exec(readerRef(doorFront), asset.DisableReader, 0))
	rs, _ := w.Reader(rdFrontIn)
	assert.False(t, rs.Enabled)
	h.poll()
	assert.Equal(t, asset.Disabled, h.status(readerRef(doorFront)))
	require.NoError(t, h.exec(readerRef(doorFront), asset.EnableReader, 0))
	rs, _ = w.Reader(rdFrontIn)
	assert.True(t, rs.Enabled)

	require.NoError(t, h.exec(outputRef(outBuzzer), asset.ActivateOutput, 0))
	o, _ := w.Output(outBuzzer)
	assert.True(t, o.Active)
	h.poll()
	assert.Equal(t, "True", h.snap(outputRef(outBuzzer)).Properties[entrapass.PropActive])
	require.NoError(t, h.exec(outputRef(outBuzzer), asset.DeactivateOutput, 0))
	o, _ = w.Output(outBuzzer)
	assert.False(t, o.Active)
	require.NoError(t, h.exec(outputRef(outBuzzer), asset.TimedActivation, 10))
	o, _ = w.Output(outBuzzer)
	assert.True(t, o.Active)
	h.poll()
	assert.Equal(t, "True", h.snap(outputRef(outBuzzer)).Properties[entrapass.PropTemporary])
	h.s.clk.Advance(10 * time.Second)
	o, _ = w.Output(outBuzzer)
	assert.False(t, o.Active)

	// A command the hardware refuses comes back as the server's fault.
	require.NoError(t, w.CutController(ctrlOffice))
	err := h.exec(doorRef(doorFront), asset.Lock, 0)
	var f *entrapass.Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, "COMPONENT_NOT_REACHABLE", f.Code)
}

// TestLastAccessEvent: EP-DOOR-E-ACCESS-GRANTED, EP-DOOR-E-ACCESS-DENIED,
// EP-RDR-E-LAST-ACCESS — every property, for the door and its reader.
func TestLastAccessEvent(t *testing.T) {
	h := start(t)
	w := h.s.w
	at := w.Now().UTC()

	_, err := w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	h.poll()
	evs := h.accesses()
	require.Len(t, evs, 2)
	want := asset.LastAccessEvent{Username: "Alice Martin", BadgeTemplateID: 1, DateTime: at, CardID: cardAlice,
		AccessGranted: true, Description: "Access granted", CardStatus: "Valid"}
	onDoor, onReader := want, want
	onDoor.Ref, onDoor.ParentID, onDoor.ParentType = doorRef(doorFront), doorFront, asset.Reader
	onReader.Ref, onReader.ParentID, onReader.ParentType = readerRef(doorFront), doorFront, asset.Door
	onDoor.Seq, onReader.Seq = evs[0].Seq, evs[1].Seq
	assert.Equal(t, onDoor, *evs[0])
	assert.Equal(t, onReader, *evs[1])
	assert.Equal(t, &onDoor, h.snap(doorRef(doorFront)).LastAccess)

	// The exit reader is the same reader asset.
	h.s.clk.Advance(time.Minute)
	_, err = w.PresentCard(rdFrontOut, cardAlice, "")
	require.NoError(t, err)
	h.poll()
	assert.Len(t, h.accesses(), 2)

	// A denial says why; the card's state comes from the card user.
	h.s.clk.Advance(time.Minute)
	_, err = w.PresentCard(rdShopIn, cardBruno, "")
	require.NoError(t, err)
	h.poll()
	evs = h.accesses()
	require.Len(t, evs, 2)
	assert.Equal(t, doorRef(doorShop), evs[0].Ref)
	assert.False(t, evs[0].AccessGranted)
	assert.Equal(t, "Bruno Bernard", evs[0].Username)
	assert.Regexp(t, `^Access denied - `, evs[0].Description)
	assert.Equal(t, "Valid", evs[0].CardStatus)
	assert.Equal(t, 1, evs[0].BadgeTemplateID)

	_, err = w.PresentCard(rdFrontIn, cardLost, "")
	require.NoError(t, err)
	h.poll()
	evs = h.accesses()
	require.Len(t, evs, 2)
	assert.False(t, evs[0].AccessGranted)
	assert.Equal(t, "StolenLost", evs[0].CardStatus)
	assert.Equal(t, "Grace Michel", evs[0].Username)

	_, err = w.PresentCard(rdFrontIn, "999:1", "")
	require.NoError(t, err)
	h.poll()
	evs = h.accesses()
	require.Len(t, evs, 2)
	assert.Equal(t, "Unknown", evs[0].CardStatus)
	assert.Equal(t, "999:1", evs[0].CardID)
	assert.Equal(t, 0, evs[0].BadgeTemplateID)

	// The keypad reader asks Bruno for his PIN.
	_, err = w.PresentCard(rdOffice, cardBruno, "")
	require.NoError(t, err)
	_, err = w.PresentCard(rdOffice, cardBruno, "12345")
	require.NoError(t, err)
	h.poll()
	evs = h.accesses()
	require.Len(t, evs, 4)
	assert.False(t, evs[0].AccessGranted)
	assert.True(t, evs[2].AccessGranted)
	assert.Equal(t, doorRef(doorOffice), evs[2].Ref)
}

// TestGatewayConnectionChanged: EP-GW-E-OFFLINE, EP-GW-E-ONLINE,
// FT-GATEWAY-DOWN.
func TestGatewayConnectionChanged(t *testing.T) {
	h := start(t)
	require.NoError(t, h.s.w.DisconnectGateway(gwMain))
	h.poll()
	var gws []*asset.GatewayConnectionChanged
	collect := func() {
		for _, e := range h.drain() {
			if g, ok := e.(*asset.GatewayConnectionChanged); ok {
				gws = append(gws, g)
			}
		}
	}
	collect()
	require.Len(t, gws, 1)
	assert.Equal(t, asset.SystemRef, gws[0].Ref)
	assert.Equal(t, 1, gws[0].GatewayID)
	assert.Equal(t, "Main Gateway", gws[0].GatewayName)
	assert.False(t, gws[0].GatewayConnectedState)
	assert.Equal(t, asset.Fault, h.status(asset.SystemRef))
	assert.Equal(t, asset.NoCommunication, h.status(doorRef(doorFront)))
	assert.Equal(t, asset.NoCommunication, h.status(doorRef(doorShop)))
	assert.Equal(t, asset.ControllerFault, h.status(outputRef(outBuzzer)))

	// Events held behind the gateway arrive when it is back.
	_, err := h.s.w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	h.poll()
	assert.Empty(t, h.accesses())

	require.NoError(t, h.s.w.ConnectGateway(gwMain))
	h.poll()
	gws = nil
	evs := h.drain()
	var accesses int
	for _, e := range evs {
		switch e := e.(type) {
		case *asset.GatewayConnectionChanged:
			gws = append(gws, e)
		case *asset.LastAccessEvent:
			accesses++
		}
	}
	require.Len(t, gws, 1)
	assert.True(t, gws[0].GatewayConnectedState)
	assert.Equal(t, 1, gws[0].GatewayID)
	assert.Equal(t, 2, accesses, "the held grant, on the door and its reader")
	assert.Equal(t, asset.Normal, h.status(asset.SystemRef))
	assert.Equal(t, asset.Unsecure, h.status(doorRef(doorFront)), "the held grant unlocked it for one passage")
	h.s.clk.Advance(5 * time.Second)
	h.poll()
	assert.Equal(t, asset.Secure, h.status(doorRef(doorFront)))
}

// TestDenialLooksCardUpOnlyWhenTheCardMayBeWhy: a denial for a reason that
// is not the card's state (no access level) takes the cached card, with no
// request; a denial the card's state explains (card invalid) looks the card
// up again, so the Last Access Event shows the new state at once.
func TestDenialLooksCardUpOnlyWhenTheCardMayBeWhy(t *testing.T) {
	h := start(t)
	w := h.s.w
	cardLookups := func() int { return h.s.count("/Cards") }
	present := func(reader sim.ID) *asset.LastAccessEvent {
		t.Helper()
		h.s.clk.Advance(time.Second)
		_, err := w.PresentCard(reader, cardBruno, "")
		require.NoError(t, err)
		h.poll()
		evs := h.accesses()
		require.Len(t, evs, 2)
		return evs[0]
	}

	// Bruno is granted at the Office (PIN), then denied at the Shop.
	ev := present(rdShopIn)
	assert.Equal(t, "Access denied - no access level for this door", ev.Description)
	assert.Equal(t, "Valid", ev.CardStatus)
	looked := cardLookups()
	assert.Equal(t, 1, looked, "the first sight of a card looks it up")

	ev = present(rdShopIn)
	assert.Equal(t, "Valid", ev.CardStatus)
	assert.Equal(t, looked, cardLookups(), "no access level: the cached card is as good as a fresh one")

	users, err := entrapass.NewUsers(h.d.Client(), openAudit(t), "jane.admin")
	require.NoError(t, err)
	u, err := users.Find(ctx(t), cardBruno)
	require.NoError(t, err)
	require.NoError(t, users.Disable(ctx(t), "TCK-9", u.ID))
	looked = cardLookups()
	ev = present(rdShopIn)
	assert.Equal(t, "Access denied - card invalid", ev.Description)
	assert.Equal(t, "Invalid", ev.CardStatus, "the card's state is why: looked up again")
	assert.Equal(t, looked+1, cardLookups())
}

// TestCardCacheRefreshesAhead: a card used in the last quarter of its TTL
// is looked up again in the background, so the events never wait for it;
// past its TTL with no refresh, it is looked up on the spot.
func TestCardCacheRefreshesAhead(t *testing.T) {
	h := start(t)
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	h.d.SetCardClock(func() time.Time { return now })
	ttl := h.d.Config().CardCacheTTL
	require.Equal(t, time.Minute, ttl)
	cardLookups := func() int { return h.s.count("/Cards") }
	grant := func() {
		t.Helper()
		_, err := h.s.w.PresentCard(rdFrontIn, cardAlice, "")
		require.NoError(t, err)
		h.poll()
		evs := h.accesses()
		require.Len(t, evs, 2)
		require.True(t, evs[0].AccessGranted)
		require.Equal(t, "Valid", evs[0].CardStatus)
	}

	base := cardLookups()
	grant()
	require.Equal(t, base+1, cardLookups(), "a card never seen is looked up on the spot")

	now = now.Add(ttl / 2)
	grant()
	assert.Equal(t, base+1, cardLookups(), "half way through its TTL the cached card serves")
	assert.Zero(t, h.d.RefreshQueuedCards(ctx(t)), "nor is it refreshed yet")

	now = now.Add(ttl / 3) // 5/6 of the TTL
	grant()
	assert.Equal(t, base+1, cardLookups(), "the event did not wait for a look-up")
	assert.Equal(t, 1, h.d.RefreshQueuedCards(ctx(t)), "the card was queued for refresh once")
	assert.Equal(t, base+2, cardLookups())

	now = now.Add(ttl / 2) // past the first look-up's TTL, within the refresh's
	grant()
	assert.Equal(t, base+2, cardLookups(), "the refreshed card serves")

	now = now.Add(2 * ttl) // past every TTL, and no refresh ran
	grant()
	assert.Equal(t, base+3, cardLookups(), "an expired card is looked up on the spot")
}

// TestCardCacheWarm: after the first synchronisation the cache is warmed
// from the whole card list, page by page (4096 users a page), so the
// events that follow find their cards without a look-up each.
func TestCardCacheWarm(t *testing.T) {
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 4, Users: 5000, Seed: 3})
	require.NoError(t, err)
	s := newSite(t, sf)
	op := sf.EntraPass.Operators[0]
	h := newHarness(t, s, op.Name, op.Password)
	h.poll()
	h.drain()
	assert.True(t, h.d.CardWarmPending(), "the first synchronisation asks for a warm-up")

	var cards []string
	for _, u := range sf.Users {
		for _, c := range u.Cards {
			cards = append(cards, c.Number)
		}
	}
	require.Greater(t, len(cards), 4096, "more than one page")
	before := h.s.count("/Cards")
	assert.Equal(t, len(cards), h.d.WarmCards(ctx(t)))
	assert.Equal(t, before+2, h.s.count("/Cards"), "two pages")

	// Cards presented round the readers: granted, or refused for a reason
	// that is not the card's state, no look-up; a denial the card's state
	// may explain (expired, lost…) looks again, as it should.
	before = h.s.count("/Cards")
	snap := s.w.Snapshot()
	for i, c := range cards[:200] {
		r := snap.Readers[i%len(snap.Readers)]
		s.clk.Advance(time.Second)
		_, err := s.w.PresentCard(r.ID, c, "")
		require.NoError(t, err)
	}
	h.poll()
	evs := h.accesses()
	require.Len(t, evs, 400)
	looked := h.s.count("/Cards") - before
	fresh := 0
	for _, e := range evs {
		if e.Ref.Type == asset.Door && !e.AccessGranted && !strings.Contains(e.Description, "no access level") && !strings.Contains(e.Description, "outside schedule") {
			fresh++
		}
	}
	assert.Equal(t, fresh, looked, "only denials the card's state may explain look again")
	for _, e := range evs {
		assert.NotEmpty(t, e.CardStatus)
		assert.NotEqual(t, "Unknown", e.CardStatus, "%s", e.CardID)
	}
}

// TestInvalidConfigDriver: EP-CONF-INVALID and EP-SYS-S-NOCOMM — an
// invalid configuration is refused naming the field, and the driver New
// returns with the error never connects: its System asset shows No
// Communication, and starting, polling or commanding it gives the error.
func TestInvalidConfigDriver(t *testing.T) {
	s := newSite(t, nil)
	cfg := s.config("pacsim", "pacsim")
	cfg.Port = 70000
	logs := &logBuffer{}
	d, err := entrapass.New(cfg, entrapass.WithLogger(logs.logger()))
	var ce *entrapass.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "Port", ce.Field)
	require.NotNil(t, d)

	sys, err := d.Registry().Get(asset.SystemRef)
	require.NoError(t, err)
	assert.Equal(t, asset.NoCommunication, sys.Status)
	assert.ErrorIs(t, d.Start(ctx(t)), entrapass.ErrInvalidConfig)
	assert.ErrorIs(t, d.PollOnce(ctx(t)), entrapass.ErrInvalidConfig)
	assert.ErrorIs(t, d.Err(), entrapass.ErrInvalidConfig)
	assert.ErrorIs(t, d.Do(ctx(t), asset.Ref{Type: asset.Door, ID: doorFront}, asset.Command{Name: asset.Lock}), entrapass.ErrInvalidConfig)
	assert.Nil(t, d.Client())
	assert.Equal(t, entrapass.Stats{}, d.Stats())
	d.Stop()
	assert.Empty(t, s.paths(), "nothing was sent")
	assert.Contains(t, logs.String(), "configuration is invalid")
	assert.Len(t, d.Registry().List(), 1, "the System asset only")
}
