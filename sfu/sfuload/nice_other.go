//go:build !linux

package sfuload

// yieldToSFU is a no-op where per-thread scheduling is not available.
func yieldToSFU(Priority) error { return nil }
