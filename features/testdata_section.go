package features

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pacsim/pacsim/sim"
)

// testData renders the default site as a scenario writer needs it: what
// "Given the default site" builds — its hardware by name, readers with a
// keypad, schedules, card types, access levels and every card user with
// their cards, states, PIN and validity — from the embedded site file
// itself, so the section cannot drift from what the steps build.
func testData() string {
	sf := sim.DefaultSite()
	var b strings.Builder
	b.WriteString("\n## Test data: the default site\n\n")
	fmt.Fprintf(&b, "What `Given the default site` builds (`sim/sites/default.yaml`, rendered from it). Site clock: starts %s\n", sf.StartTime().Format("Monday 2006-01-02 15:04:05 MST"))
	b.WriteString("(manual: it moves only when a step moves it). Names are as steps write them.\n")

	b.WriteString("\n### Hardware\n\n| gateway | site | controller (model) | doors (readers; ⌨ keypad) | inputs | outputs |\n|---|---|---|---|---|---|\n")
	for _, g := range sf.Gateways {
		for _, s := range g.Sites {
			for _, c := range s.Controllers {
				var doors, ins, outs []string
				for _, d := range c.Doors {
					var rs []string
					for _, r := range d.Readers {
						n := fmt.Sprintf("%q %d", r.Name, r.ID)
						if r.Keypad {
							n += " ⌨"
						}
						rs = append(rs, n)
					}
					doors = append(doors, fmt.Sprintf("%q %d (%s)", d.Name, d.ID, strings.Join(rs, ", ")))
				}
				for _, i := range c.Inputs {
					ins = append(ins, fmt.Sprintf("%q %d", i.Name, i.ID))
				}
				for _, o := range c.Outputs {
					outs = append(outs, fmt.Sprintf("%q %d", o.Name, o.ID))
				}
				fmt.Fprintf(&b, "| %q %d | %q %d | %q %d (%s) | %s | %s | %s |\n", g.Name, g.ID, s.Name, s.ID, c.Name, c.ID, c.Model,
					strings.Join(doors, "; "), strings.Join(ins, ", "), strings.Join(outs, ", "))
			}
		}
	}
	b.WriteString("\n### Door timings\n\n| door | unlock time (a grant, if nobody opens) | open time (then Held Open) | pre-alarm before it | unlocked by schedule |\n|---|---|---|---|---|\n")
	for _, g := range sf.Gateways {
		for _, s := range g.Sites {
			for _, c := range s.Controllers {
				for _, d := range c.Doors {
					unlock, open, pre := d.UnlockTime.D(), d.OpenTime.D(), d.Prealarm.D()
					if unlock == 0 {
						unlock = sim.DefaultUnlockTime
					}
					if open == 0 {
						open = sim.DefaultOpenTime
					}
					if pre == 0 {
						pre = min(sim.DefaultPrealarm, open/2)
					}
					sched := "no"
					for _, sc := range sf.Schedules {
						if d.UnlockSchedule != 0 && sc.ID == d.UnlockSchedule {
							sched = fmt.Sprintf("%q", sc.Name)
						}
					}
					fmt.Fprintf(&b, "| %q | %s | %s | %s | %s |\n", d.Name, unlock, open, pre, sched)
				}
			}
		}
	}

	b.WriteString("\n### Schedules\n\n| id | name | active |\n|---|---|---|\n")
	for _, s := range sf.Schedules {
		var iv []string
		for _, i := range s.Intervals {
			iv = append(iv, fmt.Sprintf("%s %s–%s", strings.Join(i.Days, ","), i.Start, i.End))
		}
		fmt.Fprintf(&b, "| %d | %q | %s |\n", s.ID, s.Name, strings.Join(iv, "; "))
	}

	cardTypes := map[int]string{}
	b.WriteString("\n### Card types\n\n| id | name |\n|---|---|\n")
	for _, c := range sf.CardTypes {
		cardTypes[c.ID] = c.Name
		fmt.Fprintf(&b, "| %d | %q |\n", c.ID, c.Name)
	}

	doorName, siteName, schedName := map[sim.ID]string{}, map[sim.ID]string{}, map[int]string{}
	for _, g := range sf.Gateways {
		for _, s := range g.Sites {
			siteName[s.ID] = s.Name
			for _, c := range s.Controllers {
				for _, d := range c.Doors {
					doorName[d.ID] = d.Name
				}
			}
		}
	}
	for _, s := range sf.Schedules {
		schedName[s.ID] = s.Name
	}
	levelName := map[int]string{}
	b.WriteString("\n### Access levels (one per site per card user)\n\n| id | name | site | doors (during schedule) | card types |\n|---|---|---|---|---|\n")
	for _, l := range sf.AccessLevels {
		levelName[l.ID] = fmt.Sprintf("%s (%s)", l.Name, siteName[l.Site])
		var ds []string
		for _, d := range l.Doors {
			ds = append(ds, fmt.Sprintf("%s (%s)", doorName[d.Door], schedName[d.Schedule]))
		}
		cts := "any"
		if len(l.CardTypes) > 0 {
			var n []string
			for _, c := range l.CardTypes {
				n = append(n, cardTypes[c])
			}
			cts = strings.Join(n, ", ")
		}
		fmt.Fprintf(&b, "| %d | %q | %q | %s | %s |\n", l.ID, l.Name, siteName[l.Site], strings.Join(ds, ", "), cts)
	}

	b.WriteString("\n### Card users\n\nThe EntraPass database's (Security Center's own cardholders and credentials are in SITEFILE.md,\n`genetec`). Card state as the card-user step reads it (`Valid`, `Invalid`, `StolenLost`); a card whose user's\n")
	b.WriteString("validity has not begun or has ended is denied `card-not-yet-valid` / `card-expired`.\n\n")
	b.WriteString("| card | card type | state | card user | PIN | access levels | valid | badge layout |\n|---|---|---|---|---|---|---|---|\n")
	for _, u := range sf.Users {
		var ls []string
		for _, l := range u.AccessLevels {
			ls = append(ls, levelName[l])
		}
		slices.Sort(ls)
		levels := strings.Join(ls, ", ")
		if levels == "" {
			levels = "none"
		}
		pin := ""
		if u.PIN != "" {
			pin = u.PIN
		}
		valid := ""
		switch {
		case u.Start != "" && u.End != "":
			valid = u.Start + " to " + u.End
		case u.Start != "":
			valid = "from " + u.Start
		case u.End != "":
			valid = "until " + u.End
		}
		for _, c := range u.Cards {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %d |\n", c.Number, cardTypes[c.Type], cardStateWord(c.State), u.Name, pin, levels, valid, u.Badging)
		}
	}
	b.WriteString("\nA card number no one holds (`100:9999`) is denied `unknown-card`.\n")
	return b.String()
}

// cardStateWord is a card's state as the card-user view shows it.
func cardStateWord(s string) string {
	switch s {
	case "", "valid":
		return "Valid"
	case "invalid":
		return "Invalid"
	case "lost-stolen":
		return "StolenLost"
	}
	return s
}
