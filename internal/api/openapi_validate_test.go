package api_test

import (
	"os"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// TestOpenAPIValidates checks the published document against the OpenAPI 3.1
// specification's own schema. The answers of the routes are checked against
// the document in internal/ui (TestAPIAnswersMatchOpenAPI), which has the
// running server over the demo region.
func TestOpenAPIValidates(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := libopenapi.NewDocument(raw)
	if err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("openapi.json cannot be built into a validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("openapi.json: %s: %s", e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("    %s at %s", se.Reason, se.FieldPath)
			}
		}
	}
}

// TestOpenAPIValidationCanFail proves the check above is not vacuous: a
// document with a wrongly typed field is refused.
func TestOpenAPIValidationCanFail(t *testing.T) {
	t.Parallel()
	bad := []byte(`{"openapi": "3.1.0", "info": {"title": "x", "version": 1}, "paths": {"/a": {"get": {"responses": {"200": {"description": 7}}}}}}`)
	doc, err := libopenapi.NewDocument(bad)
	if err != nil {
		return // refused at parse: also a failure to validate
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return
	}
	if ok, _ := v.ValidateDocument(); ok {
		t.Error("a document with a numeric version and description validates")
	}
}
