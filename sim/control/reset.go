package control

// ResetResult is the answer of POST /v1/reset. Removed counts what the
// reset took away besides putting the components back at rest, by kind:
// {"ok":true,"removed":{"faults":2}} on a server with a fault plan.
type ResetResult struct {
	OK      bool           `json:"ok"`
	Removed map[string]int `json:"removed"`
}

// resetRemover is a call POST /v1/reset makes that removes things of one
// kind and says how many.
type resetRemover struct {
	what   string
	remove func() int
}

// WithResetRemover adds a call made by POST /v1/reset, before the reset
// hooks and the world's reset, that removes everything of a kind — "faults"
// with a fault plan's Reset — and returns how many it removed; the answer
// reports the count under what, 0 included, so a client sees that reset
// removes them.
func WithResetRemover(what string, remove func() int) Option {
	return func(s *Server) {
		if remove != nil {
			s.removers = append(s.removers, resetRemover{what, remove})
		}
	}
}
