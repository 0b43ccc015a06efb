package asset_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

// step moves an asset of the test site: true statuses from the wire, or an
// operator command.
type step struct {
	hw  []asset.Status // set as the true statuses, when cmd is ""
	cmd asset.CommandName
}

func hw(ss ...asset.Status) step   { return step{hw: ss} }
func cmd(c asset.CommandName) step { return step{cmd: c} }
func (s step) String() string      { return fmt.Sprint(s.cmd, s.hw) }
func (s step) apply(t *testing.T, r *asset.Registry, ref asset.Ref) {
	t.Helper()
	if s.cmd != "" {
		require.NoError(t, r.Execute(context.Background(), ref, asset.Command{Name: s.cmd}))
		return
	}
	setHW(t, r, ref, s.hw...)
}

// TestStatesReachedAndLeft: for each asset type, each status of the
// document reached (and shown, and announced by a Status Changed event),
// then left. The requirement of the catalogue each case proves is named.
func TestStatesReachedAndLeft(t *testing.T) {
	cases := []struct {
		req   string
		ref   asset.Ref
		want  asset.Status
		from  step // where the asset starts (not showing want)
		reach step
		leave step
		after asset.Status // what it shows once left
	}{
		{"EP-SYS-S-NORMAL", sys, asset.Normal, hw(asset.Fault), hw(), hw(asset.Fault), asset.Fault},
		{"EP-SYS-S-MASKED", sys, asset.Masked, hw(), cmd(asset.Mask), cmd(asset.Reset), asset.Normal},
		{"EP-SYS-S-FAULT", sys, asset.Fault, hw(), hw(asset.Fault), hw(), asset.Normal},
		{"EP-SYS-S-ACK", sys, asset.Acknowledged, hw(asset.Fault), cmd(asset.Acknowledge), hw(), asset.Normal},
		{"EP-SYS-S-ACK reset", sys, asset.Acknowledged, hw(asset.Fault), cmd(asset.Acknowledge), cmd(asset.Reset), asset.Fault},
		{"EP-SYS-S-NOCOMM", sys, asset.NoCommunication, hw(), hw(asset.NoCommunication), hw(), asset.Normal},

		{"EP-DOOR-S-NOCOMM", door, asset.NoCommunication, hw(asset.Secure), hw(asset.NoCommunication), hw(asset.Secure), asset.Secure},
		{"EP-DOOR-S-ACK", door, asset.Acknowledged, hw(asset.HeldOpen, asset.Unsecure), cmd(asset.Acknowledge), hw(asset.Secure), asset.Secure},
		{"EP-DOOR-S-ACK reset", door, asset.Acknowledged, hw(asset.HeldOpen, asset.Unsecure), cmd(asset.Acknowledge), cmd(asset.Reset), asset.HeldOpen},
		{"EP-DOOR-S-FAULT", door, asset.Fault, hw(asset.Secure), hw(asset.Fault, asset.Secure), hw(asset.Secure), asset.Secure},
		{"EP-DOOR-S-FORCED-OPEN", door, asset.ForcedOpen, hw(asset.Secure), hw(asset.ForcedOpen, asset.Unsecure), hw(asset.Secure), asset.Secure},
		{"EP-DOOR-S-MASKED", door, asset.Masked, hw(asset.HeldOpen, asset.Unsecure), cmd(asset.Mask), cmd(asset.Reset), asset.HeldOpen},
		{"EP-DOOR-S-SECURE", door, asset.Secure, hw(asset.Unsecure), hw(asset.Secure), hw(asset.Unsecure), asset.Unsecure},
		{"EP-DOOR-S-UNSECURE", door, asset.Unsecure, hw(asset.Secure), hw(asset.Unsecure), hw(asset.Secure), asset.Secure},
		{"EP-DOOR-S-HELD-OPEN", door, asset.HeldOpen, hw(asset.Unsecure), hw(asset.HeldOpen, asset.Unsecure), hw(asset.Unsecure), asset.Unsecure},

		{"EP-RDR-S-NORMAL", rdr, asset.Normal, hw(asset.Disabled), hw(), hw(asset.Disabled), asset.Disabled},
		{"EP-RDR-S-FAULT", rdr, asset.Fault, hw(asset.Enabled), hw(asset.Fault, asset.Enabled), hw(asset.Enabled), asset.Enabled},
		{"EP-RDR-S-MASKED", rdr, asset.Masked, hw(asset.Disabled), cmd(asset.Mask), cmd(asset.Reset), asset.Disabled},
		{"EP-RDR-S-ACK", rdr, asset.Acknowledged, hw(asset.Fault, asset.Enabled), cmd(asset.Acknowledge), hw(asset.Enabled), asset.Enabled},
		{"EP-RDR-S-NOCOMM", rdr, asset.NoCommunication, hw(asset.Enabled), hw(asset.NoCommunication), hw(asset.Enabled), asset.Enabled},
		{"EP-RDR-S-ENABLED", rdr, asset.Enabled, hw(asset.Disabled), hw(asset.Enabled), hw(asset.Disabled), asset.Disabled},
		{"EP-RDR-S-DISABLED", rdr, asset.Disabled, hw(asset.Enabled), hw(asset.Disabled), hw(asset.Enabled), asset.Enabled},

		{"EP-OUT-S-NORMAL", out, asset.Normal, hw(asset.ControllerFault), hw(), hw(asset.ControllerFault), asset.ControllerFault},
		{"EP-OUT-S-FAULT", out, asset.Fault, hw(asset.Present), hw(asset.Fault, asset.Present), hw(asset.Present), asset.Present},
		{"EP-OUT-S-MASKED", out, asset.Masked, hw(asset.Present), cmd(asset.Mask), cmd(asset.Reset), asset.Present},
		{"EP-OUT-S-ACK", out, asset.Acknowledged, hw(asset.ControllerFault, asset.Present), cmd(asset.Acknowledge), hw(asset.Present), asset.Present},
		{"EP-OUT-S-NOCOMM", out, asset.NoCommunication, hw(asset.Present), hw(asset.NoCommunication), hw(asset.Present), asset.Present},
		{"EP-OUT-S-PRESENT", out, asset.Present, hw(), hw(asset.Present), hw(), asset.Normal},
		{"EP-OUT-S-CONTROLLER-FAULT", out, asset.ControllerFault, hw(asset.Present), hw(asset.ControllerFault, asset.Present), hw(asset.Present), asset.Present},

		{"EP-IN-S-ACK", in, asset.Acknowledged, hw(asset.Tamper, asset.Inactive), cmd(asset.Acknowledge), hw(asset.Inactive), asset.Inactive},
		{"EP-IN-S-NOCOMM", in, asset.NoCommunication, hw(asset.Inactive), hw(asset.NoCommunication), hw(asset.Inactive), asset.Inactive},
		{"EP-IN-S-FAULT", in, asset.Fault, hw(asset.Inactive), hw(asset.Fault, asset.Inactive), hw(asset.Inactive), asset.Inactive},
		{"EP-IN-S-MASKED", in, asset.Masked, hw(asset.Active), cmd(asset.Mask), cmd(asset.Reset), asset.Active},
		{"EP-IN-S-ACTIVE", in, asset.Active, hw(asset.Inactive), hw(asset.Active), hw(asset.Inactive), asset.Inactive},
		{"EP-IN-S-INACTIVE", in, asset.Inactive, hw(asset.Active), hw(asset.Inactive), hw(asset.Active), asset.Active},
		{"EP-IN-S-TAMPER", in, asset.Tamper, hw(asset.Inactive), hw(asset.Tamper, asset.Inactive), hw(asset.Inactive), asset.Inactive},
	}
	covered := map[asset.Ref][]asset.Status{}
	for _, c := range cases {
		t.Run(c.req+" "+string(c.want), func(t *testing.T) {
			r, _ := site(t)
			c.from.apply(t, r, c.ref)
			st, _ := shows(t, r, c.ref)
			require.NotEqual(t, c.want, st, "from %v", c.from)
			sub := r.Bus().Subscribe(16)
			defer sub.Close()

			c.reach.apply(t, r, c.ref)
			st, sts := shows(t, r, c.ref)
			assert.Equal(t, c.want, st, "reached by %v", c.reach)
			assert.Contains(t, sts, c.want)
			ev := drain(sub)
			require.Len(t, ev, 1, "one Status Changed")
			sc := ev[0].(*asset.StatusChanged)
			assert.Equal(t, c.ref, sc.Ref)
			assert.Equal(t, c.want, sc.To)
			assert.Equal(t, sts, sc.Statuses)

			c.leave.apply(t, r, c.ref)
			st, sts = shows(t, r, c.ref)
			assert.Equal(t, c.after, st, "left by %v", c.leave)
			assert.NotContains(t, sts, c.want)
			ev = drain(sub)
			require.Len(t, ev, 1)
			assert.Equal(t, c.want, ev[0].(*asset.StatusChanged).From)
		})
		covered[c.ref] = append(covered[c.ref], c.want)
	}
	for _, typ := range asset.Types() {
		for _, s := range typ.Statuses() {
			assert.Contains(t, covered[refOf(typ)], s, "a case reaches %s on a %s", s, typ)
		}
	}
}

