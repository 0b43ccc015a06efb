package entrapass

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestAnswerLimit: every call the client makes gets the bound of what it
// can return.
func TestAnswerLimit(t *testing.T) {
	for _, c := range []struct {
		method, path string
		want         int64
		call         string
	}{
		{http.MethodGet, "Login", MaxShortAnswer, "Login"},
		{http.MethodGet, "Logout", MaxShortAnswer, "Logout"},
		{http.MethodPut, "UnlockDoor", MaxShortAnswer, "PUT UnlockDoor"},
		{http.MethodPut, "ComponentsStates", MaxShortAnswer, "PUT ComponentsStates"},
		{http.MethodPost, "Cards/0", MaxShortAnswer, "POST Cards"},
		{http.MethodDelete, "Cards/12", MaxShortAnswer, "DELETE Cards"},
		{http.MethodPut, "CardPictures/12", MaxShortAnswer, "PUT CardPictures"},
		{http.MethodGet, "CardPictures/12", MaxPictureAnswer, "CardPictures"},
		{http.MethodGet, "Cards/12", MaxRecordAnswer, "Cards record"},
		{http.MethodGet, "Doors/3", MaxRecordAnswer, "Doors record"},
		{http.MethodGet, "AccessLevels/100", MaxRecordAnswer, "AccessLevels record"},
		{http.MethodGet, "Cards", MaxBodySize, "Cards"},
		{http.MethodGet, "Events", MaxBodySize, "Events"},
		{http.MethodGet, "ComponentsStatesByStatusId", MaxBodySize, "ComponentsStatesByStatusId"},
		{http.MethodGet, "GatewaysSites", MaxBodySize, "GatewaysSites"},
		{http.MethodGet, "Sites/2/Relays", MaxBodySize, "Sites"},
		{http.MethodGet, "GetListOwnerBy", MaxBodySize, "GetListOwnerBy"},
	} {
		got, call := answerLimit(c.method, c.path)
		assert.Equal(t, c.want, got, "%s %s", c.method, c.path)
		assert.Equal(t, c.call, call, "%s %s", c.method, c.path)
	}
}

// TestStateAnswerLimit: a state poll may be as large as the rows of the
// components registered (a 100,000-door site answers ~135 MB), and no
// larger; small sites keep the list bound.
func TestStateAnswerLimit(t *testing.T) {
	for _, c := range []struct {
		registered int64
		want       int64
	}{
		{0, MaxBodySize},
		{100, MaxBodySize},
		{400_000, 400_000*maxStateRow + MaxRecordAnswer},
		{10_000_000, maxStateAnswer},
	} {
		if got := stateAnswerLimit(c.registered); got != c.want {
			t.Errorf("stateAnswerLimit(%d) = %d, want %d", c.registered, got, c.want)
		}
	}
	if stateAnswerLimit(400_000) < 135<<20 {
		t.Error("a 100,000-door site's state poll (about 135 MB) would be refused")
	}
}
