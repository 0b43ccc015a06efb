package sim

import (
	"fmt"
	"strings"
)

// Defaults of the genetec section, applied by Validate.
const (
	DefaultGenetecVersion = "5.12.2.0"
	DefaultGenetecMachine = "PACSIM"
)

// genetec checks the genetec section and fills in its defaults: a file
// without one gets Security Center's defaults (the development and visitor
// applications, both licensed, and the user admin/pacsim) but no groups,
// rules or cardholders. What needs the Web SDK's own vocabulary (credential
// formats) is checked when the head-end loads the section.
func (v *validator) genetec(sf *SiteFile) {
	g := &sf.Genetec
	if g.Version == "" {
		g.Version = DefaultGenetecVersion
	}
	if _, _, err := ParseVersion(g.Version); err != nil {
		v.fail("genetec.version", "%v", err)
	}
	if g.Machine == "" {
		g.Machine = DefaultGenetecMachine
	}
	if g.LicenceParts == nil {
		g.LicenceParts = []string{"GSC-SDK", "GSC-1SDK-TRACTIONGUEST-VM"}
	}
	if g.Applications == nil {
		g.Applications = []GenetecAppSpec{
			{ID: GenetecDevAppID, Part: "GSC-SDK", Name: "Genetec SDK development"},
			{ID: GenetecVisitorsAppID, Part: "GSC-1SDK-TRACTIONGUEST-VM", Name: "pacsim visitors"},
		}
	}
	if g.Users == nil {
		g.Users = []GenetecUserSpec{{Name: "admin", Password: "pacsim"}}
	}
	if g.SessionIdle < 0 {
		v.fail("genetec.session_idle", "must not be negative")
	}
	for i, p := range g.LicenceParts {
		if strings.TrimSpace(p) == "" {
			v.fail(fmt.Sprintf("genetec.licence_parts[%d]", i), "a part number is required")
		}
	}
	apps := map[string]bool{}
	for i, a := range g.Applications {
		p := fmt.Sprintf("genetec.applications[%d]", i)
		switch {
		case a.ID == "":
			v.fail(p+".id", "an application ID is required")
		case strings.ContainsAny(a.ID, ":;"):
			v.fail(p+".id", "%q: an application ID cannot hold ':' or ';' (they separate it in the Basic credentials)", a.ID)
		case apps[a.ID]:
			v.fail(p+".id", "application %q is already defined", a.ID)
		}
		apps[a.ID] = true
		if a.Part == "" {
			v.fail(p+".part", "a licence part number is required")
		}
	}
	users := map[string]bool{}
	for i, u := range g.Users {
		p := fmt.Sprintf("genetec.users[%d]", i)
		switch {
		case u.Name == "":
			v.fail(p+".name", "a name is required")
		case strings.ContainsAny(u.Name, ":;"):
			v.fail(p+".name", "%q: a user name cannot hold ':' or ';'", u.Name)
		case users[strings.ToLower(u.Name)]:
			v.fail(p+".name", "user %q is already defined (names compare case-insensitively)", u.Name)
		}
		users[strings.ToLower(u.Name)] = true
		if u.Password == "" {
			v.fail(p+".password", "a password is required")
		}
	}
	schedules := map[int]bool{}
	for _, s := range sf.Schedules {
		schedules[s.ID] = true
	}
	doors := map[ID]bool{}
	for _, gw := range sf.Gateways {
		for _, s := range gw.Sites {
			for _, c := range s.Controllers {
				for _, d := range c.Doors {
					doors[d.ID] = true
				}
			}
		}
	}
	rules := map[string]bool{}
	for i, r := range g.Rules {
		p := fmt.Sprintf("genetec.rules[%d]", i)
		v.uniqueName(p, "access rule", r.Name, rules)
		if !schedules[r.Schedule] {
			v.fail(p+".schedule", "no schedule has id %d", r.Schedule)
		}
		for j, d := range r.Doors {
			if !doors[d] {
				v.fail(fmt.Sprintf("%s.doors[%d]", p, j), "no door has id %d", d)
			}
		}
	}
	groups := map[string]bool{}
	for i, gr := range g.Groups {
		p := fmt.Sprintf("genetec.groups[%d]", i)
		v.uniqueName(p, "cardholder group", gr.Name, groups)
		for j, r := range gr.Rules {
			if !rules[strings.ToLower(r)] {
				v.fail(fmt.Sprintf("%s.rules[%d]", p, j), "no access rule is named %q", r)
			}
		}
	}
	for i, c := range g.Cardholders {
		p := fmt.Sprintf("genetec.cardholders[%d]", i)
		if strings.TrimSpace(c.FirstName) == "" && strings.TrimSpace(c.LastName) == "" {
			v.fail(p+".first_name", "a first or last name is required")
		}
		switch c.State {
		case "", "active", "inactive":
		default:
			v.fail(p+".state", "%q is not active or inactive", c.State)
		}
		for j, gr := range c.Groups {
			if !groups[strings.ToLower(gr)] {
				v.fail(fmt.Sprintf("%s.groups[%d]", p, j), "no cardholder group is named %q", gr)
			}
		}
		for j, cr := range c.Credentials {
			cp := fmt.Sprintf("%s.credentials[%d]", p, j)
			if cr.Format == "" {
				v.fail(cp+".format", "a format is required (e.g. \"Standard 26 bits\", \"Keypad\")")
			}
			switch cr.State {
			case "", "active", "inactive", "lost", "stolen":
			default:
				v.fail(cp+".state", "%q is not active, inactive, lost or stolen", cr.State)
			}
		}
	}
}

// uniqueName checks that a database name is given and unique, ignoring case.
func (v *validator) uniqueName(path, kind, name string, seen map[string]bool) {
	key := strings.ToLower(strings.TrimSpace(name))
	switch {
	case key == "":
		v.fail(path+".name", "a name is required")
	case seen[key]:
		v.fail(path+".name", "%s %q is already defined (names compare case-insensitively)", kind, name)
	}
	seen[key] = true
}
