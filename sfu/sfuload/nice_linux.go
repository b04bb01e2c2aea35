package sfuload

import (
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// lowNice is PriorityLow's niceness.
const lowNice = 10

// yieldToSFU lowers this process's CPU priority below the SFU child's, on
// every thread (on Linux scheduling policy and niceness are per thread, and
// threads started later inherit them from the one that starts them). The
// load clients stand in for browsers on other machines; sharing two cores
// with the SFU at equal priority, the kernel would make SFU threads wait
// behind generator threads for whole time slices, which says more about
// the generator than about the SFU.
//
// PriorityIdle uses SCHED_IDLE: a waking SFU thread always preempts the
// generator at once. PriorityLow uses niceness 10, under which a waking SFU
// thread may still wait for the generator's slice to end. Lowering one's
// own priority needs no privilege.
func yieldToSFU(p Priority) error {
	if p == PriorityEqual {
		return nil
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		switch p {
		case PriorityIdle:
			err = unix.SchedSetAttr(tid, &unix.SchedAttr{Size: unix.SizeofSchedAttr, Policy: unix.SCHED_IDLE}, 0)
		case PriorityLow:
			err = syscall.Setpriority(syscall.PRIO_PROCESS, tid, lowNice)
		default:
			return fmt.Errorf("sfuload: unknown generator priority %q", p)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
