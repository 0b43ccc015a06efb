package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

// doorStep is one step of a door table test: what is done, the error it
// gives, the door's lock and contact after it, and the events it journaled.
type doorStep struct {
	act
	err     error
	lock    sim.LockState
	contact sim.ContactState
	ev      []sim.EventType
}

func st(a act, l sim.LockState, c sim.ContactState, ev ...sim.EventType) doorStep {
	return doorStep{act: a, lock: l, contact: c, ev: ev}
}

func stErr(a act, err error, l sim.LockState, c sim.ContactState) doorStep {
	return doorStep{act: a, err: err, lock: l, contact: c}
}

// runDoor runs steps on door d of x and checks each.
func runDoor(t *testing.T, x *tw, d sim.ID, steps []doorStep) {
	t.Helper()
	for i, s := range steps {
		msg := fmt.Sprintf("step %d (%s)", i, s.name)
		requireErr(t, s.err, s.do(x), msg)
		ds := x.door(d)
		assert.Equal(t, s.lock, ds.Lock, "%s: lock", msg)
		assert.Equal(t, s.contact, ds.Contact, "%s: contact", msg)
		assert.Equal(t, s.ev, x.types(), "%s: events", msg)
		if t.Failed() {
			t.FailNow()
		}
	}
}

const (
	locked    = sim.LockLocked
	operator  = sim.LockUnlockedOperator
	temporary = sim.LockUnlockedTemporary
	access    = sim.LockUnlockedAccess
	scheduled = sim.LockUnlockedSchedule
	oneTimeL  = sim.LockOneTimeAccess

	closed   = sim.ContactClosed
	open     = sim.ContactOpen
	prealarm = sim.ContactPrealarm
	tooLong  = sim.ContactHeldOpen
	forced   = sim.ContactForced

	evForced    = sim.EventDoorForcedOpen
	evOpened    = sim.EventDoorOpened
	evTooLong   = sim.EventDoorOpenTooLong
	evPrealarm  = sim.EventDoorOpenPrealarm
	evClosed    = sim.EventDoorClosed
	evLocked    = sim.EventDoorLocked
	evUnlocked  = sim.EventDoorUnlocked
	evTempo     = sim.EventDoorUnlockedTempo
	evSchedule  = sim.EventDoorUnlockSchedule
	evOneTime   = sim.EventDoorOneTimeAccess
	evREX       = sim.EventRequestToExit
	evGranted   = sim.EventAccessGranted
	evUnknown   = sim.EventAccessDenied // unknown card
	evCommFail  = sim.EventControllerCommFailure
	evCommBack  = sim.EventControllerCommRestored
	evInAlarm   = sim.EventInputAlarm
	evInRestore = sim.EventInputRestore
)

