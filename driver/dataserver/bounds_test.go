package dataserver_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestNestedBodyRefused: a body nested deeper than the limit is refused
// with a 400 naming the limit, before it is decoded.
func TestNestedBodyRefused(t *testing.T) {
	e := newEnv(t)
	msg := e.errorOf(http.StatusBadRequest, "POST", "/selection", `{"assets":`+strings.Repeat("[", 40)+strings.Repeat("]", 40)+`}`)
	assert.Equal(t, "the body is refused: the document is nested deeper than 32 levels", msg)
}
