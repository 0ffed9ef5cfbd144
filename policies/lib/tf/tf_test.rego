package lib.tf_test

import rego.v1

import data.lib.tf

test_cdktf_resources_skip_metadata if {
	rs := tf.resources with input as {"resource": {
		"//": {"x": 1},
		"aws_kms_key": {"//": {"y": 2}, "k": {"//": {"metadata": {"path": "s/k"}}, "enable_key_rotation": true}},
	}}
	rs == [{"type": "aws_kms_key", "name": "k", "address": "aws_kms_key.k", "construct_path": "s/k", "values": {"enable_key_rotation": true}}]
}

test_plan_unknowns_are_present if {
	some r in tf.resources with input as data.fixtures.aws_plan
	r.address == "aws_eks_cluster.cluster"
	r.values.encryption_config[0].provider[0].key_arn == tf.unknown_value
	r.values.encryption_config[0].resources == ["secrets"]
}

test_plan_deleted_resources_ignored if {
	addresses := {r.address | some r in tf.resources} with input as data.fixtures.aws_plan
	not "aws_s3_bucket.old_logs" in addresses
	"aws_s3_bucket.backups" in addresses
}

test_hcp_shape if {
	plain := tf.resources with input as data.fixtures.aws_plan
	hcp := tf.resources with input as {"plan": data.fixtures.aws_plan}
	plain == hcp
	count(hcp) == 6
}

test_plan_provider_region_from_variable if {
	some p in tf.provider_configs with input as data.fixtures.aws_plan
	p.region == "me-central-1"
	p.default_tags.environment == "uae-prod"
}

test_blocks_both_shapes if {
	tf.blocks({"b": {"x": 1}}, "b") == [{"x": 1}]
	tf.blocks({"b": [{"x": 1}, {"x": 2}]}, "b") == [{"x": 1}, {"x": 2}]
	tf.blocks({}, "b") == []
	tf.block({}, "b") == {}
}

test_k8s_kind if {
	tf.k8s_kind({"type": "kubernetes_network_policy_v1", "values": {}}) == "NetworkPolicy"
	tf.k8s_kind({"type": "kubernetes_manifest", "values": {"manifest": {"kind": "LimitRange"}}}) == "LimitRange"
}

test_helm_values_yaml_and_json if {
	doc := {"resource": {"helm_release": {"x": {"values": ["a: 1\nb:\n  c: x\n", "{\"d\": true}", "- not an object"]}}}}
	some r in tf.resources with input as doc
	values := tf.helm_values(r) with input as doc
	values == [{"a": 1, "b": {"c": "x"}}, {"d": true}]
}
