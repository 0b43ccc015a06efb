package features

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/pacsim/pacsim/driver/entrapass"
	"github.com/pacsim/pacsim/driver/genetec"
	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/features/steps"
)

// checkTimeout bounds each connection check.
const checkTimeout = 15 * time.Second

// CheckTarget tries the real servers of a target once, as the scenarios
// will reach them, before any scenario runs: an EntraPass SmartService is
// logged in to (and out of) with the operator's credentials, a Security
// Center's Web SDK gets the visitor connector's Test Connection. A server
// that cannot be reached, or refuses the credentials, is one error saying
// why, instead of every scenario failing at its first step. The simulator
// (the zero target) needs no check.
func CheckTarget(ctx context.Context, t steps.Target) error {
	if t.EntraPassReal() {
		if err := checkEntraPass(ctx, t); err != nil {
			return err
		}
	}
	if t.Genetec.Real() {
		if err := checkGenetec(ctx, t.Genetec); err != nil {
			return err
		}
	}
	return nil
}

// entraPassConfig is the driver's configuration for --entrapass-url, read
// as the scenarios read it: no scheme is http, no port 8080.
func entraPassConfig(t steps.Target) (entrapass.Config, error) {
	raw := t.URL
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return entrapass.Config{}, fmt.Errorf("--entrapass-url %q: %v", t.URL, err)
	}
	cfg := entrapass.Config{Host: u.Hostname(), Username: t.Username, Password: t.Password,
		TLS: u.Scheme == "https", RequestTimeout: checkTimeout}
	cfg.InsecureSkipVerify = cfg.TLS && t.InsecureSkipVerify
	if p := u.Port(); p != "" {
		if cfg.Port, err = strconv.Atoi(p); err != nil {
			return entrapass.Config{}, fmt.Errorf("--entrapass-url %q: port %q is not a number", t.URL, p)
		}
	}
	return cfg, nil
}

func checkEntraPass(ctx context.Context, t steps.Target) error {
	cfg, err := entraPassConfig(t)
	if err != nil {
		return err
	}
	c, err := entrapass.NewClient(cfg)
	if err != nil {
		return fmt.Errorf("--entrapass-url %s: %w", t.URL, err)
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	_, err = c.Login(ctx)
	if err == nil {
		_ = c.Logout(ctx) // free the operator's session slot for the scenarios
		return nil
	}
	what := fmt.Sprintf("cannot log in to the EntraPass SmartService at %s as %q", t.URL, t.Username)
	var op *net.OpError
	if errors.Is(err, entrapass.ErrUnreachable) && errors.As(err, &op) {
		// The network error says it all; the request's URL (redacted
		// Login query) would only hide it.
		msg := fmt.Sprintf("%s: %v", what, op)
		if errors.Is(err, entrapass.ErrDefaultPortRefused) {
			u := *mustURL(t.URL)
			u.Host = net.JoinHostPort(u.Hostname(), "8801")
			msg += fmt.Sprintf("; nothing listens on port 8080, the integration document's default: pacsim serve serves SmartService on 127.0.0.1:8801 (--entrapass-url %s)", u.String())
		}
		return errors.New(msg)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// mustURL parses a URL entraPassConfig has parsed already.
func mustURL(s string) *url.URL {
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{Scheme: "http", Host: s}
	}
	return u
}

func checkGenetec(ctx context.Context, g steps.GenetecTarget) error {
	// The connector keeps providers in a store; Test Connection saves
	// nothing, but a connector needs one: a throw-away one, with a
	// throw-away key.
	dir, err := os.MkdirTemp("", "pacsim-conform-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	st, err := store.Open(filepath.Join(dir, "check.db"), store.WithKey(key))
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := genetec.New(genetec.Config{Store: st, Timeout: checkTimeout})
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	res, err := c.TestConnection(ctx, genetec.Provider{URL: g.URL, Username: g.Username, Password: g.Password, AppID: g.AppID, Insecure: g.Insecure})
	what := fmt.Sprintf("cannot connect to the Security Center Web SDK at %s as %q", g.URL, g.Username)
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w", what, err)
	case !res.OK:
		return fmt.Errorf("%s: %s", what, strings.TrimPrefix(res.Message, "Connection failed: "))
	}
	return nil
}
