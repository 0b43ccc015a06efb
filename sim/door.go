package sim

import (
	"fmt"
	"time"
)

// MaxUnlockSeconds is the longest temporary unlock or activation the
// hardware takes: 18 h, the EntraPass GO limit.
const MaxUnlockSeconds = 64800

type door struct {
	base
	ctrl           *controller
	spec           *DoorSpec
	unlockSchedule *Schedule
	readers        []*reader
	lock           LockState
	contact        ContactState
	// override: an operator command holds the lock against the schedule
	// until DoorBackToSchedule.
	override bool
	// relock ends an access, one-time access or temporary unlock.
	relock timer
	// contactT moves an open door to pre-alarm, then to open too long.
	contactT timer
	// openedAt is when the open door came under supervision.
	openedAt time.Time
}

// supervised reports whether an open door counts towards open too long:
// a door an operator or schedule unlocked may stand open.
func (d *door) supervised() bool {
	switch d.lock {
	case LockUnlockedOperator, LockUnlockedTemporary, LockUnlockedSchedule:
		return false
	}
	return true
}

func (w *World) door(id ID) (*door, error) {
	i, err := w.lookup(id, KindDoor)
	if err != nil {
		return nil, err
	}
	return w.doors[i], nil
}

// baseLock is the lock state a door returns to: what its schedule says,
// unless an operator holds it. The only operator state a passage (grant,
// request to exit, one-time access) can start from is locked, so a door an
// operator locked against its schedule returns to locked after a passage
// instead of silently falling back to its schedule.
func (w *World) baseLock(d *door) LockState {
	if d.override {
		return LockLocked
	}
	if d.unlockSchedule != nil && d.unlockSchedule.Active(w.clock.Now()) {
		return LockUnlockedSchedule
	}
	return LockLocked
}

// setLock moves the lock and journals ev (none when 0). Called locked.
func (w *World) setLock(d *door, s LockState, ev EventType, value int) uint64 {
	d.lock = s
	w.touch(&d.base)
	w.superviseOpen(d)
	if ev == 0 {
		return 0
	}
	return w.emit(Event{Type: ev, Source: d.id, Kind: KindDoor, Door: d.id, Value: value}, d.ctrl)
}

// toBase returns the lock to what the schedule says, journaling it.
func (w *World) toBase(d *door) {
	b := w.baseLock(d)
	ev := EventDoorLocked
	if b == LockUnlockedSchedule {
		ev = EventDoorUnlockSchedule
	}
	w.setLock(d, b, ev, 0)
}

// superviseOpen starts or stops the open-too-long timer of an open door as
// its lock state says. Called locked.
func (w *World) superviseOpen(d *door) {
	switch {
	case d.contact == ContactClosed || d.contact == ContactForced:
		d.contactT.disarm()
	case !d.supervised():
		d.contactT.disarm()
		if d.contact != ContactOpen {
			d.contact = ContactOpen
		}
	case !d.contactT.armed && d.contact == ContactOpen:
		d.openedAt = w.clock.Now()
		w.arm(&d.contactT, d.spec.OpenTime.D()-d.spec.Prealarm.D())
	}
}

func (w *World) onContact(d *door) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.due(&d.contactT) {
		return
	}
	switch d.contact {
	case ContactOpen:
		d.contact = ContactPrealarm
		w.touch(&d.base)
		w.emit(Event{Type: EventDoorOpenPrealarm, Source: d.id, Kind: KindDoor, Door: d.id}, d.ctrl)
		rest := d.openedAt.Add(d.spec.OpenTime.D()).Sub(w.clock.Now())
		w.arm(&d.contactT, rest)
	case ContactPrealarm:
		d.contact = ContactHeldOpen
		w.touch(&d.base)
		w.emit(Event{Type: EventDoorOpenTooLong, Source: d.id, Kind: KindDoor, Door: d.id}, d.ctrl)
	}
}

func (w *World) onRelock(d *door) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.due(&d.relock) {
		return
	}
	switch d.lock {
	case LockUnlockedAccess, LockOneTimeAccess:
		// Nobody went through: relock now. Someone did: relock on close.
		if d.contact == ContactClosed {
			w.endPassage(d)
		}
	case LockUnlockedTemporary:
		d.override = false
		w.toBase(d)
	}
}

// endPassage relocks a door after a passage (access or one-time access).
// The relock itself is not journaled, as EntraPass does not; but if the
// door's unlock schedule began during the passage, the door now stands
// unlocked by schedule and that is journaled, since onSchedule skipped it.
// Called locked.
func (w *World) endPassage(d *door) {
	b := w.baseLock(d)
	var ev EventType
	if b == LockUnlockedSchedule {
		ev = EventDoorUnlockSchedule
	}
	w.setLock(d, b, ev, 0)
}

// grant unlocks a door for one passage (a granted card or request to exit).
// Called locked.
func (w *World) grant(d *door) {
	switch d.lock {
	case LockLocked, LockUnlockedAccess, LockOneTimeAccess:
		if d.lock != LockUnlockedAccess {
			w.setLock(d, LockUnlockedAccess, 0, 0)
		}
		w.arm(&d.relock, d.spec.UnlockTime.D())
	}
}

