package api_test

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hearthcare/hearth/internal/analytics"
	"github.com/hearthcare/hearth/internal/api"
)

// TestWriteJSONNeverAnswers200WithABrokenBody forces an encode failure (NaN
// has no JSON spelling) and expects a 500 with a JSON error, not a 200 with an
// empty body.
func TestWriteJSONNeverAnswers200WithABrokenBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		v      any
		status int
	}{
		{"NaN", map[string]float64{"x": math.NaN()}, http.StatusInternalServerError},
		{"infinity", []float64{math.Inf(1)}, http.StatusInternalServerError},
		{"channel", map[string]any{"c": make(chan int)}, http.StatusInternalServerError},
		{"plain", map[string]int{"n": 1}, http.StatusOK},
		{"unknown figure", analytics.Figure{N: 1, Value: math.NaN(), Reason: "fewer than two children with a score and a cost"}, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			api.WriteJSON(rec, http.StatusOK, tt.v)
			if rec.Code != tt.status {
				t.Fatalf("WriteJSON(%s) status = %d; want %d", tt.name, rec.Code, tt.status)
			}
			var body map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil && tt.status != http.StatusOK {
				t.Fatalf("WriteJSON(%s) body %q is not JSON: %v", tt.name, rec.Body.String(), err)
			}
			if tt.status == http.StatusInternalServerError && body["error"] != "internal error" {
				t.Errorf("WriteJSON(%s) body = %q; want an error", tt.name, rec.Body.String())
			}
		})
	}
}

// TestFigureUnknownIsNullWithReason checks the JSON shape of a figure that
// cannot be worked out.
func TestFigureUnknownIsNullWithReason(t *testing.T) {
	t.Parallel()
	tests := []struct {
		f          analytics.Figure
		wantNull   bool
		wantReason string
	}{
		{analytics.Figure{N: 1, Value: math.NaN(), Reason: "fewer than two children with a score and a cost"}, true, "fewer than two children with a score and a cost"},
		{analytics.Figure{N: 3, Value: math.NaN()}, true, "it cannot be worked out from these children"},
		{analytics.Figure{N: 5, Value: 0.42}, false, ""},
	}
	for _, tt := range tests {
		raw, err := json.Marshal(tt.f)
		if err != nil {
			t.Fatalf("Marshal(%+v): %v", tt.f, err)
		}
		var got struct {
			Value  *float64 `json:"value"`
			Reason string   `json:"reason"`
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if (got.Value == nil) != tt.wantNull || got.Reason != tt.wantReason {
			t.Errorf("Marshal(%+v) = %s; want null %v, reason %q", tt.f, raw, tt.wantNull, tt.wantReason)
		}
	}
}
