package genetec

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/driver/genetec/websdk"
)

// The subscriptions a follower makes: every access at every door; the
// follower keeps those of its visits' credentials.
var subscriptions = []string{"event(Door,AccessGranted)", "event(Door,AccessRefused)"}

// keepAliveEvery is how often a follower keeps its session alive (the Web
// SDK's idle limit is 5 minutes).
const keepAliveEvery = time.Minute

// follower follows one provider's event stream and records its visits'
// accesses. After a cut it opens the stream again, subscribes again, and
// reads what it missed from the CredentialActivity report, so no access is
// lost or recorded twice.
type follower struct {
	c        *Connector
	provider string
	cancel   context.CancelFunc
	done     chan struct{}
	// last is the time of the last event seen: the gap after a cut starts
	// there.
	last time.Time
	// doors caches door names by GUID.
	doors map[string]string
	mu    sync.Mutex
	// connected is closed each time the stream is open and subscribed
	// (tests wait on it).
	ready chan struct{}
}

func (c *Connector) startFollower(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.follow[id] != nil || c.ctx.Err() != nil {
		return
	}
	ctx, cancel := context.WithCancel(c.ctx)
	f := &follower{c: c, provider: id, cancel: cancel, done: make(chan struct{}), doors: map[string]string{}, ready: make(chan struct{})}
	c.follow[id] = f
	c.wg.Add(1)
	go f.run(ctx)
}

func (c *Connector) stopFollower(id string) {
	c.mu.Lock()
	f := c.follow[id]
	delete(c.follow, id)
	c.mu.Unlock()
	if f != nil {
		f.stop()
	}
}

func (f *follower) stop() { f.cancel() }

// Following returns a channel closed once the provider's event stream is
// open and subscribed (again, after a cut: call it again).
func (c *Connector) Following(providerID string) <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.follow[providerID]; f != nil {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.ready
	}
	ch := make(chan struct{})
	return ch
}

func (f *follower) run(ctx context.Context) {
	defer f.c.wg.Done()
	defer close(f.done)
	delay := f.c.cfg.RetryMin
	for ctx.Err() == nil {
		err := f.once(ctx)
		if ctx.Err() != nil {
			return
		}
		f.c.log.Warn("event stream ended; reconnecting", "provider", f.provider, "error", describe(err), "in", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(delay*2, f.c.cfg.RetryMax)
		if err == nil {
			delay = f.c.cfg.RetryMin
		}
	}
}

// once opens the stream, subscribes, catches up on what the gap held, and
// reads events until the stream ends.
func (f *follower) once(ctx context.Context) error {
	cl, _, err := f.c.client(f.provider)
	if err != nil {
		return err
	}
	st, err := cl.OpenStream(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := cl.Subscribe(ctx, subscriptions...); err != nil {
		return err
	}
	if !f.last.IsZero() {
		if err := f.catchUp(ctx, cl); err != nil {
			return err
		}
	} else {
		f.last = f.c.now()
	}
	// The subscriptions live in the Web SDK session, which idles out after
	// 5 minutes without a request: keep it alive while the stream is open.
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		t := time.NewTicker(keepAliveEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-stop:
				return
			case <-t.C:
				_ = cl.KeepAlive(ctx)
			}
		}
	}()
	f.mu.Lock()
	close(f.ready)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.ready = make(chan struct{})
		f.mu.Unlock()
	}()
	for {
		ev, err := st.Next()
		if err != nil {
			return err
		}
		f.record(ctx, cl, ev.CredentialGuid, ev.DoorGuid, ev.Timestamp, ev.EventType == "AccessGranted", ev.Reason)
		if ev.Timestamp.After(f.last) {
			f.last = ev.Timestamp
		}
	}
}

