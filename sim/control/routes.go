package control

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/sim"
)

// Route names, as registered on the router: mux.Router.Get finds a route
// by name, and its URL method builds the path.
const (
	RouteSite              = "site"               // GET  /v1/site
	RouteReset             = "reset"              // POST /v1/reset
	RouteGateway           = "gateway"            // GET  /v1/gateways/{id}
	RouteSiteByID          = "site.one"           // GET  /v1/sites/{id}
	RouteController        = "controller"         // GET  /v1/controllers/{id}
	RouteDoor              = "door"               // GET  /v1/doors/{id}
	RouteReader            = "reader"             // GET  /v1/readers/{id}
	RouteInput             = "input"              // GET  /v1/inputs/{id}
	RouteOutput            = "output"             // GET  /v1/outputs/{id}
	RoutePresent           = "reader.present"     // POST /v1/readers/{id}/present
	RouteDoorOpen          = "door.open"          // POST /v1/doors/{id}/open
	RouteDoorClose         = "door.close"         // POST /v1/doors/{id}/close
	RouteDoorREX           = "door.rex"           // POST /v1/doors/{id}/rex
	RouteInputActivate     = "input.activate"     // POST /v1/inputs/{id}/activate
	RouteInputDeactivate   = "input.deactivate"   // POST /v1/inputs/{id}/deactivate
	RouteInputTamper       = "input.tamper"       // POST /v1/inputs/{id}/tamper
	RouteInputRestore      = "input.restore"      // POST /v1/inputs/{id}/restore
	RouteControllerFail    = "controller.fail"    // POST /v1/controllers/{id}/fail
	RouteControllerRestore = "controller.restore" // POST /v1/controllers/{id}/restore
	RouteGatewayDisconnect = "gateway.disconnect" // POST /v1/gateways/{id}/disconnect
	RouteGatewayConnect    = "gateway.connect"    // POST /v1/gateways/{id}/connect
	RouteClock             = "clock"              // GET  /v1/clock
	RouteClockAdvance      = "clock.advance"      // POST /v1/clock/advance
	RouteEvents            = "events"             // GET  /v1/events
	RouteEventStream       = "events.stream"      // GET  /v1/events/stream
	RouteCardUsers         = "cardusers"          // GET  /v1/cardusers
	// RouteEntraPassRequests and RouteEntraPassRequestsClear exist only
	// WithEntraPassRequests.
	RouteEntraPassRequests      = "entrapass.requests"       // GET    /v1/entrapass/requests
	RouteEntraPassRequestsClear = "entrapass.requests.clear" // DELETE /v1/entrapass/requests
	RouteHealth                 = "healthz"                  // GET    /healthz
	RouteReady                  = "readyz"                   // GET    /readyz
)

// apiFunc handles a JSON route: what it returns is answered 200 as JSON, an
// error as {"error":"…"} with its status.
type apiFunc func(w http.ResponseWriter, r *http.Request) (any, error)

func (s *Server) api(h apiFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := h(w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	}
}

