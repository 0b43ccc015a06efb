package asset_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/pacsim/pacsim/driver/asset"
)

func TestRegistryAssets(t *testing.T) {
	r := asset.NewRegistry(nil, nil)
	s, err := r.Get(asset.SystemRef)
	require.NoError(t, err, "the System asset is system/1")
	assert.Equal(t, asset.NoCommunication, s.Status, "not connected yet")

	// Added out of order; listed by type in the document's order, then id.
	for _, ref := range []asset.Ref{in, {Type: asset.Door, ID: 21}, out, door, rdr} {
		require.NoError(t, r.Add(ref, ref.String(), map[string]string{ref.Type.RequiredProperty(): "5"}))
	}
	var got []asset.Ref
	for _, s := range r.List() {
		got = append(got, s.Ref)
	}
	assert.Equal(t, []asset.Ref{sys, door, {Type: asset.Door, ID: 21}, rdr, out, in}, got)
	assert.Equal(t, 6, r.Len())

	assert.ErrorIs(t, r.Add(door, "again", map[string]string{asset.PropDoorID: "5"}), asset.ErrDuplicateAsset)
	assert.ErrorIs(t, r.Add(asset.Ref{Type: asset.Door, ID: 9}, "no id", nil), asset.ErrInvalidAsset)
	_, err = r.Get(asset.Ref{Type: asset.Door, ID: 99})
	require.ErrorIs(t, err, asset.ErrUnknownAsset)
	assert.Contains(t, err.Error(), "door/99")

	require.NoError(t, r.Select(door))
	require.NoError(t, r.Remove(door))
	assert.Empty(t, r.Selection(), "a removed asset is deselected")
	assert.ErrorIs(t, r.Remove(door), asset.ErrUnknownAsset)
	assert.ErrorIs(t, r.Remove(sys), asset.ErrRefused)
	assert.Equal(t, 5, r.Len())
}