// hold makes a standalone asset of a type in which the given statuses all
// hold, or reports that they cannot hold together. Acknowledged comes with
// an alarm (Fault, if none is asked for), Masked with Mask.
func hold(t *testing.T, typ asset.Type, want ...asset.Status) (*asset.Asset, bool) {
	var truth []asset.Status
	var masked, acked, normal bool
	for _, s := range want {
		switch s {
		case asset.Masked:
			masked = true
		case asset.Acknowledged:
			acked = true
		case asset.Normal:
			normal = true
		default:
			truth = append(truth, s)
		}
	}
	if acked && !slices.ContainsFunc(truth, asset.Status.IsAlarm) {
		truth = append(truth, asset.Fault)
	}
	if normal {
		if masked || acked {
			return nil, false // Mask hides Normal; Acknowledged needs an alarm
		}
		for _, s := range truth {
			if !slices.Contains([]asset.Status{asset.Enabled, asset.Secure, asset.Inactive, asset.Present}, s) {
				return nil, false // Normal only beside at-rest statuses
			}
		}
	}
	a := newAsset(t, refOf(typ))
	if err := a.SetHardware(truth...); err != nil {
		require.ErrorContains(t, err, "cannot hold together")
		return nil, false
	}
	if acked {
		require.NoError(t, a.Acknowledge())
	}
	if masked {
		a.Mask()
	}
	return a, true
}

