package main

import (
	"fmt"
	"time"
)

// progressLine returns the figures of `pacsim load`'s progress lines:
// events sent and delivered so far, and the delivery rate since the last
// line. The progress calls it under its lock, one line at a time.
func (m *matcher) progressLine() func() string {
	var lastAt time.Time
	lastDelivered := 0
	return func() string {
		m.mu.Lock()
		sent, delivered := m.sent, m.delivered
		m.mu.Unlock()
		now := time.Now()
		line := fmt.Sprintf("sent %s, delivered %s", thousands(sent), thousands(delivered))
		if !lastAt.IsZero() {
			if d := now.Sub(lastAt).Seconds(); d > 0 {
				line += fmt.Sprintf(", %s events/s", thousands(int(float64(delivered-lastDelivered)/d)))
			}
		}
		lastAt, lastDelivered = now, delivered
		return line
	}
}
