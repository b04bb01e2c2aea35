package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/sprechstunde/sprechstunde/sfu/sfuload"
)

// loadgenSFU runs sfuload's ramp of 1:1 sessions. By default the SFU runs
// in a child process (this binary, re-executed with the same arguments; see
// main) so its CPU and memory are measured apart from the load generator's.
func loadgenSFU(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg := sfuload.DefaultConfig()
	fs := flag.NewFlagSet("sprechstunde-load sfu", flag.ContinueOnError)
	fs.SetOutput(stderr)
	steps := fs.String("steps", "", "comma-separated session counts (default 10,25,50,75,100,125,150)")
	fs.DurationVar(&cfg.Settle, "settle", cfg.Settle, "settle time after each ramp step")
	fs.DurationVar(&cfg.Measure, "measure", cfg.Measure, "measuring window per step")
	fs.DurationVar(&cfg.MaxDuration, "max", cfg.MaxDuration, "time budget for the whole run")
	fs.BoolVar(&cfg.InProcess, "in-process", false, "run the SFU in this process (figures then include the generator)")
	fs.DurationVar(&cfg.UDPReadInterval, "udp-read-interval", cfg.UDPReadInterval, "the SFU's sfu.udp_read_interval (0: read the media socket on every arrival)")
	prio := fs.String("gen-priority", string(cfg.GeneratorPriority), "load generator's CPU priority below the SFU child: idle (Linux SCHED_IDLE), low (niceness 10) or equal")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch p := sfuload.Priority(*prio); p {
	case sfuload.PriorityIdle, sfuload.PriorityLow, sfuload.PriorityEqual:
		cfg.GeneratorPriority = p
	default:
		return fmt.Errorf("loadgen sfu: -gen-priority: %q is not idle, low or equal", *prio)
	}
	if *steps != "" {
		cfg.Steps = nil
		for _, f := range strings.Split(*steps, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 {
				return fmt.Errorf("loadgen sfu: -steps: %q is not a positive number", f)
			}
			cfg.Steps = append(cfg.Steps, n)
		}
	}
	_, err := sfuload.Run(ctx, cfg, stdout)
	return err
}
