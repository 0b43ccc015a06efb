package entrapass

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

func TestLoginPlainAnswersOperator(t *testing.T) {
	s := newSite(t)
	body := s.get("Login?userName=pacsim&password=pacsim")
	key := sessionKey(t, body)
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, key)
	want := "<Operator><SessionKey>" + key + "</SessionKey><OperatorName>pacsim</OperatorName>" +
		"<ServerVersion>8.10.0.1234</ServerVersion><SmartlinkVersion>8.10.0.1234</SmartlinkVersion>" +
		"<SmartServiceVersion>8.10.0.1234</SmartServiceVersion><UTCDateTime>2026-01-05 09:00:00</UTCDateTime>" +
		"<DateFormat>yyyy-MM-dd</DateFormat><TimeFormat>HH:mm:ss</TimeFormat><SystemName>PACSIM</SystemName>" +
		"<DefaultCardType>90</DefaultCardType><PINLength>5</PINLength>" +
		"<CardRight>True</CardRight><DoorOperationRight>True</DoorOperationRight>" +
		"<RelayOperationRight>True</RelayOperationRight><InputOperationRight>True</InputOperationRight>" +
		"<AccessLevelRight>True</AccessLevelRight><ScheduleRight>True</ScheduleRight>" +
		"<ReportRight>True</ReportRight><DOORRIGHTUNLOCKSCHEDULE>True</DOORRIGHTUNLOCKSCHEDULE></Operator>"
	require.Equal(t, want, body)
	// planqr's regex.
	require.Equal(t, key, regexp.MustCompile(`SessionKey>([^<]+)<`).FindStringSubmatch(body)[1])
	// The key works.
	require.Contains(t, s.get(with("CardTypes", key)), "Employee")
}

func TestLoginHeaders(t *testing.T) {
	s := newSite(t)
	resp, err := s.ts.Client().Get(s.base + "Login?userName=pacsim&password=pacsim")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, "application/xml; charset=utf-8", resp.Header.Get("Content-Type"))
}

func TestLoginFaults(t *testing.T) {
	s := newSite(t)
	for _, tc := range []struct {
		name, query, code string
		words             []string
	}{
		{"wrong password", "userName=pacsim&password=nope", wire.CodeErrorLogin, []string{"user name or password"}},
		{"unknown user", "userName=nobody&password=pacsim", wire.CodeErrorLogin, []string{"user name or password"}},
		{"empty user", "userName=&password=", wire.CodeErrorLogin, nil},
		{"disabled", "userName=disabled&password=disabled", wire.CodeErrorLogin, []string{"disabled"}},
		{"password expired", "userName=expired&password=expired", wire.CodeErrorLogin, []string{"expired", "2025-12-31"}},
		{"wrong password of a disabled operator says nothing more", "userName=disabled&password=x", wire.CodeErrorLogin, []string{"user name or password"}},
		{"missing userName", "password=pacsim", wire.CodeInvalidParameter, []string{"userName"}},
		{"missing password", "userName=pacsim", wire.CodeInvalidParameter, []string{"password"}},
		{"bad encrypted flag", "userName=pacsim&password=pacsim&encrypted=yes", wire.CodeInvalidParameter, []string{"encrypted"}},
		{"plain credentials sent as encrypted", "userName=pacsim&password=pacsim&encrypted=1", wire.CodeErrorLogin, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			requireFault(t, s.get("Login?"+tc.query), tc.code, tc.words...)
		})
	}
}

func TestLoginNamesCompareCaseInsensitively(t *testing.T) {
	s := newSite(t)
	sessionKey(t, s.get("LOGIN?USERNAME=PacSim&PASSWORD=pacsim"))
	// The password does not.
	requireFault(t, s.get("Login?userName=pacsim&password=PACSIM"), wire.CodeErrorLogin)
}

// encLogin builds the query of an encrypted login the way the public
// clients do (kantech-gateway's KantechApi.cs): userName=Enc(lower(user),
// pwd), password=Enc(pwd, pwd), ConnectedProgram=Enc("<id>,<guid>", pwd),
// each URL-encoded.
func encLogin(user, pwd, program string) string {
	q := "Login?userName=" + url.QueryEscape(wire.Encrypt(strings.ToLower(user), pwd)) +
		"&password=" + url.QueryEscape(wire.Encrypt(pwd, pwd)) + "&encrypted=1"
	if program != "" {
		q += "&ConnectedProgram=" + url.QueryEscape(wire.Encrypt(program, pwd))
	}
	return q
}

