package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// decodeJSON reads exactly one JSON object into dst, rejecting unknown
// fields and trailing data, and names the offending field in the error.
// The body must be declared as JSON: a foreign page can send text/plain
// with a form or a simple fetch, but a JSON content type from another
// origin needs a CORS preflight, which this server never grants.
func decodeJSON(c echo.Context, dst any) error {
	req := c.Request()
	if mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType)); err != nil || mt != echo.MIMEApplicationJSON {
		return newAPIError(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"The body must be JSON, sent with Content-Type: application/json.")
	}
	dec := json.NewDecoder(req.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return jsonError(err)
		}
		return newAPIError(http.StatusBadRequest, "malformed_json", "The body must hold a single JSON object.")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return newAPIError(http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("The body exceeds %d bytes.", mbe.Limit))
	case errors.Is(err, io.EOF):
		return newAPIError(http.StatusBadRequest, "malformed_json", "The request body is empty.")
	case errors.As(err, &syn), errors.Is(err, io.ErrUnexpectedEOF):
		return newAPIError(http.StatusBadRequest, "malformed_json", "The body is not valid JSON.")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return newAPIError(http.StatusBadRequest, "malformed_json", "The body must be a JSON object.")
		}
		return fieldError(field, "must be of type "+jsonTypeName(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return fieldError(name, "is not a known field")
	}
	return newAPIError(http.StatusBadRequest, "malformed_json", "The body could not be read as JSON.")
}

func jsonTypeName(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "bool":
		return "boolean"
	case kind == "slice":
		return "array"
	case kind == "struct", kind == "map":
		return "object"
	}
	return kind
}

// flexID is an ID that clients may send as a number or a numeric string.
type flexID int64

// UnmarshalJSON accepts 42 and "42".
func (f *flexID) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	if s == "null" {
		*f = 0
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		// The decoder adds the field name to this error type.
		return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: reflect.TypeOf(int64(0))}
	}
	*f = flexID(n)
	return nil
}

// pathID reads a positive integer path parameter.
func pathID(c echo.Context, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || n <= 0 {
		return 0, newAPIError(http.StatusNotFound, "not_found", "Not found.")
	}
	return n, nil
}
