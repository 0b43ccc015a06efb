package websdk_test

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/genetec/websdk"
	"github.com/pacsim/pacsim/sim/fault"
)

// No error holds the password or the Basic credentials, not even when the
// server echoes them back in its answer. (TestMain checks every error the
// other tests got as well.)
func TestSecretsNeverInErrors(t *testing.T) {
	t.Parallel()
	s := startSite(t)
	cfg := config(s)
	token := base64.StdEncoding.EncodeToString([]byte(cfg.Username + ";" + cfg.AppID + ":" + cfg.Password))
	echo := "you sent " + cfg.Password + " in Basic " + token
	ctx := context.Background()
	cl := newClient(t, cfg)
	quick := cfg
	quick.Timeout = 200 * time.Millisecond
	qcl := newClient(t, quick)

	type result struct {
		name string
		cfg  websdk.Config
		err  error
	}
	var got []result
	withFault := func(name string, f fault.Fault, do func() error) {
		f.Target = fault.TargetGenetec
		st, err := s.Control().AddFault(ctx, f)
		require.NoError(t, err, name)
		err = do()
		require.NoError(t, s.Control().RemoveFault(ctx, st.ID), name)
		got = append(got, result{name, cfg, err})
	}
	keepAlive := func() error { return cl.KeepAlive(ctx) }
	withFault("503 echoing", fault.Fault{Kind: fault.KindStatus, Params: fault.Params{Status: 503, Body: echo}}, keepAlive)
	withFault("400 echoing", fault.Fault{Kind: fault.KindStatus, Params: fault.Params{Status: 400, Body: echo}}, keepAlive)
	withFault("401 echoing", fault.Fault{Kind: fault.KindStatus, Params: fault.Params{Status: 401, Body: echo}}, keepAlive)
	withFault("app fault echoing", fault.Fault{Kind: fault.KindAppFault, Params: fault.Params{Code: "SdkRequestError", Message: echo}}, keepAlive)
	withFault("truncated", fault.Fault{Kind: fault.KindMalformed, Params: fault.Params{Mode: "truncate", At: 10}}, keepAlive)
	withFault("garbled", fault.Fault{Kind: fault.KindMalformed, Params: fault.Params{Mode: "garble"}}, keepAlive)
	withFault("empty", fault.Fault{Kind: fault.KindEmpty}, keepAlive)
	withFault("reset", fault.Fault{Kind: fault.KindReset}, keepAlive)
	withFault("hang", fault.Fault{Kind: fault.KindHang}, func() error { return qcl.KeepAlive(ctx) })
	withFault("stream cut", fault.Fault{Kind: fault.KindStreamCut, Params: fault.Params{Bytes: 5}, Match: fault.Match{Path: "/WebSdk/events"}},
		func() error {
			st, err := cl.OpenStream(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			_, err = st.Next()
			return err
		})

	_, err := cl.Read(ctx, "entity="+cfg.Password+",Name")
	got = append(got, result{"bad query naming the password", cfg, err})
	idle := cfg
	idle.StreamIdle = 50 * time.Millisecond
	st, err := newClient(t, idle).OpenStream(ctx)
	require.NoError(t, err)
	_, err = st.Next()
	st.Close()
	got = append(got, result{"idle stream", idle, err})

	wrong := cfg
	wrong.Password = "not-the-Pw-77"
	got = append(got, result{"wrong password", wrong, newClient(t, wrong).KeepAlive(ctx)})
	forbidden := cfg
	forbidden.AppID = "no-such-app"
	got = append(got, result{"unknown application", forbidden, newClient(t, forbidden).KeepAlive(ctx)})
	inURL := cfg
	inURL.URL = "https://admin:" + cfg.Password + "@sc.example.com/WebSdk/"
	_, err = websdk.New(inURL)
	got = append(got, result{"credentials in the URL", inURL, err})
	badURL := cfg
	badURL.URL = "https://admin:" + cfg.Password + "@sc.example.com:port/WebSdk/"
	_, err = websdk.New(badURL)
	got = append(got, result{"credentials in a bad URL", badURL, err})

	for _, r := range got {
		require.Error(t, note(t, r.cfg, r.err), r.name)
		t.Logf("%s: %v", r.name, r.err)
		for _, sec := range secrets(r.cfg) {
			assert.NotContains(t, r.err.Error(), sec, r.name)
		}
		assert.NotContains(t, r.err.Error(), token, r.name)
	}
}
