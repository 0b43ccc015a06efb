package simtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/pacsim/pacsim/sim/simtest"
)

// A visitor created over the Genetec Web SDK, with a badge, in the Office
// visitors' group and checked in: the badge opens the Front Door, and stops
// at check-out.
func Example_genetecVisitor() {
	s, err := simtest.New() // in a test: s := simtest.Start(t)
	if err != nil {
		panic(err)
	}
	defer s.Close()
	user, app, pass := s.GenetecUser()
	client := s.HTTPClient() // trusts the Web SDK's test certificate
	webSdk := func(method, q string) json.RawMessage {
		req, _ := http.NewRequest(method, s.GenetecURL()+q, nil)
		req.SetBasicAuth(user+";"+app, pass)
		req.Header.Set("Accept", "text/json")
		resp, err := client.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		var env struct {
			Rsp struct {
				Status string
				Result json.RawMessage
			}
		}
		if err := json.Unmarshal(body, &env); err != nil || env.Rsp.Status != "Ok" {
			panic(string(body))
		}
		return env.Rsp.Result
	}
	guid := func(raw json.RawMessage) string {
		var r struct{ Guid string }
		_ = json.Unmarshal(raw, &r)
		return r.Guid
	}
	var groups []struct{ Guid string }
	_ = json.Unmarshal(webSdk("GET", "report/EntityConfiguration?q="+url.QueryEscape("EntityTypes@CardholderGroup,Name=Visitors - Office")), &groups)

	visitor := guid(webSdk("POST", "entity?q="+url.QueryEscape("entity=NewEntity(Visitor),FirstName=Grace,LastName=Hopper,Guid")))
	badge := guid(webSdk("POST", "entity?q="+url.QueryEscape("entity=NewEntity(Credential),Name=Badge 7,Format=WiegandStandardCredentialFormat(150,7),Guid")))
	webSdk("POST", "entity?q="+url.QueryEscape("entity="+visitor+",Credentials@"+badge))
	webSdk("POST", "entity?q="+url.QueryEscape("entity="+groups[0].Guid+",AddCardholderIntoGroup("+visitor+")"))
	webSdk("POST", "entity?q="+url.QueryEscape("entity="+visitor+",Status.Activate()")) // check-in

	ctx := context.Background()
	d, _ := s.Control().Present(ctx, 30, "150:7", "") // Front Door entry
	fmt.Println(d.Granted, d.User)
	webSdk("POST", "entity?q="+url.QueryEscape("entity="+visitor+",Checkout()"))
	d, _ = s.Control().Present(ctx, 30, "150:7", "")
	fmt.Println(d.Granted, d.Reason)
	// Output:
	// true Grace Hopper
	// false card-invalid
}
