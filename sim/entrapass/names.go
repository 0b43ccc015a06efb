package entrapass

import (
	"hash/maphash"
	"strings"
	"unicode/utf8"
)

// nameIndex finds card users by name, compared lower-cased. The API keeps
// names unique, but a site file may hold duplicates — a generated site
// does, and real databases do too (the Airflow client copes with "multiple
// pkdatas for a username") — so a name may have several holders.
//
// On the million-user site a map of lower-cased names to slices of holders
// cost 170 MB: a lower-cased copy of every name, a slice per name for the
// few held twice. So a name is keyed by a hash of its lower-cased form,
// computed without copying it; the first holder is kept alone and the
// others aside; and holders checks the names themselves, so two names that
// share a hash are still told apart.
type nameIndex struct {
	seed  maphash.Seed
	first map[uint64]*cardUser
	more  map[uint64][]*cardUser
}

func newNameIndex(n int) nameIndex {
	return nameIndex{seed: maphash.MakeSeed(), first: make(map[uint64]*cardUser, n), more: map[uint64][]*cardUser{}}
}

// built reports whether x was made by newNameIndex (the zero index is not).
func (x nameIndex) built() bool { return x.first != nil }

// key is the hash of strings.ToLower(name).
func (x nameIndex) key(name string) uint64 {
	var buf [64]byte
	if len(name) > len(buf) {
		return maphash.String(x.seed, strings.ToLower(name))
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= utf8.RuneSelf {
			return maphash.String(x.seed, strings.ToLower(name))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return maphash.Bytes(x.seed, buf[:len(name)])
}

// add records u as a holder of its name.
func (x nameIndex) add(u *cardUser) {
	k := x.key(u.name())
	if _, held := x.first[k]; !held {
		x.first[k] = u
		return
	}
	x.more[k] = append(x.more[k], u)
}

// remove forgets u as a holder of its name.
func (x nameIndex) remove(u *cardUser) {
	k := x.key(u.name())
	more := x.more[k]
	if x.first[k] == u {
		if len(more) == 0 {
			delete(x.first, k)
			return
		}
		x.first[k], more = more[0], more[1:]
	} else {
		for i, o := range more {
			if o == u {
				more = append(more[:i:i], more[i+1:]...)
				break
			}
		}
	}
	if len(more) == 0 {
		delete(x.more, k)
	} else {
		x.more[k] = more
	}
}

// holders returns the holders of name.
func (x nameIndex) holders(name string) []*cardUser {
	k := x.key(name)
	u, ok := x.first[k]
	if !ok {
		return nil
	}
	low := strings.ToLower(name)
	var out []*cardUser
	for _, h := range append([]*cardUser{u}, x.more[k]...) {
		if strings.ToLower(h.name()) == low {
			out = append(out, h)
		}
	}
	return out
}
