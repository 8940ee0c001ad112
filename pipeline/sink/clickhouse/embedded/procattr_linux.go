package embedded

import "syscall"

// procAttr puts the server in its own process group, so a terminal's Ctrl-C
// reaches it only through Stop, or in its own session when detached. A
// foreground server also gets SIGTERM from the kernel if this program dies
// without calling Stop, so it never outlives its owner and keeps the data
// directory locked.
func procAttr(detached bool) *syscall.SysProcAttr {
	if detached {
		return &syscall.SysProcAttr{Setsid: true}
	}
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
