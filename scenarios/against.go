package scenarios

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

// AgainstOptions configures Against.
type AgainstOptions struct {
	// Client sends the requests (default: a client with a 30 s timeout).
	Client *http.Client
	// Username and Password log in to the live server: a recording's
	// credentials are redacted, so EntraPass Login's userName and password
	// parameters and the Web SDK's Authorization are replaced by these.
	// Empty keeps what was recorded (a recording made with --no-redact).
	Username, Password string
	// AppID is the Genetec application ID of the Authorization (default:
	// the recorded one).
	AppID string
}

// Report is what Against found.
type Report struct {
	// Upstream is the live server's base URL.
	Upstream string `json:"upstream"`
	// Exchanges is how many exchanges the recording holds.
	Exchanges int `json:"exchanges"`
	// Sent is how many requests reached the live server (got an answer).
	Sent int `json:"sent"`
	// Differences are the live answers' differences from the recorded
	// ones, in recorded order.
	Differences []Difference `json:"differences"`
	// Errors are requests that got no answer (connection refused, timeout…).
	Errors []string `json:"errors,omitempty"`
	// Notes say where the replay could not resend a request as recorded
	// (an encrypted login sent in clear, a recorded upstream failure not
	// compared): worth knowing, not a difference.
	Notes []string `json:"notes,omitempty"`
}

// Failed reports whether the live server differs from the recording or
// could not be asked.
func (r *Report) Failed() bool { return len(r.Differences) > 0 || len(r.Errors) > 0 }

// maxLiveBody bounds a live answer read for comparison.
const maxLiveBody = 64 << 20

// maxStreamWindow bounds how long a live event stream is read: long enough
// for its ConnectionId and the first events, short enough that a recording
// holding an hour-long stream replays in seconds.
const maxStreamWindow = 2 * time.Second

// minStreamWindow is the least a stream is read, so that a stream recorded
// as lasting no time still shows its first line.
const minStreamWindow = 100 * time.Millisecond

// liveSessionKeyRE finds an EntraPass Login answer's session key, as the public
// clients do (by regex, not by parsing).
var liveSessionKeyRE = regexp.MustCompile(`<SessionKey>([^<]*)</SessionKey>`)

// Against sends rec's requests, in recorded order, to the live server at
// base and compares every answer with the recorded one (Diff): how faithful
// the live server (the simulator, say) is to the site recorded. Each
// request's path is re-based on base's path, its credentials replaced by
// opts', and an EntraPass session key by the one the live server gave.
// The error is for what stops the replay altogether (ctx, bad arguments);
// the report then holds what was done before.
func Against(ctx context.Context, rec *Recording, base *url.URL, opts AgainstOptions) (*Report, error) {
	if rec == nil {
		return nil, errors.New("scenarios: Against: no recording")
	}
	if base == nil || base.Host == "" || (base.Scheme != "http" && base.Scheme != "https") {
		return nil, fmt.Errorf("scenarios: Against: %v is not an http(s) URL", base)
	}
	a := &against{rec: rec, base: base, opts: opts, keys: map[string]string{}, noted: map[string]bool{}}
	if a.opts.Client == nil {
		a.opts.Client = &http.Client{Timeout: 30 * time.Second}
	}
	u := *base
	u.User = nil
	rep := &Report{Upstream: u.String(), Exchanges: len(rec.Exchanges), Differences: []Difference{}}
	a.rep = rep
	for i := range rec.Exchanges {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		a.exchange(ctx, i)
	}
	return rep, ctx.Err()
}

// against is one Against run.
type against struct {
	rec  *Recording
	base *url.URL
	opts AgainstOptions
	rep  *Report
	// keys maps a recorded (pseudonymised) EntraPass session key to the
	// live one its login got.
	keys map[string]string
	// noted holds the notes given, each given once, not per login.
	noted map[string]bool
}

// line is the recording line of exchange i.
func (a *against) line(i int) int {
	if i < len(a.rec.Lines) {
		return a.rec.Lines[i]
	}
	return i + 2 // the header is line 1, exchanges follow one a line
}

