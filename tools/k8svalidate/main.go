// k8svalidate validates Kubernetes objects against CustomResourceDefinitions with
// the API server's own code (k8s.io/apiextensions-apiserver): unknown-field
// pruning, structural defaulting, OpenAPI schema validation, the
// x-kubernetes-validations CEL rules, list-type set/map uniqueness, and ObjectMeta name validation.
//
// It is the oracle of ing2gw's tests/k8s_validate_agreement.rs: ing2gw's own
// validator (src/validate/) must reach the same verdict on every object.
//
// Usage:
//
//	k8svalidate --crd DIR_OR_FILE [--crd ...] < objects.jsonl
//
// Input: one JSON object per line. Output: one JSON verdict per input line, in order:
//
//	{"index":0,"kind":"HTTPRoute","name":"web","valid":false,
//	 "errors":[{"field":"spec.rules","type":"FieldValueTooMany","detail":"...","message":"..."}]}
//
// Unknown fields (what the API server prunes, or rejects under
// --validate=strict) are reported with type "FieldValueUnknown".
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	metavalidation "k8s.io/apimachinery/pkg/api/validation"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

type crdVersion struct {
	namespaced bool
	schema     apiservervalidation.SchemaValidator
	structural *structuralschema.Structural
	cel        *cel.Validator
}

type fieldError struct {
	Field   string `json:"field"`
	Type    string `json:"type"`
	Detail  string `json:"detail"`
	Message string `json:"message"`
}

type verdict struct {
	Index  int          `json:"index"`
	Kind   string       `json:"kind"`
	Name   string       `json:"name"`
	Valid  bool         `json:"valid"`
	Errors []fieldError `json:"errors"`
}

type crdPaths []string

func (c *crdPaths) String() string     { return strings.Join(*c, ",") }
func (c *crdPaths) Set(v string) error { *c = append(*c, v); return nil }

func main() {
	var paths crdPaths
	flag.Var(&paths, "crd", "a CRD YAML file or a folder of them (repeatable)")
	flag.Parse()
	if len(paths) == 0 {
		fmt.Fprintln(os.Stderr, "k8svalidate: give at least one --crd FILE_OR_DIR")
		os.Exit(2)
	}
	versions, err := loadCRDs(paths)
	if err != nil {
		fmt.Fprintf(os.Stderr, "k8svalidate: %v\n", err)
		os.Exit(2)
	}
	reader := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	index := 0
	for {
		line, err := reader.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			v := validateLine(versions, index, line)
			if encErr := enc.Encode(v); encErr != nil {
				fmt.Fprintf(os.Stderr, "k8svalidate: %v\n", encErr)
				os.Exit(2)
			}
			index++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "k8svalidate: reading stdin: %v\n", err)
			os.Exit(2)
		}
	}
}

// loadCRDs reads every CRD in the given files/folders, keyed "group/version/Kind".
func loadCRDs(paths []string) (map[string]*crdVersion, error) {
	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() && (strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
				files = append(files, filepath.Join(p, e.Name()))
			}
		}
	}
	sort.Strings(files)
	versions := map[string]*crdVersion{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, doc := range splitDocuments(data) {
			var probe struct {
				Kind string `json:"kind"`
			}
			if err := yaml.Unmarshal(doc, &probe); err != nil {
				return nil, fmt.Errorf("%s: %v", f, err)
			}
			if probe.Kind != "CustomResourceDefinition" {
				continue // kustomization.yaml, ValidatingAdmissionPolicy, ...
			}
			if err := addCRD(versions, doc); err != nil {
				return nil, fmt.Errorf("%s: %v", f, err)
			}
		}
	}
	if len(versions) == 0 {
		return nil, fmt.Errorf("no CustomResourceDefinition found in %s", strings.Join(paths, ", "))
	}
	return versions, nil
}

func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if bytes.Equal(bytes.TrimRight(line, "\r\n"), []byte("---")) {
			docs = append(docs, append([]byte(nil), cur.Bytes()...))
			cur.Reset()
			continue
		}
		cur.Write(line)
	}
	docs = append(docs, cur.Bytes())
	return docs
}

