package control

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gorilla/mux"
	"github.com/stretchr/testify/assert"

	"github.com/pacsim/pacsim/sim"
)

// TestStatusOf covers the mapping of every world error, including those no
// route of the API can provoke today (ErrUnreachable, ErrOutOfRange).
func TestStatusOf(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{fmt.Errorf("%w: no door has id 9", sim.ErrUnknownID), http.StatusNotFound},
		{fmt.Errorf("%w \"x\"", sim.ErrBadCard), http.StatusBadRequest},
		{fmt.Errorf("%w: 0s", sim.ErrOutOfRange), http.StatusBadRequest},
		{fmt.Errorf("%w: already open", sim.ErrState), http.StatusConflict},
		{fmt.Errorf("%w: controller cannot be reached", sim.ErrUnreachable), http.StatusConflict},
		{fmt.Errorf("%w: in fault", sim.ErrFault), http.StatusConflict},
		{badRequest("bad"), http.StatusBadRequest},
		{&httpError{status: http.StatusRequestEntityTooLarge, msg: "big"}, http.StatusRequestEntityTooLarge},
		{errors.New("surprise"), http.StatusInternalServerError},
	} {
		assert.Equal(t, tc.want, statusOf(tc.err), tc.err.Error())
	}
}

func TestRecovererAnswersJSON(t *testing.T) {
	h := recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := newRecorder()
	h.ServeHTTP(rec, mustRequest(t))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	assert.JSONEq(t, `{"error":"internal error: boom"}`, rec.Body.String())
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func mustRequest(t *testing.T) *http.Request {
	t.Helper()
	return httptest.NewRequest(http.MethodGet, "/v1/site", nil)
}

// TestRouteTable pins every named route: its method and path template.
func TestRouteTable(t *testing.T) {
	w, err := sim.New(sim.DefaultSite())
	if err != nil {
		t.Fatal(err)
	}
	s := New(w)
	got := map[string]string{}
	err = s.router.Walk(func(r *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tpl, _ := r.GetPathTemplate()
		ms, _ := r.GetMethods()
		got[r.GetName()] = strings.Join(ms, ",") + " " + tpl
		return nil
	})
	assert.NoError(t, err)
	assert.Equal(t, map[string]string{
		RouteSite:              "GET /v1/site",
		RouteCardUsers:         "GET /v1/cardusers",
		RouteReset:             "POST /v1/reset",
		RouteGateway:           "GET /v1/gateways/{id}",
		RouteSiteByID:          "GET /v1/sites/{id}",
		RouteController:        "GET /v1/controllers/{id}",
		RouteDoor:              "GET /v1/doors/{id}",
		RouteReader:            "GET /v1/readers/{id}",
		RouteInput:             "GET /v1/inputs/{id}",
		RouteOutput:            "GET /v1/outputs/{id}",
		RoutePresent:           "POST /v1/readers/{id}/present",
		RouteDoorOpen:          "POST /v1/doors/{id}/open",
		RouteDoorClose:         "POST /v1/doors/{id}/close",
		RouteDoorREX:           "POST /v1/doors/{id}/rex",
		RouteInputActivate:     "POST /v1/inputs/{id}/activate",
		RouteInputDeactivate:   "POST /v1/inputs/{id}/deactivate",
		RouteInputTamper:       "POST /v1/inputs/{id}/tamper",
		RouteInputRestore:      "POST /v1/inputs/{id}/restore",
		RouteControllerFail:    "POST /v1/controllers/{id}/fail",
		RouteControllerRestore: "POST /v1/controllers/{id}/restore",
		RouteGatewayDisconnect: "POST /v1/gateways/{id}/disconnect",
		RouteGatewayConnect:    "POST /v1/gateways/{id}/connect",
		RouteClock:             "GET /v1/clock",
		RouteClockAdvance:      "POST /v1/clock/advance",
		RouteEvents:            "GET /v1/events",
		RouteEventStream:       "GET /v1/events/stream",
		RouteHealth:            "GET,HEAD /healthz",
		RouteReady:             "GET,HEAD /readyz",
	}, got)
	u, err := s.router.Get(RoutePresent).URL("id", "30")
	assert.NoError(t, err)
	assert.Equal(t, "/v1/readers/30/present", u.Path)
}
