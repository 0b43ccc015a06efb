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
	// maxStateRow bounds one component's row in a state poll: its nine
	// or so keys and values are a few hundred bytes; the bound is generous.
	maxStateRow = 2 << 10
	// maxStateAnswer caps the state poll's bound whatever was registered.
	maxStateAnswer = 1 << 30
)

// stateAnswerLimit bounds a state poll (ComponentsStatesByStatusId) by what
// it can hold: a row for each component registered. A site of 100,000
// doors answers about 135 MB, more than MaxBodySize, and must still be
// read; a server cannot make the driver read more than the rows it asked
// for.
func stateAnswerLimit(registered int64) int64 {
	return min(max(MaxBodySize, registered*maxStateRow+MaxRecordAnswer), maxStateAnswer)
}

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
