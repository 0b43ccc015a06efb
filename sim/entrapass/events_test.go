package entrapass

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

func eventRow(dt, udt, etxt, p1, p2, p3, p4, cl, clt string) string {
	return row("DT", dt, "UDT", udt, "ETXT", etxt, "P1TXT", p1, "P2TXT", p2, "P3TXT", p3, "P4TXT", p4, "CL", cl, "CLT", clt, "VVIEW", "0")
}

func TestEventRowsGolden(t *testing.T) {
	s := newSite(t)
	key := s.login()
	require.Equal(t, table(), s.get(with("Events", key)))
	s.present(rdFrontIn, "100:1001", "")
	s.advance(time.Second)
	s.present(rdOffice, "100:1002", "")
	s.present(rdFrontIn, "100:9999", "")
	_, err := s.w.OpenDoor(doorServer)
	require.NoError(t, err)
	require.NoError(t, s.w.CutController(ctrlShop))
	want := table(
		eventRow("2026-01-05 09:00:00", "2026-01-05 09:00:00", "Access granted", "Front Door", "Alice Martin", "100:1001", "Front Door entry", "32768", "1"),
		eventRow("2026-01-05 09:00:01", "2026-01-05 09:00:01", "Access denied - PIN required", "Office Door", "Bruno Bernard", "100:1002", "Office Door entry", "16711680", "2"),
		eventRow("2026-01-05 09:00:01", "2026-01-05 09:00:01", "Access denied - unknown card", "Front Door", "", "100:9999", "Front Door entry", "16711680", "2"),
		eventRow("2026-01-05 09:00:01", "2026-01-05 09:00:01", "Door forced open", "Server Room", "", "", "", "16711680", "3"),
		eventRow("2026-01-05 09:00:01", "2026-01-05 09:00:01", "Controller communication failure", "Shop Controller", "", "", "", "16744448", "4"),
	)
	require.Equal(t, want, s.get(with("Events", key)))
	require.Equal(t, table(), s.get(with("EventsAndStayAlive", key)))
}

// An output's own trouble is a trouble event naming the output, and its
// end a restore.
func TestEventRowsOfOutputTrouble(t *testing.T) {
	s := newSite(t)
	key := s.login()
	require.NoError(t, s.w.SetOutputTrouble(outBuzzer, true))
	require.NoError(t, s.w.SetOutputTrouble(outBuzzer, false))
	want := table(
		eventRow("2026-01-05 09:00:00", "2026-01-05 09:00:00", "Output trouble", "Front Door Buzzer", "", "", "", "16744448", "4"),
		eventRow("2026-01-05 09:00:00", "2026-01-05 09:00:00", "Output trouble restore", "Front Door Buzzer", "", "", "", "255", "5"),
	)
	require.Equal(t, want, s.get(with("Events", key)))
}

func TestEventTimesInTheSiteZone(t *testing.T) {
	s := newSiteYAML(t, `
version: 1
name: zone
timezone: Europe/Paris
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
  operators:
    - {id: 12, name: op, password: pw}
`)
	key := sessionKey(t, s.get("Login?userName=op&password=pw"))
	_, err := s.w.OpenDoor(4)
	require.NoError(t, err)
	r := rows(t, s.get(with("Events", key)))
	require.Len(t, r, 1)
	require.Equal(t, "2026-01-05 09:00:00", val(t, r[0], "DT"))
	require.Equal(t, "2026-01-05 08:00:00", val(t, r[0], "UDT"))
}

// etxts returns the ETXT of each row.
func etxts(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, r := range rows(t, body) {
		out = append(out, val(t, r, "ETXT")+" "+val(t, r, "P1TXT"))
	}
	return out
}

func TestEventsPerSessionEachOnce(t *testing.T) {
	s := newSite(t)
	s.present(rdFrontIn, "100:1001", "") // before any login: in no queue
	a, b := s.login(), s.login()
	s.present(rdFrontIn, "100:1001", "")
	_, err := s.w.OpenDoor(doorFront)
	require.NoError(t, err)
	require.Equal(t, []string{"Access granted Front Door", "Door opened Front Door"}, etxts(t, s.get(with("Events", a))))
	_, err = s.w.CloseDoor(doorFront)
	require.NoError(t, err)
	require.Equal(t, []string{"Door closed Front Door"}, etxts(t, s.get(with("Events", a))))
	require.Equal(t, []string{"Access granted Front Door", "Door opened Front Door", "Door closed Front Door"}, etxts(t, s.get(with("EventsAndStayAlive", b))))
	require.Empty(t, etxts(t, s.get(with("Events", a))))
	require.Empty(t, etxts(t, s.get(with("Events", b))))
	// A session logged in later sees only what follows.
	c := s.login()
	require.Empty(t, etxts(t, s.get(with("Events", c))))

	// Events held behind a cut controller arrive once it is back.
	require.NoError(t, s.w.CutController(ctrlOffice))
	require.Equal(t, []string{"Controller communication failure Office Controller"}, etxts(t, s.get(with("Events", a))))
	_, err = s.w.OpenDoor(doorOffice)
	require.NoError(t, err)
	require.Empty(t, etxts(t, s.get(with("Events", a))))
	require.NoError(t, s.w.RestoreController(ctrlOffice))
	require.Equal(t, []string{"Controller communication restored Office Controller", "Door forced open Office Door"}, etxts(t, s.get(with("Events", a))))
}

