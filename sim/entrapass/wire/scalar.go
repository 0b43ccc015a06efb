package wire

import (
	"fmt"
	"strconv"
	"strings"
)

// CommandResultOK is the answer to every successful command (unlockDoor,
// ActivateRelay, …). Clients compare the text to "OK"; anything else is a
// failure to them.
const CommandResultOK = "<ServiceCommandResult>OK</ServiceCommandResult>"

// AppendCommandResult appends <ServiceCommandResult>result</ServiceCommandResult>.
func AppendCommandResult(buf []byte, result string) []byte {
	return appendElem(buf, "ServiceCommandResult", result)
}

// AppendInt appends <int>v</int>, the answer to a card create or update.
// Like <string>, it carries no namespace: the public clients that read it
// (ropelletier, the GO app's AddXmlHandler) match the bare element.
func AppendInt(buf []byte, v int64) []byte {
	buf = append(buf, "<int>"...)
	buf = strconv.AppendInt(buf, v, 10)
	return append(buf, "</int>"...)
}

// AppendString appends <string>s</string> with s escaped.
func AppendString(buf []byte, s string) []byte {
	return appendElem(buf, "string", s)
}

// ParseCommandResult returns the text of a <ServiceCommandResult>. A
// StandardFault body is returned as the *Fault error, so a client can write
// one call and still see the server's reason.
func ParseCommandResult(data []byte) (string, error) {
	return parseLeaf(data, "ServiceCommandResult")
}

// ParseInt returns the value of an <int> document (a .NET Int32). A
// StandardFault body is returned as the *Fault error.
func ParseInt(data []byte) (int, error) {
	s, err := parseLeaf(data, "int")
	if err != nil {
		return 0, err
	}
	v, err := parseInt32(s)
	if err != nil {
		return 0, fmt.Errorf("wire: <int>: %w", err)
	}
	return v, nil
}

// ParseString returns the text of a <string> document. A StandardFault body
// is returned as the *Fault error.
func ParseString(data []byte) (string, error) {
	return parseLeaf(data, "string")
}

// parseLeaf reads a document whose root is the leaf element name.
func parseLeaf(data []byte, name string) (string, error) {
	r := newDocReader(data)
	root, err := r.root()
	if err != nil {
		return "", fmt.Errorf("wire: <%s>: %w", name, err)
	}
	if root.Name.Local != name {
		return "", unexpectedRoot(data, root.Name.Local, name)
	}
	s, err := r.text(root)
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return "", fmt.Errorf("wire: <%s>: %w", name, err)
	}
	return s, nil
}

// unexpectedRoot explains a document that is not the one expected. A
// StandardFault is returned as itself: it is the server's answer, not a
// parse failure, and the caller wants its code.
func unexpectedRoot(data []byte, got, want string) error {
	if got == "StandardFault" {
		if f, ok := ParseFault(data); ok {
			return f
		}
	}
	return fmt.Errorf("wire: document element is <%s>, want <%s>", got, want)
}

// ParseStringList reads the body of PUT ComponentsStates: a <string> whose
// text is a comma-separated list of component ids ("591,592"). Whitespace
// around ids and around the element is tolerated, as are an XML declaration
// and attributes on <string> — a WCF client serialises a string with
// xmlns="http://schemas.microsoft.com/2003/10/Serialization/". Empty tokens
// (a trailing comma) are skipped; an empty list is not an error.
//
// Every error is a *Fault from InvalidParameter naming "string" and, for a
// bad id, the offending token, so the handler can send it as is.
func ParseStringList(data []byte) ([]int, error) {
	r := newDocReader(data)
	root, err := r.root()
	if err != nil {
		return nil, InvalidParameter("string", malformedText(err))
	}
	if root.Name.Local != "string" {
		return nil, InvalidParameter("string", fmt.Sprintf("the body is <%s>, want <string>", clip(root.Name.Local)))
	}
	text, err := r.text(root)
	if err == nil {
		err = r.end()
	}
	if err != nil {
		return nil, InvalidParameter("string", malformedText(err))
	}
	ids := []int{}
	for n, tok := 1, text; tok != ""; n++ {
		var item string
		item, tok, _ = strings.Cut(tok, ",")
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		id, err := parseInt32(item)
		if err != nil {
			return nil, InvalidParameter("string", fmt.Sprintf("component id %d: %v", n, err))
		}
		ids = append(ids, id)
	}
	return ids, nil
}
