package websdk_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
)

func TestServerVersion(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	major, minor, full, err := newClient(t, cfg).ServerVersion(context.Background())
	require.NoError(t, note(t, cfg, err))
	assert.Equal(t, 5, major)
	assert.Equal(t, 12, minor)
	assert.Equal(t, "5.12.2.0", full)
}

// An older Security Center reports its own version (a connector refuses
// anything below 5.7 on it).
func TestServerVersionOld(t *testing.T) {
	t.Parallel()
	s := startSite(t, func(sf *sim.SiteFile) { sf.Genetec.Version = "5.6.0.0" })
	cfg := config(s)
	major, minor, full, err := newClient(t, cfg).ServerVersion(context.Background())
	require.NoError(t, note(t, cfg, err))
	assert.Equal(t, 5, major)
	assert.Equal(t, 6, minor)
	assert.Equal(t, "5.6.0.0", full)
}
