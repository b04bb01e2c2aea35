//go:build !linux

package sfuload

import "context"

// Execution traces on request (trace_linux.go) need SIGUSR1.
const traceEnv = childEnv + "_TRACE"

func requestTrace(string) {}

func childTraces(context.Context, string) {}
