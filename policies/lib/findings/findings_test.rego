package lib.findings_test

import rego.v1

import data.lib.testutil as t

_broken := json.patch(data.fixtures.aws_platform, [
	t.set("/resource/aws_kms_key/platform/enable_key_rotation", false),
	t.set("/resource/aws_subnet/private_a/map_public_ip_on_launch", true),
])

_env(exceptions) := object.union(t.contract.environments.aws, {"exceptions": exceptions})

test_exception_moves_finding_to_excepted if {
	exceptions := [{"rule": "encryption.kms_rotation", "resource": "aws_kms_key.platform", "reason": "Rotation handled by an external HSM process (SEC-7)."}]
	rep := t.report_with(_broken, _env(exceptions), t.contract.stacks.aws_platform)
	not t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
	t.denied(rep, "exposure.subnet_public_ip", "aws_subnet.private_a")
	some f in rep.excepted
	f.rule == "encryption.kms_rotation"
	f.exception_reason == "Rotation handled by an external HSM process (SEC-7)."
}

test_exception_needs_rule_and_resource_match if {
	exceptions := [
		{"rule": "encryption.kms_rotation", "resource": "aws_kms_key.other", "reason": "Does not match this resource."},
		{"rule": "tags.required", "resource": "aws_kms_key.platform", "reason": "Does not match this rule at all."},
	]
	rep := t.report_with(_broken, _env(exceptions), t.contract.stacks.aws_platform)
	t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
	count(rep.excepted) == 0
}

test_conftest_deny_excludes_excepted if {
	exceptions := [{"rule": "exposure.subnet_public_ip", "resource": "aws_subnet.private_a", "reason": "Approved bastion subnet (SEC-9)."}]
	denies := data.exposure.deny with input as _broken
		with data.environment as _env(exceptions)
		with data.stack as t.contract.stacks.aws_platform
	count(denies) == 0
}

test_finding_shape if {
	rep := t.report("aws_platform", _broken)
	some f in rep.denies
	f.rule == "encryption.kms_rotation"
	f.construct_path == "uae-prod-platform/keys/platform"
	f.severity == "high"
	startswith(f.msg, "encryption.kms_rotation [high] aws_kms_key.platform: ")
	contains(f.msg, " Fix: ")
}
