package asset

import (
	"fmt"
	"strings"
)

// CommandName is a command an operator gives an asset, spelled exactly as the
// integration document's "Supported Commands" spell it.
type CommandName string

// The commands of the document.
const (
	// Mask masks the asset's true state (it shows Masked until Reset).
	Mask CommandName = "Mask"
	// Acknowledge acknowledges an asset alarm.
	Acknowledge CommandName = "Acknowledge"
	// Reset resets the asset to its true hardware state (clears Mask and Acknowledge).
	Reset CommandName = "Reset"
	// Cancel deselects all selected assets.
	Cancel CommandName = "Cancel"
	// Lock locks the door.
	Lock CommandName = "Lock"
	// Unlock unlocks the door.
	Unlock CommandName = "Unlock"
	// Pass temporarily unlocks the door for "Seconds Unlocked" (1–255).
	Pass CommandName = "Pass"
	// DisableReader takes away the ability to interact with the reader.
	DisableReader CommandName = "Disable Reader"
	// EnableReader allows the reader to be interacted with.
	EnableReader CommandName = "Enable Reader"
	// ActivateOutput activates the output device.
	ActivateOutput CommandName = "Activate Output"
	// DeactivateOutput deactivates the output device.
	DeactivateOutput CommandName = "Deactivate Output"
	// TimedActivation temporarily activates the output for "Seconds Active" (1–64800).
	TimedActivation CommandName = "Timed Activation"
)

// allCommands is every command: the operator's four first, then the
// hardware commands in the document's order.
var allCommands = [...]CommandName{
	Mask, Acknowledge, Reset, Cancel,
	Lock, Unlock, Pass,
	DisableReader, EnableReader,
	ActivateOutput, DeactivateOutput, TimedActivation,
}

// Commands returns every command of the document.
func Commands() []CommandName { return append([]CommandName(nil), allCommands[:]...) }

// ParseCommand returns the command named s, ignoring case; the result is
// always the document's spelling.
func ParseCommand(s string) (CommandName, error) {
	for _, c := range allCommands {
		if strings.EqualFold(string(c), strings.TrimSpace(s)) {
			return c, nil
		}
	}
	return "", fmt.Errorf("%w %q (the commands are %s)", ErrUnknownCommand, s, joinCommands(allCommands[:]))
}

// UnmarshalText accepts a command by name (see ParseCommand), so that a
// northbound body {"command":"pass"} decodes and {"command":"Open"} does not.
func (c *CommandName) UnmarshalText(b []byte) error {
	cn, err := ParseCommand(string(b))
	if err != nil {
		return err
	}
	*c = cn
	return nil
}

// Valid reports whether c is one of the document's commands.
func (c CommandName) Valid() bool {
	for _, x := range allCommands {
		if x == c {
			return true
		}
	}
	return false
}

// IsOperator reports whether c is one of the commands the driver carries out
// itself, without the hardware: Mask, Acknowledge, Reset, Cancel.
func (c CommandName) IsOperator() bool {
	return c == Mask || c == Acknowledge || c == Reset || c == Cancel
}

// Param is a command's parameter as the document names it, with its range.
type Param struct {
	// Name is the document's name: "Seconds Unlocked", "Seconds Active".
	Name string
	// Min and Max bound the value, both included.
	Min, Max int
}

// The parameters of the document. Pass: "Seconds Unlocked — between 1–255".
// Timed Activation: "Seconds Active" with no range in the document; SPEC §6
// gives 1–64800 (18 h: the EntraPass GO limit that SPEC §2 sets on the
// SmartService commands' delay).
var (
	// secondsUnlocked is Pass's parameter.
	secondsUnlocked = Param{Name: "Seconds Unlocked", Min: 1, Max: 255}
	// secondsActive is Timed Activation's parameter.
	secondsActive = Param{Name: "Seconds Active", Min: 1, Max: 64800}
)

// Param returns the command's parameter, if it takes one.
func (c CommandName) Param() (Param, bool) {
	switch c {
	case Pass:
		return secondsUnlocked, true
	case TimedActivation:
		return secondsActive, true
	}
	return Param{}, false
}

// Check refuses a value outside the parameter's range, with an error that
// names the parameter.
func (p Param) Check(v int) error {
	if v < p.Min || v > p.Max {
		return fmt.Errorf("%w: %s must be between %d and %d seconds, not %d", ErrOutOfRange, p.Name, p.Min, p.Max, v)
	}
	return nil
}

// CheckPass refuses a Pass duration outside 1–255 s.
func CheckPass(seconds int) error { return secondsUnlocked.Check(seconds) }

// CheckTimedActivation refuses a Timed Activation duration outside 1–64800 s.
func CheckTimedActivation(seconds int) error { return secondsActive.Check(seconds) }

// Command is one command for one asset, as the northbound API receives it:
// {"command":"Pass","seconds":5}.
type Command struct {
	// Name is the command.
	Name CommandName `json:"command"`
	// Seconds is the parameter of Pass (Seconds Unlocked) and Timed
	// Activation (Seconds Active); zero for every other command.
	Seconds int `json:"seconds,omitempty"`
}

// Validate checks that the command exists, that the asset type supports it
// and that its parameter is in range. It is called before anything is sent,
// so a refused command never reaches the hardware.
func (c Command) Validate(t Type) error {
	in := t.info()
	if in == nil {
		return fmt.Errorf("%w %q", ErrUnknownType, t)
	}
	if !c.Name.Valid() {
		return fmt.Errorf("%w %q (%s supports %s)", ErrUnknownCommand, c.Name, article(in.title), joinCommands(in.commands))
	}
	if !t.SupportsCommand(c.Name) {
		return fmt.Errorf("%q is %w by %s: it supports %s", c.Name, ErrUnsupported, article(in.title), joinCommands(in.commands))
	}
	p, ok := c.Name.Param()
	if !ok {
		if c.Seconds != 0 {
			return fmt.Errorf("%w: %s takes no seconds (got %d)", ErrOutOfRange, c.Name, c.Seconds)
		}
		return nil
	}
	if err := p.Check(c.Seconds); err != nil {
		return fmt.Errorf("%s: %w", c.Name, err)
	}
	return nil
}

// String renders the command for logs: "Pass 5s", "Lock".
func (c Command) String() string {
	if _, ok := c.Name.Param(); ok {
		return fmt.Sprintf("%s %ds", c.Name, c.Seconds)
	}
	return string(c.Name)
}

// article puts "a" or "an" before a type's title: "a Door", "an Output".
func article(title string) string {
	if title != "" && strings.ContainsRune("AEIOU", rune(title[0])) {
		return "an " + title
	}
	return "a " + title
}

func joinCommands(cs []CommandName) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(c))
	}
	return b.String()
}
