package genetec_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNestedBodyRefused: a body nested deeper than the limit is refused
// with a 400 naming the limit, before it is decoded.
func TestNestedBodyRefused(t *testing.T) {
	t.Parallel()
	r := newRig(t, 1)
	for _, path := range []string{"/v1/visits", "/v1/user-groups"} {
		code, body := r.api("POST", path, `{"visitor":`+strings.Repeat("[", 40)+strings.Repeat("]", 40)+`}`)
		assert.Equal(t, 400, code, path)
		assert.JSONEq(t, `{"error":"the body is refused: the document is nested deeper than 32 levels"}`, body, path)
	}
}
