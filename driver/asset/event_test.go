package asset_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

// TestEventJSON: each event's JSON form has the document's property names
// as keys, the "event" discriminator and the sequence number, and reads back.
func TestEventJSON(t *testing.T) {
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		ev   asset.Event
		want string
	}{
		{&asset.StatusChanged{Seq: 1, Ref: door, From: asset.Secure, To: asset.HeldOpen, Statuses: []asset.Status{asset.HeldOpen, asset.Unsecure}},
			`{"event":"Status Changed","seq":1,"type":"door","id":20,"from":"Secure","to":"Held Open","statuses":["Held Open","Unsecure"]}`},
		{&asset.LastAccessEvent{Seq: 2, Ref: door, Username: "Alice Martin", BadgeTemplateID: 3, DateTime: at, CardID: "100:1001",
			AccessGranted: true, Description: "Access granted", CardStatus: "Valid", ParentID: 30, ParentType: asset.Reader},
			`{"event":"Last Access Event","seq":2,"type":"door","id":20,"Username":"Alice Martin","BadgeTemplateID":3,
			  "DateTime":"2026-01-05T09:00:00Z","CardId":"100:1001","Access Granted":true,"Description":"Access granted",
			  "Card Status":"Valid","Parent Id":30,"Parent Type":"reader"}`},
		{&asset.LastAccessEvent{Seq: 3, Ref: rdr, Username: "Bruno Bernard", DateTime: at, CardID: "100:1002",
			AccessGranted: false, Description: "Access denied - outside schedule", CardStatus: "Valid", ParentID: 20, ParentType: asset.Door},
			`{"event":"Last Access Event","seq":3,"type":"reader","id":30,"Username":"Bruno Bernard","BadgeTemplateID":0,
			  "DateTime":"2026-01-05T09:00:00Z","CardId":"100:1002","Access Granted":false,"Description":"Access denied - outside schedule",
			  "Card Status":"Valid","Parent Id":20,"Parent Type":"door"}`},
		{&asset.GatewayConnectionChanged{Seq: 4, Ref: asset.SystemRef, GatewayID: 1, GatewayName: "Main Gateway", GatewayConnectedState: false},
			`{"event":"Gateway Connection Changed","seq":4,"type":"system","id":1,"Gateway ID":1,"Gateway Name":"Main Gateway","Gateway Connected State":false}`},
	}
	for _, c := range cases {
		t.Run(c.ev.EventName(), func(t *testing.T) {
			b, err := json.Marshal(c.ev)
			require.NoError(t, err)
			assert.JSONEq(t, c.want, string(b))

			// A value (not a pointer) marshals the same.
			var v any
			switch e := c.ev.(type) {
			case *asset.StatusChanged:
				v = *e
			case *asset.LastAccessEvent:
				v = *e
			case *asset.GatewayConnectionChanged:
				v = *e
			}
			b2, err := json.Marshal(v)
			require.NoError(t, err)
			assert.JSONEq(t, c.want, string(b2))

			back, err := asset.DecodeEvent(b)
			require.NoError(t, err)
			assert.Equal(t, c.ev, back)
		})
	}

	_, err := asset.DecodeEvent([]byte(`{"event":"Door Opened"}`))
	assert.ErrorContains(t, err, `unknown event "Door Opened"`)
	_, err = asset.DecodeEvent([]byte(`{"event":"Status Changed","to":"Ajar"}`))
	assert.ErrorContains(t, err, `"Ajar"`)
	_, err = asset.DecodeEvent([]byte(`not json`))
	assert.Error(t, err)

	sc := &asset.StatusChanged{Seq: 9, Ref: door, From: asset.Secure, To: asset.HeldOpen}
	assert.Equal(t, "#9 Status Changed door/20: Secure → Held Open", sc.String())
	la := &asset.LastAccessEvent{Seq: 8, Ref: door, CardID: "100:1001", Username: "Alice Martin", AccessGranted: true, Description: "Access granted"}
	assert.Equal(t, "#8 Last Access Event door/20: granted, card 100:1001 (Alice Martin): Access granted", la.String())
}
