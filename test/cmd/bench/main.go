// Command bench prints figures, not tests:
//
//   - Relay's synth time against CDK Pipelines' for the same topology (the
//     comparator in test/bench/cdkpipelines), 2 and 100 environments, each
//     app with its defaults and like for like (neither with aws-cdk-lib's
//     built-in validation nor cdk-nag): medians, paired ratios, CPU time and
//     peak memory of the process trees, the commands to reproduce, and the
//     jsii round trips Relay makes (counted, not timed);
//   - how fast and in how much memory config loading refuses hostile YAML
//     (deep nesting), and what loading and planning a configuration costs
//     in process (config.Parse and delivery.Translate, as FuzzTranslate);
//   - for growing numbers of target accounts, what the Relay app costs and
//     produces: synth time and peak memory of the real app process (cdk-nag
//     and quota checks included), stacks and resources, and the policy sizes
//     as deployed against their AWS limits, and how long the IAM policy
//     evaluator (internal/iameval) takes to judge every access a run makes,
//     with an organization and without.
//
// This machine is shared and noisy: only ratios measured in one run mean
// anything, hence the alternating runs.
//
//	make bench                                            # all three
//	go run ./test/cmd/bench -compare 2,100 -runs 5 -n ""  # the comparison (and hostile YAML)
//	go run ./test/cmd/bench -compare "" -n 2,100          # hostile YAML and the sizes
//	go run ./test/cmd/bench -compare "" -synth=false      # only the hostile YAML rows
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/relaycdk/relay/constructs/config"
	"github.com/relaycdk/relay/constructs/delivery"
	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/constructs/wiring"
	"github.com/relaycdk/relay/internal/iameval"
	"github.com/relaycdk/relay/internal/policysize"
	"github.com/relaycdk/relay/test/scale"
)

func main() {
	counts := flag.String("n", "1,10,100,1000", "comma-separated numbers of target accounts for the sizes table (empty: none)")
	runs := flag.Int("runs", 5, "app runs per row up to 100 targets (larger rows run once); time and memory are medians")
	compareWith := flag.String("compare", "2,100", "comma-separated numbers of environments to compare with CDK Pipelines (empty: none)")
	anchor := flag.String("anchor", ".tools/cdkpipelines", "the installed comparator (make bench installs it from test/bench/cdkpipelines)")
	work := flag.String("work", ".tools/bench", "folder for the app binary, configs and outputs, emptied first and kept, so that the printed commands run again")
	synthRows := flag.Bool("synth", true, "run the sizes rows (false: only the comparison and the hostile YAML rows)")
	flag.Parse()

	dir, err := filepath.Abs(*work)
	check(err)
	check(os.RemoveAll(dir))
	check(os.MkdirAll(dir, 0o755))
	bin := filepath.Join(dir, "relay")
	if out, err := exec.Command("go", "build", "-o", bin, "./apps/relay").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "bench: go build ./apps/relay (run from the repository root): %v\n%s", err, out)
		os.Exit(1)
	}

	if *compareWith != "" {
		compare(dir, bin, *anchor, parseCounts(*compareWith), *runs)
	}
	hostileYAML(bin, dir, max(*runs, 5))
	if *counts != "" {
		loadAndPlan(*counts, max(*runs, 5))
	}
	if !*synthRows || *counts == "" {
		return
	}
	lim := func(id string) int { return limits.ByID(id).Max }
	fmt.Printf("## Sizes\n\nRelay app (cdk-nag and quota checks included), median of %d runs per row up to 100 targets, one run above; sizes in bytes as deployed / AWS limit\n\n", *runs)
	fmt.Printf("| org | targets | stacks | resources | synth | per target | peak memory | key policy (/%d) | bucket policy (/%d) | largest role policy (/%d) | access paths evaluated |\n",
		lim(limits.KMSKeyPolicy), lim(limits.S3BucketPolicy), lim(limits.IAMRoleInline))
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|")
	for _, org := range []bool{true, false} {
		for _, n := range parseCounts(*counts) {
			cfg, err := scale.Config(n, org)
			check(err)
			raw, err := json.Marshal(cfg) // JSON is YAML: the app reads it as a config file
			check(err)
			cfgFile := filepath.Join(dir, fmt.Sprintf("relay-%d-%v.yaml", n, org))
			check(os.WriteFile(cfgFile, raw, 0o644))

			var times []time.Duration
			var mems []int64
			var outdir, failure string
			rowRuns := *runs
			if n > 100 {
				rowRuns = 1
			}
			for r := 0; r < rowRuns; r++ {
				outdir = filepath.Join(dir, fmt.Sprintf("out-%d-%v-%d", n, org, r))
				d, mem, msg := synth(bin, cfgFile, outdir)
				times, mems, failure = append(times, d), append(mems, mem), msg
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			sort.Slice(mems, func(i, j int) bool { return mems[i] < mems[j] })
			t, m := times[len(times)/2], mems[len(mems)/2]
			row := fmt.Sprintf("| %v | %d | ", org, n)
			if failure != "" {
				fmt.Printf("%s refused at synth in %.1fs: %s |\n", row, t.Seconds(), failure)
				continue
			}
			f := measure(outdir)
			fmt.Printf("%s%d | %d | %.1fs | %.0fms | %d MB | %d | %d | %d | %s |\n", row, f.stacks, f.resources, t.Seconds(),
				float64(t.Milliseconds())/float64(n), m/1024, f.key, f.bucket, f.role, evaluate(outdir, org))
		}
	}
}

