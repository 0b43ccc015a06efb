package asset

import (
	"encoding/json"
	"fmt"
	"time"
)

// The names of the workflow events, as the document names them (Status
// Changed is ours: the document's PSIM sees status changes through its
// status tables, the northbound stream needs a name for them). They are the
// "event" discriminator of the JSON form.
const (
	// EventStatusChanged names StatusChanged.
	EventStatusChanged = "Status Changed"
	// EventLastAccess names LastAccessEvent.
	EventLastAccess = "Last Access Event"
	// EventGatewayConnectionChanged names GatewayConnectionChanged.
	EventGatewayConnectionChanged = "Gateway Connection Changed"
)

// Event is a workflow event published on a Bus: *StatusChanged,
// *LastAccessEvent or *GatewayConnectionChanged (the set is closed).
//
// One event value is shared by every subscriber: treat it as read-only. Once
// published, an event belongs to the bus; the publisher must not change it.
type Event interface {
	// EventName is the document's name of the event, the JSON "event".
	EventName() string
	// Sequence is the number the bus gave the event: 1, 2, 3, … in the
	// order of publication, so a subscriber sees a gap when it dropped some.
	Sequence() uint64
	// Asset is the asset the event belongs to (system/1 for a gateway).
	Asset() Ref
	setSequence(uint64)
}

// StatusChanged is published when what an asset shows changes: its status,
// or the set of its visible statuses.
type StatusChanged struct {
	// Seq is the bus's sequence number.
	Seq uint64 `json:"seq"`
	// Ref is the asset.
	Ref
	// From is the status shown before.
	From Status `json:"from"`
	// To is the status shown now.
	To Status `json:"to"`
	// Statuses are the visible statuses now, in table order.
	Statuses []Status `json:"statuses"`
}

// LastAccessEvent is the Last Access Event of a Door or Reader, with every
// property of the document's Tables 1 and 2, for grants and denials alike.
type LastAccessEvent struct {
	// Seq is the bus's sequence number.
	Seq uint64 `json:"seq"`
	// Ref is the door or reader the event belongs to.
	Ref
	// Username is the user that last accessed this asset.
	Username string `json:"Username"`
	// BadgeTemplateID is the id of the badge layout template (the card
	// user's EntraPass Badging).
	BadgeTemplateID int `json:"BadgeTemplateID"`
	// DateTime is the date and time of the access event.
	DateTime time.Time `json:"DateTime"`
	// CardID is the card used, as EntraPass displays it ("100:1001").
	CardID string `json:"CardId"`
	// AccessGranted is whether access was granted (True) or not (False).
	AccessGranted bool `json:"Access Granted"`
	// Description details the access event ("Access denied - …").
	Description string `json:"Description"`
	// CardStatus is the status of the card ("Valid", "StolenLost", …).
	CardStatus string `json:"Card Status"`
	// ParentID is the id of the asset used in the event.
	ParentID int `json:"Parent Id"`
	// ParentType is the type of the asset used in the event.
	ParentType Type `json:"Parent Type"`
}

// GatewayConnectionChanged is the System event that triggers when the
// connection to a gateway goes offline or comes online (Table 3).
type GatewayConnectionChanged struct {
	// Seq is the bus's sequence number.
	Seq uint64 `json:"seq"`
	// Ref is the System asset, system/1.
	Ref
	// GatewayID identifies the gateway whose connection changed.
	GatewayID int `json:"Gateway ID"`
	// GatewayName is the gateway's name.
	GatewayName string `json:"Gateway Name"`
	// GatewayConnectedState is the connection state to the gateway: true
	// when it came online, false when it went offline.
	GatewayConnectedState bool `json:"Gateway Connected State"`
}

// EventName implements Event.
func (*StatusChanged) EventName() string { return EventStatusChanged }

// EventName implements Event.
func (*LastAccessEvent) EventName() string { return EventLastAccess }

// EventName implements Event.
func (*GatewayConnectionChanged) EventName() string { return EventGatewayConnectionChanged }

