package wire

import (
	"fmt"
	"strconv"
	"strings"
)

// The component types the service lists as LightComponentOf<type>. The
// string is both the suffix of the element names and the text of <Object>.
const (
	LightGatewaySite = "GatewaySite"
	LightSite        = "Site"
	LightRelay       = "Relay"
	LightInput       = "Input"
	LightAccessLevel = "AccessLevel"
	LightSchedule    = "Schedule"
)

// Light is one entry of a light component list: the id, names and owner of a
// component, without its configuration.
type Light struct {
	// ID is the global component id (PkData).
	ID int
	// Description is the name in the first language.
	Description string
	// Description2 is the name in the second language, usually empty.
	Description2 string
	// Owner is the id of the owning site (gateway for a site, 0 for a
	// gateway).
	Owner int
}

// WriteLight appends an ArrayOfLightComponentOf<typ> document listing items
// in order, and returns the extended buffer. typ is one of the Light…
// constants (any XML name works; it is never taken from a request).
//
// Children are written Object, ID, Description, Description2, Owner. The
// Airflow client reads them by position — [1] ID, [2] Description, [4] Owner
// — so the positions are the contract; the names of [0] and [3] are our
// reading of the GO app's handlers and of the Light-component shape.
func WriteLight(buf []byte, typ string, items []Light) []byte {
	buf = append(buf, "<ArrayOfLightComponentOf"...)
	buf = append(buf, typ...)
	buf = append(buf, ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">`...)
	for _, it := range items {
		buf = append(buf, "<LightComponentOf"...)
		buf = append(buf, typ...)
		buf = append(buf, '>')
		buf = appendElem(buf, "Object", typ)
		buf = append(buf, "<ID>"...)
		buf = strconv.AppendInt(buf, int64(it.ID), 10)
		buf = append(buf, "</ID>"...)
		buf = appendElem(buf, "Description", it.Description)
		buf = appendElem(buf, "Description2", it.Description2)
		buf = append(buf, "<Owner>"...)
		buf = strconv.AppendInt(buf, int64(it.Owner), 10)
		buf = append(buf, "</Owner>"...)
		buf = append(buf, "</LightComponentOf"...)
		buf = append(buf, typ...)
		buf = append(buf, '>')
	}
	buf = append(buf, "</ArrayOfLightComponentOf"...)
	buf = append(buf, typ...)
	return append(buf, '>')
}

// ParseLight reads an ArrayOfLightComponentOf<type> document and returns the
// type and the entries. Children are matched by name, not position, so it
// reads our documents and any reordering of them. Element names may carry
// the WCF generic-name suffix the GO app's handlers know
// (LightComponentOfSite_PSiM4RF8): it is dropped from the returned type.
// A non-number in ID or Owner is an error; a StandardFault body is returned
// as the *Fault error.
func ParseLight(data []byte) (typ string, items []Light, err error) {
	r := newDocReader(data)
	root, err := r.root()
	if err != nil {
		return "", nil, fmt.Errorf("wire: light list: %w", err)
	}
	typ, ok := strings.CutPrefix(root.Name.Local, "ArrayOfLightComponentOf")
	if !ok || typ == "" {
		return "", nil, unexpectedRoot(data, root.Name.Local, "ArrayOfLightComponentOf…")
	}
	typ, _, _ = strings.Cut(typ, "_")
	items = []Light{}
	for {
		el, ok, err := r.next()
		if err != nil {
			return "", nil, fmt.Errorf("wire: %s: %w", root.Name.Local, err)
		}
		if !ok {
			break
		}
		if !strings.HasPrefix(el.Name.Local, "LightComponentOf") {
			if err := r.skip(); err != nil {
				return "", nil, fmt.Errorf("wire: %s: %w", root.Name.Local, err)
			}
			continue
		}
		it, err := parseLightItem(r)
		if err != nil {
			return "", nil, fmt.Errorf("wire: %s %d: %w", el.Name.Local, len(items)+1, err)
		}
		items = append(items, it)
	}
	if err := r.end(); err != nil {
		return "", nil, fmt.Errorf("wire: %s: %w", root.Name.Local, err)
	}
	return typ, items, nil
}

func parseLightItem(r *docReader) (Light, error) {
	var it Light
	for {
		el, ok, err := r.next()
		if err != nil || !ok {
			return it, err
		}
		name := el.Name.Local
		switch name {
		case "ID", "Owner", "Description", "Description2":
			text, err := r.text(el)
			if err != nil {
				return it, err
			}
			switch name {
			case "ID":
				it.ID, err = parseInt32(text)
			case "Owner":
				it.Owner, err = parseInt32(text)
			case "Description":
				it.Description = text
			case "Description2":
				it.Description2 = text
			}
			if err != nil {
				return it, fmt.Errorf("%s: %w", name, err)
			}
		default:
			if err := r.skip(); err != nil {
				return it, err
			}
		}
	}
}

// parseInt32 parses a decimal .NET Int32, the type of every id and count on
// this wire, trimming surrounding whitespace as XmlConvert does.
func parseInt32(s string) (int, error) {
	t := strings.TrimSpace(s)
	v, err := strconv.ParseInt(t, 10, 32)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%q is out of range", clip(t))
		}
		return 0, fmt.Errorf("%q is not a number", clip(t))
	}
	return int(v), nil
}
