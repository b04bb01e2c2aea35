package sfuload

import (
	"errors"
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
	// A thread being started while the list is read is missing from it,
	// and one started by a thread not yet lowered inherits the old
	// priority (and passes it on): so go over the list again until it
	// holds no thread not yet lowered.
	done := map[int]bool{}
	for pass := 0; ; pass++ {
		tasks, err := os.ReadDir("/proc/self/task")
		if err != nil {
			return err
		}
		fresh := 0
		for _, t := range tasks {
			tid, err := strconv.Atoi(t.Name())
			if err != nil || done[tid] {
				continue
			}
			if err := lowerThread(tid, p); err != nil && !errors.Is(err, unix.ESRCH) {
				return err
			}
			done[tid] = true
			fresh++
		}
		if fresh == 0 {
			return nil
		}
		if pass == maxLowerPasses {
			return fmt.Errorf("sfuload: threads kept appearing while lowering the generator's priority")
		}
	}
}

// maxLowerPasses bounds yieldToSFU's passes over the thread list.
const maxLowerPasses = 20

func lowerThread(tid int, p Priority) error {
	switch p {
	case PriorityIdle:
		return unix.SchedSetAttr(tid, &unix.SchedAttr{Size: unix.SizeofSchedAttr, Policy: unix.SCHED_IDLE}, 0)
	case PriorityLow:
		return syscall.Setpriority(syscall.PRIO_PROCESS, tid, lowNice)
	}
	return fmt.Errorf("sfuload: unknown generator priority %q", p)
}
