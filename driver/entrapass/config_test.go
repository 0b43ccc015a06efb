package entrapass_test

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/entrapass"
)

const secret = "S3cr3t-Pa55word!" // a password that appears nowhere else

func validConfig() entrapass.Config {
	return entrapass.Config{Host: "entrapass.example.com", Username: "psim", Password: secret}
}

// TestConfigDefaults: EP-CONF-FIELDS, EP-CONF-DEFAULT-PORT.
func TestConfigDefaults(t *testing.T) {
	c := validConfig()
	require.NoError(t, c.Validate())
	d := c.WithDefaults()
	assert.Equal(t, 8080, d.Port)
	assert.Equal(t, time.Second, d.Poll)
	assert.Equal(t, 56, d.IntegrationID)
	assert.Equal(t, 1000, d.EventBatch)
	assert.Equal(t, entrapass.DefaultRequestTimeout, d.RequestTimeout)
	assert.Equal(t, "http://entrapass.example.com:8080/SmartService/", c.BaseURL())

	c.Port, c.TLS = 8801, true
	assert.Equal(t, "https://entrapass.example.com:8801/SmartService/", c.BaseURL())
	c.Host = "::1"
	assert.Equal(t, "https://[::1]:8801/SmartService/", c.BaseURL())
	c.Host = "[fe80::1]"
	require.NoError(t, c.Validate())
	assert.Equal(t, "https://[fe80::1]:8801/SmartService/", c.BaseURL())
	c.Host = "10.0.0.5"
	require.NoError(t, c.Validate())
}

// TestConfigInvalid: EP-CONF-INVALID — every invalid or out-of-range value
// is refused, before connecting, with an error naming the field.
func TestConfigInvalid(t *testing.T) {
	cases := []struct {
		field string
		edit  func(*entrapass.Config)
	}{
		{"Host", func(c *entrapass.Config) { c.Host = "" }},
		{"Host", func(c *entrapass.Config) { c.Host = "   " }},
		{"Host", func(c *entrapass.Config) { c.Host = "http://server" }},
		{"Host", func(c *entrapass.Config) { c.Host = "server:8801" }},
		{"Host", func(c *entrapass.Config) { c.Host = "server/SmartService" }},
		{"Host", func(c *entrapass.Config) { c.Host = "my server" }},
		{"Host", func(c *entrapass.Config) { c.Host = "-bad.example.com" }},
		{"Host", func(c *entrapass.Config) { c.Host = strings.Repeat("a", 64) + ".com" }},
		{"Host", func(c *entrapass.Config) { c.Host = "300.1.1.1" }},
		{"Host", func(c *entrapass.Config) { c.Host = "192.168.1.256" }},
		{"Host", func(c *entrapass.Config) { c.Host = "10.1" }},
		{"Port", func(c *entrapass.Config) { c.Port = -1 }},
		{"Port", func(c *entrapass.Config) { c.Port = 65536 }},
		{"Port", func(c *entrapass.Config) { c.Port = 100000 }},
		{"Username", func(c *entrapass.Config) { c.Username = "" }},
		{"Username", func(c *entrapass.Config) { c.Username = "  " }},
		{"Username", func(c *entrapass.Config) { c.Username = "a\nb" }},
		{"Password", func(c *entrapass.Config) { c.Password = "" }},
		{"Password", func(c *entrapass.Config) { c.Password = "a\x00b" }},
		{"InsecureSkipVerify", func(c *entrapass.Config) { c.InsecureSkipVerify = true }},
		{"Poll", func(c *entrapass.Config) { c.Poll = 99 * time.Millisecond }},
		{"Poll", func(c *entrapass.Config) { c.Poll = -time.Second }},
		{"Poll", func(c *entrapass.Config) { c.Poll = time.Hour + time.Nanosecond }},
		{"IntegrationID", func(c *entrapass.Config) { c.IntegrationID = -56 }},
		{"EventBatch", func(c *entrapass.Config) { c.EventBatch = -1 }},
		{"EventBatch", func(c *entrapass.Config) { c.EventBatch = entrapass.MaxEventBatch + 1 }},
		{"RequestTimeout", func(c *entrapass.Config) { c.RequestTimeout = -time.Second }},
		{"RequestTimeout", func(c *entrapass.Config) { c.RequestTimeout = time.Hour }},
		{"MaxBackoff", func(c *entrapass.Config) { c.Poll, c.MaxBackoff = time.Minute, time.Second }},
		{"MaxBackoff", func(c *entrapass.Config) { c.MaxBackoff = -time.Second }},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprintf("%d-%s", i, tc.field), func(t *testing.T) {
			c := validConfig()
			tc.edit(&c)
			err := c.Validate()
			require.Error(t, err)
			assert.ErrorIs(t, err, entrapass.ErrInvalidConfig)
			var ce *entrapass.ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.field, ce.Field)
			assert.Contains(t, err.Error(), tc.field)
			assert.NotContains(t, err.Error(), secret)

			// The driver and the client refuse it too, before sending anything.
			_, err = entrapass.New(c)
			assert.ErrorIs(t, err, entrapass.ErrInvalidConfig)
			_, err = entrapass.NewClient(c)
			assert.ErrorIs(t, err, entrapass.ErrInvalidConfig)
		})
	}
	// Boundaries are accepted.
	for _, edit := range []func(*entrapass.Config){
		func(c *entrapass.Config) { c.Port = 1 },
		func(c *entrapass.Config) { c.Port = 65535 },
		func(c *entrapass.Config) { c.Poll = 100 * time.Millisecond },
		func(c *entrapass.Config) { c.Poll = time.Hour },
		func(c *entrapass.Config) { c.TLS, c.InsecureSkipVerify = true, true },
		func(c *entrapass.Config) { c.IntegrationID = 1234 },
	} {
		c := validConfig()
		edit(&c)
		assert.NoError(t, c.Validate(), "%v", c)
	}
}

