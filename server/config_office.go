package server

import (
	"strings"

	"github.com/sprechstunde/sprechstunde/server/httpapi"
)

// OfficeConfig is who runs this installation, as pages (Impressum, privacy
// notice, accessibility statement) and mails name it.
type OfficeConfig struct {
	Name                 string `yaml:"name"`
	Address              string `yaml:"address"`
	Controller           string `yaml:"controller"`
	PrivacyContact       string `yaml:"privacy_contact"`
	AccessibilityContact string `yaml:"accessibility_contact"`
}

func (o *OfficeConfig) validateOffice(bad func(key, format string, args ...any)) {
	for key, v := range map[string]*string{"office.name": &o.Name, "office.controller": &o.Controller,
		"office.privacy_contact": &o.PrivacyContact, "office.accessibility_contact": &o.AccessibilityContact} {
		*v = strings.TrimSpace(*v)
		if strings.ContainsAny(*v, "\r\n") {
			bad(key, "must be a single line")
		}
	}
	o.Address = strings.TrimSpace(o.Address)
}

func (o OfficeConfig) info() httpapi.OfficeInfo {
	return httpapi.OfficeInfo{Name: o.Name, Address: o.Address, Controller: o.Controller,
		PrivacyContact: o.PrivacyContact, AccessibilityContact: o.AccessibilityContact}
}
