package guard

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestHealth(t *testing.T) {
	rec := httptest.NewRecorder()
	Healthz(rec, httptest.NewRequest("GET", HealthPath, nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "ok\n", rec.Body.String())

	var reason error = errors.New("not logged in to SmartService: connection refused")
	ready := Readyz(func() error { return reason })
	rec = httptest.NewRecorder()
	ready(rec, httptest.NewRequest("GET", ReadyPath, nil))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "not ready: not logged in to SmartService: connection refused\n", rec.Body.String())
	reason = nil
	rec = httptest.NewRecorder()
	ready(rec, httptest.NewRequest("GET", ReadyPath, nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "ok\n", rec.Body.String())
}