// Sequence implements Event.
func (e *StatusChanged) Sequence() uint64 { return e.Seq }

// Sequence implements Event.
func (e *LastAccessEvent) Sequence() uint64 { return e.Seq }

// Sequence implements Event.
func (e *GatewayConnectionChanged) Sequence() uint64 { return e.Seq }

// Asset implements Event.
func (e *StatusChanged) Asset() Ref { return e.Ref }

// Asset implements Event.
func (e *LastAccessEvent) Asset() Ref { return e.Ref }

// Asset implements Event.
func (e *GatewayConnectionChanged) Asset() Ref { return e.Ref }

func (e *StatusChanged) setSequence(n uint64)            { e.Seq = n }
func (e *LastAccessEvent) setSequence(n uint64)          { e.Seq = n }
func (e *GatewayConnectionChanged) setSequence(n uint64) { e.Seq = n }

// The JSON forms put the discriminator first: {"event":"Last Access
// Event","seq":7,"type":"door","id":12,"Username":…}. Each defines a local
// type without methods so that json.Marshal does not call MarshalJSON again.

// MarshalJSON writes the event with its "event" discriminator.
func (e StatusChanged) MarshalJSON() ([]byte, error) {
	type fields StatusChanged
	return json.Marshal(struct {
		Event string `json:"event"`
		fields
	}{EventStatusChanged, fields(e)})
}

// MarshalJSON writes the event with its "event" discriminator.
func (e LastAccessEvent) MarshalJSON() ([]byte, error) {
	type fields LastAccessEvent
	return json.Marshal(struct {
		Event string `json:"event"`
		fields
	}{EventLastAccess, fields(e)})
}

// MarshalJSON writes the event with its "event" discriminator.
func (e GatewayConnectionChanged) MarshalJSON() ([]byte, error) {
	type fields GatewayConnectionChanged
	return json.Marshal(struct {
		Event string `json:"event"`
		fields
	}{EventGatewayConnectionChanged, fields(e)})
}

// DecodeEvent reads an event from its JSON form, choosing its type by the
// "event" discriminator: what a northbound client (or a test) needs to read
// the event stream back.
func DecodeEvent(data []byte) (Event, error) {
	var head struct {
		Event string `json:"event"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("asset event: %w", err)
	}
	var e Event
	switch head.Event {
	case EventStatusChanged:
		e = new(StatusChanged)
	case EventLastAccess:
		e = new(LastAccessEvent)
	case EventGatewayConnectionChanged:
		e = new(GatewayConnectionChanged)
	default:
		return nil, fmt.Errorf("asset event: unknown event %q (the events are %q, %q, %q)", head.Event,
			EventStatusChanged, EventLastAccess, EventGatewayConnectionChanged)
	}
	if err := json.Unmarshal(data, e); err != nil {
		return nil, fmt.Errorf("asset event %q: %w", head.Event, err)
	}
	return e, nil
}

// String renders the event for logs: "#7 Status Changed door/12: Secure → Held Open".
func (e *StatusChanged) String() string {
	return fmt.Sprintf("#%d %s %s: %s → %s", e.Seq, EventStatusChanged, e.Ref, e.From, e.To)
}

// String renders the event for logs: "#8 Last Access Event door/12: granted, card 100:1001 (Alice Martin)".
func (e *LastAccessEvent) String() string {
	verdict := "denied"
	if e.AccessGranted {
		verdict = "granted"
	}
	return fmt.Sprintf("#%d %s %s: %s, card %s (%s): %s", e.Seq, EventLastAccess, e.Ref, verdict, e.CardID, e.Username, e.Description)
}

// String renders the event for logs: "#9 Gateway Connection Changed: gateway 1 (Main Gateway) offline".
func (e *GatewayConnectionChanged) String() string {
	state := "offline"
	if e.GatewayConnectedState {
		state = "online"
	}
	return fmt.Sprintf("#%d %s: gateway %d (%s) %s", e.Seq, EventGatewayConnectionChanged, e.GatewayID, e.GatewayName, state)
}
