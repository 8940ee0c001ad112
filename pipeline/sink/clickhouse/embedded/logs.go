package embedded

import (
	"io"
	"os"
	"strings"
)

// maxTailBytes and maxTailLines bound the log excerpt put in an error.
const (
	maxTailBytes = 64 << 10
	maxTailLines = 8
)

// logMark remembers the sizes of the server's error log and console output
// before a start, so an error quotes only what that start wrote.
type logMark struct {
	files   []string
	offsets []int64
}

func markLogs(l layout) logMark {
	m := logMark{files: []string{l.errorLog(), l.consoleLog()}}
	for _, f := range m.files {
		var off int64
		if fi, err := os.Stat(f); err == nil {
			off = fi.Size()
		}
		m.offsets = append(m.offsets, off)
	}
	return m
}

// tail returns the last lines written since the mark, error log first, as
// one line ("a | b | c") fit for an error message.
func (m logMark) tail() string {
	for i, f := range m.files {
		if lines := readNewLines(f, m.offsets[i]); len(lines) > 0 {
			return strings.Join(lines, " | ")
		}
	}
	return ""
}

func readNewLines(path string, offset int64) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.Size() <= offset {
		return nil
	}
	if fi.Size()-offset > maxTailBytes {
		offset = fi.Size() - maxTailBytes
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil
	}
	body, err := io.ReadAll(f)
	if err != nil {
		return nil
	}
	var lines []string
	for _, line := range strings.Split(string(body), "\n") {
		line = strings.TrimSpace(line)
		// 18.16 announces its log files on stdout; that is no error.
		if line == "" || strings.HasPrefix(line, "Logging ") {
			continue
		}
		lines = append(lines, line)
	}
	if len(lines) > maxTailLines {
		lines = lines[len(lines)-maxTailLines:]
	}
	return lines
}
