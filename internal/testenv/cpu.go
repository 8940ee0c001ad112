package testenv

import (
	"syscall"
	"testing"
	"time"
)

// ReportCPU reports, as the benchmark's cpu-ns/op, the CPU time (user and
// system, every goroutine and the garbage collector) the process used per
// iteration from now until the benchmark ends: on a machine shared with
// other work it varies far less than the wall time of ns/op.
func ReportCPU(b *testing.B) {
	start := cpuTime()
	b.Cleanup(func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	})
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
