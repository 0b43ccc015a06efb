package entrapass

import "github.com/pacsim/pacsim/sim"

// The card users a controller was sent (sim.Downloader). A controller cut
// off from the server keeps deciding from the card users it had; the world
// asks the database to Freeze them when the cut begins and Releases them
// when the controller is heard again.
//
// A copy is not a copy of the users, which may be a million: it is an undo
// log. While copies are held, each write first records, for every card
// number it touches, what byCard held for it — once per copy, the first
// time — so a copy finds a card in its log if it changed since, in byCard
// otherwise. It costs nothing while no controller is cut off, and memory in
// proportion to the changes made during a cut. Card users are never
// modified in place (a write indexes a new *cardUser), so the pointers the
// log holds stay as they were.

// copyOf is a controller's copy of the card users.
type copyOf struct {
	db *DB
	// old maps each card number changed since the copy was made to the
	// card user that held it then (nil: none). Guarded by db.mu.
	old map[string]*cardUser
	// base is the byCard the copy reads past old: db.byCard, until a
	// reload replaces that map, which is then kept as it stood. Guarded
	// by db.mu; nil while it is db.byCard.
	base map[string]*cardUser
}

// Freeze returns the card users as they stand now, for a controller that
// is cut off from the server (sim.Downloader).
func (db *DB) Freeze() sim.Frozen {
	db.mu.Lock()
	defer db.mu.Unlock()
	c := &copyOf{db: db, old: map[string]*cardUser{}}
	db.held = append(db.held, c)
	return c
}

// Decide decides as Decide did when the copy was made: the card users of
// then, the access levels and schedules (which never change) and the
// request's time.
func (c *copyOf) Decide(req sim.AccessRequest) sim.Decision {
	db := c.db
	db.mu.RLock()
	defer db.mu.RUnlock()
	u, changed := c.old[req.Card]
	if !changed {
		m := c.base
		if m == nil {
			m = db.byCard
		}
		u = m[req.Card]
	}
	return db.decide(req, u)
}

// Release drops the copy: the controller is heard again and decides from
// the server's card users.
func (c *copyOf) Release() {
	db := c.db
	db.mu.Lock()
	defer db.mu.Unlock()
	for i, h := range db.held {
		if h == c {
			db.held = append(db.held[:i], db.held[i+1:]...)
			break
		}
	}
	c.old, c.base = nil, nil
}

// remember records in every copy held what byCard holds for card n, before
// a write changes it. Called with the write lock.
func (db *DB) remember(n string) {
	for _, c := range db.held {
		if c.base != nil {
			continue // byCard is no longer the copy's base
		}
		if _, ok := c.old[n]; !ok {
			c.old[n] = db.byCard[n]
		}
	}
}

// detachCopies keeps byCard, as it stands, as the base of every copy that
// reads it: a reload is about to replace it. Called with the write lock.
func (db *DB) detachCopies() {
	for _, c := range db.held {
		if c.base == nil {
			c.base = db.byCard
		}
	}
}

// copies returns how many copies controllers hold.
func (db *DB) copies() int {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return len(db.held)
}
