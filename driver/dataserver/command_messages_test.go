package dataserver_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestUnknownCommandIsNotMalformedJSON: {"command":"Explode"} is well-formed
// JSON naming a command that does not exist; the 400 says so and lists
// what the asset takes (what the selection takes: every command).
func TestUnknownCommandIsNotMalformedJSON(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ path, body, want string }{
		{"/assets/door/12/commands", `{"command":"Explode"}`,
			`unknown command "Explode" (a Door supports Acknowledge, Cancel, Mask, Reset, Lock, Unlock, Pass)`},
		{"/assets/output/5/commands", `{"command":"Explode","seconds":5}`,
			`unknown command "Explode" (an Output supports Mask, Acknowledge, Reset, Cancel, Activate Output, Deactivate Output, Timed Activation)`},
		{"/selection/commands", `{"command":"Explode"}`,
			`unknown command "Explode" (the commands are Mask, Acknowledge, Reset, Cancel, Lock, Unlock, Pass, Disable Reader, Enable Reader, Activate Output, Deactivate Output, Timed Activation)`},
		{"/assets/door/12/commands", `{"command":5}`, `malformed JSON body: command: want a string, got a number`},
		{"/assets/door/12/commands", `{"command":"Pass","seconds":"5"}`, `malformed JSON body: seconds: want a whole number, got a string`},
	} {
		msg := e.errorOf(http.StatusBadRequest, "POST", c.path, c.body)
		assert.Equal(t, c.want, msg, "%s %s", c.path, c.body)
		assert.NotContains(t, msg, "commandRequest", "no Go type names")
	}
	assert.Empty(t, e.hw.sent())
}
