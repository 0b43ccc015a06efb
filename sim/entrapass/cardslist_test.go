package entrapass

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/entrapass/wire"
)

func TestCardsListGolden(t *testing.T) {
	s := newSite(t)
	key := s.login()
	s.put(with("Cards/201", key), "<Card><CardInfo10>OMIT</CardInfo10></Card>")
	want := table(
		row("PKDATA", "200", "CARDNUMBER", "100:1001", "USERNAME", "Alice Martin", "CARDSTATE", "0", "CARDINFO10", "", "EMAIL", "alice.martin@example.com"),
		row("PKDATA", "201", "CARDNUMBER", "100:1002", "USERNAME", "Bruno Bernard", "CARDSTATE", "0", "CARDINFO10", "OMIT", "EMAIL", "bruno.bernard@example.com"),
	)
	require.Equal(t, want, s.get(with("Cards?numberOfCards=2&extendedFields=CARDINFO10,email", key)))
	// Airflow reads by position: item 0 PKDATA, 1 CARDNUMBER, 2 USERNAME, 3 CARDSTATE, then the extended fields.
	r := rows(t, s.get(with("Cards?contains=0&extendedFields=CARDINFO10,CARDINFO2,CARDINFO1", key)))
	require.Len(t, r, 50)
	require.Equal(t, []string{"PKDATA", "CARDNUMBER", "USERNAME", "CARDSTATE", "CARDINFO10", "CARDINFO2", "CARDINFO1"}, keys(r[0]))
	states := map[string]string{}
	for _, x := range r {
		states[val(t, x, "PKDATA")] = val(t, x, "CARDSTATE")
	}
	require.Equal(t, "0", states["200"])
	require.Equal(t, "4", states["222"], "end date passed: Expired")
	require.Equal(t, "3", states["223"], "start date ahead: Pending")
	require.Equal(t, "0", states["233"], "the user is valid; its card is Invalid")
}

func TestCardsListOrdersAndFilters(t *testing.T) {
	s := newSite(t)
	key := s.login()
	ids := func(q string) []string {
		var out []string
		for _, r := range rows(t, s.get(with("Cards?"+q, key))) {
			out = append(out, val(t, r, "PKDATA"))
		}
		return out
	}
	names := func(q string) []string {
		var out []string
		for _, r := range rows(t, s.get(with("Cards?"+q, key))) {
			out = append(out, val(t, r, "USERNAME"))
		}
		return out
	}
	require.Equal(t, []string{"248", "249"}, ids("listStartValue=247"))
	require.Equal(t, []string{"Alice Laurent", "Alice Martin", "Bruno Bernard"}, names("listIndex=USERNAME&numberOfCards=3"))
	require.Equal(t, []string{"Alice Martin", "Bruno Bernard"}, names("listIndex=username&numberOfCards=2&listStartValue=alice+laurent"))
	// planqr: listIndex=USERNAME&listStartValue=0 starts at the beginning.
	require.Len(t, names("filter=&contains=0&numberOfCards=50&listIndex=USERNAME&listStartValue=0"), 50)
	require.Equal(t, []string{"248", "249"}, ids("listIndex=CARDNUMBER&listStartValue=100[COLON]1048"))
	require.Equal(t, []string{"249"}, ids("listIndex=CARDNUMBER&listStartValue="+url.QueryEscape("100:1049")))
	// Filters: starts with (contains=0) or contains (1), case-insensitive.
	require.Equal(t, []string{"Alice Laurent", "Alice Martin"}, names("listIndex=USERNAME&filter=alice&contains=0"))
	require.Equal(t, []string{"Alice Martin", "Hugo Martin", "Marc David", "Marc Michel", "Nadia Martin"}, names("listIndex=USERNAME&filter=mar&contains=1"))
	require.Equal(t, []string{"210"}, ids("listIndex=CARDNUMBER&filter=100[COLON]1011&contains=0"))
	require.Equal(t, []string{"200"}, ids("filter=alice.m&contains=0&listFieldFilter=EMAIL"))
	// A CARDNUMBER filter looks at every card of the user.
	s.put(with("Cards/249", key), "<Card><CardNumber3>7:7</CardNumber3></Card>")
	require.Equal(t, []string{"249"}, ids("listIndex=CARDNUMBER&filter=7:7"))
	// Deleted users leave the list.
	s.ok("DELETE", with("Cards/249", key), "")
	require.Equal(t, []string{"248"}, ids("listStartValue=247"))
}

