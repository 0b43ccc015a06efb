package sim

import _ "embed"

//go:embed sites/default.yaml
var defaultSite []byte

// DefaultSiteYAML returns the embedded default site file.
func DefaultSiteYAML() []byte { return append([]byte(nil), defaultSite...) }

// DefaultSite parses the embedded default site: one gateway, two sites, KT-400
// controllers, 8 doors, 16 inputs, 8 outputs, 50 card users. Card 100:1001
// has Full Access; card 100:1002 has Office only and PIN 12345.
func DefaultSite() *SiteFile {
	sf, err := ParseSiteFile(defaultSite)
	if err != nil {
		panic("embedded default site: " + err.Error()) // a build defect, caught by its test
	}
	return sf
}
