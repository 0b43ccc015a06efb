package entrapass

import (
	"cmp"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// The PKDATA-ordered list walks the users sorted by id once; it must give
// the very rows sorting every matching user gives, before and after writes.
func TestListByIDMatchesSortedList(t *testing.T) {
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 8, Users: 300, Seed: 5})
	require.NoError(t, err)
	s := newSiteFrom(t, sf)
	db := s.srv.db
	first, last := sf.Users[0].ID, sf.Users[len(sf.Users)-1].ID

	compare := func(when string) {
		t.Helper()
		now := s.w.Now()
		for _, start := range []int{-1, 0, first - 1, first, first + 17, (first + last) / 2, last - 1, last, last + 1000} {
			for _, n := range []int{1, 7, 100, MaxCardsPerList} {
				for _, f := range []struct {
					filter, field string
					contains      bool
				}{{"", "", false}, {"a", indexUserName, false}, {"son", indexUserName, true}, {"1", indexCardNumber, true}, {"e", "EMAIL", true}} {
					lq := listQuery{index: indexPKData, n: n, filter: f.filter, contains: f.contains, filterField: cmp.Or(f.field, indexPKData),
						extended: []string{"BADGING", "CARDNUMBER1", "CARDSTATE1", "ENDDATE"}}
					if start >= 0 {
						lq.hasStart, lq.startID = true, start
					}
					want, got := new(wire.RowWriter), new(wire.RowWriter)
					want.Begin()
					got.Begin()
					lq2 := lq
					db.mu.RLock()
					db.listSorted(&lq, now, want)
					db.listByID(&lq2, now, got)
					db.mu.RUnlock()
					require.Equal(t, string(want.End()), string(got.End()), "%s: start %d, n %d, filter %+v", when, start, n, f)
				}
			}
		}
	}
	compare("as loaded")

	key := s.login()
	// A user created with an id between two others, one with a new id, one
	// deleted and one renamed: the sorted order must follow each write.
	mid := sf.Users[150].ID
	require.True(t, db.remove(mid, s.w.Now()), "user %d deleted", mid)
	compare("after a delete")
	s.ok(http.MethodPost, with(fmt.Sprintf("Cards/%d", mid), key), "<Card><UserName>Zoe Between</UserName><CardNumber1>999:1</CardNumber1></Card>")
	compare("after a create with a chosen id")
	s.ok(http.MethodPost, with("Cards/0", key), "<Card><UserName>Yann New</UserName><CardNumber1>999:2</CardNumber1></Card>")
	compare("after a create")
	s.put(with(fmt.Sprintf("Cards/%d", first), key), "<Card><UserName>Aaron Renamed</UserName></Card>")
	compare("after a rename")
}
