package websdk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Event is one event of the stream: the Result of a text/json part.
// Fields the event does not carry stay empty.
type Event struct {
	// EventType is the event's name: AccessGranted, AccessRefused,
	// DoorOpenedForTooLong, …
	EventType string
	// EventTypeID is its number in Genetec.Sdk.EventType (AccessGranted 35).
	EventTypeID int `json:"EventTypeId"`
	// SourceGuid is the entity that raised it, usually the door.
	SourceGuid string
	// Timestamp is when it happened.
	Timestamp time.Time
	// CardholderGuid, CredentialGuid, DoorGuid, ReaderGuid and AreaGuid are
	// the entities of an access event.
	CardholderGuid string
	CredentialGuid string
	DoorGuid       string
	ReaderGuid     string
	AreaGuid       string
	// Reason is why access was refused (UnknownCredential, NoAccessRule, …).
	Reason string
	// Card is the card as presented, for a credential Security Center does
	// not know.
	Card string
	// Raw is the event object as received, for fields not decoded above
	// (alarm notifications carry AlarmTriggered, …).
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON reads an event object leniently, as servers of several
// versions write it: EventType as a name or, as in reports, a number;
// Timestamp in ISO 8601 with or without a zone (none means UTC, the SDK's
// time), or .NET's /Date(ms)/.
func (e *Event) UnmarshalJSON(b []byte) error {
	var w struct {
		EventType      json.RawMessage
		EventTypeID    *int `json:"EventTypeId"`
		SourceGuid     string
		Timestamp      json.RawMessage
		CardholderGuid string
		CredentialGuid string
		DoorGuid       string
		ReaderGuid     string
		AreaGuid       string
		Reason         string
		Card           string
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*e = Event{SourceGuid: w.SourceGuid, CardholderGuid: w.CardholderGuid, CredentialGuid: w.CredentialGuid,
		DoorGuid: w.DoorGuid, ReaderGuid: w.ReaderGuid, AreaGuid: w.AreaGuid, Reason: w.Reason, Card: w.Card,
		Raw: append(json.RawMessage(nil), b...)}
	if w.EventTypeID != nil {
		e.EventTypeID = *w.EventTypeID
	}
	if t := bytes.TrimSpace(w.EventType); len(t) > 0 && !bytes.Equal(t, []byte("null")) {
		var name string
		var num int
		switch {
		case json.Unmarshal(t, &name) == nil:
			e.EventType = name
		case json.Unmarshal(t, &num) == nil:
			if w.EventTypeID == nil {
				e.EventTypeID = num
			}
		default:
			return fmt.Errorf("EventType %s is neither a name nor a number", clip(t))
		}
	}
	if t := bytes.TrimSpace(w.Timestamp); len(t) > 0 && !bytes.Equal(t, []byte("null")) {
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return fmt.Errorf("Timestamp %s is not a string", clip(t))
		}
		ts, err := parseTime(s)
		if err != nil {
			return err
		}
		e.Timestamp = ts
	}
	return nil
}

// parseTime reads a Web SDK date: RFC 3339 ("…T10:23:58.62Z"), ISO 8601
// with no zone (UTC), or "/Date(1700000000000)/".
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if ms, ok := strings.CutPrefix(s, "/Date("); ok {
		ms, _, _ = strings.Cut(ms, ")")
		// An offset may follow the milliseconds (+0100): the number is UTC
		// anyway.
		if i := strings.IndexAny(ms, "+-"); i > 0 {
			ms = ms[:i]
		}
		n, err := strconv.ParseInt(ms, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("Timestamp %q is not a date", clip([]byte(s)))
		}
		return time.UnixMilli(n).UTC(), nil
	}
	// Parsing accepts a fraction of any length after the seconds even
	// where the layout has none.
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, nil // no zone: UTC, as the SDK works
	}
	return time.Time{}, fmt.Errorf("Timestamp %q is not an ISO 8601 date", clip([]byte(s)))
}
