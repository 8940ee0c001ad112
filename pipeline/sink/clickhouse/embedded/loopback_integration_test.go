package embedded

import (
	"bufio"
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTheServerListensOnLoopbackOnly starts the embedded server and looks
// at what the running process listens on, not at its configuration: every
// listening TCP socket it holds (its /proc/<pid>/fd sockets found in
// /proc/net/tcp and tcp6 in state LISTEN) is bound to 127.0.0.1 or ::1, and
// its port refuses a connection on every other address of this machine.
func TestTheServerListensOnLoopbackOnly(t *testing.T) {
	cfg := integrationConfig(t)
	srv, err := Start(t.Context(), cfg, testLogger(t))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, srv.Stop()) })

	pid := strconv.Itoa(srv.cmd.Process.Pid)

	inodes := map[string]bool{}
	fds, err := os.ReadDir(filepath.Join("/proc", pid, "fd"))
	require.NoError(t, err)
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc", pid, "fd", fd.Name()))
		if err == nil && strings.HasPrefix(target, "socket:[") {
			inodes[strings.TrimSuffix(strings.TrimPrefix(target, "socket:["), "]")] = true
		}
	}
	var listening []string
	for _, table := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		f, err := os.Open(table)
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 10 || fields[3] != "0A" || !inodes[fields[9]] {
				continue
			}
			listening = append(listening, procAddr(t, fields[1]))
		}
		require.NoError(t, sc.Err())
		f.Close()
	}
	t.Logf("server pid %s listens on %v", pid, listening)
	require.NotEmpty(t, listening, "the server listens")
	for _, addr := range listening {
		host, _, err := net.SplitHostPort(addr)
		require.NoError(t, err)
		require.True(t, net.ParseIP(host).IsLoopback(), "listening on %s", addr)
	}

	_, port, err := net.SplitHostPort(srv.Addr())
	require.NoError(t, err)
	addrs, err := net.InterfaceAddrs()
	require.NoError(t, err)
	tried := 0
	for _, a := range addrs {
		ipnet, ok := a.(*net.IPNet)
		if !ok || ipnet.IP.IsLoopback() || ipnet.IP.IsLinkLocalUnicast() {
			continue
		}
		tried++
		d := net.Dialer{Timeout: 2 * time.Second}
		conn, err := d.DialContext(context.Background(), "tcp", net.JoinHostPort(ipnet.IP.String(), port))
		if err == nil {
			conn.Close()
		}
		require.Error(t, err, "the port answers on %s", ipnet.IP)
	}
	t.Logf("port %s refused on %d non-loopback addresses", port, tried)
}

// procAddr decodes a /proc/net/tcp{,6} local address ("0100007F:1F90").
func procAddr(t *testing.T, s string) string {
	t.Helper()
	hexIP, hexPort, ok := strings.Cut(s, ":")
	require.True(t, ok, s)
	port, err := strconv.ParseUint(hexPort, 16, 16)
	require.NoError(t, err)
	ip := make(net.IP, len(hexIP)/2)
	// Each 32-bit word is in host (little-endian) byte order.
	for w := 0; w < len(ip)/4; w++ {
		for i := 0; i < 4; i++ {
			v, err := strconv.ParseUint(hexIP[8*w+2*(3-i):8*w+2*(3-i)+2], 16, 8)
			require.NoError(t, err)
			ip[4*w+i] = byte(v)
		}
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(int(port)))
}
