package main

import (
	"strings"

	"golang.org/x/text/width"
)

// displayWidth is how many terminal columns s takes: East Asian wide and
// full-width characters take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// padRight pads s with spaces to w terminal columns.
func padRight(s string, w int) string {
	return s + strings.Repeat(" ", max(0, w-displayWidth(s)))
}

// padLeft right-aligns s in w terminal columns.
func padLeft(s string, w int) string {
	return strings.Repeat(" ", max(0, w-displayWidth(s))) + s
}
