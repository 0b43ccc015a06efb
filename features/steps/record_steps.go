package steps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/scenarios"
)

// Record and replay (SPEC §9): pacsim record between the driver and the
// simulated SmartService, the recording it writes, and that recording
// served back (pacsim replay) or compared with the server (--against).

// rpState is a scenario's recorder, recording and replayer. It lives beside
// the World (keyed by it) so the World itself stays the site's.
type rpState struct {
	dir      string
	path     string
	writer   *scenarios.Writer
	rec      *scenarios.Recorder
	recorder *httptest.Server
	replayer *scenarios.Replayer
	replay   *httptest.Server
	answers  []string // bodies (or "404: …") of the requests sent to the replay
	status   []int
	report   *scenarios.Report
	readErr  error
	mu       sync.Mutex
	misses   []string // the requests the replay matched to nothing, with its answer
}

// codeWriter keeps the status and body of an answer it passes on.
type codeWriter struct {
	http.ResponseWriter
	code int
	body strings.Builder
}

func (c *codeWriter) WriteHeader(code int) { c.code = code; c.ResponseWriter.WriteHeader(code) }

func (c *codeWriter) Write(b []byte) (int, error) {
	if c.code == 0 {
		c.code = http.StatusOK
	}
	if c.code == http.StatusNotFound {
		c.body.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

// Flush passes streamed answers on as they come.
func (c *codeWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

var rpStates sync.Map // *World → *rpState

func (w *World) rp() *rpState {
	v, _ := rpStates.LoadOrStore(w, &rpState{})
	return v.(*rpState)
}

func init() {
	vocabulary = append(vocabulary, recordSteps...)
}

var recordSteps = []StepDoc{
	{"Record and replay", `^pacsim record is between the driver and the server$`,
		"Puts pacsim record (the recording proxy, redacting) between the driver and the simulated SmartService: the driver connected after it talks to the proxy, which records every exchange to a file.",
		`Given pacsim record is between the driver and the server`, func(w *World) any { return w.recordBetween }},
	{"Record and replay", `^the recording holds every exchange the server answered, in order$`,
		"Reads the recording back (pacsim replay would refuse a broken one) and compares its exchanges, method and path, with the requests the SmartService received, in order.",
		`Then the recording holds every exchange the server answered, in order`, func(w *World) any { return w.recordingComplete }},
	{"Record and replay", `^the recording (does not contain|contains) ` + q + `$`,
		"Looks for a text anywhere in the recording file (queries, headers, bodies): secrets and personal data must not be there, component names must.",
		`Then the recording does not contain "Alice Martin"`, func(w *World) any { return w.recordingContains }},
	{"Record and replay", `^the recording's session keys are pseudonyms that still match one another$`,
		"The Login answer's SessionKey is not the server's, and the sdKey of the requests after it is the same pseudonym, so the recording still replays.",
		`Then the recording's session keys are pseudonyms that still match one another`, func(w *World) any { return w.recordingKeys }},
	{"Record and replay", `^the recording is served by pacsim replay$`,
		"Serves the recording as pacsim replay --speed max does.",
		`When the recording is served by pacsim replay`, func(w *World) any { return w.replayServe }},
	{"Record and replay", `^a second driver runs against the replay$`,
		"A new EntraPass driver logs in to the replay and polls as many times as the first one did; every request must match and it must reach the same asset states as the first.",
		`When a second driver runs against the replay`, func(w *World) any { return w.replayDriver }},
	{"Record and replay", `^"(GET|PUT|POST|DELETE) ([^"]*)" is sent to the replay (\d+) times?$`,
		"Sends a request (path?query, the recorded session key written SDKEY) to the replay, N times, keeping each answer.",
		`When "GET /SmartService/Events?sdKey=SDKEY" is sent to the replay 3 times`, func(w *World) any { return w.replaySend }},
	{"Record and replay", `^the replay answered them in recorded order, the last answer repeating$`,
		"The answers are the recorded answers of identical requests, in order; past the last, the last repeats.",
		`Then the replay answered them in recorded order, the last answer repeating`, func(w *World) any { return w.replayInOrder }},
	{"Record and replay", `^the replay answered 404 naming the nearest exchange and the field ` + q + `$`,
		"The last request matched nothing: HTTP 404, a body naming the nearest exchange, its line and the field that differed.",
		`Then the replay answered 404 naming the nearest exchange and the field "path"`, func(w *World) any { return w.replayMismatch }},
	{"Record and replay", `^the recording is compared with the server$`,
		"Sends the recorded requests to the simulated SmartService, as pacsim replay --against does, logging in as the driver did.",
		`When the recording is compared with the server`, func(w *World) any { return w.replayAgainst }},
	{"Record and replay", `^the comparison reports no difference$`,
		"pacsim replay --against would exit 0.",
		`Then the comparison reports no difference`, func(w *World) any { return w.againstNone }},
	{"Record and replay", `^the comparison reports a difference for ` + q + `$`,
		"A difference of status or structure is reported for a recorded request (\"GET /SmartService/Doors/20\").",
		`Then the comparison reports a difference for "GET /SmartService/GatewaysSites"`, func(w *World) any { return w.againstHas }},
	{"Record and replay", `^a recording whose header says version (\d+) is read$`,
		"Writes a recording with that version in its header and reads it as pacsim replay does.",
		`When a recording whose header says version 2 is read`, func(w *World) any { return w.readVersion }},
	{"Record and replay", `^it is refused with ` + q + `$`,
		"The reading failed with an error containing the text (its line is named).",
		`Then it is refused with "line 1: recording version 2: this pacsim reads version 1"`, func(w *World) any { return w.readRefused }},
}

func (w *World) recordBetween() error {
	if err := w.needSite(); err != nil {
		return err
	}
	if w.drv != nil {
		return errors.New(`put pacsim record in place before "the driver is connected"`)
	}
	st := w.rp()
	dir, err := os.MkdirTemp("", "pacsim-rp-")
	if err != nil {
		return err
	}
	w.defer_(func() { os.RemoveAll(dir) })
	st.dir, st.path = dir, filepath.Join(dir, "site.jsonl")
	up, _ := url.Parse(w.ts.URL + "/SmartService/")
	if st.writer, err = scenarios.Create(st.path, scenarios.Header{System: scenarios.SystemEntraPass, Upstream: up.String(), Redacted: true}); err != nil {
		return err
	}
	rec, err := scenarios.NewRecorder(scenarios.RecorderConfig{Upstream: up, System: scenarios.SystemEntraPass, Writer: st.writer, Redact: true})
	if err != nil {
		return err
	}
	st.rec = rec
	st.recorder = httptest.NewServer(rec)
	w.defer_(func() { st.recorder.Close(); st.writer.Close(); rpStates.Delete(w) })
	w.addr = st.recorder.Listener.Addr().String()
	return nil
}

func (w *World) recording() (*scenarios.Recording, error) {
	st := w.rp()
	if st.path == "" {
		return nil, errors.New(`no recording: start with "pacsim record is between the driver and the server"`)
	}
	st.rec.Flush() // the exchanges answered so far are on disk
	return scenarios.Open(st.path)
}

func (w *World) recordingComplete() error {
	rec, err := w.recording()
	if err != nil {
		return err
	}
	w.mu.Lock()
	served := append([]string(nil), w.requests...)
	w.mu.Unlock()
	var got []string
	for _, e := range rec.Exchanges {
		got = append(got, e.Request.Method+" "+e.Request.Path)
	}
	if len(got) != len(served) {
		return fmt.Errorf("the server answered %d requests, the recording holds %d exchanges", len(served), len(got))
	}
	for i := range got {
		if got[i] != served[i] {
			return fmt.Errorf("exchange %d is %q, the server's request %d was %q", i+1, got[i], i+1, served[i])
		}
	}
	return nil
}

func (w *World) recordingContains(mode, text string) error {
	st := w.rp()
	if st.path == "" {
		return errors.New("no recording")
	}
	st.rec.Flush()
	raw, err := os.ReadFile(st.path)
	if err != nil {
		return err
	}
	has := strings.Contains(string(raw), text)
	switch {
	case mode == "contains" && !has:
		return fmt.Errorf("the recording does not contain %q", text)
	case mode != "contains" && has:
		return fmt.Errorf("the recording contains %q", text)
	}
	return nil
}

func (w *World) recordingKeys() error {
	rec, err := w.recording()
	if err != nil {
		return err
	}
	var key string
	uses := 0
	for _, e := range rec.Exchanges {
		if strings.EqualFold(e.Request.Path, "/SmartService/Login") {
			b, _ := e.Response.Bytes()
			s := string(b)
			if i := strings.Index(s, "<SessionKey>"); i >= 0 {
				key = s[i+len("<SessionKey>"):]
				key = key[:strings.Index(key, "<")]
			}
			continue
		}
		q, _ := url.ParseQuery(e.Request.Query)
		if k := q.Get("sdKey"); k != "" && key != "" {
			if k != key {
				return fmt.Errorf("exchange %d sends sdKey %q, not the Login answer's pseudonym %q", e.Seq, k, key)
			}
			uses++
		}
	}
	if key == "" || uses == 0 {
		return errors.New("the recording holds no Login answer with a session key used later")
	}
	for _, k := range w.srv.SessionKeys() {
		if k == key {
			return fmt.Errorf("the recording holds the server's own session key %q", key)
		}
	}
	return nil
}

func (w *World) replayServe() error {
	rec, err := w.recording()
	if err != nil {
		return err
	}
	st := w.rp()
	if st.replayer, err = scenarios.NewReplayer(scenarios.ReplayConfig{Recording: rec}); err != nil {
		return err
	}
	st.replay = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		cw := &codeWriter{ResponseWriter: rw}
		st.replayer.ServeHTTP(cw, r)
		if cw.code == http.StatusNotFound {
			st.mu.Lock()
			st.misses = append(st.misses, r.Method+" "+r.URL.RequestURI()+": "+cw.body.String())
			st.mu.Unlock()
		}
	}))
	w.defer_(st.replay.Close)
	return nil
}

