package highlevel

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Error is an answer from the server other than success.
type Error struct {
	Status  int
	Message string
	TraceID string
	Method  string
	Path    string
	What    string
	Cred    Credential
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.What != "" {
		b.WriteString(e.What + ": ")
	}
	fmt.Fprintf(&b, "%s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.TraceID != "" {
		fmt.Fprintf(&b, " (traceId %s)", e.TraceID)
	}
	if e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden {
		from := "the token"
		if e.Cred.Source != "" {
			from = "the token from " + e.Cred.Source
		}
		fmt.Fprintf(&b, "; this request needs %s %s and %s was refused", article(e.Cred.Class.String()),
			e.Cred.Class, from)
	}
	return b.String()
}

// article is the indefinite article before word.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// NotFound reports whether err is the server saying the object does not exist.
func NotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == http.StatusNotFound
}

// UnknownOutcome is returned for a write whose answer never arrived: the server
// may or may not have carried it out. Callers find out by reading again.
type UnknownOutcome struct {
	Method, Path string
	Err          error
}

func (e *UnknownOutcome) Error() string {
	return fmt.Sprintf("%s %s: outcome unknown: %v", e.Method, e.Path, e.Err)
}

func (e *UnknownOutcome) Unwrap() error { return e.Err }

// IsUnknownOutcome reports whether err leaves a write's outcome unknown.
func IsUnknownOutcome(err error) bool {
	var u *UnknownOutcome
	return errors.As(err, &u)
}

// ErrDailyLimit is returned instead of starting a request when the daily
// budget of the token is nearly spent.
var ErrDailyLimit error = dailyLimit{}

type dailyLimit struct{}

func (dailyLimit) Error() string {
	return "daily API limit nearly exhausted: not starting new requests"
}

// StopsApply tells the apply executor to start no new changes.
func (dailyLimit) StopsApply() bool { return true }

// decodeError builds an *Error from an error response body. The message is a
// string or, on 422, a list of strings.
func decodeError(r Request, status int, body []byte) *Error {
	e := &Error{Status: status, Method: r.Method, Path: r.Path, What: r.What, Cred: r.Cred}
	var raw struct {
		Message json.RawMessage `json:"message"`
		Msg     string          `json:"msg"`
		TraceID string          `json:"traceId"`
	}
	if json.Unmarshal(body, &raw) != nil {
		e.Message = strings.TrimSpace(string(truncate(body, 200)))
		return e
	}
	e.TraceID = raw.TraceID
	var s string
	var list []string
	switch {
	case json.Unmarshal(raw.Message, &s) == nil:
		e.Message = s
	case json.Unmarshal(raw.Message, &list) == nil:
		e.Message = strings.Join(list, "; ")
	default:
		e.Message = raw.Msg
	}
	return e
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// OutcomeUnknown marks the error for callers that do not import this package.
func (e *UnknownOutcome) OutcomeUnknown() bool { return true }
