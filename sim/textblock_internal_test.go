package sim

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Pieces come out whole, in their places, across the blocks a megabyte
// cuts them into, and later writes to the buffer do not reach them.
func TestTextBlockPieces(t *testing.T) {
	var b textBlock
	n := 3 * textBlockSize / 20
	out := make([]string, n)
	var buf []byte
	for i := range out {
		buf = strconv.AppendInt(append(buf[:0], "user-"...), int64(i), 10)
		b.add(&out[i], buf, []byte("@x"))
	}
	b.flush()
	for i, s := range out {
		if !assert.Equal(t, "user-"+strconv.Itoa(i)+"@x", s) {
			break
		}
	}
	b.add(new(string), []byte(strings.Repeat("z", 100)))
	b.flush()
	assert.Equal(t, "user-0@x", out[0], "a flushed piece is its own")
}
