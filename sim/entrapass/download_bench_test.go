package entrapass

import (
	"testing"

	"github.com/pacsim/pacsim/sim"
)

// BenchmarkDecideCopy measures one access decision by the EntraPass
// database, live (a controller in touch with the server) and from a
// controller's copy (one cut off) whose undo log holds changes made since
// the copy: the copy must cost no allocation and little time. (Presenting
// at a cut-off controller itself holds each event until the restore, so
// the world's path is measured live, in bench/.)
func BenchmarkDecideCopy(b *testing.B) {
	s := newSite(b)
	db := s.srv.DB()
	req := sim.AccessRequest{Time: s.w.Now(), Card: "100:1001", Reader: rdFrontIn, Door: doorFront, Site: siteOffice}
	b.Run("live", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !db.Decide(req).Granted {
				b.Fatal("denied")
			}
		}
	})
	fr := db.Freeze()
	defer fr.Release()
	key := s.login()
	s.put(with("Cards/200", key), "<Card><CardState>Invalid</CardState></Card>")
	s.put(with("Cards/201", key), "<Card><CardState>Invalid</CardState></Card>")
	b.Run("copy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if !fr.Decide(req).Granted {
				b.Fatal("denied")
			}
		}
	})
}
