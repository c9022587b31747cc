package providers

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/northwind/ghlctl/spec"
)

// FuzzDecodeLiveObjects feeds arbitrary JSON to every kind's decoding of a
// live object, then to normalisation and export: whatever the server
// answers, nothing may panic.
func FuzzDecodeLiveObjects(f *testing.F) {
	for _, seed := range recordedBodies(f) {
		f.Add(seed)
	}
	f.Add([]byte(
		`{"id":"x","name":"a","picklistOptions":[1,{"a":null}],"teamMembers":[{"userId":3}],"groupId":[]}`))
	f.Add([]byte(`{"openHours":{},"appointmentPerSlot":"1","extra":null}`))
	d := &directory{byEmail: map[string]string{}, byID: map[string]string{"u": "a@b.c"},
		groups: []map[string]any{{"id": "g", "slug": 5}}}
	cal := &calendarProvider{}
	f.Fuzz(func(t *testing.T, data []byte) {
		var raw map[string]any
		if json.Unmarshal(data, &raw) != nil {
			return
		}
		for kind, o := range map[string]map[string]any{
			spec.KindTags:         tagObject(raw).Fields,
			spec.KindCustomFields: customFieldObject(raw).Fields,
			spec.KindCustomValues: customValueObject(raw).Fields,
			spec.KindTriggerLinks: linkObject(raw).Fields,
			spec.KindCalendars:    cal.object(raw, d).Fields,
			spec.KindBusinesses:   businessObject(raw).Fields,
		} {
			n := spec.Normalize(kind, o)
			_ = spec.Keys(kind, n)
			_, _ = d.body(n)
		}
		var reply businessReply
		_ = json.Unmarshal(data, &reply)
		_ = reply.object()
	})
}

// recordedBodies are the bodies of the recorded HighLevel traffic, when the
// folder is there, as a seed corpus.
func recordedBodies(f *testing.F) [][]byte {
	files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "recorded-highlevel", "*.json"))
	var out [][]byte
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		var exchanges []struct {
			ResponseBody json.RawMessage `json:"responseBody"`
		}
		if json.Unmarshal(data, &exchanges) != nil {
			continue
		}
		for _, e := range exchanges {
			var wrapped map[string]json.RawMessage
			if json.Unmarshal(e.ResponseBody, &wrapped) != nil {
				continue
			}
			for _, v := range wrapped {
				out = append(out, v)
			}
		}
	}
	return out
}
