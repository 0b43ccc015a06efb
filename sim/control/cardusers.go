package control

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/pacsim/pacsim/sim"
)

// Card user limits of GET /v1/cardusers.
const (
	// DefaultCardUserLimit is how many card users a page holds when no
	// limit is given.
	DefaultCardUserLimit = 50
	// MaxCardUserLimit is the largest limit a page takes.
	MaxCardUserLimit = 1000
)

// CardUser is a card user of the site file, as GET /v1/cardusers shows it:
// what a person needs to present one of its cards.
type CardUser struct {
	// ID is the card user's id in the site file.
	ID int `json:"id"`
	// Name is the card user's name.
	Name string `json:"name"`
	// Cards are the user's card numbers, as written in the site file
	// ("100:1001").
	Cards []string `json:"cards"`
	// PIN is the access code a keypad reader asks for ("" for none): the
	// simulated site's own data, so that a card can be presented as its
	// user would.
	PIN string `json:"pin,omitempty"`
	// AccessLevels are the user's access levels, each "name (site)".
	AccessLevels []string `json:"access_levels"`
}

// CardUserPage is the answer of GET /v1/cardusers.
type CardUserPage struct {
	// CardUsers are the matching card users, in site file order.
	CardUsers []CardUser `json:"card_users"`
	// Total counts every matching card user, beyond the limit too.
	Total int `json:"total"`
}

// getCardUsers answers GET /v1/cardusers?q=TEXT&limit=N: the card users of
// the site file whose name or one of whose cards contains TEXT (case
// ignored), at most N.
func (s *Server) getCardUsers(w http.ResponseWriter, r *http.Request) (any, error) {
	q := r.URL.Query()
	limit := DefaultCardUserLimit
	if raw := q.Get("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > MaxCardUserLimit {
			return nil, badRequest("limit %q: give a whole number from 1 to %d", raw, MaxCardUserLimit)
		}
		limit = n
	}
	text := strings.ToLower(strings.TrimSpace(q.Get("q")))
	sf := s.world.File()
	levels := make(map[int]string, len(sf.AccessLevels))
	for _, l := range sf.AccessLevels {
		// Levels are per site and often share a name across sites.
		levels[l.ID] = l.Name + " (" + s.names[l.Site] + ")"
	}
	page := CardUserPage{CardUsers: []CardUser{}}
	for i := range sf.Users {
		u := &sf.Users[i]
		if text != "" && !userMatches(u.Name, u.Cards, text) {
			continue
		}
		page.Total++
		if len(page.CardUsers) == limit {
			continue
		}
		cu := CardUser{ID: u.ID, Name: u.Name, PIN: u.PIN, Cards: make([]string, len(u.Cards)), AccessLevels: []string{}}
		for j, c := range u.Cards {
			cu.Cards[j] = c.Number
		}
		for _, id := range u.AccessLevels {
			if n, ok := levels[id]; ok {
				cu.AccessLevels = append(cu.AccessLevels, n)
			}
		}
		page.CardUsers = append(page.CardUsers, cu)
	}
	return page, nil
}

// userMatches reports whether a user's name or one of its cards contains
// text, which is lower case.
func userMatches(name string, cards []sim.CardSpec, text string) bool {
	if strings.Contains(strings.ToLower(name), text) {
		return true
	}
	for _, c := range cards {
		if strings.Contains(strings.ToLower(c.Number), text) {
			return true
		}
	}
	return false
}
