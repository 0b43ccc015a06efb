package genetec

import "github.com/gorilla/mux"

// Router returns the router, whose routes are named by the Route…
// constants. Paths are registered lower-case: the handler lower-cases the
// request path before routing. The metrics take route templates from it.
func (s *Server) Router() *mux.Router { return s.router }

// Streams returns how many event streams are open (the metric
// pacsim_stream_subscribers{stream="genetec"}).
func (s *Server) Streams() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.streams)
}
