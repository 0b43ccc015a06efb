package entrapass

import (
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// DefaultSessionIdle is how long a session lives without a request: the
// operator's "Connection timeout on idle" of 30:00 (and ropelletier's
// "SmartService timeout is ~30 min").
const DefaultSessionIdle = 30 * time.Minute

// session is one login: its operator, when it was last used, and what it
// polls — the components it registered and its place in the journal.
type session struct {
	key string
	op  *operator
	// last is when the session was last used, on the site clock. Guarded
	// by sessionTable.mu.
	last time.Time

	// mu serialises the session's polls: the cursor is not safe for
	// concurrent use and a client may poll twice at once.
	mu sync.Mutex
	// cursor reads the journal from the login on: the session's event
	// queue is its position in the one journal, not a copy.
	cursor *sim.Cursor
	// registered are the components of PUT ComponentsStates, in order.
	registered []sim.ID
	// kinds are the kinds of registered, in the same order: looked up
	// once, not at every poll (a full poll of a large site is 100,000
	// lookups in a map of half a million components).
	kinds []sim.Kind
	// watch is registered plus the readers of registered doors: a
	// reader's state shows on its door's row.
	watch []sim.ID
}

// sessionTable holds the open sessions.
type sessionTable struct {
	idle time.Duration

	mu    sync.Mutex
	byKey map[string]*session
	// programs are the ConnectedProgram GUIDs already used (the most
	// recent MaxProgramGUIDs): the Airflow client pops a one-time program
	// key per login, so a GUID is a nonce.
	programs *nonces
}

func newSessionTable(idle time.Duration) *sessionTable {
	return &sessionTable{idle: idle, byKey: map[string]*session{}, programs: newNonces(MaxProgramGUIDs)}
}

// expired reports whether s has been idle for the whole timeout at now.
func (t *sessionTable) expired(s *session, now time.Time) bool {
	return now.Sub(s.last) >= t.idle
}

// get returns the live session of key and marks it used at now. An
// unknown, expired or logged-out key is the Invalid SessionKey fault.
func (t *sessionTable) get(key string, now time.Time) (*session, *wire.Fault) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.byKey[strings.ToLower(strings.TrimSpace(key))]
	if !ok {
		return nil, wire.InvalidSessionKey()
	}
	if t.expired(s, now) {
		delete(t.byKey, s.key)
		return nil, wire.InvalidSessionKey()
	}
	if now.After(s.last) {
		s.last = now
	}
	return s, nil
}

// open creates a session for op, unless op already has as many live
// sessions as allowed (Error 72) or guid was already used. The GUID is
// recorded only when the login succeeds, so a client refused for its
// session limit may retry with the same program key.
func (t *sessionTable) open(op *operator, guid string, now time.Time, cursor *sim.Cursor) (*session, *wire.Fault) {
	guid = strings.ToLower(guid)
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for k, s := range t.byKey {
		if t.expired(s, now) {
			delete(t.byKey, k)
			continue
		}
		if s.op == op {
			n++
		}
	}
	if guid != "" && t.programs.has(guid) {
		return nil, wire.UnknownWebSDKID("The ConnectedProgram GUID was already used; send a new GUID at every login.")
	}
	if n >= op.maxSessions {
		return nil, wire.Error72()
	}
	s := &session{key: newGUID(), op: op, last: now, cursor: cursor}
	t.byKey[s.key] = s
	if guid != "" {
		t.programs.add(guid)
	}
	return s, nil
}

// close ends the session of key; it reports whether there was a live one.
func (t *sessionTable) close(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.byKey[strings.ToLower(strings.TrimSpace(key))]
	if !ok {
		return false
	}
	delete(t.byKey, s.key)
	return !t.expired(s, now)
}

// closeAll ends every session and returns how many there were.
func (t *sessionTable) closeAll() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(t.byKey)
	clear(t.byKey)
	return n
}

// reset ends every session and forgets the used GUIDs, for a reset of
// the site: the head-end is back at its start.
func (t *sessionTable) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	clear(t.byKey)
	t.programs.clear()
}

// live counts the sessions not yet expired at now.
func (t *sessionTable) live(now time.Time) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, s := range t.byKey {
		if !t.expired(s, now) {
			n++
		}
	}
	return n
}

// newGUID returns a random (version 4) GUID in the lower-case form .NET's
// Guid.ToString() writes, the shape of a real SessionKey.
func newGUID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// keys lists the session keys open now.
func (t *sessionTable) keys() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]string, 0, len(t.byKey))
	for k := range t.byKey {
		out = append(out, k)
	}
	return out
}
