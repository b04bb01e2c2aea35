package frontend

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// citizenLangs are the languages of the citizen's pages beyond German and
// English (booking.Locales); their catalogs hold the citizen's keys only.
var citizenLangs = []string{"tr", "ar", "uk", "ru", "pl"}

// staffPrefixes mark the keys only staff pages use (docs/frontend.md).
var staffPrefixes = []string{"admin.", "console.", "staff.", "event.", "outbox.", "timeline."}

// sameEverywhere may equal the English text: the brand and pure formats.
var sameEverywhere = []string{"common.brand", "fmt.date", "fmt.dayTime", "fmt.timeRange", "slots.day", "slots.time"}

// sameWord may equal the English text in one language: words spelled alike.
var sameWord = map[string][]string{"pl": {"manage.status", "role.admin"}}

// TestCitizenCatalogs: every citizen key of en.json is in every citizen
// language, non-empty, with the same placeholders and translated (not the
// English text); the citizen catalogs hold no staff keys and nothing en.json
// does not know.
func TestCitizenCatalogs(t *testing.T) {
	static := mustStatic(t)
	load := func(lang string) map[string]string {
		b, err := fs.ReadFile(static, "i18n/"+lang+".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		return m
	}
	staff := func(k string) bool {
		return slices.ContainsFunc(staffPrefixes, func(p string) bool { return strings.HasPrefix(k, p) })
	}
	placeholder := regexp.MustCompile(`\{\w+\}`)
	vars := func(s string) string {
		v := placeholder.FindAllString(s, -1)
		sort.Strings(v)
		return strings.Join(v, " ")
	}
	en := load("en")
	for _, lang := range citizenLangs {
		t.Run(lang, func(t *testing.T) {
			cat := load(lang)
			for k, want := range en {
				if staff(k) {
					continue
				}
				got, ok := cat[k]
				switch {
				case !ok:
					t.Errorf("lacks %q (en: %q)", k, want)
				case strings.TrimSpace(got) == "":
					t.Errorf("%q is empty", k)
				case got == want && !slices.Contains(sameEverywhere, k) && !slices.Contains(sameWord[lang], k):
					t.Errorf("%q is still English: %q", k, got)
				case vars(got) != vars(want):
					t.Errorf("%q has placeholders %q, en %q", k, vars(got), vars(want))
				}
			}
			for k := range cat {
				if _, ok := en[k]; !ok || staff(k) {
					t.Errorf("holds %q, which en.json lacks or only staff pages use", k)
				}
			}
		})
	}
}
