package entrapass

import (
	"cmp"
	"slices"
	"time"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// The Cards list in PKDATA order, the order a driver pages through a whole
// site in (4096 users a request, each page after the last id of the one
// before). Scanning and sorting every user for each page made paging
// through a million users quadratic: 245 pages of a million-user sort.
// Instead the users are kept sorted by id once, a page starts with a binary
// search and stops after n rows.

// byID returns the card users sorted by id, sorting them once after a
// change. Called with the read lock.
func (db *DB) byID() []*cardUser {
	db.idOrderMu.Lock()
	defer db.idOrderMu.Unlock()
	if db.idOrder == nil {
		order := make([]*cardUser, 0, len(db.users))
		for _, u := range db.users {
			order = append(order, u)
		}
		slices.SortFunc(order, func(a, b *cardUser) int { return cmp.Compare(a.id, b.id) })
		db.idOrder = order
	}
	return db.idOrder
}

// listByID writes the rows of a PKDATA-ordered Cards list: the same rows,
// in the same order, as sorting every matching user by id would give.
// Called with the read lock.
func (db *DB) listByID(lq *listQuery, now time.Time, rw *wire.RowWriter) {
	order := db.byID()
	i := 0
	if lq.hasStart {
		i, _ = slices.BinarySearchFunc(order, lq.startID+1, func(u *cardUser, id int) int { return cmp.Compare(u.id, id) })
	}
	for n := 0; i < len(order) && n < lq.n; i++ {
		u := order[i]
		if !lq.matches(u, now) || u.gone(now) {
			continue
		}
		lq.writeRow(rw, u, now)
		n++
	}
}

// writeRow writes one row of the Cards list: PKDATA, CARDNUMBER, USERNAME,
// CARDSTATE, then the extended fields in the order asked.
func (lq *listQuery) writeRow(rw *wire.RowWriter, u *cardUser, now time.Time) {
	rw.Row()
	rw.ItemInt("PKDATA", int64(u.id))
	rw.Item("CARDNUMBER", u.firstCard())
	rw.Item("USERNAME", u.name())
	rw.ItemInt("CARDSTATE", int64(u.state(now)))
	for _, name := range lq.extended {
		rw.Item(name, u.field(name, now))
	}
	rw.EndRow()
}
