package entrapass

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Settings typed as text.
//
// A PSIM's configuration form hands the driver what the operator typed:
// text, in fields some of which are numbers. Two things must hold there that
// a Go struct literal cannot express. A value typed is never taken for a
// value left out: "0" in Port is refused like 65536, not read as "use the
// default 8080". And text that is not a number in a number field is refused
// naming that field (the document's red X), rather than never reaching the
// driver. Set records both on the Config itself, so New and Validate refuse
// it before anything is sent, like every other invalid value.

// given is the set of optional fields given a value explicitly by Set, whose
// zero is then a value, not "the default".
type given uint8

const (
	givenPort given = 1 << iota
	givenPoll
	givenIntegrationID
	givenEventBatch
	givenRequestTimeout
)

// settingFields names the fields Set accepts, as Config spells them, for
// its error message; the form's own labels ("IP Address") are accepted too.
const settingFields = "Host, Port, Username, Password, TLS, Poll, RequestTimeout, IntegrationID, EventBatch"

// Set sets one field from the text typed for it, as the PSIM's configuration
// form gives it: Host (or "IP Address"), Port, Username, Password, TLS
// (true/false), Poll and RequestTimeout (a duration: "500ms", "2s", or a
// number of seconds), IntegrationID, EventBatch. Field names are matched
// without regard to case and spaces.
//
// A value Set cannot read (letters in Port, say) is kept as that field's
// error: Validate and New refuse the Config with it, naming the field, and
// Set returns it too. A number given as "0" is a value, refused where it is
// out of range, never taken for the default. An unknown field name is an
// error of the call, not of the configuration, and changes nothing.
func (c *Config) Set(field, text string) error {
	name := strings.ToLower(strings.ReplaceAll(field, " ", ""))
	text = strings.TrimSpace(text)
	var cerr *ConfigError
	switch name {
	case "host", "ipaddress", "hostname":
		c.Host = text
	case "port":
		c.Port, cerr = setInt("Port", text)
		c.given |= givenPort
	case "username":
		c.Username = text
	case "password":
		c.Password = text
	case "tls":
		b, err := strconv.ParseBool(text)
		if err != nil {
			cerr = &ConfigError{Field: "TLS", Reason: fmt.Sprintf("%q is not true or false", clip(text))}
		}
		c.TLS = b
	case "poll", "pollinterval":
		c.Poll, cerr = setDuration("Poll", text)
		c.given |= givenPoll
	case "requesttimeout":
		c.RequestTimeout, cerr = setDuration("RequestTimeout", text)
		c.given |= givenRequestTimeout
	case "integrationid":
		c.IntegrationID, cerr = setInt("IntegrationID", text)
		c.given |= givenIntegrationID
	case "eventbatch":
		c.EventBatch, cerr = setInt("EventBatch", text)
		c.given |= givenEventBatch
	default:
		return fmt.Errorf("entrapass: unknown configuration field %q (%s)", clip(field), settingFields)
	}
	if cerr != nil {
		if c.unreadable == nil {
			c.unreadable = cerr
		}
		return cerr
	}
	return nil
}

// setInt reads a whole number typed in a number field.
func setInt(field, text string) (int, *ConfigError) {
	if text == "" {
		return 0, &ConfigError{Field: field, Reason: "is empty (a number is required)"}
	}
	n, err := strconv.Atoi(text)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, &ConfigError{Field: field, Reason: fmt.Sprintf("%s is out of range", clip(text))}
	case err != nil:
		return 0, &ConfigError{Field: field, Reason: fmt.Sprintf("%q is not a number", clip(text))}
	}
	return n, nil
}

// setDuration reads a duration ("500ms", "2s") or a whole number of seconds.
func setDuration(field, text string) (time.Duration, *ConfigError) {
	if n, err := strconv.Atoi(text); err == nil {
		if n < 0 || n > int(MaxPoll/time.Second)*24 {
			return 0, &ConfigError{Field: field, Reason: fmt.Sprintf("%d seconds is out of range", n)}
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(text)
	if err != nil {
		return 0, &ConfigError{Field: field, Reason: fmt.Sprintf("%q is not a duration (e.g. 500ms, 2s, or a number of seconds)", clip(text))}
	}
	return d, nil
}
