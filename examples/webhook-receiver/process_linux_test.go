package main

import (
	"os/exec"
	"syscall"
)

// dieWithTest has cmd killed when the test process dies, also by a
// timeout's panic, which runs no cleanup: no receiver outlives the tests.
func dieWithTest(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
