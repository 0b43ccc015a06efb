package genetec

import "time"

// Visit states.
const (
	StateProvisioning        = "provisioning" // written before Security Center is called
	StateActive              = "active"
	StatePendingDeactivation = "pending-deactivation"
	StateEnded               = "ended"
)

// Store buckets.
const (
	bucketProviders  = "providers"
	bucketBadges     = "badges"
	bucketUserGroups = "user-groups"
	bucketVisits     = "visits"
)

// Provider is a Security Center serving a location: its Web SDK and the user
// the connector logs on as. Password is never answered back.
type Provider struct {
	ID           string  `json:"id"`
	Location     string  `json:"location"`
	Name         string  `json:"name"`
	URL          string  `json:"url"`
	Username     string  `json:"username"`
	Password     string  `json:"password,omitempty"` // only in requests
	AppID        string  `json:"app_id"`
	Insecure     bool    `json:"insecure"`
	FacilityCode *uint64 `json:"facility_code,omitempty"`
	Synced       *Synced `json:"synced,omitempty"`
}

// storedProvider is what the store keeps of a provider.
type storedProvider struct {
	Provider
	SealedPassword string `json:"sealed_password"`
}

// Named is an entity of Security Center by GUID and name.
type Named struct {
	GUID string `json:"guid"`
	Name string `json:"name"`
}

// Synced are the lists Refresh pulled from Security Center.
type Synced struct {
	CardholderGroups []Named  `json:"cardholder_groups"`
	AccessRules      []Named  `json:"access_rules"`
	BadgeTypes       []Named  `json:"badge_types"`
	RefreshedAt      JSONTime `json:"refreshed_at"`
}

// Badge is a security badge of a provider: a card that visitors borrow.
type Badge struct {
	ID        string `json:"id"`
	Provider  string `json:"provider"`
	Name      string `json:"name"`
	UniqueID  string `json:"unique_id"`
	BadgeType string `json:"badge_type"`
	// CredentialGUID is the badge's credential in Security Center, created
	// at its first sign-in and kept.
	CredentialGUID string `json:"credential_guid,omitempty"`
	// Visit is the visit holding the badge (active or not yet confirmed
	// deactivated), "" when free.
	Visit string `json:"visit,omitempty"`
}

// UserGroup decides which cardholder groups its users may assign.
type UserGroup struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	CardholderGroups []string `json:"cardholder_groups"`
	Users            []string `json:"users"`
}

// Visitor is who signs in.
type Visitor struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email,omitempty"`
}

// Visit is a visitor's stay with a badge.
type Visit struct {
	ID               string   `json:"id"`
	Location         string   `json:"location"`
	Provider         string   `json:"provider"`
	Visitor          Visitor  `json:"visitor"`
	Badge            string   `json:"badge"`
	CardholderGroups []string `json:"cardholder_groups"`
	By               string   `json:"by"`
	State            string   `json:"state"`
	VisitorGUID      string   `json:"visitor_guid,omitempty"`
	CredentialGUID   string   `json:"credential_guid,omitempty"`
	Card             string   `json:"card,omitempty"`
	SignedInAt       JSONTime `json:"signed_in_at"`
	EndsAt           JSONTime `json:"ends_at"`
	EndedAt          JSONTime `json:"ended_at,omitzero"`
	// EndReason: deactivated, signed-out, end-of-day, provisioning-failed.
	EndReason string   `json:"end_reason,omitempty"`
	EndedBy   string   `json:"ended_by,omitempty"`
	LastError string   `json:"last_error,omitempty"`
	Attempts  int      `json:"attempts,omitempty"`
	Accesses  []Access `json:"accesses,omitempty"`
}

// Access is one badge presentation during a visit, from the event stream.
type Access struct {
	Time    JSONTime `json:"time"`
	Door    string   `json:"door"`
	DoorID  string   `json:"door_guid"`
	Granted bool     `json:"granted"`
	Reason  string   `json:"reason,omitempty"`
}

// JSONTime is a time written in UTC, RFC 3339.
type JSONTime struct{ time.Time }

// MarshalJSON writes the time in UTC.
func (t JSONTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte(`null`), nil
	}
	return []byte(`"` + t.UTC().Format(time.RFC3339Nano) + `"`), nil
}

// UnmarshalJSON reads RFC 3339 or null.
func (t *JSONTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	v, err := time.Parse(`"`+time.RFC3339Nano+`"`, string(b))
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}
