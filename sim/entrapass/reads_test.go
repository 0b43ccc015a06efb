package entrapass

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

// light writes a golden ArrayOfLightComponentOf<typ>; items are
// id, description, owner triples.
func light(typ string, items ...any) string {
	var b strings.Builder
	b.WriteString("<ArrayOfLightComponentOf" + typ + " " + xsiXsd + ">")
	for i := 0; i+2 < len(items); i += 3 {
		fmt.Fprintf(&b, "<LightComponentOf%s><Object>%s</Object><ID>%d</ID><Description>%s</Description><Description2></Description2><Owner>%d</Owner></LightComponentOf%s>",
			typ, typ, items[i], items[i+1], items[i+2], typ)
	}
	b.WriteString("</ArrayOfLightComponentOf" + typ + ">")
	return b.String()
}

func doorRow(id int, name string) string {
	return row("PKDATA", fmt.Sprint(id), "DESCRIPTION", name, "KTTYPE", "KT400")
}

func TestReadsGolden(t *testing.T) {
	s := newSite(t)
	key := s.login()
	officeDoors := []string{doorRow(20, "Front Door"), doorRow(21, "Office Door"), doorRow(22, "Server Room"), doorRow(23, "Back Door")}
	shopDoors := []string{doorRow(24, "Shop Front"), doorRow(25, "Shop Back"), doorRow(26, "Warehouse"), doorRow(27, "Loading Dock")}
	for _, tc := range []struct{ path, want string }{
		{"GatewaysSites", light("GatewaySite", 2, "Office", 1, 3, "Shop", 1)},
		{"Sites/2/Relays", light("Relay", 70, "Front Door Buzzer", 2, 71, "Office Siren", 2, 72, "Office Strobe", 2, 73, "Server Room Fan", 2)},
		{"Sites/3/Relays", light("Relay", 74, "Shop Front Buzzer", 3, 75, "Shop Siren", 3, 76, "Warehouse Light", 3, 77, "Loading Dock Light", 3)},
		{"Sites/2/Inputs", light("Input", 50, "Front Door REX", 2, 51, "Back Door REX", 2, 52, "Office Motion", 2, 53, "Server Room Motion", 2,
			54, "Office Window", 2, 55, "Server Room Smoke", 2, 56, "Office Panic Button", 2, 57, "Office Glass Break", 2)},
		{"Sites/2/AccessLevels", light("AccessLevel", 100, "Office only", 2, 101, "Full Access", 2)},
		{"Sites/3/AccessLevels", light("AccessLevel", 102, "Shop only", 3, 103, "Full Access", 3)},
		{"Sites/2/Schedules", light("Schedule", 80, "Always", 0, 81, "Business hours", 0)},
		{"AccessLevels", light("AccessLevel", 100, "Office only", 2, 101, "Full Access", 2, 102, "Shop only", 3, 103, "Full Access", 3)},
		{"AccessLevels/100", "<AccessLevel><ID>100</ID><GatewaySiteID>2</GatewaySiteID><AllValid>False</AllValid>" +
			"<PrimaryName>Office only</PrimaryName><SecondaryName></SecondaryName><AccessLevelItems>" +
			"<AccessLevelItem><DoorID>20</DoorID><ScheduleID>81</ScheduleID></AccessLevelItem>" +
			"<AccessLevelItem><DoorID>21</DoorID><ScheduleID>81</ScheduleID></AccessLevelItem>" +
			"<AccessLevelItem><DoorID>23</DoorID><ScheduleID>81</ScheduleID></AccessLevelItem>" +
			"</AccessLevelItems><State>Unchanged</State></AccessLevel>"},
		{"GetListOwnerBy?ownerID=2&componentID=door&subComponentID=&listFilter=&includeUndefined=&extraFields=elevatorcab&singleDoor=1", table(officeDoors...)},
		{"GetListOwnerBy?ownerID=3&componentID=DOOR", table(shopDoors...)},
		{"GetListOwnerBy?ownerID=1&componentID=door", table(append(officeDoors, shopDoors...)...)},
		{"GetListOwnerBy?componentID=door", table(append(officeDoors, shopDoors...)...)},
		{"Doors", table(append(officeDoors, shopDoors...)...)},
		{"Doors/21?shortReturn=0", "<Door><ID>21</ID><Description>Office Door</Description><Description2></Description2>" +
			"<KTType>KT400</KTType><GatewaySiteID>2</GatewaySiteID><FKController>10</FKController><DoorLockMode>0</DoorLockMode>" +
			"<UnlockTime>5</UnlockTime><OpenTime>30</OpenTime><FKUnlockSchedule>0</FKUnlockSchedule><State>Unchanged</State></Door>"},
		{"CardTypes", table(row("PKDATA", "90", "OWNER", "0", "DESCRIPTION", "Employee"),
			row("PKDATA", "91", "OWNER", "0", "DESCRIPTION", "Contractor"), row("PKDATA", "92", "OWNER", "0", "DESCRIPTION", "Visitor"))},
		{"ComponentFullStatus/20", `<ArrayOfLineStatus ` + xsiXsd + `><LineStatus><Status>Door Front Door</Status></LineStatus>` +
			`<LineStatus><Status>Lock: locked</Status></LineStatus><LineStatus><Status>Contact: closed</Status></LineStatus>` +
			`<LineStatus><Status>Reader Front Door entry: enabled</Status></LineStatus><LineStatus><Status>Reader Front Door exit: enabled</Status></LineStatus>` +
			`<LineStatus><Status>Controller Office Controller: online</Status></LineStatus></ArrayOfLineStatus>`},
		{"LastDoorAccess?id=20", table()},
		{"CardPictures/200", "<CardPicture><ID>200</ID><Picture></Picture></CardPicture>"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			require.Equal(t, tc.want, s.get(with(tc.path, key)))
		})
	}
}