func (w *World) needReplay() (*rpState, error) {
	st := w.rp()
	if st.replay == nil {
		return nil, errors.New(`no replay: add "When the recording is served by pacsim replay"`)
	}
	return st, nil
}

func (w *World) replayDriver() error {
	st, err := w.needReplay()
	if err != nil {
		return err
	}
	if w.drv == nil {
		return errors.New("no first driver to compare with")
	}
	cfg := w.cfg
	u, _ := url.Parse(st.replay.URL)
	cfg.Host = u.Hostname()
	cfg.Port, _ = strconv.Atoi(u.Port())
	d, err := entrapass.New(cfg)
	if err != nil {
		return err
	}
	ctx, cancel := ctxT()
	defer cancel()
	// As many cycles as the first driver made: one more would ask for
	// states the server was never asked for.
	for range len(w.pollErrs) {
		if err := d.PollOnce(ctx); err != nil {
			st.mu.Lock()
			defer st.mu.Unlock()
			return fmt.Errorf("the second driver against the replay: %w (unmatched: %s)", err, strings.Join(st.misses, "; "))
		}
	}
	if n := st.replayer.Unmatched(); n > 0 {
		return fmt.Errorf("%d request(s) of the second driver matched nothing in the recording", n)
	}
	want := map[string]string{}
	for _, s := range w.drv.Registry().List() {
		want[s.Ref.String()] = string(s.Status)
	}
	for _, s := range d.Registry().List() {
		if want[s.Ref.String()] != string(s.Status) {
			return fmt.Errorf("%s shows %q against the replay, %q against the server", s.Ref, s.Status, want[s.Ref.String()])
		}
	}
	return nil
}

