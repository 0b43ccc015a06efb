package entrapass

// nameIndex finds card users by lower-cased name. The API keeps names
// unique (compared case-insensitively), but a site file may hold
// duplicates — a generated site does, and real databases do too (the
// Airflow client copes with "multiple pkdatas for a username") — so a name
// may have several holders. A map of slices cost 100 MB on the million-user
// site for the few names held twice: the first holder is kept alone, the
// others aside.
type nameIndex struct {
	first map[string]*cardUser
	more  map[string][]*cardUser
}

func newNameIndex(n int) nameIndex {
	return nameIndex{first: make(map[string]*cardUser, n), more: map[string][]*cardUser{}}
}

// add records u as a holder of name.
func (x nameIndex) add(name string, u *cardUser) {
	if _, held := x.first[name]; !held {
		x.first[name] = u
		return
	}
	x.more[name] = append(x.more[name], u)
}

// remove forgets u as a holder of name.
func (x nameIndex) remove(name string, u *cardUser) {
	more := x.more[name]
	if x.first[name] == u {
		if len(more) == 0 {
			delete(x.first, name)
			return
		}
		x.first[name], more = more[0], more[1:]
	} else {
		for i, o := range more {
			if o == u {
				more = append(more[:i:i], more[i+1:]...)
				break
			}
		}
	}
	if len(more) == 0 {
		delete(x.more, name)
	} else {
		x.more[name] = more
	}
}

// holders returns the holders of name.
func (x nameIndex) holders(name string) []*cardUser {
	u, ok := x.first[name]
	if !ok {
		return nil
	}
	return append([]*cardUser{u}, x.more[name]...)
}