func TestLoginEncrypted(t *testing.T) {
	s := newSite(t)
	guid := newGUID()
	key := sessionKey(t, s.get(encLogin("PACSIM", "pacsim", "56,"+guid)))
	require.Contains(t, s.get(with("CardTypes", key)), "Employee")

	t.Run("the same GUID again is refused", func(t *testing.T) {
		requireFault(t, s.get(encLogin("pacsim", "pacsim", "56,"+guid)), wire.CodeUnknownWebSDKID, "GUID")
	})
	t.Run("an unlicensed integration is refused", func(t *testing.T) {
		requireFault(t, s.get(encLogin("pacsim", "pacsim", "57,"+newGUID())), wire.CodeUnknownWebSDKID, "not licensed")
	})
	t.Run("a ConnectedProgram without GUID is refused", func(t *testing.T) {
		requireFault(t, s.get(encLogin("pacsim", "pacsim", "56")), wire.CodeUnknownWebSDKID)
	})
	t.Run("a ConnectedProgram not encrypted with the key is refused", func(t *testing.T) {
		q := encLogin("pacsim", "pacsim", "") + "&ConnectedProgram=" + url.QueryEscape(wire.Encrypt("56,"+newGUID(), "other"))
		requireFault(t, s.get(q), wire.CodeUnknownWebSDKID)
	})
	t.Run("without ConnectedProgram", func(t *testing.T) {
		sessionKey(t, s.get(encLogin("pacsim", "pacsim", "")))
	})
	t.Run("Base64 whose + arrived as spaces", func(t *testing.T) {
		// Find a GUID whose encryption contains '+', and send it without
		// URL-encoding: form decoding turns '+' into ' '.
		var program, enc string
		for i := 0; i < 1000 && !strings.Contains(enc, "+"); i++ {
			program = "56," + newGUID()
			enc = wire.Encrypt(program, "pacsim")
		}
		require.Contains(t, enc, "+")
		q := encLogin("pacsim", "pacsim", "") + "&ConnectedProgram=" + enc
		sessionKey(t, s.get(q))
	})
	t.Run("wrong password", func(t *testing.T) {
		q := "Login?userName=" + url.QueryEscape(wire.Encrypt("pacsim", "pacsim")) +
			"&password=" + url.QueryEscape(wire.Encrypt("wrong", "pacsim")) + "&encrypted=1"
		requireFault(t, s.get(q), wire.CodeErrorLogin)
	})
	t.Run("disabled operator", func(t *testing.T) {
		requireFault(t, s.get(encLogin("disabled", "disabled", "")), wire.CodeErrorLogin, "disabled")
	})
	t.Run("plain login with a ConnectedProgram in clear", func(t *testing.T) {
		sessionKey(t, s.get("Login?userName=pacsim&password=pacsim&ConnectedProgram="+url.QueryEscape("56,"+newGUID())))
		requireFault(t, s.get("Login?userName=pacsim&password=pacsim&ConnectedProgram=99,abc"), wire.CodeUnknownWebSDKID)
	})
}

const corporateSite = `
version: 1
name: corporate
gateways:
  - id: 1
    name: GW
    sites:
      - id: 2
        name: Site
        controllers:
          - id: 3
            name: C
            model: KT-400
            doors:
              - id: 4
                name: D
                readers: [{id: 5, name: D entry}]
entrapass:
  edition: Corporate
  licences: [E-COR-CONNECT]
  corporate_integration_id: 1234
  operators:
    - {id: 6, name: admin, password: secret, max_sessions: 1}
`

func TestLoginCorporateLicence(t *testing.T) {
	s := newSiteYAML(t, corporateSite)
	sessionKey(t, s.get(encLogin("admin", "secret", "1234,"+newGUID())))
	// E-GLOB-CONNECT is not held: 56 is refused.
	requireFault(t, s.get(encLogin("admin", "secret", "56,"+newGUID())), wire.CodeUnknownWebSDKID, "E-COR-CONNECT accepts integration 1234")
}

func TestLoginSpecialEditionWithoutLicence(t *testing.T) {
	s := newSiteYAML(t, strings.Replace(strings.Replace(corporateSite, "licences: [E-COR-CONNECT]", "licences: []", 1), "edition: Corporate", "edition: Special", 1))
	requireFault(t, s.get(encLogin("admin", "secret", "56,"+newGUID())), wire.CodeUnknownWebSDKID, "no connect licence")
	// A plain login without ConnectedProgram is still accepted.
	sessionKey(t, s.get("Login?userName=admin&password=secret"))
}

