package entrapass

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Defaults and limits of the configuration.
const (
	// DefaultPort is the Communication Settings port of the integration
	// document ("Communication Settings 8080, configurable"). A real
	// SmartService listens on 8801 and so does `pacsim serve`: set Port.
	DefaultPort = 8080
	// DefaultPoll is how often states and events are polled.
	DefaultPoll = time.Second
	// MinPoll and MaxPoll bound Poll (SPEC §6: 100 ms–1 h).
	MinPoll = 100 * time.Millisecond
	MaxPoll = time.Hour
	// GlobalIntegrationID is the integration id E-GLOB-CONNECT licenses
	// ("E-GLOB-CONNECT, using the integration ID of 56").
	GlobalIntegrationID = 56
	// DefaultEventBatch is the SmartService's default number of rows per
	// Events answer.
	DefaultEventBatch = 1000
	// MaxEventBatch bounds EventBatch.
	MaxEventBatch = 100000
	// DefaultRequestTimeout bounds one HTTP request.
	DefaultRequestTimeout = 10 * time.Second
	// MaxRequestTimeout bounds RequestTimeout.
	MaxRequestTimeout = 5 * time.Minute
	// DefaultMaxBackoff caps the wait between retries while the server is
	// unreachable.
	DefaultMaxBackoff = 30 * time.Second
	// DefaultCardCacheTTL is how long a card looked up for a Last Access
	// Event (its Badging and state) is kept.
	DefaultCardCacheTTL = time.Minute
)

// MinServerVersion is the oldest EntraPass the integration supports: "EntraPass
// Global and EntraPass Corporate 7.50 and higher".
var MinServerVersion = Version{Major: 7, Minor: 50}

// ErrInvalidConfig is wrapped by every configuration error (EP-CONF-INVALID).
var ErrInvalidConfig = errors.New("invalid configuration")