// exchange replays exchange i and records what differed.
func (a *against) exchange(ctx context.Context, i int) {
	ex := &a.rec.Exchanges[i]
	name := fmt.Sprintf("exchange %d (line %d) %s %s", ex.Seq, a.line(i), ex.Request.Method, ex.Request.Path)
	req, err := a.request(ctx, ex)
	if err != nil {
		a.rep.Errors = append(a.rep.Errors, fmt.Sprintf("%s: %v", name, err))
		return
	}
	streamed := len(ex.Response.Chunks) > 0 || a.isEventStream(ex)
	var live *Response
	if streamed {
		live, err = a.readStream(ctx, req, ex)
	} else {
		live, err = a.send(req)
	}
	failedUpstream := recordedNoAnswer(ex)
	if err != nil {
		if ctx.Err() != nil {
			return
		}
		if failedUpstream {
			// The upstream failed then and fails now: nothing differs.
			return
		}
		a.rep.Errors = append(a.rep.Errors, fmt.Sprintf("%s: %v", name, err))
		return
	}
	a.rep.Sent++
	if failedUpstream {
		// There is no recorded answer to compare with: the site's server
		// was down, which says nothing of the live one's fidelity.
		a.rep.Notes = append(a.rep.Notes, fmt.Sprintf("%s: the upstream did not answer when recorded (%s): not compared", name, ex.Error))
		return
	}
	a.learnSessionKey(ex, live)
	var diffs []Difference
	if streamed && len(ex.Response.Chunks) > 0 {
		recHead := Response{Status: ex.Response.Status, Header: ex.Response.Header}
		liveHead := Response{Status: live.Status, Header: live.Header}
		diffs = Diff(a.rec.Header.System, &recHead, &liveHead)
		if live.Status == ex.Response.Status {
			recorded, err := ex.Response.Bytes()
			if err != nil {
				a.rep.Errors = append(a.rep.Errors, fmt.Sprintf("%s: recorded stream: %v", name, err))
				return
			}
			diffs = append(diffs, compareEventStreams(a.rec.Header.System, string(recorded), live.Body)...)
		}
	} else {
		diffs = Diff(a.rec.Header.System, &ex.Response, live)
	}
	for _, d := range diffs {
		d.Seq, d.Line = ex.Seq, a.line(i)
		a.rep.Differences = append(a.rep.Differences, d)
	}
}

// recordedNoAnswer reports whether ex holds no answer of the upstream:
// none at all (status 0), or the recorder's own refusal (upstream down, a
// body over its limit), whose body is the error it recorded.
func recordedNoAnswer(ex *Exchange) bool {
	if ex.Response.Status == 0 {
		return true
	}
	if ex.Error == "" || len(ex.Response.Chunks) > 0 {
		return false
	}
	b, err := ex.Response.Bytes()
	return err == nil && strings.HasSuffix(strings.TrimSpace(string(b)), strings.TrimSpace(ex.Error))
}

// isEventStream reports whether ex is the Web SDK's event stream, which
// never ends by itself.
func (a *against) isEventStream(ex *Exchange) bool {
	return ex.Request.Method == http.MethodGet && endsWithFold(strings.TrimRight(ex.Request.Path, "/"), "/WebSdk/events")
}

// isLogin reports whether ex is an EntraPass Login.
func (a *against) isLogin(ex *Exchange) bool {
	return a.rec.Header.System == SystemEntraPass && lastSegmentFold(ex.Request.Path, "login")
}

// request builds the live request of ex.
func (a *against) request(ctx context.Context, ex *Exchange) (*http.Request, error) {
	body, err := ex.Request.Bytes()
	if err != nil {
		return nil, fmt.Errorf("recorded request: %w", err)
	}
	u := url.URL{Scheme: a.base.Scheme, Host: a.base.Host, User: a.base.User,
		Path: rebasePath(a.base.Path, ex.Request.Path), RawQuery: a.query(ex)}
	var rd io.Reader
	if len(body) > 0 {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, ex.Request.Method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	for k, v := range ex.Request.Header {
		switch http.CanonicalHeaderKey(k) {
		case "Content-Length", "Host", "Connection", "Transfer-Encoding", "Keep-Alive":
			// Describe the recorded connection, not this one.
			continue
		}
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), v...)
	}
	if a.rec.Header.System == SystemGenetec {
		if auth, ok := a.authorization(req.Header.Get("Authorization")); ok {
			req.Header.Set("Authorization", auth)
		}
	}
	return req, nil
}

