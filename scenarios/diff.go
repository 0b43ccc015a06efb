package scenarios

import (
	"strconv"
	"strings"
)

// Difference is one way a live answer differs from the recorded one
// (pacsim replay --against).
type Difference struct {
	// Seq and Line identify the exchange (its Seq and its line in the
	// file); Diff leaves them 0 for its caller to fill in.
	Seq  int `json:"seq"`
	Line int `json:"line"`
	// Where is what differs: "status", "body", "content type", "body:
	// /ArrayOfSmartLinkDataRow/SmartLinkDataRow/ETXT" (an XML element path;
	// a SmartLinkDataRow item is named by its key), "body: Rsp.Result.Name"
	// (a JSON key path, [] for the items of an array).
	Where string `json:"where"`
	// Kind is "status"; "missing" (recorded, not live) or "extra" (live,
	// not recorded); "type" (a JSON type, or the kind of body: XML, JSON,
	// other, or the content type of other bodies); "rows" (the rows of a
	// list have other fields).
	Kind string `json:"kind"`
	// Want is the recorded side, Got the live one.
	Want string `json:"want"`
	Got  string `json:"got"`
}

// Diff compares a live answer with the recorded one: the status, then the
// structure of the bodies, never their values, so volatile values (times,
// GUIDs, session keys, counters) never matter. XML: the element paths
// present in one and not the other; the elements of a list (a repeated
// element, or the only kind of child of its parent) are rows, and of rows
// only their shape counts (the set of their children): 12 rows against 3
// is no difference, and an empty list matches any. JSON: keys present in
// one and not the other, and types (null matches any type: it is an unset
// value); arrays compare the union of the keys of their items, an empty
// array matches any. Bodies that are neither XML nor JSON: their content
// types. system is the recording's; the rules are the same for both.
func Diff(system string, recorded, live *Response) []Difference {
	_ = system // both head-ends' bodies are told apart by their syntax
	var out []Difference
	if recorded.Status != live.Status {
		out = append(out, Difference{Where: "status", Kind: "status",
			Want: strconv.Itoa(recorded.Status), Got: strconv.Itoa(live.Status)})
	}
	rb, _ := recorded.Bytes()
	lb, _ := live.Bytes()
	rk, lk := bodyKind(rb), bodyKind(lb)
	switch {
	case rk == "empty" && lk == "empty":
	case lk == "empty":
		out = append(out, Difference{Where: "body", Kind: "missing", Want: rk, Got: "empty"})
	case rk == "empty":
		out = append(out, Difference{Where: "body", Kind: "extra", Want: "empty", Got: lk})
	case rk != lk:
		out = append(out, Difference{Where: "body", Kind: "type", Want: rk, Got: lk})
	case rk == "JSON":
		a, _ := parseJSON(rb)
		b, _ := parseJSON(lb)
		diffJSON("", a, b, &out)
	case rk == "XML":
		a, _ := parseXML(rb)
		b, _ := parseXML(lb)
		if a.name != b.name {
			out = append(out,
				Difference{Where: "body: /" + a.name, Kind: "missing", Want: "present", Got: "absent"},
				Difference{Where: "body: /" + b.name, Kind: "extra", Want: "absent", Got: "present"})
			break
		}
		sa, sb := &xmlShape{}, &xmlShape{}
		sa.merge(a)
		sb.merge(b)
		diffXML("/"+a.name, sa, sb, &out)
	default:
		if w, g := mediaType(recorded.Header), mediaType(live.Header); w != g {
			out = append(out, Difference{Where: "content type", Kind: "type", Want: w, Got: g})
		}
	}
	return out
}

// bodyKind names what a body is.
func bodyKind(b []byte) string {
	if len(strings.TrimSpace(string(b))) == 0 {
		return "empty"
	}
	if _, ok := parseJSON(b); ok {
		return "JSON"
	}
	if _, ok := parseXML(b); ok {
		return "XML"
	}
	return "other"
}

// mediaType is the Content-Type of a header without its parameters.
func mediaType(h map[string][]string) string {
	for k, v := range h {
		if strings.EqualFold(k, "Content-Type") && len(v) > 0 {
			t, _, _ := strings.Cut(v[0], ";")
			return strings.ToLower(strings.TrimSpace(t))
		}
	}
	return ""
}

// diffJSON compares the structure of two JSON values at path p.
func diffJSON(p string, a, b *jsonNode, out *[]Difference) {
	if a == nil || b == nil || a.kind == jsonNull || b.kind == jsonNull {
		return
	}
	if a.kind != b.kind {
		*out = append(*out, Difference{Where: "body: " + orRoot(p), Kind: "type", Want: a.typeName(), Got: b.typeName()})
		return
	}
	switch a.kind {
	case jsonObject:
		for i, k := range a.keys {
			if bv := b.get(k); bv != nil {
				diffJSON(join(p, k), a.vals[i], bv, out)
			} else {
				*out = append(*out, Difference{Where: "body: " + join(p, k), Kind: "missing", Want: a.vals[i].typeName(), Got: "absent"})
			}
		}
		for i, k := range b.keys {
			if a.get(k) == nil {
				*out = append(*out, Difference{Where: "body: " + join(p, k), Kind: "extra", Want: "absent", Got: b.vals[i].typeName()})
			}
		}
	case jsonArray:
		diffJSON(p+"[]", mergeItems(a.items), mergeItems(b.items), out)
	}
}

func join(p, k string) string {
	if p == "" {
		return k
	}
	return p + "." + k
}