// TestPrecedence: for every asset type, every pair of its statuses that can
// hold together shows the higher in SPEC §6's default table; both are
// visible in table order unless Mask hides the lower.
func TestPrecedence(t *testing.T) {
	tab := asset.DefaultTable()
	pairs := 0
	for _, typ := range asset.Types() {
		ss := typ.Statuses()
		for i, a := range ss {
			for _, b := range ss[i+1:] {
				x, ok := hold(t, typ, a, b)
				if !ok {
					continue
				}
				pairs++
				high, low := tab.Higher(a, b), a
				if high == a {
					low = b
				}
				assert.Equal(t, high, x.Status(), "%s holding %s and %s", typ, a, b)
				sts := x.Statuses()
				if low != asset.NoCommunication && high == asset.Masked {
					assert.Equal(t, []asset.Status{asset.Masked}, sts, "%s: Mask hides %s", typ, low)
					continue
				}
				hi, lo := slices.Index(sts, high), slices.Index(sts, low)
				assert.True(t, hi >= 0 && lo > hi, "%s: %v shows %s before %s", typ, sts, high, low)
			}
		}
	}
	t.Logf("%d pairs", pairs)
	assert.Greater(t, pairs, 70)

	// Pairs that cannot hold together: opposites, and Normal beside anything
	// but an at-rest status.
	for _, p := range [][2]asset.Status{
		{asset.Secure, asset.Unsecure}, {asset.Enabled, asset.Disabled}, {asset.Active, asset.Inactive},
	} {
		for _, typ := range asset.Types() {
			if typ.Supports(p[0]) {
				_, ok := hold(t, typ, p[0], p[1])
				assert.False(t, ok, "%s: %s and %s", typ, p[0], p[1])
			}
		}
	}
	for _, s := range []asset.Status{asset.Fault, asset.NoCommunication, asset.Disabled, asset.ControllerFault} {
		for _, typ := range []asset.Type{asset.System, asset.Reader, asset.Output} {
			if typ.Supports(s) {
				x, ok := hold(t, typ, s)
				require.True(t, ok)
				assert.NotContains(t, x.Statuses(), asset.Normal, "%s holding %s", typ, s)
			}
		}
	}
}