// authorization is the Web SDK Basic credentials to send in place of the
// recorded (redacted) ones: "user;applicationId:password" with opts'
// user and password, the recorded application ID unless opts sets one.
// ok is false when there is nothing to change.
func (a *against) authorization(recorded string) (string, bool) {
	user, app, pass := "", "", ""
	if scheme, enc, ok := strings.Cut(recorded, " "); ok && strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc)); err == nil {
			userApp, p, _ := strings.Cut(string(raw), ":")
			user, app, _ = strings.Cut(userApp, ";")
			pass = p
		}
	}
	if a.opts.Username == "" && a.opts.Password == "" && a.opts.AppID == "" {
		return "", false
	}
	if a.opts.Username != "" {
		user = a.opts.Username
	}
	if a.opts.Password != "" {
		pass = a.opts.Password
	}
	if a.opts.AppID != "" {
		app = a.opts.AppID
	}
	if app != "" {
		user += ";" + app
	}
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass)), true
}

// query is the live query of ex: the recorded one with the EntraPass login
// credentials and session key replaced; every other pair keeps its bytes,
// order and case, which some servers are touchy about.
func (a *against) query(ex *Exchange) string {
	raw := ex.Request.Query
	if a.rec.Header.System != SystemEntraPass {
		return raw
	}
	if a.isLogin(ex) {
		if v, _ := rawQueryValue(raw, "encrypted"); isSmartFlag(v) && (a.rec.Header.Redacted || a.opts.Username != "" || a.opts.Password != "") {
			// The encrypted fields were redacted (or are the recorded
			// operator's): they cannot log in. A plain login does as
			// well, and the answer is the same document.
			a.noteOnce("the recorded login is encrypted (encrypted=1) and its fields redacted: a plain Login?userName=…&password=… was sent instead")
			return "userName=" + url.QueryEscape(a.opts.Username) + "&password=" + url.QueryEscape(a.opts.Password)
		}
		q := rewriteQueryValues(raw, func(name, value string) (string, bool) {
			switch {
			case strings.EqualFold(name, "userName") && a.opts.Username != "":
				return a.opts.Username, true
			case strings.EqualFold(name, "password") && a.opts.Password != "":
				return a.opts.Password, true
			}
			return "", false
		})
		if a.rec.Header.Redacted {
			// A redacted ConnectedProgram is a token the server cannot
			// decrypt: it would refuse the login (Unknown WebSDK ID).
			if q2, dropped := dropQueryParams(q, "ConnectedProgram", "operatorLoginKey"); dropped {
				a.noteOnce("the recorded login's ConnectedProgram is redacted: the login was sent without it")
				q = q2
			}
		}
		return q
	}
	return rewriteQueryValues(raw, func(name, value string) (string, bool) {
		if !strings.EqualFold(name, "sdKey") {
			return "", false
		}
		live, ok := a.keys[value]
		return live, ok
	})
}

// noteOnce adds a note to the report unless it is there already.
func (a *against) noteOnce(n string) {
	if !a.noted[n] {
		a.noted[n] = true
		a.rep.Notes = append(a.rep.Notes, n)
	}
}

// learnSessionKey maps the session key of a recorded Login answer to the
// live answer's, for the sdKey= of the requests that follow.
func (a *against) learnSessionKey(ex *Exchange, live *Response) {
	if !a.isLogin(ex) {
		return
	}
	body, err := ex.Response.Bytes()
	if err != nil {
		return
	}
	rm := liveSessionKeyRE.FindSubmatch(body)
	lm := liveSessionKeyRE.FindStringSubmatch(live.Body)
	if rm == nil || lm == nil {
		return
	}
	a.keys[string(rm[1])] = lm[1]
}

// send sends a request whose answer ends by itself.
func (a *against) send(req *http.Request) (*Response, error) {
	resp, err := a.opts.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxLiveBody))
	if err != nil {
		return nil, fmt.Errorf("reading the answer: %w", err)
	}
	return liveResponse(resp, body), nil
}