func orRoot(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

// mergeItems is the shape of an array's items: for objects, every key any
// of them has (first-seen order, values merged alike); else the first
// non-null item. nil for an array with no non-null item.
func mergeItems(items []*jsonNode) *jsonNode {
	var m *jsonNode
	for _, it := range items {
		if it.kind == jsonNull {
			continue
		}
		if m == nil {
			m = &jsonNode{kind: it.kind}
		}
		if it.kind != m.kind {
			continue // a mixed array: its first kind stands for it
		}
		switch it.kind {
		case jsonObject:
			for i, k := range it.keys {
				if j := indexOf(m.keys, k); j >= 0 {
					m.vals[j] = mergeItems([]*jsonNode{m.vals[j], it.vals[i]})
					if m.vals[j] == nil {
						m.vals[j] = it.vals[i]
					}
				} else {
					m.keys, m.vals = append(m.keys, k), append(m.vals, it.vals[i])
				}
			}
		case jsonArray:
			m.items = append(m.items, it.items...)
		}
	}
	return m
}

func indexOf(l []string, s string) int {
	for i, x := range l {
		if x == s {
			return i
		}
	}
	return -1
}

// xmlShape is the structure of every instance of an element merged: the
// children any instance has, and whether one instance has several of the
// same name (rows).
type xmlShape struct {
	names    []string // children, first-seen order
	kids     map[string]*xmlShape
	repeated map[string]bool
}

// merge merges n's children into s.
func (s *xmlShape) merge(n *xmlNode) {
	count := map[string]int{}
	for _, k := range n.kids {
		seg := xmlSegment(k)
		count[seg]++
		if count[seg] > 1 {
			if s.repeated == nil {
				s.repeated = map[string]bool{}
			}
			s.repeated[seg] = true
		}
		s.child(seg).merge(xmlContent(k))
	}
}

func (s *xmlShape) child(seg string) *xmlShape {
	if s.kids == nil {
		s.kids = map[string]*xmlShape{}
	}
	c, ok := s.kids[seg]
	if !ok {
		c = &xmlShape{}
		s.kids[seg] = c
		s.names = append(s.names, seg)
	}
	return c
}

// xmlSegment names an element in a path: a SmartLinkDataRow item by its
// key (ETXT), a legacy Web SDK <Cell name="Guid"> by its name, any other
// by its local name.
func xmlSegment(n *xmlNode) string {
	if n.name == "item" {
		if k := n.child("key"); k != nil {
			if s := k.child("string"); s != nil && len(s.kids) == 0 {
				return s.text
			}
		}
	}
	if n.name == "Cell" {
		if name, ok := n.attr("name"); ok {
			return name
		}
	}
	return n.name
}

// xmlContent is what stands for an element's content: for an item, its
// value's SmartLinkDataValue (so that the item's own <key><string> is not
// structure of its own).
func xmlContent(n *xmlNode) *xmlNode {
	if n.name == "item" {
		if v := n.child("value"); v != nil {
			if sv := v.child("SmartLinkDataValue"); sv != nil {
				return sv
			}
			return v
		}
	}
	return n
}

// isList reports whether s's children are a list: one name only.
func (s *xmlShape) isList() bool { return len(s.names) == 1 }

// diffXML compares two merged shapes at path p.
func diffXML(p string, a, b *xmlShape, out *[]Difference) {
	if len(a.names) == 0 && len(b.names) == 0 {
		return
	}
	// An empty list matches any list.
	if (len(a.names) == 0 && b.isList()) || (len(b.names) == 0 && a.isList()) {
		return
	}
	list := a.isList() && b.isList() && a.names[0] == b.names[0]
	for _, seg := range a.names {
		bk, ok := b.kids[seg]
		if !ok {
			*out = append(*out, Difference{Where: "body: " + p + "/" + seg, Kind: "missing", Want: "present", Got: "absent"})
			continue
		}
		ak := a.kids[seg]
		if list || a.repeated[seg] || b.repeated[seg] {
			diffRows(p+"/"+seg, ak, bk, out)
			continue
		}
		diffXML(p+"/"+seg, ak, bk, out)
	}
	for _, seg := range b.names {
		if _, ok := a.kids[seg]; !ok {
			*out = append(*out, Difference{Where: "body: " + p + "/" + seg, Kind: "extra", Want: "absent", Got: "present"})
		}
	}
}

// diffRows compares rows: a child that some rows have on one side and no
// row has on the other is a "rows" difference; then what they have in
// common is compared.
func diffRows(p string, a, b *xmlShape, out *[]Difference) {
	if len(a.names) == 0 || len(b.names) == 0 {
		return // rows of text, or no row with content on one side
	}
	for _, seg := range a.names {
		bk, ok := b.kids[seg]
		if !ok {
			*out = append(*out, Difference{Where: "body: " + p + "/" + seg, Kind: "rows", Want: "present", Got: "absent"})
			continue
		}
		ak := a.kids[seg]
		if a.repeated[seg] || b.repeated[seg] || (ak.isList() && bk.isList() && ak.names[0] == bk.names[0]) {
			diffRows(p+"/"+seg, ak, bk, out)
		} else {
			diffXML(p+"/"+seg, ak, bk, out)
		}
	}
	for _, seg := range b.names {
		if _, ok := a.kids[seg]; !ok {
			*out = append(*out, Difference{Where: "body: " + p + "/" + seg, Kind: "rows", Want: "absent", Got: "present"})
		}
	}
}
