package entrapass_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
	"github.com/pacsim/pacsim/driver/entrapass"
)

// TestSecretsNeverShown: no log line (debug included), error, asset or
// event of the driver shows the password, a session key, or the encrypted
// credentials, through logins, a session expiry, a server outage, commands
// and a stop (SPEC §6 "Secrets").
func TestSecretsNeverShown(t *testing.T) {
	s := newSite(t, withOperator("psim", secret))
	h := newHarness(t, s, "psim", secret)
	var shown []string
	note := func(err error) {
		if err != nil {
			shown = append(shown, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}

	h.poll()
	_, err := s.w.PresentCard(rdFrontIn, cardAlice, "")
	require.NoError(t, err)
	h.poll()
	s.clk.Advance(31 * time.Minute)
	h.poll()
	note(h.exec(doorRef(doorFront), asset.Pass, 5))
	note(h.exec(doorRef(9999), asset.Lock, 0))
	note(h.d.Client().LockDoor(ctx(t), 9999))
	s.stop(true)
	note(h.d.PollOnce(ctx(t)))
	note(h.d.Err())
	note(h.exec(doorRef(doorFront), asset.Lock, 0))
	s.restart()
	h.poll()
	bad := newHarness(t, s, "psim", secret+"x")
	note(bad.d.PollOnce(ctx(t)))
	h.d.Stop()

	for _, e := range h.drain() {
		b, err := json.Marshal(e)
		require.NoError(t, err)
		shown = append(shown, string(b))
	}
	b, err := json.Marshal(h.d.Registry().List())
	require.NoError(t, err)
	shown = append(shown, string(b), h.logs.String(), bad.logs.String(), fmt.Sprint(h.d.Config()), fmt.Sprintf("%#v", h.d.Config()))
	all := strings.Join(shown, "\n")
	require.Contains(t, all, "REDACTED", "URLs were logged, redacted")
	require.Contains(t, all, "sdKey=REDACTED")

	forbidden := append([]string{secret, url.QueryEscape(secret)}, s.sessionKeys()...)
	require.GreaterOrEqual(t, len(s.sessionKeys()), 3, "several sessions were used")
	// The encrypted credentials of every login sent.
	s.mu.Lock()
	for _, u := range s.requests {
		if strings.EqualFold(u.Path, "/SmartService/Login") {
			for _, name := range []string{"userName", "password", "ConnectedProgram"} {
				v := u.Query().Get(name)
				require.NotEmpty(t, v)
				forbidden = append(forbidden, v, url.QueryEscape(v))
			}
		}
	}
	s.mu.Unlock()
	for _, f := range forbidden {
		assert.NotContains(t, all, f)
	}
	assert.NotContains(t, all, entrapass.Encrypt(secret, secret))
}
