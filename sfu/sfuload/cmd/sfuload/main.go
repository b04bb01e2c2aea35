// Command sfuload runs the SFU load generator on its own; the main binary
// offers the same as "sprechstunde loadgen sfu".
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/sprechstunde/sprechstunde/sfu/sfuload"
)

func main() {
	cfg := sfuload.DefaultConfig()
	steps := flag.String("steps", "", "comma-separated session counts (default 10,25,50,75,100,125,150)")
	flag.DurationVar(&cfg.Measure, "measure", cfg.Measure, "measuring window per step")
	flag.DurationVar(&cfg.Settle, "settle", cfg.Settle, "settle time before measuring")
	flag.DurationVar(&cfg.MaxDuration, "max", cfg.MaxDuration, "time budget for the whole run")
	flag.BoolVar(&cfg.InProcess, "in-process", false, "run the SFU in this process")
	flag.DurationVar(&cfg.UDPReadInterval, "udp-read-interval", cfg.UDPReadInterval, "the SFU's UDP read interval (0: read on every arrival)")
	flag.Parse()
	if *steps != "" {
		cfg.Steps = nil
		for _, s := range strings.Split(*steps, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				fmt.Fprintln(os.Stderr, "bad -steps:", err)
				os.Exit(2)
			}
			cfg.Steps = append(cfg.Steps, n)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	if _, err := sfuload.Run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sfuload:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "done in %s\n", time.Since(start).Round(time.Second))
}