func addCRD(versions map[string]*crdVersion, doc []byte) error {
	var v1 apiextensionsv1.CustomResourceDefinition
	if err := yaml.Unmarshal(doc, &v1); err != nil {
		return err
	}
	var crd apiextensions.CustomResourceDefinition
	if err := apiextensionsv1.Convert_v1_CustomResourceDefinition_To_apiextensions_CustomResourceDefinition(&v1, &crd, nil); err != nil {
		return err
	}
	for _, ver := range crd.Spec.Versions {
		validation, err := apiextensions.GetSchemaForVersion(&crd, ver.Name)
		if err != nil {
			return err
		}
		if validation == nil || validation.OpenAPIV3Schema == nil {
			continue
		}
		schemaValidator, _, err := apiservervalidation.NewSchemaValidator(validation.OpenAPIV3Schema)
		if err != nil {
			return fmt.Errorf("%s %s: schema: %v", crd.Name, ver.Name, err)
		}
		structural, err := structuralschema.NewStructural(validation.OpenAPIV3Schema)
		if err != nil {
			return fmt.Errorf("%s %s: structural schema: %v", crd.Name, ver.Name, err)
		}
		key := crd.Spec.Group + "/" + ver.Name + "/" + crd.Spec.Names.Kind
		versions[key] = &crdVersion{
			namespaced: crd.Spec.Scope == apiextensions.NamespaceScoped,
			schema:     schemaValidator,
			structural: structural,
			cel:        cel.NewValidator(structural, true, celconfig.PerCallLimit),
		}
	}
	return nil
}

func validateLine(versions map[string]*crdVersion, index int, line []byte) verdict {
	v := verdict{Index: index, Errors: []fieldError{}}
	var obj map[string]interface{}
	if err := utiljson.Unmarshal(line, &obj); err != nil {
		v.Errors = append(v.Errors, fieldError{Field: "", Type: "InvalidJSON", Detail: err.Error(), Message: err.Error()})
		return v
	}
	u := &unstructured.Unstructured{Object: obj}
	v.Kind = u.GetKind()
	v.Name = u.GetName()
	key := u.GetObjectKind().GroupVersionKind().Group + "/" + u.GetObjectKind().GroupVersionKind().Version + "/" + u.GetKind()
	crd, ok := versions[key]
	if !ok {
		msg := fmt.Sprintf("no CRD loaded for apiVersion %q kind %q", u.GetAPIVersion(), u.GetKind())
		v.Errors = append(v.Errors, fieldError{Field: "kind", Type: "FieldValueNotSupported", Detail: msg, Message: msg})
		return v
	}
	var errs field.ErrorList

	// What the API server does on decode: drop unknown fields (reported here, as
	// `kubectl apply --validate=strict` does), then apply schema defaults.
	unknown := pruning.PruneWithOptions(obj, crd.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	sort.Strings(unknown)
	for _, p := range unknown {
		errs = append(errs, &field.Error{Type: "FieldValueUnknown", Field: p, Detail: "unknown field"})
	}
	structuraldefaulting.Default(obj, crd.structural)

	// ObjectMeta: custom resources' names are DNS subdomains.
	errs = append(errs, metavalidation.ValidateObjectMetaAccessor(u, crd.namespaced, metavalidation.NameIsDNSSubdomain, field.NewPath("metadata"))...)
	// OpenAPI schema (types, enums, patterns, min/max, required, ...).
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, obj, crd.schema)...)
	// x-kubernetes-list-type set/map: no duplicate items or keys.
	errs = append(errs, listtype.ValidateListSetsAndMaps(nil, crd.structural, obj)...)
	// x-kubernetes-validations (CEL), with the API server's cost budget.
	celErrs, _ := crd.cel.Validate(context.Background(), nil, crd.structural, obj, nil, celconfig.RuntimeCELCostBudget)
	errs = append(errs, celErrs...)

	for _, e := range errs {
		v.Errors = append(v.Errors, fieldError{Field: e.Field, Type: string(e.Type), Detail: e.Detail, Message: e.Error()})
	}
	v.Valid = len(v.Errors) == 0
	return v
}
