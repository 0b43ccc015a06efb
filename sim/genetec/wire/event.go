package wire

import (
	"strconv"
	"time"
)

// Boundary opens every part of the event stream.
const Boundary = "--GENETECBOUNDARY"

// KeepAlive is the line the server sends between events so that clients and
// proxies do not time the stream out.
const KeepAlive = "KeepAlive\r\n"

// Event is one event of the stream. Empty string fields are left out of the
// rendering; EventTypeId and Timestamp are always present.
type Event struct {
	EventType      string    // the event's name: "AccessGranted"
	EventTypeID    int       // its numeric id, rendered as "EventTypeId": 35
	SourceGuid     string    // the entity that raised it, usually a door or reader
	Timestamp      time.Time // when it happened; rendered in UTC
	CardholderGuid string    // who, when the credential is known
	CredentialGuid string    // which credential, when known
	DoorGuid       string    // the door concerned
	ReaderGuid     string    // the reader the card was presented at
	AreaGuid       string    // the area concerned
	Reason         string    // why access was refused: "UnknownCredential", …
	Card           string    // the card as presented ("200:2001"), for unknown credentials
}

// field is one optional string of an event. Listing them in an array keeps
// their wire order in one place for all four formats, and the array lives on the
// stack, so the list costs no allocation.
type field struct{ key, val string }

func (e *Event) optional() [7]field {
	return [7]field{
		{"CardholderGuid", e.CardholderGuid},
		{"CredentialGuid", e.CredentialGuid},
		{"DoorGuid", e.DoorGuid},
		{"ReaderGuid", e.ReaderGuid},
		{"AreaGuid", e.AreaGuid},
		{"Reason", e.Reason},
		{"Card", e.Card},
	}
}

// AppendEventPart appends one boundary part for e in format f to dst:
//
//	--GENETECBOUNDARY\r\n
//	Content-type: text/json\r\n
//	{"Rsp":{"Status":"Ok","Result":{"EventType":…}}}\r\n
//
// The data line is a text/json or text/xml envelope, <event>…</event> in
// legacy XML, or {"event":{…}} in legacy JSON. Escaping guarantees it is one
// line whatever the fields hold. With a dst of sufficient capacity it does
// not allocate: this is the hot path of the simulator.
func AppendEventPart(dst []byte, f Format, e *Event) []byte {
	f = f.valid()
	dst = append(dst, Boundary+"\r\nContent-type: "...)
	dst = append(dst, formatNames[f]...)
	dst = append(dst, "\r\n"...)
	switch f {
	case TextJSON:
		dst = append(dst, `{"Rsp":{"Status":"Ok","Result":`...)
		dst = appendEventJSON(dst, e)
		dst = append(dst, `}}`...)
	case TextXML:
		dst = append(dst, `<WebSdk><Rsp><Status>Ok</Status><Result>`...)
		dst = appendEventXML(dst, e)
		dst = append(dst, `</Result></Rsp></WebSdk>`...)
	case LegacyJSON:
		dst = append(dst, `{"event":`...)
		dst = appendEventJSON(dst, e)
		dst = append(dst, '}')
	default:
		dst = append(dst, `<event>`...)
		dst = appendEventXML(dst, e)
		dst = append(dst, `</event>`...)
	}
	return append(dst, "\r\n"...)
}

// AppendConnectionID appends "ConnectionId:<id>\r\n", the first line of the
// stream. CR and LF are dropped from id: they would end the line early and
// desynchronise every client's framing.
func AppendConnectionID(dst []byte, id string) []byte {
	dst = append(dst, "ConnectionId:"...)
	for i := 0; i < len(id); i++ {
		if id[i] != '\r' && id[i] != '\n' {
			dst = append(dst, id[i])
		}
	}
	return append(dst, "\r\n"...)
}

// appendEventJSON writes the event object. Keys are our own constants and
// need no escaping, so they are written as literals.
func appendEventJSON(dst []byte, e *Event) []byte {
	dst = append(dst, '{')
	if e.EventType != "" {
		dst = append(dst, `"EventType":`...)
		dst = appendJSONString(dst, e.EventType)
		dst = append(dst, ',')
	}
	dst = append(dst, `"EventTypeId":`...)
	dst = strconv.AppendInt(dst, int64(e.EventTypeID), 10)
	if e.SourceGuid != "" {
		dst = append(dst, `,"SourceGuid":`...)
		dst = appendJSONString(dst, e.SourceGuid)
	}
	dst = append(dst, `,"Timestamp":"`...)
	dst = appendTime(dst, e.Timestamp)
	dst = append(dst, '"')
	for _, fl := range e.optional() {
		if fl.val == "" {
			continue
		}
		dst = append(dst, ',', '"')
		dst = append(dst, fl.key...)
		dst = append(dst, '"', ':')
		dst = appendJSONString(dst, fl.val)
	}
	return append(dst, '}')
}

// appendEventXML writes the event's fields as child elements, the same in
// text/xml and legacy XML.
func appendEventXML(dst []byte, e *Event) []byte {
	if e.EventType != "" {
		dst = append(dst, `<EventType>`...)
		dst = appendXMLText(dst, e.EventType)
		dst = append(dst, `</EventType>`...)
	}
	dst = append(dst, `<EventTypeId>`...)
	dst = strconv.AppendInt(dst, int64(e.EventTypeID), 10)
	dst = append(dst, `</EventTypeId>`...)
	if e.SourceGuid != "" {
		dst = append(dst, `<SourceGuid>`...)
		dst = appendXMLText(dst, e.SourceGuid)
		dst = append(dst, `</SourceGuid>`...)
	}
	dst = append(dst, `<Timestamp>`...)
	dst = appendTime(dst, e.Timestamp)
	dst = append(dst, `</Timestamp>`...)
	for _, fl := range e.optional() {
		if fl.val == "" {
			continue
		}
		dst = append(dst, '<')
		dst = append(dst, fl.key...)
		dst = append(dst, '>')
		dst = appendXMLText(dst, fl.val)
		dst = append(dst, '<', '/')
		dst = append(dst, fl.key...)
		dst = append(dst, '>')
	}
	return dst
}
