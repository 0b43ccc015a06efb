package sim

import "fmt"

type reader struct {
	base
	door    *door
	keypad  bool
	enabled bool
	fault   bool
	// second is the door's second (exit) reader: READERDISABLE2 in EntraPass.
	second bool
}

func (w *World) reader(id ID) (*reader, error) {
	i, err := w.lookup(id, KindReader)
	if err != nil {
		return nil, err
	}
	return w.readers[i], nil
}

// Presented is the outcome of a card presented at a reader.
type Presented struct {
	Decision
	// Seq is the journal sequence number of the access event, 0 while its
	// controller is cut off and holds it.
	Seq uint64
}

// PresentCard is a card (and the PIN typed, if any) presented at a reader.
// The head-end decides; a grant unlocks the door for one passage. A
// disabled reader denies (reader disabled); a controller in fault denies
// (controller offline); a reader in fault reads nothing and returns ErrFault.
func (w *World) PresentCard(readerID ID, card, pin string) (Presented, error) {
	norm, err := ParseCard(card)
	if err != nil {
		return Presented{}, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	r, err := w.reader(readerID)
	if err != nil {
		return Presented{}, err
	}
	if r.fault {
		return Presented{}, fmt.Errorf("%w: reader %q is in fault and reads no card", ErrFault, r.name)
	}
	d := r.door
	req := AccessRequest{Time: w.clock.Now(), Card: norm, PIN: pin, Reader: r.id, Door: d.id, Site: d.ctrl.site.id, Keypad: r.keypad}
	dec := w.accessDecider(d.ctrl).Decide(req)
	switch {
	case d.ctrl.fault:
		dec.Granted, dec.Reason, dec.Detail = false, ReasonControllerOffline, ""
	case !r.enabled:
		dec.Granted, dec.Reason, dec.Detail = false, ReasonReaderDisabled, ""
	case !dec.Granted && dec.Reason == ReasonNone:
		dec.Reason = ReasonUnknownCard // a denial always carries a reason
	case dec.Granted:
		dec.Reason = ReasonNone
	}
	if dec.Granted {
		w.grant(d)
	}
	seq := w.emit(Event{
		Type: DeniedEvent(dec.Reason), Source: r.id, Kind: KindReader, Door: d.id,
		Card: norm, User: dec.User, UserID: dec.UserID, Reason: dec.Reason,
		Holder: dec.Holder, Credential: dec.Credential, Detail: dec.Detail,
	}, d.ctrl)
	return Presented{Decision: dec, Seq: seq}, nil
}

func (w *World) setReaderEnabled(id ID, on bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, err := w.reader(id)
	if err != nil {
		return err
	}
	if err := r.door.ctrl.command(); err != nil {
		return err
	}
	r.enabled = on
	w.touch(&r.base)
	w.touch(&r.door.base) // EntraPass shows READERDISABLE on the door's row
	t := EventReaderDisabled
	if on {
		t = EventReaderEnabled
	}
	w.emit(Event{Type: t, Source: r.id, Kind: KindReader, Door: r.door.id}, r.door.ctrl)
	return nil
}

// EnableReader lets a reader read cards again.
func (w *World) EnableReader(id ID) error { return w.setReaderEnabled(id, true) }

// DisableReader stops a reader from granting: cards presented are denied.
func (w *World) DisableReader(id ID) error { return w.setReaderEnabled(id, false) }

// SetReaderFault puts a reader in or out of fault (a hardware trouble).
func (w *World) SetReaderFault(id ID, fault bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	r, err := w.reader(id)
	if err != nil {
		return err
	}
	if r.fault == fault {
		return nil
	}
	r.fault = fault
	w.touch(&r.base)
	w.touch(&r.door.base) // EntraPass shows a reader's trouble on its door's row
	t := EventReaderFault
	if !fault {
		t = EventReaderFaultRestore
	}
	w.emit(Event{Type: t, Source: r.id, Kind: KindReader, Door: r.door.id}, r.door.ctrl)
	return nil
}