// TestSnapshotJSON: the northbound shape of GET /assets/{type}/{id}.
func TestSnapshotJSON(t *testing.T) {
	r, _ := site(t)
	setHW(t, r, door, asset.HeldOpen, asset.Unsecure)
	s, err := r.Get(door)
	require.NoError(t, err)
	b, err := json.Marshal(s)
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"door","id":20,"name":"Front Door","status":"Held Open",
		"statuses":["Held Open","Unsecure"],"properties":{"Door ID":"20"}}`, string(b))

	// A snapshot is a copy.
	s.Properties["Door ID"] = "99"
	s.Statuses[0] = asset.Secure
	again, _ := r.Get(door)
	assert.Equal(t, "20", again.Properties["Door ID"])
	assert.Equal(t, asset.HeldOpen, again.Statuses[0])
}

// TestUpdate: Status Changed is published when what the asset shows changes,
// not otherwise; a failed update changes nothing.
func TestUpdate(t *testing.T) {
	r, _ := site(t)
	sub := r.Bus().Subscribe(16)
	defer sub.Close()

	setHW(t, r, door, asset.Secure)
	assert.Empty(t, drain(sub), "nothing changed")

	require.NoError(t, r.Update(door, func(a *asset.Asset) error { a.SetName("Main Door"); return nil }))
	assert.Empty(t, drain(sub), "a rename is not a status change")

	setHW(t, r, door, asset.Unsecure)
	setHW(t, r, door, asset.HeldOpen, asset.Unsecure)
	setHW(t, r, door, asset.HeldOpen, asset.Unsecure, asset.Fault)
	setHW(t, r, door, asset.HeldOpen, asset.Fault) // same status shown, one visible status fewer
	ev := drain(sub)
	require.Len(t, ev, 4)
	assert.Equal(t, &asset.StatusChanged{Seq: ev[0].Sequence(), Ref: door, From: asset.Secure, To: asset.Unsecure, Statuses: []asset.Status{asset.Unsecure}}, ev[0])
	assert.Equal(t, &asset.StatusChanged{Seq: ev[1].Sequence(), Ref: door, From: asset.Unsecure, To: asset.HeldOpen, Statuses: []asset.Status{asset.HeldOpen, asset.Unsecure}}, ev[1])
	assert.Equal(t, &asset.StatusChanged{Seq: ev[2].Sequence(), Ref: door, From: asset.HeldOpen, To: asset.Fault, Statuses: []asset.Status{asset.Fault, asset.HeldOpen, asset.Unsecure}}, ev[2],
		"Fault ranks above Held Open in the default table")
	assert.Equal(t, &asset.StatusChanged{Seq: ev[3].Sequence(), Ref: door, From: asset.Fault, To: asset.Fault, Statuses: []asset.Status{asset.Fault, asset.HeldOpen}}, ev[3])
	assert.Less(t, ev[0].Sequence(), ev[1].Sequence())

	// fn fails half-way: the name, property and statuses it set are undone.
	err := r.Update(door, func(a *asset.Asset) error {
		a.SetName("Broken")
		require.NoError(t, a.SetProperty("Site", "Office"))
		require.NoError(t, a.SetHardware(asset.Secure))
		return a.SetHardware(asset.Enabled)
	})
	require.ErrorIs(t, err, asset.ErrUnsupported)
	s, _ := r.Get(door)
	assert.Equal(t, "Main Door", s.Name)
	assert.NotContains(t, s.Properties, "Site")
	assert.Equal(t, asset.Fault, s.Status)
	assert.Empty(t, drain(sub))

	assert.ErrorIs(t, r.Update(asset.Ref{Type: asset.Door, ID: 99}, func(*asset.Asset) error { return nil }), asset.ErrUnknownAsset)
}

// TestUpdateAll: No Communication on every asset (the server is lost), then
// back; an asset whose update fails is left alone.
func TestUpdateAll(t *testing.T) {
	r, _ := site(t)
	sub := r.Bus().Subscribe(16)
	defer sub.Close()
	require.NoError(t, r.UpdateAll(func(a *asset.Asset) error { return a.Set(asset.NoCommunication, true) }))
	for _, s := range r.List() {
		assert.Equal(t, asset.NoCommunication, s.Status, s.Ref)
	}
	assert.Len(t, drain(sub), 5)

	err := r.UpdateAll(func(a *asset.Asset) error {
		if err := a.Set(asset.NoCommunication, false); err != nil {
			return err
		}
		return a.Set(asset.Secure, true) // only a door has Secure
	})
	require.Error(t, err)
	assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 4)
	for _, s := range r.List() {
		if s.Ref == door {
			assert.Equal(t, asset.Secure, s.Status)
		} else {
			assert.Equal(t, asset.NoCommunication, s.Status, "%s unchanged", s.Ref)
		}
	}
}

// TestSetTable: a reordered table changes what shows, and says so; a table
// that lacks a status of the type is refused naming it.
func TestSetTable(t *testing.T) {
	r, _ := site(t)
	setHW(t, r, door, asset.HeldOpen, asset.Unsecure, asset.Fault, asset.NoCommunication)
	st, _ := shows(t, r, door)
	assert.Equal(t, asset.NoCommunication, st)
	sub := r.Bus().Subscribe(16)
	defer sub.Close()

	heldFirst, err := asset.NewTable(asset.HeldOpen, asset.Secure, asset.Unsecure, asset.ForcedOpen, asset.NoCommunication, asset.Masked, asset.Acknowledged, asset.Fault)
	require.NoError(t, err)
	require.NoError(t, r.SetTable(asset.Door, heldFirst))
	assert.Same(t, heldFirst, r.Table(asset.Door))
	st, sts := shows(t, r, door)
	assert.Equal(t, asset.HeldOpen, st)
	assert.Equal(t, []asset.Status{asset.HeldOpen, asset.Unsecure, asset.NoCommunication, asset.Fault}, sts)
	ev := drain(sub)
	require.Len(t, ev, 1)
	assert.Equal(t, &asset.StatusChanged{Seq: ev[0].Sequence(), Ref: door, From: asset.NoCommunication, To: asset.HeldOpen, Statuses: sts}, ev[0])

	// Masked over No Communication when the configuration says so.
	maskedFirst := slices.Clone(asset.Statuses())
	maskedFirst[0], maskedFirst[1] = maskedFirst[1], maskedFirst[0]
	tab, err := asset.NewTable(maskedFirst...)
	require.NoError(t, err)
	require.NoError(t, r.SetTable(asset.Input, tab))
	setHW(t, r, in, asset.NoCommunication)
	require.NoError(t, r.Update(in, func(a *asset.Asset) error { a.Mask(); return nil }))
	st, _ = shows(t, r, in)
	assert.Equal(t, asset.Masked, st)
	st, _ = shows(t, r, door)
	assert.Equal(t, asset.HeldOpen, st, "tables are per type")

	err = r.SetTable(asset.Reader, heldFirst)
	require.ErrorIs(t, err, asset.ErrInvalidTable)
	assert.Contains(t, err.Error(), "missing Normal, Enabled, Disabled")
	assert.ErrorIs(t, r.SetTable(asset.Reader, nil), asset.ErrInvalidTable)
	assert.Same(t, asset.DefaultTable(), r.Table(asset.Reader))
	assert.Nil(t, r.Table("gate"))
}

// TestPublishAccess: a Last Access Event on a door or reader
// (EP-DOOR-E-ACCESS-GRANTED, EP-DOOR-E-ACCESS-DENIED, EP-RDR-E-LAST-ACCESS)
// is published and kept as the asset's last access.
func TestPublishAccess(t *testing.T) {
	r, _ := site(t)
	sub := r.Bus().Subscribe(16)
	defer sub.Close()
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	granted := &asset.LastAccessEvent{Ref: door, Username: "Alice Martin", BadgeTemplateID: 3, DateTime: at,
		CardID: "100:1001", AccessGranted: true, Description: "Access granted", CardStatus: "Valid",
		ParentID: 30, ParentType: asset.Reader}
	require.NoError(t, r.PublishAccess(granted))
	denied := &asset.LastAccessEvent{Ref: rdr, Username: "Bruno Bernard", DateTime: at.Add(time.Minute),
		CardID: "100:1002", Description: "Access denied - outside schedule", CardStatus: "Valid",
		ParentID: 20, ParentType: asset.Door}
	require.NoError(t, r.PublishAccess(denied))
	ev := drain(sub)
	require.Len(t, ev, 2)
	assert.Same(t, granted, ev[0])
	assert.Same(t, denied, ev[1])

	s, _ := r.Get(door)
	require.NotNil(t, s.LastAccess)
	assert.Equal(t, *granted, *s.LastAccess)
	s, _ = r.Get(rdr)
	assert.False(t, s.LastAccess.AccessGranted)

	err := r.PublishAccess(&asset.LastAccessEvent{Ref: out})
	require.ErrorIs(t, err, asset.ErrUnsupported)
	assert.Contains(t, err.Error(), "only a Door and a Reader")
	assert.ErrorIs(t, r.PublishAccess(&asset.LastAccessEvent{Ref: asset.Ref{Type: asset.Door, ID: 99}}), asset.ErrUnknownAsset)
	assert.ErrorIs(t, r.PublishAccess(&asset.LastAccessEvent{Ref: door, ParentType: "gate"}), asset.ErrUnknownType)
	assert.Empty(t, drain(sub))
}

// TestPublishGateway: Gateway Connection Changed both ways (EP-GW-E-OFFLINE,
// EP-GW-E-ONLINE), a System event.
func TestPublishGateway(t *testing.T) {
	r, _ := site(t)
	sub := r.Bus().Subscribe(16)
	defer sub.Close()
	r.PublishGateway(&asset.GatewayConnectionChanged{GatewayID: 1, GatewayName: "Main Gateway", GatewayConnectedState: false})
	r.PublishGateway(&asset.GatewayConnectionChanged{GatewayID: 1, GatewayName: "Main Gateway", GatewayConnectedState: true})
	ev := drain(sub)
	require.Len(t, ev, 2)
	for i, e := range ev {
		g := e.(*asset.GatewayConnectionChanged)
		assert.Equal(t, asset.SystemRef, g.Asset())
		assert.Equal(t, i == 1, g.GatewayConnectedState)
	}
	assert.Equal(t, ev[0].Sequence()+1, ev[1].Sequence())
	assert.Equal(t, fmt.Sprintf("#%d Gateway Connection Changed: gateway 1 (Main Gateway) online", ev[1].Sequence()), ev[1].(*asset.GatewayConnectionChanged).String())
}
