package genetec

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/pacsim/pacsim/driver/genetec/store"
)

func checkUserGroup(g *UserGroup) error {
	if strings.TrimSpace(g.Name) == "" {
		return badRequest("name is required")
	}
	for _, u := range g.Users {
		if !strings.Contains(u, "@") {
			return badRequest("users: %q is not an email address", clip(u))
		}
	}
	if g.CardholderGroups == nil {
		g.CardholderGroups = []string{}
	}
	if g.Users == nil {
		g.Users = []string{}
	}
	return nil
}

// AddUserGroup creates a user group.
func (c *Connector) AddUserGroup(g UserGroup) (UserGroup, error) {
	if err := checkUserGroup(&g); err != nil {
		return UserGroup{}, err
	}
	err := c.st.Update(func(tx *store.Tx) error {
		id, err := tx.NextID(bucketUserGroups)
		if err != nil {
			return err
		}
		g.ID = id
		return tx.Put(bucketUserGroups, id, g)
	})
	return g, err
}

// UserGroup returns a user group.
func (c *Connector) UserGroup(id string) (UserGroup, error) {
	g, ok, err := store.Get[UserGroup](c.st, bucketUserGroups, id)
	if err == nil && !ok {
		err = notFound("no user group has id %q", clip(id))
	}
	return g, err
}

// UserGroups lists the user groups.
func (c *Connector) UserGroups() ([]UserGroup, error) {
	l, err := store.List[UserGroup](c.st, bucketUserGroups)
	if l == nil {
		l = []UserGroup{}
	}
	return l, err
}

// UpdateUserGroup merges the fields given into a user group.
func (c *Connector) UpdateUserGroup(id string, patch json.RawMessage) (UserGroup, error) {
	var out UserGroup
	err := c.st.Update(func(tx *store.Tx) error {
		var g UserGroup
		ok, err := tx.Get(bucketUserGroups, id, &g)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("no user group has id %q", clip(id))
		}
		if err := strictMerge(patch, &g); err != nil {
			return err
		}
		if g.ID != id {
			return badRequest("id cannot change")
		}
		if err := checkUserGroup(&g); err != nil {
			return err
		}
		out = g
		return tx.Put(bucketUserGroups, id, g)
	})
	return out, err
}

// DeleteUserGroup removes a user group.
func (c *Connector) DeleteUserGroup(id string) error {
	return c.st.Update(func(tx *store.Tx) error {
		var g UserGroup
		ok, err := tx.Get(bucketUserGroups, id, &g)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("no user group has id %q", clip(id))
		}
		return tx.Delete(bucketUserGroups, id)
	})
}

// mayAssign lists the cardholder groups a user may assign: those of the
// user groups that list them. Emails compare ignoring case.
func mayAssign(tx *store.Tx, user string) ([]string, error) {
	var out []string
	err := tx.List(bucketUserGroups, func(_ string, raw []byte) error {
		var g UserGroup
		if err := json.Unmarshal(raw, &g); err != nil {
			return err
		}
		if slices.ContainsFunc(g.Users, func(u string) bool { return strings.EqualFold(u, user) }) {
			out = append(out, g.CardholderGroups...)
		}
		return nil
	})
	return out, err
}