// routes builds the router: every route named, under /v1.
func (s *Server) routes() *mux.Router {
	r := mux.NewRouter()
	// No redirect to a cleaned path: a POST redirected would turn into a GET.
	r.SkipClean(true)
	r.NotFoundHandler = http.HandlerFunc(s.notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(s.methodNotAllowed)
	// No subrouter: routes added later (WithRoutes) must be reachable, and a
	// /v1 subrouter would answer 404 for them first.
	//
	// The path matcher goes before the method matcher: mux v1.8.1 forgets a
	// method mismatch when a later route's method matcher succeeds first, so
	// the other order answers 404 where 405 is due.
	add := func(name, method, path string, h http.HandlerFunc) {
		r.Path("/v1" + path).Methods(method).Name(name).Handler(h)
	}
	// site.go
	add(RouteSite, http.MethodGet, "/site", s.api(s.getSite))
	add(RouteReset, http.MethodPost, "/reset", s.api(s.postReset))
	add(RouteGateway, http.MethodGet, "/gateways/{id}", s.api(getOne(s, (*sim.World).Gateway)))
	add(RouteSiteByID, http.MethodGet, "/sites/{id}", s.api(getOne(s, (*sim.World).Site)))
	add(RouteController, http.MethodGet, "/controllers/{id}", s.api(getOne(s, (*sim.World).Controller)))
	add(RouteDoor, http.MethodGet, "/doors/{id}", s.api(getOne(s, (*sim.World).Door)))
	add(RouteReader, http.MethodGet, "/readers/{id}", s.api(getOne(s, (*sim.World).Reader)))
	add(RouteInput, http.MethodGet, "/inputs/{id}", s.api(getOne(s, (*sim.World).Input)))
	add(RouteOutput, http.MethodGet, "/outputs/{id}", s.api(getOne(s, (*sim.World).Output)))
	// stimulus.go
	add(RoutePresent, http.MethodPost, "/readers/{id}/present", s.api(s.postPresent))
	add(RouteDoorOpen, http.MethodPost, "/doors/{id}/open", s.api(s.seqAction((*sim.World).OpenDoor)))
	add(RouteDoorClose, http.MethodPost, "/doors/{id}/close", s.api(s.seqAction((*sim.World).CloseDoor)))
	add(RouteDoorREX, http.MethodPost, "/doors/{id}/rex", s.api(s.seqAction((*sim.World).PressREX)))
	add(RouteInputActivate, http.MethodPost, "/inputs/{id}/activate", s.api(s.seqAction(activateInput)))
	add(RouteInputDeactivate, http.MethodPost, "/inputs/{id}/deactivate", s.api(s.seqAction(deactivateInput)))
	add(RouteInputTamper, http.MethodPost, "/inputs/{id}/tamper", s.api(s.seqAction((*sim.World).TamperInput)))
	add(RouteInputRestore, http.MethodPost, "/inputs/{id}/restore", s.api(s.seqAction((*sim.World).RestoreInput)))
	add(RouteControllerFail, http.MethodPost, "/controllers/{id}/fail", s.api(stateAction(s, (*sim.World).CutController, (*sim.World).Controller)))
	add(RouteControllerRestore, http.MethodPost, "/controllers/{id}/restore", s.api(stateAction(s, (*sim.World).RestoreController, (*sim.World).Controller)))
	add(RouteGatewayDisconnect, http.MethodPost, "/gateways/{id}/disconnect", s.api(stateAction(s, (*sim.World).DisconnectGateway, (*sim.World).Gateway)))
	add(RouteGatewayConnect, http.MethodPost, "/gateways/{id}/connect", s.api(stateAction(s, (*sim.World).ConnectGateway, (*sim.World).Gateway)))
	// clock.go
	add(RouteClock, http.MethodGet, "/clock", s.api(s.getClock))
	add(RouteClockAdvance, http.MethodPost, "/clock/advance", s.api(s.postAdvance))
	// events.go
	add(RouteEvents, http.MethodGet, "/events", s.api(s.getEvents))
	add(RouteEventStream, http.MethodGet, "/events/stream", s.getEventStream)
	// cardusers.go
	add(RouteCardUsers, http.MethodGet, "/cardusers", s.api(s.getCardUsers))
	// requests.go
	if s.requests != nil {
		add(RouteEntraPassRequests, http.MethodGet, "/entrapass/requests", s.api(s.getRequests))
		add(RouteEntraPassRequestsClear, http.MethodDelete, "/entrapass/requests", s.api(s.deleteRequests))
	}
	// Health, outside /v1 as every pacsim service has it (SPEC §11).
	r.Path(guard.HealthPath).Methods(http.MethodGet, http.MethodHead).Name(RouteHealth).HandlerFunc(guard.Healthz)
	r.Path(guard.ReadyPath).Methods(http.MethodGet, http.MethodHead).Name(RouteReady).HandlerFunc(guard.Readyz(s.ready))
	return r
}

// pathID parses the {id} of the path.
func pathID(r *http.Request) (sim.ID, error) {
	raw := mux.Vars(r)["id"]
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, badRequest("id %q in the path is not an integer component id", guard.Clip(raw))
	}
	return sim.ID(n), nil
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	hint := "the control API has no such path (see its documentation: go doc github.com/pacsim/pacsim/sim/control)"
	if !strings.HasPrefix(r.URL.Path, "/v1/") {
		hint = "the control API's routes are under /v1"
	}
	writeJSON(w, http.StatusNotFound, errorBody{Error: fmt.Sprintf("no route %s %s: %s", guard.Clip(r.Method), guard.Clip(r.URL.Path), hint)})
}

// methodsToTry are the methods the Allow header of a 405 may list.
var methodsToTry = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut,
	http.MethodPatch, http.MethodDelete, http.MethodOptions,
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	allowed := s.allowed(r)
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	writeJSON(w, http.StatusMethodNotAllowed, errorBody{
		Error: fmt.Sprintf("method %s is not allowed on %s: use %s", guard.Clip(r.Method), guard.Clip(r.URL.Path), strings.Join(allowed, " or ")),
	})
}

// allowed lists the methods some route takes for r's path.
func (s *Server) allowed(r *http.Request) []string {
	var out []string
	for _, m := range methodsToTry {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		var match mux.RouteMatch
		if s.router.Match(probe, &match) && match.MatchErr == nil {
			out = append(out, m)
		}
	}
	return out
}
