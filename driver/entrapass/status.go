package entrapass

import (
	"strconv"
	"strings"

	"github.com/pacsim/pacsim/driver/asset"
)

// The status table from the wire (SPEC §6). A state row
// (ComponentsStatesByStatusId) gives each asset its set of true statuses;
// the asset package decides what shows.
//
//	any               server unreachable, login refused, session lost  → No Communication (driver.go)
//	Door, Reader,     CONTROLLERFAILURE=1 or CONTROLLEREXIST=0         → No Communication
//	  Input           (DOOREXIST=0 / INPUTEXIST=0, our reading, too)
//	Output            the same                                        → Controller Fault
//	Door              OPENSTATE FORCED / OPENTOOLONG                  → Forced Open / Held Open
//	Door              OPENSTATE not CLOSE, or LOCKSTATE UNLOCK*,      → Unsecure
//	                  ONETIMEACCESS
//	Door              OPENSTATE CLOSE and LOCKSTATE locked            → Secure
//	Door, Reader,     TROUBLE=1 (a reader reads its door's row; a     → Fault
//	  Input             controller in hardware fault sets it on every
//	                    row of its components: never No Communication)
//	Output            TROUBLE=1 on its relay row (its own trouble)    → Fault
//	                  (its controller in hardware fault: the relay row's
//	                  CONTROLLERFAILURE, so Controller Fault)
//	Reader            READERDISABLE 1 / 0                             → Disabled / Enabled
//	Output            RELAYEXIST 1 (0: No Communication, our reading) → Present; STATE → property
//	Input             STATE 1 / 0; TAMPER=1                           → Active / Inactive; Tamper
//	System            any row with CONTROLLERFAILURE=1 or             → Fault
//	                  CONTROLLEREXIST=0 (a controller cut off, a
//	                  gateway disconnected), a controller row with
//	                  TROUBLE=1 (in hardware fault), or a door,
//	                  reader or input holding Fault (SPEC §6: "an
//	                  issue detected in a connected asset")

// flag reads a 0/1 key: on is "1" (or True), known is whether the key was
// there with a value.
func flag(r Row, key string) (on, known bool) {
	v, ok := r.Get(key)
	v = strings.TrimSpace(v)
	if !ok || v == "" {
		return false, false
	}
	return v == "1" || strings.EqualFold(v, "true"), true
}

// isOn reports a key that is 1.
func isOn(r Row, key string) bool {
	on, _ := flag(r, key)
	return on
}

// isOff reports a key that is present and 0.
func isOff(r Row, key string) bool {
	on, known := flag(r, key)
	return known && !on
}

// lostController reports a row whose controller cannot report:
// CONTROLLERFAILURE=1 or CONTROLLEREXIST=0.
func lostController(r Row) bool {
	return isOn(r, "CONTROLLERFAILURE") || isOff(r, "CONTROLLEREXIST")
}

// doorStatuses maps a door's row to the door's statuses.
func doorStatuses(r Row) []asset.Status {
	if lostController(r) || isOff(r, "DOOREXIST") {
		return []asset.Status{asset.NoCommunication}
	}
	var st []asset.Status
	open := strings.ToUpper(r.Value("OPENSTATE"))
	lock := strings.ToUpper(r.Value("LOCKSTATE"))
	switch open {
	case "FORCED":
		st = append(st, asset.ForcedOpen)
	case "OPENTOOLONG":
		st = append(st, asset.HeldOpen)
	}
	unlocked := strings.HasPrefix(lock, "UNLOCK") || lock == "ONETIMEACCESS"
	switch {
	case open != "" && open != "CLOSE" || unlocked:
		st = append(st, asset.Unsecure)
	case open == "CLOSE" && lock != "":
		st = append(st, asset.Secure)
	}
	if isOn(r, "TROUBLE") {
		st = append(st, asset.Fault)
	}
	return st
}

// readerStatuses maps a door's row to the statuses of its (first) reader.
func readerStatuses(r Row) []asset.Status {
	if lostController(r) || isOff(r, "DOOREXIST") {
		return []asset.Status{asset.NoCommunication}
	}
	var st []asset.Status
	if on, known := flag(r, "READERDISABLE"); known {
		if on {
			st = append(st, asset.Disabled)
		} else {
			st = append(st, asset.Enabled)
		}
	}
	if isOn(r, "TROUBLE") {
		st = append(st, asset.Fault)
	}
	return st
}

