package genetec

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pacsim/pacsim/driver/genetec/store"
	"github.com/pacsim/pacsim/driver/genetec/websdk"
)

// TestResult is what Test Connection says.
type TestResult struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// TestConnection tries a provider's settings without saving them: it logs
// on, and checks the version (5.7 or later). A failure is a result, not an
// error: its message says why (unreachable, TLS, bad credentials, licence
// part missing, version too old).
func (c *Connector) TestConnection(ctx context.Context, p Provider) (TestResult, error) {
	fill(&p)
	if err := validURL(p.URL); err != nil {
		return TestResult{}, err
	}
	cl, err := c.newClient(p.URL, p.Username, p.Password, p.AppID, p.Insecure)
	if err != nil {
		return TestResult{}, badRequest("%v", err)
	}
	if err := cl.KeepAlive(ctx); err != nil {
		return TestResult{Message: "Connection failed: " + describe(err)}, nil
	}
	v, err := c.checkVersion(ctx, "", cl)
	if err != nil {
		return TestResult{Message: "Connection failed: " + describe(err)}, nil
	}
	return TestResult{OK: true, Message: fmt.Sprintf("Connected to Security Center %s as %s.", v, p.Username)}, nil
}

func fill(p *Provider) {
	if p.URL == "" {
		p.URL = DefaultURL
	}
	if p.AppID == "" {
		p.AppID = DefaultAppID
	}
}

func validURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return badRequest("url %q is not an http(s) URL of the Web SDK, such as https://localhost:4590/WebSdk/", clip(s))
	}
	return nil
}

func validProvider(p *Provider) error {
	switch {
	case strings.TrimSpace(p.Location) == "":
		return badRequest("location is required")
	case strings.TrimSpace(p.Name) == "":
		return badRequest("name is required")
	case p.Username == "":
		return badRequest("username is required")
	case strings.ContainsAny(p.Username, ";:"):
		return badRequest("username %q cannot hold ';' or ':'", clip(p.Username))
	case strings.ContainsAny(p.AppID, ";:"):
		return badRequest("app_id %q cannot hold ';' or ':'", clip(p.AppID))
	}
	return validURL(p.URL)
}

// AddProvider saves a provider (without testing it) and returns it, its
// password left out.
func (c *Connector) AddProvider(p Provider) (Provider, error) {
	fill(&p)
	if err := validProvider(&p); err != nil {
		return Provider{}, err
	}
	if p.Password == "" {
		return Provider{}, badRequest("password is required")
	}
	sealed, err := c.st.Seal(p.Password)
	if err != nil {
		return Provider{}, err
	}
	p.Password, p.Synced = "", nil
	err = c.st.Update(func(tx *store.Tx) error {
		id, err := tx.NextID(bucketProviders)
		if err != nil {
			return err
		}
		p.ID = id
		return tx.Put(bucketProviders, id, storedProvider{Provider: p, SealedPassword: sealed})
	})
	if err != nil {
		return Provider{}, err
	}
	c.startFollower(p.ID)
	return p, nil
}

// Provider returns a provider, its password left out.
func (c *Connector) Provider(id string) (Provider, error) {
	p, ok, err := store.Get[storedProvider](c.st, bucketProviders, id)
	if err != nil {
		return Provider{}, err
	}
	if !ok {
		return Provider{}, notFound("no provider has id %q", clip(id))
	}
	return p.Provider, nil
}

// Providers lists the providers.
func (c *Connector) Providers() ([]Provider, error) {
	list, err := store.List[storedProvider](c.st, bucketProviders)
	out := make([]Provider, 0, len(list))
	for _, p := range list {
		out = append(out, p.Provider)
	}
	return out, err
}

// UpdateProvider merges the fields given (raw JSON) into a provider; the
// password may be left out.
func (c *Connector) UpdateProvider(id string, patch json.RawMessage) (Provider, error) {
	var out Provider
	err := c.st.Update(func(tx *store.Tx) error {
		var sp storedProvider
		ok, err := tx.Get(bucketProviders, id, &sp)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("no provider has id %q", clip(id))
		}
		p := sp.Provider
		p.Password = ""
		if err := strictMerge(patch, &p); err != nil {
			return err
		}
		if p.ID != id {
			return badRequest("id cannot change")
		}
		if err := validProvider(&p); err != nil {
			return err
		}
		if p.Password != "" {
			if sp.SealedPassword, err = c.st.Seal(p.Password); err != nil {
				return err
			}
		}
		p.Password = ""
		sp.Provider = p
		out = p
		return tx.Put(bucketProviders, id, sp)
	})
	if err == nil {
		c.forget(id)
	}
	return out, err
}

