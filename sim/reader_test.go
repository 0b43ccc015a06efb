package sim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// Every reason a head-end may give reaches the journal as its own event
// type, with the reason, and leaves the door locked.
func TestReaderDecisionsFromTheHeadEnd(t *testing.T) {
	type tc struct {
		name    string
		dec     sim.Decision
		granted bool
		reason  sim.Reason
		ev      sim.EventType
		lock    sim.LockState
	}
	cases := []tc{
		{"granted", sim.Decision{Granted: true, User: "Alice Martin", UserID: 200}, true, sim.ReasonNone, sim.EventAccessGranted, sim.LockUnlockedAccess},
		{"granted with a stray reason is a plain grant", sim.Decision{Granted: true, Reason: sim.ReasonPINWrong, User: "Alice Martin", UserID: 200}, true, sim.ReasonNone, sim.EventAccessGranted, sim.LockUnlockedAccess},
		{"denied without a reason is an unknown card", sim.Decision{}, false, sim.ReasonUnknownCard, 204, sim.LockLocked},
	}
	for _, r := range sim.Reasons() {
		cases = append(cases, tc{"denied " + r.String(), sim.Decision{Reason: r, User: "Bruno Bernard", UserID: 201}, false, r, sim.EventAccessDenied + sim.EventType(r) - 1, sim.LockLocked})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []sim.AccessRequest
			dec := sim.DeciderFunc(func(r sim.AccessRequest) sim.Decision { got = append(got, r); return c.dec })
			x := twNew(t, sim.WithDecider(dec))
			p, err := x.w.PresentCard(rdOffice, "100:01002", "12345")
			require.NoError(t, err)
			assert.Equal(t, c.granted, p.Granted)
			assert.Equal(t, c.reason, p.Reason)
			assert.Equal(t, c.dec.User, p.User)
			assert.Equal(t, c.dec.UserID, p.UserID)
			require.Len(t, got, 1)
			assert.Equal(t, sim.AccessRequest{Time: x.w.Now(), Card: "100:1002", PIN: "12345", Reader: rdOffice,
				Door: doorOffice, Site: siteOffice, Keypad: true}, got[0])

			ev := x.events()
			require.Len(t, ev, 1)
			e := ev[0]
			assert.Equal(t, p.Seq, e.Seq)
			assert.Equal(t, c.ev, e.Type)
			assert.Equal(t, c.granted, e.Granted())
			assert.True(t, e.Type.IsAccess())
			if r, ok := e.Type.Denial(); ok {
				assert.Equal(t, c.reason, r)
				assert.Equal(t, "Access denied - "+c.reason.Text(), e.Text())
			}
			assert.Equal(t, c.reason, e.Reason)
			assert.Equal(t, rdOffice, e.Source)
			assert.Equal(t, sim.KindReader, e.Kind)
			assert.Equal(t, doorOffice, e.Door)
			assert.Equal(t, ctrlOffice, e.Controller)
			assert.Equal(t, "100:1002", e.Card)
			assert.Equal(t, c.dec.User, e.User)
			assert.Equal(t, c.dec.UserID, e.UserID)
			assert.Equal(t, c.lock, x.door(doorOffice).Lock)
		})
	}
}

