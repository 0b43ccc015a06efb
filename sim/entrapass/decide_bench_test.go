package entrapass

import (
	"testing"

	"github.com/pacsim/pacsim/sim"
)

// BenchmarkDecide is the SmartService decision of a presentation, the
// head-end's part of the event path, for card users as the site file has
// them (read through their UserSpec) and as SmartService stores a written
// one:
//
//	go test -run='^$' -bench=Decide -benchmem ./sim/entrapass/
func BenchmarkDecide(b *testing.B) {
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 40, Users: 1000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	w, err := sim.New(sf)
	if err != nil {
		b.Fatal(err)
	}
	db, err := NewDB(w)
	if err != nil {
		b.Fatal(err)
	}
	// Presentations of every user's card at a door of its first level.
	var reqs []sim.AccessRequest
	for i := range sf.Users {
		u := &sf.Users[i]
		if len(u.AccessLevels) == 0 {
			continue
		}
		l := db.levelByID[u.AccessLevels[0]]
		reqs = append(reqs, sim.AccessRequest{Time: w.Now(), Card: u.Cards[0].Number, Door: l.doors[0].door, Site: l.site})
	}
	run := func(b *testing.B) {
		granted := 0
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if db.Decide(reqs[i%len(reqs)]).Granted {
				granted++
			}
		}
		if granted == 0 {
			b.Fatal("no presentation was granted")
		}
	}
	b.Run("file-users", run)
	db.mu.Lock()
	for _, u := range db.users {
		c := u.card(db.levelSite)
		db.unindex(u)
		db.index(newCardUser(&c, db.loc))
	}
	db.mu.Unlock()
	b.Run("stored-users", run)
}
