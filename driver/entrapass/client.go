package entrapass

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pacsim/pacsim/driver/asset"
)

// maxStale bounds the session keys kept to be logged out later.
const maxStale = 16

// Option configures a Client or a Driver.
type Option func(*options)

type options struct {
	httpClient *http.Client
	logger     *slog.Logger
	bus        *asset.Bus
	stateFile  string
}

// WithHTTPClient sends requests through h instead of a client built from the
// configuration (TLS settings included: h's transport decides them). Its
// Timeout should be zero: each request is bounded by Config.RequestTimeout.
func WithHTTPClient(h *http.Client) Option { return func(o *options) { o.httpClient = h } }

// WithLogger logs to l (nothing is logged by default). Lines never contain
// the password or the session key: URLs are redacted before they are logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

func buildOptions(opts []Option) options {
	var o options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Operator is the login answer (<Operator>), without the session key, which
// the client keeps to itself.
type Operator struct {
	// Name is OperatorName.
	Name string
	// ServerVersion is as sent ("8.10.0.1234"); Version is it parsed.
	ServerVersion string
	Version       Version
	// SmartlinkVersion and SmartServiceVersion are as sent.
	SmartlinkVersion    string
	SmartServiceVersion string
	// UTCDateTime is the server's clock at login (zero if unreadable).
	UTCDateTime time.Time
	// DateFormat, TimeFormat and SystemName are as sent.
	DateFormat, TimeFormat, SystemName string
	// DefaultCardType is the card type of a card created without one.
	DefaultCardType int
	// PINLength is the length of a card user's PIN (5).
	PINLength int
	// Rights are the operator's rights the answer listed (CardRight,
	// DoorOperationRight…: its elements whose name contains "Right"),
	// each True or False; nil when it listed none. See HasRight.
	Rights map[string]bool
}

// Client is a SmartService client: it logs in (encrypted, with a fresh
// ConnectedProgram at every login), keeps the session key, passes it as
// sdKey, detects faults (HTTP 200 with a StandardFault) and lost sessions
// (it logs the old key out, logs in again and retries the request once), and
// reads and commands the server. It is safe for concurrent use.
type Client struct {
	cfg  Config
	base string
	http *http.Client
	log  *slog.Logger

	// loginMu serialises logins and logouts.
	loginMu sync.Mutex

	mu  sync.Mutex // guards key, op, gen, stale
	key string
	op  Operator
	gen uint64
	// stale are session keys given up on (Forget): logged out at the next
	// login, so they hold no slot.
	stale []string

	// registered is how many components the last RegisterStates named,
	// which bounds a state poll's answer.
	registered atomic.Int64
}

// NewClient validates cfg and makes a client; it sends nothing.
func NewClient(cfg Config, opts ...Option) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.WithDefaults()
	o := buildOptions(opts)
	h := o.httpClient
	if h == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // only when configured explicitly
		tr.MaxIdleConnsPerHost = 4
		h = &http.Client{Transport: tr}
	}
	// Never follow a redirect: it would resend the credentials elsewhere.
	hc := *h
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Client{cfg: cfg, base: cfg.BaseURL(), http: &hc, log: o.logger}, nil
}

// Config returns the client's configuration, defaults applied.
func (c *Client) Config() Config { return c.cfg }

// BaseURL returns http(s)://host:port/SmartService/.
func (c *Client) BaseURL() string { return c.base }

// Generation counts successful logins: it changes whenever the session
// changes (a login, or a re-login after the session was lost), which tells
// the driver to register its components again and resynchronise.
func (c *Client) Generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// LoggedIn reports whether the client holds a session key.
func (c *Client) LoggedIn() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.key != ""
}

// Operator returns the answer of the last login, if logged in.
func (c *Client) Operator() (Operator, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.op, c.key != ""
}

func (c *Client) currentKey() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.key
}

// Login logs in, first logging out the session the client held, if any (so
// no session slot is left behind). It sends encrypted=1 with the user name,
// the password and ConnectedProgram = "<IntegrationID>,<new GUID>" encrypted
// with the password, then checks ServerVersion (at least 7.50).
//
// A refusal is a *LoginError that wraps the cause: a *Fault for which
// errors.Is(err, ErrBadLogin) (wrong credentials, operator disabled, password
// expired: the server's sentence says which), ErrLicence
// (SMARTLINK_UNKNOWN_WEB_SDK_ID) or ErrSessionLimit holds, or a
// *VersionError (ErrVersion).
func (c *Client) Login(ctx context.Context) (Operator, error) {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	c.retire(c.takeKey())
	return c.login(ctx)
}

