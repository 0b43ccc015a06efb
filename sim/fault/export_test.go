package fault

// SetHook lets tests wait for what a plan does ("fire", "hang", "applied",
// "healed") instead of sleeping. Set it before traffic starts.
func SetHook(p *Plan, fn func(event, id string)) { p.hook = fn }

// SnapshotSizes returns how many transport faults each head-end's snapshot
// holds (entrapass, genetec).
func SnapshotSizes(p *Plan) [2]int {
	s := p.snap.Load()
	return [2]int{len(s.rules[0]), len(s.rules[1])}
}