// TestNormal: Normal shows only when nothing else holds, and a disabled
// reader never shows Normal, even in a table that ranks Normal first.
func TestNormal(t *testing.T) {
	s := newAsset(t, sys)
	assert.Equal(t, asset.NoCommunication, s.Status(), "not yet read")
	require.NoError(t, s.SetHardware())
	assert.Equal(t, []asset.Status{asset.Normal}, s.Statuses())

	r := newAsset(t, rdr)
	require.NoError(t, r.SetHardware(asset.Enabled))
	assert.Equal(t, asset.Enabled, r.Status())
	assert.Equal(t, []asset.Status{asset.Enabled, asset.Normal}, r.Statuses(), "Enabled, and Normal while online")
	require.NoError(t, r.SetHardware(asset.Disabled))
	assert.Equal(t, []asset.Status{asset.Disabled}, r.Statuses())

	normalFirst := append([]asset.Status{asset.Normal}, slices.DeleteFunc(asset.Statuses(), func(s asset.Status) bool { return s == asset.Normal })...)
	reg := asset.NewRegistry(nil, nil)
	require.NoError(t, reg.Add(rdr, "r", map[string]string{asset.PropDoorID: "1"}))
	tab, err := asset.NewTable(normalFirst...)
	require.NoError(t, err)
	require.NoError(t, reg.SetTable(asset.Reader, tab))
	setHW(t, reg, rdr, asset.Disabled)
	st, _ := shows(t, reg, rdr)
	assert.Equal(t, asset.Disabled, st, "a disabled reader never shows Normal")
	setHW(t, reg, rdr, asset.Enabled)
	st, _ = shows(t, reg, rdr)
	assert.Equal(t, asset.Normal, st, "Normal first: an enabled reader online shows it")

	o := newAsset(t, out)
	require.NoError(t, o.SetHardware(asset.Present))
	assert.Equal(t, []asset.Status{asset.Present, asset.Normal}, o.Statuses())

	// Door and Input have no Normal: with nothing known they show No Communication.
	for _, ref := range []asset.Ref{door, in} {
		a := newAsset(t, ref)
		require.NoError(t, a.SetHardware())
		assert.Equal(t, []asset.Status{asset.NoCommunication}, a.Statuses(), ref)
	}
}