// ConfigError is an invalid or out-of-range configuration value. Field is the
// field's name as Config spells it ("Port"); the message never shows the
// password.
type ConfigError struct {
	Field  string
	Reason string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("entrapass: invalid configuration: %s: %s", e.Field, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalidConfig) hold.
func (e *ConfigError) Unwrap() error { return ErrInvalidConfig }

// Config is the driver's configuration: the integration document's
// Communication Settings (IP Address or host name, Port, Username, Password)
// plus TLS and polling. The zero value of an optional field means its
// default; Validate refuses, before anything is sent, every value that is
// invalid or out of range, with an error that names the field.
//
// The password is a secret: String, GoString and LogValue never show it, and
// no log line or error of the driver contains it.
type Config struct {
	// Host is the IP address or host name of the EntraPass server (no
	// scheme, no port, no path).
	Host string `json:"host" yaml:"host"`
	// Port is the SmartService port, 1–65535; 0 means DefaultPort (8080).
	Port int `json:"port,omitempty" yaml:"port,omitempty"`
	// Username is the EntraPass operator the driver logs in as ("typically
	// a user created specifically for the Runtime connection").
	Username string `json:"username" yaml:"username"`
	// Password is the operator's password. It is also the key of the
	// encrypted login.
	Password string `json:"password" yaml:"password"`
	// TLS selects https. The server's certificate is verified unless
	// InsecureSkipVerify is set explicitly.
	TLS bool `json:"tls,omitempty" yaml:"tls,omitempty"`
	// InsecureSkipVerify accepts any server certificate (TLS only).
	InsecureSkipVerify bool `json:"insecure_skip_verify,omitempty" yaml:"insecure_skip_verify,omitempty"`
	// Poll is the polling interval of states and events, 100 ms–1 h; 0
	// means DefaultPoll (1 s).
	Poll time.Duration `json:"poll,omitempty" yaml:"poll,omitempty"`
	// IntegrationID is the integration id sent in ConnectedProgram at every
	// login: 56 for E-GLOB-CONNECT (the default when 0), or the id of the
	// site's E-COR-CONNECT licence.
	IntegrationID int `json:"integration_id,omitempty" yaml:"integration_id,omitempty"`
	// EventBatch is the number of rows the server puts at most in one
	// Events answer (SmartService's default, 1000, when 0). An answer that
	// full is followed at once by another poll, so a burst is read in one
	// cycle.
	EventBatch int `json:"event_batch,omitempty" yaml:"event_batch,omitempty"`
	// RequestTimeout bounds each HTTP request (DefaultRequestTimeout when
	// 0, at most 5 min). A server that hangs shows No Communication after it.
	RequestTimeout time.Duration `json:"request_timeout,omitempty" yaml:"request_timeout,omitempty"`
	// MaxBackoff caps the wait between retries while the server cannot be
	// reached (DefaultMaxBackoff when 0; at least Poll).
	MaxBackoff time.Duration `json:"max_backoff,omitempty" yaml:"max_backoff,omitempty"`
	// CardCacheTTL is how long a card user looked up for a Last Access
	// Event is kept (DefaultCardCacheTTL when 0; negative: never cached).
	CardCacheTTL time.Duration `json:"card_cache_ttl,omitempty" yaml:"card_cache_ttl,omitempty"`

	// given and unreadable record what Set was typed (setting.go): the
	// fields whose zero was given as a value, and the first text that
	// could not be read.
	given      given
	unreadable *ConfigError
}

// WithDefaults returns a copy of c with every zero optional field set to its
// default. It does not validate.
func (c Config) WithDefaults() Config {
	c.Host = strings.TrimSpace(c.Host)
	if c.Port == 0 && c.given&givenPort == 0 {
		c.Port = DefaultPort
	}
	if c.Poll == 0 && c.given&givenPoll == 0 {
		c.Poll = DefaultPoll
	}
	if c.IntegrationID == 0 && c.given&givenIntegrationID == 0 {
		c.IntegrationID = GlobalIntegrationID
	}
	if c.EventBatch == 0 && c.given&givenEventBatch == 0 {
		c.EventBatch = DefaultEventBatch
	}
	if c.RequestTimeout == 0 && c.given&givenRequestTimeout == 0 {
		c.RequestTimeout = DefaultRequestTimeout
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = max(DefaultMaxBackoff, c.Poll)
	}
	if c.CardCacheTTL == 0 {
		c.CardCacheTTL = DefaultCardCacheTTL
	}
	return c
}

// Validate checks the configuration (with its defaults applied) and returns
// a *ConfigError naming the first invalid field, in the order of the
// Communication Settings. It sends nothing.
func (c Config) Validate() error {
	c = c.WithDefaults()
	bad := func(field, format string, args ...any) error {
		return &ConfigError{Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if c.unreadable != nil {
		return c.unreadable
	}
	if err := checkHost(c.Host); err != nil {
		return bad("Host", "%s", err)
	}
	if c.Port < 1 || c.Port > 65535 {
		return bad("Port", "%d is out of range (1–65535)", c.Port)
	}
	if strings.TrimSpace(c.Username) == "" {
		return bad("Username", "is required")
	}
	if strings.ContainsFunc(c.Username, unicode.IsControl) {
		return bad("Username", "contains a control character")
	}
	if c.Password == "" {
		// The encrypted login uses the password as its key: the real
		// clients send nothing at all for an empty key.
		return bad("Password", "is required")
	}
	if strings.ContainsFunc(c.Password, unicode.IsControl) {
		return bad("Password", "contains a control character")
	}
	if c.InsecureSkipVerify && !c.TLS {
		return bad("InsecureSkipVerify", "applies only with TLS")
	}
	if c.Poll < MinPoll || c.Poll > MaxPoll {
		return bad("Poll", "%s is out of range (%s–%s)", c.Poll, MinPoll, MaxPoll)
	}
	if c.IntegrationID < 1 {
		return bad("IntegrationID", "%d is not an integration id (56 for E-GLOB-CONNECT, or the E-COR-CONNECT id)", c.IntegrationID)
	}
	if c.EventBatch < 1 || c.EventBatch > MaxEventBatch {
		return bad("EventBatch", "%d is out of range (1–%d)", c.EventBatch, MaxEventBatch)
	}
	if c.RequestTimeout <= 0 || c.RequestTimeout > MaxRequestTimeout {
		return bad("RequestTimeout", "%s is out of range (more than 0, at most %s)", c.RequestTimeout, MaxRequestTimeout)
	}
	if c.MaxBackoff < c.Poll || c.MaxBackoff > 24*time.Hour {
		return bad("MaxBackoff", "%s is out of range (Poll %s to 24h)", c.MaxBackoff, c.Poll)
	}
	return nil
}

// checkHost accepts an IP address (v4 or v6, brackets optional) or a host
// name of letters, digits, '-', '_' and '.'.
func checkHost(h string) error {
	if h == "" {
		return errors.New("is required (the IP address or host name of the EntraPass server)")
	}
	if strings.Contains(h, "://") {
		return fmt.Errorf("%q must be a host name or IP address, without a scheme", h)
	}
	if _, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")); err == nil {
		return nil
	}
	if len(h) > 253 {
		return fmt.Errorf("%q is too long for a host name", h)
	}
	labels := strings.Split(strings.TrimSuffix(h, "."), ".")
	// A top-level label is never all digits (RFC 3696 §2): such a name is
	// an IPv4 address, and ParseAddr refused it (300.1.1.1, 192.168.1.256).
	if last := labels[len(labels)-1]; last != "" && strings.Trim(last, "0123456789") == "" {
		return fmt.Errorf("%q is not a valid IPv4 address (four numbers 0–255)", h)
	}
	for _, label := range labels {
		if label == "" || len(label) > 63 {
			return fmt.Errorf("%q is not a valid host name", h)
		}
		for _, r := range label {
			if !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '-' || r == '_') {
				return fmt.Errorf("%q is not a valid host name or IP address (no port, path or spaces)", h)
			}
		}
		if label[0] == '-' || label[len(label)-1] == '-' {
			return fmt.Errorf("%q is not a valid host name", h)
		}
	}
	return nil
}

// BaseURL returns http(s)://host:port/SmartService/ (defaults applied).
func (c Config) BaseURL() string {
	c = c.WithDefaults()
	scheme := "http"
	if c.TLS {
		scheme = "https"
	}
	host := strings.TrimSuffix(strings.TrimPrefix(c.Host, "["), "]")
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(c.Port)) + "/SmartService/"
}

