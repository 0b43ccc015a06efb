package sim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// SiteFileVersion is the only site file format version this build reads.
const SiteFileVersion = 1

// MaxSiteFileSize bounds what ParseSiteFile accepts, so a wrong path (a
// database dump, say) fails fast instead of eating memory.
const MaxSiteFileSize = 256 << 20

// ErrSiteFile is wrapped by every error about a site file's content.
var ErrSiteFile = errors.New("site file")

// SiteFile describes a simulated installation: its hardware, the schedules,
// card types, access levels and card users of its access control database,
// and the settings of each head-end. It is read from YAML or strict JSON
// and documented in SITEFILE.md.
type SiteFile struct {
	// Version of the format; must be SiteFileVersion.
	Version int `yaml:"version"`
	// Name of the installation; it seeds the components' GUIDs.
	Name string `yaml:"name"`
	// TimeZone is an IANA zone name; schedules are evaluated in it. Default UTC.
	TimeZone string `yaml:"timezone,omitempty"`
	// Start is where the manual clock starts, "2006-01-02 15:04:05" in the
	// site's zone. Default Monday 2026-01-05 09:00:00.
	Start string `yaml:"start,omitempty"`
	// JournalRetention is how many events the journal keeps (default 1,000,000).
	JournalRetention int `yaml:"journal_retention,omitempty"`

	Gateways     []GatewaySpec     `yaml:"gateways"`
	Schedules    []ScheduleSpec    `yaml:"schedules,omitempty"`
	CardTypes    []CardTypeSpec    `yaml:"card_types,omitempty"`
	AccessLevels []AccessLevelSpec `yaml:"access_levels,omitempty"`
	Users        []UserSpec        `yaml:"users,omitempty"`

	// EntraPass holds the simulated EntraPass server's own settings.
	EntraPass EntraPassSpec `yaml:"entrapass,omitempty"`
	// Genetec holds the simulated Genetec Security Center's own settings
	// and its access control database.
	Genetec GenetecSpec `yaml:"genetec,omitempty"`
}

// GatewaySpec is a gateway and the sites behind it.
type GatewaySpec struct {
	ID    ID         `yaml:"id"`
	Name  string     `yaml:"name"`
	Sites []SiteSpec `yaml:"sites"`
}

// SiteSpec is an EntraPass site (GatewaySite): a group of controllers.
type SiteSpec struct {
	ID          ID               `yaml:"id"`
	Name        string           `yaml:"name"`
	Controllers []ControllerSpec `yaml:"controllers"`
}

// ControllerSpec is a door controller and what is wired to it.
type ControllerSpec struct {
	ID   ID     `yaml:"id"`
	Name string `yaml:"name"`
	// Model is one of KT-1, KT-2, KT-100, KT-200, KT-300, KT-400; it bounds
	// how many doors, inputs and outputs the controller takes.
	Model   string       `yaml:"model"`
	Doors   []DoorSpec   `yaml:"doors,omitempty"`
	Inputs  []InputSpec  `yaml:"inputs,omitempty"`
	Outputs []OutputSpec `yaml:"outputs,omitempty"`
}

// DoorSpec is a door with its lock, contact and one or two readers.
type DoorSpec struct {
	ID   ID     `yaml:"id"`
	Name string `yaml:"name"`
	// UnlockTime is how long a grant keeps the door unlocked if nobody opens
	// it (default 5s).
	UnlockTime Duration `yaml:"unlock_time,omitempty"`
	// OpenTime is how long the door may stay open before it is open too long
	// (default 30s).
	OpenTime Duration `yaml:"open_time,omitempty"`
	// Prealarm is how long before OpenTime the pre-alarm sounds (default
	// 10s, and always less than OpenTime).
	Prealarm Duration `yaml:"prealarm,omitempty"`
	// UnlockSchedule is the id of a schedule during which the door stays
	// unlocked; 0 for none.
	UnlockSchedule int          `yaml:"unlock_schedule,omitempty"`
	Readers        []ReaderSpec `yaml:"readers"`
}