// TestMaskAcknowledgeReset: the operator's overlays.
func TestMaskAcknowledgeReset(t *testing.T) {
	type op func(t *testing.T, a *asset.Asset) error
	set := func(ss ...asset.Status) op {
		return func(t *testing.T, a *asset.Asset) error { return a.SetHardware(ss...) }
	}
	mask := func(t *testing.T, a *asset.Asset) error { a.Mask(); return nil }
	ack := func(t *testing.T, a *asset.Asset) error { return a.Acknowledge() }
	reset := func(t *testing.T, a *asset.Asset) error { a.Reset(); return nil }

	type want struct {
		err      string // a refusal, "" when accepted
		status   asset.Status
		statuses []asset.Status
	}
	cases := []struct {
		name  string
		ref   asset.Ref
		steps []op
		wants []want
	}{
		{"Mask hides the true state until Reset", door,
			[]op{set(asset.HeldOpen, asset.Unsecure), mask, set(asset.ForcedOpen, asset.Unsecure), mask, reset},
			[]want{
				{"", asset.HeldOpen, []asset.Status{asset.HeldOpen, asset.Unsecure}},
				{"", asset.Masked, []asset.Status{asset.Masked}},
				{"", asset.Masked, []asset.Status{asset.Masked}},
				{"", asset.Masked, []asset.Status{asset.Masked}},
				{"", asset.ForcedOpen, []asset.Status{asset.ForcedOpen, asset.Unsecure}},
			}},
		{"No Communication outranks Masked", door,
			[]op{set(asset.Secure), mask, set(asset.NoCommunication), set(asset.Secure)},
			[]want{
				{"", asset.Secure, []asset.Status{asset.Secure}},
				{"", asset.Masked, []asset.Status{asset.Masked}},
				{"", asset.NoCommunication, []asset.Status{asset.NoCommunication, asset.Masked}},
				{"", asset.Masked, []asset.Status{asset.Masked}},
			}},
		{"Acknowledge without an alarm is refused", door,
			[]op{set(asset.Secure), ack, set(asset.Unsecure), ack},
			[]want{
				{"", asset.Secure, []asset.Status{asset.Secure}},
				{`door/20 shows "Secure": refused: Acknowledge applies only to an asset showing an alarm (Fault, Forced Open, Held Open, Tamper, Controller Fault)`, asset.Secure, []asset.Status{asset.Secure}},
				{"", asset.Unsecure, []asset.Status{asset.Unsecure}},
				{`shows "Unsecure"`, asset.Unsecure, []asset.Status{asset.Unsecure}},
			}},
		{"Acknowledge of a masked asset is refused", in,
			[]op{set(asset.Tamper, asset.Inactive), mask, ack, reset, ack},
			[]want{
				{"", asset.Tamper, []asset.Status{asset.Tamper, asset.Inactive}},
				{"", asset.Masked, []asset.Status{asset.Masked}},
				{`input/40 shows "Masked": refused: Acknowledge applies only`, asset.Masked, []asset.Status{asset.Masked}},
				{"", asset.Tamper, []asset.Status{asset.Tamper, asset.Inactive}},
				{"", asset.Acknowledged, []asset.Status{asset.Acknowledged, asset.Tamper, asset.Inactive}},
			}},
		{"Acknowledge twice is refused", rdr,
			[]op{set(asset.Fault, asset.Enabled), ack, ack},
			[]want{
				{"", asset.Fault, []asset.Status{asset.Fault, asset.Enabled}},
				{"", asset.Acknowledged, []asset.Status{asset.Acknowledged, asset.Fault, asset.Enabled}},
				{"reader/30: refused: its alarm (Fault) is already acknowledged", asset.Acknowledged, []asset.Status{asset.Acknowledged, asset.Fault, asset.Enabled}},
			}},
		{"Acknowledge of No Communication is refused", out,
			[]op{set(asset.NoCommunication), ack},
			[]want{
				{"", asset.NoCommunication, []asset.Status{asset.NoCommunication}},
				{`output/60 shows "No Communication": refused`, asset.NoCommunication, []asset.Status{asset.NoCommunication}},
			}},
		{"Acknowledged lasts until the alarm clears", door,
			[]op{set(asset.HeldOpen, asset.Unsecure), ack, set(asset.HeldOpen, asset.Unsecure, asset.Fault), ack, set(asset.HeldOpen, asset.Unsecure), set(asset.Unsecure), set(asset.HeldOpen, asset.Unsecure)},
			[]want{
				{"", asset.HeldOpen, []asset.Status{asset.HeldOpen, asset.Unsecure}},
				{"", asset.Acknowledged, []asset.Status{asset.Acknowledged, asset.HeldOpen, asset.Unsecure}},
				// a new alarm is not hidden by the old acknowledgment
				{"", asset.Fault, []asset.Status{asset.Fault, asset.HeldOpen, asset.Unsecure}},
				{"", asset.Acknowledged, []asset.Status{asset.Acknowledged, asset.Fault, asset.HeldOpen, asset.Unsecure}},
				// one acknowledged alarm clears, the other still holds
				{"", asset.Acknowledged, []asset.Status{asset.Acknowledged, asset.HeldOpen, asset.Unsecure}},
				// the alarm clears: the acknowledgment with it
				{"", asset.Unsecure, []asset.Status{asset.Unsecure}},
				// the alarm again: it must be acknowledged again
				{"", asset.HeldOpen, []asset.Status{asset.HeldOpen, asset.Unsecure}},
			}},
		{"a new alarm cleared falls back to the acknowledged one", sys,
			[]op{set(asset.Fault), ack, set(), set(asset.Fault)},
			[]want{
				{"", asset.Fault, []asset.Status{asset.Fault}},
				{"", asset.Acknowledged, []asset.Status{asset.Acknowledged, asset.Fault}},
				{"", asset.Normal, []asset.Status{asset.Normal}},
				{"", asset.Fault, []asset.Status{asset.Fault}},
			}},
		{"Acknowledge an alarm behind No Communication", out,
			[]op{set(asset.NoCommunication, asset.ControllerFault), ack, set(asset.ControllerFault)},
			[]want{
				{"", asset.NoCommunication, []asset.Status{asset.NoCommunication, asset.ControllerFault}},
				{"", asset.NoCommunication, []asset.Status{asset.NoCommunication, asset.Acknowledged, asset.ControllerFault}},
				{"", asset.Acknowledged, []asset.Status{asset.Acknowledged, asset.ControllerFault}},
			}},
		{"Reset returns to the true state", in,
			[]op{set(asset.Tamper, asset.Active), ack, mask, set(asset.Active), reset, reset},
			[]want{
				{"", asset.Tamper, []asset.Status{asset.Tamper, asset.Active}},
				{"", asset.Acknowledged, []asset.Status{asset.Acknowledged, asset.Tamper, asset.Active}},
				{"", asset.Masked, []asset.Status{asset.Masked}},
				{"", asset.Masked, []asset.Status{asset.Masked}},
				{"", asset.Active, []asset.Status{asset.Active}},
				{"", asset.Active, []asset.Status{asset.Active}},
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Len(t, c.wants, len(c.steps))
			a := newAsset(t, c.ref)
			for i, st := range c.steps {
				w := c.wants[i]
				err := st(t, a)
				if w.err == "" {
					require.NoError(t, err, "step %d", i)
				} else {
					require.ErrorIs(t, err, asset.ErrRefused, "step %d", i)
					assert.Contains(t, err.Error(), w.err, "step %d", i)
				}
				assert.Equal(t, w.status, a.Status(), "step %d", i)
				assert.Equal(t, w.statuses, a.Statuses(), "step %d", i)
			}
		})
	}
}

