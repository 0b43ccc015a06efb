package entrapass

import (
	"net/url"
	"strings"
)

// Redacted replaces a secret in a redacted URL.
const Redacted = "REDACTED"

// RedactURL returns rawURL with the values of its secret query parameters
// replaced by REDACTED: password, sdKey and ConnectedProgram always, and
// userName in an encrypted login (its ciphertext is keyed by the password).
// Parameter names compare case-insensitively, as SmartService binds them.
// Everything else is kept as it was, in its order, so a redacted URL still
// says which request it was. It never fails: an unparsable URL is cut at its
// query.
func RedactURL(rawURL string) string {
	base, query, ok := strings.Cut(rawURL, "?")
	if !ok {
		return rawURL
	}
	query, frag, hasFrag := strings.Cut(query, "#")
	pairs := strings.Split(query, "&")
	encrypted := false
	for _, p := range pairs {
		k, v, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); err == nil && strings.EqualFold(name, "encrypted") {
			if val, err := url.QueryUnescape(v); err == nil && (val == "1" || strings.EqualFold(val, "true")) {
				encrypted = true
			}
		}
	}
	for i, p := range pairs {
		k, v, hasValue := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			// Not even the name decodes: drop the value, it may be anything.
			pairs[i] = k + "=" + Redacted
			continue
		}
		if hasValue && v != "" && secretParam(name, encrypted) {
			pairs[i] = k + "=" + Redacted
		}
	}
	s := base + "?" + strings.Join(pairs, "&")
	if hasFrag {
		s += "#" + frag
	}
	return s
}

func secretParam(name string, encrypted bool) bool {
	switch strings.ToLower(name) {
	case "password", "sdkey", "connectedprogram", "operatorloginkey":
		return true
	case "username":
		return encrypted
	}
	return false
}
