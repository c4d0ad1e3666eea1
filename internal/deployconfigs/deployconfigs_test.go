package deployconfigs

import (
	"fmt"
	"testing"
)

func TestShort(t *testing.T) {
	tests := []struct {
		name  string
		names []string
		short string
		ok    bool
	}{
		{"ECSCanary10Percent5Minutes", ECS(), "ECSCanary10Percent5Minutes", true},
		{"CodeDeployDefault.ECSAllAtOnce", ECS(), "ECSAllAtOnce", true},
		{"ecsallatonce", ECS(), "ecsallatonce", false},
		{"CodeDeployDefault.HalfAtATime", Server(), "HalfAtATime", true},
		{"HalfAtATime", ECS(), "HalfAtATime", false},
		{"Linear10PercentEvery1Minute", Lambda(), "Linear10PercentEvery1Minute", true},
		{"", Server(), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			short, ok := Short(tt.name, tt.names)
			if short != tt.short || ok != tt.ok {
				t.Errorf("Short(%q) = %q, %v; want %q, %v", tt.name, short, ok, tt.short, tt.ok)
			}
		})
	}
}

// TestListsAreCopies checks that a caller cannot change the lists.
func TestListsAreCopies(t *testing.T) {
	for name, list := range map[string]func() []string{"ECS": ECS, "Server": Server, "Lambda": Lambda} {
		l := list()
		l[0] = "changed"
		if list()[0] == "changed" {
			t.Errorf("%s() returns a shared slice", name)
		}
	}
}

func ExampleShort() {
	short, ok := Short("CodeDeployDefault.ECSCanary10Percent5Minutes", ECS())
	fmt.Println(short, ok)
	// Output: ECSCanary10Percent5Minutes true
}
