package genetec

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/driver/genetec/websdk"
)

// SignInRequest is a visitor signing in with a badge.
type SignInRequest struct {
	Location         string   `json:"location"`
	Visitor          Visitor  `json:"visitor"`
	Badge            string   `json:"badge"`
	CardholderGroups []string `json:"cardholder_groups"`
	By               string   `json:"by"`
}

// SignIn provisions a badge to a visitor: the visitor entity, the badge's
// credential (created once, found again by its unique id rather than
// duplicated) assigned and active, the cardholder groups, the check-in.
// The visit is written to the store before Security Center is called; if
// Security Center fails half-way what was done is undone, and the answer
// is a 502 with its message.
func (c *Connector) SignIn(ctx context.Context, r SignInRequest) (Visit, error) {
	if strings.TrimSpace(r.Location) == "" {
		return Visit{}, badRequest("location is required")
	}
	if strings.TrimSpace(r.Visitor.FirstName) == "" && strings.TrimSpace(r.Visitor.LastName) == "" {
		return Visit{}, badRequest("visitor.first_name or visitor.last_name is required")
	}
	if strings.TrimSpace(r.By) == "" {
		return Visit{}, badRequest("by (the user's email) is required")
	}
	var v Visit
	var typ Named
	var fac uint64
	err := c.st.Update(func(tx *store.Tx) error {
		var b Badge
		ok, err := tx.Get(bucketBadges, r.Badge, &b)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("no badge has id %q", clip(r.Badge))
		}
		var p storedProvider
		if _, err := tx.Get(bucketProviders, b.Provider, &p); err != nil {
			return err
		}
		if !strings.EqualFold(p.Location, r.Location) {
			return badRequest("badge %s belongs to location %q, not %q", b.ID, p.Location, clip(r.Location))
		}
		if b.Visit != "" {
			return conflict("badge %s (%q) is active for visit %s: sign that visitor out first", b.ID, b.Name, b.Visit)
		}
		if p.Synced == nil {
			return badRequest("provider %s has not been refreshed: refresh it to sync its cardholder groups", p.ID)
		}
		allowed, err := mayAssign(tx, r.By)
		if err != nil {
			return err
		}
		var groups []string
		for _, name := range r.CardholderGroups {
			i := slices.IndexFunc(p.Synced.CardholderGroups, func(n Named) bool { return strings.EqualFold(n.Name, name) })
			if i < 0 {
				return badRequest("cardholder group %q is not in provider %s's synced list: refresh it", clip(name), p.ID)
			}
			if !slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, name) }) {
				return forbidden("user %s may not assign cardholder group %q (no user group of theirs lists it)", clip(r.By), name)
			}
			groups = append(groups, p.Synced.CardholderGroups[i].Name)
		}
		if typ, err = badgeType(&p, b.BadgeType); err != nil {
			return err
		}
		if p.FacilityCode != nil {
			fac = *p.FacilityCode
		}
		_, card, err := credentialFormat(typ, b.UniqueID, fac)
		if err != nil {
			return err
		}
		id, err := tx.NextID(bucketVisits)
		if err != nil {
			return err
		}
		now := c.now()
		v = Visit{ID: id, Location: p.Location, Provider: p.ID, Visitor: r.Visitor, Badge: b.ID, CardholderGroups: groups,
			By: r.By, State: StateProvisioning, CredentialGUID: b.CredentialGUID, Card: card,
			SignedInAt: JSONTime{now}, EndsAt: JSONTime{c.endOfDay(now)}}
		if v.CardholderGroups == nil {
			v.CardholderGroups = []string{}
		}
		b.Visit = id
		if err := tx.Put(bucketBadges, b.ID, b); err != nil {
			return err
		}
		return tx.Put(bucketVisits, id, v)
	})
	if err != nil {
		return Visit{}, err
	}
	if err := c.at("provision:stored"); err != nil {
		return v, err
	}
	if err := c.provision(ctx, &v, typ, fac); err != nil {
		c.log.Warn("provisioning failed", "visit", v.ID, "error", describe(err))
		// Undo: what was done is deactivated at once, or stays pending.
		c.markPending(v.ID, "provisioning-failed", "", describe(err))
		if uerr := c.deactivateNow(ctx, v.ID); uerr != nil {
			c.kick()
		}
		c.meter.badge(badgeFailed)
		return c.visitOr(v), upstream("provisioning the badge", err)
	}
	c.meter.badge(badgeActivated)
	return c.visitOr(v), nil
}

// visitOr reads a visit back, or returns v when it cannot.
func (c *Connector) visitOr(v Visit) Visit {
	if got, ok, err := store.Get[Visit](c.st, bucketVisits, v.ID); err == nil && ok {
		return got
	}
	return v
}

// provision makes the Security Center side of a sign-in.
func (c *Connector) provision(ctx context.Context, v *Visit, typ Named, fac uint64) error {
	cl, p, err := c.client(v.Provider)
	if err != nil {
		return err
	}
	if err := c.try(ctx, func() error { _, err := c.checkVersion(ctx, v.Provider, cl); return err }); err != nil {
		return err
	}
	b, _, err := store.Get[Badge](c.st, bucketBadges, v.Badge)
	if err != nil {
		return err
	}
	// The credential: created once per badge, found again by its card
	// rather than duplicated.
	fq, _, err := credentialFormat(typ, b.UniqueID, fac)
	if err != nil {
		return err
	}
	cred := b.CredentialGUID
	if cred != "" {
		var ok bool
		if err := c.try(ctx, func() (err error) { ok, err = cl.Exists(ctx, cred); return err }); err != nil {
			return err
		}
		if !ok {
			cred = ""
		}
	}
	// Found by its card, else created; a create that failed transiently
	// may have landed, so the look-up comes again before each try.
	err = c.try(ctx, func() error {
		if cred != "" {
			return nil
		}
		rows, err := cl.ReportAll(ctx, "CredentialConfiguration", "UniqueIds@"+fq, 100)
		if err != nil {
			return err
		}
		if len(rows) > 0 {
			var row struct{ Guid string }
			_ = json.Unmarshal(rows[0], &row)
			cred = strings.ToLower(row.Guid)
			return nil
		}
		cred, err = cl.Create(ctx, "entity=NewEntity(Credential),Name="+escape(b.Name)+",Format="+fq)
		return err
	})
	if err != nil {
		return err
	}
	if err := c.setVisit(v.ID, func(x *Visit) { x.CredentialGUID = cred }); err != nil {
		return err
	}
	if err := c.st.Update(func(tx *store.Tx) error {
		var bb Badge
		if ok, err := tx.Get(bucketBadges, b.ID, &bb); err != nil || !ok {
			return err
		}
		bb.CredentialGUID = cred
		return tx.Put(bucketBadges, b.ID, bb)
	}); err != nil {
		return err
	}
	// A credential still held by an earlier visitor (a crash before its
	// check-out was confirmed) is taken back first.
	var holder struct{ CardholderGuid string }
	if err := c.try(ctx, func() error {
		raw, err := cl.Read(ctx, "entity="+cred+",CardholderGuid")
		if err == nil {
			err = json.Unmarshal(raw, &holder)
		}
		return err
	}); err != nil {
		return err
	}
	if h := strings.ToLower(holder.CardholderGuid); h != "" && h != emptyGUID {
		if err := c.try(ctx, func() error { _, err := cl.Query(ctx, "entity="+h+",Credentials-"+cred); return err }); err != nil {
			return err
		}
	}
	q := "entity=NewEntity(Visitor),FirstName=" + escape(v.Visitor.FirstName) + ",LastName=" + escape(v.Visitor.LastName)
	if v.Visitor.Email != "" {
		q += ",EmailAddress=" + escape(v.Visitor.Email)
	}
	q += ",Departure=" + v.EndsAt.UTC().Format("2006-01-02T15:04:05")
	// A retried create may leave an extra visitor entity behind: it holds
	// no credential and is never checked in, so it opens nothing.
	var visitor string
	if err := c.try(ctx, func() (err error) { visitor, err = cl.Create(ctx, q); return err }); err != nil {
		return err
	}
	if err := c.setVisit(v.ID, func(x *Visit) { x.VisitorGUID = visitor }); err != nil {
		return err
	}
	groups := map[string]string{}
	for _, g := range p.Synced.CardholderGroups {
		groups[strings.ToLower(g.Name)] = g.GUID
	}
	q = "entity=" + cred + ",Status.Activate(),entity=" + visitor + ",Credentials@" + cred
	for _, name := range v.CardholderGroups {
		q += ",entity=" + groups[strings.ToLower(name)] + ",AddCardholderIntoGroup(" + visitor + ")"
	}
	q += ",entity=" + visitor + ",Status.Activate()"
	if err := c.try(ctx, func() error { _, err := cl.Query(ctx, q); return err }); err != nil {
		return err
	}
	return c.setVisit(v.ID, func(x *Visit) {
		if x.State == StateProvisioning {
			x.State = StateActive
		}
	})
}

const emptyGUID = "00000000-0000-0000-0000-000000000000"

// escape protects a value written after '=' in q=: the Web SDK reads '\'
// as an escape, and ',' '(' ')' end or open a term.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ',', '(', ')', '\\', '{', '}', '#':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// setVisit changes a stored visit.
func (c *Connector) setVisit(id string, fn func(*Visit)) error {
	return c.st.Update(func(tx *store.Tx) error {
		var v Visit
		ok, err := tx.Get(bucketVisits, id, &v)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("no visit has id %q", clip(id))
		}
		fn(&v)
		return tx.Put(bucketVisits, id, v)
	})
}

// Visit returns a visit.
func (c *Connector) Visit(id string) (Visit, error) {
	v, ok, err := store.Get[Visit](c.st, bucketVisits, id)
	if err == nil && !ok {
		err = notFound("no visit has id %q", clip(id))
	}
	return v, err
}

// Visits lists the visits, only the active ones when activeOnly.
func (c *Connector) Visits(activeOnly bool) ([]Visit, error) {
	all, err := store.List[Visit](c.st, bucketVisits)
	out := []Visit{}
	for _, v := range all {
		if !activeOnly || v.State == StateActive {
			out = append(out, v)
		}
	}
	return out, err
}

// Deactivate is a user deactivating a visit's badge.
func (c *Connector) Deactivate(ctx context.Context, id, by string) (Visit, error) {
	return c.end(ctx, id, "deactivated", by)
}

// SignOut is the visitor leaving: the badge is deactivated.
func (c *Connector) SignOut(ctx context.Context, id string) (Visit, error) {
	return c.end(ctx, id, "signed-out", "")
}

// ErrPending says a deactivation is stored but Security Center has not
// confirmed it yet: the API answers 202 and the retry loop finishes it.
var ErrPending = errors.New("deactivation pending: Security Center has not confirmed it yet; it is retried")

// end deactivates a visit's badge: pending-deactivation is stored first,
// then Security Center checks the visitor out and deactivates the
// credential. When it does not answer the visit stays pending (ErrPending).
func (c *Connector) end(ctx context.Context, id, reason, by string) (Visit, error) {
	v, err := c.Visit(id)
	if err != nil {
		return v, err
	}
	switch v.State {
	case StateEnded:
		return v, conflict("visit %s has already ended (%s)", id, v.EndReason)
	case StateActive, StateProvisioning:
		if err := c.markPending(id, reason, by, ""); err != nil {
			return v, err
		}
	}
	if err := c.at("deactivate:stored"); err != nil {
		return c.visitOr(v), err
	}
	if err := c.deactivateNow(ctx, id); err != nil {
		c.kick()
		return c.visitOr(v), ErrPending
	}
	return c.visitOr(v), nil
}

// markPending stores that a visit is to be deactivated, and why.
func (c *Connector) markPending(id, reason, by, lastErr string) error {
	return c.setVisit(id, func(v *Visit) {
		if v.State == StateEnded {
			return
		}
		v.State = StatePendingDeactivation
		if v.EndReason == "" {
			v.EndReason, v.EndedBy = reason, by
		}
		if lastErr != "" {
			v.LastError = lastErr
		}
	})
}

// deactivateNow sends a pending visit's deactivation to Security Center and,
// once it is confirmed, ends the visit and frees its badge.
//
// One deactivation of a visit runs at a time: a caller that finds the retry
// loop sending it waits for that attempt and reads its outcome, rather than
// answering "pending" while Security Center is fine.
func (c *Connector) deactivateNow(ctx context.Context, id string) error {
	l := c.visitLock(id)
	l.Lock()
	defer l.Unlock()
	v, err := c.Visit(id)
	if err != nil {
		return err
	}
	if v.State == StateEnded {
		return nil
	}
	if v.State != StatePendingDeactivation {
		return nil
	}
	if v.Attempts > 0 {
		c.meter.retries.Add(1) // a deactivation Security Center did not confirm before
	}
	cl, _, err := c.client(v.Provider)
	if err == nil {
		err = c.sendDeactivation(ctx, cl, &v)
	}
	if err != nil {
		_ = c.setVisit(id, func(x *Visit) { x.Attempts++; x.LastError = describe(err) })
		c.log.Warn("deactivation not confirmed", "visit", id, "error", describe(err))
		return err
	}
	now := c.now()
	return c.st.Update(func(tx *store.Tx) error {
		var x Visit
		if ok, err := tx.Get(bucketVisits, id, &x); err != nil || !ok {
			return err
		}
		x.State, x.EndedAt, x.LastError = StateEnded, JSONTime{now}, ""
		if err := tx.Put(bucketVisits, id, x); err != nil {
			return err
		}
		// The undoing of a failed provisioning is counted as that failure
		// alone: activated − deactivated is the badges out.
		if x.EndReason != "provisioning-failed" {
			c.meter.badge(badgeDeactivated)
		}
		var b Badge
		if ok, err := tx.Get(bucketBadges, x.Badge, &b); err != nil || !ok {
			return err
		}
		if b.Visit == id {
			b.Visit = ""
			return tx.Put(bucketBadges, b.ID, b)
		}
		return nil
	})
}

// visitLock is the lock of one visit's deactivation.
func (c *Connector) visitLock(id string) *sync.Mutex {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.inflight[id]
	if !ok {
		l = &sync.Mutex{}
		c.inflight[id] = l
	}
	return l
}

// sendDeactivation checks the visitor out (its credential is unassigned)
// and deactivates the credential. Entities already gone count as done.
func (c *Connector) sendDeactivation(ctx context.Context, cl *websdk.Client, v *Visit) error {
	if v.VisitorGUID != "" {
		err := c.try(ctx, func() error { _, err := cl.Query(ctx, "entity="+v.VisitorGUID+",Checkout()"); return err })
		if err != nil && !gone(err) {
			return err
		}
	}
	if v.CredentialGUID != "" {
		err := c.try(ctx, func() error { _, err := cl.Query(ctx, "entity="+v.CredentialGUID+",Status.Deactivate()"); return err })
		if err != nil && !gone(err) {
			return err
		}
	}
	return nil
}

// gone reports whether Security Center says the entity does not exist.
func gone(err error) bool {
	var se *websdk.SdkError
	return errors.As(err, &se) && se.Code == "UnableToRetrieveEntity"
}

// EndOfDay ends every active visit of a location now.
func (c *Connector) EndOfDay(ctx context.Context, location string) ([]Visit, error) {
	vs, err := c.Visits(false)
	if err != nil {
		return nil, err
	}
	out := []Visit{}
	for _, v := range vs {
		if strings.EqualFold(v.Location, location) && (v.State == StateActive || v.State == StateProvisioning) {
			e, err := c.end(ctx, v.ID, "end-of-day", "")
			if err != nil && !errors.Is(err, ErrPending) {
				return out, err
			}
			out = append(out, e)
		}
	}
	return out, nil
}

// Tick ends the visits whose end of day has come, and retries the pending
// deactivations: the service runs it every second; tests after Advance.
func (c *Connector) Tick(ctx context.Context) {
	now := c.now()
	vs, err := c.Visits(false)
	if err != nil {
		return
	}
	for _, v := range vs {
		switch {
		case (v.State == StateActive || v.State == StateProvisioning) && !now.Before(v.EndsAt.Time):
			_, _ = c.end(ctx, v.ID, "end-of-day", "")
		case v.State == StatePendingDeactivation:
			_ = c.deactivateNow(ctx, v.ID)
		}
	}
}

// Recover finishes what a previous run left: visits caught half-provisioned
// are deactivated (how far they got is unknown), pending deactivations are
// sent, visits past their end of day are ended.
func (c *Connector) Recover(ctx context.Context) {
	vs, err := c.Visits(false)
	if err != nil {
		c.log.Error("reading the visits", "error", err)
		return
	}
	for _, v := range vs {
		if v.State == StateProvisioning {
			_ = c.markPending(v.ID, "provisioning-interrupted", "", "the connector stopped while provisioning")
		}
	}
	c.Tick(ctx)
}

// Pending counts visits waiting for their deactivation to be confirmed.
func (c *Connector) Pending() int {
	vs, _ := c.Visits(false)
	n := 0
	for _, v := range vs {
		if v.State == StatePendingDeactivation {
			n++
		}
	}
	return n
}

func (c *Connector) kick() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// retryLoop retries pending deactivations: within RetryMin of a failure,
// backing off to RetryMax while Security Center keeps failing.
func (c *Connector) retryLoop() {
	defer c.wg.Done()
	delay := c.cfg.RetryMin
	t := time.NewTimer(delay)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-c.wake:
		case <-t.C:
		}
		if c.Pending() == 0 {
			delay = c.cfg.RetryMin
			t.Reset(delay)
			continue
		}
		ctx, cancel := context.WithTimeout(c.ctx, 4*c.cfg.Timeout)
		c.Tick(ctx)
		cancel()
		if c.Pending() > 0 {
			delay = min(delay*2, c.cfg.RetryMax)
		} else {
			delay = c.cfg.RetryMin
		}
		if !t.Stop() {
			select {
			case <-t.C:
			default:
			}
		}
		t.Reset(delay)
	}
}

// dayLoop ends visits at their end of day, checking every second.
func (c *Connector) dayLoop() {
	defer c.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(c.ctx, 4*c.cfg.Timeout)
			c.Tick(ctx)
			cancel()
		}
	}
}
