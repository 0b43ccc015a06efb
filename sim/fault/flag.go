package fault

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// whenKeys are the keys of When, in the order they are written.
var whenKeys = []string{"probability", "seed", "every", "first", "after", "start_after", "for"}

// ParseFlag parses the compact form of a fault that `pacsim serve --fault`
// takes:
//
//	TARGET:KIND[=VALUE][,KEY=VALUE]…
//
// TARGET is entrapass, genetec or site; KIND a fault kind. KIND=VALUE sets
// the kind's main parameter (latency, status, app-fault's code,
// malformed's mode, hang's timeout, slow-body's rate, stream-cut's bytes,
// a hardware kind's id). Each KEY is a parameter name (latency, jitter,
// status, body, code, message, mode, at, timeout, rate, interval, bytes,
// events, id), a match key (method, path) or a when key (probability,
// seed, every, first, after, start_after, for); a key may be qualified
// (params.status, match.path, when.every). A VALUE holding a comma or a
// quote is written as a Go double-quoted string: message="a, b". Durations
// are Go duration strings. Examples:
//
//	entrapass:status=503,path=/SmartService/Events*,every=3
//	entrapass:latency=300ms,jitter=50ms,probability=0.1,seed=7
//	entrapass:hang,method=PUT,start_after=30s,for=60s
//	site:controller-fail,id=10,start_after=10s,for=30s
//
// The fault is checked as the JSON form is (Validate, and the same refusal
// of explicit zeros such as every=0); every error wraps ErrInvalid and
// names the item at fault.
func ParseFlag(s string) (Fault, error) {
	var f Fault
	if strings.TrimSpace(s) == "" {
		return f, invalidf("empty fault: want TARGET:KIND[,KEY=VALUE…], e.g. entrapass:status=503")
	}
	if !utf8.ValidString(s) {
		// The JSON form (the control API's answers) cannot carry the
		// bytes: the fault listed would not be the fault given.
		return f, invalidf("%q is not valid UTF-8", s)
	}
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return f, invalidf("%q has no target: want TARGET:KIND[,KEY=VALUE…], e.g. entrapass:status=503", s)
	}
	f.Target = Target(s[:colon])
	items, err := splitItems(s[colon+1:])
	if err != nil {
		return f, err
	}
	if len(items) == 0 || items[0].key == "" {
		return f, invalidf("no kind after %q: want one of %s", s[:colon+1], kindNames())
	}
	f.Kind = Kind(items[0].key)
	spec, err := f.spec()
	if err != nil {
		return f, err
	}
	seen := map[string]bool{}
	if items[0].hasValue {
		if spec.primary == "" {
			return f, invalidf("kind %q takes no value: write %s, not %s=%s", string(f.Kind), f.Kind, f.Kind, items[0].value)
		}
		if err := setParam(&f, spec, spec.primary, items[0].value); err != nil {
			return f, err
		}
		seen["params."+spec.primary] = true
	}
	for _, it := range items[1:] {
		if it.key == "" {
			return f, invalidf("an empty item in %q: items are separated by single commas", s)
		}
		if !it.hasValue {
			return f, invalidf("item %q has no value: write %s=VALUE", it.key, it.key)
		}
		full, err := qualify(it.key, spec)
		if err != nil {
			return f, err
		}
		if seen[full] {
			return f, invalidf("%s is given twice", full)
		}
		seen[full] = true
		section, name, _ := strings.Cut(full, ".")
		switch section {
		case "params":
			err = setParam(&f, spec, name, it.value)
		case "match":
			if name == "method" {
				f.Match.Method = it.value
			} else {
				f.Match.Path = it.value
			}
		default:
			err = setWhen(&f.When, name, it.value)
		}
		if err != nil {
			return f, err
		}
	}
	return f, f.Validate()
}

// qualify turns a key into section.name, checking that it exists.
func qualify(key string, spec *kindSpec) (string, error) {
	section, name, dotted := strings.Cut(key, ".")
	if !dotted {
		name = key
		switch {
		case key == "method" || key == "path":
			return "match." + key, nil
		case isWhenKey(key):
			return "when." + key, nil
		case paramByName(key) != nil:
			return "params." + key, nil
		}
		return "", invalidf("unknown key %q: want a parameter (kind %q: %s), method, path, or a when key (%s)",
			key, string(spec.kind), spec.takesList(), strings.Join(whenKeys, ", "))
	}
	switch section {
	case "params", "param":
		if paramByName(name) == nil {
			return "", invalidf("unknown parameter %q (kind %q: %s)", name, string(spec.kind), spec.takesList())
		}
		return "params." + name, nil
	case "match":
		if name != "method" && name != "path" {
			return "", invalidf("unknown key %q in match (it has method and path)", name)
		}
		return "match." + name, nil
	case "when":
		if !isWhenKey(name) {
			return "", invalidf("unknown key %q in when (it has %s)", name, strings.Join(whenKeys, ", "))
		}
		return "when." + name, nil
	}
	return "", invalidf("unknown section %q in key %q: want params, match or when", section, key)
}

func isWhenKey(k string) bool {
	for _, w := range whenKeys {
		if w == k {
			return true
		}
	}
	return false
}

// setParam sets parameter name from its flag text.
func setParam(f *Fault, spec *kindSpec, name, v string) error {
	if !spec.takes(name) {
		return invalidf("kind %q takes no parameter %q (%s)", string(spec.kind), name, spec.takesList())
	}
	d := paramByName(name)
	where := "params." + name
	switch d.typ {
	case typeDuration:
		x, err := parseDuration(v, where)
		if err != nil {
			return err
		}
		*d.dur(&f.Params) = x
	case typeInt:
		x, err := parseInt(v, where)
		if err != nil {
			return err
		}
		*d.num(&f.Params) = x
	default:
		*d.str(&f.Params) = v
	}
	return nil
}

