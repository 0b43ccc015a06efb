package websdk

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults of Config.
const (
	// DefaultTimeout bounds one request (not a stream).
	DefaultTimeout = 10 * time.Second
	// DefaultMaxBody bounds one answer (not a stream).
	DefaultMaxBody int64 = 16 << 20
	// MaxShortAnswer bounds the answer of a call that returns no more
	// than a value: a keep-alive, an exists, a delete, an action, a
	// subscription.
	MaxShortAnswer int64 = 1 << 20
	// DefaultStreamIdle is 2.5 times the 30 s keep-alive period of the
	// event stream: one lost keep-alive is tolerated, two are not.
	DefaultStreamIdle = 75 * time.Second
)

// userAgent names the client in Security Center's and proxies' logs.
const userAgent = "pacsim-websdk/1"

// Config says where the Web SDK is and who logs on.
type Config struct {
	// URL is the Web SDK's base URL, e.g. https://localhost:4590/WebSdk/
	// (the trailing slash is optional; http or https only).
	URL string
	// Username is the Security Center user.
	Username string
	// AppID is the SDK certificate's application ID; the Basic user is
	// "Username;AppID".
	AppID string
	// Password is the user's password. It is sent in the Authorization
	// header and nowhere else: no error or string of this package holds it.
	Password string
	// Insecure accepts any server certificate (the role's self-signed one).
	// Otherwise the certificate is verified. With an HTTPClient whose
	// transport is not an *http.Transport it cannot be applied and the
	// transport decides.
	Insecure bool
	// Timeout bounds each request, answer included (default 10 s). Event
	// streams are exempt: they use StreamIdle.
	Timeout time.Duration
	// HTTPClient, if set, sends the requests (tests: a client trusting a
	// test certificate). It is copied, never changed; its Timeout applies
	// to requests but not to streams, and redirects are not followed.
	HTTPClient *http.Client
	// MaxBody bounds an answer (default 16 MiB); reading stops there with a
	// *ProtocolError wrapping ErrTooLarge. Streams are exempt.
	MaxBody int64
	// StreamIdle is the default Stream.IdleTimeout (default 75 s; negative
	// turns idle detection off).
	StreamIdle time.Duration
}

// String describes the configuration without the password, so that
// printing a Config (%v, %+v) never leaks it.
func (c Config) String() string {
	return fmt.Sprintf("websdk.Config{URL:%q Username:%q AppID:%q Password:<redacted> Insecure:%t Timeout:%v MaxBody:%d StreamIdle:%v}",
		c.URL, c.Username, c.AppID, c.Insecure, c.Timeout, c.MaxBody, c.StreamIdle)
}

// GoString is String, for %#v.
func (c Config) GoString() string { return c.String() }

// Client is a Web SDK client. It is safe for concurrent use; its
// connections are kept alive by its transport and shared by all calls.
type Client struct {
	base     string // absolute, ends in "/"
	basePath string // the base URL's path, for error messages
	host     string // host:port, for error messages
	user     string
	app      string
	auth     string // the Authorization header value: a secret
	password string // kept only to scrub server text in errors
	timeout  time.Duration
	maxBody  int64
	idle     time.Duration
	hc       *http.Client // requests
	sc       *http.Client // streams: no client timeout
}

// New checks cfg and returns a client. Nothing is sent: KeepAlive tests
// the connection.
func New(cfg Config) (*Client, error) {
	u, err := parseBase(cfg)
	if err != nil {
		return nil, err
	}
	// ':' ends the user part of Basic credentials and ';' separates the
	// user from the application: either inside a field would send another
	// user or application than the one configured.
	switch {
	case cfg.Username == "":
		return nil, errors.New("websdk: Config.Username is empty")
	case strings.ContainsAny(cfg.Username, ":;"):
		return nil, errors.New("websdk: Config.Username must not contain ':' or ';' (they delimit the Basic credentials user;appId:password)")
	case cfg.AppID == "":
		return nil, errors.New("websdk: Config.AppID is empty: the Web SDK needs the SDK certificate's application ID")
	case strings.ContainsAny(cfg.AppID, ":;"):
		return nil, errors.New("websdk: Config.AppID must not contain ':' or ';' (they delimit the Basic credentials user;appId:password)")
	case cfg.Timeout < 0:
		return nil, fmt.Errorf("websdk: Config.Timeout %v is negative", cfg.Timeout)
	case cfg.MaxBody < 0:
		return nil, fmt.Errorf("websdk: Config.MaxBody %d is negative", cfg.MaxBody)
	}
	c := &Client{
		base:     u.String(),
		basePath: u.EscapedPath(),
		host:     u.Host,
		user:     cfg.Username,
		app:      cfg.AppID,
		auth:     "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Username+";"+cfg.AppID+":"+cfg.Password)),
		password: cfg.Password,
		timeout:  cfg.Timeout,
		maxBody:  cfg.MaxBody,
		idle:     cfg.StreamIdle,
	}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxBody == 0 {
		c.maxBody = DefaultMaxBody
	}
	if c.idle == 0 {
		c.idle = DefaultStreamIdle
	}
	c.hc = httpClient(cfg)
	sc := *c.hc
	sc.Timeout = 0 // a stream lives for hours; idle detection bounds it instead
	c.sc = &sc
	return c, nil
}