// redacted is the configuration as it may be shown: everything but the
// password.
type redacted struct {
	Host               string
	Port               int
	Username           string
	Password           string
	TLS                bool
	InsecureSkipVerify bool
	Poll               time.Duration
	IntegrationID      int
	EventBatch         int
	RequestTimeout     time.Duration
	MaxBackoff         time.Duration
	CardCacheTTL       time.Duration
}

func (c Config) redacted() redacted {
	p := ""
	if c.Password != "" {
		p = "REDACTED"
	}
	return redacted{c.Host, c.Port, c.Username, p, c.TLS, c.InsecureSkipVerify, c.Poll, c.IntegrationID,
		c.EventBatch, c.RequestTimeout, c.MaxBackoff, c.CardCacheTTL}
}

// String shows the configuration without the password.
func (c Config) String() string { return fmt.Sprintf("%+v", c.redacted()) }

// GoString shows the configuration without the password (%#v).
func (c Config) GoString() string { return fmt.Sprintf("entrapass.Config%+v", c.redacted()) }

// Format shows the configuration without the password whatever the verb
// (%v, %+v, %#v, %s, %q …), so no formatting of a Config leaks it.
func (c Config) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// LogValue makes slog show the configuration without the password.
func (c Config) LogValue() slog.Value {
	r := c.redacted()
	return slog.GroupValue(
		slog.String("host", r.Host), slog.Int("port", r.Port), slog.String("username", r.Username),
		slog.String("password", r.Password), slog.Bool("tls", r.TLS), slog.Bool("insecure_skip_verify", r.InsecureSkipVerify),
		slog.Duration("poll", r.Poll), slog.Int("integration_id", r.IntegrationID), slog.Int("event_batch", r.EventBatch),
		slog.Duration("request_timeout", r.RequestTimeout), slog.Duration("max_backoff", r.MaxBackoff),
		slog.Duration("card_cache_ttl", r.CardCacheTTL),
	)
}

// Version is an EntraPass version, major.minor[.revision.build]
// ("8.10.0.1234"). Minor is as EntraPass writes it, two digits: 7.50 is
// {7, 50}, and a one-digit "7.5" is read as 7.50.
type Version struct {
	Major, Minor, Revision, Build int
}

// ParseVersion reads ServerVersion.
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(strings.TrimSpace(s), ".")
	if len(parts) < 2 || len(parts) > 4 {
		return Version{}, fmt.Errorf("%q is not a version major.minor.revision.build", s)
	}
	var n [4]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("%q is not a version major.minor.revision.build", s)
		}
		n[i] = v
	}
	if len(parts[1]) == 1 {
		n[1] *= 10
	}
	return Version{n[0], n[1], n[2], n[3]}, nil
}

// Less reports whether v is older than w, by major and minor only.
func (v Version) Less(w Version) bool {
	if v.Major != w.Major {
		return v.Major < w.Major
	}
	return v.Minor < w.Minor
}

func (v Version) String() string {
	if v.Revision == 0 && v.Build == 0 {
		return fmt.Sprintf("%d.%02d", v.Major, v.Minor)
	}
	return fmt.Sprintf("%d.%02d.%d.%d", v.Major, v.Minor, v.Revision, v.Build)
}
