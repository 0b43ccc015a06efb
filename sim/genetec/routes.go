package genetec

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/sim/genetec/query"
	"github.com/pacsim/pacsim/sim/genetec/wire"
)

// Prefix is the Web SDK's base path (compared ignoring case).
const Prefix = "/WebSdk/"

// Route names, as registered on the router.
const (
	RouteKeepAlive        = "keepalive"
	RouteEntityQuery      = "entity.query"
	RouteEntityGet        = "entity.get"
	RouteEntityBasic      = "entity.basic"
	RouteEntityExists     = "entity.exists"
	RouteEntityDelete     = "entity.delete"
	RouteReport           = "report"
	RouteAction           = "action"
	RouteEvents           = "events"
	RouteEventsSubscribe  = "events.subscribe"
	RouteEventsUnsub      = "events.unsubscribe"
	RouteEventsSubscribed = "events.subscribed"
	RouteEventsClose      = "events.closeconnection"
	RouteLicenceUsage     = "licenseitemusage"
)

// call is one authenticated request.
type call struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	f    wire.Format
	sess *session
	user string // user GUID
}

type handlerFunc func(c *call) (wire.Status, any, error)

// routes builds the router. The path is lower-cased before routing (the
// base path and every segment compare ignoring case; GUIDs, report names
// and LogicalID are read ignoring case too).
func (s *Server) routes() http.Handler {
	r := mux.NewRouter()
	r.SkipClean(true)
	r.NotFoundHandler = http.HandlerFunc(badPath)
	r.MethodNotAllowedHandler = http.HandlerFunc(badPath)
	add := func(name, path string, h handlerFunc, methods ...string) {
		r.Path("/websdk" + path).Methods(methods...).Name(name).Handler(s.handle(h))
	}
	get, post, del := http.MethodGet, http.MethodPost, http.MethodDelete
	add(RouteKeepAlive, "", s.keepAliveCall, get, post)
	add(RouteKeepAlive+".slash", "/", s.keepAliveCall, get, post)
	add(RouteEntityQuery, "/entity", s.entityQuery, get, post)
	add(RouteEntityExists, "/entity/exists/{id}", s.entityExists, get)
	add(RouteEntityBasic, "/entity/basic/{id}", s.entityBasic, get)
	add(RouteEntityGet, "/entity/{id}", s.entityGet, get)
	add(RouteEntityDelete, "/entity/{id}", s.entityDelete, del)
	add(RouteReport, "/report/{name}", s.report, get, post)
	add(RouteAction, "/action", s.action, post, get)
	add(RouteEventsSubscribe, "/events/subscribe", s.subscribe, get, post)
	add(RouteEventsUnsub, "/events/unsubscribe", s.unsubscribe, get, post)
	add(RouteEventsSubscribed, "/events/subscribed", s.subscribed, get)
	add(RouteEventsClose, "/events/closeconnection/{id}", s.closeConnection, post, get)
	add(RouteLicenceUsage, "/licenseitemusage", s.licenceUsage, get)
	r.Path("/websdk/events").Methods(get).Name(RouteEvents).Handler(s.authed(s.events))
	s.router = r
	return recoverer(lowerPath(r))
}

// lowerPath lower-cases the path (and drops one trailing slash past the
// base) before routing, on a copy of the request.
func lowerPath(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.ToLower(r.URL.Path)
		if len(p) > len("/websdk/") && strings.HasSuffix(p, "/") {
			p = p[:len(p)-1]
		}
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path, u.RawPath = p, ""
		r2.URL = &u
		next.ServeHTTP(w, r2)
	})
}

// recoverer turns a panic into a Fail answer: one bad request never takes
// the server down. It is the last resort; handlers check their input.
func recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				f := wire.Negotiate(r.Header.Get("Accept"))
				w.Header().Set("Content-Type", f.ContentType())
				w.WriteHeader(http.StatusOK)
				_, _ = w.Write(wire.AppendFail(nil, f, "InternalError", fmt.Sprintf("internal error: %v", v)))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// badPath answers a path the Web SDK does not have as the real role does:
// 400 with an HTML body (reference §6).
func badPath(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<html><head><title>Bad Request</title></head><body><h1>Bad Request</h1><p>%s %s is not a Web SDK request.</p></body></html>\n",
		html.EscapeString(clip(r.Method)), html.EscapeString(clip(r.URL.Path)))
}

// authed checks the credentials of every request, keep-alive included, and
// opens or refreshes the session.
func (s *Server) authed(h func(c *call)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
		}
		cr, ok := basic(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="WebSdk"`)
			http.Error(w, "Unauthorized: HTTP Basic credentials user;applicationId:password are required.", http.StatusUnauthorized)
			return
		}
		user, aerr := s.db.authenticate(cr)
		if aerr != nil {
			if aerr.status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Basic realm="WebSdk"`)
			}
			http.Error(w, aerr.msg, aerr.status)
			return
		}
		c := &call{s: s, w: w, r: r, f: wire.Negotiate(r.Header.Get("Accept")), user: user}
		c.sess = s.sessions.touch(user, cr.user, cr.app, s.world.Now())
		h(c)
	})
}

// handle wraps a handler that answers one envelope.
func (s *Server) handle(h handlerFunc) http.Handler {
	return s.authed(func(c *call) {
		// Drain a small body: POST and DELETE come with none or a form
		// nobody reads; a body over the limit is refused.
		if c.r.Body != nil {
			if _, err := io.Copy(io.Discard, c.r.Body); err != nil {
				c.write(wire.Fail, nil, invalidOp("the request body is over %d bytes", s.maxBody))
				return
			}
		}
		st, res, err := h(c)
		c.write(st, res, err)
	})
}

// write answers the envelope, or the failure.
func (c *call) write(st wire.Status, res any, err error) {
	c.w.Header().Set("Content-Type", c.f.ContentType())
	c.w.WriteHeader(http.StatusOK)
	var body []byte
	if err != nil {
		code, msg := CodeInvalidOperation, err.Error()
		if se, ok := err.(*sdkError); ok {
			code, msg = se.code, se.msg
		}
		body = wire.AppendFail(nil, c.f, code, msg)
	} else {
		if st == 0 {
			st = wire.Ok
		}
		body = wire.Append(nil, c.f, st, res)
	}
	_, _ = c.w.Write(body)
}

// q returns the request's q= query, parsed. Clients send it raw, percent-
// encoded or form-encoded ('+' for a space): all read the same.
func (c *call) q() (*query.Query, error) {
	raw := c.r.URL.RawQuery
	var val string
	found := false
	for part := range strings.SplitSeq(raw, "&") {
		k, v, _ := strings.Cut(part, "=")
		if strings.EqualFold(k, "q") {
			val, found = v, true
			break
		}
	}
	if !found {
		// A query that holds a raw '&' ends up split: take everything
		// after q= then.
		return nil, invalidOp("this request needs a q= query")
	}
	if i := qStart(raw); i >= 0 && strings.Contains(raw[i:], "&") {
		// Keep a raw '&' that is part of a value (Name=A&B) unless it
		// starts another parameter the Web SDK knows.
		rest := raw[i+2:]
		if j := strings.Index(rest, "&"); j >= 0 && !knownParam(rest[j+1:]) {
			val = rest
		}
	}
	dec, err := url.QueryUnescape(val)
	if err != nil {
		dec, err = url.PathUnescape(strings.ReplaceAll(val, "+", " "))
		if err != nil {
			return nil, invalidOp("q= is not valid percent-encoding: %v", err)
		}
	}
	q, err := query.Parse(dec)
	if err != nil {
		return nil, invalidOp("%v", err)
	}
	return q, nil
}

// qStart is where the q parameter starts in a raw query: at its start or
// right after an '&', never inside another parameter's name (xq=).
func qStart(raw string) int {
	for i := 0; i+1 < len(raw); i++ {
		if (i == 0 || raw[i-1] == '&') && (raw[i] == 'q' || raw[i] == 'Q') && raw[i+1] == '=' {
			return i
		}
	}
	return -1
}

func knownParam(s string) bool {
	k, _, _ := strings.Cut(s, "=")
	switch strings.ToLower(k) {
	case "q", "_", "accept":
		return true
	}
	return false
}
