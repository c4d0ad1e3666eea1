package naming

import "testing"

// TestOwnBucket: the artifact, access-log and asset buckets of the
// pipeline in any region are its own; the same shapes of another name,
// account or an unknown region are not.
func TestOwnBucket(t *testing.T) {
	n := Names{Name: "shop", ToolingAccount: "111111111111", ToolingRegion: "us-east-1"}
	for _, tt := range []struct{ bucket, want string }{
		{"shop-artifacts-111111111111-us-east-1", "the pipeline's artifact bucket of us-east-1 (shop-artifacts-111111111111-us-east-1)"},
		{"shop-logs-111111111111-eu-west-1", "the pipeline's artifact access-log bucket of eu-west-1 (shop-logs-111111111111-eu-west-1)"},
		{"shop-assets-111111111111-ap-southeast-2", "the pipeline's asset bucket of ap-southeast-2 (shop-assets-111111111111-ap-southeast-2)"},
		{"shop-artifacts-222222222222-us-east-1", ""},
		{"shop2-artifacts-111111111111-us-east-1", ""},
		{"shop-artifacts-111111111111-moon-1", ""},
		{"shop-site", ""},
	} {
		if got := n.OwnBucket(tt.bucket); got != tt.want {
			t.Errorf("OwnBucket(%q) = %q, want %q", tt.bucket, got, tt.want)
		}
	}
}