// parseCounts reads comma-separated positive whole numbers.
func parseCounts(list string) []int {
	var out []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "bench: %q: want comma-separated positive whole numbers\n", s)
			os.Exit(2)
		}
		out = append(out, n)
	}
	return out
}

// synth runs the app once and returns its wall time, the peak resident
// memory of its process tree (the Go app, the jsii host and the jsii
// kernel), and the first error line when it failed.
func synth(bin, cfg, outdir string) (time.Duration, int64, string) {
	ctx, _ := json.Marshal(map[string]string{"config": cfg})
	s, stderr, err := run(bin, nil, []string{"CDK_OUTDIR=" + outdir, "CDK_CONTEXT_JSON=" + string(ctx)}, true)
	if err != nil {
		sc := bufio.NewScanner(strings.NewReader(stderr))
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "relay: error: ") || (strings.HasPrefix(sc.Text(), "relay: ") && !strings.Contains(sc.Text(), "warning")) {
				return s.wall, s.peak, strings.TrimPrefix(sc.Text(), "relay: ")
			}
		}
		return s.wall, s.peak, err.Error()
	}
	return s.wall, s.peak, ""
}

// hostileYAML prints how fast, and in how much memory, config loading
// refuses the deep-nesting inputs of the field reports: the 400 KB file
// nesting 200,000 flow sequences, and a 50 KB file nesting 25,000 (a size
// cap alone would not refuse it). In process: config.Parse, median time and
// bytes allocated; as the app: wall time and peak memory of the process.
func hostileYAML(bin, dir string, runs int) {
	deep, err := os.ReadFile("constructs/config/testdata/field-failures/deep-nesting.yaml")
	check(err)
	inputs := []struct {
		name string
		data []byte
	}{
		{"deep-nesting.yaml (field report)", deep},
		{"25,000 levels", []byte("name: adv\npipeline:\n  variables: " + strings.Repeat("[", 25_000) + strings.Repeat("]", 25_000) + "\n")},
	}
	fmt.Printf("Hostile YAML: config.Parse in process (median of %d) and the app binary on the file (median of %d)\n\n", runs, runs)
	fmt.Println("| input | bytes | Parse | allocated | app wall time | app peak memory | message |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, in := range inputs {
		var times []time.Duration
		var alloc uint64
		var msg string
		for r := 0; r < runs; r++ {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := config.Parse("relay.yaml", in.data)
			times = append(times, time.Since(start))
			runtime.ReadMemStats(&after)
			alloc = after.TotalAlloc - before.TotalAlloc
			if err == nil {
				check(fmt.Errorf("%s: config.Parse accepted it", in.name))
			}
			msg = err.Error()
		}
		file := filepath.Join(dir, "hostile.yaml")
		check(os.WriteFile(file, in.data, 0o644))
		var appTimes []time.Duration
		var mems []int64
		for r := 0; r < runs; r++ {
			d, mem, _ := synth(bin, file, filepath.Join(dir, "out-hostile"))
			appTimes, mems = append(appTimes, d), append(mems, mem)
		}
		fmt.Printf("| %s | %d | %v | %d KB | %v | %d MB | %s |\n", in.name, len(in.data), median(times), alloc/1024,
			median(appTimes), medianInt(mems)/1024, msg)
	}
	fmt.Println()
}

