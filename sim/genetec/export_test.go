package genetec

// SetMaxEntities lowers the entity bound, so a test reaches it quickly.
func (s *Server) SetMaxEntities(n int) {
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	s.db.maxEntities = n
}

// Entities counts the entities held.
func (s *Server) Entities() int {
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	return len(s.db.byGUID)
}
