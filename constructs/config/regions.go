package config

import (
	"maps"
	"slices"
)

// partitions maps every AWS region Relay knows to its partition. A region
// missing here is refused: add it when AWS opens it.
var partitions = map[string]string{
	"us-east-1":      "aws",
	"us-east-2":      "aws",
	"us-west-1":      "aws",
	"us-west-2":      "aws",
	"af-south-1":     "aws",
	"ap-east-1":      "aws",
	"ap-east-2":      "aws",
	"ap-south-1":     "aws",
	"ap-south-2":     "aws",
	"ap-northeast-1": "aws",
	"ap-northeast-2": "aws",
	"ap-northeast-3": "aws",
	"ap-southeast-1": "aws",
	"ap-southeast-2": "aws",
	"ap-southeast-3": "aws",
	"ap-southeast-4": "aws",
	"ap-southeast-5": "aws",
	"ap-southeast-7": "aws",
	"ca-central-1":   "aws",
	"ca-west-1":      "aws",
	"eu-central-1":   "aws",
	"eu-central-2":   "aws",
	"eu-west-1":      "aws",
	"eu-west-2":      "aws",
	"eu-west-3":      "aws",
	"eu-south-1":     "aws",
	"eu-south-2":     "aws",
	"eu-north-1":     "aws",
	"il-central-1":   "aws",
	"me-south-1":     "aws",
	"me-central-1":   "aws",
	"mx-central-1":   "aws",
	"sa-east-1":      "aws",

	"cn-north-1":     "aws-cn",
	"cn-northwest-1": "aws-cn",

	"us-gov-west-1": "aws-us-gov",
	"us-gov-east-1": "aws-us-gov",
}

// Partition returns the partition of region (aws, aws-cn or aws-us-gov) and
// whether region is a region Relay knows.
func Partition(region string) (string, bool) {
	p, ok := partitions[region]
	return p, ok
}

// Regions returns the names of every region Relay knows, sorted.
func Regions() []string {
	return slices.Sorted(maps.Keys(partitions))
}
