package scenarios

import (
	"bytes"
	"strconv"
	"strings"
)

// SmartService answers most of a driver's traffic (state and event polls)
// as ArrayOfSmartLinkDataRow tables, written item by item in one fixed
// shape. Parsing them with encoding/xml into a tree was most of what
// pacsim record cost on the event path (bench/RESULTS.md); fastRows reads
// that shape directly and gives the redaction rules the same structure.
// Anything else — another spelling, a CDATA, a nested element, an entity it
// does not know — makes it give up, and the general parser reads the body.

const (
	rowsOpen  = "<ArrayOfSmartLinkDataRow"
	rowsClose = "</ArrayOfSmartLinkDataRow>"
	rowOpen   = "<SmartLinkDataRow>"
	rowClose  = "</SmartLinkDataRow>"
	itemOpen  = "<item><key><string>"
	itemMid   = "</string></key><value><SmartLinkDataValue><Value>"
	itemClose = "</Value></SmartLinkDataValue></value></item>"
)

// fastRows reads b as an ArrayOfSmartLinkDataRow answer, as xmlDoc's root
// object would see it.
func (ed objEditor) fastRows(b []byte) (*redactObj, bool) {
	i := skipSpace(b, 0)
	if bytes.HasPrefix(b[i:], []byte("<?xml")) {
		end := bytes.Index(b[i:], []byte("?>"))
		if end < 0 {
			return nil, false
		}
		i = skipSpace(b, i+end+2)
	}
	if !bytes.HasPrefix(b[i:], []byte(rowsOpen)) {
		return nil, false
	}
	gt := bytes.IndexByte(b[i:], '>')
	if gt < 0 {
		return nil, false
	}
	table := &redactObj{}
	root := &redactObj{fields: []redactField{{key: "ArrayOfSmartLinkDataRow", obj: table}}}
	if b[i+gt-1] == '/' { // <ArrayOfSmartLinkDataRow ... />
		return root, skipSpace(b, i+gt+1) == len(b)
	}
	i += gt + 1
	for {
		i = skipSpace(b, i)
		switch {
		case bytes.HasPrefix(b[i:], []byte(rowsClose)):
			return root, skipSpace(b, i+len(rowsClose)) == len(b)
		case bytes.HasPrefix(b[i:], []byte(rowOpen)):
			row, next, ok := ed.fastRow(b, i+len(rowOpen))
			if !ok {
				return nil, false
			}
			table.fields = append(table.fields, redactField{key: "SmartLinkDataRow", obj: row})
			i = next
		default:
			return nil, false
		}
	}
}

// fastRow reads the items of one row from i, up to and past its end tag.
func (ed objEditor) fastRow(b []byte, i int) (*redactObj, int, bool) {
	row := &redactObj{}
	for {
		i = skipSpace(b, i)
		if bytes.HasPrefix(b[i:], []byte(rowClose)) {
			return row, i + len(rowClose), true
		}
		if !bytes.HasPrefix(b[i:], []byte(itemOpen)) {
			return nil, 0, false
		}
		i += len(itemOpen)
		k := bytes.Index(b[i:], []byte(itemMid))
		if k < 0 || bytes.ContainsAny(b[i:i+k], "<&") {
			return nil, 0, false
		}
		key := string(b[i : i+k])
		start := i + k + len(itemMid)
		v := bytes.Index(b[start:], []byte(itemClose))
		if v < 0 || bytes.IndexByte(b[start:start+v], '<') >= 0 {
			return nil, 0, false
		}
		end := start + v
		val, ok := unescapeXML(b[start:end])
		if !ok {
			return nil, 0, false
		}
		s, e := start, end
		row.fields = append(row.fields, redactField{key: key, leaf: true, val: val, set: func(r string) {
			if e > s {
				*ed.edits = append(*ed.edits, bodyEdit{ed.off + s, ed.off + e, xmlEscaped(r)})
			}
		}})
		i = end + len(itemClose)
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// unescapeXML reads the predefined and numeric character references; any
// other makes the caller fall back to encoding/xml.
func unescapeXML(b []byte) (string, bool) {
	if bytes.IndexByte(b, '&') < 0 {
		return string(b), true
	}
	var sb strings.Builder
	for len(b) > 0 {
		amp := bytes.IndexByte(b, '&')
		if amp < 0 {
			sb.Write(b)
			break
		}
		sb.Write(b[:amp])
		semi := bytes.IndexByte(b[amp:], ';')
		if semi < 0 {
			return "", false
		}
		ent := string(b[amp+1 : amp+semi])
		switch ent {
		case "amp":
			sb.WriteByte('&')
		case "lt":
			sb.WriteByte('<')
		case "gt":
			sb.WriteByte('>')
		case "quot":
			sb.WriteByte('"')
		case "apos":
			sb.WriteByte('\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ent, "#x"):
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			case strings.HasPrefix(ent, "#"):
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				return "", false
			}
			if err != nil || n == 0 || n > 0x10FFFF {
				return "", false
			}
			sb.WriteRune(rune(n))
		}
		b = b[amp+semi+1:]
	}
	return sb.String(), true
}
