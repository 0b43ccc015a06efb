package asset

import (
	"context"
	"fmt"
)

// Hardware carries out the hardware commands (Lock, Unlock, Pass, Disable
// Reader, Enable Reader, Activate Output, Deactivate Output, Timed
// Activation) on the real system. The integration implements it; the
// registry calls it only with a command the asset's type supports and whose
// parameter is in range, outside the registry's lock.
//
// The asset's state is not changed by the registry when Do succeeds: the
// integration reads the new state from the wire, as it would any other.
type Hardware interface {
	Do(ctx context.Context, ref Ref, cmd Command) error
}

// HardwareFunc adapts a function to Hardware.
type HardwareFunc func(ctx context.Context, ref Ref, cmd Command) error

// Do calls f.
func (f HardwareFunc) Do(ctx context.Context, ref Ref, cmd Command) error { return f(ctx, ref, cmd) }

// Execute gives one asset a command, as the northbound
// POST /assets/{type}/{id}/commands does. It refuses, before anything is
// sent, an unknown asset, a command its type does not support (the error
// lists those it does) and a parameter out of range (the error names it).
// Mask, Acknowledge and Reset change the asset here; Cancel deselects every
// selected asset; every other command goes to the Hardware.
func (r *Registry) Execute(ctx context.Context, ref Ref, cmd Command) error {
	r.mu.RLock()
	_, ok := r.assets[ref]
	r.mu.RUnlock()
	if !ok {
		return fmt.Errorf("%w %s", ErrUnknownAsset, ref)
	}
	if err := cmd.Validate(ref.Type); err != nil {
		return fmt.Errorf("%s: %w", ref, err)
	}
	return r.execute(ctx, ref, cmd)
}

// execute carries out a validated command.
func (r *Registry) execute(ctx context.Context, ref Ref, cmd Command) error {
	switch cmd.Name {
	case Mask:
		return r.Update(ref, func(a *Asset) error { a.Mask(); return nil })
	case Acknowledge:
		return r.Update(ref, (*Asset).Acknowledge)
	case Reset:
		return r.Update(ref, func(a *Asset) error { a.Reset(); return nil })
	case Cancel:
		r.Cancel()
		return nil
	}
	if r.hw == nil {
		return fmt.Errorf("%s: %s: %w", ref, cmd, ErrNoHardware)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %s: %w", ref, cmd, err)
	}
	if err := r.hw.Do(ctx, ref, cmd); err != nil {
		return fmt.Errorf("%s: %s: %w", ref, cmd, err)
	}
	return nil
}
