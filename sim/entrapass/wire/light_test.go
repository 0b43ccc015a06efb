package wire

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const nsAttrs = ` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"`

func TestWriteLightGolden(t *testing.T) {
	tests := []struct {
		typ   string
		items []Light
		want  string
	}{
		{
			LightGatewaySite,
			[]Light{{ID: 1, Description: "Head office", Owner: 0}, {ID: 2, Description: "Warehouse", Description2: "Entrepôt", Owner: 0}},
			`<ArrayOfLightComponentOfGatewaySite` + nsAttrs + `>` +
				`<LightComponentOfGatewaySite><Object>GatewaySite</Object><ID>1</ID><Description>Head office</Description><Description2></Description2><Owner>0</Owner></LightComponentOfGatewaySite>` +
				`<LightComponentOfGatewaySite><Object>GatewaySite</Object><ID>2</ID><Description>Warehouse</Description><Description2>Entrepôt</Description2><Owner>0</Owner></LightComponentOfGatewaySite>` +
				`</ArrayOfLightComponentOfGatewaySite>`,
		},
		{
			LightRelay,
			[]Light{{ID: 301, Description: "Siren & strobe", Owner: 2}},
			`<ArrayOfLightComponentOfRelay` + nsAttrs + `>` +
				`<LightComponentOfRelay><Object>Relay</Object><ID>301</ID><Description>Siren &amp; strobe</Description><Description2></Description2><Owner>2</Owner></LightComponentOfRelay>` +
				`</ArrayOfLightComponentOfRelay>`,
		},
		{
			LightSchedule,
			nil,
			`<ArrayOfLightComponentOfSchedule` + nsAttrs + `></ArrayOfLightComponentOfSchedule>`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			assert.Equal(t, tt.want, string(WriteLight(nil, tt.typ, tt.items)))
		})
	}
}

func TestWriteLightAppends(t *testing.T) {
	got := WriteLight([]byte("prefix"), LightSite, nil)
	assert.Equal(t, "prefix<ArrayOfLightComponentOfSite"+nsAttrs+"></ArrayOfLightComponentOfSite>", string(got))
}

func TestLightRoundTrip(t *testing.T) {
	for _, typ := range []string{LightGatewaySite, LightSite, LightRelay, LightInput, LightAccessLevel, LightSchedule} {
		items := []Light{{ID: 69, Description: "All doors <24h>", Description2: "Toutes", Owner: 2}, {ID: 70, Owner: 2}}
		gotTyp, got, err := ParseLight(WriteLight(nil, typ, items))
		require.NoError(t, err, typ)
		assert.Equal(t, typ, gotTyp)
		assert.Equal(t, items, got)
	}
}

func TestParseLightPositionsForPositionalClients(t *testing.T) {
	// The Airflow client reads children [1] ID, [2] Description, [4] Owner.
	doc := WriteLight(nil, LightAccessLevel, []Light{{ID: 69, Description: "Staff", Owner: 2}})
	assert.Contains(t, string(doc), `<LightComponentOfAccessLevel><Object>AccessLevel</Object><ID>69</ID><Description>Staff</Description><Description2></Description2><Owner>2</Owner></LightComponentOfAccessLevel>`)
}

func TestParseLightWCFSuffixAndOrder(t *testing.T) {
	doc := `<?xml version="1.0"?><ArrayOfLightComponentOfSite_PSiM4RF8>
	<LightComponentOfSite_PSiM4RF8><Owner>1</Owner><Description>Lab</Description><ID> 7 </ID><Extra>x</Extra></LightComponentOfSite_PSiM4RF8>
	</ArrayOfLightComponentOfSite_PSiM4RF8>`
	typ, items, err := ParseLight([]byte(doc))
	require.NoError(t, err)
	assert.Equal(t, LightSite, typ)
	assert.Equal(t, []Light{{ID: 7, Description: "Lab", Owner: 1}}, items)
}

func TestParseLightRejects(t *testing.T) {
	tests := map[string]string{
		"wrong root":    `<ArrayOfSmartLinkDataRow/>`,
		"bare prefix":   `<ArrayOfLightComponentOf/>`,
		"bad ID":        `<ArrayOfLightComponentOfSite><LightComponentOfSite><ID>seven</ID></LightComponentOfSite></ArrayOfLightComponentOfSite>`,
		"bad Owner":     `<ArrayOfLightComponentOfSite><LightComponentOfSite><Owner>99999999999</Owner></LightComponentOfSite></ArrayOfLightComponentOfSite>`,
		"unclosed":      `<ArrayOfLightComponentOfSite><LightComponentOfSite>`,
		"nested in ID":  `<ArrayOfLightComponentOfSite><LightComponentOfSite><ID><x/></ID></LightComponentOfSite></ArrayOfLightComponentOfSite>`,
		"empty":         ``,
		"text in items": `<ArrayOfLightComponentOfSite>text</ArrayOfLightComponentOfSite>`,
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, err := ParseLight([]byte(doc))
			assert.Error(t, err)
		})
	}
}

func TestParseLightReturnsFault(t *testing.T) {
	_, _, err := ParseLight(ComponentNotExist("9").Marshal())
	var f *Fault
	require.ErrorAs(t, err, &f)
	assert.Equal(t, CodeComponentNotExist, f.Message)
}
