package sim

// LockState is a door lock's state, in the control API's words.
type LockState string

// Door lock states.
const (
	LockLocked            LockState = "locked"
	LockUnlockedOperator  LockState = "unlocked-operator"  // until locked or back to schedule
	LockUnlockedTemporary LockState = "unlocked-temporary" // Pass: N seconds, then relocks
	LockUnlockedAccess    LockState = "unlocked-access"    // a grant or request-to-exit; relocks on close
	LockUnlockedSchedule  LockState = "unlocked-schedule"
	LockOneTimeAccess     LockState = "one-time-access"
)

// ContactState is a door contact's state, in the control API's words.
type ContactState string

// Door contact states.
const (
	ContactClosed   ContactState = "closed"
	ContactOpen     ContactState = "open"
	ContactPrealarm ContactState = "open-prealarm"
	// ContactHeldOpen is EntraPass's OPENTOOLONG, the document's Held Open:
	// the door stayed open past its open time.
	ContactHeldOpen ContactState = "open-too-long"
	// ContactForced: opened while locked, without a grant or request-to-exit.
	ContactForced ContactState = "forced"
)

// IsOpen reports whether the door is open in any way.
func (c ContactState) IsOpen() bool { return c != ContactClosed }
