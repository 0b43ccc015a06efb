package sim

// textBlock hands out strings cut from large shared blocks. A generated
// site of a million users has three million short strings (names,
// addresses, card numbers), each its own allocation rounded up to a size
// class and marked by every collection; cut from blocks of a megabyte they
// cost their bytes only. Strings are immutable, so the pieces of a block
// share it safely; the block lives while any piece does.
//
// A piece is written to its destination when its block is complete (flush),
// so the destination must not be read before then.
type textBlock struct {
	buf  []byte
	refs []textRef
}

// textRef is a piece waiting for its block: where it goes, where it is.
type textRef struct {
	dst    *string
	lo, hi int
}

const textBlockSize = 1 << 20

// add queues s (copied) for *dst.
func (b *textBlock) add(dst *string, s ...[]byte) {
	lo := len(b.buf)
	for _, p := range s {
		b.buf = append(b.buf, p...)
	}
	b.refs = append(b.refs, textRef{dst, lo, len(b.buf)})
	if len(b.buf) >= textBlockSize {
		b.flush()
	}
}

// flush writes every piece queued.
func (b *textBlock) flush() {
	if len(b.refs) == 0 {
		return
	}
	s := string(b.buf)
	for _, r := range b.refs {
		*r.dst = s[r.lo:r.hi]
	}
	b.buf, b.refs = b.buf[:0], b.refs[:0]
}