// readStream opens a streamed request, reads it for the recorded duration
// (between minStreamWindow and maxStreamWindow) or until it has as many
// lines as the recorded chunks hold, then closes it. The live Response's
// Body is the text read.
func (a *against) readStream(ctx context.Context, req *http.Request, ex *Exchange) (*Response, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req = req.WithContext(ctx)
	resp, err := a.opts.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	want := 0
	if text, err := ex.Response.Bytes(); err == nil && len(ex.Response.Chunks) > 0 {
		want = bytes.Count(text, []byte("\n"))
	}
	window := min(max(time.Duration(ex.DurationMS)*time.Millisecond, minStreamWindow), maxStreamWindow)
	timer := time.NewTimer(window)
	defer timer.Stop()

	lines := make(chan string)
	done := make(chan struct{})
	go func() {
		defer close(lines)
		br := bufio.NewReader(io.LimitReader(resp.Body, maxLiveBody))
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				// A partial line is the stream cut by our close: not
				// something the server sent whole.
				return
			}
			select {
			case lines <- l:
			case <-done:
				return
			}
		}
	}()
	var got strings.Builder
	n := 0
read:
	for want == 0 || n < want {
		select {
		case l, ok := <-lines:
			if !ok {
				break read
			}
			got.WriteString(l)
			n++
		case <-timer.C:
			break read
		}
	}
	close(done)
	cancel()
	resp.Body.Close()
	for range lines {
		// Wait for the reader to stop before resp is let go.
	}
	live := liveResponse(resp, nil)
	live.Body = got.String()
	return live, nil
}

// liveResponse is a live answer in the recording's terms.
func liveResponse(resp *http.Response, body []byte) *Response {
	r := &Response{Status: resp.StatusCode, Header: map[string][]string(resp.Header.Clone())}
	SetBody(body, &r.Body, &r.Body64)
	return r
}

// The Web SDK event stream's framing (sim/genetec/wire writes it).
const (
	streamConnectionID = "ConnectionId:"
	streamBoundary     = "--GENETECBOUNDARY"
	streamKeepAlive    = "KeepAlive"
	streamPartType     = "content-type:"
)

// eventStreamPart is one event of the stream: its declared type and its data
// line.
type eventStreamPart struct {
	ctype, data string
}

// eventStreamDoc is an event stream read into its parts.
type eventStreamDoc struct {
	connectionID bool
	parts        []eventStreamPart
	// odd are lines that fit none of the framing.
	odd []string
}

// parseEventStream reads an event stream's text. Keep-alives and blank lines
// carry nothing to compare and are skipped.
func parseEventStream(text string) eventStreamDoc {
	var d eventStreamDoc
	lines := strings.Split(text, "\n")
	if !strings.HasSuffix(text, "\n") {
		lines = lines[:len(lines)-1] // an unfinished last line
	}
	for i := 0; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r")
		switch {
		case l == "" || l == streamKeepAlive:
		case strings.HasPrefix(l, streamConnectionID) && !d.connectionID && len(d.parts) == 0:
			d.connectionID = true
		case l == streamBoundary:
			var p eventStreamPart
			if i+1 < len(lines) {
				if t := strings.TrimRight(lines[i+1], "\r"); startsWithFold(t, streamPartType) {
					p.ctype = strings.TrimSpace(t[len(streamPartType):])
					i++
				}
			}
			if i+1 < len(lines) {
				p.data = strings.TrimRight(lines[i+1], "\r")
				i++
			}
			d.parts = append(d.parts, p)
		default:
			d.odd = append(d.odd, l)
		}
	}
	return d
}

