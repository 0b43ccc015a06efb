package fault

// KindCount is, for one fault kind, how many faults of the plan are active
// and how many times faults of that kind fired since the plan began.
type KindCount struct {
	Kind   Kind
	Active int
	Fired  uint64
}

// Counts returns a KindCount for every kind, in the order of Kinds: the
// metrics pacsim_faults_active{kind} and pacsim_faults_fired_total{kind}.
// Fired counts removed faults too, so it never goes down.
func (p *Plan) Counts() []KindCount {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	at := make(map[Kind]int, len(allKinds))
	out := make([]KindCount, len(allKinds))
	for i, k := range allKinds {
		at[k] = i
		out[i] = KindCount{Kind: k, Fired: p.retired[k]}
	}
	for _, e := range p.entries {
		st := e.status(now)
		i := at[st.Kind]
		out[i].Fired += st.Fired
		if st.State == StateActive {
			out[i].Active++
		}
	}
	return out
}

// retire keeps the firings of a fault being removed. Called with mu held.
func (p *Plan) retire(st Status) {
	if st.Fired == 0 {
		return
	}
	if p.retired == nil {
		p.retired = map[Kind]uint64{}
	}
	p.retired[st.Kind] += st.Fired
}