// outputStatuses maps a relay's row to the output's statuses.
func outputStatuses(r Row) []asset.Status {
	var st []asset.Status
	if lostController(r) {
		st = append(st, asset.ControllerFault)
	}
	if on, known := flag(r, "RELAYEXIST"); known {
		if on {
			st = append(st, asset.Present)
		} else if len(st) == 0 {
			st = append(st, asset.NoCommunication)
		}
	}
	if isOn(r, "TROUBLE") {
		st = append(st, asset.Fault)
	}
	return st
}

// inputStatuses maps an input's row to the input's statuses.
func inputStatuses(r Row) []asset.Status {
	if lostController(r) || isOff(r, "INPUTEXIST") {
		return []asset.Status{asset.NoCommunication}
	}
	var st []asset.Status
	// STATE: 0 at rest, 1 in alarm (SPEC §2, our reading); any other
	// non-zero value is taken as in alarm.
	if v := r.Value("STATE"); v != "" {
		if v == "0" || strings.EqualFold(v, "false") {
			st = append(st, asset.Inactive)
		} else {
			st = append(st, asset.Active)
		}
	}
	if isOn(r, "TAMPER") {
		st = append(st, asset.Tamper)
	}
	if isOn(r, "TROUBLE") {
		st = append(st, asset.Fault)
	}
	return st
}

// boolProp renders a flag as a property value ("" when the key is absent,
// which removes the property).
func boolProp(r Row, key string) string {
	on, known := flag(r, key)
	if !known {
		return ""
	}
	return strconv.FormatBool(on)
}

// setAsset replaces an asset's true statuses and sets properties.
func setAsset(reg *asset.Registry, ref asset.Ref, st []asset.Status, props ...string) error {
	return reg.Update(ref, func(a *asset.Asset) error {
		if err := a.SetHardware(st...); err != nil {
			return err
		}
		for i := 0; i+1 < len(props); i += 2 {
			if err := a.SetProperty(props[i], props[i+1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// applyStates applies state rows to the assets and the System; it returns
// the highest STATUSID seen (0 when none).
func (d *Driver) applyStates(rows []Row) uint64 {
	var top uint64
	for _, r := range rows {
		if v, err := strconv.ParseUint(r.Value("STATUSID"), 10, 64); err == nil && v > top {
			top = v
		}
		id, ok := atoi(r.Value("UNIQUEID"))
		if !ok {
			d.log.Warn("entrapass: a state row without a UNIQUEID was ignored")
			continue
		}
		// The System rolls up any issue of a connected asset: a controller
		// or gateway lost or in fault, a door, reader or input in Fault
		// (TROUBLE on a relay row is the output's, which does not count).
		d.failed[id] = lostController(r) || isOn(r, "TROUBLE") && d.topo.kindOf(id) != kindOutput
		var err error
		switch d.topo.kindOf(id) {
		case kindDoor:
			err = setAsset(d.reg, asset.Ref{Type: asset.Door, ID: id}, doorStatuses(r),
				PropUnlockedTemp, capBool(boolProp(r, "UNLOCKTEMPO")))
			if err == nil {
				err = setAsset(d.reg, asset.Ref{Type: asset.Reader, ID: id}, readerStatuses(r),
					PropReader2Disabled, capBool(boolProp(r, "READERDISABLE2")))
			}
		case kindOutput:
			err = setAsset(d.reg, asset.Ref{Type: asset.Output, ID: id}, outputStatuses(r),
				PropActive, capBool(boolProp(r, "STATE")), PropTemporary, capBool(boolProp(r, "ACTIVATETEMPO")))
		case kindInput:
			shunted := ""
			if v := r.Value("SHUNTEDBY"); v != "" {
				shunted = capBool(strconv.FormatBool(v != "0"))
			}
			err = setAsset(d.reg, asset.Ref{Type: asset.Input, ID: id}, inputStatuses(r), PropShunted, shunted)
		case kindGateway, kindController, kindSite:
		default:
			d.log.Debug("entrapass: a state row of an unknown component was ignored", "id", id)
		}
		if err != nil {
			d.log.Warn("entrapass: a state row could not be applied", "id", id, "error", err)
		}
	}
	d.updateSystem()
	return top
}

// capBool writes a property boolean as .NET does (True/False).
func capBool(s string) string {
	switch s {
	case "true":
		return "True"
	case "false":
		return "False"
	}
	return s
}

// updateSystem sets the System asset: Fault while any controller or
// gateway is lost or in fault, or any door, reader or input holds Fault;
// nothing (Normal) otherwise.
func (d *Driver) updateSystem() {
	var st []asset.Status
	for _, f := range d.failed {
		if f {
			st = append(st, asset.Fault)
			break
		}
	}
	if err := setAsset(d.reg, asset.SystemRef, st); err != nil {
		d.log.Warn("entrapass: the System status could not be set", "error", err)
	}
}
