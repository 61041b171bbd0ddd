package api_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/hearthcare/hearth/internal/api"
)

// TestOpenAPIDocumentsEveryRoute keeps the published document in step with the code.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range api.New(api.Deps{}).Routes() {
		path := strings.TrimPrefix(r.Pattern, "/api/v1")
		if _, ok := doc.Paths[path][strings.ToLower(r.Method)]; !ok {
			t.Errorf("%s %s is not in openapi.json", r.Method, r.Pattern)
		}
	}
}
