package control

// Streams returns how many event streams (GET /v1/events/stream) are open:
// the metric pacsim_stream_subscribers{stream="control"}.
func (s *Server) Streams() int { return s.streamCap.InUse() }
