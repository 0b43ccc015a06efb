package entrapass

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

func (s *testSite) door(id sim.ID) sim.DoorState {
	s.t.Helper()
	d, err := s.w.Door(id)
	require.NoError(s.t, err)
	return d
}

func (s *testSite) reader(id sim.ID) sim.ReaderState {
	s.t.Helper()
	r, err := s.w.Reader(id)
	require.NoError(s.t, err)
	return r
}

func (s *testSite) input(id sim.ID) sim.InputState {
	s.t.Helper()
	in, err := s.w.Input(id)
	require.NoError(s.t, err)
	return in
}

func (s *testSite) output(id sim.ID) sim.OutputState {
	s.t.Helper()
	o, err := s.w.Output(id)
	require.NoError(s.t, err)
	return o
}

func TestDoorCommands(t *testing.T) {
	s := newSite(t)
	p := newPoller(t, s, "20")
	p.poll()
	cmd := func(q string) {
		t.Helper()
		require.Equal(t, wire.CommandResultOK, s.put(with(q, p.key), ""))
	}
	lock := func() (string, string) {
		t.Helper()
		r := p.poll()["20"]
		require.NotNil(t, r, "door 20 changed")
		return val(t, r, "LOCKSTATE"), val(t, r, "UNLOCKTEMPO")
	}

	cmd("unlockDoor?id=20")
	require.Equal(t, sim.LockUnlockedOperator, s.door(doorFront).Lock)
	l, tempo := lock()
	require.Equal(t, "UNLOCKOPERATOR", l)
	require.Equal(t, "0", tempo)

	cmd("LockDoor?id=20")
	require.Equal(t, sim.LockLocked, s.door(doorFront).Lock)
	l, _ = lock()
	require.Equal(t, "LOCK", l)

	cmd("TemporarilyUnlockDoor?id=20&delay=5")
	require.Equal(t, sim.LockUnlockedTemporary, s.door(doorFront).Lock)
	l, tempo = lock()
	require.Equal(t, "UNLOCKOPERATOR", l)
	require.Equal(t, "1", tempo)
	s.advance(5 * time.Second)
	l, tempo = lock()
	require.Equal(t, "LOCK", l)
	require.Equal(t, "0", tempo)

	cmd("unlockDoor?id=20")
	cmd("DoorBackToSchedule?id=20")
	require.Equal(t, sim.LockLocked, s.door(doorFront).Lock)

	cmd("OneTimeAccess?id=20")
	require.Equal(t, sim.LockOneTimeAccess, s.door(doorFront).Lock)
	s.advance(5 * time.Second)
	require.Equal(t, sim.LockLocked, s.door(doorFront).Lock)
	p.poll()

	// Arm and disarm are accepted and change nothing.
	cmd("ArmDoor?id=20&forceSend=0")
	cmd("DisarmDoor?id=20&forceSend=0")
	require.Empty(t, p.poll())

	// Readers are addressed through their door.
	cmd("DisableReader?id=20")
	require.False(t, s.reader(rdFrontIn).Enabled)
	require.True(t, s.reader(rdFrontOut).Enabled)
	require.Equal(t, sim.ReasonReaderDisabled, s.present(rdFrontIn, "100:1001", "").Reason)
	cmd("DisableReader2?id=20")
	require.False(t, s.reader(rdFrontOut).Enabled)
	r := p.poll()["20"]
	require.Equal(t, "1", val(t, r, "READERDISABLE"))
	require.Equal(t, "1", val(t, r, "READERDISABLE2"))
	cmd("EnableReader?id=20")
	cmd("EnableReader2?id=20")
	require.True(t, s.reader(rdFrontIn).Enabled)
	require.True(t, s.reader(rdFrontOut).Enabled)
}

func TestRelayAndInputCommands(t *testing.T) {
	s := newSite(t)
	p := newPoller(t, s, "70,50")
	p.poll()
	cmd := func(q string) {
		t.Helper()
		require.Equal(t, wire.CommandResultOK, s.put(with(q, p.key), ""))
	}
	cmd("ActivateRelay?id=70")
	require.True(t, s.output(outBuzzer).Active)
	r := p.poll()["70"]
	require.Equal(t, "1", val(t, r, "STATE"))
	require.Equal(t, "0", val(t, r, "ACTIVATETEMPO"))
	cmd("DeactivateRelay?id=70")
	require.False(t, s.output(outBuzzer).Active)
	cmd("TemporarilyActivateRelay?id=70&delay=10")
	r = p.poll()["70"]
	require.Equal(t, "1", val(t, r, "STATE"))
	require.Equal(t, "1", val(t, r, "ACTIVATETEMPO"))
	s.advance(10 * time.Second)
	r = p.poll()["70"]
	require.Equal(t, "0", val(t, r, "STATE"))
	require.Equal(t, "0", val(t, r, "ACTIVATETEMPO"))
	cmd("ActivateRelay?id=70")
	cmd("RelayBackToSchedule?id=70")
	require.False(t, s.output(outBuzzer).Active)

	cmd("InputNoSupervision?id=50")
	require.True(t, s.input(inFrontREX).Shunted)
	require.Equal(t, "1", val(t, p.poll()["50"], "SHUNTEDBY"))
	cmd("InputNormal?id=50")
	require.False(t, s.input(inFrontREX).Shunted)
	require.Equal(t, "0", val(t, p.poll()["50"], "SHUNTEDBY"))
	cmd("InputNoSupervisionTemporarily?id=50&delay=60")
	require.True(t, s.input(inFrontREX).Shunted)
	s.advance(time.Minute)
	require.False(t, s.input(inFrontREX).Shunted)
}

