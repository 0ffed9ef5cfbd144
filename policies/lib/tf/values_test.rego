package lib.tf_test

import rego.v1

import data.lib.tf

test_terraform_booleans if {
	every v in [true, "true", "1", 1] {
		tf.is_true(v)
		not tf.is_false(v)
	}
	every v in [false, "false", "0", 0] {
		tf.is_false(v)
		not tf.is_true(v)
	}
	every v in ["${var.public}", tf.unknown_value, null, "yes", 2] {
		not tf.is_true(v)
		not tf.is_false(v)
	}
}

test_null_and_missing_mean_the_fallback if {
	tf.value({"a": null}, "a", false) == false
	tf.value({}, "a", false) == false
	tf.value({"a": "0"}, "a", true) == "0"
}

test_numbers_as_strings if {
	tf.number(3) == 3
	tf.number("30") == 30
	tf.number("7.5") == 7.5
	not tf.number("${var.days}")
	not tf.number("thirty")
}

test_count_and_for_each if {
	tf.exists({"values": {}})
	tf.exists({"values": {"count": 1}})
	tf.exists({"values": {"count": "2"}})
	tf.exists({"values": {"for_each": {"a": 1}}})
	tf.exists({"values": {"for_each": ["a"]}})
	tf.may_not_exist({"values": {"count": 0}})
	tf.may_not_exist({"values": {"count": "0"}})
	tf.may_not_exist({"values": {"count": "${var.enabled ? 1 : 0}"}})
	tf.may_not_exist({"values": {"for_each": {}}})
	tf.may_not_exist({"values": {"for_each": "${var.buckets}"}})
}
