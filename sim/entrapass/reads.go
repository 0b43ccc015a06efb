package entrapass

import (
	"fmt"
	"strings"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// gatewaysSites answers GET GatewaysSites: the sites (EntraPass
// "gateway sites"), each owned by its gateway. Gateways themselves are not
// listed: clients (Airflow) take every entry's ID as a GatewaySiteID for
// card access levels.
func (s *Server) gatewaysSites(c *call) ([]byte, *wire.Fault) {
	items := make([]wire.Light, 0, len(s.topo.sites))
	for _, st := range s.topo.sites {
		items = append(items, wire.Light{ID: int(st.ID), Description: st.Name, Owner: int(st.Gateway)})
	}
	c.list = true
	return wire.WriteLight(c.scratch(), wire.LightGatewaySite, items), nil
}

// site reads the {id} of a Sites/{id}/… path: a site, else
// COMPONENT_NOT_EXIST.
func (s *Server) site(c *call) (sim.ID, *wire.Fault) {
	id, f := c.pathID()
	if f != nil {
		return 0, f
	}
	if _, ok := s.topo.siteByID[sim.ID(id)]; !ok {
		return 0, wire.ComponentNotExist(fmt.Sprint(id))
	}
	return sim.ID(id), nil
}

// siteRelays answers GET Sites/{id}/Relays: the outputs of the site's
// controllers.
func (s *Server) siteRelays(c *call) ([]byte, *wire.Fault) {
	site, f := s.site(c)
	if f != nil {
		return nil, f
	}
	var items []wire.Light
	for _, o := range s.topo.outputs {
		if s.topo.controllers[o.Controller].Site == site {
			items = append(items, wire.Light{ID: int(o.ID), Description: o.Name, Owner: int(site)})
		}
	}
	c.list = true
	return wire.WriteLight(c.scratch(), wire.LightRelay, items), nil
}

// siteInputs answers GET Sites/{id}/Inputs.
func (s *Server) siteInputs(c *call) ([]byte, *wire.Fault) {
	site, f := s.site(c)
	if f != nil {
		return nil, f
	}
	var items []wire.Light
	for _, in := range s.topo.inputs {
		if s.topo.controllers[in.Controller].Site == site {
			items = append(items, wire.Light{ID: int(in.ID), Description: in.Name, Owner: int(site)})
		}
	}
	c.list = true
	return wire.WriteLight(c.scratch(), wire.LightInput, items), nil
}

// siteAccessLevels answers GET Sites/{id}/AccessLevels.
func (s *Server) siteAccessLevels(c *call) ([]byte, *wire.Fault) {
	site, f := s.site(c)
	if f != nil {
		return nil, f
	}
	return s.levelList(c, site), nil
}

// accessLevels answers GET AccessLevels: every access level, Owner the site.
func (s *Server) accessLevels(c *call) ([]byte, *wire.Fault) {
	return s.levelList(c, 0), nil
}

func (s *Server) levelList(c *call, site sim.ID) []byte {
	levels := s.db.levelsOfSite(site)
	items := make([]wire.Light, 0, len(levels))
	for _, l := range levels {
		items = append(items, wire.Light{ID: l.id, Description: l.name, Owner: int(l.site)})
	}
	c.list = true
	return wire.WriteLight(c.scratch(), wire.LightAccessLevel, items)
}

// siteSchedules answers GET Sites/{id}/Schedules: the site's schedules and
// those of no site (Owner 0), which every site may use.
func (s *Server) siteSchedules(c *call) ([]byte, *wire.Fault) {
	site, f := s.site(c)
	if f != nil {
		return nil, f
	}
	scheds := s.db.schedulesOfSite(site)
	items := make([]wire.Light, 0, len(scheds))
	for _, sc := range scheds {
		items = append(items, wire.Light{ID: sc.id, Description: sc.name, Owner: int(sc.site)})
	}
	c.list = true
	return wire.WriteLight(c.scratch(), wire.LightSchedule, items), nil
}

// accessLevel answers GET AccessLevels/{id} with the <AccessLevel> shape
// ropelletier's client writes and the GO app reads: GatewaySiteID,
// AllValid, PrimaryName, SecondaryName, AccessLevelItems of DoorID and
// ScheduleID. ID first and State last, as in <Card>, is our reading.
func (s *Server) accessLevel(c *call) ([]byte, *wire.Fault) {
	id, f := c.pathID()
	if f != nil {
		return nil, f
	}
	l, ok := s.db.levelByID[id]
	if !ok {
		return nil, wire.ComponentNotExist(fmt.Sprint(id))
	}
	buf := append(c.scratch(), "<AccessLevel>"...)
	buf = appendIntElem(buf, "ID", int64(l.id))
	buf = appendIntElem(buf, "GatewaySiteID", int64(l.site))
	buf = appendBoolElem(buf, "AllValid", false)
	buf = appendElem(buf, "PrimaryName", l.name)
	buf = appendElem(buf, "SecondaryName", "")
	buf = append(buf, "<AccessLevelItems>"...)
	for _, d := range l.doors {
		buf = append(buf, "<AccessLevelItem>"...)
		buf = appendIntElem(buf, "DoorID", int64(d.door))
		buf = appendIntElem(buf, "ScheduleID", int64(d.schedule))
		buf = append(buf, "</AccessLevelItem>"...)
	}
	buf = append(buf, "</AccessLevelItems>"...)
	buf = appendElem(buf, "State", string(wire.Unchanged))
	return append(buf, "</AccessLevel>"...), nil
}

// getListOwnerBy answers GET GetListOwnerBy?ownerID=&componentID=door, the
// GO app's door list: rows PKDATA, DESCRIPTION, KTTYPE of the doors owned
// by a site (or by every site of a gateway; all doors when ownerID is
// absent or 0). Only componentID=door is known here.
func (s *Server) getListOwnerBy(c *call) ([]byte, *wire.Fault) {
	comp, ok := c.q.get("componentid")
	if !ok || strings.TrimSpace(comp) == "" {
		return nil, wire.InvalidParameter("componentID", "is required (door)")
	}
	if !strings.EqualFold(strings.TrimSpace(comp), "door") {
		return nil, wire.InvalidParameter("componentID", fmt.Sprintf("%q is not a component type this server lists (door)", clip(comp)))
	}
	owner := 0
	if v, ok := c.q.get("ownerid"); ok && strings.TrimSpace(v) != "" {
		var f *wire.Fault
		if owner, f = parseID("ownerID", v); f != nil {
			return nil, f
		}
	}
	match := func(d *doorInfo) bool { return true }
	switch k := s.topo.kinds[sim.ID(owner)]; {
	case owner == 0:
	case k == sim.KindSite:
		match = func(d *doorInfo) bool { return d.site == sim.ID(owner) }
	case k == sim.KindGateway:
		match = func(d *doorInfo) bool { return s.topo.siteByID[d.site].Gateway == sim.ID(owner) }
	default:
		return nil, wire.ComponentNotExist(fmt.Sprint(owner))
	}
	return s.doorRows(c, match), nil
}

// doors answers GET Doors: every door, rows as GetListOwnerBy.
func (s *Server) doors(c *call) ([]byte, *wire.Fault) {
	return s.doorRows(c, func(*doorInfo) bool { return true }), nil
}

func (s *Server) doorRows(c *call, match func(*doorInfo) bool) []byte {
	rw := c.rows()
	for i := range s.topo.doors {
		d := &s.topo.doors[i]
		if !match(d) {
			continue
		}
		rw.Row()
		rw.ItemInt("PKDATA", int64(d.id))
		rw.Item("DESCRIPTION", d.name)
		rw.Item("KTTYPE", d.kttype)
		rw.EndRow()
	}
	return rw.End()
}

// door answers GET Doors/{id} with a <Door>: the fields of the reference's
// Doors/{id} list that the simulated world has (ID, KTType, DoorLockMode,
// UnlockTime, OpenTime, FKUnlockSchedule), plus Description, the
// controller and the site, which a client needs to place the door.
// Times are in seconds. Which fields and in what order is our reading.
func (s *Server) door(c *call) ([]byte, *wire.Fault) {
	id, f := c.pathID()
	if f != nil {
		return nil, f
	}
	d, ok := s.topo.doorByID[sim.ID(id)]
	if !ok {
		return nil, wire.ComponentNotExist(fmt.Sprint(id))
	}
	buf := append(c.scratch(), "<Door>"...)
	buf = appendIntElem(buf, "ID", int64(d.id))
	buf = appendElem(buf, "Description", d.name)
	buf = appendElem(buf, "Description2", "")
	buf = appendElem(buf, "KTType", d.kttype)
	buf = appendIntElem(buf, "GatewaySiteID", int64(d.site))
	buf = appendIntElem(buf, "FKController", int64(d.controller))
	buf = appendIntElem(buf, "DoorLockMode", 0)
	var unlock, open, sched int64
	if d.spec != nil {
		unlock = int64(d.spec.UnlockTime.D().Seconds())
		open = int64(d.spec.OpenTime.D().Seconds())
		sched = int64(d.spec.UnlockSchedule)
	}
	buf = appendIntElem(buf, "UnlockTime", unlock)
	buf = appendIntElem(buf, "OpenTime", open)
	buf = appendIntElem(buf, "FKUnlockSchedule", sched)
	buf = appendElem(buf, "State", string(wire.Unchanged))
	return append(buf, "</Door>"...), nil
}

// cardTypes answers GET CardTypes: rows PKDATA, OWNER, DESCRIPTION (the
// Airflow client reads items 0 and 2). Card types belong to no site: OWNER
// is 0.
func (s *Server) cardTypes(c *call) ([]byte, *wire.Fault) {
	rw := c.rows()
	for _, ct := range s.db.cardTypes {
		rw.Row()
		rw.ItemInt("PKDATA", int64(ct.id))
		rw.ItemInt("OWNER", 0)
		rw.Item("DESCRIPTION", ct.name)
		rw.EndRow()
	}
	return rw.End(), nil
}

// componentFullStatus answers GET ComponentFullStatus/{id}: the component's
// state as lines of text, <LineStatus><Status>…</Status></LineStatus>, which
// is what planqr reads (.//LineStatus/Status). The document element and the
// wording of the lines are our reading.
func (s *Server) componentFullStatus(c *call) ([]byte, *wire.Fault) {
	id, f := c.pathID()
	if f != nil {
		return nil, f
	}
	lines, ok := s.statusLines(sim.ID(id))
	if !ok {
		return nil, wire.ComponentNotExist(fmt.Sprint(id))
	}
	buf := append(c.scratch(), `<ArrayOfLineStatus xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">`...)
	for _, l := range lines {
		buf = append(buf, "<LineStatus>"...)
		buf = appendElem(buf, "Status", l)
		buf = append(buf, "</LineStatus>"...)
	}
	c.list = true
	return append(buf, "</ArrayOfLineStatus>"...), nil
}

// statusLines describes a component's state in words.
func (s *Server) statusLines(id sim.ID) ([]string, bool) {
	w := s.world
	onOff := func(b bool, yes, no string) string {
		if b {
			return yes
		}
		return no
	}
	ctrlLine := func(ctrl sim.ID) string {
		cs, err := w.Controller(ctrl)
		switch {
		case err != nil:
			return "Controller: unknown"
		case !cs.Reachable:
			return fmt.Sprintf("Controller %s: communication failure", cs.Name)
		case cs.Fault:
			return fmt.Sprintf("Controller %s: fault", cs.Name)
		}
		return fmt.Sprintf("Controller %s: online", cs.Name)
	}
	switch s.topo.kinds[id] {
	case sim.KindGateway:
		g, err := w.Gateway(id)
		if err != nil {
			return nil, false
		}
		return []string{"Gateway " + g.Name, onOff(g.Connected, "Connected", "Disconnected")}, true
	case sim.KindSite:
		st := s.topo.siteByID[id]
		g, err := w.Gateway(st.Gateway)
		if err != nil {
			return nil, false
		}
		return []string{"Site " + st.Name, "Gateway " + g.Name + ": " + onOff(g.Connected, "connected", "disconnected")}, true
	case sim.KindController:
		cs, err := w.Controller(id)
		if err != nil {
			return nil, false
		}
		return []string{"Controller " + cs.Name, "Model " + cs.Model, ctrlLine(id)}, true
	case sim.KindDoor:
		ds, err := w.Door(id)
		if err != nil {
			return nil, false
		}
		lines := []string{"Door " + ds.Name, "Lock: " + string(ds.Lock), "Contact: " + string(ds.Contact)}
		for _, r := range ds.Readers {
			if rs, err := w.Reader(r); err == nil {
				lines = append(lines, fmt.Sprintf("Reader %s: %s%s", rs.Name, onOff(rs.Enabled, "enabled", "disabled"), onOff(rs.Fault, ", in fault", "")))
			}
		}
		return append(lines, ctrlLine(ds.Controller)), true
	case sim.KindReader:
		rs, err := w.Reader(id)
		if err != nil {
			return nil, false
		}
		return []string{"Reader " + rs.Name, onOff(rs.Enabled, "Enabled", "Disabled"), onOff(rs.Fault, "Fault", "No fault")}, true
	case sim.KindInput:
		in, err := w.Input(id)
		if err != nil {
			return nil, false
		}
		return []string{"Input " + in.Name, "State: " + in.State, onOff(in.Tamper, "Tamper", "No tamper"),
			onOff(in.Trouble, "Trouble", "No trouble"), onOff(in.Shunted, "Not supervised", "Supervised"), ctrlLine(in.Controller)}, true
	case sim.KindOutput:
		o, err := w.Output(id)
		if err != nil {
			return nil, false
		}
		return []string{"Relay " + o.Name, onOff(o.Active, "Active", "Inactive"), onOff(o.Fault, "Output controller fault", "No fault"), ctrlLine(o.Controller)}, true
	}
	return nil, false
}