func TestCommandFaultsChangeNothing(t *testing.T) {
	s := newSite(t)
	key := s.login()
	before := s.w.Snapshot()
	for _, tc := range []struct {
		q, code string
		words   []string
	}{
		{"unlockDoor", wire.CodeInvalidParameter, []string{"id", "required"}},
		{"unlockDoor?id=", wire.CodeInvalidParameter, []string{"id"}},
		{"unlockDoor?id=front", wire.CodeInvalidParameter, []string{"id", "front"}},
		{"unlockDoor?id=0", wire.CodeInvalidParameter, []string{"id", "out of range"}},
		{"unlockDoor?id=-20", wire.CodeInvalidParameter, []string{"id", "out of range"}},
		{"unlockDoor?id=99999999999", wire.CodeInvalidParameter, []string{"id", "out of range"}},
		{"unlockDoor?id=999", wire.CodeComponentNotExist, []string{"999"}},
		{"unlockDoor?id=70", wire.CodeComponentNotExist, []string{"70", "an output, not a door"}},
		{"DisableReader?id=30", wire.CodeComponentNotExist, []string{"30", "reader", "not a door"}},
		{"DisableReader2?id=21", wire.CodeComponentNotExist, []string{"21", "no reader 2"}},
		{"ActivateRelay?id=20", wire.CodeComponentNotExist, []string{"20", "not a relay"}},
		{"InputNormal?id=70", wire.CodeComponentNotExist, []string{"70", "not an input"}},
		{"TemporarilyUnlockDoor?id=20", wire.CodeInvalidParameter, []string{"delay", "required"}},
		{"TemporarilyUnlockDoor?id=20&delay=0", wire.CodeInvalidParameter, []string{"delay", "out of range"}},
		{"TemporarilyUnlockDoor?id=20&delay=64801", wire.CodeInvalidParameter, []string{"delay", "out of range"}},
		{"TemporarilyUnlockDoor?id=20&delay=5s", wire.CodeInvalidParameter, []string{"delay"}},
		{"TemporarilyActivateRelay?id=70", wire.CodeInvalidParameter, []string{"delay"}},
		{"InputNoSupervisionTemporarily?id=50&delay=-1", wire.CodeInvalidParameter, []string{"delay"}},
		{"TemporarilyUnlockDoor?id=999&delay=5", wire.CodeComponentNotExist, []string{"999"}},
	} {
		t.Run(tc.q, func(t *testing.T) {
			code, body := s.do(http.MethodPut, with(tc.q, key), "")
			require.Equal(t, http.StatusOK, code)
			requireFault(t, body, tc.code, tc.words...)
		})
	}
	after := s.w.Snapshot()
	require.Equal(t, before.Version, after.Version, "nothing changed")
	// The longest delay is accepted.
	require.Equal(t, wire.CommandResultOK, s.put(with("TemporarilyUnlockDoor?id=20&delay=64800", key), ""))
}

func TestCommandsOnUnreachableOrFaultyHardware(t *testing.T) {
	s := newSite(t)
	key := s.login()
	require.NoError(t, s.w.CutController(ctrlOffice))
	for _, q := range []string{"unlockDoor?id=20", "DisableReader?id=20", "ActivateRelay?id=70", "InputNoSupervision?id=50", "ArmDoor?id=20&forceSend=0"} {
		requireFault(t, s.put(with(q, key), ""), CodeComponentNotReachable, "cannot be reached")
	}
	require.Equal(t, sim.LockLocked, s.door(doorFront).Lock)
	require.NoError(t, s.w.RestoreController(ctrlOffice))
	require.NoError(t, s.w.DisconnectGateway(gwMain))
	requireFault(t, s.put(with("LockDoor?id=24", key), ""), CodeComponentNotReachable)
	require.NoError(t, s.w.ConnectGateway(gwMain))

	require.NoError(t, s.w.SetControllerFault(ctrlShop, true))
	requireFault(t, s.put(with("unlockDoor?id=24", key), ""), CodeComponentInFault, "in fault")
	requireFault(t, s.put(with("DisarmDoor?id=24&forceSend=0", key), ""), CodeComponentInFault)
	require.NoError(t, s.w.SetOutputFault(outSiren, true))
	requireFault(t, s.put(with("TemporarilyActivateRelay?id=71&delay=3", key), ""), CodeComponentInFault)
	require.False(t, s.output(outSiren).Active)
}
