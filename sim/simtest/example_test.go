package simtest_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/pacsim/pacsim/sim/fault"
	"github.com/pacsim/pacsim/sim/simtest"
)

// A card presented at a reader, and the head-end's decision.
func Example_presentCard() {
	s, err := simtest.New() // in a test: s := simtest.Start(t)
	if err != nil {
		panic(err)
	}
	defer s.Close()
	ctx := context.Background()

	d, _ := s.Control().Present(ctx, 30, "100:1001", "") // Front Door entry, Full Access
	fmt.Println(d.Granted, d.User)
	d, _ = s.Control().Present(ctx, 33, "100:1002", "") // Server Room entry, Office only
	fmt.Println(d.Granted, d.Reason)
	// Output:
	// true Alice Martin
	// false no-access-level
}

// A temporary unlock through SmartService relocks when the manual clock
// passes its delay.
func Example_temporaryUnlock() {
	s, err := simtest.New()
	if err != nil {
		panic(err)
	}
	defer s.Close()
	user, pass := s.Operator()
	body := get(s.EntraPassURL() + "Login?" + url.Values{"userName": {user}, "password": {pass}}.Encode())
	key := regexp.MustCompile(`<SessionKey>([^<]+)<`).FindStringSubmatch(body)[1]

	put(s.EntraPassURL() + "TemporarilyUnlockDoor?" + url.Values{"sdKey": {key}, "id": {"20"}, "delay": {"5"}}.Encode())
	door, _ := s.Control().Door(context.Background(), 20)
	fmt.Println(door.Lock)
	s.Advance(5 * time.Second)
	door, _ = s.Control().Door(context.Background(), 20)
	fmt.Println(door.Lock)
	// Output:
	// unlocked-temporary
	// locked
}

// A fault makes SmartService answer 503 to event polls, then heals.
func Example_fault503() {
	s, err := simtest.New()
	if err != nil {
		panic(err)
	}
	defer s.Close()
	ctx := context.Background()
	f, err := s.Control().AddFault(ctx, fault.Fault{
		Target: fault.TargetEntraPass,
		Kind:   "status",
		Params: fault.Params{Status: 503},
		Match:  fault.Match{Path: "/SmartService/Events*"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(f.ID, status(s.EntraPassURL()+"Events?sdKey=x"), status(s.EntraPassURL()+"CardTypes?sdKey=x"))
	_ = s.Control().RemoveFault(ctx, f.ID)
	fmt.Println(status(s.EntraPassURL() + "Events?sdKey=x"))
	// Output:
	// f1 503 200
	// 200
}

func get(u string) string {
	resp, err := http.Get(u)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func put(u string) string {
	req, _ := http.NewRequest(http.MethodPut, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func status(u string) int {
	resp, err := http.Get(u)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
