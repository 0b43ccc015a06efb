package genetec

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"

	"github.com/pacsim/pacsim/internal/guard"
	"github.com/pacsim/pacsim/internal/limit"
)

// maxRequest bounds a request body of the API.
const maxRequest = 64 << 10

// Handler is the connector's API (SPEC §7): JSON under /v1, errors
// {"error":"…"} with a 4xx status naming what was wrong (502 with Security
// Center's own message when it failed).
func (c *Connector) Handler() http.Handler {
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, notFound("no route %s %s", r.Method, clip(r.URL.Path)))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, &Error{http.StatusMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s", r.Method, clip(r.URL.Path))})
	})
	h := func(path string, fn func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error), methods ...string) {
		r.Path(path).Methods(methods...).HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, maxRequest)
			code, out, err := fn(w, r, mux.Vars(r))
			switch {
			case errors.Is(err, ErrPending):
				writeJSON(w, http.StatusAccepted, out)
			case err != nil:
				writeErr(w, err)
			default:
				writeJSON(w, code, out)
			}
		})
	}
	get, post, put, del := http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	// Health (SPEC §11): plain "ok", as on every pacsim service.
	r.Path(guard.HealthPath).Methods(get, http.MethodHead).HandlerFunc(guard.Healthz)
	r.Path(guard.ReadyPath).Methods(get, http.MethodHead).HandlerFunc(guard.Readyz(c.Ready))
	h("/v1/providers/test", func(w http.ResponseWriter, r *http.Request, _ map[string]string) (int, any, error) {
		var p Provider
		if err := decode(r, &p); err != nil {
			return 0, nil, err
		}
		res, err := c.TestConnection(r.Context(), p)
		return 200, res, err
	}, post)
	h("/v1/providers", func(w http.ResponseWriter, r *http.Request, _ map[string]string) (int, any, error) {
		if r.Method == get {
			l, err := c.Providers()
			return 200, l, err
		}
		var p Provider
		if err := decode(r, &p); err != nil {
			return 0, nil, err
		}
		p, err := c.AddProvider(p)
		return 201, p, err
	}, get, post)
	h("/v1/providers/{id}", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		switch r.Method {
		case put:
			raw, err := body(r)
			if err != nil {
				return 0, nil, err
			}
			p, err := c.UpdateProvider(v["id"], raw)
			return 200, p, err
		case del:
			return 200, map[string]string{"deleted": v["id"]}, c.DeleteProvider(v["id"])
		}
		p, err := c.Provider(v["id"])
		return 200, p, err
	}, get, put, del)
	h("/v1/providers/{id}/refresh", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		s, err := c.Refresh(r.Context(), v["id"])
		return 200, s, err
	}, post)
	h("/v1/providers/{id}/badges", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		if r.Method == get {
			l, err := c.Badges(v["id"])
			return 200, l, err
		}
		var b Badge
		if err := decode(r, &b); err != nil {
			return 0, nil, err
		}
		b, err := c.AddBadge(v["id"], b)
		return 201, b, err
	}, get, post)
	h("/v1/providers/{id}/badges/{badge}", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		switch r.Method {
		case put:
			raw, err := body(r)
			if err != nil {
				return 0, nil, err
			}
			b, err := c.UpdateBadge(v["id"], v["badge"], raw)
			return 200, b, err
		case del:
			return 200, map[string]string{"deleted": v["badge"]}, c.DeleteBadge(v["id"], v["badge"])
		}
		b, err := c.Badge(v["id"], v["badge"])
		return 200, b, err
	}, get, put, del)
	h("/v1/user-groups", func(w http.ResponseWriter, r *http.Request, _ map[string]string) (int, any, error) {
		if r.Method == get {
			l, err := c.UserGroups()
			return 200, l, err
		}
		var g UserGroup
		if err := decode(r, &g); err != nil {
			return 0, nil, err
		}
		g, err := c.AddUserGroup(g)
		return 201, g, err
	}, get, post)
	h("/v1/user-groups/{id}", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		switch r.Method {
		case put:
			raw, err := body(r)
			if err != nil {
				return 0, nil, err
			}
			g, err := c.UpdateUserGroup(v["id"], raw)
			return 200, g, err
		case del:
			return 200, map[string]string{"deleted": v["id"]}, c.DeleteUserGroup(v["id"])
		}
		g, err := c.UserGroup(v["id"])
		return 200, g, err
	}, get, put, del)
	h("/v1/visits", func(w http.ResponseWriter, r *http.Request, _ map[string]string) (int, any, error) {
		if r.Method == get {
			active := r.URL.Query().Get("active")
			if active != "" && active != "true" && active != "false" {
				return 0, nil, badRequest("active=%q: true or false", clip(active))
			}
			l, err := c.Visits(active == "true")
			return 200, l, err
		}
		var s SignInRequest
		if err := decode(r, &s); err != nil {
			return 0, nil, err
		}
		vis, err := c.SignIn(r.Context(), s)
		return 201, vis, err
	}, get, post)
	h("/v1/visits/{id}", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		vis, err := c.Visit(v["id"])
		return 200, vis, err
	}, get)
	h("/v1/visits/{id}/accesses", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		a, err := c.Accesses(v["id"])
		return 200, a, err
	}, get)
	h("/v1/visits/{id}/deactivate", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		var req struct {
			By string `json:"by"`
		}
		if err := decodeOptional(r, &req); err != nil {
			return 0, nil, err
		}
		vis, err := c.Deactivate(r.Context(), v["id"], req.By)
		return 200, vis, err
	}, post)
	h("/v1/visits/{id}/signout", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		vis, err := c.SignOut(r.Context(), v["id"])
		return 200, vis, err
	}, post)
	h("/v1/locations/{location}/end-of-day", func(w http.ResponseWriter, r *http.Request, v map[string]string) (int, any, error) {
		l, err := c.EndOfDay(r.Context(), v["location"])
		return 200, l, err
	}, post)
	return sameOrigin(r)
}

// sameOrigin refuses a request a web page of another origin sent: a
// browser adds Origin to every cross-origin POST, and without this a page
// open on the reception's machine could sign visitors in or out.
func sameOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			u, err := url.Parse(o)
			if err != nil || !strings.EqualFold(u.Host, r.Host) {
				writeErr(w, &Error{http.StatusForbidden, fmt.Sprintf("cross-origin request from %s refused", clip(o))})
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func body(r *http.Request) (json.RawMessage, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, &Error{http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over %d bytes", maxRequest)}
	}
	if err := limit.JSON(b, limit.Server); err != nil {
		return nil, badRequest("the body is refused: %v", err)
	}
	if !json.Valid(b) {
		return nil, badRequest("the body is not JSON")
	}
	return b, nil
}

// decode reads a JSON body strictly: unknown fields and trailing data are
// refused.
func decode(r *http.Request, v any) error {
	raw, err := body(r)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("body: %v", err)
	}
	if dec.More() {
		return badRequest("body: data after the JSON object")
	}
	return nil
}

// decodeOptional is decode, an empty body being allowed.
func decodeOptional(r *http.Request, v any) error {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return &Error{http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is over %d bytes", maxRequest)}
	}
	if strings.TrimSpace(string(raw)) == "" {
		return nil
	}
	if err := limit.JSON(raw, limit.Server); err != nil {
		return badRequest("the body is refused: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("body: %v", err)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, err error) {
	writeJSON(w, StatusOf(err), map[string]string{"error": err.Error()})
}