// ReaderSpec is a card reader, with or without a keypad.
type ReaderSpec struct {
	ID     ID     `yaml:"id"`
	Name   string `yaml:"name"`
	Keypad bool   `yaml:"keypad,omitempty"`
}

// InputSpec is a supervised input (door contact, motion sensor, button…).
type InputSpec struct {
	ID   ID     `yaml:"id"`
	Name string `yaml:"name"`
}

// OutputSpec is a relay or auxiliary output.
type OutputSpec struct {
	ID   ID     `yaml:"id"`
	Name string `yaml:"name"`
}

// ScheduleSpec is a weekly schedule.
type ScheduleSpec struct {
	ID   int    `yaml:"id"`
	Name string `yaml:"name"`
	// Site owns the schedule (EntraPass schedules are per site); 0 for all.
	Site      ID             `yaml:"site,omitempty"`
	Intervals []IntervalSpec `yaml:"intervals"`
}

// IntervalSpec is a daily time range on some days of the week.
type IntervalSpec struct {
	// Days are mon, tue, wed, thu, fri, sat, sun (or "all").
	Days []string `yaml:"days"`
	// Start and End are HH:MM in the site's zone; End may be 24:00.
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// CardTypeSpec is an EntraPass card type (Employee, Contractor…).
type CardTypeSpec struct {
	ID   int    `yaml:"id"`
	Name string `yaml:"name"`
}

// AccessLevelSpec grants the doors of one site, each during a schedule.
type AccessLevelSpec struct {
	ID    int              `yaml:"id"`
	Name  string           `yaml:"name"`
	Site  ID               `yaml:"site"`
	Doors []DoorAccessSpec `yaml:"doors"`
	// CardTypes, when set, are the only card types this level admits.
	CardTypes []int `yaml:"card_types,omitempty"`
}

// DoorAccessSpec is one door of an access level and when it is valid.
type DoorAccessSpec struct {
	Door     ID  `yaml:"door"`
	Schedule int `yaml:"schedule"`
}

// UserSpec is a card user with up to five cards.
type UserSpec struct {
	ID    int        `yaml:"id"`
	Name  string     `yaml:"name"`
	Email string     `yaml:"email,omitempty"`
	Cards []CardSpec `yaml:"cards"`
	// PIN is the optional 5-digit access code asked by keypad readers.
	PIN string `yaml:"pin,omitempty"`
	// AccessLevels are access level ids, at most one per site.
	AccessLevels []int `yaml:"access_levels,omitempty"`
	// Start and End bound the user's validity ("2006-01-02" or
	// "2006-01-02 15:04:05"); empty for none.
	Start string `yaml:"start,omitempty"`
	End   string `yaml:"end,omitempty"`
	// Badging is the badge layout (template) id.
	Badging int `yaml:"badging,omitempty"`
}

// CardSpec is one card of a user.
type CardSpec struct {
	// Number as displayed, facility:number in decimal ("100:1001").
	Number string `yaml:"number"`
	// Type is a card type id; 0 for the default card type.
	Type int `yaml:"type,omitempty"`
	// State is valid (default), invalid, lost-stolen.
	State string `yaml:"state,omitempty"`
}

// EntraPassSpec configures the simulated EntraPass server.
type EntraPassSpec struct {
	// ServerVersion is major.minor.revision.build (default 8.10.0.1234).
	ServerVersion string `yaml:"server_version,omitempty"`
	// Edition is Global, Corporate or Special (default Global).
	Edition string `yaml:"edition,omitempty"`
	// Licences are the connect options held: E-GLOB-CONNECT, E-COR-CONNECT.
	Licences []string `yaml:"licences,omitempty"`
	// CorporateIntegrationID is the integration id E-COR-CONNECT accepts.
	CorporateIntegrationID int `yaml:"corporate_integration_id,omitempty"`
	// SystemName is the SystemName the login answer carries.
	SystemName string `yaml:"system_name,omitempty"`
	// DefaultCardType is the card type of a card created without one.
	DefaultCardType int `yaml:"default_card_type,omitempty"`
	// EventBatch is the most rows one Events answer carries (default 1000).
	EventBatch int            `yaml:"event_batch,omitempty"`
	Operators  []OperatorSpec `yaml:"operators,omitempty"`
}

// OperatorSpec is an EntraPass operator account.
type OperatorSpec struct {
	ID       int    `yaml:"id"`
	Name     string `yaml:"name"`
	Password string `yaml:"password"`
	// Disabled operators cannot log in.
	Disabled bool `yaml:"disabled,omitempty"`
	// PasswordExpires is the date the password stops working, if any.
	PasswordExpires string `yaml:"password_expires,omitempty"`
	// MaxSessions is the operator's concurrent login limit (default 5).
	MaxSessions int `yaml:"max_sessions,omitempty"`
	// Rights are the SmartLink API rights the operator holds, among
	// EntraPassRights; none listed (nil) means all of them. The login
	// answer says True for these, False for the others.
	Rights []string `yaml:"rights,omitempty"`
}

// EntraPassRights are the operator rights a login answer lists, with the
// names the EntraPass GO app's LoginXmlHandler reads (reference §2.2).
// CardRight is the right to create, modify and delete card users.
var EntraPassRights = []string{
	"CardRight", "DoorOperationRight", "RelayOperationRight", "InputOperationRight",
	"AccessLevelRight", "ScheduleRight", "ReportRight", "DOORRIGHTUNLOCKSCHEDULE",
}

// Duration is a time.Duration written as a Go duration string ("5s").
type Duration time.Duration

// D returns the duration as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalYAML writes the duration as a string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// UnmarshalYAML reads a Go duration string, or an integer of seconds.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	// No line in these messages: the site file's shape check adds the
	// field path and the line.
	var s string
	if n.Kind != yaml.ScalarNode || n.Decode(&s) != nil {
		return fmt.Errorf("want a duration such as \"5s\" or \"2m\", got %s", got(n))
	}
	if v, err := time.ParseDuration(s); err == nil {
		*d = Duration(v)
		return nil
	}
	var secs int64
	if err := n.Decode(&secs); err == nil {
		*d = Duration(time.Duration(secs) * time.Second)
		return nil
	}
	return fmt.Errorf("want a duration such as \"5s\" or \"2m\", got %q", s)
}

