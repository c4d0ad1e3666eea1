// Command sizes prints, for growing numbers of target environments, the
// synth time, stacks, resources and policy sizes of the example
// configuration against their AWS limits, with and without an organization.
//
//	make sizes              # 1, 2, 10 and 100 environments
//	go run ./test/cmd/sizes -n 2,100 -runs 5
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/jsii-runtime-go"

	"github.com/relaycdk/relay/constructs/limits"
	"github.com/relaycdk/relay/test/scale"
)

func main() {
	counts := flag.String("n", "1,2,10,100", "comma-separated numbers of environments")
	runs := flag.Int("runs", 3, "synth runs per row; the median time is printed")
	flag.Parse()
	defer jsii.Close()

	fmt.Printf("machine: %d cores, %s; time is the median of %d in-process synths (stacks + cdk-nag + synth)\n\n", runtime.NumCPU(), runtime.Version(), *runs)
	fmt.Printf("%-5s %5s %7s %9s %9s  %-16s %-16s %-16s %-16s %-16s\n",
		"org", "envs", "stacks", "resources", "synth", "key policy", "bucket policy", "pipeline role", "largest role", "largest trust")
	for _, org := range []bool{true, false} {
		for _, s := range strings.Split(*counts, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || n < 1 {
				fmt.Fprintf(os.Stderr, "sizes: -n %q: want positive whole numbers\n", s)
				os.Exit(2)
			}
			cfg, err := scale.Config(n, org)
			if err != nil {
				fmt.Fprintf(os.Stderr, "sizes: %v\n", err)
				os.Exit(1)
			}
			var times []time.Duration
			var f scale.Figures
			for r := 0; r < *runs; r++ {
				start := time.Now()
				f = scale.Measure(cfg)
				times = append(times, time.Since(start))
			}
			sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
			fmt.Printf("%-5v %5d %7d %9d %8.2fs  %-16s %-16s %-16s %-16s %-16s\n", org, n, f.Stacks, f.Resources, times[len(times)/2].Seconds(),
				of(f.KeyPolicy, limits.ByID(limits.KMSKeyPolicy).Max), of(f.BucketPolicy, limits.ByID(limits.S3BucketPolicy).Max),
				of(f.PipelineRole, limits.ByID(limits.IAMRoleInline).Max), of(f.LargestRole, limits.ByID(limits.IAMRoleInline).Max),
				of(f.LargestTrust, limits.ByID(limits.IAMTrustPolicy).Max))
		}
	}
}

func of(v, limit int) string { return fmt.Sprintf("%d/%d", v, limit) }