// Logout ends the session, if any. The key is forgotten even when the server
// cannot be told.
func (c *Client) Logout(ctx context.Context) error {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	old := c.takeKey()
	if old == "" {
		return nil
	}
	return c.logoutKey(ctx, old)
}

// Forget drops the session key without telling the server (a session the
// driver believes lost); the next Login logs in afresh.
func (c *Client) Forget() {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	c.retire(c.takeKey())
}

// retire queues a session key to be logged out at the next login (which
// first logs out every retired key it can reach).
func (c *Client) retire(key string) {
	if key == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stale = append(c.stale, key)
	if len(c.stale) > maxStale {
		c.stale = c.stale[len(c.stale)-maxStale:]
	}
}

// takeKey clears and returns the session key. Called with loginMu held.
func (c *Client) takeKey() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := c.key
	c.key = ""
	return k
}

// logoutKey sends Logout for key; a failure is only logged (the session
// will idle out on the server).
func (c *Client) logoutKey(ctx context.Context, key string) error {
	_, err := c.roundTrip(ctx, request{method: http.MethodGet, path: "Logout"}, key)
	switch {
	case errors.Is(err, ErrSessionExpired):
		c.log.Debug("entrapass: the previous session had already ended on the server")
		return err
	case err != nil:
		c.log.Debug("entrapass: logout failed (the session will idle out on the server)", "error", err)
		return err
	}
	c.log.Debug("entrapass: logged out")
	return nil
}

// login logs in. Called with loginMu held and no key.
func (c *Client) login(ctx context.Context) (Operator, error) {
	// Sessions the driver gave up on while the server could not be
	// reached: log them out now, so they hold no slot of the operator's.
	// A key whose logout could not reach the server is kept for the next
	// login; one the server answered for (logged out, or unknown to it) is
	// done with.
	c.mu.Lock()
	stale := c.stale
	c.stale = nil
	c.mu.Unlock()
	for i, k := range stale {
		if err := c.logoutKey(ctx, k); err != nil && errors.Is(err, ErrUnreachable) {
			for _, k := range stale[i:] { // no use trying the others now
				c.retire(k)
			}
			break
		}
	}

	guid, err := newGUID()
	if err != nil {
		return Operator{}, err
	}
	pw := c.cfg.Password
	q := []param{
		{"userName", Encrypt(strings.ToLower(c.cfg.Username), pw)},
		{"password", Encrypt(pw, pw)},
		{"encrypted", "1"},
		{"ConnectedProgram", Encrypt(strconv.Itoa(c.cfg.IntegrationID)+","+guid, pw)},
		{"DateFormat", "yyyy-MM-dd"},
		{"TimeFormat", "HH:mm:ss"},
	}
	body, err := c.roundTrip(ctx, request{method: http.MethodGet, path: "Login", query: q}, "")
	if err != nil {
		return Operator{}, c.loginError(err)
	}
	root, perr := parseDoc(body)
	if perr != nil || root.name != "Operator" {
		if errorLoginText(body) {
			return Operator{}, c.loginError(&Fault{Code: CodeErrorLogin, Message: strings.TrimSpace(clip(string(body)))})
		}
		if perr == nil {
			perr = fmt.Errorf("%w: <%s> where <Operator> was expected", ErrMalformed, root.name)
		}
		return Operator{}, &LoginError{User: c.cfg.Username, Err: perr}
	}
	key := root.childText("SessionKey")
	op := operatorOf(root)
	if key == "" {
		return Operator{}, &LoginError{User: c.cfg.Username, Err: fmt.Errorf("%w: the <Operator> has no SessionKey", ErrMalformed)}
	}
	v, verr := ParseVersion(op.ServerVersion)
	if verr != nil || v.Less(MinServerVersion) {
		// Free the slot before refusing the server.
		c.logoutKey(ctx, key)
		err := &LoginError{User: c.cfg.Username, Err: &VersionError{Got: op.ServerVersion},
			Hint: "upgrade the server, or connect to an EntraPass Global or Corporate 7.50 or later"}
		c.log.Error("entrapass: server refused", "error", err)
		return Operator{}, err
	}
	op.Version = v
	c.mu.Lock()
	c.key, c.op = key, op
	c.gen++
	c.mu.Unlock()
	c.log.Info("entrapass: logged in", "server", c.base, "operator", op.Name, "server_version", op.ServerVersion,
		"system", op.SystemName, "integration_id", c.cfg.IntegrationID)
	return op, nil
}