// sessionKey is the (pseudonymised) session key of the recording's Login.
func (w *World) sessionKey() string {
	rec, err := w.recording()
	if err != nil {
		return ""
	}
	for _, e := range rec.Exchanges {
		if strings.EqualFold(e.Request.Path, "/SmartService/Login") {
			b, _ := e.Response.Bytes()
			s := string(b)
			if i := strings.Index(s, "<SessionKey>"); i >= 0 {
				k := s[i+len("<SessionKey>"):]
				return k[:strings.Index(k, "<")]
			}
		}
	}
	return ""
}

func (w *World) replaySend(method, target string, n int) error {
	st, err := w.needReplay()
	if err != nil {
		return err
	}
	target = strings.ReplaceAll(target, "SDKEY", url.QueryEscape(w.sessionKey()))
	st.answers, st.status = nil, nil
	for range n {
		req, err := http.NewRequest(method, st.replay.URL+target, nil)
		if err != nil {
			return err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		st.answers = append(st.answers, string(b))
		st.status = append(st.status, resp.StatusCode)
	}
	return nil
}

func (w *World) replayInOrder() error {
	st, err := w.needReplay()
	if err != nil {
		return err
	}
	rec, err := w.recording()
	if err != nil {
		return err
	}
	// The recorded answers to Events polls, in order.
	var want []string
	for _, e := range rec.Exchanges {
		if strings.EqualFold(e.Request.Path, "/SmartService/Events") {
			b, _ := e.Response.Bytes()
			want = append(want, string(b))
		}
	}
	if len(want) == 0 {
		return errors.New("the recording holds no Events poll")
	}
	for i, got := range st.answers {
		exp := want[min(i, len(want)-1)]
		if st.status[i] != http.StatusOK || got != exp {
			return fmt.Errorf("answer %d (status %d) is not the recorded answer %d", i+1, st.status[i], min(i, len(want)-1)+1)
		}
	}
	return nil
}

func (w *World) replayMismatch(field string) error {
	st, err := w.needReplay()
	if err != nil {
		return err
	}
	if len(st.status) == 0 {
		return errors.New("nothing was sent to the replay")
	}
	last, body := st.status[len(st.status)-1], st.answers[len(st.answers)-1]
	if last != http.StatusNotFound {
		return fmt.Errorf("the replay answered %d, not 404: %s", last, body)
	}
	if !strings.Contains(body, "nearest") || !strings.Contains(body, "line") || !strings.Contains(body, field) {
		return fmt.Errorf("the 404 does not name the nearest exchange, its line and %q: %s", field, body)
	}
	return nil
}

func (w *World) replayAgainst() error {
	rec, err := w.recording()
	if err != nil {
		return err
	}
	base, _ := url.Parse(w.ts.URL + "/SmartService/")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rep, err := scenarios.Against(ctx, rec, base, scenarios.AgainstOptions{Username: w.cfg.Username, Password: w.cfg.Password})
	if err != nil {
		return err
	}
	w.rp().report = rep
	return nil
}

func (w *World) againstNone() error {
	rep := w.rp().report
	if rep == nil {
		return errors.New(`no comparison: add "When the recording is compared with the server"`)
	}
	if len(rep.Differences) > 0 || len(rep.Errors) > 0 {
		return fmt.Errorf("the comparison reports %d difference(s) and %d error(s), first: %+v", len(rep.Differences), len(rep.Errors), firstDiff(rep))
	}
	return nil
}

func firstDiff(rep *scenarios.Report) any {
	if len(rep.Differences) > 0 {
		return rep.Differences[0]
	}
	if len(rep.Errors) > 0 {
		return rep.Errors[0]
	}
	return nil
}

func (w *World) againstHas(request string) error {
	rep := w.rp().report
	if rep == nil {
		return errors.New(`no comparison: add "When the recording is compared with the server"`)
	}
	rec, err := w.recording()
	if err != nil {
		return err
	}
	for _, d := range rep.Differences {
		for _, e := range rec.Exchanges {
			if e.Seq == d.Seq && strings.EqualFold(e.Request.Method+" "+e.Request.Path, request) {
				return nil
			}
		}
	}
	return fmt.Errorf("no difference reported for %s (%d difference(s) in all)", request, len(rep.Differences))
}

func (w *World) readVersion(v int) error {
	dir, err := os.MkdirTemp("", "pacsim-rp-")
	if err != nil {
		return err
	}
	w.defer_(func() { os.RemoveAll(dir) })
	p := filepath.Join(dir, "old.jsonl")
	head := fmt.Sprintf(`{"format":"pacsim-recording","version":%d,"system":"entrapass","recorded_at":"2026-01-05T09:00:00Z","upstream":"http://10.0.0.5:8801","redacted":true}`+"\n", v)
	if err := os.WriteFile(p, []byte(head), 0o600); err != nil {
		return err
	}
	_, w.rp().readErr = scenarios.Open(p)
	return nil
}

func (w *World) readRefused(text string) error {
	err := w.rp().readErr
	if err == nil {
		return errors.New("the recording was read")
	}
	if !strings.Contains(err.Error(), text) {
		return fmt.Errorf("refused with %q, which does not say %q", err, text)
	}
	return nil
}