// OpenDoor is the door being opened. Opened while locked, without a grant
// or request-to-exit, it is forced.
func (w *World) OpenDoor(id ID) (uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	d, err := w.door(id)
	if err != nil {
		return 0, err
	}
	if d.contact != ContactClosed {
		return 0, fmt.Errorf("%w: door %q is already open", ErrState, d.name)
	}
	if d.lock == LockLocked {
		d.contact = ContactForced
		w.touch(&d.base)
		return w.emit(Event{Type: EventDoorForcedOpen, Source: d.id, Kind: KindDoor, Door: d.id}, d.ctrl), nil
	}
	d.contact = ContactOpen
	w.touch(&d.base)
	w.superviseOpen(d)
	return w.emit(Event{Type: EventDoorOpened, Source: d.id, Kind: KindDoor, Door: d.id}, d.ctrl), nil
}

// CloseDoor is the door closing. A door unlocked for one passage relocks.
func (w *World) CloseDoor(id ID) (uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	d, err := w.door(id)
	if err != nil {
		return 0, err
	}
	if d.contact == ContactClosed {
		return 0, fmt.Errorf("%w: door %q is already closed", ErrState, d.name)
	}
	d.contact = ContactClosed
	d.contactT.disarm()
	w.touch(&d.base)
	seq := w.emit(Event{Type: EventDoorClosed, Source: d.id, Kind: KindDoor, Door: d.id}, d.ctrl)
	if d.lock == LockUnlockedAccess || d.lock == LockOneTimeAccess {
		d.relock.disarm()
		w.endPassage(d)
	}
	return seq, nil
}

// PressREX is a request to exit: the door unlocks for one passage, so
// opening it is not forced.
func (w *World) PressREX(id ID) (uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	d, err := w.door(id)
	if err != nil {
		return 0, err
	}
	w.grant(d)
	return w.emit(Event{Type: EventRequestToExit, Source: d.id, Kind: KindDoor, Door: d.id}, d.ctrl), nil
}

// doorCommand carries out an operator command on a door: it looks the door
// up, checks its controller takes commands, and runs do with the world
// locked.
func (w *World) doorCommand(id ID, do func(*door)) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	d, err := w.door(id)
	if err != nil {
		return err
	}
	if err := d.ctrl.command(); err != nil {
		return err
	}
	do(d)
	return nil
}

// UnlockDoor unlocks a door until LockDoor or DoorBackToSchedule.
func (w *World) UnlockDoor(id ID) error {
	return w.doorCommand(id, func(d *door) { w.hold(d, LockUnlockedOperator, EventDoorUnlocked) })
}

// LockDoor locks a door until UnlockDoor or DoorBackToSchedule.
func (w *World) LockDoor(id ID) error {
	return w.doorCommand(id, func(d *door) { w.hold(d, LockLocked, EventDoorLocked) })
}

// hold puts a door's lock in s against its schedule until the operator
// says otherwise. Called locked.
func (w *World) hold(d *door, s LockState, ev EventType) {
	d.override = true
	d.relock.disarm()
	w.setLock(d, s, ev, 0)
}

// TemporarilyUnlockDoor unlocks a door for d (1 s to 18 h), then returns it
// to its schedule: the document's Pass.
func (w *World) TemporarilyUnlockDoor(id ID, d time.Duration) error {
	if err := checkSeconds(d); err != nil {
		return err
	}
	return w.doorCommand(id, func(dr *door) {
		dr.override = true
		w.setLock(dr, LockUnlockedTemporary, EventDoorUnlockedTempo, int(d/time.Second))
		w.arm(&dr.relock, d)
	})
}

// DoorBackToSchedule ends any operator override: the door follows its
// unlock schedule, or locks if it has none.
func (w *World) DoorBackToSchedule(id ID) error {
	return w.doorCommand(id, func(d *door) {
		d.override = false
		d.relock.disarm()
		w.toBase(d)
	})
}

// OneTimeAccess unlocks a door for one passage, as a granted card would.
func (w *World) OneTimeAccess(id ID) error {
	return w.doorCommand(id, func(d *door) {
		switch d.lock {
		case LockLocked, LockUnlockedAccess, LockOneTimeAccess:
			w.setLock(d, LockOneTimeAccess, EventDoorOneTimeAccess, 0)
			w.arm(&d.relock, d.spec.UnlockTime.D())
		default:
			w.emit(Event{Type: EventDoorOneTimeAccess, Source: d.id, Kind: KindDoor, Door: d.id}, d.ctrl)
		}
	})
}

func checkSeconds(d time.Duration) error {
	if d < time.Second || d > MaxUnlockSeconds*time.Second || d%time.Second != 0 {
		return fmt.Errorf("%w: %v: give whole seconds from 1 to %d", ErrOutOfRange, d, MaxUnlockSeconds)
	}
	return nil
}

// armSchedule sets one timer for the next change of any door's unlock
// schedule. Called locked.
func (w *World) armSchedule() {
	now := w.clock.Now()
	var next time.Time
	for _, d := range w.doors {
		if d.unlockSchedule == nil {
			continue
		}
		if t, ok := d.unlockSchedule.NextChange(now); ok && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	if next.IsZero() {
		return
	}
	w.arm(&w.schedule, next.Sub(now))
}

func (w *World) onSchedule() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.due(&w.schedule) {
		return
	}
	for _, d := range w.doors {
		if d.unlockSchedule == nil || d.override {
			continue
		}
		if d.lock != LockLocked && d.lock != LockUnlockedSchedule {
			continue // a passage in progress settles on close
		}
		if b := w.baseLock(d); b != d.lock {
			w.toBase(d)
		}
	}
	w.armSchedule()
}
