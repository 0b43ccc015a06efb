package asset

import "errors"

// Errors of the package. Every error returned wraps one of these, so a caller
// (the northbound API) can choose its answer with errors.Is, while the message
// itself says which asset, command, status or parameter was wrong.
var (
	// ErrUnknownType: an asset type that is not system, door, reader, output or input.
	ErrUnknownType = errors.New("unknown asset type")
	// ErrUnknownStatus: a status the document does not list.
	ErrUnknownStatus = errors.New("unknown status")
	// ErrUnknownCommand: a command the document does not list.
	ErrUnknownCommand = errors.New("unknown command")
	// ErrUnknownAsset: no asset with that type and id.
	ErrUnknownAsset = errors.New("unknown asset")
	// ErrDuplicateAsset: an asset with that type and id already exists.
	ErrDuplicateAsset = errors.New("asset already exists")
	// ErrInvalidAsset: an asset without its required property (Door ID,
	// Output ID, Input ID), or with one that is not a component id.
	ErrInvalidAsset = errors.New("invalid asset")
	// ErrUnsupported: a status or command that the asset's type does not support.
	ErrUnsupported = errors.New("not supported")
	// ErrOutOfRange: a command parameter outside its range; nothing was sent.
	ErrOutOfRange = errors.New("out of range")
	// ErrRefused: the asset's state refuses the command (Acknowledge without an alarm).
	ErrRefused = errors.New("refused")
	// ErrInvalidTable: a status table that lacks No Communication, repeats or
	// names an unknown status, or lacks a status of the type it is given to.
	ErrInvalidTable = errors.New("invalid status table")
	// ErrNoHardware: a hardware command on a registry that has no Hardware.
	ErrNoHardware = errors.New("no hardware to send the command to")
)
