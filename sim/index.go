package sim

import "iter"

// index finds a component by its id. The world looks ids up on every
// stimulus and every state read (a full state poll of a 10,000-door site is
// 60,000 look-ups), and site files number their components densely (the
// generator and the default site do), so ids below a bound are kept in a
// slice indexed by id; the others, should a site number sparsely, in a map.
type index struct {
	dense  []ref // by id; kind 0: no component
	sparse map[ID]ref
	limit  ID // ids in [0, limit) go to dense
}

// newIndex makes an index for n components.
func newIndex(n int) index {
	return index{limit: ID(min(max(4*n, 1024), 1<<22)), sparse: map[ID]ref{}}
}

func (x *index) put(id ID, r ref) {
	if id >= 0 && id < x.limit {
		if int(id) >= len(x.dense) {
			x.dense = append(x.dense, make([]ref, int(id)+1-len(x.dense))...)
		}
		x.dense[id] = r
		return
	}
	x.sparse[id] = r
}

func (x *index) get(id ID) (ref, bool) {
	if id >= 0 && int(id) < len(x.dense) {
		r := x.dense[id]
		return r, r.kind != 0
	}
	r, ok := x.sparse[id]
	return r, ok
}

// all yields every component, by id for the dense ones.
func (x *index) all() iter.Seq2[ID, ref] {
	return func(yield func(ID, ref) bool) {
		for id, r := range x.dense {
			if r.kind != 0 && !yield(ID(id), r) {
				return
			}
		}
		for id, r := range x.sparse {
			if !yield(id, r) {
				return
			}
		}
	}
}
