package genetec

import (
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultSessionIdle is how long a Web SDK session lives without a request
// (reference §1.6: "expires after 5 minutes of inactivity").
const DefaultSessionIdle = 5 * time.Minute

// maxSessions bounds the session table: one per user and application, so
// only a site file with very many users could fill it.
const maxSessions = 10000

// session is a user's connection through one application: the event
// subscriptions and open streams live in it, and go with it when it idles
// out or is expired.
type session struct {
	key  string // user + ";" + application
	user string // user GUID
	app  string
	last time.Time // site time of its last request
	subs atomic.Pointer[[]subscription]
	// streams are the open event streams, closed with the session.
	streams map[string]*stream
}

type sessionTable struct {
	mu   sync.Mutex
	idle time.Duration
	m    map[string]*session
}

func newSessionTable(idle time.Duration) *sessionTable {
	return &sessionTable{idle: idle, m: map[string]*session{}}
}

// touch returns the live session of user and app, opening a new one when
// there is none or it idled out (the old one's subscriptions and streams
// end with it: a client must subscribe again).
func (t *sessionTable) touch(userGUID, userName, app string, now time.Time) *session {
	key := strings.ToLower(userName) + ";" + app
	t.mu.Lock()
	defer t.mu.Unlock()
	if s, ok := t.m[key]; ok {
		if now.Sub(s.last) < t.idle {
			s.last = now
			return s
		}
		s.closeStreams()
		delete(t.m, key)
	}
	if len(t.m) >= maxSessions {
		t.sweep(now)
	}
	s := &session{key: key, user: userGUID, app: app, last: now, streams: map[string]*stream{}}
	empty := []subscription{}
	s.subs.Store(&empty)
	t.m[key] = s
	return s
}

// sweep drops idle sessions. Called locked.
func (t *sessionTable) sweep(now time.Time) {
	for k, s := range t.m {
		if now.Sub(s.last) >= t.idle {
			s.closeStreams()
			delete(t.m, k)
		}
	}
}

// closeAll ends every session and returns how many there were.
func (t *sessionTable) closeAll() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(t.m)
	for k, s := range t.m {
		s.closeStreams()
		delete(t.m, k)
	}
	return n
}

// live counts the sessions not idle at now.
func (t *sessionTable) live(now time.Time) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, s := range t.m {
		if now.Sub(s.last) < t.idle {
			n++
		}
	}
	return n
}

// addStream registers an open stream in its session.
func (t *sessionTable) addStream(s *session, st *stream) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s.streams[st.id] = st
}

func (t *sessionTable) removeStream(s *session, id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(s.streams, id)
}

// findStream finds an open stream of session s by connection id.
func (t *sessionTable) findStream(s *session, id string) *stream {
	t.mu.Lock()
	defer t.mu.Unlock()
	return s.streams[id]
}

// closeStreams ends the session's open streams. Called with the table locked.
func (s *session) closeStreams() {
	for id, st := range s.streams {
		st.close()
		delete(s.streams, id)
	}
}