// parseBase checks Config.URL and returns it ending in "/".
func parseBase(cfg Config) (*url.URL, error) {
	raw := strings.TrimSpace(cfg.URL)
	if raw == "" {
		return nil, errors.New("websdk: Config.URL is empty: give the Web SDK's base URL, e.g. https://host:4590/WebSdk/")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's error repeats the whole URL, which may hold a
		// password: keep only the reason, scrubbed.
		var ue *url.Error
		why := "it does not parse"
		if errors.As(err, &ue) {
			why = ue.Err.Error()
			if cfg.Password != "" {
				why = strings.ReplaceAll(why, cfg.Password, "<redacted>")
			}
		}
		return nil, fmt.Errorf("websdk: Config.URL is not a valid URL: %s", why)
	}
	switch {
	case u.User != nil:
		return nil, errors.New("websdk: Config.URL must not hold credentials (user:password@): set Config.Username and Config.Password")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("websdk: Config.URL %q: the scheme must be http or https", u.Redacted())
	case u.Host == "":
		return nil, fmt.Errorf("websdk: Config.URL %q has no host", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return nil, fmt.Errorf("websdk: Config.URL %q must not have a query or fragment", u.Redacted())
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// httpClient returns the client requests go through: the caller's (copied)
// or one with its own keep-alive transport.
func httpClient(cfg Config) *http.Client {
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
		if cfg.Insecure {
			rt := hc.Transport
			if rt == nil {
				rt = http.DefaultTransport
			}
			if t, ok := rt.(*http.Transport); ok {
				t = t.Clone()
				if t.TLSClientConfig == nil {
					t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
				}
				t.TLSClientConfig.InsecureSkipVerify = true //nolint:gosec // asked for: the role's self-signed certificate
				hc.Transport = t
			}
		}
	} else {
		t := defaultTransport()
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.Insecure} //nolint:gosec // only when asked for
		hc.Transport = t
	}
	// A redirect would turn a POST into a GET elsewhere and drop the
	// credentials: Security Center does not redirect, so one is reported
	// as it is (an *HTTPError) rather than followed.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &hc
}

// defaultTransport is Go's default transport (proxy from the environment,
// HTTP/2, dial and TLS handshake timeouts), cloned so that our TLS setting
// stays ours, with more idle connections per host: the connector talks to
// one server from several goroutines.
func defaultTransport() *http.Transport {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
		t = &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ExpectContinueTimeout: time.Second,
		}
	}
	t.MaxIdleConnsPerHost = 8
	return t
}

// String names the server and the user, never the password.
func (c *Client) String() string {
	return fmt.Sprintf("websdk.Client{%s as %s;%s}", c.base, c.user, c.app)
}

// GoString is String, for %#v (which would otherwise print the fields).
func (c *Client) GoString() string { return c.String() }

// escapeQ percent-encodes a q= value. Spaces become %20 rather than '+':
// the reference documents %20, and '+' as a space is a form-decoding
// convention a server need not apply to the query string.
func escapeQ(q string) string {
	return strings.ReplaceAll(url.QueryEscape(q), "+", "%20")
}

// op names a request for errors: method and path, no query (it can be long
// and hold personal data).
func (c *Client) op(method, rel string) string {
	p, _, _ := strings.Cut(rel, "?")
	return method + " " + c.basePath + p
}