// loginError explains a refused login.
func (c *Client) loginError(err error) error {
	le := &LoginError{User: c.cfg.Username, Err: err}
	switch {
	case errors.Is(err, ErrBadLogin):
		le.Hint = "check Username and Password, and that the operator is enabled and its password has not expired"
	case errors.Is(err, ErrLicence):
		le.Hint = fmt.Sprintf("the server must hold the E-GLOB-CONNECT licence (integration ID %d) or E-COR-CONNECT with IntegrationID set to its id; configured IntegrationID is %d",
			GlobalIntegrationID, c.cfg.IntegrationID)
	case errors.Is(err, ErrSessionLimit):
		le.Hint = "the operator has as many sessions open as allowed; idle sessions expire after the operator's idle timeout (30 min by default)"
	case errors.Is(err, ErrUnreachable):
		return err
	}
	c.log.Error("entrapass: login refused", "error", le)
	return le
}

func operatorOf(root *node) Operator {
	op := Operator{
		Name:                root.childText("OperatorName"),
		ServerVersion:       root.childText("ServerVersion"),
		SmartlinkVersion:    root.childText("SmartlinkVersion"),
		SmartServiceVersion: root.childText("SmartServiceVersion"),
		DateFormat:          root.childText("DateFormat"),
		TimeFormat:          root.childText("TimeFormat"),
		SystemName:          root.childText("SystemName"),
	}
	op.UTCDateTime, _ = parseTime(root.childText("UTCDateTime"))
	op.DefaultCardType, _ = atoi(root.childText("DefaultCardType"))
	op.PINLength, _ = atoi(root.childText("PINLength"))
	op.Rights = rightsOf(root)
	return op
}

// relogin replaces a lost session: unless another request already did, it
// logs the stale key out (freeing its slot if the server still holds it)
// and logs in again.
func (c *Client) relogin(ctx context.Context, stale string) error {
	c.loginMu.Lock()
	defer c.loginMu.Unlock()
	if cur := c.currentKey(); cur != "" && cur != stale {
		return nil // someone else logged in meanwhile
	}
	c.takeKey()
	c.retire(stale)
	c.log.Info("entrapass: session lost; logging out the old session and logging in again")
	_, err := c.login(ctx)
	return err
}

// param is a query parameter; requests keep them in order.
type param struct{ name, value string }

type request struct {
	method  string
	path    string // below /SmartService/
	query   []param
	body    []byte
	session bool // passes sdKey, and re-logs in once if the session is lost
	// scratch, when set, is the buffer the answer is read into (see
	// readBody); the caller copies out what it keeps.
	scratch *[]byte
}

// send sends a request that may need the session.
func (c *Client) send(ctx context.Context, r request) ([]byte, error) {
	if !r.session {
		return c.roundTrip(ctx, r, "")
	}
	key := c.currentKey()
	if key == "" {
		return nil, fmt.Errorf("entrapass: %s %s: %w", r.method, r.path, ErrNotLoggedIn)
	}
	body, err := c.roundTrip(ctx, r, key)
	if err == nil || !errors.Is(err, ErrSessionExpired) {
		return body, err
	}
	c.log.Info("entrapass: session expired", "request", r.method+" "+r.path, "error", err)
	if lerr := c.relogin(ctx, key); lerr != nil {
		return nil, fmt.Errorf("entrapass: %s %s: the session expired and logging in again failed: %w", r.method, r.path, lerr)
	}
	key = c.currentKey()
	if key == "" {
		return nil, fmt.Errorf("entrapass: %s %s: %w", r.method, r.path, ErrNotLoggedIn)
	}
	return c.roundTrip(ctx, r, key)
}

