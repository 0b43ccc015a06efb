package entrapass

import (
	"net/http"
	"strings"
)

// Bounds of an answer, by what the call can legitimately return. The
// client stops reading an answer at its bound and fails the call with
// ErrMalformed, so a hostile or broken server cannot make the driver hold
// more than that per call.
const (
	// MaxShortAnswer bounds the answer of a login, a logout, a command and
	// a write (<Operator>, <CommandResult>, <int>): a few KB at most.
	MaxShortAnswer = 64 << 10
	// MaxRecordAnswer bounds the answer of one record (GET Cards/{id},
	// Doors/{id}, AccessLevels/{id}): a <Card> with its 40 CardInfo fields
	// and an access level per site is tens of KB.
	MaxRecordAnswer = 1 << 20
	// MaxPictureAnswer bounds GET CardPictures/{id}: a JPEG in Base64, a
	// few times MaxPhotoSize to accept photos other tools stored.
	MaxPictureAnswer = 4 << 20
	// MaxBodySize bounds a list (a full Cards list of 4096 rows with
	// extended fields, a state poll, an Events batch, a site's components):
	// the largest answer the client reads.
	MaxBodySize = 64 << 20
)

// answerLimit returns the bound of the answer to method on path (below
// /SmartService/) and the name of the call for the refusal.
func answerLimit(method, path string) (int64, string) {
	first, rest, _ := strings.Cut(path, "/")
	switch {
	case first == "Login" || first == "Logout":
		return MaxShortAnswer, first
	case method != http.MethodGet:
		return MaxShortAnswer, method + " " + first
	case first == "CardPictures":
		return MaxPictureAnswer, "CardPictures"
	case rest != "" && !strings.Contains(rest, "/"):
		return MaxRecordAnswer, first + " record"
	}
	return MaxBodySize, first
}