// newRequest builds a request to the Web SDK with the credentials.
func (c *Client) newRequest(ctx context.Context, method, rel string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+rel, nil)
	if err != nil {
		return nil, fmt.Errorf("websdk: cannot build %s: %w", c.op(method, rel), err)
	}
	req.Header.Set("Authorization", c.auth)
	// text/json: the compact single-line JSON the reference recommends;
	// without Accept the role answers legacy XML.
	req.Header.Set("Accept", "text/json")
	req.Header.Set("User-Agent", userAgent)
	return req, nil
}

// call sends one request and returns the envelope's status and result. A
// 401 is retried once: the role may have dropped the session server-side
// (idle for 5 minutes, a role restart), and the next request opens a new
// one. A second 401 means the credentials are wrong.
// The answer is bounded by Config.MaxBody; callShort bounds it tighter.
func (c *Client) call(ctx context.Context, method, rel string) (string, json.RawMessage, error) {
	return c.callMax(ctx, method, rel, c.maxBody, "Config.MaxBody")
}

// callShort is call for a request whose answer is an envelope with no
// more than a value (a keep-alive, an exists, a delete, an action, a
// subscription): it is bounded by MaxShortAnswer (or Config.MaxBody when
// lower), so a hostile server cannot make it read megabytes.
func (c *Client) callShort(ctx context.Context, method, rel string) (string, json.RawMessage, error) {
	if c.maxBody < MaxShortAnswer {
		return c.call(ctx, method, rel)
	}
	return c.callMax(ctx, method, rel, MaxShortAnswer, "the most such an answer can be")
}

func (c *Client) callMax(ctx context.Context, method, rel string, max int64, why string) (string, json.RawMessage, error) {
	st, res, err := c.callOnce(ctx, method, rel, max, why)
	var ae *AuthError
	if errors.As(err, &ae) && !ae.Forbidden && ctx.Err() == nil {
		st, res, err = c.callOnce(ctx, method, rel, max, why)
	}
	return st, res, err
}

func (c *Client) callOnce(ctx context.Context, method, rel string, max int64, why string) (string, json.RawMessage, error) {
	op := c.op(method, rel)
	rctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := c.newRequest(rctx, method, rel)
	if err != nil {
		return "", nil, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return "", nil, c.netError(op, err, timedOut(ctx, rctx))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", nil, c.statusError(resp, op)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return "", nil, c.netError(op, err, timedOut(ctx, rctx))
	}
	if int64(len(body)) > max {
		return "", nil, &ProtocolError{What: fmt.Sprintf("the answer is longer than %d bytes (%s)", max, why),
			Host: c.host, Op: op, Err: ErrTooLarge}
	}
	return c.envelope(op, resp.Header.Get("Content-Type"), body)
}

// timedOut reports whether the per-request context rctx ended because of
// its own deadline rather than the caller's context.
func timedOut(parent, rctx context.Context) bool {
	return parent.Err() == nil && errors.Is(rctx.Err(), context.DeadlineExceeded)
}

// netError wraps a transport failure with the host, dropping the request
// URL that *url.Error repeats (its query can be long and personal). When
// the per-request timeout is what ended it, it says so.
func (c *Client) netError(op string, err error, timeout bool) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	ne := &NetError{Host: c.host, Op: op, Err: err}
	if timeout {
		ne.Timeout = c.timeout
		if !errors.Is(err, context.DeadlineExceeded) {
			ne.Err = fmt.Errorf("%w (%v)", context.DeadlineExceeded, err)
		}
	}
	return ne
}

// errBodyLen bounds what is read of a non-200 answer: enough for the
// clip, and a proxy's huge error page is not worth more.
const errBodyLen = 4 << 10

// statusError turns a non-200 answer into an *AuthError or *HTTPError.
func (c *Client) statusError(resp *http.Response, op string) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, errBodyLen))
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return &AuthError{Status: resp.StatusCode, User: c.user, AppID: c.app}
	case http.StatusForbidden:
		return &AuthError{Status: resp.StatusCode, Forbidden: true, User: c.user, AppID: c.app}
	}
	text := c.clip(body)
	if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode/100 == 3 {
		if u, err := url.Parse(loc); err == nil {
			loc = u.Redacted()
		} else {
			loc = "an unparsable location"
		}
		text = strings.TrimSpace("redirected to " + c.clip([]byte(loc)) + " " + text)
	}
	return &HTTPError{Status: resp.StatusCode, Body: text, Host: c.host, Op: op}
}

// clip scrubs the credentials from server text (a proxy may echo the
// request) and shortens it.
func (c *Client) clip(b []byte) string { return clip([]byte(c.redact(string(b)))) }

