package fault_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/pacsim/pacsim/sim"
	"github.com/pacsim/pacsim/sim/fault"
)

func ExampleParseFlag() {
	f, err := fault.ParseFlag("entrapass:status=503,path=/SmartService/Events*,every=3")
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(f)
	fmt.Println(string(b))

	_, err = fault.ParseFlag("entrapass:status=503,evry=3")
	fmt.Println(err)
	// Output:
	// {"target":"entrapass","kind":"status","params":{"status":503},"match":{"path":"/SmartService/Events*"},"when":{"every":3}}
	// invalid fault: unknown key "evry": want a parameter (kind "status": it takes status, body), method, path, or a when key (probability, seed, every, first, after, start_after, for)
}

func ExamplePlan_Middleware() {
	w, _ := sim.New(sim.DefaultSite())
	plan := fault.New(w)
	head := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "<ok/>") })
	srv := httptest.NewServer(plan.Middleware("entrapass", head))
	defer srv.Close()

	st, _ := plan.Add(fault.Fault{Target: fault.TargetEntraPass, Kind: fault.KindStatus,
		Params: fault.Params{Status: 503}, When: fault.When{Every: 2}})
	var codes []int
	for range 4 {
		resp, _ := http.Get(srv.URL + "/SmartService/Events")
		resp.Body.Close()
		codes = append(codes, resp.StatusCode)
	}
	st, _ = plan.Get(st.ID)
	fmt.Println(codes)
	fmt.Printf("%s: matched %d, fired %d\n", st.ID, st.Matched, st.Fired)
	// Output:
	// [200 503 200 503]
	// f1: matched 4, fired 2
}

func ExamplePlan_Add_hardware() {
	w, _ := sim.New(sim.DefaultSite())
	clock := w.Clock().(*sim.ManualClock)
	plan := fault.New(w)
	f, _ := fault.ParseFlag("site:controller-fail=10,start_after=10s,for=30s")
	st, _ := plan.Add(f)
	online := func() bool { c, _ := w.Controller(10); return c.Online }
	fmt.Println(st.State, online())
	clock.Advance(10 * time.Second)
	st, _ = plan.Get(st.ID)
	fmt.Println(st.State, online())
	clock.Advance(30 * time.Second)
	st, _ = plan.Get(st.ID)
	fmt.Println(st.State, online())
	// Output:
	// pending true
	// active false
	// healed true
}
