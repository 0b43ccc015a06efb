package asset

import (
	"errors"
	"fmt"
	"slices"
	"sync"
)

// Registry holds every asset of a driver, keyed by type and id, with the
// status table of each type, the operator's selection and the bus the
// workflow events go out on. It is safe for concurrent use: the integration
// updates assets from its polling goroutine while the northbound API reads
// them and gives commands.
//
// It always holds the System asset, system/1.
type Registry struct {
	mu       sync.RWMutex
	assets   map[Ref]*Asset
	order    []Ref // every key of assets, sorted (type in document order, then id)
	tables   [len(types)]*Table
	selected map[Ref]struct{}
	bus      *Bus
	hw       Hardware
}

// NewRegistry makes a registry that holds the System asset and sends
// hardware commands to hw (nil: hardware commands fail with ErrNoHardware).
// Events go out on bus (a new one when nil).
func NewRegistry(hw Hardware, bus *Bus) *Registry {
	if bus == nil {
		bus = NewBus()
	}
	r := &Registry{
		assets:   map[Ref]*Asset{},
		selected: map[Ref]struct{}{},
		bus:      bus,
		hw:       hw,
	}
	for i := range r.tables {
		r.tables[i] = defaultTable
	}
	if err := r.Add(SystemRef, "System", nil); err != nil {
		panic(err) // cannot happen: the registry is empty
	}
	return r
}

// Bus returns the bus the registry publishes on.
func (r *Registry) Bus() *Bus { return r.bus }

// Add adds an asset (see NewAsset for the checks). It starts showing No
// Communication until the integration sets its true statuses.
func (r *Registry) Add(ref Ref, name string, props map[string]string) error {
	a, err := NewAsset(ref, name, props)
	if err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.assets[ref]; ok {
		return fmt.Errorf("%w: %s", ErrDuplicateAsset, ref)
	}
	a.table = r.tables[ref.Type.order()]
	r.assets[ref] = a
	i, _ := slices.BinarySearchFunc(r.order, ref, Ref.compare)
	r.order = slices.Insert(r.order, i, ref)
	return nil
}

// Remove removes an asset (gone from the server) and deselects it. The
// System asset cannot be removed.
func (r *Registry) Remove(ref Ref) error {
	if ref == SystemRef {
		return fmt.Errorf("%w: %s cannot be removed", ErrRefused, ref)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.assets[ref]; !ok {
		return fmt.Errorf("%w %s", ErrUnknownAsset, ref)
	}
	delete(r.assets, ref)
	delete(r.selected, ref)
	if i, ok := slices.BinarySearchFunc(r.order, ref, Ref.compare); ok {
		r.order = slices.Delete(r.order, i, i+1)
	}
	return nil
}

// Get returns a copy of one asset as it shows.
func (r *Registry) Get(ref Ref) (Snapshot, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	a, ok := r.assets[ref]
	if !ok {
		return Snapshot{}, fmt.Errorf("%w %s", ErrUnknownAsset, ref)
	}
	return a.Snapshot(), nil
}

// List returns a copy of every asset, in a stable order: by type in the
// document's order (system, door, reader, output, input), then by id.
func (r *Registry) List() []Snapshot {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Snapshot, len(r.order))
	for i, ref := range r.order {
		out[i] = r.assets[ref].Snapshot()
	}
	return out
}

// Len returns the number of assets, System included.
func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.order)
}

// Update changes one asset under the registry's lock: fn sets its true
// statuses, name or properties. If fn returns an error nothing of what it
// did is kept. If what the asset shows changed (its status or its visible
// statuses), a StatusChanged event is published.
//
// fn must not call the registry (it holds the lock) nor keep the *Asset.
func (r *Registry) Update(ref Ref, fn func(*Asset) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.assets[ref]
	if !ok {
		return fmt.Errorf("%w %s", ErrUnknownAsset, ref)
	}
	return r.update(a, fn)
}

// UpdateAll applies fn to every asset in List's order, each as Update does
// (for instance No Communication everywhere when the server is lost). An
// asset whose fn fails is left as it was; the others are changed, and the
// errors are joined.
func (r *Registry) UpdateAll(fn func(*Asset) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var errs []error
	for _, ref := range r.order {
		if err := r.update(r.assets[ref], fn); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// update runs fn on a, undoes it on error, and publishes a change. The
// caller holds r.mu; publishing under it keeps the events of one asset in
// the order of its changes (Bus.Publish never blocks).
func (r *Registry) update(a *Asset, fn func(*Asset) error) error {
	saved := *a // no allocation: the properties are copied on write
	before := a.visible()
	if err := fn(a); err != nil {
		*a = saved
		return err
	}
	if after := a.visible(); after != before {
		r.bus.Publish(&StatusChanged{
			Ref:      a.ref,
			From:     a.table.top(before),
			To:       a.table.top(after),
			Statuses: a.table.list(after),
		})
	}
	return nil
}

// SetTable gives every asset of a type a status table, after checking that
// it lists every status the type supports (naming those it lacks). Assets
// whose shown status or order of statuses changes publish StatusChanged.
func (r *Registry) SetTable(t Type, table *Table) error {
	if table == nil {
		return fmt.Errorf("%w for %s: no table", ErrInvalidTable, t)
	}
	if err := table.Check(t); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tables[t.order()] = table
	for _, ref := range r.order {
		a := r.assets[ref]
		if ref.Type != t || a.table == table {
			continue
		}
		old := a.table
		a.table = table
		v := a.visible()
		now := table.list(v)
		if slices.Equal(old.list(v), now) {
			continue
		}
		r.bus.Publish(&StatusChanged{Ref: ref, From: old.top(v), To: table.top(v), Statuses: now})
	}
	return nil
}

// Table returns the status table of a type (the default table unless
// SetTable gave another).
func (r *Registry) Table(t Type) *Table {
	i := t.order()
	if i < 0 {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.tables[i]
}

// PublishAccess records a Last Access Event as its asset's last access and
// publishes it. Its Ref must be a door or a reader of the registry: the
// document gives the event to those two only. Once published, e is shared
// with the subscribers and kept as the last access (Snapshot hands out
// copies): it must not be changed. Keeping it rather than a copy saves an
// allocation per event on the event path.
func (r *Registry) PublishAccess(e *LastAccessEvent) error {
	if e.Ref.Type != Door && e.Ref.Type != Reader {
		return fmt.Errorf("%w: %s has no %s (only a Door and a Reader do)", ErrUnsupported, article(e.Ref.Type.Title()), EventLastAccess)
	}
	if e.ParentType != "" && !e.ParentType.Valid() {
		return fmt.Errorf("%s %s: Parent Type: %w %q", EventLastAccess, e.Ref, ErrUnknownType, e.ParentType)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.assets[e.Ref]
	if !ok {
		return fmt.Errorf("%s: %w %s", EventLastAccess, ErrUnknownAsset, e.Ref)
	}
	r.bus.Publish(e)
	a.last = e
	return nil
}

// PublishGateway publishes a Gateway Connection Changed, a System event:
// its Ref is set to system/1.
func (r *Registry) PublishGateway(e *GatewayConnectionChanged) {
	e.Ref = SystemRef
	r.mu.Lock() // for the order of events with the registry's own
	defer r.mu.Unlock()
	r.bus.Publish(e)
}
