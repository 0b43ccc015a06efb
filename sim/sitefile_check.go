package sim

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The YAML decoder's own messages name Go types and no field ("cannot
// unmarshal !!str `abc` into sim.SiteSpec", "field colour not found in
// type sim.DoorSpec"), which tell a site file's author nothing. So the
// parsed tree is first walked against the type it decodes into, and the
// first value of the wrong shape is reported by its field path and line,
// in the validator's words: `gateways[0].sites[0].controllers[0].doors[1].
// unlock_time: want a duration such as "5s" or "2m", got "soon" (line 17)`.

var unmarshalerType = reflect.TypeFor[yaml.Unmarshaler]()

// shapeChecker walks a node tree. A site file has a million nodes or more,
// so the walk allocates only on error: paths are rendered then, and each
// struct's fields are looked up once.
type shapeChecker struct {
	fields map[reflect.Type]structFields
	// aliased bounds the walk when aliases point many times at one node
	// (a "billion laughs" file): an alias's target is checked once per
	// type.
	aliased map[shapeKey]bool
}

type shapeKey struct {
	n *yaml.Node
	t reflect.Type
}

// structFields are a struct's fields by YAML key, and the keys in order.
type structFields struct {
	byKey map[string]reflect.StructField
	keys  []string
}

// fieldPath is where a node stands: a chain rendered only for a message.
type fieldPath struct {
	parent *fieldPath
	key    string // a mapping key, or "" for a list index
	index  int
}

func (p *fieldPath) String() string {
	if p == nil {
		return "the site file"
	}
	var parts []*fieldPath
	for q := p; q != nil; q = q.parent {
		parts = append(parts, q)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		q := parts[i]
		switch {
		case q.key == "":
			b.WriteString("[" + strconv.Itoa(q.index) + "]")
		case b.Len() > 0:
			b.WriteString("." + q.key)
		default:
			b.WriteString(q.key)
		}
	}
	return b.String()
}

// checkShape reports, as an ErrSiteFile error, the first node of doc that
// cannot decode into a value of type t.
func checkShape(doc *yaml.Node, t reflect.Type) error {
	c := &shapeChecker{fields: map[reflect.Type]structFields{}, aliased: map[shapeKey]bool{}}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		doc = doc.Content[0]
	}
	return c.check(doc, t, nil)
}

func (c *shapeChecker) check(n *yaml.Node, t reflect.Type, path *fieldPath) error {
	if n.Kind == yaml.AliasNode {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		k := shapeKey{n, t}
		if c.aliased[k] {
			return nil
		}
		c.aliased[k] = true
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil // the zero value
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		if err := reflect.New(t).Interface().(yaml.Unmarshaler).UnmarshalYAML(n); err != nil {
			return shapeErr(path, n, "%v", err)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return c.check(n, t.Elem(), path)
	case reflect.Interface:
		return nil
	case reflect.Struct:
		return c.mapping(n, t, path)
	case reflect.Slice, reflect.Array:
		if n.Kind != yaml.SequenceNode {
			return shapeErr(path, n, "want a list, got %s", got(n))
		}
		for i, e := range n.Content {
			if err := c.check(e, t.Elem(), &fieldPath{parent: path, index: i}); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		if n.Kind != yaml.MappingNode {
			return shapeErr(path, n, "want a mapping of keys to values, got %s", got(n))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			kp := &fieldPath{parent: path, key: n.Content[i].Value}
			if err := c.check(n.Content[i], t.Key(), kp); err != nil {
				return err
			}
			if err := c.check(n.Content[i+1], t.Elem(), kp); err != nil {
				return err
			}
		}
		return nil
	}
	if n.Kind != yaml.ScalarNode {
		return shapeErr(path, n, "want %s, got %s", want(t), got(n))
	}
	// yaml.v3 reads yes, on, no, off as booleans (YAML 1.1); quoted, and
	// in JSON, they are strings, and a string is not a boolean.
	quoted := n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0
	if t.Kind() == reflect.Bool && quoted {
		return shapeErr(path, n, "want true or false, got %s", got(n))
	}
	if t.Kind() == reflect.String && n.Tag != "!!binary" {
		return nil // every scalar reads as a string
	}
	if err := n.Decode(reflect.New(t).Interface()); err != nil {
		return shapeErr(path, n, "want %s, got %s", want(t), got(n))
	}
	return nil
}

// mapping checks a struct's mapping: every key one of its fields, given
// once, with a value of the field's shape.
func (c *shapeChecker) mapping(n *yaml.Node, t reflect.Type, path *fieldPath) error {
	if n.Kind != yaml.MappingNode {
		return shapeErr(path, n, "want a mapping of keys to values, got %s", got(n))
	}
	fs := c.structFields(t)
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if key.ShortTag() == "!!merge" { // <<: *defaults
			if err := c.merge(val, t, path); err != nil {
				return err
			}
			continue
		}
		if key.Kind != yaml.ScalarNode {
			return shapeErr(path, key, "want a field name as key, got %s", got(key))
		}
		kp := &fieldPath{parent: path, key: key.Value}
		f, ok := fs.byKey[key.Value]
		if !ok {
			return fmt.Errorf("%w: %s: unknown field (line %d); the fields are %s", ErrSiteFile, kp, key.Line, strings.Join(fs.keys, ", "))
		}
		// A struct has a handful of fields: a quadratic look back for a
		// key given twice costs less than a map per mapping.
		for j := 0; j < i; j += 2 {
			if prev := n.Content[j]; prev.Kind == yaml.ScalarNode && prev.Value == key.Value {
				return fmt.Errorf("%w: %s: given twice (lines %d and %d)", ErrSiteFile, kp, prev.Line, key.Line)
			}
		}
		if err := c.check(val, f.Type, kp); err != nil {
			return err
		}
	}
	return nil
}

// merge checks the value of a merge key: a mapping, or a list of them.
func (c *shapeChecker) merge(n *yaml.Node, t reflect.Type, path *fieldPath) error {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	if n.Kind == yaml.SequenceNode {
		for _, e := range n.Content {
			if err := c.check(e, t, path); err != nil {
				return err
			}
		}
		return nil
	}
	return c.check(n, t, path)
}

// structFields maps a struct's YAML keys to its fields, and lists the keys
// in declaration order, as the yaml package names them.
func (c *shapeChecker) structFields(t reflect.Type) structFields {
	if fs, ok := c.fields[t]; ok {
		return fs
	}
	fs := structFields{byKey: map[string]reflect.StructField{}}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = strings.ToLower(f.Name)
		}
		fs.byKey[name] = f
		fs.keys = append(fs.keys, name)
	}
	c.fields[t] = fs
	return fs
}

// want describes a scalar type in the file's terms.
func want(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	}
	return "a " + t.Kind().String()
}

// got describes what the file holds.
func got(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	}
	return fmt.Sprintf("%q", n.Value)
}

func shapeErr(path *fieldPath, n *yaml.Node, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s (line %d)", ErrSiteFile, path, fmt.Sprintf(format, args...), n.Line)
}