// setWhen sets when key name from its flag text, refusing the explicit
// zeros the JSON form refuses.
func setWhen(w *When, name, v string) error {
	where := "when." + name
	switch name {
	case "probability":
		x, err := parseFloat(v, where)
		if err != nil {
			return err
		}
		if x == 0 {
			return invalidf("when.probability must be above 0 (omit it to fire on every request)")
		}
		w.Probability = x
	case "seed":
		x, err := parseUint(v, where)
		if err != nil {
			return err
		}
		if x == 0 {
			return invalidf("when.seed must be from 1")
		}
		w.Seed = x
	case "every", "first", "after":
		x, err := parseInt(v, where)
		if err != nil {
			return err
		}
		if x == 0 && name != "after" {
			return invalidf("%s must be at least 1 (omit it for no limit)", where)
		}
		switch name {
		case "every":
			w.Every = x
		case "first":
			w.First = x
		default:
			w.After = x
		}
	default: // start_after, for
		x, err := parseDuration(v, where)
		if err != nil {
			return err
		}
		if name == "for" {
			if x == 0 {
				return invalidf("when.for must be above 0 (omit it to last until removed)")
			}
			w.For = x
		} else {
			w.StartAfter = x
		}
	}
	return nil
}

type item struct {
	key, value string
	hasValue   bool
}

// splitItems splits KEY[=VALUE] items on commas; a value starting with a
// double quote is a Go string literal and may hold commas.
func splitItems(s string) ([]item, error) {
	var out []item
	for i := 0; i <= len(s); {
		var it item
		j := i
		for j < len(s) && s[j] != '=' && s[j] != ',' {
			j++
		}
		it.key = strings.TrimSpace(s[i:j])
		i = j
		if i < len(s) && s[i] == '=' {
			it.hasValue = true
			i++
			if i < len(s) && s[i] == '"' {
				end, err := quotedEnd(s, i)
				if err != nil {
					return nil, invalidf("item %q: %v", it.key, err)
				}
				v, err := strconv.Unquote(s[i:end])
				if err != nil {
					return nil, invalidf("item %q: %s is not a valid Go string", it.key, s[i:end])
				}
				it.value = v
				i = end
				if i < len(s) && s[i] != ',' {
					return nil, invalidf("item %q: unexpected %q after the closing quote (want a comma)", it.key, s[i:])
				}
			} else {
				j = i
				for j < len(s) && s[j] != ',' {
					j++
				}
				it.value = s[i:j]
				i = j
			}
		}
		out = append(out, it)
		if i >= len(s) {
			break
		}
		i++ // the comma
		if i == len(s) {
			out = append(out, item{}) // a trailing comma: an empty item
			break
		}
	}
	return out, nil
}

// quotedEnd returns the index just past the closing quote of the string
// literal starting at s[i].
func quotedEnd(s string, i int) (int, error) {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, fmt.Errorf("unterminated quoted value %s", s[i:])
}

// String returns the fault in the compact flag form ParseFlag reads, with
// items in a fixed order: ParseFlag(f.String()) gives f back.
func (f Fault) String() string {
	var b strings.Builder
	b.WriteString(string(f.Target))
	b.WriteByte(':')
	b.WriteString(string(f.Kind))
	primary := ""
	if s, ok := kinds[f.Kind]; ok {
		primary = s.primary
	}
	if d := paramByName(primary); d != nil && !d.isZero(&f.Params) {
		b.WriteByte('=')
		b.WriteString(flagQuote(d.text(&f.Params)))
	}
	item := func(k, v string) {
		b.WriteByte(',')
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(flagQuote(v))
	}
	for i := range paramDescs {
		d := &paramDescs[i]
		if d.name != primary && !d.isZero(&f.Params) {
			item(d.name, d.text(&f.Params))
		}
	}
	if f.Match.Method != "" {
		item("method", f.Match.Method)
	}
	if f.Match.Path != "" {
		item("path", f.Match.Path)
	}
	w := f.When
	if w.Probability != 0 {
		item("probability", strconv.FormatFloat(w.Probability, 'g', -1, 64))
	}
	if w.Seed != 0 {
		item("seed", strconv.FormatUint(w.Seed, 10))
	}
	for _, c := range []struct {
		k string
		v int
	}{{"every", w.Every}, {"first", w.First}, {"after", w.After}} {
		if c.v != 0 {
			item(c.k, strconv.Itoa(c.v))
		}
	}
	for _, c := range []struct {
		k string
		v time.Duration
	}{{"start_after", w.StartAfter}, {"for", w.For}} {
		if c.v != 0 {
			item(c.k, c.v.String())
		}
	}
	return b.String()
}

// flagQuote quotes a value that the flag form could not carry bare.
func flagQuote(v string) string {
	if v == "" || strings.ContainsAny(v, ",\"") || strings.TrimSpace(v) != v || !strconv.CanBackquote(v) {
		return strconv.Quote(v)
	}
	return v
}

// Flags collects the faults of a repeatable command-line flag: it is a
// flag.Value, so `fs.Var(&faults, "fault", "…")` gives `--fault SPEC`
// repeatable, each SPEC parsed by ParseFlag.
type Flags []Fault

// String returns the faults in flag form, separated by spaces.
func (fl *Flags) String() string {
	if fl == nil {
		return ""
	}
	parts := make([]string, len(*fl))
	for i, f := range *fl {
		parts[i] = f.String()
	}
	return strings.Join(parts, " ")
}

// Set parses one more fault.
func (fl *Flags) Set(s string) error {
	f, err := ParseFlag(s)
	if err != nil {
		return err
	}
	*fl = append(*fl, f)
	return nil
}