// compareEventStreams compares a recorded event stream with a live one: the
// ConnectionId line and the structure of the event parts both have (the
// part's type and its data's structure, by Diff, volatile fields ignored).
// How many events came is not compared: events come from the site's
// activity, which a replay does not reproduce.
func compareEventStreams(system, recorded, live string) []Difference {
	r, l := parseEventStream(recorded), parseEventStream(live)
	var out []Difference
	switch {
	case r.connectionID && !l.connectionID:
		out = append(out, Difference{Where: "stream: ConnectionId", Kind: "missing", Want: "present", Got: "absent"})
	case !r.connectionID && l.connectionID:
		out = append(out, Difference{Where: "stream: ConnectionId", Kind: "extra", Want: "absent", Got: "present"})
	}
	for i := range min(len(r.parts), len(l.parts)) {
		rp, lp := r.parts[i], l.parts[i]
		where := fmt.Sprintf("stream: part %d", i+1)
		if !strings.EqualFold(rp.ctype, lp.ctype) {
			out = append(out, Difference{Where: where + ": content type", Kind: "type", Want: rp.ctype, Got: lp.ctype})
			continue
		}
		rr := Response{Status: http.StatusOK, Header: map[string][]string{"Content-Type": {rp.ctype}}, Body: rp.data}
		lr := Response{Status: http.StatusOK, Header: map[string][]string{"Content-Type": {lp.ctype}}, Body: lp.data}
		for _, d := range Diff(system, &rr, &lr) {
			d.Where = where + " " + d.Where
			out = append(out, d)
		}
	}
	// Lines outside the framing: the first each side has that the other
	// lacks (more would repeat one finding).
	for _, o := range r.odd {
		if !slices.Contains(l.odd, o) {
			out = append(out, Difference{Where: "stream: " + clipText(o, 80), Kind: "missing", Want: "present", Got: "absent"})
			break
		}
	}
	for _, o := range l.odd {
		if !slices.Contains(r.odd, o) {
			out = append(out, Difference{Where: "stream: " + clipText(o, 80), Kind: "extra", Want: "absent", Got: "present"})
			break
		}
	}
	return out
}

// rebasePath puts a recorded path under the live base path. The base may
// already name the head-end's prefix (http://host/SmartService/, as
// drivers are configured): the longest tail of the base that the recorded
// path starts with is not repeated, so /SmartService/ + /SmartService/Doors
// is /SmartService/Doors and /proxy/SmartService + /SmartService/Doors is
// /proxy/SmartService/Doors.
func rebasePath(basePath, recorded string) string {
	bs := pathSegments(basePath)
	rs := pathSegments(recorded)
	keep := len(bs)
	for n := min(len(bs), len(rs)); n > 0; n-- {
		if segmentsEqualFold(bs[len(bs)-n:], rs[:n]) {
			keep = len(bs) - n
			break
		}
	}
	mount := strings.Join(bs[:keep], "/")
	if mount == "" {
		return recorded
	}
	return "/" + mount + "/" + strings.TrimPrefix(recorded, "/")
}

func pathSegments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func segmentsEqualFold(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// rewriteQueryValues returns raw with the values f replaces (ok true) swapped in,
// escaped; names are given to f unescaped, values unescaped.
func rewriteQueryValues(raw string, f func(name, value string) (string, bool)) string {
	if raw == "" {
		return raw
	}
	pairs := strings.Split(raw, "&")
	for i, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			value = v
		}
		if nv, ok := f(name, value); ok {
			pairs[i] = k + "=" + url.QueryEscape(nv)
		}
	}
	return strings.Join(pairs, "&")
}

// dropQueryParams returns raw without the named parameters (compared
// ignoring case), and whether there were any.
func dropQueryParams(raw string, names ...string) (string, bool) {
	var kept []string
	dropped := false
	for p := range strings.SplitSeq(raw, "&") {
		k, _, _ := strings.Cut(p, "=")
		n, err := url.QueryUnescape(k)
		if err == nil && slices.ContainsFunc(names, func(x string) bool { return strings.EqualFold(x, n) }) {
			dropped = true
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, "&"), dropped
}

// rawQueryValue is the first value of a parameter, its name compared
// ignoring case as SmartService does.
func rawQueryValue(raw, name string) (string, bool) {
	for p := range strings.SplitSeq(raw, "&") {
		k, v, _ := strings.Cut(p, "=")
		if n, err := url.QueryUnescape(k); err == nil && strings.EqualFold(n, name) {
			if u, err := url.QueryUnescape(v); err == nil {
				return u, true
			}
			return v, true
		}
	}
	return "", false
}

// isSmartFlag is SmartService's reading of a flag: 1 or true.
func isSmartFlag(v string) bool {
	v = strings.TrimSpace(v)
	return v == "1" || strings.EqualFold(v, "true")
}

func lastSegmentFold(path, name string) bool {
	s := pathSegments(path)
	return len(s) > 0 && strings.EqualFold(s[len(s)-1], name)
}

func endsWithFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

func startsWithFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
