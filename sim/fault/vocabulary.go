package fault

// Vocabulary is the fault vocabulary as data, the answer of GET
// /v1/fault-kinds: what a form (the site panel's) or a script needs to
// build a fault without hard-coding the kinds.
type Vocabulary struct {
	// Targets are the targets, head-ends first.
	Targets []Target `json:"targets"`
	// Kinds are the kinds, transport kinds first, in the order of the
	// specification.
	Kinds []KindInfo `json:"kinds"`
	// Match are the keys of a transport fault's match.
	Match []Field `json:"match"`
	// When are the keys of a fault's schedule; a hardware fault takes only
	// those marked hardware.
	When []Field `json:"when"`
}

// KindInfo describes one fault kind.
type KindInfo struct {
	// Kind is the kind's name.
	Kind Kind `json:"kind"`
	// Hardware is true for a kind acting on the world (target site).
	Hardware bool `json:"hardware"`
	// Targets are the targets the kind may aim at.
	Targets []Target `json:"targets"`
	// Component is the kind of component params.id names (hardware kinds).
	Component string `json:"component,omitempty"`
	// Params are the parameters the kind takes.
	Params []Field `json:"params"`
	// Primary is the parameter a flag's KIND=VALUE sets ("" if none).
	Primary string `json:"primary,omitempty"`
}

// Field is one key of a fault: its JSON name and type ("duration" — a Go
// duration string —, "integer", "number" or "string").
type Field struct {
	Name string `json:"name"`
	Type string `json:"type"`
	// Hardware is true for a when key hardware faults take too.
	Hardware bool `json:"hardware,omitempty"`
}

// Describe returns the fault vocabulary.
func Describe() Vocabulary {
	v := Vocabulary{
		Targets: []Target{TargetEntraPass, TargetGenetec, TargetSite},
		Match:   []Field{{Name: "method", Type: "string"}, {Name: "path", Type: "string"}},
		When: []Field{
			{Name: "probability", Type: "number"}, {Name: "seed", Type: "integer"},
			{Name: "every", Type: "integer"}, {Name: "first", Type: "integer"}, {Name: "after", Type: "integer"},
			{Name: "start_after", Type: "duration", Hardware: true}, {Name: "for", Type: "duration", Hardware: true},
		},
	}
	for _, k := range allKinds {
		s := kinds[k]
		ki := KindInfo{Kind: k, Hardware: s.hardware, Primary: s.primary, Params: []Field{}}
		if s.hardware {
			ki.Targets = []Target{TargetSite}
			ki.Component = s.component.String()
		} else {
			ki.Targets = []Target{TargetEntraPass, TargetGenetec}
		}
		for _, name := range s.params {
			d := paramByName(name)
			typ := "string"
			switch d.typ {
			case typeDuration:
				typ = "duration"
			case typeInt:
				typ = "integer"
			}
			ki.Params = append(ki.Params, Field{Name: name, Type: typ})
		}
		v.Kinds = append(v.Kinds, ki)
	}
	return v
}