// JournalRetentionOrDefault is how many events the site's journal keeps.
func (sf *SiteFile) JournalRetentionOrDefault() int {
	if sf.JournalRetention > 0 {
		return sf.JournalRetention
	}
	return DefaultRetention
}

// LoadSiteFile reads, parses and validates the site file at path.
func LoadSiteFile(path string) (*SiteFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSiteFileSize+1))
	if err != nil {
		return nil, err
	}
	sf, err := parseSiteFile(data, strings.EqualFold(filepath.Ext(path), ".json"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sf, nil
}

// ParseSiteFile parses and validates a site file in YAML or JSON: content
// that starts with "{" is JSON, and held to JSON's syntax (no trailing
// comma, no comment), the way encoding/json reads it. Unknown keys are
// errors, so a misspelt option is never silently ignored; a value of the
// wrong type is named by its field path and line.
func ParseSiteFile(data []byte) (*SiteFile, error) { return parseSiteFile(data, false) }

// parseSiteFile is ParseSiteFile; isJSON holds data to JSON whatever it
// starts with (a .json file).
func parseSiteFile(data []byte, isJSON bool) (*SiteFile, error) {
	return parseSiteFileFrom(data, isJSON, sectionedMin)
}

// parseSiteFileFrom is parseSiteFile reading YAML of sectioned bytes or
// more by sections (a test lowers it).
func parseSiteFileFrom(data []byte, isJSON bool, sectioned int) (*SiteFile, error) {
	if len(data) > MaxSiteFileSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrSiteFile, MaxSiteFileSize)
	}
	// Both forms become one YAML node tree, so that they share their
	// types, defaults and messages; JSON is read as JSON, since YAML would
	// take what JSON refuses (a trailing comma) and refuse what it takes.
	var sf *SiteFile
	var err error
	switch {
	case isJSON || looksJSON(data):
		if err := checkJSON(data); err != nil {
			return nil, err
		}
		var doc *yaml.Node
		if doc, err = jsonNode(data); err == nil {
			sf, err = decodeDoc(doc)
		}
	case len(data) >= sectioned:
		var ok bool
		if sf, ok = parseSections(data, sectionChunk); !ok {
			sf, err = readYAML(data)
		}
	default:
		sf, err = readYAML(data)
	}
	if err != nil {
		return nil, err
	}
	if err := sf.Validate(); err != nil {
		return nil, err
	}
	return sf, nil
}

