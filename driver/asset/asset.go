package asset

import (
	"fmt"
	"maps"
	"strconv"
)

// Asset is one asset of the driver: its type and id, its name and
// properties, the set of its true hardware statuses (set by the integration
// from the wire), and the operator's overlays (Mask, Acknowledge).
//
// What it shows follows SPEC §6:
//   - the visible statuses are No Communication if it holds, then Masked if
//     the asset is masked (Mask hides every other true status until Reset),
//     otherwise the true statuses, plus Acknowledged while every alarm that
//     holds has been acknowledged, plus Normal while nothing but at-rest
//     statuses (Enabled, Secure, Inactive, Present) holds and the type has
//     Normal;
//   - Status is the highest visible status in the asset's table.
//
// An Asset is not safe for concurrent use: inside a Registry it is only
// reached through Registry.Update, which holds the registry's lock.
type Asset struct {
	ref   Ref
	info  *typeInfo
	name  string
	table *Table
	// props is never modified in place once set (SetProperty copies it), so
	// that Registry.Update can undo a failed update by restoring the pointer.
	props map[string]string

	hw     statusSet // the true statuses, as read from the wire
	masked bool      // Mask given, no Reset since
	acked  statusSet // the alarms acknowledged that still hold

	last *LastAccessEvent // the Last Access Event of a door or reader
}

