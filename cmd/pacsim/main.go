// Command pacsim is the hardware simulator and conformance harness for
// physical access control integrations.
//
//	pacsim serve   the simulated site, its head-ends and the control API
//	pacsim driver  the EntraPass integration driver and its northbound API
//	pacsim visitors the Genetec visitor-badge connector and its API
//	pacsim load    measure the event path end to end
//	pacsim site    print a site file (the default or a generated one)
//	pacsim conform run the conformance scenarios and write their reports
//	pacsim probe   GET a URL once, exit 0 on 200 (a container's health check)
//
// Run `pacsim <command> -h` for a command's flags.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

const usage = `pacsim — hardware simulator and conformance harness for access control integrations

Usage:
  pacsim serve [flags]   serve the simulated site (run 'pacsim serve -h' for flags)
  pacsim driver [flags]  run the EntraPass driver against a server (run 'pacsim driver -h')
  pacsim visitors [flags] run the Genetec visitor-badge connector (run 'pacsim visitors -h')
  pacsim load [flags]    run a generated site and the driver end to end and measure the event path
  pacsim site [flags]    print the default or a generated site file as YAML
  pacsim conform [flags] run the conformance scenarios against the simulator or a server (run 'pacsim conform -h')
  pacsim record [flags]  record an integration's traffic with a real head-end (run 'pacsim record -h')
  pacsim replay FILE [flags] serve a recording (--listen), or compare a live server with it (--against) (run 'pacsim replay -h')
  pacsim probe URL [flags] GET URL once: exit 0 on 200, else 1 with the status and why (run 'pacsim probe -h')
  pacsim version         print the version

`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage): // run has reported it
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "pacsim:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	err := command(ctx, args, stdout, stderr)
	var ue *usageError
	switch {
	case errors.As(err, &ue):
		reportUsage(stderr, "pacsim "+args[0], ue)
	case err != errUsage && errors.Is(err, errUsage):
		// A command's own usage error wrapping errUsage (conform's).
		reportUsage(stderr, "pacsim "+args[0], &usageError{err: errors.New(strings.TrimPrefix(err.Error(), args[0]+": "))})
	}
	return err
}

// command runs the command args[0].
func command(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "driver":
		return runDriver(ctx, args[1:], stdout, stderr)
	case "visitors":
		return runVisitors(ctx, args[1:], stdout, stderr)
	case "load":
		return runLoad(ctx, args[1:], stdout, stderr)
	case "site":
		return runSite(args[1:], stdout, stderr)
	case "conform":
		return runConform(ctx, args[1:], stdout, stderr)
	case "record":
		return runRecord(ctx, args[1:], stdout, stderr)
	case "replay":
		return runReplay(ctx, args[1:], stdout, stderr)
	case "probe":
		return runProbe(ctx, args[1:], stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "pacsim", version)
		return nil
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "pacsim: unknown command %q\nrun 'pacsim -h' for the commands\n", args[0])
		return errUsage
	}
}