// TestSetHardware: the true statuses the integration may set, and the
// refusals that leave the asset unchanged.
func TestSetHardware(t *testing.T) {
	cases := []struct {
		ref     asset.Ref
		set     []asset.Status
		wantErr string
	}{
		{door, []asset.Status{asset.Enabled}, `door/20: "Enabled" is not supported by a Door: it supports No Communication, Acknowledged, Fault, Forced Open, Masked, Secure, Unsecure, Held Open`},
		{door, []asset.Status{asset.Secure, asset.Unsecure}, `"Secure" and "Unsecure" cannot hold together`},
		{rdr, []asset.Status{asset.Disabled, asset.Enabled}, `"Disabled" and "Enabled" cannot hold together`},
		{in, []asset.Status{asset.Inactive, asset.Active}, "cannot hold together"},
		{sys, []asset.Status{asset.Normal}, `"Normal" is not supported as a true status: it is derived`},
		{door, []asset.Status{asset.Masked}, `only the operator's Mask sets it`},
		{door, []asset.Status{asset.Acknowledged}, `only the operator's Acknowledge sets it`},
		{door, []asset.Status{"Ajar"}, `unknown status "Ajar"`},
		{out, []asset.Status{asset.Present, asset.ControllerFault, asset.Fault, asset.NoCommunication}, ""},
		{door, []asset.Status{asset.ForcedOpen, asset.HeldOpen, asset.Unsecure, asset.Fault}, ""},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.ref, c.set), func(t *testing.T) {
			a := newAsset(t, c.ref)
			err := a.SetHardware(c.set...)
			if c.wantErr == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.wantErr)
			assert.Equal(t, []asset.Status{asset.NoCommunication}, a.Hardware(), "unchanged")
		})
	}

	// Set: one status at a time; an opposite is replaced.
	a := newAsset(t, door)
	require.NoError(t, a.Set(asset.NoCommunication, false))
	require.NoError(t, a.Set(asset.Secure, true))
	require.NoError(t, a.Set(asset.Unsecure, true))
	assert.Equal(t, []asset.Status{asset.Unsecure}, a.Hardware())
	require.NoError(t, a.Set(asset.HeldOpen, true))
	assert.True(t, a.Holds(asset.HeldOpen))
	require.NoError(t, a.Acknowledge())
	require.NoError(t, a.Set(asset.HeldOpen, false))
	assert.False(t, a.IsAcknowledged(), "the alarm cleared")
	assert.Error(t, a.Set(asset.Tamper, true))
}

