package asset

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Select makes refs the selection (POST /selection), replacing the previous
// one. Every ref must be an asset of the registry; otherwise the selection
// is left as it was and the error names the unknown ones.
func (r *Registry) Select(refs ...Ref) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var unknown []error
	for _, ref := range refs {
		if _, ok := r.assets[ref]; !ok {
			unknown = append(unknown, fmt.Errorf("%w %s", ErrUnknownAsset, ref))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("selection unchanged: %w", errors.Join(unknown...))
	}
	clear(r.selected)
	for _, ref := range refs {
		r.selected[ref] = struct{}{}
	}
	return nil
}

// Selection returns the selected assets in List's order (GET /selection).
func (r *Registry) Selection() []Ref {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Ref, 0, len(r.selected))
	for ref := range r.selected {
		out = append(out, ref)
	}
	slices.SortFunc(out, Ref.compare)
	return out
}

// Cancel deselects all selected assets: the document's Cancel command.
func (r *Registry) Cancel() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.selected)
}

// Result is the outcome of a command for one asset of the selection.
type Result struct {
	// Ref is the asset.
	Ref Ref
	// Err is nil when the command was carried out.
	Err error
}

// MarshalJSON writes {"type":"door","id":12} with "error" when it failed.
func (r Result) MarshalJSON() ([]byte, error) {
	v := struct {
		Ref
		Error string `json:"error,omitempty"`
	}{Ref: r.Ref}
	if r.Err != nil {
		v.Error = r.Err.Error()
	}
	return json.Marshal(v)
}

// ApplyToSelection gives every selected asset the command
// (POST /selection/commands). The command is checked for every selected
// asset first: if any of them cannot take it (its type does not support it,
// or the parameter is out of range) nothing is sent to any, and the error
// names each refusal. Then each asset gets it in List's order; a refusal
// that depends on an asset's state (Acknowledge without an alarm) or a
// hardware failure is reported in its Result and in the joined error,
// without stopping the others. Cancel empties the selection once.
func (r *Registry) ApplyToSelection(ctx context.Context, cmd Command) ([]Result, error) {
	refs := r.Selection()
	if len(refs) == 0 && cmd.Name != Cancel {
		return nil, fmt.Errorf("%s: %w: no asset is selected", cmd.Name, ErrRefused)
	}
	var invalid []error
	for _, ref := range refs {
		if err := cmd.Validate(ref.Type); err != nil {
			invalid = append(invalid, fmt.Errorf("%s: %w", ref, err))
		}
	}
	if len(invalid) > 0 {
		return nil, fmt.Errorf("nothing sent: %w", errors.Join(invalid...))
	}
	results := make([]Result, len(refs))
	if cmd.Name == Cancel {
		r.Cancel()
		for i, ref := range refs {
			results[i] = Result{Ref: ref}
		}
		return results, nil
	}
	var failed []error
	for i, ref := range refs {
		err := r.execute(ctx, ref, cmd)
		results[i] = Result{Ref: ref, Err: err}
		if err != nil {
			failed = append(failed, err)
		}
	}
	return results, errors.Join(failed...)
}