// url builds the request URL; key, when set, goes first as sdKey.
func (c *Client) url(r request, key string) string {
	var b strings.Builder
	b.WriteString(c.base)
	b.WriteString(r.path)
	sep := byte('?')
	add := func(name, value string) {
		b.WriteByte(sep)
		sep = '&'
		b.WriteString(url.QueryEscape(name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(value))
	}
	if key != "" {
		add("sdKey", key)
	}
	for _, p := range r.query {
		add(p.name, p.value)
	}
	return b.String()
}

// roundTrip sends one request and returns the body of a 200 answer that is
// not a StandardFault. Every error carries the redacted URL only.
func (c *Client) roundTrip(ctx context.Context, r request, key string) ([]byte, error) {
	raw := c.url(r, key)
	shown := RedactURL(raw)
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	var rd io.Reader = http.NoBody
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, raw, rd)
	if err != nil {
		return nil, fmt.Errorf("entrapass: %s %s: %w", r.method, shown, unwrapURLError(err))
	}
	req.Header.Set("Accept", "application/xml")
	if r.body != nil {
		req.Header.Set("Content-Type", "application/xml; charset=utf-8")
	}
	start := time.Now()
	resp, err := c.http.Do(req)
	if err != nil {
		err = unwrapURLError(err)
		c.log.Debug("entrapass: request failed", "method", r.method, "url", shown, "error", err, "elapsed", time.Since(start))
		if refusedOnDefault(c.cfg.Port, err) {
			return nil, fmt.Errorf("entrapass: %s %s: %w: %w (%w)", r.method, shown, ErrUnreachable, err, ErrDefaultPortRefused)
		}
		return nil, fmt.Errorf("entrapass: %s %s: %w: %w", r.method, shown, ErrUnreachable, err)
	}
	defer resp.Body.Close()
	limit, call := answerLimit(r.method, r.path)
	if r.path == "ComponentsStatesByStatusId" {
		limit = stateAnswerLimit(c.registered.Load())
	}
	body, err := readBody(resp, limit+1, r.scratch)
	if err != nil {
		err = unwrapURLError(err)
		c.log.Debug("entrapass: reading the answer failed", "method", r.method, "url", shown, "error", err)
		return nil, fmt.Errorf("entrapass: %s %s: reading the answer: %w: %w", r.method, shown, ErrUnreachable, err)
	}
	c.log.Debug("entrapass: request", "method", r.method, "url", shown, "status", resp.StatusCode, "bytes", len(body), "elapsed", time.Since(start))
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("entrapass: %s %s: %w: the answer is larger than %d bytes, the most a %s answer can be", r.method, shown, ErrMalformed, limit, call)
	}
	if resp.StatusCode != http.StatusOK {
		he := &HTTPError{Method: r.method, URL: shown, Status: resp.StatusCode}
		if f, ok := parseFault(body); ok {
			he.Fault = f
		}
		return nil, he
	}
	if f, ok := parseFault(body); ok {
		return nil, fmt.Errorf("entrapass: %s %s: %w", r.method, shown, f)
	}
	return body, nil
}

// unwrapURLError drops the *url.Error around a transport error: its message
// repeats the request URL, secrets included.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Timeout() {
			return fmt.Errorf("timeout: %w", ue.Err)
		}
		return ue.Err
	}
	return err
}

// readBody reads at most limit bytes of an answer into a buffer sized from
// Content-Length when the server sent one: an Events answer is a megabyte,
// a full state poll of a large site tens of megabytes, and growing
// io.ReadAll's buffer from 512 bytes shows in the ingest profile. With
// scratch, the answer is read into *scratch (grown as needed, and kept
// there for the next answer): the caller must copy out what it keeps.
func readBody(resp *http.Response, limit int64, scratch *[]byte) ([]byte, error) {
	n := resp.ContentLength
	var b []byte
	if scratch != nil {
		b = (*scratch)[:0]
	}
	// bytes.Buffer.ReadFrom wants MinRead bytes free before each read, the
	// one that sees EOF included: without them it doubles the buffer.
	if n >= 0 && n <= limit && int64(cap(b)) < n+bytes.MinRead {
		b = make([]byte, 0, n+bytes.MinRead)
	}
	buf := bytes.NewBuffer(b)
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit))
	if scratch != nil {
		*scratch = buf.Bytes()[:0]
	}
	return buf.Bytes(), err
}
