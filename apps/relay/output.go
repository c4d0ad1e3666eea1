package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// markerName is the file in the output folder that lists what Relay wrote
// there, so that a later run removes exactly those files (and nothing
// else) when it fails or no longer writes them.
const markerName = ".relay-output.json"

// marker is the content of the marker file.
type marker struct {
	Comment string   `json:"comment"`
	Files   []string `json:"files"` // slash-separated, relative to the folder
}

// readMarker returns the files the marker in dir lists, nil if there is
// none.
func readMarker(dir string) ([]string, error) {
	raw, err := os.ReadFile(filepath.Join(dir, markerName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var m marker
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, markerName), err)
	}
	return m.Files, nil
}

func writeMarker(dir string, files []string) error {
	raw, err := json.MarshalIndent(marker{
		Comment: "Files the Relay app wrote here; it removes them when a later synth fails or no longer writes them. Do not edit.",
		Files:   files,
	}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, markerName), append(raw, '\n'), 0o644)
}

// listFiles returns the regular files under dir, relative and sorted.
func listFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || !e.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		out = append(out, filepath.ToSlash(rel))
		return err
	})
	sort.Strings(out)
	return out, err
}

// publish copies the files of staging into outdir. Files that an earlier
// run of Relay wrote there (as its marker lists) and this one does not are
// removed first; the marker lists the union while files change, so that a
// run interrupted half-way still knows what to remove.
func publish(staging, outdir string) error {
	files, err := listFiles(staging)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(outdir, 0o755); err != nil {
		return err
	}
	old, err := readMarker(outdir)
	if err != nil {
		return err
	}
	union := slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(old), files...))))
	if err := writeMarker(outdir, union); err != nil {
		return err
	}
	keep := map[string]bool{}
	for _, f := range files {
		keep[f] = true
	}
	if _, err := removeListed(outdir, old, keep); err != nil {
		return err
	}
	for _, f := range files {
		if err := copyFile(filepath.Join(staging, filepath.FromSlash(f)), filepath.Join(outdir, filepath.FromSlash(f))); err != nil {
			return err
		}
	}
	if err := writeMarker(outdir, files); err != nil {
		return err
	}
	if others := deployable(outdir, keep); len(others) > 0 {
		fmt.Fprintf(os.Stderr, "relay: warning: %s also holds %s, which this synth did not write: they do not come from this configuration\n", outdir, strings.Join(others, ", "))
	}
	return nil
}

// withdraw removes from outdir what an earlier run of Relay wrote there (as
// its marker lists), after a failed synth, so that nothing stale can be
// deployed by mistake, and says what it removed and what deployable files
// remain that Relay did not write.
func withdraw(outdir string) {
	if outdir == "" {
		return
	}
	old, err := readMarker(outdir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "relay: %v\n", err)
		return
	}
	if old != nil {
		n, err := removeListed(outdir, old, nil)
		if err == nil {
			err = os.Remove(filepath.Join(outdir, markerName))
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "relay: removing the earlier output from %s: %v\n", outdir, err)
			return
		}
		fmt.Fprintf(os.Stderr, "relay: removed the %d files that the last successful synth wrote to %s (as %s listed them), so that none of them is deployed by mistake\n", n, outdir, markerName)
	}
	if others := deployable(outdir, nil); len(others) > 0 {
		fmt.Fprintf(os.Stderr, "relay: %s still holds %s, which Relay did not write (or wrote without %s): they do not come from this configuration; do not deploy them\n", outdir, strings.Join(others, ", "), markerName)
	}
}

// removeListed removes the regular files of dir that files lists and keep
// does not, then the folders they leave empty. It touches nothing outside
// dir, and nothing that is not a regular file (a symbolic link is left
// alone). It returns how many files it removed.
func removeListed(dir string, files []string, keep map[string]bool) (int, error) {
	removed := 0
	dirs := map[string]bool{}
	for _, f := range files {
		if keep[f] || !filepath.IsLocal(filepath.FromSlash(f)) {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(f))
		info, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && !info.Mode().IsRegular()) {
			continue
		}
		if err == nil {
			err = os.Remove(path)
		}
		if err != nil {
			return removed, err
		}
		removed++
		for d := filepath.Dir(f); d != "." && d != "/"; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	// Deepest first; os.Remove refuses a folder that is not empty.
	sorted := slices.Collect(maps.Keys(dirs))
	slices.SortFunc(sorted, func(a, b string) int { return strings.Count(b, "/") - strings.Count(a, "/") })
	for _, d := range sorted {
		os.Remove(filepath.Join(dir, filepath.FromSlash(d)))
	}
	return removed, nil
}

// deployable lists the cloud assembly files at the top of dir that the CDK
// CLI could deploy (manifest.json, *.template.json) and ours does not hold.
func deployable(dir string, ours map[string]bool) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !ours[name] && (name == "manifest.json" || strings.HasSuffix(name, ".template.json")) {
			out = append(out, name)
		}
	}
	return out
}

func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
