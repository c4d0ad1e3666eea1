//go:build linux

package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// madvPageout is Linux's MADV_PAGEOUT (since 5.4): reclaim these pages
// now. It never changes their contents: a clean file-backed page is read
// back from the file when touched again, and a page that cannot be
// written out (a modified one without swap) stays.
const madvPageout = 21

// releaseEmbeddedPackages gives back to the system the pages of the app's
// executable that hold the jsii packages (aws-cdk-lib, constructs,
// cdk-nag and their assets, about 60 MB embedded in the binary): the jsii
// runtime reads each once, to write it to a temporary folder for the jsii
// kernel, and never again, yet they stayed resident for the whole synth,
// the largest part of the Go process's memory. Only the executable's
// non-code mappings are advised; the advice is best effort (an old kernel
// refuses it, and nothing changes).
func releaseEmbeddedPackages() {
	exe, err := os.Executable()
	if err != nil {
		return
	}
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(maps), "\n") {
		f := strings.Fields(line)
		if len(f) < 6 || f[5] != exe || strings.Contains(f[1], "x") {
			continue
		}
		from, to, ok := strings.Cut(f[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(from, 16, 64)
		end, err2 := strconv.ParseUint(to, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		syscall.Syscall(syscall.SYS_MADVISE, uintptr(start), uintptr(end-start), madvPageout)
	}
}
