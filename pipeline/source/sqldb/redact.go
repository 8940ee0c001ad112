package sqldb

import (
	"context"
	"errors"
	"regexp"
	"strings"
)

// Password forms a driver may echo from a DSN: a URL's user:password@, a
// key=value password=, a MySQL DSN's user:password@.
var dsnPasswords = []*regexp.Regexp{
	regexp.MustCompile(`(://[^:/@\s]*):[^@\s]*@`),
	regexp.MustCompile(`(?i)(password\s*=\s*)('[^']*'|\S+)`),
	regexp.MustCompile(`(^|\s)([^:@/\s]+):[^@\s]*@(tcp|unix)\(`),
}

// redactor removes the password from error texts: the configured one
// wherever it appears, and any written into a DSN.
type redactor struct{ password string }

func newRedactor(password string) redactor { return redactor{password: password} }

// lineBreaks are folded so that an error is one line (pgx lists each
// address it tried on a line of its own).
var lineBreaks = regexp.MustCompile(`:?\s*\n\s*`)

// text returns s without secrets, on one line.
func (r redactor) text(s string) string {
	s = lineBreaks.ReplaceAllString(strings.TrimSpace(s), "; ")
	if r.password != "" {
		s = strings.ReplaceAll(s, r.password, "***")
	}
	s = dsnPasswords[0].ReplaceAllString(s, "$1:***@")
	s = dsnPasswords[1].ReplaceAllString(s, "${1}***")
	s = dsnPasswords[2].ReplaceAllString(s, "$1$2:***@$3(")
	return s
}

// wrap returns err with its text redacted. The driver's error is not kept
// (its text holds what was redacted), except that a cancellation stays
// recognisable with errors.Is.
func (r redactor) wrap(err error) error {
	if err == nil {
		return nil
	}
	e := &redactedError{msg: r.text(err.Error())}
	switch {
	case errors.Is(err, context.Canceled):
		e.cause = context.Canceled
	case errors.Is(err, context.DeadlineExceeded):
		e.cause = context.DeadlineExceeded
	}
	return e
}

type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }
