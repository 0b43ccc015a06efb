package genetec

import (
	"encoding/json"
	"strings"

	"github.com/pacsim/pacsim/driver/genetec/store"
)

// badgeType finds a badge type by name in a provider's synced list.
func badgeType(p *storedProvider, name string) (Named, error) {
	if p.Synced == nil {
		return Named{}, badRequest("provider %s has not been refreshed: refresh it to sync its badge types", p.ID)
	}
	for _, t := range p.Synced.BadgeTypes {
		if strings.EqualFold(t.Name, name) {
			return t, nil
		}
	}
	names := make([]string, len(p.Synced.BadgeTypes))
	for i, t := range p.Synced.BadgeTypes {
		names[i] = t.Name
	}
	return Named{}, badRequest("badge_type %q is not in provider %s's synced badge types (%s)", clip(name), p.ID, strings.Join(names, ", "))
}

// checkBadge validates a badge against its provider.
func checkBadge(p *storedProvider, b *Badge) error {
	if strings.TrimSpace(b.Name) == "" {
		return badRequest("name is required")
	}
	if !digitsOnly(b.UniqueID) {
		return badRequest("unique_id %q must be digits only (the badge's card number): no letters, spaces or signs", clip(b.UniqueID))
	}
	t, err := badgeType(p, b.BadgeType)
	if err != nil {
		return err
	}
	b.BadgeType = t.Name
	fac := uint64(0)
	if p.FacilityCode != nil {
		fac = *p.FacilityCode
	}
	_, _, err = credentialFormat(t, b.UniqueID, fac)
	return err
}

// AddBadge creates a security badge of a provider.
func (c *Connector) AddBadge(providerID string, b Badge) (Badge, error) {
	err := c.st.Update(func(tx *store.Tx) error {
		var p storedProvider
		ok, err := tx.Get(bucketProviders, providerID, &p)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("no provider has id %q", clip(providerID))
		}
		b.Provider, b.CredentialGUID, b.Visit = providerID, "", ""
		if err := checkBadge(&p, &b); err != nil {
			return err
		}
		if other, err := findBadge(tx, providerID, b.UniqueID, ""); err != nil {
			return err
		} else if other != nil {
			return conflict("unique_id %s is already badge %s (%q) of provider %s", b.UniqueID, other.ID, other.Name, providerID)
		}
		id, err := tx.NextID(bucketBadges)
		if err != nil {
			return err
		}
		b.ID = id
		return tx.Put(bucketBadges, id, b)
	})
	return b, err
}

// findBadge finds a provider's badge by unique ID, other than except.
func findBadge(tx *store.Tx, providerID, uniqueID, except string) (*Badge, error) {
	var found *Badge
	err := tx.List(bucketBadges, func(id string, raw []byte) error {
		var b Badge
		if err := json.Unmarshal(raw, &b); err != nil {
			return err
		}
		if b.Provider == providerID && b.UniqueID == uniqueID && b.ID != except {
			found = &b
		}
		return nil
	})
	return found, err
}

// Badge returns a provider's badge.
func (c *Connector) Badge(providerID, id string) (Badge, error) {
	b, ok, err := store.Get[Badge](c.st, bucketBadges, id)
	if err != nil {
		return Badge{}, err
	}
	if !ok || b.Provider != providerID {
		return Badge{}, notFound("provider %s has no badge %q", clip(providerID), clip(id))
	}
	return b, nil
}

// Badges lists a provider's badges.
func (c *Connector) Badges(providerID string) ([]Badge, error) {
	if _, err := c.Provider(providerID); err != nil {
		return nil, err
	}
	all, err := store.List[Badge](c.st, bucketBadges)
	out := []Badge{}
	for _, b := range all {
		if b.Provider == providerID {
			out = append(out, b)
		}
	}
	return out, err
}

// UpdateBadge merges the fields given into a badge; a badge in use keeps
// its unique ID and type.
func (c *Connector) UpdateBadge(providerID, id string, patch json.RawMessage) (Badge, error) {
	var out Badge
	err := c.st.Update(func(tx *store.Tx) error {
		var b Badge
		ok, err := tx.Get(bucketBadges, id, &b)
		if err != nil {
			return err
		}
		if !ok || b.Provider != providerID {
			return notFound("provider %s has no badge %q", clip(providerID), clip(id))
		}
		was := b
		if err := strictMerge(patch, &b); err != nil {
			return err
		}
		if b.ID != was.ID || b.Provider != was.Provider || b.CredentialGUID != was.CredentialGUID || b.Visit != was.Visit {
			return badRequest("only name, unique_id and badge_type can change")
		}
		if b.Visit != "" && (b.UniqueID != was.UniqueID || !strings.EqualFold(b.BadgeType, was.BadgeType)) {
			return conflict("badge %s is in use by visit %s: its unique ID and type cannot change", id, b.Visit)
		}
		var p storedProvider
		if _, err := tx.Get(bucketProviders, providerID, &p); err != nil {
			return err
		}
		if err := checkBadge(&p, &b); err != nil {
			return err
		}
		if other, err := findBadge(tx, providerID, b.UniqueID, id); err != nil {
			return err
		} else if other != nil {
			return conflict("unique_id %s is already badge %s (%q)", b.UniqueID, other.ID, other.Name)
		}
		if b.UniqueID != was.UniqueID || b.BadgeType != was.BadgeType {
			b.CredentialGUID = "" // another card: its credential is made at the next sign-in
		}
		out = b
		return tx.Put(bucketBadges, id, b)
	})
	return out, err
}

// DeleteBadge removes a badge not in use.
func (c *Connector) DeleteBadge(providerID, id string) error {
	return c.st.Update(func(tx *store.Tx) error {
		var b Badge
		ok, err := tx.Get(bucketBadges, id, &b)
		if err != nil {
			return err
		}
		if !ok || b.Provider != providerID {
			return notFound("provider %s has no badge %q", clip(providerID), clip(id))
		}
		if b.Visit != "" {
			return conflict("badge %s is in use by visit %s: sign the visitor out first", id, b.Visit)
		}
		return tx.Delete(bucketBadges, id)
	})
}
