package control

import (
	"math"
	"net/http"
	"time"

	"github.com/pacsim/pacsim/internal/guard"
)

// Clock modes.
const (
	// ModeVirtual: the site clock moves only when advanced through the API.
	ModeVirtual = "virtual"
	// ModeReal: the site clock is the wall clock.
	ModeReal = "real"
)

// MaxAdvance is the longest single clock advance the API takes: 31 days.
const MaxAdvance = 31 * 24 * time.Hour

// ClockState is the site clock as the API shows it.
type ClockState struct {
	// Time is the site time, in the site's zone.
	Time time.Time `json:"time"`
	// Mode is ModeVirtual or ModeReal.
	Mode string `json:"mode"`
}

// advanceBody is the body of POST /v1/clock/advance: one of the two.
type advanceBody struct {
	Seconds  *float64 `json:"seconds"`
	Duration *string  `json:"duration"`
}

const advanceExample = `{"seconds":30} or {"duration":"1m30s"}`

func (s *Server) clockState() ClockState {
	mode, _ := s.clockMode()
	return ClockState{Time: s.world.Now().In(s.loc), Mode: mode}
}

// getClock answers GET /v1/clock.
func (s *Server) getClock(w http.ResponseWriter, r *http.Request) (any, error) {
	return s.clockState(), nil
}

// postAdvance answers POST /v1/clock/advance.
func (s *Server) postAdvance(w http.ResponseWriter, r *http.Request) (any, error) {
	_, clock := s.clockMode()
	if clock == nil {
		return nil, &httpError{status: http.StatusConflict,
			msg: "the server runs on the real clock, which cannot be advanced: start it with --clock virtual"}
	}
	var body advanceBody
	if err := decodeBody(w, r, &body, true, advanceExample); err != nil {
		return nil, err
	}
	d, err := body.duration()
	if err != nil {
		return nil, err
	}
	clock.Advance(d)
	s.clockNote.notify()
	return s.clockState(), nil
}

// duration checks the body and returns how far to advance.
func (b advanceBody) duration() (time.Duration, error) {
	switch {
	case b.Seconds != nil && b.Duration != nil:
		return 0, badRequest(`give either "seconds" or "duration", not both: %s`, advanceExample)
	case b.Seconds != nil:
		secs := *b.Seconds
		if math.IsNaN(secs) || secs < 0 || secs > MaxAdvance.Seconds() {
			return 0, badRequest(`"seconds" is %v: give a number from 0 to %v (31 days)`, secs, MaxAdvance.Seconds())
		}
		return time.Duration(math.Round(secs * float64(time.Second))), nil
	case b.Duration != nil:
		d, err := time.ParseDuration(*b.Duration)
		if err != nil {
			return 0, badRequest(`"duration" %q is not a duration: give one like "30s" or "1m30s"`, guard.Clip(*b.Duration))
		}
		if d < 0 || d > MaxAdvance {
			return 0, badRequest(`"duration" is %v: give a duration from 0 to %v (31 days)`, d, MaxAdvance)
		}
		return d, nil
	}
	return 0, badRequest(`missing "seconds" or "duration": send %s`, advanceExample)
}
