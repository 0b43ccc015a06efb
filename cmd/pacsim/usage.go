package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// A usage error is a mistake on the command line: a flag unknown or
// malformed, a value out of range, flags that exclude each other. Every
// command reports one the same way, on stderr, before anything starts:
//
//	pacsim serve: --clock: "sundial" is not real or virtual
//	run 'pacsim serve -h' for the flags
//
// and main exits 2. The whole usage is printed only when asked for, with
// -h (exit 0). What a flag names but cannot be read — a site file, a
// --config file, a recording — is not a usage error: exit 1.

// usageError is a usage error. It is errUsage for errors.Is, and wraps
// what caused it, if anything.
type usageError struct {
	err error
	// reported is set once the two lines are printed, so that run prints
	// those of an error made where no stderr was at hand (see flagErrorf).
	reported bool
}

func (e *usageError) Error() string        { return e.err.Error() }
func (e *usageError) Unwrap() error        { return e.err }
func (e *usageError) Is(target error) bool { return target == errUsage }

// parseFlags parses args with fs, printing nothing on success. A mistake
// is reported as a usage error (see usagef); -h prints the whole usage
// (fs.Usage) and returns flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	// The flag package prints its error and then the whole usage on
	// fs.Output(): both are silenced during Parse and replaced by ours.
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(out)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		if usage != nil {
			usage()
		} else {
			fs.PrintDefaults()
		}
		return flag.ErrHelp
	}
	return usagef(fs, "%v", err)
}

// usagef reports a usage error of fs's command on fs.Output() and returns
// it. The format may wrap an error with %w.
func usagef(fs *flag.FlagSet, format string, args ...any) error {
	e := &usageError{err: fmt.Errorf(format, args...)}
	reportUsage(fs.Output(), fs.Name(), e)
	return e
}

// flagErrorf returns a usage error for code that has no FlagSet at hand;
// run reports it.
func flagErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// reportUsage prints e's two lines once. name is the FlagSet's, "pacsim
// serve".
func reportUsage(w io.Writer, name string, e *usageError) {
	if e.reported {
		return
	}
	e.reported = true
	fmt.Fprintf(w, "%s: %v\nrun '%s -h' for the flags\n", name, e.err, name)
}
