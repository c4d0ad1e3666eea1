//go:build !linux

package main

// releaseEmbeddedPackages does nothing outside Linux.
func releaseEmbeddedPackages() {}
