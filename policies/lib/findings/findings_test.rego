package lib.findings_test

import rego.v1

import data.lib.testutil as t

_broken := json.patch(data.fixtures.aws_platform, [
	t.set("/resource/aws_kms_key/platform/enable_key_rotation", false),
	t.set("/resource/aws_subnet/private_a/map_public_ip_on_launch", true),
])

_env(exceptions) := object.union(t.contract.environments.aws, {"exceptions": exceptions})

test_exception_moves_finding_to_excepted if {
	exceptions := [{"rule": "encryption.kms_rotation", "resource": "aws_kms_key.platform", "stack": "uae-prod-platform", "reason": "Rotation handled by an external HSM process (SEC-7)."}]
	rep := t.report_with(_broken, _env(exceptions), t.contract.stacks.aws_platform)
	not t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
	t.denied(rep, "exposure.subnet_public_ip", "aws_subnet.private_a")
	some f in rep.excepted
	f.rule == "encryption.kms_rotation"
	f.exception_reason == "Rotation handled by an external HSM process (SEC-7)."
}

test_exception_needs_rule_and_resource_match if {
	exceptions := [
		{"rule": "encryption.kms_rotation", "resource": "aws_kms_key.other", "stack": "uae-prod-platform", "reason": "Does not match this resource."},
		{"rule": "tags.required", "resource": "aws_kms_key.platform", "stack": "uae-prod-platform", "reason": "Does not match this rule at all."},
	]
	rep := t.report_with(_broken, _env(exceptions), t.contract.stacks.aws_platform)
	t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
	count(rep.excepted) == 0
}

test_conftest_deny_excludes_excepted if {
	exceptions := [{"rule": "exposure.subnet_public_ip", "resource": "aws_subnet.private_a", "stack": "uae-prod-platform", "reason": "Approved bastion subnet (SEC-9)."}]
	denies := data.exposure.deny with input as _broken
		with data.environment as _env(exceptions)
		with data.stack as t.contract.stacks.aws_platform
	count(denies) == 0
}

_rotation(fields) := [object.union(
	{"rule": "encryption.kms_rotation", "resource": "aws_kms_key.platform", "stack": "uae-prod-platform", "reason": "Rotation handled by an external HSM process (SEC-7)."},
	fields,
)]

test_exception_for_another_stack_does_not_apply if {
	rep := t.report_with(_broken, _env(_rotation({"stack": "uae-prod-tenant-other"})), t.contract.stacks.aws_platform)
	t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
}

test_exception_without_stack_does_not_apply if {
	exceptions := [object.remove(_rotation({})[0], ["stack"])]
	rep := t.report_with(_broken, _env(exceptions), t.contract.stacks.aws_platform)
	t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
}

test_placeholder_reasons_do_not_apply if {
	every reason in ["TODO: explain later please", "n/a n/a n/a n/a", "temp fix for the demo", "short", "", "only twowords", 42] {
		rep := t.report_with(_broken, _env(_rotation({"reason": reason})), t.contract.stacks.aws_platform)
		t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
	}
}

test_missing_reason_does_not_apply if {
	exceptions := [object.remove(_rotation({})[0], ["reason"])]
	rep := t.report_with(_broken, _env(exceptions), t.contract.stacks.aws_platform)
	t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
}

test_expiring_exception_applies_until_its_date if {
	exceptions := _rotation({"expires": "2026-12-31"})
	on_day := t.report_with(_broken, object.union(_env(exceptions), {"today": "2026-12-31"}), t.contract.stacks.aws_platform)
	not t.denied(on_day, "encryption.kms_rotation", "aws_kms_key.platform")
	after := t.report_with(_broken, object.union(_env(exceptions), {"today": "2027-01-01"}), t.contract.stacks.aws_platform)
	t.denied(after, "encryption.kms_rotation", "aws_kms_key.platform")
}

test_expiring_exception_without_a_date_given_does_not_apply if {
	rep := t.report_with(_broken, _env(_rotation({"expires": "2099-12-31"})), t.contract.stacks.aws_platform)
	t.denied(rep, "encryption.kms_rotation", "aws_kms_key.platform")
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
