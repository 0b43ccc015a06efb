package entrapass

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// Prefix is the path prefix of every SmartService operation.
const Prefix = "/SmartService/"

// Route names, as registered on the router (mux.Router.Get finds a route by
// name). Commands are named "cmd." followed by the lower-cased command.
const (
	RouteLogin                = "login"
	RouteLogout               = "logout"
	RouteGatewaysSites        = "gatewayssites"
	RouteSiteRelays           = "sites.relays"
	RouteSiteInputs           = "sites.inputs"
	RouteSiteAccessLevels     = "sites.accesslevels"
	RouteSiteSchedules        = "sites.schedules"
	RouteAccessLevels         = "accesslevels"
	RouteAccessLevel          = "accesslevels.one"
	RouteGetListOwnerBy       = "getlistownerby"
	RouteDoors                = "doors"
	RouteDoor                 = "doors.one"
	RouteCardTypes            = "cardtypes"
	RouteCards                = "cards"
	RouteCardGet              = "cards.get"
	RouteCardPost             = "cards.post"
	RouteCardPut              = "cards.put"
	RouteCardDelete           = "cards.delete"
	RouteCardPictureGet       = "cardpictures.get"
	RouteCardPicturePut       = "cardpictures.put"
	RouteLastDoorAccess       = "lastdooraccess"
	RouteComponentFullStatus  = "componentfullstatus"
	RouteComponentsStates     = "componentsstates"
	RouteComponentsStatesByID = "componentsstatesbystatusid"
	RouteEvents               = "events"
	RouteEventsAndStayAlive   = "eventsandstayalive"
)

// handlerFunc answers a call with a document or a fault.
type handlerFunc func(c *call) ([]byte, *wire.Fault)

// routes builds the router. Every path is registered lower-case: the
// normalizePath middleware lower-cases the request path first, which makes
// the whole path case-insensitive as WCF's UriTemplate matching is.
func (s *Server) routes() *mux.Router {
	r := mux.NewRouter()
	// No redirect to a cleaned path: a PUT redirected would lose its body.
	r.SkipClean(true)
	r.NotFoundHandler = http.HandlerFunc(notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(methodNotAllowed)
	// Path before Methods: with mux v1.8.1 the other order can turn a
	// 405 into a 404 (see sim/control).
	add := func(name, method, path string, auth bool, h handlerFunc) {
		r.Path("/smartservice/" + path).Methods(method).Name(name).Handler(s.handle(auth, h))
	}
	get, put, post, del := http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete

	// login.go
	add(RouteLogin, get, "login", false, s.login)
	add(RouteLogout, get, "logout", false, s.logout)
	// reads.go
	add(RouteGatewaysSites, get, "gatewayssites", true, s.gatewaysSites)
	add(RouteSiteRelays, get, "sites/{id}/relays", true, s.siteRelays)
	add(RouteSiteInputs, get, "sites/{id}/inputs", true, s.siteInputs)
	add(RouteSiteAccessLevels, get, "sites/{id}/accesslevels", true, s.siteAccessLevels)
	add(RouteSiteSchedules, get, "sites/{id}/schedules", true, s.siteSchedules)
	add(RouteAccessLevels, get, "accesslevels", true, s.accessLevels)
	add(RouteAccessLevel, get, "accesslevels/{id}", true, s.accessLevel)
	add(RouteGetListOwnerBy, get, "getlistownerby", true, s.getListOwnerBy)
	add(RouteDoors, get, "doors", true, s.doors)
	add(RouteDoor, get, "doors/{id}", true, s.door)
	add(RouteCardTypes, get, "cardtypes", true, s.cardTypes)
	add(RouteComponentFullStatus, get, "componentfullstatus/{id}", true, s.componentFullStatus)
	// lastaccess.go
	add(RouteLastDoorAccess, get, "lastdooraccess", true, s.lastDoorAccess)
	// cardslist.go, cards.go
	add(RouteCards, get, "cards", true, s.cardsList)
	add(RouteCardGet, get, "cards/{id}", true, s.cardGet)
	add(RouteCardPost, post, "cards/{id}", true, s.cardPost)
	add(RouteCardPut, put, "cards/{id}", true, s.cardPut)
	add(RouteCardDelete, del, "cards/{id}", true, s.cardDelete)
	add(RouteCardPictureGet, get, "cardpictures/{id}", true, s.pictureGet)
	add(RouteCardPicturePut, put, "cardpictures/{id}", true, s.picturePut)
	// status.go
	add(RouteComponentsStates, put, "componentsstates", true, s.registerStates)
	add(RouteComponentsStatesByID, get, "componentsstatesbystatusid", true, s.pollStates)
	// events.go
	add(RouteEvents, get, "events", true, s.events)
	add(RouteEventsAndStayAlive, get, "eventsandstayalive", true, s.events)
	// commands.go
	for _, cmd := range commands {
		lc := strings.ToLower(cmd.name)
		add("cmd."+lc, put, lc, true, s.command(cmd))
	}
	return r
}

// handle wraps a handler: it parses the query, checks the session when
// auth says so, and writes the document or the fault.
func (s *Server) handle(auth bool, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := &call{s: s, w: w, r: r, q: parseQuery(r.URL.RawQuery), now: s.world.Now()}
		defer c.release()
		if auth {
			// A missing sdKey is an unknown one: the client must log in,
			// and the fault's "SessionKey" is what clients re-log in on.
			key, _ := c.q.get("sdkey")
			sess, f := s.sessions.get(key, c.now)
			if f != nil {
				writeFault(w, f)
				return
			}
			c.sess = sess
		}
		body, f := h(c)
		switch {
		case f != nil:
			writeFault(w, f)
		case c.streamed: // written by the handler (call.stream)
		default:
			writeXML(w, http.StatusOK, c.list && s.decl, body)
		}
	})
}

// normalizePath lower-cases the path and drops trailing slashes before
// routing, so /SmartService/CardTypes/ and /smartservice/cardtypes are the
// same operation. The request is copied, as http.StripPrefix does, rather
// than modified under the caller.
func normalizePath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.ToLower(r.URL.Path)
		if t := strings.TrimRight(p, "/"); t != "" {
			p = t
		}
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path, u.RawPath = p, ""
		r2.URL = &u
		next.ServeHTTP(w, r2)
	})
}

// recoverer turns a panic into a StandardFault, so one bad request never
// takes the server down. Handlers validate their input and do not rely on
// it; it is the last resort.
func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				writeFault(w, newFault(CodeInternalError, fmt.Sprintf("Internal error: %v", v)))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeXML(w, http.StatusNotFound, false, newFault(CodeEndpointNotFound, fmt.Sprintf("Endpoint not found: %s.", clip(r.URL.Path))).Marshal())
}

func methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	writeXML(w, http.StatusMethodNotAllowed, false, newFault(CodeMethodNotAllowed, fmt.Sprintf("Method %s is not allowed on %s.", clip(r.Method), clip(r.URL.Path))).Marshal())
}
