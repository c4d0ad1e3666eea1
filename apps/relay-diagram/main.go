// Command relay-diagram draws the wiring of a synthesized cloud assembly:
// accounts, stacks, roles and who may assume them, who may use which key
// and bucket, and the pipeline's stages and actions with the account,
// region and role each runs as. It reads the templates, not a Relay
// configuration, so it draws whatever the assembly deploys: Relay's app, a
// team's stacks built with Relay's constructs, or plain CDK.
//
// Usage:
//
//	relay-diagram [dir]
//
// dir is the cloud assembly folder (default cdk.out). It writes
// dir/wiring.mmd (Mermaid) and dir/wiring.dot (Graphviz), both or
// neither, prints their paths, and prints on standard error what the assembly holds that the
// diagram does not show, and a warning when the Mermaid diagram passes
// Mermaid's default limits (500 arrows, 50,000 characters: Relay's example
// with about 25 environments), where the DOT file still renders. It exits
// 1, writing nothing, when dir holds no cloud assembly (run `make synth`
// or `cdk synth` first) or a broken one (package wiring names the file and
// field), and on a flag: it takes none. `make diagram`
// runs it after `make synth`, with the same CONFIG= and OUT=.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/relaycdk/relay/constructs/wiring"
	"github.com/relaycdk/relay/internal/outdir"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "relay-diagram: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	dir := "cdk.out"
	switch {
	case len(args) == 1 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help"):
		fmt.Println("usage: relay-diagram [cloud assembly folder, default cdk.out]\nwrites wiring.mmd (Mermaid) and wiring.dot (Graphviz) into that folder")
		return nil
	case len(args) == 1 && strings.HasPrefix(args[0], "-"):
		return fmt.Errorf("unknown flag %s: usage: relay-diagram [dir] (a folder whose name starts with - goes as ./%s)", args[0], args[0])
	case len(args) == 1 && args[0] == "":
		return fmt.Errorf("the cloud assembly folder is empty (\"\"): pass the folder cdk synth wrote, or nothing for cdk.out")
	case len(args) == 1:
		dir = args[0]
	case len(args) > 1:
		return fmt.Errorf("usage: relay-diagram [dir]: one cloud assembly folder, got %d arguments", len(args))
	}
	m, err := wiring.Read(dir)
	if err != nil {
		return err
	}
	for _, n := range m.Notes {
		fmt.Fprintf(os.Stderr, "relay-diagram: not shown: %s\n", n)
	}
	mmd := wiring.Mermaid(m)
	if err := wiring.MermaidLimits(mmd); err != nil {
		fmt.Fprintf(os.Stderr, "relay-diagram: warning: %v\n", err)
	}
	// Both files or neither: a Mermaid diagram next to a stale DOT one
	// would disagree.
	if err := outdir.Write(dir, "the cloud assembly folder", []outdir.File{
		{Name: "wiring.mmd", Data: []byte(mmd), Mode: 0o644},
		{Name: "wiring.dot", Data: []byte(wiring.DOT(m)), Mode: 0o644},
	}); err != nil {
		return err
	}
	fmt.Printf("relay-diagram: %s\nrelay-diagram: %s\n", filepath.Join(dir, "wiring.mmd"), filepath.Join(dir, "wiring.dot"))
	return nil
}
