# METADATA
# title: Tags
# description: |
#   Every taggable AWS and Azure resource carries the environment's required tags
#   (data.environment.requiredTags) with non-empty values. On AWS, provider default_tags count.
package tags

import rego.v1

import data.lib.findings
import data.lib.tf

# METADATA
# description: Findings after exceptions; what blocks the rollout.
deny contains f if {
	some f in raw_finding
	not findings.is_excepted(f)
}

# METADATA
# description: Findings an exception in data.environment.exceptions covers, with its reason.
excepted contains findings.excepted(f) if {
	some f in raw_finding
	findings.is_excepted(f)
}

required_tags := object.get(tf.environment, "requiredTags", [])

# tags.required: required tag keys present with a value.
raw_finding contains findings.finding(
	"tags.required", "medium", r,
	concat("", [r.address, " is missing required tags [", concat(", ", missing), "]."]),
	_fix(r, missing),
) if {
	some r in tf.resources
	tf.taggable(r)
	tags := tf.effective_tags(r)
	missing := sort([key | some key in required_tags; not tf.present(object.get(tags, key, ""))])
	count(missing) > 0
}

_fix(r, missing) := concat("", ["Add ", concat(", ", missing), " to the provider's default_tags (or this resource's tags)."]) if {
	startswith(r.type, "aws_")
} else := concat("", ["Add ", concat(", ", missing), " to this resource's tags."])
