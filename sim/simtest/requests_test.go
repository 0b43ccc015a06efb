package simtest_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/simtest"
)

// TestEntraPassRequestLog: what a driver sent SmartService is listed,
// through the control API and the site, without its password or session
// key.
func TestEntraPassRequestLog(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	c := login(t, s)
	c.get("Doors", nil)
	_, pass := s.Operator()

	page, err := s.Control().EntraPassRequests(context.Background())
	require.NoError(t, err)
	require.Len(t, page.Requests, 2)
	assert.Equal(t, "/SmartService/Login", page.Requests[0].Path)
	assert.Contains(t, page.Requests[0].Query, "password=REDACTED")
	assert.NotContains(t, page.Requests[0].Query, "="+url.QueryEscape(pass)+"&")
	assert.Equal(t, "/SmartService/Doors", page.Requests[1].Path)
	assert.Equal(t, "sdKey=REDACTED", page.Requests[1].Query)
	assert.Equal(t, http.StatusOK, page.Requests[1].Status)
	assert.True(t, page.Requests[1].Time.Equal(s.Now()), "stamped with the site clock")
	assert.Equal(t, page.Requests, s.EntraPassRequests())

	s.ClearEntraPassRequests()
	assert.Empty(t, s.EntraPassRequests())
}

// TestControlRefusesForeignPages: simtest's control API has serve's rules.
func TestControlRefusesForeignPages(t *testing.T) {
	t.Parallel()
	s := simtest.Start(t)
	req, err := http.NewRequest(http.MethodPost, s.ControlURL()+"/doors/20/open", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set("Origin", strings.TrimSuffix(s.ControlURL(), "/v1")) // a page's request
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)
	d, err := s.Control().Door(context.Background(), 20)
	require.NoError(t, err)
	assert.Equal(t, sim.ContactClosed, d.Contact, "the door was not opened")
}
