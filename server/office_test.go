package server

import (
	"net/http"
	"testing"
)

// TestOfficeEndpoint: the public pages read the configured office (name,
// address, privacy and accessibility contacts) from GET /api/v1/office.
func TestOfficeEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name   string
		office OfficeConfig
	}{
		{"unset", OfficeConfig{}},
		{"configured", OfficeConfig{Name: "Bürgeramt Musterstadt", Address: "Markt 1\n12345 Musterstadt",
			Controller: "Stadt Musterstadt", PrivacyContact: "datenschutz@musterstadt.example",
			AccessibilityContact: "barrierefrei@musterstadt.example"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t, "sqlite", func(c *Config) { c.Office = tc.office })
			var got map[string]string
			env.client().mustDo(http.MethodGet, "/api/v1/office", nil, http.StatusOK, &got)
			want := map[string]string{"name": tc.office.Name, "address": tc.office.Address, "controller": tc.office.Controller,
				"privacy_contact": tc.office.PrivacyContact, "accessibility_contact": tc.office.AccessibilityContact}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
		})
	}
}

// TestOfficeConfigSingleLine: office names and contacts end up in mail
// headers' neighbourhood and page lines; a line break is refused at load.
func TestOfficeConfigSingleLine(t *testing.T) {
	_, err := Load(nil, func(k string) string {
		if k == "SPRECHSTUNDE_OFFICE_NAME" {
			return "Amt\nBcc: x@example.org"
		}
		return ""
	})
	if err == nil {
		t.Fatal("office.name with a line break was accepted")
	}
}
