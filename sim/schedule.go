package sim

import (
	"fmt"
	"strings"
	"time"
)

// Schedule is a compiled weekly schedule: a set of daily intervals on given
// weekdays, evaluated in the site's time zone.
type Schedule struct {
	ID        int
	Name      string
	loc       *time.Location
	intervals []interval
}

type interval struct {
	days       [7]bool // indexed by time.Weekday
	start, end int     // minutes since midnight; end may be 1440
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func compileSchedule(s *ScheduleSpec, loc *time.Location) (*Schedule, error) {
	out := &Schedule{ID: s.ID, Name: s.Name, loc: loc}
	for i, iv := range s.Intervals {
		var c interval
		if len(iv.Days) == 0 {
			return nil, fmt.Errorf("interval %d: days are required (mon…sun or all)", i)
		}
		for _, d := range iv.Days {
			d = strings.ToLower(strings.TrimSpace(d))
			if d == "all" {
				c.days = [7]bool{true, true, true, true, true, true, true}
				continue
			}
			wd, ok := dayNames[d]
			if !ok {
				return nil, fmt.Errorf("interval %d: %q is not a day (mon, tue, wed, thu, fri, sat, sun, all)", i, d)
			}
			c.days[wd] = true
		}
		var err error
		if c.start, err = parseClock(iv.Start); err != nil {
			return nil, fmt.Errorf("interval %d: start: %v", i, err)
		}
		if c.end, err = parseClock(iv.End); err != nil {
			return nil, fmt.Errorf("interval %d: end: %v", i, err)
		}
		if c.end <= c.start {
			return nil, fmt.Errorf("interval %d: end %s is not after start %s", i, iv.End, iv.Start)
		}
		out.intervals = append(out.intervals, c)
	}
	return out, nil
}

// CompileSchedules compiles the site file's schedules, keyed by id.
func (sf *SiteFile) CompileSchedules() map[int]*Schedule {
	loc := sf.Location()
	out := make(map[int]*Schedule, len(sf.Schedules))
	for i := range sf.Schedules {
		if s, err := compileSchedule(&sf.Schedules[i], loc); err == nil {
			out[s.ID] = s
		}
	}
	return out
}

func parseClock(s string) (int, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); n != 2 || err != nil || len(s) != 5 {
		return 0, fmt.Errorf("%q is not a time of day like 08:00", s)
	}
	if h < 0 || m < 0 || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("%q is not between 00:00 and 24:00", s)
	}
	return h*60 + m, nil
}

// Active reports whether t falls within one of the schedule's intervals.
func (s *Schedule) Active(t time.Time) bool {
	t = t.In(s.loc)
	minute := t.Hour()*60 + t.Minute()
	wd := t.Weekday()
	for _, iv := range s.intervals {
		if iv.days[wd] && minute >= iv.start && minute < iv.end {
			return true
		}
	}
	return false
}

// NextChange returns the first instant after t at which Active may change,
// within the next eight days (false if the schedule never changes).
func (s *Schedule) NextChange(t time.Time) (time.Time, bool) {
	t = t.In(s.loc)
	y, mo, dd := t.Date()
	var best time.Time
	for d := 0; d <= 8; d++ {
		wd := time.Date(y, mo, dd+d, 0, 0, 0, 0, s.loc).Weekday()
		for _, iv := range s.intervals {
			if !iv.days[wd] {
				continue
			}
			for _, m := range [2]int{iv.start, iv.end} {
				// The wall-clock time in the zone, not midnight plus m
				// minutes, which is an hour off on a daylight-saving day.
				c := time.Date(y, mo, dd+d, m/60, m%60, 0, 0, s.loc)
				if c.After(t) && (best.IsZero() || c.Before(best)) {
					best = c
				}
			}
		}
		if !best.IsZero() {
			return best, true
		}
	}
	return time.Time{}, false
}
