package entrapass_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/entrapass"
)

// TestConfigSet: text typed in the configuration form (EP-CONF-INVALID).
// A number typed as "0" is a value and is refused where out of range, never
// read as "the default"; text that is not a number is refused naming the
// field; New refuses the Config before sending anything.
func TestConfigSet(t *testing.T) {
	cases := []struct {
		field, text string
		field2      string // the field the configuration error names; "" accepted
		reason      string // in the error
		check       func(t *testing.T, c entrapass.Config)
	}{
		{field: "Port", text: "8801", check: func(t *testing.T, c entrapass.Config) { assert.Equal(t, 8801, c.Port) }},
		{field: "port", text: " 8801 ", check: func(t *testing.T, c entrapass.Config) { assert.Equal(t, 8801, c.Port) }},
		{field: "Port", text: "0", field2: "Port", reason: "0 is out of range (1–65535)"},
		{field: "Port", text: "65536", field2: "Port", reason: "out of range"},
		{field: "Port", text: "-1", field2: "Port", reason: "out of range"},
		{field: "Port", text: "http", field2: "Port", reason: `"http" is not a number`},
		{field: "Port", text: "80 80", field2: "Port", reason: "is not a number"},
		{field: "Port", text: "", field2: "Port", reason: "is empty"},
		{field: "Port", text: "99999999999999999999", field2: "Port", reason: "out of range"},
		{field: "IP Address", text: "10.0.0.7", check: func(t *testing.T, c entrapass.Config) { assert.Equal(t, "10.0.0.7", c.Host) }},
		{field: "Poll", text: "2", check: func(t *testing.T, c entrapass.Config) { assert.Equal(t, 2*time.Second, c.Poll) }},
		{field: "Poll", text: "250ms", check: func(t *testing.T, c entrapass.Config) { assert.Equal(t, 250*time.Millisecond, c.Poll) }},
		{field: "Poll", text: "0", field2: "Poll", reason: "out of range"},
		{field: "Poll", text: "soon", field2: "Poll", reason: "not a duration"},
		{field: "RequestTimeout", text: "0", field2: "RequestTimeout", reason: "out of range"},
		{field: "IntegrationID", text: "0", field2: "IntegrationID", reason: "not an integration id"},
		{field: "EventBatch", text: "0", field2: "EventBatch", reason: "out of range"},
		{field: "EventBatch", text: "5", check: func(t *testing.T, c entrapass.Config) { assert.Equal(t, 5, c.EventBatch) }},
		{field: "TLS", text: "yes", field2: "TLS", reason: "not true or false"},
	}
	for _, tc := range cases {
		t.Run(tc.field+"="+tc.text, func(t *testing.T) {
			c := validConfig()
			setErr := c.Set(tc.field, tc.text)
			err := c.Validate()
			_, newErr := entrapass.New(c)
			if tc.field2 == "" {
				require.NoError(t, setErr)
				require.NoError(t, err)
				tc.check(t, c.WithDefaults())
				return
			}
			var ce *entrapass.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.field2, ce.Field)
			assert.Contains(t, ce.Error(), tc.reason)
			assert.True(t, errors.Is(newErr, entrapass.ErrInvalidConfig), "New must refuse it: %v", newErr)
		})
	}
}

// TestConfigSetZeroLeftOut: a field never set keeps its default, so the
// library's zero value still means "left out".
func TestConfigSetZeroLeftOut(t *testing.T) {
	c := validConfig()
	require.NoError(t, c.Set("Username", "psim2"))
	d := c.WithDefaults()
	assert.Equal(t, entrapass.DefaultPort, d.Port)
	assert.Equal(t, entrapass.DefaultPoll, d.Poll)
	require.NoError(t, c.Validate())
}

// TestConfigSetUnknownField: a field that does not exist is the caller's
// mistake and changes nothing.
func TestConfigSetUnknownField(t *testing.T) {
	c := validConfig()
	err := c.Set("Colour", "blue")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown configuration field "Colour"`)
	require.NoError(t, c.Validate())
}

// TestConfigSetClipsEcho: a pasted page in a number field is not echoed
// whole.
func TestConfigSetClipsEcho(t *testing.T) {
	c := validConfig()
	err := c.Set("Port", strings.Repeat("x", 10000))
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 200)
}
