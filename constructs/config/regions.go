package config

import "github.com/relaycdk/relay/constructs/internal/arns"

// partitions maps every AWS region Relay knows to its partition; the one
// table is package arns's, which the construct packages use too.
var partitions = arns.RegionPartitions()

// Partition returns the partition of region (aws, aws-cn or aws-us-gov) and
// whether region is a region Relay knows.
func Partition(region string) (string, bool) {
	return arns.RegionPartition(region)
}

// Regions returns the names of every region Relay knows, sorted.
func Regions() []string { return arns.Regions() }