// The reasons the world produces itself, whatever the head-end says.
func TestReaderDenialsFromTheWorld(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(x *tw) error
		dec    sim.Decider
		reader sim.ID
		reason sim.Reason
		err    error
	}{
		{"no head-end: unknown card", nil, nil, rdFrontIn, sim.ReasonUnknownCard, nil},
		{"reader disabled", func(x *tw) error { return x.w.DisableReader(rdFrontIn) }, grantAll, rdFrontIn, sim.ReasonReaderDisabled, nil},
		{"the door's other reader still grants", func(x *tw) error { return x.w.DisableReader(rdFrontIn) }, grantAll, rdFrontOut, sim.ReasonNone, nil},
		{"reader enabled again", func(x *tw) error {
			if err := x.w.DisableReader(rdFrontIn); err != nil {
				return err
			}
			return x.w.EnableReader(rdFrontIn)
		}, grantAll, rdFrontIn, sim.ReasonNone, nil},
		{"controller offline via SetControllerFault", func(x *tw) error { return x.w.SetControllerFault(ctrlOffice, true) }, grantAll, rdFrontIn, sim.ReasonControllerOffline, nil},
		{"controller fault beats reader disabled", func(x *tw) error {
			if err := x.w.DisableReader(rdFrontIn); err != nil {
				return err
			}
			return x.w.SetControllerFault(ctrlOffice, true)
		}, grantAll, rdFrontIn, sim.ReasonControllerOffline, nil},
		{"another controller's fault changes nothing", func(x *tw) error { return x.w.SetControllerFault(ctrlShop, true) }, grantAll, rdFrontIn, sim.ReasonNone, nil},
		{"controller fault restored", func(x *tw) error {
			if err := x.w.SetControllerFault(ctrlOffice, true); err != nil {
				return err
			}
			return x.w.SetControllerFault(ctrlOffice, false)
		}, grantAll, rdFrontIn, sim.ReasonNone, nil},
		{"reader in fault reads nothing", func(x *tw) error { return x.w.SetReaderFault(rdFrontIn, true) }, grantAll, rdFrontIn, 0, sim.ErrFault},
		{"reader fault restored", func(x *tw) error {
			if err := x.w.SetReaderFault(rdFrontIn, true); err != nil {
				return err
			}
			return x.w.SetReaderFault(rdFrontIn, false)
		}, grantAll, rdFrontIn, sim.ReasonNone, nil},
		{"unknown reader", nil, grantAll, 999, 0, sim.ErrUnknownID},
		{"a door is not a reader", nil, grantAll, doorFront, 0, sim.ErrUnknownID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var opts []sim.Option
			if c.dec != nil {
				opts = append(opts, sim.WithDecider(c.dec))
			}
			x := twNew(t, opts...)
			if c.setup != nil {
				require.NoError(t, c.setup(x))
			}
			x.events()
			p, err := x.w.PresentCard(c.reader, "100:1001", "")
			if c.err != nil {
				requireErr(t, c.err, err, "present")
				assert.Empty(t, x.events(), "no event for a card not read")
				assert.Equal(t, sim.LockLocked, x.door(doorFront).Lock)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, c.reason, p.Reason)
			assert.Equal(t, c.reason == sim.ReasonNone, p.Granted)
			ev := x.events()
			require.Len(t, ev, 1)
			assert.Equal(t, sim.DeniedEvent(c.reason), ev[0].Type)
			assert.Equal(t, c.reason, ev[0].Reason)
			want := sim.LockLocked
			if p.Granted {
				want = sim.LockUnlockedAccess
			}
			assert.Equal(t, want, x.door(doorFront).Lock)
		})
	}
}

func TestReaderStateEvents(t *testing.T) {
	x := twNew(t)
	assert.True(t, x.reader(rdFrontIn).Enabled)
	steps := []struct {
		name    string
		do      func() error
		err     error
		enabled bool
		fault   bool
		ev      []sim.EventType
	}{
		{"disable", func() error { return x.w.DisableReader(rdFrontIn) }, nil, false, false, []sim.EventType{sim.EventReaderDisabled}},
		{"enable", func() error { return x.w.EnableReader(rdFrontIn) }, nil, true, false, []sim.EventType{sim.EventReaderEnabled}},
		{"fault", func() error { return x.w.SetReaderFault(rdFrontIn, true) }, nil, true, true, []sim.EventType{sim.EventReaderFault}},
		{"fault again is no change", func() error { return x.w.SetReaderFault(rdFrontIn, true) }, nil, true, true, nil},
		{"fault restore", func() error { return x.w.SetReaderFault(rdFrontIn, false) }, nil, true, false, []sim.EventType{sim.EventReaderFaultRestore}},
		{"disable an unknown reader", func() error { return x.w.DisableReader(999) }, sim.ErrUnknownID, true, false, nil},
		{"disable an input", func() error { return x.w.DisableReader(inMotion) }, sim.ErrUnknownID, true, false, nil},
		{"controller cut", func() error { return x.w.CutController(ctrlOffice) }, nil, true, false, []sim.EventType{evCommFail}},
		{"disable while cut", func() error { return x.w.DisableReader(rdFrontIn) }, sim.ErrUnreachable, true, false, nil},
		{"restored", func() error { return x.w.RestoreController(ctrlOffice) }, nil, true, false, []sim.EventType{evCommBack}},
		{"controller fault", func() error { return x.w.SetControllerFault(ctrlOffice, true) }, nil, true, false, []sim.EventType{sim.EventControllerFault}},
		{"disable while in fault", func() error { return x.w.DisableReader(rdFrontIn) }, sim.ErrFault, true, false, nil},
	}
	for _, s := range steps {
		requireErr(t, s.err, s.do(), s.name)
		r := x.reader(rdFrontIn)
		assert.Equal(t, s.enabled, r.Enabled, s.name)
		assert.Equal(t, s.fault, r.Fault, s.name)
		assert.Equal(t, s.fault, x.door(doorFront).Trouble, s.name+": the door shows its reader's trouble")
		assert.Equal(t, s.ev, x.types(), s.name)
	}
}

func TestReaderBadCards(t *testing.T) {
	x := twNew(t, sim.WithDecider(grantAll))
	for _, card := range []string{
		"", "abc", "100:", ":1001", ":", "100:1001:1", "65536:1", "100:4294967296", "-1:5", "+1:5", "1:-5",
		" 100:1001", "100:1001 ", "100 :1001", "1e3:1", "0x10:1", "123456789012345678901", "12a", "١٢٣",
	} {
		t.Run(card, func(t *testing.T) {
			p, err := x.w.PresentCard(rdFrontIn, card, "")
			requireErr(t, sim.ErrBadCard, err, card)
			assert.Equal(t, sim.Presented{}, p)
			_, err = sim.ParseCard(card)
			requireErr(t, sim.ErrBadCard, err, card)
		})
	}
	assert.Empty(t, x.events(), "a card in no known format is not journaled")
	assert.Equal(t, sim.LockLocked, x.door(doorFront).Lock)
}

