//go:build !unix

package main

import "time"

// processCPU is unknown here; load figures then show 0 cores.
func processCPU() time.Duration { return 0 }