func TestEventBatch(t *testing.T) {
	s := newSite(t, WithEventBatch(3))
	key := s.login()
	for range 7 {
		s.present(rdFrontIn, "100:1001", "")
	}
	for _, n := range []int{3, 3, 1, 0} {
		require.Len(t, rows(t, s.get(with("Events", key))), n)
	}
}

func TestEventBatchFromSiteFile(t *testing.T) {
	sf := sim.DefaultSite()
	sf.EntraPass.EventBatch = 2
	s := newSiteFrom(t, sf)
	key := s.login()
	for range 3 {
		s.present(rdFrontIn, "100:1001", "")
	}
	require.Len(t, rows(t, s.get(with("Events", key))), 2)
	require.Len(t, rows(t, s.get(with("Events", key))), 1)
	// The option wins over the file.
	s2 := newSiteFrom(t, sim.DefaultSite(), WithEventBatch(1000))
	require.Equal(t, 1000, s2.srv.batch)
	require.Equal(t, 1000, newSite(t).srv.batch, "default")
}

func TestEventsCursorBehindRetention(t *testing.T) {
	sf := sim.DefaultSite()
	sf.JournalRetention = 5
	s := newSiteFrom(t, sf)
	key := s.login()
	for i := range 12 {
		s.present(rdFrontIn, fmt.Sprintf("100:%d", 5000+i), "")
	}
	r := rows(t, s.get(with("Events", key)))
	require.Len(t, r, 5, "the session goes on from the oldest event kept")
	require.Equal(t, "100:5011", val(t, r[4], "P3TXT"))
	s.present(rdFrontIn, "100:1001", "")
	require.Len(t, rows(t, s.get(with("Events", key))), 1)
}

func TestEventsHistory(t *testing.T) {
	s := newSite(t, WithSessionIdle(72*time.Hour), WithEventBatch(4))
	s.present(rdFrontIn, "100:1001", "") // Monday, before the login
	key := s.login()
	s.present(rdFrontIn, "100:1002", "")
	s.advance(24 * time.Hour) // Tuesday 09:00
	s.present(rdFrontIn, "100:1003", "")
	s.present(rdFrontIn, "100:1005", "")

	cards := func(body string) []string {
		var out []string
		for _, r := range rows(t, body) {
			out = append(out, val(t, r, "P3TXT"))
		}
		return out
	}
	require.Equal(t, []string{"100:1003", "100:1005"}, cards(s.get(with("Events?startDate=2026-01-06", key))))
	require.Equal(t, []string{"100:1001", "100:1002", "100:1003", "100:1005"}, cards(s.get(with("Events?startDate=2026-01-05", key))))
	require.Equal(t, []string{"100:1001", "100:1002", "100:1003", "100:1005"}, cards(s.get(with("EventsAndStayAlive?STARTDATE=2025-12-29", key))))
	require.Empty(t, cards(s.get(with("Events?startDate=2026-01-07", key))))
	// More than a batch: the newest batch, oldest first.
	s.present(rdFrontIn, "100:1006", "")
	require.Equal(t, []string{"100:1002", "100:1003", "100:1005", "100:1006"}, cards(s.get(with("Events?startDate=2026-01-05", key))))
	// History leaves the queue alone.
	require.Equal(t, []string{"100:1002", "100:1003", "100:1005", "100:1006"}, cards(s.get(with("Events", key))))
	requireFault(t, s.get(with("Events?startDate=yesterday", key)), wire.CodeInvalidParameter, "startDate")
}

func TestEventsHistoryScansManyChunks(t *testing.T) {
	s := newSite(t, WithEventBatch(3))
	key := s.login()
	for range 3 * historyChunk {
		s.present(rdFrontIn, "100:1001", "")
	}
	s.present(rdFrontIn, "100:1002", "")
	r := rows(t, s.get(with("Events?startDate=2026-01-05", key)))
	require.Len(t, r, 3)
	require.Equal(t, "100:1002", val(t, r[2], "P3TXT"))
	require.Empty(t, rows(t, s.get(with("Events?startDate=2026-01-06", key))))
}

func TestLastDoorAccess(t *testing.T) {
	s := newSite(t)
	s.present(rdFrontIn, "100:1001", "") // before the server's first answer: counted
	key := s.login()
	s.advance(time.Second)
	s.present(rdFrontOut, "100:9999", "")
	s.advance(time.Second)
	s.present(rdFrontIn, "100:1004", "")
	s.present(rdOffice, "100:1002", "12345")
	want := table(row(
		"ACCESS1", "2026-01-05  09:00:02 Access denied 100:1004 David Simon",
		"ACCESS2", "2026-01-05  09:00:01 Access denied 100:9999",
		"ACCESS3", "2026-01-05  09:00:00 Access granted 100:1001 Alice Martin",
	))
	require.Equal(t, want, s.get(with("LastDoorAccess?id=20&accessType=", key)))
	for range LastAccessKept + 5 {
		s.present(rdFrontIn, "100:1001", "")
	}
	r := rows(t, s.get(with("LastDoorAccess?id=20", key)))
	require.Len(t, r, 1)
	require.Len(t, r[0], LastAccessKept)
	require.Equal(t, "ACCESS10", r[0][9].Key)
	require.Len(t, rows(t, s.get(with("LastDoorAccess?id=21", key)))[0], 1)
}