// TestConfigSecret: the password shows in no rendering of the configuration.
func TestConfigSecret(t *testing.T) {
	c := validConfig()
	for _, s := range []string{c.String(), c.GoString(), fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c),
		fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c), fmt.Sprint(&c), fmt.Sprintf("%q", c)} {
		assert.NotContains(t, s, secret)
		assert.Contains(t, s, "entrapass.example.com")
	}
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "cfg", c)
	slog.New(slog.NewJSONHandler(&b, nil)).Info("config", "cfg", c)
	assert.NotContains(t, b.String(), secret)
	assert.Contains(t, b.String(), "REDACTED")
}

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want entrapass.Version
		ok   bool
	}{
		{"8.10.0.1234", entrapass.Version{8, 10, 0, 1234}, true},
		{"7.50", entrapass.Version{7, 50, 0, 0}, true},
		{"7.5", entrapass.Version{7, 50, 0, 0}, true},
		{"7.40.2.10", entrapass.Version{7, 40, 2, 10}, true},
		{"8", entrapass.Version{}, false},
		{"", entrapass.Version{}, false},
		{"8.x", entrapass.Version{}, false},
		{"1.2.3.4.5", entrapass.Version{}, false},
	} {
		v, err := entrapass.ParseVersion(tc.in)
		if !tc.ok {
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, v, tc.in)
	}
	assert.True(t, entrapass.Version{7, 40, 0, 0}.Less(entrapass.MinServerVersion))
	assert.False(t, entrapass.Version{7, 50, 0, 0}.Less(entrapass.MinServerVersion))
	assert.False(t, entrapass.Version{8, 0, 0, 0}.Less(entrapass.MinServerVersion))
	assert.True(t, entrapass.Version{6, 90, 0, 0}.Less(entrapass.MinServerVersion))
	assert.False(t, errors.Is(nil, entrapass.ErrVersion))
}