func TestCardsListFaults(t *testing.T) {
	s := newSite(t)
	key := s.login()
	for _, tc := range []struct{ q, word string }{
		{"listIndex=EMAIL", "listIndex"},
		{"numberOfCards=abc", "numberOfCards"},
		{"numberOfCards=-1", "numberOfCards"},
		{"listStartValue=abc", "listStartValue"},
		{"listStartValue=-5", "listStartValue: -5 is out of range (0 to 2147483647)"},
		{"contains=2", "contains"},
		{"extendedFields=CARDINFO41", "extendedFields"},
		{"extendedFields=PASSWORD", "extendedFields"},
		{"listFieldFilter=NOPE&filter=x", "listFieldFilter"},
	} {
		requireFault(t, s.get(with("Cards?"+tc.q, key)), wire.CodeInvalidParameter, tc.word)
	}
	// Above the maximum is the maximum; 0 the default.
	require.Len(t, rows(t, s.get(with("Cards?numberOfCards=100000", key))), 50)
	require.Len(t, rows(t, s.get(with("Cards?numberOfCards=0", key))), 50)
}

func TestCardsListPages4096(t *testing.T) {
	sf, err := sim.Generate(sim.GenerateOptions{Doors: 8, Users: 5000, Seed: 7})
	require.NoError(t, err)
	s := newSiteFrom(t, sf)
	key := s.login()
	all := map[int]bool{}
	for _, u := range sf.Users {
		all[u.ID] = true
	}
	require.Len(t, all, 5000)

	nameOf := map[int]string{}
	for _, u := range sf.Users {
		nameOf[u.ID] = strings.ToLower(u.Name)
	}
	for _, index := range []string{"PKDATA", "USERNAME", "CARDNUMBER"} {
		t.Run(index, func(t *testing.T) {
			seen := map[int]bool{}
			start, pages := "", 0
			var lastKey string
			var boundaries []string
			for {
				q := "Cards?listIndex=" + index + "&extendedFields=CARDINFO1"
				if start != "" {
					q += "&listStartValue=" + url.QueryEscape(start)
				}
				page := rows(t, s.get(with(q, key)))
				pages++
				for i, r := range page {
					id, err := strconv.Atoi(val(t, r, "PKDATA"))
					require.NoError(t, err)
					require.False(t, seen[id], "user %d twice", id)
					seen[id] = true
					k := val(t, r, index)
					switch index {
					case "PKDATA":
						k = fmt.Sprintf("%010d", id)
					case "USERNAME":
						k = strings.ToLower(k)
					default:
						k = cardKey(k)
					}
					if index == "USERNAME" && i > 0 {
						// Generated names repeat: equal within a page.
						require.GreaterOrEqual(t, k, lastKey, "in order")
					} else {
						require.Greater(t, k, lastKey, "in order")
					}
					lastKey = k
				}
				if len(page) < MaxCardsPerList {
					break
				}
				start = val(t, page[len(page)-1], index)
				boundaries = append(boundaries, strings.ToLower(start))
			}
			require.Equal(t, 2, pages)
			for id := range all {
				if !seen[id] {
					// Only a user sharing the name a page ended on can be
					// skipped: "strictly after" that name.
					require.Equal(t, "USERNAME", index, "user %d missed", id)
					require.Contains(t, boundaries, nameOf[id], "user %d missed", id)
				}
			}
		})
	}
	// The default PKDATA order is by id.
	page := rows(t, s.get(with("Cards", key)))
	require.Len(t, page, MaxCardsPerList)
	got := make([]int, len(page))
	for i, r := range page {
		got[i], _ = strconv.Atoi(val(t, r, "PKDATA"))
	}
	require.True(t, sort.IntsAreSorted(got))
}

func TestCardsListAfterPOSTs(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 4100 card users over HTTP")
	}
	s := newSite(t)
	key := s.login()
	for i := range 4100 {
		s.ok("POST", with("Cards/0", key), fmt.Sprintf("<Card><UserName>user %05d</UserName><CardNumber1>200:%d</CardNumber1></Card>", i, i))
	}
	first := rows(t, s.get(with("Cards", key)))
	require.Len(t, first, MaxCardsPerList)
	last := val(t, first[len(first)-1], "PKDATA")
	second := rows(t, s.get(with("Cards?listStartValue="+last, key)))
	require.Len(t, second, 4150-MaxCardsPerList)
}
