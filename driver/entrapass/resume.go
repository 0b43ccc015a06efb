package entrapass

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Resuming after a restart.
//
// A driver process that stops (an upgrade, a reboot of the PSIM host) loses
// its session, and with it SmartService's queue of the events since its
// last poll; those events are then only in the history, exactly as after a
// server outage. Without a memory of where it was, a restarted driver starts
// from its new login and never delivers them. With a state file, it keeps
// its place: the time of the last event delivered, the keys of the events of
// that second (rows have no ids: SPEC §2's key, so an event delivered just
// before the stop is not delivered again), the last time it was in touch
// with the server and the server's offset from UTC. A driver started with
// the file reads the history from there, as after an outage, and delivers
// each event of the gap once.
//
// The file is written after a cycle that delivered events, at most once a
// second, and at Stop: a driver that is killed rather than stopped may
// deliver again the events of its last second.

// resumeVersion is the version of the state file's format.
const resumeVersion = 1

// saveEvery bounds how often the state file is written while events flow.
const saveEvery = time.Second

// WithStateFile keeps the driver's place in the event stream in the file at
// path, so that a driver started again with it delivers, once, the events
// raised while it was stopped. The file is created when missing; one that
// cannot be read is logged as an error and replaced (the driver then starts
// afresh, as without a file).
func WithStateFile(path string) Option { return func(o *options) { o.stateFile = path } }

// resumeState is the state file.
type resumeState struct {
	Version        int           `json:"version"`
	FirstLogin     time.Time     `json:"first_login"`
	LastServerTime time.Time     `json:"last_server_time"`
	Offset         time.Duration `json:"offset_ns"`
	OffsetKnown    bool          `json:"offset_known"`
	LatestEvent    time.Time     `json:"latest_event"`
	// Keys are the events delivered in LatestEvent's second.
	Keys []resumeKey `json:"keys"`
}

// resumeKey is one event key (SPEC §2: UDT, ETXT, P1TXT…P4TXT) and how many
// times it was delivered.
type resumeKey struct {
	UDT   string   `json:"udt"`
	Text  string   `json:"text"`
	P     []string `json:"p"`
	Count uint32   `json:"count"`
}

// ErrStateFile is wrapped by the errors of reading a state file.
var ErrStateFile = errors.New("entrapass: unreadable state file")

// loadResume reads the state file; a missing file is no state and no error.
func loadResume(path string) (*resumeState, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrStateFile, path, err)
	}
	var st resumeState
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrStateFile, path, err)
	}
	if st.Version != resumeVersion {
		return nil, fmt.Errorf("%w %s: version %d, this driver reads version %d", ErrStateFile, path, st.Version, resumeVersion)
	}
	for _, k := range st.Keys {
		if len(k.P) != 4 || k.Count == 0 {
			return nil, fmt.Errorf("%w %s: a key without its four parameters or count", ErrStateFile, path)
		}
	}
	return &st, nil
}

// resume takes the driver's place from a state file read at New: the next
// login is treated as a return after an outage, reading the history from
// the last event delivered.
func (d *Driver) resume(st *resumeState) {
	d.everSynced = true
	d.firstLogin = st.FirstLogin
	if !st.LatestEvent.IsZero() {
		d.firstLogin = st.LatestEvent // older events were delivered before the stop
	}
	d.lastServerTime = st.LastServerTime
	d.offset, d.offsetKnown = st.Offset, st.OffsetKnown
	for _, k := range st.Keys {
		e := Event{UDT: k.UDT, Text: k.Text, P1: k.P[0], P2: k.P[1], P3: k.P[2], P4: k.P[3], Time: st.LatestEvent}
		h := d.events.hash(&e)
		for range k.Count {
			d.events.record(&e, h)
		}
	}
	if d.events.latest.Before(st.LatestEvent) {
		d.events.latest = st.LatestEvent
	}
	d.log.Info("entrapass: resuming from the state file", "last_event", st.LatestEvent, "keys", len(st.Keys))
}

// saveResume writes the state file if events were delivered since the last
// write (or force), atomically: a crash leaves the old file or the new one.
// The caller holds cycleMu.
func (d *Driver) saveResume(force bool) {
	if d.stateFile == "" || !d.everSynced {
		return
	}
	n := d.delivered + d.recovered
	if n == d.savedAt && !force {
		return
	}
	now := time.Now()
	if !force && now.Sub(d.lastSave) < saveEvery {
		return
	}
	st := resumeState{
		Version: resumeVersion, FirstLogin: d.firstLogin, LastServerTime: d.lastServerTime,
		Offset: d.offset, OffsetKnown: d.offsetKnown, LatestEvent: d.events.latest,
	}
	for k, c := range d.events.tail {
		st.Keys = append(st.Keys, resumeKey{UDT: k[0], Text: k[1], P: []string{k[2], k[3], k[4], k[5]}, Count: c})
	}
	if err := writeFileAtomic(d.stateFile, st); err != nil {
		d.log.Error("entrapass: the state file could not be written; a restart may miss or repeat events", "file", d.stateFile, "error", err)
		return
	}
	d.savedAt, d.lastSave = n, now
}

func writeFileAtomic(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