// TestNewAsset: the required property of each type (EP-DOOR-ID, EP-RDR-ID,
// EP-OUT-ID, EP-IN-ID).
func TestNewAsset(t *testing.T) {
	cases := []struct {
		ref     asset.Ref
		props   map[string]string
		wantErr string
	}{
		{door, nil, `door/20: "Door ID" is required`},
		{door, map[string]string{"Door ID": ""}, `"Door ID" is required`},
		{door, map[string]string{"Door ID": "front"}, `"Door ID" must be a component id (a positive integer), not "front"`},
		{door, map[string]string{"Door ID": "0"}, `"Door ID" must be a component id`},
		{rdr, map[string]string{"Output ID": "1"}, `reader/30: "Door ID" is required`},
		{out, nil, `"Output ID" is required`},
		{in, nil, `"Input ID" is required`},
		{asset.Ref{Type: asset.System, ID: 2}, nil, "the System asset is system/1"},
		{asset.Ref{Type: asset.Door, ID: 0}, map[string]string{"Door ID": "1"}, "positive integer"},
		{asset.Ref{Type: "gate", ID: 1}, nil, `unknown asset type "gate"`},
		{door, map[string]string{"Door ID": "20", "Site": "Office"}, ""},
		{sys, nil, ""},
	}
	for _, c := range cases {
		a, err := asset.NewAsset(c.ref, "x", c.props)
		if c.wantErr == "" {
			require.NoError(t, err, c.ref)
			assert.Equal(t, asset.NoCommunication, a.Status(), "not yet read")
			continue
		}
		require.ErrorIs(t, err, asset.ErrInvalidAsset, c.ref)
		assert.Contains(t, err.Error(), c.wantErr)
	}

	a := newAsset(t, door)
	assert.ErrorContains(t, a.SetProperty(asset.PropDoorID, ""), "is required")
	require.NoError(t, a.SetProperty("Site", "Office"))
	v, ok := a.Property("Site")
	assert.True(t, ok)
	assert.Equal(t, "Office", v)
	require.NoError(t, a.SetProperty("Site", ""))
	_, ok = a.Property("Site")
	assert.False(t, ok)
	p := a.Properties()
	p["Door ID"] = "99"
	v, _ = a.Property("Door ID")
	assert.Equal(t, "7", v, "Properties is a copy")
	assert.True(t, strings.HasPrefix(a.Name(), "test"))
}