// readYAML reads a YAML site file whole, unvalidated.
func readYAML(data []byte) (*SiteFile, error) {
	doc, err := yamlNode(data)
	if err != nil {
		return nil, err
	}
	return decodeDoc(doc)
}

// decodeDoc checks a site file's tree and decodes it, unvalidated.
func decodeDoc(doc *yaml.Node) (*SiteFile, error) {
	if err := checkShape(doc, reflect.TypeFor[SiteFile]()); err != nil {
		return nil, err
	}
	var sf SiteFile
	if err := doc.Decode(&sf); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSiteFile, err) // checkShape lets nothing through that fails here
	}
	return &sf, nil
}

// yamlNode reads a YAML site file: one document.
func yamlNode(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%w: empty", ErrSiteFile)
		}
		return nil, fmt.Errorf("%w: %v", ErrSiteFile, err)
	}
	// A second document would be silently ignored: refuse it instead.
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: only one YAML document is allowed (found more after the first)", ErrSiteFile)
	}
	return &doc, nil
}

// Marshal writes the site file as YAML. The output is deterministic, so the
// same site always gives the same bytes.
func (sf *SiteFile) Marshal() ([]byte, error) {
	var b bytes.Buffer
	if err := sf.Encode(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// encodeChunk is how many elements of a list Encode hands the YAML encoder
// at a time.
const encodeChunk = 512

// Encode writes the site file as YAML to w: the bytes of Marshal. The YAML
// encoder builds a tree of all it is given before writing a byte, which
// for a million card users was 24 GB and minutes; so each top-level key is
// encoded on its own and a long list a chunk of elements at a time, each
// at the place the whole document would put it, and the memory is one
// chunk's.
func (sf *SiteFile) Encode(w io.Writer) error {
	v := reflect.ValueOf(sf).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		// A document of this one key, as the whole file's encoder would
		// write it: same tag, same options.
		one := reflect.StructOf([]reflect.StructField{{Name: f.Name, Type: f.Type, Tag: f.Tag}})
		doc := reflect.New(one).Elem()
		fv := v.Field(i)
		if f.Type.Kind() != reflect.Slice || fv.Len() == 0 {
			doc.Field(0).Set(fv)
			if err := encodeKey(w, doc.Addr().Interface(), false); err != nil {
				return err
			}
			continue
		}
		// A gateway of 2,000 doors is a chunk alone; card users go by
		// the hundred.
		chunk := max(1, encodeChunk/nested(fv.Index(0)))
		for lo := 0; lo < fv.Len(); lo += chunk {
			doc.Field(0).Set(fv.Slice(lo, min(lo+chunk, fv.Len())))
			// After the first chunk the key is written; the next ones
			// continue its list.
			if err := encodeKey(w, doc.Addr().Interface(), lo > 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// nested counts the elements of the lists within v, at every depth, and
// v itself: a measure of the tree the YAML encoder builds for it.
func nested(v reflect.Value) int {
	n := 1
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				n += nested(v.Field(i)) - 1
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			n += nested(v.Index(i))
		}
	}
	return n
}

// encodeKey writes doc, a struct of one field, as YAML: nothing when the
// field is omitted, its elements alone when elementsOnly.
func encodeKey(w io.Writer, doc any, elementsOnly bool) error {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	out := b.Bytes()
	if bytes.Equal(out, []byte("{}\n")) {
		return nil // omitempty left nothing
	}
	if elementsOnly {
		_, out, _ = bytes.Cut(out, []byte("\n"))
	}
	_, err := w.Write(out)
	return err
}