func TestParseCard(t *testing.T) {
	for in, want := range map[string]string{
		"100:1001":              "100:1001",
		"100:01001":             "100:1001",
		"0100:1001":             "100:1001",
		"0:0":                   "0:0",
		"00:00":                 "0:0",
		"65535:4294967295":      "65535:4294967295",
		"123":                   "123",
		"000123":                "123",
		"0000":                  "0",
		"12345678901234567890":  "12345678901234567890",
		"00000000000000000001":  "1",
		strings.Repeat("9", 20): strings.Repeat("9", 20),
	} {
		got, err := sim.ParseCard(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	allocs := testing.AllocsPerRun(100, func() { _, _ = sim.ParseCard("100:1001") })
	assert.Zero(t, allocs, "a card already normal costs no allocation")
}

func TestReaderWhileControllerCut(t *testing.T) {
	x := twNew(t, sim.WithDecider(grantAll))
	require.NoError(t, x.w.CutController(ctrlOffice))
	x.events()
	p, err := x.w.PresentCard(rdFrontIn, "100:1001", "")
	require.NoError(t, err)
	assert.True(t, p.Granted, "a cut controller decides on its own")
	assert.Zero(t, p.Seq, "its event is held")
	assert.Equal(t, sim.LockUnlockedAccess, x.door(doorFront).Lock)
	assert.Empty(t, x.events())
	x.clk.Advance(time.Second)
	require.NoError(t, x.w.RestoreController(ctrlOffice))
	ev := x.events()
	require.Len(t, ev, 2)
	assert.Equal(t, evCommBack, ev[0].Type)
	assert.Equal(t, sim.EventAccessGranted, ev[1].Type)
	assert.True(t, ev[1].Time.Before(ev[0].Time), "a held event keeps the time it happened")
}

func TestReaderSecondAndKeypad(t *testing.T) {
	x := twNew(t)
	assert.False(t, x.reader(rdFrontIn).Second)
	assert.True(t, x.reader(rdFrontOut).Second)
	assert.False(t, x.reader(rdFrontIn).Keypad)
	assert.True(t, x.reader(rdOffice).Keypad)
	assert.Equal(t, doorFront, x.reader(rdFrontOut).Door)
	assert.Equal(t, []sim.ID{rdFrontIn, rdFrontOut}, x.door(doorFront).Readers)
}

func TestSetDecider(t *testing.T) {
	x := twNew(t)
	p, err := x.w.PresentCard(rdFrontIn, "100:1001", "")
	require.NoError(t, err)
	assert.Equal(t, sim.ReasonUnknownCard, p.Reason)
	x.w.SetDecider(grantAll)
	p, err = x.w.PresentCard(rdFrontIn, "100:1001", "")
	require.NoError(t, err)
	assert.True(t, p.Granted)
	x.w.SetDecider(nil)
	p, err = x.w.PresentCard(rdFrontIn, "100:1001", "")
	require.NoError(t, err)
	assert.Equal(t, sim.ReasonUnknownCard, p.Reason, "nil restores the deny-all head-end")
}

func TestReasons(t *testing.T) {
	names := []string{"unknown-card", "card-invalid", "card-lost-stolen", "card-expired", "card-not-yet-valid",
		"no-access-level", "outside-schedule", "reader-disabled", "wrong-card-type", "pin-required", "pin-wrong",
		"controller-offline"}
	rs := sim.Reasons()
	require.Len(t, rs, len(names))
	for i, r := range rs {
		assert.Equal(t, names[i], r.String())
		back, err := sim.ParseReason(names[i])
		require.NoError(t, err)
		assert.Equal(t, r, back)
		assert.Equal(t, sim.EventType(204+i), sim.DeniedEvent(r))
		got, ok := sim.DeniedEvent(r).Denial()
		assert.True(t, ok)
		assert.Equal(t, r, got)
		b, err := r.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, names[i], string(b))
	}
	assert.Equal(t, sim.EventAccessGranted, sim.DeniedEvent(sim.ReasonNone))
	_, ok := sim.EventAccessGranted.Denial()
	assert.False(t, ok)
	_, ok = sim.EventType(216).Denial()
	assert.False(t, ok)
	_, ok = sim.EventType(203).Denial()
	assert.False(t, ok)
	_, err := sim.ParseReason("nope")
	assert.Error(t, err)
	assert.Equal(t, "Access denied - outside schedule", sim.DeniedEvent(sim.ReasonOutsideSchedule).String())
	assert.Equal(t, "Event 9999", sim.EventType(9999).String())
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = sim.DeniedEvent(sim.ReasonPINWrong).String() }))
}