func TestComponentFullStatusOfEveryKind(t *testing.T) {
	s := newSite(t)
	key := s.login()
	for _, id := range []int{1, 2, 10, 20, 30, 50, 70} {
		body := s.get(with(fmt.Sprintf("ComponentFullStatus/%d", id), key))
		require.True(t, strings.HasPrefix(body, "<ArrayOfLineStatus "), body)
		require.Contains(t, body, "<LineStatus><Status>", body)
	}
	requireFault(t, s.get(with("ComponentFullStatus/999", key)), wire.CodeComponentNotExist, "999")
}

func TestReadFaults(t *testing.T) {
	s := newSite(t)
	key := s.login()
	for _, tc := range []struct {
		path, code string
		words      []string
	}{
		{"Sites/999/Relays", wire.CodeComponentNotExist, []string{"999"}},
		{"Sites/20/Inputs", wire.CodeComponentNotExist, []string{"20"}},
		{"Sites/abc/AccessLevels", wire.CodeInvalidParameter, []string{"id", "abc"}},
		{"Sites/99999999999/Schedules", wire.CodeInvalidParameter, []string{"id", "out of range"}},
		{"AccessLevels/999", wire.CodeComponentNotExist, nil},
		{"AccessLevels/x", wire.CodeInvalidParameter, []string{"id"}},
		{"Doors/70", wire.CodeComponentNotExist, []string{"70"}},
		{"Doors/-1", wire.CodeComponentNotExist, nil},
		{"GetListOwnerBy?ownerID=2", wire.CodeInvalidParameter, []string{"componentID"}},
		{"GetListOwnerBy?ownerID=2&componentID=relay", wire.CodeInvalidParameter, []string{"componentID", "relay"}},
		{"GetListOwnerBy?ownerID=x&componentID=door", wire.CodeInvalidParameter, []string{"ownerID"}},
		{"GetListOwnerBy?ownerID=20&componentID=door", wire.CodeComponentNotExist, []string{"20"}},
		{"LastDoorAccess", wire.CodeInvalidParameter, []string{"id"}},
		{"LastDoorAccess?id=x", wire.CodeInvalidParameter, []string{"id"}},
		{"LastDoorAccess?id=0", wire.CodeInvalidParameter, []string{"id"}},
		{"LastDoorAccess?id=70", wire.CodeComponentNotExist, []string{"70", "not a door"}},
		{"LastDoorAccess?id=999", wire.CodeComponentNotExist, []string{"999"}},
		{"Cards/999", wire.CodeComponentNotExist, []string{"999"}},
		{"Cards/abc", wire.CodeInvalidParameter, []string{"id"}},
		{"CardPictures/999", wire.CodeComponentNotExist, []string{"999"}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			requireFault(t, s.get(with(tc.path, key)), tc.code, tc.words...)
		})
	}
}

func TestXMLDeclarationOption(t *testing.T) {
	s := newSite(t, WithXMLDeclaration(true))
	key := s.login()
	require.True(t, strings.HasPrefix(s.get(with("CardTypes", key)), `<?xml version="1.0" encoding="utf-8"?><ArrayOfSmartLinkDataRow `))
	require.True(t, strings.HasPrefix(s.get(with("GatewaysSites", key)), `<?xml version="1.0" encoding="utf-8"?><ArrayOfLightComponentOfGatewaySite `))
	// Only the ArrayOf… answers: <Card>, <Operator> and faults have none.
	require.True(t, strings.HasPrefix(s.get(with("Cards/200", key)), "<Card>"))
	require.True(t, strings.HasPrefix(s.get(with("Cards/999", key)), "<StandardFault "))
	// It still parses.
	rows(t, s.get(with("CardTypes", key)))
	code, _ := s.do(http.MethodGet, with("CardTypes", key), "")
	require.Equal(t, http.StatusOK, code)
}

func TestFaultGolden(t *testing.T) {
	s := newSite(t)
	key := s.login()
	want := `<StandardFault xmlns="http://schemas.datacontract.org/2004/07/Kantech.SmartLinkSDK" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">` +
		`<FirstLanguageErrorDescription>Component 999 does not exist.</FirstLanguageErrorDescription><Message>COMPONENT_NOT_EXIST</Message>` +
		`<SecondLanguageErrorDescription>Component 999 does not exist.</SecondLanguageErrorDescription><VisibleMessage>Component 999 does not exist.</VisibleMessage></StandardFault>`
	require.Equal(t, want, s.get(with("Doors/999", key)))
	require.NoError(t, s.w.CutController(ctrlOffice))
	f := requireFault(t, s.put(with("LockDoor?id=21", key), ""), CodeComponentNotReachable)
	require.Equal(t, f.VisibleMessage, f.FirstLanguageErrorDescription)
	require.Equal(t, f.VisibleMessage, f.SecondLanguageErrorDescription)
}

func TestRecovererAnswersAFault(t *testing.T) {
	h := recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/SmartService/CardTypes", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	requireFault(t, rec.Body.String(), CodeInternalError, "boom")
}
