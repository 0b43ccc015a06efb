package genetec

import (
	"errors"
	"fmt"

	"github.com/pacsim/pacsim/driver/genetec/store"
)

// Ready reports whether the connector can do its work (GET /readyz, SPEC
// §11): nil once its store is open and Security Center has answered once
// (a test, a refresh or a sign-in of any provider), else why not.
func (c *Connector) Ready() error {
	if err := c.st.View(func(*store.Tx) error { return nil }); err != nil {
		return fmt.Errorf("the store %s is not open: %w", c.st.Path(), err)
	}
	if !c.reached.Load() {
		return errors.New("Security Center not reached yet: no provider has answered (test or refresh one)")
	}
	return nil
}
