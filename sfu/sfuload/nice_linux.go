package sfuload

import (
	"os"
	"strconv"
	"syscall"
)

// yieldToSFU lowers this process's CPU priority (every thread: on Linux
// niceness is per thread, and threads started later inherit it from the
// one that starts them). The load clients stand in for browsers on other
// machines; sharing two cores with the SFU at equal priority, the kernel
// would make SFU threads wait behind generator threads for whole time
// slices, which says more about the generator than about the SFU. Lowering
// one's own priority needs no privilege.
func yieldToSFU(nice int) error {
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return err
	}
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if err := syscall.Setpriority(syscall.PRIO_PROCESS, tid, nice); err != nil {
			return err
		}
	}
	return nil
}