// NewAsset makes an asset. The type's required property ("Door ID" for a
// door or reader, "Output ID", "Input ID") must be present and be a
// component id (a positive integer); the error names it otherwise. The
// System asset's id is 1.
//
// A new asset holds No Communication and nothing else: the driver has not
// read it yet, and the document's words for that are "communication has
// been lost with the driver or asset".
func NewAsset(ref Ref, name string, props map[string]string) (*Asset, error) {
	in := ref.Type.info()
	if in == nil {
		return nil, fmt.Errorf("%w: %w %q", ErrInvalidAsset, ErrUnknownType, ref.Type)
	}
	if ref.ID <= 0 {
		return nil, fmt.Errorf("%w: %s: the id must be a positive integer", ErrInvalidAsset, ref)
	}
	if ref.Type == System && ref != SystemRef {
		return nil, fmt.Errorf("%w: %s: the System asset is %s", ErrInvalidAsset, ref, SystemRef)
	}
	a := &Asset{ref: ref, info: in, name: name, table: defaultTable, props: maps.Clone(props), hw: bit(NoCommunication)}
	if a.props == nil {
		a.props = map[string]string{}
	}
	if in.required != "" {
		if err := a.checkRequired(a.props[in.required]); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// checkRequired refuses a required property (Door ID, Output ID, Input ID)
// that is missing or not a component id.
func (a *Asset) checkRequired(v string) error {
	if v == "" {
		return fmt.Errorf("%w: %s: %q is required", ErrInvalidAsset, a.ref, a.info.required)
	}
	if n, err := strconv.Atoi(v); err != nil || n <= 0 {
		return fmt.Errorf("%w: %s: %q must be a component id (a positive integer), not %q", ErrInvalidAsset, a.ref, a.info.required, v)
	}
	return nil
}

// Ref returns the asset's type and id.
func (a *Asset) Ref() Ref { return a.ref }

// Type returns the asset's type.
func (a *Asset) Type() Type { return a.ref.Type }

// ID returns the asset's id.
func (a *Asset) ID() int { return a.ref.ID }

// Name returns the asset's name ("Front Door").
func (a *Asset) Name() string { return a.name }

// SetName renames the asset (the server's description changed).
func (a *Asset) SetName(name string) { a.name = name }

// Property returns one property ("Door ID").
func (a *Asset) Property(name string) (string, bool) {
	v, ok := a.props[name]
	return v, ok
}

// Properties returns a copy of the asset's properties.
func (a *Asset) Properties() map[string]string { return maps.Clone(a.props) }

// SetProperty sets one property; an empty value removes it. The required
// property cannot be removed or set to something that is not a component id.
func (a *Asset) SetProperty(name, value string) error {
	if name == a.info.required && name != "" {
		if err := a.checkRequired(value); err != nil {
			return err
		}
	}
	p := maps.Clone(a.props) // copy on write: see Asset.props
	if value == "" {
		delete(p, name)
	} else {
		p[name] = value
	}
	a.props = p
	return nil
}

// Table returns the status table the asset is shown with.
func (a *Asset) Table() *Table { return a.table }

// checkHardware refuses a status that the integration cannot set from the
// wire: unknown, not supported by the type, an operator overlay, or Normal.
// It returns the status as a set, looked up once (this is the polling path).
func (a *Asset) checkHardware(s Status) (statusSet, error) {
	b := bit(s)
	switch {
	case b == 0:
		return 0, fmt.Errorf("%s: %w %q", a.ref, ErrUnknownStatus, s)
	case b&a.info.set&^(overlaySet|bit(Normal)) != 0:
		return b, nil
	case s == Normal:
		return 0, fmt.Errorf("%s: %q is %w as a true status: it is derived, and holds while nothing else does", a.ref, s, ErrUnsupported)
	case s == Masked:
		return 0, fmt.Errorf("%s: %q is %w as a true status: only the operator's %s sets it", a.ref, s, ErrUnsupported, Mask)
	case s == Acknowledged:
		return 0, fmt.Errorf("%s: %q is %w as a true status: only the operator's %s sets it", a.ref, s, ErrUnsupported, Acknowledge)
	}
	return 0, fmt.Errorf("%s: %q is %w by %s: it supports %s", a.ref, s, ErrUnsupported, article(a.info.title), joinStatuses(a.info.statuses))
}

// SetHardware replaces the asset's true statuses with the given set, as read
// from the wire ("nothing" is a valid set: a System online with no fault).
// It refuses, changing nothing, a status the type does not support, Normal
// (derived), Masked and Acknowledged (the operator's), and two opposites
// (Secure and Unsecure, Enabled and Disabled, Active and Inactive).
// An acknowledgment lasts only while its alarm holds, so alarms that no
// longer hold leave the acknowledged set.
func (a *Asset) SetHardware(statuses ...Status) error {
	var s statusSet
	for _, st := range statuses {
		b, err := a.checkHardware(st)
		if err != nil {
			return err
		}
		if o := s & oppositeOf(b); o != 0 {
			return fmt.Errorf("%s: %q and %q cannot hold together", a.ref, o.list()[0], st)
		}
		s |= b
	}
	a.setHardware(s)
	return nil
}

// Set makes one true status hold or not, leaving the others; making a status
// hold clears its opposite (Secure clears Unsecure). Integrations that read
// changes key by key use it; the checks are SetHardware's.
func (a *Asset) Set(s Status, on bool) error {
	b, err := a.checkHardware(s)
	if err != nil {
		return err
	}
	hw := a.hw
	if on {
		hw = hw&^oppositeOf(b) | b
	} else {
		hw &^= b
	}
	a.setHardware(hw)
	return nil
}

func (a *Asset) setHardware(s statusSet) {
	a.hw = s
	a.acked &= s // "lasts until the alarm clears"
}

// Holds reports whether s is one of the asset's true statuses.
func (a *Asset) Holds(s Status) bool { return a.hw.has(s) }

// Hardware returns the asset's true statuses in its table's order, whatever
// the operator laid over them.
func (a *Asset) Hardware() []Status { return a.table.list(a.hw) }

// IsMasked reports whether the asset is masked (Mask given, no Reset since).
func (a *Asset) IsMasked() bool { return a.masked }

// IsAcknowledged reports whether Acknowledged is among the visible statuses.
func (a *Asset) IsAcknowledged() bool { return a.visible().has(Acknowledged) }

// Mask hides the asset's true state until Reset: it shows Masked (or No
// Communication, which outranks it). Masking a masked asset changes nothing.
func (a *Asset) Mask() { a.masked = true }

// Acknowledge acknowledges the alarms the asset shows. It applies only to an
// asset showing an alarm (Fault, Forced Open, Held Open, Tamper, Controller
// Fault) among its visible statuses that is not yet acknowledged; otherwise
// it is refused with a message and changes nothing. The acknowledgment lasts
// until those alarms clear, or Reset; a new alarm shows again over it.
func (a *Asset) Acknowledge() error {
	if a.masked {
		return fmt.Errorf("%s shows %q: %w: Acknowledge applies only to an asset showing an alarm (%s)", a.ref, a.Status(), ErrRefused, joinStatuses(alarmSet.list()))
	}
	alarms := a.hw & alarmSet
	if alarms == 0 {
		return fmt.Errorf("%s shows %q: %w: Acknowledge applies only to an asset showing an alarm (%s)", a.ref, a.Status(), ErrRefused, joinStatuses(alarmSet.list()))
	}
	if alarms&^a.acked == 0 {
		return fmt.Errorf("%s: %w: its alarm (%s) is already acknowledged", a.ref, ErrRefused, joinStatuses(a.table.list(alarms)))
	}
	a.acked = alarms
	return nil
}

// Reset returns the asset to its true hardware state: it clears Mask and
// Acknowledge.
func (a *Asset) Reset() {
	a.masked = false
	a.acked = 0
}

// visible is the set of statuses the asset shows (see Asset).
func (a *Asset) visible() statusSet {
	v := a.hw & bit(NoCommunication)
	if a.masked {
		return v | bit(Masked)
	}
	v |= a.hw
	if alarms := a.hw & alarmSet; a.acked != 0 && alarms&^a.acked == 0 {
		v |= bit(Acknowledged)
	}
	if a.info.set.has(Normal) && a.hw&^atRestSet == 0 {
		v |= bit(Normal)
	}
	if v == 0 {
		// A door or input with no true status at all: its state is unknown,
		// and the document has no Normal for it to fall back to.
		v = bit(NoCommunication)
	}
	return v
}

// Status returns the status the asset shows: the highest of its visible
// statuses in its table.
func (a *Asset) Status() Status { return a.table.top(a.visible()) }

// Statuses returns the asset's visible statuses in its table's order.
func (a *Asset) Statuses() []Status { return a.table.list(a.visible()) }

// LastAccess returns the asset's Last Access Event (doors and readers), or
// nil when there has been none.
func (a *Asset) LastAccess() *LastAccessEvent {
	if a.last == nil {
		return nil
	}
	e := *a.last
	return &e
}

// Snapshot returns a copy of what the asset shows, safe to keep and to
// serve northbound.
func (a *Asset) Snapshot() Snapshot {
	v := a.visible()
	return Snapshot{
		Ref:        a.ref,
		Name:       a.name,
		Status:     a.table.top(v),
		Statuses:   a.table.list(v),
		Properties: maps.Clone(a.props),
		LastAccess: a.LastAccess(),
	}
}

// Snapshot is an asset as the northbound API shows it:
// {"type":"door","id":12,"name":"Front Door","status":"Held Open",
// "statuses":["Held Open","Unsecure"],"properties":{"Door ID":"12"}}.
// It is a copy: changing it changes nothing in the registry.
type Snapshot struct {
	Ref
	// Name is the asset's name.
	Name string `json:"name"`
	// Status is the status it shows.
	Status Status `json:"status"`
	// Statuses are its visible statuses in its table's order.
	Statuses []Status `json:"statuses"`
	// Properties are its properties ("Door ID").
	Properties map[string]string `json:"properties"`
	// LastAccess is the Last Access Event of a door or reader, if any.
	LastAccess *LastAccessEvent `json:"Last Access Event,omitempty"`
}