// DeleteProvider removes a provider and its badges; one with a badge in use
// is refused.
func (c *Connector) DeleteProvider(id string) error {
	err := c.st.Update(func(tx *store.Tx) error {
		var sp storedProvider
		ok, err := tx.Get(bucketProviders, id, &sp)
		if err != nil {
			return err
		}
		if !ok {
			return notFound("no provider has id %q", clip(id))
		}
		var badges []Badge
		if err := tx.List(bucketBadges, func(_ string, raw []byte) error {
			var b Badge
			if err := json.Unmarshal(raw, &b); err != nil {
				return err
			}
			if b.Provider == id {
				badges = append(badges, b)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, b := range badges {
			if b.Visit != "" {
				return conflict("provider %s has badge %q in use by visit %s: sign the visitor out first", id, b.Name, b.Visit)
			}
		}
		for _, b := range badges {
			if err := tx.Delete(bucketBadges, b.ID); err != nil {
				return err
			}
		}
		return tx.Delete(bucketProviders, id)
	})
	if err == nil {
		c.forget(id)
		c.stopFollower(id)
	}
	return err
}

// Refresh pulls the cardholder groups, access rules and badge types
// (credential formats) of a provider's Security Center and keeps them.
func (c *Connector) Refresh(ctx context.Context, id string) (Synced, error) {
	cl, _, err := c.client(id)
	if err != nil {
		return Synced{}, err
	}
	if _, err := c.checkVersion(ctx, id, cl); err != nil {
		return Synced{}, upstream("refresh", err)
	}
	groups, err := c.named(ctx, cl, "CardholderGroup")
	if err != nil {
		return Synced{}, upstream("refresh", err)
	}
	rules, err := c.named(ctx, cl, "AccessRule")
	if err != nil {
		return Synced{}, upstream("refresh", err)
	}
	raw, err := cl.Read(ctx, "entity=00000000-0000-0000-0000-000000000007,CredentialFormats")
	if err != nil {
		return Synced{}, upstream("refresh", err)
	}
	var cf struct {
		CredentialFormats []struct {
			FormatName string
			FormatId   string
		}
	}
	if err := json.Unmarshal(raw, &cf); err != nil {
		return Synced{}, upstream("refresh", fmt.Errorf("credential formats: %v", err))
	}
	types := make([]Named, 0, len(cf.CredentialFormats))
	for _, f := range cf.CredentialFormats {
		types = append(types, Named{GUID: strings.ToLower(f.FormatId), Name: f.FormatName})
	}
	s := Synced{CardholderGroups: groups, AccessRules: rules, BadgeTypes: types, RefreshedAt: JSONTime{c.now()}}
	err = c.st.Update(func(tx *store.Tx) error {
		var sp storedProvider
		ok, err := tx.Get(bucketProviders, id, &sp)
		if err != nil || !ok {
			return notFound("no provider has id %q", clip(id))
		}
		sp.Synced = &s
		return tx.Put(bucketProviders, id, sp)
	})
	return s, err
}

// named lists the entities of a type with their names, sorted by name.
func (c *Connector) named(ctx context.Context, cl *websdk.Client, typ string) ([]Named, error) {
	rows, err := cl.ReportAll(ctx, "EntityConfiguration", "EntityTypes@"+typ, 500)
	if err != nil {
		return nil, err
	}
	out := make([]Named, 0, len(rows))
	for _, r := range rows {
		var row struct{ Guid string }
		if err := json.Unmarshal(r, &row); err != nil {
			return nil, err
		}
		res, err := cl.Read(ctx, "entity="+row.Guid+",Name")
		if err != nil {
			return nil, err
		}
		var n struct{ Name string }
		if err := json.Unmarshal(res, &n); err != nil {
			return nil, err
		}
		out = append(out, Named{GUID: strings.ToLower(row.Guid), Name: n.Name})
	}
	slices.SortFunc(out, func(a, b Named) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// strictMerge decodes a JSON patch onto v, refusing unknown fields.
func strictMerge(patch json.RawMessage, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(patch)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badRequest("body: %v", err)
	}
	return nil
}
