// Package outdir writes the output files of Relay's side programs
// (relay-diagram, relay-compliance, relay-bootstrap) into a folder all at
// once or not at all: a program that fails leaves no half-written set
// (a Mermaid diagram without its DOT twin, a report's Markdown without its
// JSON, some accounts' policies without the script that creates them).
package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// File is one output file: its name inside the folder, its bytes and its
// permissions (0o644, or 0o755 for a script).
type File struct {
	Name string
	Data []byte
	Mode fs.FileMode
}

// Write writes files into dir, which the user named with flag (such as
// "-o", or "the cloud assembly folder"). It creates dir and its missing
// parents; refuses, before writing anything, a dir that is empty or a
// file, and a file name already taken by something other than a regular
// file (a folder, say); writes each file to a temporary file in dir and
// renames them into place only when all are written. On any failure it
// removes its temporary files and the folders it created, and the error
// names the flag, the path, the reason and the fix.
func Write(dir, flag string, files []File) (err error) {
	fix := "pass another " + flag
	if flag[0] != '-' {
		fix = "name another folder"
	}
	if dir == "" {
		return fmt.Errorf("%s is empty: name the folder for %s", flag, names(files))
	}
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return fmt.Errorf("%s %s is a file, not a folder: %s, or remove the file", flag, dir, fix)
	}
	for _, f := range files {
		path := filepath.Join(dir, f.Name)
		if info, err := os.Stat(path); err == nil && !info.Mode().IsRegular() {
			return fmt.Errorf("%s %s: cannot write %s: it is a %s, not a file: remove it, or %s", flag, dir, path, kind(info), fix)
		}
	}
	created := firstMissing(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s %s: cannot create the folder: %v: %s", flag, dir, reason(err), fix)
	}
	var temps []string
	defer func() {
		if err == nil {
			return
		}
		for _, t := range temps {
			os.Remove(t)
		}
		if created != "" {
			os.RemoveAll(created)
		}
	}()
	for _, f := range files {
		tmp, err := os.CreateTemp(dir, "."+f.Name+".*")
		if err != nil {
			return fmt.Errorf("%s %s: cannot write there: %v: %s", flag, dir, reason(err), fix)
		}
		temps = append(temps, tmp.Name())
		_, werr := tmp.Write(f.Data)
		cerr := tmp.Close()
		if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), f.Mode)); err != nil {
			return fmt.Errorf("%s %s: cannot write %s: %v: %s", flag, dir, f.Name, reason(err), fix)
		}
	}
	for i, f := range files {
		if err := os.Rename(temps[i], filepath.Join(dir, f.Name)); err != nil {
			return fmt.Errorf("%s %s: cannot write %s: %v: %s", flag, dir, f.Name, reason(err), fix)
		}
	}
	return nil
}

// firstMissing is the outermost folder of dir that does not exist yet, or
// "" when dir exists.
func firstMissing(dir string) string {
	missing := ""
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil {
			return missing
		}
		missing = d
		if filepath.Dir(d) == d {
			return missing
		}
	}
}

// reason is the system's reason of a file error, without the path that
// the messages above already give.
func reason(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

func kind(info fs.FileInfo) string {
	switch {
	case info.IsDir():
		return "folder"
	}
	return "special file"
}

func names(files []File) string {
	s := ""
	for i, f := range files {
		switch {
		case i == 0:
		case i == len(files)-1:
			s += " and "
		default:
			s += ", "
		}
		s += f.Name
	}
	return s
}
