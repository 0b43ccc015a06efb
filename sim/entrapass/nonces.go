package entrapass

// Bounds of the ConnectedProgram GUIDs a server remembers.
const (
	// MaxProgramGUID is the longest ConnectedProgram GUID accepted, in
	// bytes: a GUID is 32 hex digits, 38 characters with dashes and
	// braces; the rest is headroom for a client's own nonce format.
	MaxProgramGUID = 64
	// MaxProgramGUIDs is how many used GUIDs the server remembers: a GUID
	// is refused as long as it is among the most recent ones. At
	// MaxProgramGUID bytes each, about 8 MiB at most.
	MaxProgramGUIDs = 1 << 16
)

// nonces remembers the most recent used ConnectedProgram GUIDs, at most
// its capacity: the oldest is forgotten when a new one comes. A client
// sends a new GUID at every login, so one seen that long ago is no replay
// worth refusing, and the table no longer grows with every login for the
// life of the process.
type nonces struct {
	seen map[string]struct{}
	ring []string // in order of use, from next on the oldest
	next int
}

func newNonces(capacity int) *nonces {
	return &nonces{seen: map[string]struct{}{}, ring: make([]string, 0, capacity)}
}

// has reports whether g is remembered.
func (n *nonces) has(g string) bool {
	_, ok := n.seen[g]
	return ok
}

// add remembers g, forgetting the oldest when full.
func (n *nonces) add(g string) {
	if n.has(g) {
		return
	}
	if len(n.ring) < cap(n.ring) {
		n.ring = append(n.ring, g)
	} else {
		delete(n.seen, n.ring[n.next])
		n.ring[n.next] = g
		n.next = (n.next + 1) % len(n.ring)
	}
	n.seen[g] = struct{}{}
}

// Len returns how many GUIDs are remembered.
func (n *nonces) Len() int { return len(n.seen) }

// clear forgets every GUID.
func (n *nonces) clear() {
	clear(n.seen)
	clear(n.ring)
	n.ring, n.next = n.ring[:0], 0
}
