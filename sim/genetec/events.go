package genetec

import (
	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// eventKind is how a world event shows in Security Center: its event type
// name and number (Genetec.Sdk.EventType, reference §5) and whether its
// source is the door.
type eventKind struct {
	name   string
	id     int
	onDoor bool
}

// The Genetec event types used (numbers from the SDK's EventType enum).
var (
	evAccessGranted      = eventKind{"AccessGranted", 35, true}
	evAccessRefused      = eventKind{"AccessRefused", 36, true}
	evDoorOpen           = eventKind{"DoorOpen", 27, true}
	evDoorClose          = eventKind{"DoorClose", 28, true}
	evDoorForcedOpen     = eventKind{"DoorForcedOpen", 29, true}
	evDoorOpenedTooLong  = eventKind{"DoorOpenedForTooLong", 24, true}
	evDoorLock           = eventKind{"DoorLock", 30, true}
	evDoorUnlock         = eventKind{"DoorUnlock", 31, true}
	evDoorManualUnlock   = eventKind{"DoorManuallyUnlocked", 853, true}
	evDoorScheduleUnlock = eventKind{"DoorScheduledUnlock", 851, true}
	evDoorRexOn          = eventKind{"DoorRexOn", 22, true}
	evUnitConnected      = eventKind{"UnitConnected", 16, false}
	evUnitDisconnected   = eventKind{"UnitDisconnected", 17, false}
	evCredentialExpired  = eventKind{"CredentialExpired", 50, false}
	evEntityWarning      = eventKind{"EntityWarning", 3718, false}
)

// kindOf maps a world event to its Genetec event type. Events Security
// Center has no type of its own for (inputs, outputs, reader and controller
// trouble, pre-alarms) are EntityWarning on their component.
func kindOf(t sim.EventType) eventKind {
	switch t {
	case sim.EventAccessGranted:
		return evAccessGranted
	case sim.EventDoorOpened:
		return evDoorOpen
	case sim.EventDoorClosed:
		return evDoorClose
	case sim.EventDoorForcedOpen:
		return evDoorForcedOpen
	case sim.EventDoorOpenTooLong:
		return evDoorOpenedTooLong
	case sim.EventDoorLocked:
		return evDoorLock
	case sim.EventDoorUnlockedTempo, sim.EventDoorOneTimeAccess:
		return evDoorUnlock
	case sim.EventDoorUnlocked:
		return evDoorManualUnlock
	case sim.EventDoorUnlockSchedule:
		return evDoorScheduleUnlock
	case sim.EventRequestToExit:
		return evDoorRexOn
	case sim.EventControllerCommFailure:
		return evUnitDisconnected
	case sim.EventControllerCommRestored:
		return evUnitConnected
	}
	if _, ok := t.Denial(); ok {
		return evAccessRefused
	}
	return evEntityWarning
}

// refusal names a denial the EntraPass side decided in Security Center's
// words (our reading where the reference is silent).
var refusal = [...]string{
	sim.ReasonUnknownCard:       "UnknownCredential",
	sim.ReasonCardInvalid:       "InactiveCredential",
	sim.ReasonCardLostStolen:    "LostCredential",
	sim.ReasonCardExpired:       "ExpiredCredential",
	sim.ReasonCardNotYetValid:   "InactiveCredential",
	sim.ReasonNoAccessLevel:     "NoAccessRule",
	sim.ReasonOutsideSchedule:   "OutsideSchedule",
	sim.ReasonReaderDisabled:    "ReaderDisabled",
	sim.ReasonWrongCardType:     "InvalidCredentialFormat",
	sim.ReasonPINRequired:       "PinRequired",
	sim.ReasonPINWrong:          "InvalidPin",
	sim.ReasonControllerOffline: "UnitOffline",
}

// toWire fills out with what the Web SDK shows of world event ev, reading
// the published view (no lock). It returns the event's Genetec type.
func (v *view) toWire(ev *sim.Event, out *wire.Event) eventKind {
	k := kindOf(ev.Type)
	*out = wire.Event{EventType: k.name, EventTypeID: k.id, Timestamp: ev.Time}
	door := v.byWorld[ev.Door]
	if k.onDoor && door != "" {
		out.SourceGuid = door
		out.DoorGuid = door
		if d := v.byGUID[door]; d != nil {
			out.AreaGuid = d.parent
		}
	} else {
		out.SourceGuid = v.byWorld[ev.Source]
	}
	if ev.Type.IsAccess() {
		out.ReaderGuid = v.byWorld[ev.Source]
		out.CardholderGuid, out.CredentialGuid = ev.Holder, ev.Credential
		if out.CredentialGuid == "" {
			out.CredentialGuid = v.byCard[ev.Card]
		}
		if k.id == evAccessRefused.id {
			out.Reason = ev.Detail
			if out.Reason == "" && int(ev.Reason) < len(refusal) {
				out.Reason = refusal[ev.Reason]
			}
			if out.CredentialGuid == "" {
				out.Card = ev.Card
			}
		}
	}
	return k
}