// loadAndPlan prints what config.Parse and delivery.Translate cost in
// process, before jsii starts: median time and bytes allocated.
func loadAndPlan(counts string, runs int) {
	fmt.Printf("Load and plan in process: config.Parse and delivery.Translate (median of %d)\n\n", runs)
	fmt.Println("| targets | config bytes | Parse | Translate | allocated |")
	fmt.Println("|---|---|---|---|---|")
	for _, s := range strings.Split(counts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		check(err)
		cfg, err := scale.Config(n, true)
		check(err)
		raw, err := json.Marshal(cfg)
		check(err)
		var parse, translate []time.Duration
		var alloc uint64
		for r := 0; r < runs; r++ {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			start := time.Now()
			c, err := config.Parse("relay.yaml", raw)
			check(err)
			mid := time.Now()
			_, err = delivery.Translate(c)
			check(err)
			parse, translate = append(parse, mid.Sub(start)), append(translate, time.Since(mid))
			runtime.ReadMemStats(&after)
			alloc = after.TotalAlloc - before.TotalAlloc
		}
		fmt.Printf("| %d | %d | %v | %v | %d KB |\n", n, len(raw), median(parse), median(translate), alloc/1024)
	}
	fmt.Println()
}

// evaluate reads the assembly in outdir with iameval and judges every
// access a run makes; it returns how many, how long, and any denied.
func evaluate(outdir string, org bool) string {
	start := time.Now()
	stacks, err := wiring.ReadResolved(outdir)
	check(err)
	w, err := iameval.FromStacks(stacks)
	check(err)
	if org {
		w.OrgID = "o-a1b2c3d4e5"
	}
	paths := iameval.PipelinePaths(stacks)
	denied := 0
	for _, p := range paths {
		if !w.Authorize(p.Request).Allowed {
			denied++
		}
	}
	out := fmt.Sprintf("%d in %v", len(paths), time.Since(start).Round(time.Millisecond))
	if denied > 0 {
		out += fmt.Sprintf(", %d DENIED", denied)
	}
	return out
}

func median(d []time.Duration) time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2]
}

func medianInt(v []int64) int64 {
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	return v[len(v)/2]
}

type figures struct{ stacks, resources, key, bucket, role int }

func measure(outdir string) figures {
	var f figures
	files, err := filepath.Glob(filepath.Join(outdir, "*.template.json"))
	check(err)
	for _, file := range files {
		raw, err := os.ReadFile(file)
		check(err)
		var tpl map[string]interface{}
		check(json.Unmarshal(raw, &tpl))
		f.stacks++
		res, _ := tpl["Resources"].(map[string]interface{})
		f.resources += len(res)
		p := policysize.Measure(tpl)
		f.key = max(f.key, maxOf(p.KeyPolicies))
		f.bucket = max(f.bucket, maxOf(p.BucketPolicies))
		f.role = max(f.role, maxOf(p.RoleInline))
	}
	return f
}

func maxOf(m map[string]int) int {
	_, v := policysize.Max(m)
	return v
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
