//go:build !unix

package server

import "time"

// processCPU is unknown here; load figures then show 0 cores.
func processCPU() time.Duration { return 0 }
