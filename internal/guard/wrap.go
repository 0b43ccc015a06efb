package guard

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Options says what Wrap lets through.
type Options struct {
	// Addr is the address the API listens on; its host is accepted in
	// Host (an IP always is, see Wrap).
	Addr net.Addr
	// AllowHosts are further host names accepted in Host, without a port
	// (the name a remote PSIM uses to reach this machine); "*" accepts any
	// Host.
	AllowHosts []string
	// Token, when not empty, must come with every request as
	// "Authorization: Bearer <Token>", except on Open paths.
	Token string
	// Open are paths answered without the token (health probes).
	Open []string
	// TokenHint says where the token is set, for the 401's message
	// ("--token-file or $PACSIM_DRIVER_TOKEN").
	TokenHint string
	// ScriptBodies accepts a body of any Content-Type from a client that is
	// not a browser (no Origin, no Sec-Fetch-Site: curl -d, a script), as
	// the simulator's control API has always done. A browser always sends
	// one of them with a page's POST, so a page is still held to JSON (and
	// to its own origin, which the Origin check sees).
	ScriptBodies bool
}

// Wrap refuses, before next sees it, a request a web page in a browser on
// this machine could send on its own, with {"error":"…"}:
//
//   - 403 when Host names neither this machine nor an allowed host: a page
//     that rebinds its own name to 127.0.0.1 (DNS rebinding) sends its own
//     name. Accepted: any IP address, localhost, the host of Addr and
//     AllowHosts; the port is not compared, so a forwarded port works.
//   - 403 when Origin is another origin than the Host (or "null"), or
//     Sec-Fetch-Site says cross-site: a page's cross-origin request.
//   - 415 when a body comes without Content-Type application/json (or
//     +json): a page can POST text/plain or a form without a preflight.
//   - 401 when a token is set and the request does not carry it.
func Wrap(next http.Handler, o Options) http.Handler {
	hosts := map[string]bool{"localhost": true}
	anyHost := false
	for _, h := range o.AllowHosts {
		h = normHost(h)
		if h == "*" {
			anyHost = true
		}
		hosts[h] = true
	}
	if o.Addr != nil {
		if h, _, err := net.SplitHostPort(o.Addr.String()); err == nil {
			hosts[normHost(h)] = true
		}
	}
	var want [32]byte
	if o.Token != "" {
		want = sha256.Sum256([]byte(o.Token))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !anyHost && !hostAllowed(r.Host, hosts) {
			refuse(w, http.StatusForbidden, fmt.Sprintf("Host %q refused: this API answers requests addressed to an IP address, localhost or a host given with --allow-host (a defence against DNS rebinding)", Clip(r.Host)))
			return
		}
		if msg := crossOrigin(r); msg != "" {
			refuse(w, http.StatusForbidden, msg)
			return
		}
		fromScript := o.ScriptBodies && r.Header.Get("Origin") == "" && r.Header.Get("Sec-Fetch-Site") == ""
		if !fromScript && r.ContentLength != 0 && r.Body != nil && r.Body != http.NoBody {
			if ct := r.Header.Get("Content-Type"); !isJSON(ct) {
				refuse(w, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type %q refused: send the body as application/json", Clip(ct)))
				return
			}
		}
		if o.Token != "" && !slices.Contains(o.Open, r.URL.Path) {
			got, ok := bearer(r)
			sum := sha256.Sum256([]byte(got))
			if subtle.ConstantTimeCompare(sum[:], want[:]) != 1 || !ok {
				w.Header().Set("WWW-Authenticate", `Bearer realm="pacsim"`)
				msg := "missing or wrong bearer token: send Authorization: Bearer <token>"
				if o.TokenHint != "" {
					msg += " (the token set with " + o.TokenHint + ")"
				}
				refuse(w, http.StatusUnauthorized, msg)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// normHost lowers a host name and drops brackets and a trailing dot.
func normHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	return strings.TrimSuffix(h, ".")
}

// hostAllowed reports whether the Host header names this machine: an IP
// address (no page can rebind one), or a listed name.
func hostAllowed(host string, names map[string]bool) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = normHost(h)
	if h == "" {
		return false
	}
	if net.ParseIP(h) != nil {
		return true
	}
	return names[h]
}

// crossOrigin returns why r came from another origin, or "".
func crossOrigin(r *http.Request) string {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if o == "null" || err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host) {
			return fmt.Sprintf("cross-origin request from %q refused: this API serves only pages of its own origin", Clip(o))
		}
		return ""
	}
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return "cross-site request refused (Sec-Fetch-Site: cross-site): this API serves only pages of its own origin"
	}
	return ""
}

// isJSON reports whether a Content-Type is JSON.
func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// bearer returns the token of an Authorization: Bearer header.
func bearer(r *http.Request) (string, bool) {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// refuse answers {"error":msg}, the error form of every guarded API.
func refuse(w http.ResponseWriter, code int, msg string) {
	b, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{msg})
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}
