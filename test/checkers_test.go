package test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/relaycdk/relay/constructs/compliance/controltower"
	"github.com/relaycdk/relay/constructs/relaytest"
)

// checker runs one external checker of the golden templates (cfn-lint,
// cfn-guard) once per test binary, in the background. They are processes
// of their own on one thread each: when the whole package runs (no -run),
// startCheckers starts both as soon as the golden assemblies are written,
// and they run beside the serial tests that follow, on the machine's other
// core, instead of after them; the tests that read their results
// (TestCfnLint, controlTower) wait for them. A run of selected tests starts
// a checker when a test first needs it.
type checker struct {
	once sync.Once
	done chan struct{}
	run  func(ctx context.Context) (interface{}, error)
	val  interface{}
	err  error
}

func (c *checker) start() {
	c.once.Do(func() {
		c.done = make(chan struct{})
		go func() {
			defer close(c.done)
			c.val, c.err = c.run(checkersCtx)
		}()
	})
}

// result starts the checker if it has not started, and waits for it.
func (c *checker) result() (interface{}, error) {
	c.start()
	<-c.done
	return c.val, c.err
}

var (
	// checkersCtx ends when TestMain does (stopCheckers): a checker that
	// no test waited for is killed rather than left running.
	checkersCtx, cancelCheckers = context.WithCancel(context.Background())
	lintCheck                   = &checker{run: runCfnLint}
	guardCheck                  = &checker{run: runControlTower}
)

// startCheckers starts both checkers when the whole package runs.
func startCheckers() {
	if f := flag.Lookup("test.run"); f != nil && f.Value.String() != "" {
		return
	}
	lintCheck.start()
	guardCheck.start()
}

// stopCheckers kills the checkers that still run and waits for them.
func stopCheckers() {
	cancelCheckers()
	for _, c := range []*checker{lintCheck, guardCheck} {
		if c.done != nil {
			<-c.done
		}
	}
}

// goldenFiles are the template files of every golden assembly, sorted.
func goldenFiles() []string {
	assembliesMu.Lock()
	defer assembliesMu.Unlock()
	var files []string
	for _, a := range goldenAssembly {
		for _, s := range a.Stacks {
			files = append(files, filepath.Join(a.Dir, s.TemplateFile))
		}
	}
	sort.Strings(files)
	return files
}

// lintResult is what cfn-lint printed over the golden templates, and how
// it exited.
type lintResult struct {
	out  string
	exit error
}

// runCfnLint runs cfn-lint once over every golden template, written by
// stack name, with ignoredLintRules ignored.
func runCfnLint(ctx context.Context) (interface{}, error) {
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		return nil, errors.New("cfn-lint is not installed; install it with: pip install 'cfn-lint==1.51.0' (or pipx install cfn-lint)")
	}
	dir, err := os.MkdirTemp("", "relay-lint-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	assembliesMu.Lock()
	var files []string
	for name, tpl := range allTemplates {
		f := filepath.Join(dir, name+".template.json")
		if err := os.WriteFile(f, relaytest.Marshal(tpl), 0o644); err != nil {
			assembliesMu.Unlock()
			return nil, err
		}
		files = append(files, f)
	}
	assembliesMu.Unlock()
	if len(files) == 0 {
		return nil, errors.New("no golden templates to lint")
	}
	ignore := make([]string, 0, len(ignoredLintRules))
	for rule := range ignoredLintRules {
		ignore = append(ignore, rule)
	}
	sort.Strings(ignore)
	args := append([]string{"--format", "parseable", "--ignore-checks", strings.Join(ignore, ","), "--"}, files...)
	cmd := exec.CommandContext(ctx, lint, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return nil, fmt.Errorf("cfn-lint did not run: %v", err)
	}
	return lintResult{out.String(), err}, nil
}

// guardResult is the Control Tower rules that apply to the golden
// templates, and their violations.
type guardResult struct {
	rules      []string
	violations []controltower.Violation
}

// runControlTower runs the Control Tower rules once over every template of
// every golden configuration.
func runControlTower(ctx context.Context) (interface{}, error) {
	guard, rulesDir, err := guardPaths()
	if err != nil {
		return nil, err
	}
	files := goldenFiles()
	if len(files) == 0 {
		return nil, errors.New("no golden templates to check")
	}
	rules, err := controltower.Rules(rulesDir, files)
	if err != nil {
		return nil, err
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	violations, err := controltower.Validate(guard, rules, files)
	if err != nil {
		return nil, err
	}
	return guardResult{rules, violations}, nil
}
