package sim

// GenetecSpec configures the simulated Genetec Security Center: its
// version, licence, the SDK applications and users that may connect, and
// its access control database (cardholder groups, access rules,
// cardholders and their credentials). The hardware is the world's: every
// door, reader, area (one per site), controller and gateway is an entity of
// Security Center with the world's GUID.
type GenetecSpec struct {
	// Version is the Security Center version (default 5.12.2.0); below 5.7
	// a visitor connector refuses it.
	Version string `yaml:"version,omitempty"`
	// Machine is the server's machine name, which the audit trail shows
	// ("<machine> - WebSdkConnection"). Default PACSIM.
	Machine string `yaml:"machine,omitempty"`
	// LicenceParts are the licence's part numbers; an application whose
	// part is not among them is refused (HTTP 403).
	LicenceParts []string `yaml:"licence_parts,omitempty"`
	// Applications are the SDK application IDs known, each with its part.
	Applications []GenetecAppSpec `yaml:"applications,omitempty"`
	// Users may log on with the SDK.
	Users []GenetecUserSpec `yaml:"users,omitempty"`
	// Rules are the access rules: which doors, on which schedule.
	Rules []GenetecRuleSpec `yaml:"rules,omitempty"`
	// Groups are the cardholder groups, with the rules they hold.
	Groups []GenetecGroupSpec `yaml:"groups,omitempty"`
	// Cardholders are the cardholders at start, with their credentials.
	Cardholders []GenetecCardholderSpec `yaml:"cardholders,omitempty"`
	// SessionIdle is how long a Web SDK session lives without a request,
	// on the site clock (default 5m, as the real Web SDK).
	SessionIdle Duration `yaml:"session_idle,omitempty"`
}

// GenetecAppSpec is an SDK application ID and the licence part it needs.
type GenetecAppSpec struct {
	ID   string `yaml:"id"`
	Part string `yaml:"part"`
	Name string `yaml:"name,omitempty"`
}

// GenetecUserSpec is a Security Center user.
type GenetecUserSpec struct {
	Name     string `yaml:"name"`
	Password string `yaml:"password"`
	// Disabled users cannot log on.
	Disabled bool `yaml:"disabled,omitempty"`
}

// GenetecRuleSpec is an access rule.
type GenetecRuleSpec struct {
	Name string `yaml:"name"`
	// Schedule is a schedule id of the site file (the schedule named
	// Always is Security Center's built-in Always).
	Schedule int `yaml:"schedule"`
	// Doors the rule covers; AllDoors covers every door of the world.
	Doors    []ID `yaml:"doors,omitempty"`
	AllDoors bool `yaml:"all_doors,omitempty"`
}

// GenetecGroupSpec is a cardholder group and the access rules it holds.
type GenetecGroupSpec struct {
	Name  string   `yaml:"name"`
	Rules []string `yaml:"rules,omitempty"`
}

// GenetecCardholderSpec is a cardholder and its credentials.
type GenetecCardholderSpec struct {
	FirstName   string                  `yaml:"first_name"`
	LastName    string                  `yaml:"last_name,omitempty"`
	Email       string                  `yaml:"email,omitempty"`
	Groups      []string                `yaml:"groups,omitempty"`
	Credentials []GenetecCredentialSpec `yaml:"credentials,omitempty"`
	// State is active (default) or inactive.
	State string `yaml:"state,omitempty"`
}

// GenetecCredentialSpec is a credential: a card in one of the built-in
// formats ("Standard 26 bits", "HID H10306 34 Bits", "CSN 32 Bits", …) or a
// keypad PIN.
type GenetecCredentialSpec struct {
	Name     string `yaml:"name,omitempty"`
	Format   string `yaml:"format"`
	Facility uint64 `yaml:"facility,omitempty"`
	Card     uint64 `yaml:"card,omitempty"`
	PIN      string `yaml:"pin,omitempty"`
	// State is active (default), inactive, lost or stolen.
	State string `yaml:"state,omitempty"`
}

// GenetecDevAppID is Genetec's public development application ID (part
// GSC-SDK), the default of its samples and Postman collection.
const GenetecDevAppID = "KxsD11z743Hf5Gq9mv3+5ekxzemlCiUXkTFY5ba1NOGcLCmGstt2n0zYE9NsNimv"

// GenetecVisitorsAppID is the application ID of pacsim's visitor connector,
// licensed by part GSC-1SDK-TRACTIONGUEST-VM.
const GenetecVisitorsAppID = "pacsim-visitors"
