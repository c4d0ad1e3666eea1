package pipeline

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestProjectDescription cuts a description to CodeBuild's 255 characters
// (characters, not bytes) and marks the cut.
func TestProjectDescription(t *testing.T) {
	long := "Builds the deployable template from s3://acme-releases/" + strings.Repeat("k", 300)
	for _, tc := range []struct {
		name, in, want string
	}{
		{"short", "Step smoke: runs ci/smoke.yml", "Step smoke: runs ci/smoke.yml"},
		{"255 characters", strings.Repeat("d", 255), strings.Repeat("d", 255)},
		{"255 characters of two bytes", strings.Repeat("é", 255), strings.Repeat("é", 255)},
		{"256 characters", strings.Repeat("d", 256), strings.Repeat("d", 252) + "..."},
		{"a long S3 key", long, long[:252] + "..."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := projectDescription(tc.in)
			if got != tc.want {
				t.Errorf("projectDescription() = %q, want %q", got, tc.want)
			}
			if n := utf8.RuneCountInString(got); n > 255 {
				t.Errorf("%d characters, want at most 255", n)
			}
		})
	}
}
