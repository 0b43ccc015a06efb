package wire

// Object is an ordered set of named values: JSON keys keep insertion order,
// as the real server's do, and clients that compare answers textually rely
// on it.
//
// Values allowed anywhere in a tree: nil, string, bool, int, int64, uint64,
// float64, time.Time, GUID, *Object (a nil *Object is a null), []any,
// []string and Rows. Rendering any other type panics: it is a handler bug,
// and a loud one is found by the first test that touches it.
//
// time.Time renders as UTC ISO 8601 with the fraction trimmed to what is
// non-zero and a 'Z' ("2023-07-04T09:25:43.05Z"); the zero time renders as
// "0001-01-01T00:00:00", which is what the server shows for unset dates.
//
// The zero Object is empty and ready to use. An Object is not safe for
// concurrent mutation; once built it may be rendered concurrently.
type Object struct {
	// Two parallel slices rather than a map plus a key list: Web SDK objects
	// hold a handful of keys, for which a linear scan beats hashing and
	// building one costs two allocations instead of a map's many.
	keys []string
	vals []any
}

// NewObject returns an empty Object with room for capacity keys, so that a
// handler that knows its field count builds it without regrowing.
func NewObject(capacity int) *Object {
	capacity = max(capacity, 0)
	return &Object{keys: make([]string, 0, capacity), vals: make([]any, 0, capacity)}
}

// Set gives key the value v. An existing key keeps its position and only
// changes value, so that overriding a default does not reorder the answer;
// a new key is appended. Set returns o for chaining.
func (o *Object) Set(key string, v any) *Object {
	if i := o.index(key); i >= 0 {
		o.vals[i] = v
		return o
	}
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	return o
}

// Get returns the value of key and whether key is present.
func (o *Object) Get(key string) (any, bool) {
	if i := o.index(key); i >= 0 {
		return o.vals[i], true
	}
	return nil, false
}

// Keys returns the keys in insertion order. The slice is a copy: editing it
// must not be able to desynchronise keys from values.
func (o *Object) Keys() []string {
	if o == nil || len(o.keys) == 0 {
		return nil
	}
	return append([]string(nil), o.keys...)
}

// Len returns the number of keys. A nil *Object has none.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

func (o *Object) index(key string) int {
	if o == nil {
		return -1
	}
	for i, k := range o.keys {
		if k == key {
			return i
		}
	}
	return -1
}

// GUID is an entity identifier. It renders as a string; the distinct type
// documents intent in handler code and lets a tree say "this is an id".
type GUID string

// Rows is a report's result: a list of objects, one per row, whose keys are
// the column names. text/json, text/xml and legacy JSON render it as an array
// of objects; legacy XML, whose report shape clients parse by exact text, as
// <QueryResult><Row><Cell name="column">value</Cell>…</Row>…</QueryResult>.
// A nil or empty Rows is a report with no rows ([] or an empty QueryResult),
// never a null.
type Rows []*Object
