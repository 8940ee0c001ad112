//go:build !linux

package embedded

import "syscall"

// procAttr puts the server in its own process group, or in its own session
// when detached. Outside Linux there is no parent-death signal, so a
// foreground server whose owner crashes must be stopped by hand.
func procAttr(detached bool) *syscall.SysProcAttr {
	if detached {
		return &syscall.SysProcAttr{Setsid: true}
	}
	return &syscall.SysProcAttr{Setpgid: true}
}
