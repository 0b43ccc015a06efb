package genetec_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// GET /readyz (SPEC §11): 503 with the reason until Security Center has
// answered once, 200 after; GET /healthz is "ok" throughout.
func TestReadiness(t *testing.T) {
	t.Parallel()
	r := newRigNoRefresh(t)
	code, body := r.api("GET", "/healthz", "")
	assert.Equal(t, 200, code)
	assert.Equal(t, "ok\n", body)
	code, body = r.api("GET", "/readyz", "")
	assert.Equal(t, 503, code)
	assert.Contains(t, body, "Security Center not reached yet")
	assert.Error(t, r.c.Ready())

	_, err := r.c.Refresh(context.Background(), r.provider)
	require.NoError(t, err)
	code, body = r.api("GET", "/readyz", "")
	assert.Equal(t, 200, code, body)
	assert.Equal(t, "ok\n", body)
}