// catchUp reads the accesses of the active visits' credentials since the
// last event seen, from the CredentialActivity report.
func (f *follower) catchUp(ctx context.Context, cl *websdk.Client) error {
	vs, err := f.c.Visits(false)
	if err != nil {
		return err
	}
	var creds []string
	for _, v := range vs {
		if v.Provider == f.provider && v.CredentialGUID != "" && v.State != StateEnded {
			creds = append(creds, v.CredentialGUID)
		}
	}
	if len(creds) == 0 {
		return nil
	}
	from := f.last.UTC().Add(-time.Second).Format("2006-01-02T15:04:05")
	to := f.c.now().UTC().Add(time.Hour).Format("2006-01-02T15:04:05")
	_, raw, err := cl.Report(ctx, "CredentialActivity", fmt.Sprintf("Credentials@%s,TimeRange.SetTimeRange(%s,%s),SortOrder=Ascending",
		strings.Join(creds, "@"), from, to))
	if err != nil {
		return err
	}
	var rows []struct {
		Timestamp            time.Time
		EventType            int
		CredentialGuid       string
		AccessPointGroupGuid string
		CustomEventMessage   string
	}
	if err := json.Unmarshal(raw, &rows); err != nil {
		return fmt.Errorf("CredentialActivity: %v", err)
	}
	for _, r := range rows {
		if r.EventType != 35 && r.EventType != 36 {
			continue
		}
		f.record(ctx, cl, r.CredentialGuid, r.AccessPointGroupGuid, r.Timestamp, r.EventType == 35, r.CustomEventMessage)
		if r.Timestamp.After(f.last) {
			f.last = r.Timestamp
		}
	}
	return nil
}

// record adds an access to the visit holding the credential at that time,
// unless it is already recorded.
func (f *follower) record(ctx context.Context, cl *websdk.Client, cred, door string, at time.Time, granted bool, reason string) {
	cred = strings.ToLower(cred)
	if cred == "" || cred == emptyGUID {
		return
	}
	vs, err := f.c.Visits(false)
	if err != nil {
		return
	}
	for _, v := range vs {
		// An access at the very instant a visit ended came after its
		// deactivation (the end is stored once Security Center confirmed
		// it), so it is not the visit's.
		if v.Provider != f.provider || v.CredentialGUID != cred || at.Before(v.SignedInAt.Time) ||
			(!v.EndedAt.IsZero() && !at.Before(v.EndedAt.Time)) {
			continue
		}
		a := Access{Time: JSONTime{at}, DoorID: strings.ToLower(door), Door: f.doorName(ctx, cl, door), Granted: granted}
		if !granted {
			a.Reason = reason
		}
		_ = f.c.st.Update(func(tx *store.Tx) error {
			var x Visit
			if ok, err := tx.Get(bucketVisits, v.ID, &x); err != nil || !ok {
				return err
			}
			for _, old := range x.Accesses {
				if old.Time.Equal(a.Time.Time) && old.DoorID == a.DoorID && old.Granted == a.Granted {
					return nil // already recorded (the report overlaps the stream)
				}
			}
			x.Accesses = append(x.Accesses, a)
			return tx.Put(bucketVisits, v.ID, x)
		})
		return
	}
}

// doorName reads a door's name once.
func (f *follower) doorName(ctx context.Context, cl *websdk.Client, guid string) string {
	guid = strings.ToLower(guid)
	if guid == "" {
		return ""
	}
	f.mu.Lock()
	n, ok := f.doors[guid]
	f.mu.Unlock()
	if ok {
		return n
	}
	raw, err := cl.Read(ctx, "entity="+guid+",Name")
	if err != nil {
		return ""
	}
	var r struct{ Name string }
	_ = json.Unmarshal(raw, &r)
	f.mu.Lock()
	f.doors[guid] = r.Name
	f.mu.Unlock()
	return r.Name
}

// Accesses returns a visit's accesses: time, door, granted, reason.
func (c *Connector) Accesses(id string) ([]Access, error) {
	v, err := c.Visit(id)
	if err != nil {
		return nil, err
	}
	if v.Accesses == nil {
		return []Access{}, nil
	}
	return v.Accesses, nil
}
