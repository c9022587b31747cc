package sandbox

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
)

// obj is a JSON object as the handlers build it.
type obj = map[string]any

// response is what a handler answers: a status and a JSON object. The
// traceId is added when it is written.
type response struct {
	status int
	body   obj
}

func ok(body obj) response      { return response{http.StatusOK, body} }
func created(body obj) response { return response{http.StatusCreated, body} }

// failed reports whether the response is an error.
func (r response) failed() bool { return r.status >= 300 }

// The error bodies follow the common schemas of the spec: 400 and 404 carry
// statusCode and message, 401 and 403 add error, 422 has a list of messages.

func badRequest(format string, args ...any) response {
	return response{400, obj{"statusCode": 400, "message": fmt.Sprintf(format, args...)}}
}

func notFound(kind string) response {
	return response{404, obj{"statusCode": 404, "message": kind + " not found"}}
}

func unprocessable(msgs []string) response {
	return response{422, obj{"statusCode": 422, "message": msgs, "error": "Unprocessable Entity"}}
}

func unauthorized(msg string) response {
	return response{401, obj{"statusCode": 401, "message": msg, "error": "Unauthorized"}}
}

func forbidden(msg string) response {
	return response{403, obj{"statusCode": 403, "message": msg, "error": "Forbidden"}}
}

func tooManyRequests() response {
	return response{429, obj{"statusCode": 429, "message": "Too many requests"}}
}

func routeNotFound(method, path string) response {
	return response{404, obj{
		"statusCode": 404, "message": fmt.Sprintf("Cannot %s %s", method, path), "error": "Not Found",
	}}
}

// serverError is the body of an injected 5xx.
func serverError(status int) response {
	return response{status, obj{"statusCode": status, "message": http.StatusText(status)}}
}

// Messages the real server is known to send.
const (
	msgInvalidJWT = "Invalid JWT"
	msgWrongClass = "This authClass type is not allowed to access this scope. " +
		"Please reach out to the Platform team to get it added."
	msgNoLocation = "The token does not have access to this location."
	msgNoCompany  = "The token does not have access to this company."
)

// write sends the response with a fresh traceId.
func (r response) write(w http.ResponseWriter) {
	body := make(obj, len(r.body)+1)
	for k, v := range r.body {
		body[k] = v
	}
	body["traceId"] = newUUID()
	data, err := json.Marshal(body)
	if err != nil {
		// Every body is built from JSON-safe values; this is a bug in the model.
		data = []byte(`{"statusCode":500,"message":"sandbox: cannot encode response"}`)
		r.status = 500
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(r.status)
	_, _ = w.Write(data)
}

// newUUID returns a random version 4 UUID, the shape of the server's trace ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
