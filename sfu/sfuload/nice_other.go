//go:build !linux

package sfuload

// yieldToSFU is a no-op where per-thread niceness is not available.
func yieldToSFU(int) error { return nil }
