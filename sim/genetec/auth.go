package genetec

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
)

// credentials are what the Basic header carries: user;applicationId:password.
type credentials struct {
	user, app, password string
}

// basic reads the Authorization header. ok is false when it is missing or
// not Basic of the Web SDK's form.
func basic(r *http.Request) (credentials, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "basic "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) || len(h) > 4096 {
		return credentials{}, false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[len(prefix):]))
	if err != nil {
		return credentials{}, false
	}
	userApp, password, ok := strings.Cut(string(raw), ":")
	if !ok {
		return credentials{}, false
	}
	user, app, _ := strings.Cut(userApp, ";")
	return credentials{user: user, app: app, password: password}, true
}

// authError is a refusal before any Web SDK answer: 401 or 403.
type authError struct {
	status int
	msg    string
}

// authenticate checks credentials as the Web SDK role does: an unknown
// user, a disabled one or a wrong password is 401; an application ID that
// is not known, or whose licence part the licence lacks, is 403. It returns
// the user's GUID.
func (db *DB) authenticate(c credentials) (string, *authError) {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var user *entity
	for _, g := range db.order {
		if e := db.byGUID[g]; e != nil && e.typ == TypeUser && strings.EqualFold(e.name, c.user) {
			user = e
			break
		}
	}
	// Compare against something even for an unknown user, so the answer
	// takes as long whether the user exists or not.
	want := "\x00no user"
	if user != nil {
		want = user.misc().password
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(c.password)) != 1 || user == nil || user.misc().disabled {
		return "", &authError{http.StatusUnauthorized, "Unauthorized: the user name or password is wrong, or the user may not log on."}
	}
	for _, a := range db.spec.Applications {
		if a.ID == c.app {
			if !slices.Contains(db.spec.LicenceParts, a.Part) {
				return "", &authError{http.StatusForbidden, "Forbidden: the licence does not hold part " + a.Part + " of this application."}
			}
			return user.guid, nil
		}
	}
	if c.app == "" {
		return "", &authError{http.StatusForbidden, "Forbidden: no application ID (the user name is user;applicationId)."}
	}
	return "", &authError{http.StatusForbidden, "Forbidden: unknown application ID."}
}
