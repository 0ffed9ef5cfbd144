# Terraform value semantics, in one place for every rule: booleans Terraform converts from strings and
# numbers, null meaning "not set", and the count / for_each meta-arguments that decide whether a resource
# exists at all. Rules ask these helpers instead of comparing raw values, so a shape no rule expected
# cannot slip past one of them (tested on their own in values_test.rego).
package lib.tf

import rego.v1

# METADATA
# scope: document
# description: |
#   v is a Terraform true: true, or a string/number Terraform converts to true ("true", "1", 1).
#   An expression or a value known only after apply is neither true nor false.
is_true(true)

is_true("true")

is_true("1")

is_true(1)

# METADATA
# scope: document
# description: v is a Terraform false (false, "false", "0", 0).
is_false(false)

is_false("false")

is_false("0")

is_false(0)

# METADATA
# scope: document
# description: |
#   obj[key], or fallback when it is missing or null (plan JSON writes unset attributes as null, cdk.tf.json
#   omits them: both mean "the provider default").
value(obj, key, fallback) := obj[key] if {
	obj[key] != null
} else := fallback

# METADATA
# scope: document
# description: |
#   A number written as a number or a numeric string; undefined for expressions and anything else.
number(v) := v if is_number(v)

number(v) := to_number(v) if {
	is_string(v)
	regex.match(`^-?[0-9]+(\.[0-9]+)?$`, v)
}

# METADATA
# scope: document
# description: |
#   r may not exist once applied: `count` is 0 or not a literal number, or `for_each` is empty or not a
#   literal. A protective resource (a public access block, an encryption configuration, a quota) that
#   may not exist protects nothing, so presence checks only count resources that surely exist.
#   (Plan JSON has no count/for_each: Terraform has expanded them, and a resource with count = 0 is absent.)
may_not_exist(r) if not _at_least_one(object.get(r.values, "count", 1))

_at_least_one(c) if number(c) >= 1

may_not_exist(r) if {
	fe := r.values.for_each
	not _non_empty_literal(fe)
}

_non_empty_literal(fe) if {
	is_object(fe)
	count(fe) > 0
}

_non_empty_literal(fe) if {
	is_array(fe)
	count(fe) > 0
}

# METADATA
# scope: document
# description: r surely exists once applied (see may_not_exist).
exists(r) if not may_not_exist(r)

# METADATA
# scope: document
# description: |
#   r leaves attr to the provider's default: it is missing or null, or (plan JSON) the provider computes it
#   after apply and the configuration does not set it. A value the configuration sets (a literal or an
#   expression) is not the default, so rules judge it.
provider_default(r, attr) if value(r.values, attr, null) == null

provider_default(r, attr) if {
	is_plan
	r.values[attr] == unknown_value
	not _configured(r, attr)
}

_configured(r, attr) if {
	some cr in plan.configuration.root_module.resources
	cr.address == r.address
	cr.expressions[attr]
}