// The Front Door of the default site: unlock time 5 s, open time 30 s,
// pre-alarm 10 s before, so pre-alarm at 20 s.
func TestDoorTransitions(t *testing.T) {
	d := doorFront
	card := present(rdFrontIn, "100:1001", "")
	cases := []struct {
		name  string
		steps []doorStep
	}{
		{"grant, open, close, relock", []doorStep{
			st(card, access, closed, evGranted),
			st(openDoor(d), access, open, evOpened),
			st(closeDoor(d), locked, closed, evClosed),
			st(advance(time.Hour), locked, closed),
		}},
		{"grant not used relocks after the unlock time, not before", []doorStep{
			st(card, access, closed, evGranted),
			st(advance(4*time.Second), access, closed),
			st(advance(time.Second), locked, closed),
			st(openDoor(d), locked, forced, evForced),
		}},
		{"grant used: the unlock time passing while open keeps it unlocked until close", []doorStep{
			st(card, access, closed, evGranted),
			st(openDoor(d), access, open, evOpened),
			st(advance(10*time.Second), access, open),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"a second grant restarts the unlock time", []doorStep{
			st(card, access, closed, evGranted),
			st(advance(4*time.Second), access, closed),
			st(card, access, closed, evGranted),
			st(advance(4*time.Second), access, closed),
			st(advance(time.Second), locked, closed),
		}},
		{"opened while locked is forced", []doorStep{
			st(openDoor(d), locked, forced, evForced),
			st(advance(time.Hour), locked, forced),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"a grant while forced relocks on close", []doorStep{
			st(openDoor(d), locked, forced, evForced),
			st(card, access, forced, evGranted),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"request to exit avoids forced", []doorStep{
			st(rex(d), access, closed, evREX),
			st(openDoor(d), access, open, evOpened),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"request to exit not used relocks", []doorStep{
			st(rex(d), access, closed, evREX),
			st(advance(5*time.Second), locked, closed),
		}},
		{"open, pre-alarm at open_time-prealarm, open too long at open_time", []doorStep{
			st(card, access, closed, evGranted),
			st(openDoor(d), access, open, evOpened),
			st(advance(19*time.Second), access, open),
			st(advance(time.Second), access, prealarm, evPrealarm),
			st(advance(9*time.Second), access, prealarm),
			st(advance(time.Second), access, tooLong, evTooLong),
			st(advance(time.Hour), access, tooLong),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"closing in pre-alarm stops supervision", []doorStep{
			st(rex(d), access, closed, evREX),
			st(openDoor(d), access, open, evOpened),
			st(advance(25*time.Second), access, prealarm, evPrealarm),
			st(closeDoor(d), locked, closed, evClosed),
			st(advance(time.Hour), locked, closed),
		}},
		{"closing and reopening restarts supervision", []doorStep{
			st(unlock(d), operator, closed, evUnlocked),
			st(lock(d), locked, closed, evLocked),
			st(rex(d), access, closed, evREX),
			st(openDoor(d), access, open, evOpened),
			st(advance(15*time.Second), access, open),
			st(closeDoor(d), locked, closed, evClosed),
			st(rex(d), access, closed, evREX),
			st(openDoor(d), access, open, evOpened),
			st(advance(15*time.Second), access, open),
			st(advance(5*time.Second), access, prealarm, evPrealarm),
		}},
		{"temporary unlock N s relocks after N s exactly", []doorStep{
			st(tempUnlock(d, 10*time.Second), temporary, closed, evTempo),
			st(advance(9*time.Second), temporary, closed),
			st(advance(time.Second), locked, closed, evLocked),
			st(advance(time.Hour), locked, closed),
		}},
		{"temporary unlock: the door may stand open, unsupervised", []doorStep{
			st(tempUnlock(d, 120*time.Second), temporary, closed, evTempo),
			st(openDoor(d), temporary, open, evOpened),
			st(advance(119*time.Second), temporary, open),
			st(closeDoor(d), temporary, closed, evClosed),
			st(advance(time.Second), locked, closed, evLocked),
		}},
		{"a temporary unlock that ends while the door stands open starts open-too-long supervision", []doorStep{
			st(tempUnlock(d, 10*time.Second), temporary, closed, evTempo),
			st(openDoor(d), temporary, open, evOpened),
			st(advance(10*time.Second), locked, open, evLocked),
			st(advance(19*time.Second), locked, open),
			st(advance(time.Second), locked, prealarm, evPrealarm),
			st(advance(10*time.Second), locked, tooLong, evTooLong),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"a temporary unlock given again restarts its time", []doorStep{
			st(tempUnlock(d, 10*time.Second), temporary, closed, evTempo),
			st(advance(5*time.Second), temporary, closed),
			st(tempUnlock(d, 10*time.Second), temporary, closed, evTempo),
			st(advance(9*time.Second), temporary, closed),
			st(advance(time.Second), locked, closed, evLocked),
		}},
		{"locking during a temporary unlock cancels its relock", []doorStep{
			st(tempUnlock(d, 10*time.Second), temporary, closed, evTempo),
			st(lock(d), locked, closed, evLocked),
			st(advance(time.Hour), locked, closed),
		}},
		{"unlocking during a temporary unlock holds it unlocked", []doorStep{
			st(tempUnlock(d, 10*time.Second), temporary, closed, evTempo),
			st(unlock(d), operator, closed, evUnlocked),
			st(advance(time.Hour), operator, closed),
		}},
		{"back to schedule during a temporary unlock", []doorStep{
			st(tempUnlock(d, 10*time.Second), temporary, closed, evTempo),
			st(back(d), locked, closed, evLocked),
			st(advance(time.Hour), locked, closed),
		}},
		{"a temporary unlock during a passage takes over and supervises on relock", []doorStep{
			st(card, access, closed, evGranted),
			st(openDoor(d), access, open, evOpened),
			st(advance(15*time.Second), access, open),
			st(tempUnlock(d, 30*time.Second), temporary, open, evTempo),
			st(advance(29*time.Second), temporary, open),
			st(advance(time.Second), locked, open, evLocked),
			st(advance(20*time.Second), locked, prealarm, evPrealarm),
		}},
		{"unlock by operator, lock", []doorStep{
			st(unlock(d), operator, closed, evUnlocked),
			st(openDoor(d), operator, open, evOpened),
			st(advance(time.Hour), operator, open),
			st(lock(d), locked, open, evLocked),
			st(advance(19*time.Second), locked, open),
			st(advance(time.Second), locked, prealarm, evPrealarm),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"a grant while unlocked by an operator changes nothing", []doorStep{
			st(unlock(d), operator, closed, evUnlocked),
			st(card, operator, closed, evGranted),
			st(advance(time.Hour), operator, closed),
			st(back(d), locked, closed, evLocked),
		}},
		{"unlocking a door in pre-alarm returns it to plain open", []doorStep{
			st(rex(d), access, closed, evREX),
			st(openDoor(d), access, open, evOpened),
			st(advance(20*time.Second), access, prealarm, evPrealarm),
			st(unlock(d), operator, open, evUnlocked),
			st(advance(time.Hour), operator, open),
			st(closeDoor(d), operator, closed, evClosed),
		}},
		{"unlocking a door open too long returns it to plain open", []doorStep{
			st(rex(d), access, closed, evREX),
			st(openDoor(d), access, open, evOpened),
			st(advance(30*time.Second), access, tooLong, evPrealarm, evTooLong),
			st(tempUnlock(d, 5*time.Second), temporary, open, evTempo),
			st(advance(5*time.Second), locked, open, evLocked),
			st(advance(20*time.Second), locked, prealarm, evPrealarm),
		}},
		{"locking a door open too long keeps it open too long", []doorStep{
			st(rex(d), access, closed, evREX),
			st(openDoor(d), access, open, evOpened),
			st(advance(30*time.Second), access, tooLong, evPrealarm, evTooLong),
			st(lock(d), locked, tooLong, evLocked),
			st(advance(time.Hour), locked, tooLong),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"back to schedule", []doorStep{
			st(unlock(d), operator, closed, evUnlocked),
			st(back(d), locked, closed, evLocked),
			st(openDoor(d), locked, forced, evForced),
		}},
		{"one-time access used", []doorStep{
			st(oneTime(d), oneTimeL, closed, evOneTime),
			st(openDoor(d), oneTimeL, open, evOpened),
			st(advance(10*time.Second), oneTimeL, open),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"one-time access not used relocks after the unlock time", []doorStep{
			st(oneTime(d), oneTimeL, closed, evOneTime),
			st(advance(4*time.Second), oneTimeL, closed),
			st(advance(time.Second), locked, closed),
		}},
		{"one-time access while unlocked by an operator is journaled only", []doorStep{
			st(unlock(d), operator, closed, evUnlocked),
			st(oneTime(d), operator, closed, evOneTime),
			st(advance(time.Hour), operator, closed),
		}},
		{"a card after a one-time access is an access", []doorStep{
			st(oneTime(d), oneTimeL, closed, evOneTime),
			st(card, access, closed, evGranted),
			st(advance(5*time.Second), locked, closed),
		}},
		{"out-of-range seconds are refused with no state change", []doorStep{
			stErr(tempUnlock(d, 0), sim.ErrOutOfRange, locked, closed),
			stErr(tempUnlock(d, (sim.MaxUnlockSeconds+1)*time.Second), sim.ErrOutOfRange, locked, closed),
			stErr(tempUnlock(d, 1500*time.Millisecond), sim.ErrOutOfRange, locked, closed),
			stErr(tempUnlock(d, -time.Second), sim.ErrOutOfRange, locked, closed),
			st(tempUnlock(d, sim.MaxUnlockSeconds*time.Second), temporary, closed, evTempo),
			stErr(tempUnlock(d, 0), sim.ErrOutOfRange, temporary, closed),
			st(advance(sim.MaxUnlockSeconds*time.Second-time.Second), temporary, closed),
			st(advance(time.Second), locked, closed, evLocked),
		}},
		{"one second is the shortest temporary unlock", []doorStep{
			st(tempUnlock(d, time.Second), temporary, closed, evTempo),
			st(advance(time.Second), locked, closed, evLocked),
		}},
		{"opening an open door and closing a closed one are refused", []doorStep{
			stErr(closeDoor(d), sim.ErrState, locked, closed),
			st(openDoor(d), locked, forced, evForced),
			stErr(openDoor(d), sim.ErrState, locked, forced),
			st(closeDoor(d), locked, closed, evClosed),
		}},
		{"unknown doors are refused", []doorStep{
			stErr(openDoor(999), sim.ErrUnknownID, locked, closed),
			stErr(openDoor(rdFrontIn), sim.ErrUnknownID, locked, closed),
			stErr(unlock(999), sim.ErrUnknownID, locked, closed),
			stErr(tempUnlock(inMotion, time.Second), sim.ErrUnknownID, locked, closed),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := twNew(t, sim.WithDecider(grantAll))
			runDoor(t, x, d, c.steps)
			// other doors are untouched
			other := x.door(doorBack)
			assert.Equal(t, locked, other.Lock)
			assert.Equal(t, closed, other.Contact)
		})
	}
}

func TestDoorEventFields(t *testing.T) {
	x := twNew(t, sim.WithDecider(grantAll))
	start := x.w.Now()
	require.NoError(t, x.w.TemporarilyUnlockDoor(doorFront, 7*time.Second))
	x.clk.Advance(2 * time.Second)
	seq, err := x.w.OpenDoor(doorFront)
	require.NoError(t, err)
	ev := x.events()
	require.Len(t, ev, 2)
	assert.Equal(t, sim.Event{Seq: 1, Time: start, Type: evTempo, Source: doorFront, Kind: sim.KindDoor,
		Door: doorFront, Controller: ctrlOffice, Value: 7}, ev[0])
	assert.Equal(t, seq, ev[1].Seq)
	assert.True(t, ev[1].Time.Equal(start.Add(2*time.Second)))
	assert.Equal(t, "Door temporarily unlocked", ev[0].Text())

	// the relock event is stamped with the deadline, not with where the
	// clock was advanced to
	x.clk.Advance(time.Minute)
	ev = x.events()
	require.Len(t, ev, 3)
	assert.Equal(t, []sim.EventType{evLocked, evPrealarm, evTooLong}, []sim.EventType{ev[0].Type, ev[1].Type, ev[2].Type})
	assert.True(t, ev[0].Time.Equal(start.Add(7*time.Second)), "relock at %v", ev[0].Time)
	assert.True(t, ev[1].Time.Equal(start.Add(27*time.Second)), "pre-alarm at %v", ev[1].Time)
	assert.True(t, ev[2].Time.Equal(start.Add(37*time.Second)), "too long at %v", ev[2].Time)
}

func TestDoorUnlockRemaining(t *testing.T) {
	x := twNew(t)
	require.NoError(t, x.w.TemporarilyUnlockDoor(doorFront, 10*time.Second))
	assert.Equal(t, sim.Seconds(10), x.door(doorFront).UnlockRemaining)
	x.clk.Advance(3500 * time.Millisecond)
	assert.Equal(t, sim.Seconds(7), x.door(doorFront).UnlockRemaining, "rounded up")
	x.clk.Advance(6500 * time.Millisecond)
	assert.Equal(t, sim.Seconds(0), x.door(doorFront).UnlockRemaining)
}

// A site whose Front Door unlocks Monday to Friday 08:00-18:00, starting on
// Monday at 07:59 in Paris time.
const scheduleSite = `
version: 1
name: schedule test
timezone: Europe/Paris
start: "2026-01-05 07:59:00"
gateways:
  - id: 1
    name: gw
    sites:
      - id: 2
        name: site
        controllers:
          - id: 10
            name: ctrl
            model: KT-400
            doors:
              - id: 20
                name: Front Door
                unlock_schedule: 81
                readers: [{id: 30, name: r30}]
              - id: 21
                name: Plain Door
                readers: [{id: 31, name: r31}]
schedules:
  - id: 81
    name: Business hours
    intervals:
      - {days: [mon, tue, wed, thu, fri], start: "08:00", end: "18:00"}
`

func TestDoorUnlockSchedule(t *testing.T) {
	d := doorFront
	card := present(rdFrontIn, "100:1001", "")
	cases := []struct {
		name  string
		steps []doorStep
	}{
		{"unlocks and locks at the schedule boundaries", []doorStep{
			st(advance(59*time.Second), locked, closed),
			st(advance(time.Second), scheduled, closed, evSchedule), // Mon 08:00
			st(openDoor(d), scheduled, open, evOpened),
			st(advance(time.Hour), scheduled, open),
			st(closeDoor(d), scheduled, closed, evClosed),
			st(advance(9*time.Hour-time.Second), scheduled, closed), // Mon 17:59:59
			st(advance(time.Second), locked, closed, evLocked),      // Mon 18:00
			st(advance(14*time.Hour-time.Second), locked, closed),   // Tue 07:59:59
			st(advance(time.Second), scheduled, closed, evSchedule), // Tue 08:00
		}},
		{"no unlock on the weekend", []doorStep{
			// Friday 18:00 is 4 days 10 h 1 min after Monday 07:59
			st(advance(4*24*time.Hour+10*time.Hour+time.Minute), locked, closed,
				evSchedule, evLocked, evSchedule, evLocked, evSchedule, evLocked, evSchedule, evLocked, evSchedule, evLocked),
			st(advance(2*24*time.Hour+14*time.Hour-time.Second), locked, closed), // Mon 07:59:59
			st(advance(time.Second), scheduled, closed, evSchedule),
		}},
		{"a door open when the schedule ends comes under supervision", []doorStep{
			st(advance(time.Minute), scheduled, closed, evSchedule),
			st(openDoor(d), scheduled, open, evOpened),
			st(advance(10*time.Hour), locked, open, evLocked),
			st(advance(20*time.Second), locked, prealarm, evPrealarm),
			st(advance(10*time.Second), locked, tooLong, evTooLong),
		}},
		{"a passage in progress at the schedule start settles on close", []doorStep{
			st(advance(55*time.Second), locked, closed),
			st(card, access, closed, evGranted),
			st(openDoor(d), access, open, evOpened),
			st(advance(10*time.Second), access, open), // 08:00:05
			st(closeDoor(d), scheduled, closed, evClosed, evSchedule),
			st(advance(10*time.Hour), locked, closed, evLocked),
		}},
		{"a passage unused across the schedule start settles on relock", []doorStep{
			st(advance(58*time.Second), locked, closed),
			st(card, access, closed, evGranted),
			st(advance(5*time.Second), scheduled, closed, evSchedule),
		}},
		{"an operator lock holds against the schedule until back to schedule", []doorStep{
			st(advance(time.Minute), scheduled, closed, evSchedule),
			st(lock(d), locked, closed, evLocked),
			st(card, access, closed, evGranted),
			st(openDoor(d), access, open, evOpened),
			st(closeDoor(d), locked, closed, evClosed), // the operator's lock, not the schedule
			st(card, access, closed, evGranted),
			st(advance(5*time.Second), locked, closed),
			st(advance(10*time.Hour), locked, closed),
			st(advance(14*time.Hour), locked, closed), // Tue 08:00:05
			st(back(d), scheduled, closed, evSchedule),
			st(advance(10*time.Hour), locked, closed, evLocked),
		}},
		{"an operator unlock holds against the schedule", []doorStep{
			st(unlock(d), operator, closed, evUnlocked),
			st(advance(time.Minute), operator, closed),
			st(advance(10*time.Hour), operator, closed),
			st(back(d), locked, closed, evLocked),
		}},
		{"a temporary unlock ending inside the schedule returns to it", []doorStep{
			st(tempUnlock(d, 2*time.Minute), temporary, closed, evTempo),
			st(advance(time.Minute), temporary, closed),
			st(advance(time.Minute), scheduled, closed, evSchedule),
		}},
		{"a one-time access at a door unlocked by schedule is journaled only", []doorStep{
			st(advance(time.Minute), scheduled, closed, evSchedule),
			st(oneTime(d), scheduled, closed, evOneTime),
			st(card, scheduled, closed, evGranted),
			st(advance(time.Minute), scheduled, closed),
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := twYAML(t, scheduleSite, sim.WithDecider(grantAll))
			require.Equal(t, "2026-01-05 07:59:00 +0100", x.w.Now().Format("2006-01-02 15:04:05 -0700"))
			runDoor(t, x, d, c.steps)
			assert.Equal(t, locked, x.door(21).Lock, "a door without a schedule never follows one")
		})
	}
}

func TestDoorScheduleAtStart(t *testing.T) {
	inside := strings.Replace(scheduleSite, `start: "2026-01-05 07:59:00"`, `start: "2026-01-07 12:00:00"`, 1)
	x := twYAML(t, inside)
	assert.Equal(t, scheduled, x.door(doorFront).Lock, "inside the schedule at start")
	assert.Empty(t, x.types(), "the start state is not journaled")
	x.clk.Advance(6 * time.Hour)
	assert.Equal(t, locked, x.door(doorFront).Lock)
	x.w.Reset()
	assert.Equal(t, locked, x.door(doorFront).Lock, "Reset rebuilds from the current time")
}

// On the days daylight saving time starts and ends, a door follows its
// schedule's wall-clock times.
func TestDoorUnlockScheduleAcrossDaylightSaving(t *testing.T) {
	for _, start := range []string{"2026-03-29 07:00:00", "2026-10-25 07:00:00"} { // Sundays, Paris
		t.Run(start, func(t *testing.T) {
			src := strings.Replace(scheduleSite, `start: "2026-01-05 07:59:00"`, `start: "`+start+`"`, 1)
			src = strings.Replace(src, `days: [mon, tue, wed, thu, fri]`, `days: [all]`, 1)
			x := twYAML(t, src)
			x.clk.Advance(time.Hour - time.Second)
			assert.Equal(t, locked, x.door(doorFront).Lock)
			x.clk.Advance(time.Second)
			assert.Equal(t, scheduled, x.door(doorFront).Lock, "unlocked at 08:00 local")
			assert.Equal(t, "08:00", x.w.Now().In(x.w.Location()).Format("15:04"))
			x.clk.Advance(10*time.Hour - time.Second)
			assert.Equal(t, scheduled, x.door(doorFront).Lock)
			x.clk.Advance(time.Second)
			assert.Equal(t, locked, x.door(doorFront).Lock, "locked at 18:00 local")
			assert.Equal(t, []sim.EventType{evSchedule, evLocked}, x.types())
		})
	}
}