// redact replaces the password and the Authorization value in s. A
// password of one or two characters is left alone: replacing every "a" of
// a message would garble it and hide nothing.
func (c *Client) redact(s string) string {
	s = strings.ReplaceAll(s, strings.TrimPrefix(c.auth, "Basic "), "<redacted>")
	if len(c.password) >= 3 {
		s = strings.ReplaceAll(s, c.password, "<redacted>")
	}
	return s
}

// KeepAlive sends GET {base}: it keeps the session alive (the role drops it
// after 5 minutes without a request) and tests the connection and the
// credentials.
func (c *Client) KeepAlive(ctx context.Context) error {
	_, _, err := c.callShort(ctx, http.MethodGet, "")
	return err
}

// Query sends POST {base}entity?q=q: sets properties, calls methods,
// creates entities. It returns the Result, nil when there is none.
func (c *Client) Query(ctx context.Context, q string) (json.RawMessage, error) {
	_, res, err := c.call(ctx, http.MethodPost, "entity?q="+escapeQ(q))
	return res, err
}

// Read sends GET {base}entity?q=q: reads properties ("entity=G,Name,
// FirstName"). It returns the Result, nil when there is none.
func (c *Client) Read(ctx context.Context, q string) (json.RawMessage, error) {
	_, res, err := c.call(ctx, http.MethodGet, "entity?q="+escapeQ(q))
	return res, err
}

// Create sends POST {base}entity?q=q,Guid (",Guid" is added unless q ends
// with it) and returns the new entity's GUID, e.g. for
// "entity=NewEntity(Cardholder),FirstName=Grace".
func (c *Client) Create(ctx context.Context, q string) (string, error) {
	if !strings.HasSuffix(strings.ToLower(strings.TrimSpace(q)), ",guid") {
		q += ",Guid"
	}
	res, err := c.Query(ctx, q)
	if err != nil {
		return "", err
	}
	var r struct{ Guid string }
	if err := json.Unmarshal(res, &r); err != nil || r.Guid == "" {
		return "", &ProtocolError{What: "a create answered no Result.Guid", Body: c.clip(res), Host: c.host,
			Op: c.op(http.MethodPost, "entity"), Err: err}
	}
	return r.Guid, nil
}

// entityPath is entity/{id}/… with id escaped as one path segment: a GUID,
// or LogicalID(Door,1).
func entityPath(prefix, id string) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", errors.New("websdk: no entity id given")
	}
	return prefix + url.PathEscape(id), nil
}

// Entity sends GET {base}entity/{guid} and returns the whole entity.
func (c *Client) Entity(ctx context.Context, guid string) (json.RawMessage, error) {
	p, err := entityPath("entity/", guid)
	if err != nil {
		return nil, err
	}
	_, res, err := c.call(ctx, http.MethodGet, p)
	return res, err
}

// Exists sends GET {base}entity/exists/{guid}. An unknown entity (Fail
// UnableToRetrieveEntity) is false with no error.
func (c *Client) Exists(ctx context.Context, guid string) (bool, error) {
	p, err := entityPath("entity/exists/", guid)
	if err != nil {
		return false, err
	}
	_, res, err := c.callShort(ctx, http.MethodGet, p)
	var se *SdkError
	if errors.As(err, &se) && se.Code == "UnableToRetrieveEntity" {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// {"Value":true} as captured; a bare boolean is accepted too.
	var r struct{ Value *bool }
	if json.Unmarshal(res, &r) == nil && r.Value != nil {
		return *r.Value, nil
	}
	var b bool
	if json.Unmarshal(res, &b) == nil {
		return b, nil
	}
	return false, &ProtocolError{What: "entity/exists answered no Result.Value", Body: c.clip(res), Host: c.host, Op: c.op(http.MethodGet, p)}
}

// Delete sends DELETE {base}entity/{guid}.
func (c *Client) Delete(ctx context.Context, guid string) error {
	p, err := entityPath("entity/", guid)
	if err != nil {
		return err
	}
	_, _, err = c.callShort(ctx, http.MethodDelete, p)
	return err
}

// Action sends POST {base}action?q=q, e.g. "UnlockDoor(G)".
func (c *Client) Action(ctx context.Context, q string) error {
	_, _, err := c.callShort(ctx, http.MethodPost, "action?q="+escapeQ(q))
	return err
}