func TestSessionLimitError72AndLogout(t *testing.T) {
	s := newSite(t)
	var keys []string
	for range 5 {
		keys = append(keys, s.login())
	}
	requireFault(t, s.get("Login?userName=pacsim&password=pacsim"), wire.CodeError72)
	require.Equal(t, 5, s.srv.Sessions())

	// Logout frees a slot.
	require.Equal(t, wire.CommandResultOK, s.get(with("Logout", keys[0])))
	requireFault(t, s.get(with("CardTypes", keys[0])), wire.CodeInvalidSessionKey, "SessionKey")
	requireFault(t, s.get(with("Logout", keys[0])), wire.CodeInvalidSessionKey)
	keys[0] = s.login()
	requireFault(t, s.get("Login?userName=pacsim&password=pacsim"), wire.CodeError72)

	// A GUID refused for the limit is not spent.
	guid := newGUID()
	requireFault(t, s.get(encLogin("pacsim", "pacsim", "56,"+guid)), wire.CodeError72)
	s.get(with("Logout", keys[1]))
	sessionKey(t, s.get(encLogin("pacsim", "pacsim", "56,"+guid)))
}

func TestSessionIdleExpiry(t *testing.T) {
	s := newSite(t)
	key := s.login()
	s.advance(30*time.Minute - time.Second)
	s.get(with("CardTypes", key)) // used: the idle time starts again
	s.advance(30*time.Minute - time.Second)
	require.Contains(t, s.get(with("CardTypes", key)), "Employee")
	s.advance(30 * time.Minute)
	f := requireFault(t, s.get(with("CardTypes", key)), wire.CodeInvalidSessionKey, "SessionKey")
	require.Contains(t, string(f.Marshal()), "SessionKey")
}

func TestExpiredSessionsFreeTheirSlots(t *testing.T) {
	s := newSite(t, WithSessionIdle(time.Minute))
	for range 5 {
		s.login()
	}
	requireFault(t, s.get("Login?userName=pacsim&password=pacsim"), wire.CodeError72)
	s.advance(time.Minute)
	require.Equal(t, 0, s.srv.Sessions())
	s.login()
}

func TestSessionKeyFaults(t *testing.T) {
	s := newSite(t)
	requireFault(t, s.get("CardTypes"), wire.CodeInvalidSessionKey, "SessionKey")
	requireFault(t, s.get("CardTypes?sdKey=00000000-0000-0000-0000-000000000000"), wire.CodeInvalidSessionKey)
	code, body := s.do(http.MethodPut, "unlockDoor?id=20&sdKey=nope", "")
	require.Equal(t, http.StatusOK, code)
	requireFault(t, body, wire.CodeInvalidSessionKey)
}

func TestCloseEndsSessions(t *testing.T) {
	s := newSite(t)
	key := s.login()
	s.srv.Close()
	requireFault(t, s.get(with("CardTypes", key)), wire.CodeInvalidSessionKey)
	s.login()
}

func TestPathAndParameterNamesAreCaseInsensitive(t *testing.T) {
	s := newSite(t)
	key := s.login()
	want := s.get(with("CardTypes", key))
	for _, p := range []string{
		"cardtypes?SDKEY=" + key,
		"CARDTYPES/?sdkey=" + key,
		"CardTypes/?sdKey=" + key + "&languageBypassCode=1&SourceId=MOBILEAPP",
	} {
		require.Equal(t, want, s.get(p), p)
	}
	code, body := s.do(http.MethodGet, "", "")
	require.Equal(t, http.StatusNotFound, code)
	requireFault(t, body, CodeEndpointNotFound)
	resp, err := s.ts.Client().Get(s.ts.URL + "/smartservice/CardTypes/?sdKey=" + key)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestUnknownRoutesAnswer404And405(t *testing.T) {
	s := newSite(t)
	code, body := s.do(http.MethodGet, "NoSuchThing", "")
	require.Equal(t, http.StatusNotFound, code)
	requireFault(t, body, CodeEndpointNotFound)
	code, body = s.do(http.MethodGet, "unlockDoor?id=20", "")
	require.Equal(t, http.StatusMethodNotAllowed, code)
	requireFault(t, body, CodeMethodNotAllowed)
	code, _ = s.do(http.MethodGet, "../etc/passwd", "")
	require.Equal(t, http.StatusNotFound, code)
}

func TestRoutesAreNamed(t *testing.T) {
	s := newSite(t)
	for _, name := range []string{RouteLogin, RouteLogout, RouteGatewaysSites, RouteSiteRelays, RouteSiteInputs,
		RouteSiteAccessLevels, RouteSiteSchedules, RouteAccessLevels, RouteAccessLevel, RouteGetListOwnerBy,
		RouteDoors, RouteDoor, RouteCardTypes, RouteCards, RouteCardGet, RouteCardPost, RouteCardPut,
		RouteCardDelete, RouteCardPictureGet, RouteCardPicturePut, RouteLastDoorAccess, RouteComponentFullStatus,
		RouteComponentsStates, RouteComponentsStatesByID, RouteEvents, RouteEventsAndStayAlive,
		"cmd.unlockdoor", "cmd.temporarilyunlockdoor", "cmd.inputnormal"} {
		require.NotNil(t, s.srv.Router().Get(name), name)
	}
}
