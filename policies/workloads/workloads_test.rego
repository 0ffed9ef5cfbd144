package workloads_test

import rego.v1

import data.lib.testutil as t

test_gpu_taint_compliant if {
	t.clean("aws_platform", "workloads.gpu_taint")
	t.clean("azure_platform", "workloads.gpu_taint")
}

test_gpu_taint_aws_violation if {
	rep := t.patched("aws_platform", [t.remove("/resource/aws_eks_node_group/gpu/taint")])
	t.denied(rep, "workloads.gpu_taint", "aws_eks_node_group.gpu")
}

test_gpu_taint_aws_instance_type_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_eks_node_group/system/instance_types", ["g5.2xlarge"])])
	t.denied(rep, "workloads.gpu_taint", "aws_eks_node_group.system")
}

test_gpu_taint_aws_wrong_effect_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_eks_node_group/gpu/taint/0/effect", "PREFER_NO_SCHEDULE")])
	t.denied(rep, "workloads.gpu_taint", "aws_eks_node_group.gpu")
}

test_gpu_taint_azure_violation if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_kubernetes_cluster_node_pool/gpu/node_taints", [])])
	t.denied(rep, "workloads.gpu_taint", "azurerm_kubernetes_cluster_node_pool.gpu")
}

test_chart_version_compliant if t.clean("aws_workloads", "workloads.chart_version")

test_chart_version_violation if {
	every version in ["", "^1.19.0", "~1.19", ">=1.0.0", "1.x", "latest", "*"] {
		rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/version", version)])
		t.denied(rep, "workloads.chart_version", "helm_release.qdrant")
	}
}

test_chart_version_missing_violation if {
	rep := t.patched("aws_workloads", [t.remove("/resource/helm_release/qdrant/version")])
	t.denied(rep, "workloads.chart_version", "helm_release.qdrant")
}

test_chart_source_compliant if {
	t.clean("aws_workloads", "workloads.chart_source")
	every chart in [
		"charts/tei", "../../../charts/tei", "/work/main/charts/tei",
		"assets/tei_release_chart_B6555468/8CB357BC462D58B0F1817BED6D5B39C1",
	] {
		rep := t.patched("aws_workloads", [t.set("/resource/helm_release/tei/chart", chart)])
		not "workloads.chart_source" in t.rules(rep)
	}
}

test_chart_source_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/repository", "https://qdrant.github.io/qdrant-helm")])
	t.denied(rep, "workloads.chart_source", "helm_release.qdrant")
}

test_chart_source_mirror_prefix_lookalike_violation if {
	mirror := t.contract.environments.aws.chartMirror
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/repository", concat("", [mirror, "-evil"]))])
	t.denied(rep, "workloads.chart_source", "helm_release.qdrant")
}

test_chart_source_local_outside_charts_violation if {
	every chart in ["./vendor/tei", "assets/x/not-a-hash", "https://example.com/tei-0.1.0.tgz"] {
		rep := t.patched("aws_workloads", [t.set("/resource/helm_release/tei/chart", chart)])
		t.denied(rep, "workloads.chart_source", "helm_release.tei")
	}
}

_values_path(name) := concat("/", ["/resource/helm_release", name, "values/-"])

test_image_mirror_compliant if t.clean("aws_workloads", "workloads.image_mirror")

test_image_mirror_violation if {
	rep := t.patched("aws_workloads", [t.set(_values_path("qdrant"), json.marshal({"image": {"repository": "docker.io/qdrant/qdrant", "tag": "v1.15.5"}}))])
	t.denied(rep, "workloads.image_mirror", "helm_release.qdrant")
}

test_image_mirror_yaml_string_violation if {
	rep := t.patched("aws_workloads", [t.set(_values_path("tei"), "sidecar:\n  image: ghcr.io/huggingface/text-embeddings-inference:89-1.9\n")])
	t.denied(rep, "workloads.image_mirror", "helm_release.tei")
}

test_image_mirror_grouped_images_violation if {
	values := {"image": {"keda": {"registry": "ghcr.io", "repository": "kedacore/keda", "tag": "2.19.0"}}}
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/values", [json.marshal(values)])])
	t.denied(rep, "workloads.image_mirror", "helm_release.qdrant")
}

test_image_mirror_grouped_images_compliant if {
	mirror := t.contract.environments.aws.imageMirror
	values := {"image": {"keda": {"registry": mirror, "repository": "kedacore/keda", "tag": "2.19.0"}}}
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/values", [json.marshal(values)])])
	not t.denied(rep, "workloads.image_mirror", "helm_release.qdrant")
}

test_image_mirror_set_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/set", [{"name": "image.repository", "value": "docker.io/qdrant/qdrant"}])])
	t.denied(rep, "workloads.image_mirror", "helm_release.qdrant")
}

test_image_mirror_no_override_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/values", [json.marshal({"replicaCount": 3})])])
	t.denied(rep, "workloads.image_mirror", "helm_release.qdrant")
}

test_image_mirror_kubernetes_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_deployment_v1", {"debug": {
		"metadata": {"name": "debug", "namespace": "rag-platform"},
		"spec": {"template": {"spec": {"container": [{"name": "sh", "image": "busybox:1.36"}]}}},
	}})])
	t.denied(rep, "workloads.image_mirror", "kubernetes_deployment_v1.debug")
}

test_image_tag_compliant if t.clean("aws_workloads", "workloads.image_tag")

test_image_tag_latest_violation if {
	mirror := t.contract.environments.aws.imageMirror
	rep := t.patched("aws_workloads", [t.set(_values_path("qdrant"), json.marshal({"image": {"repository": concat("/", [mirror, "qdrant/qdrant"]), "tag": "latest"}}))])
	t.denied(rep, "workloads.image_tag", "helm_release.qdrant")
}

test_image_tag_untagged_violation if {
	mirror := t.contract.environments.aws.imageMirror
	rep := t.patched("aws_workloads", [t.set(_values_path("tei"), json.marshal({"init": {"image": concat("/", [mirror, "busybox"])}}))])
	t.denied(rep, "workloads.image_tag", "helm_release.tei")
}

test_image_tag_digest_compliant if {
	mirror := t.contract.environments.aws.imageMirror
	ref := concat("", [mirror, "/busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000"])
	rep := t.patched("aws_workloads", [t.set(_values_path("tei"), json.marshal({"init": {"image": ref}}))])
	not "workloads.image_tag" in t.rules(rep)
}

test_secret_literal_compliant if t.clean("aws_workloads", "workloads.secret_literal")

test_secret_literal_values_violation if {
	rep := t.patched("aws_workloads", [t.set(_values_path("litellm"), "masterkey: sk-literal-value\n")])
	t.denied(rep, "workloads.secret_literal", "helm_release.litellm")
}

test_secret_literal_nested_value_violation if {
	rep := t.patched("aws_workloads", [t.set(_values_path("qdrant"), json.marshal({"apiKey": {"value": "literal"}}))])
	t.denied(rep, "workloads.secret_literal", "helm_release.qdrant")
}

test_secret_literal_set_sensitive_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/set_sensitive", [{"name": "apiKey", "value": "literal"}])])
	t.denied(rep, "workloads.secret_literal", "helm_release.qdrant")
}

test_secret_literal_env_violation if {
	env := json.marshal({"extraEnv": [{"name": "OPENAI_API_KEY", "value": "literal"}]})
	rep := t.patched("aws_workloads", [t.set(_values_path("litellm"), env)])
	t.denied(rep, "workloads.secret_literal", "helm_release.litellm")
}

test_secret_literal_settings_compliant if {
	env := json.marshal({"extraEnv": [
		{"name": "CHUNK_MAX_TOKENS", "value": "512"},
		{"name": "AUTH_DISABLE_USERNAME_PASSWORD", "value": "true"},
	]})
	rep := t.patched("aws_workloads", [t.set(_values_path("litellm"), env)])
	not "workloads.secret_literal" in t.rules(rep)
}

test_secret_literal_long_number_violation if {
	env := json.marshal({"extraEnv": [{"name": "DB_PASSWORD", "value": "12345678"}]})
	rep := t.patched("aws_workloads", [t.set(_values_path("litellm"), env)])
	t.denied(rep, "workloads.secret_literal", "helm_release.litellm")
}

test_secret_literal_key_in_existing_secret_compliant if {
	values := json.marshal({"userDatabase": {
		"existingSecret": "pg-auth",
		"name": {"secretKey": "POSTGRES_DB"},
		"password": {"secretKey": "USERDB_PASSWORD"},
	}})
	rep := t.patched("aws_workloads", [t.set(_values_path("qdrant"), values)])
	not "workloads.secret_literal" in t.rules(rep)
}

test_secret_literal_secret_key_without_existing_secret_violation if {
	values := json.marshal({"s3": {"accessKey": {"secretKey": "literal-s3-secret"}}})
	rep := t.patched("aws_workloads", [t.set(_values_path("qdrant"), values)])
	t.denied(rep, "workloads.secret_literal", "helm_release.qdrant")
}

test_secret_literal_references_compliant if {
	refs := json.marshal({
		"auth": {"existingSecret": "qdrant-auth", "passwordSecretName": "qdrant-auth", "passwordSecretKey": "password"},
		"apiKey": {"valueFrom": {"secretKeyRef": {"name": "qdrant", "key": "api-key"}}},
		"token": "${data.aws_secretsmanager_secret_version.x.secret_string}",
		"extraEnv": [{"name": "API_KEY", "valueFrom": {"secretKeyRef": {"name": "x", "key": "y"}}}],
	})
	rep := t.patched("aws_workloads", [t.set(_values_path("qdrant"), refs)])
	not "workloads.secret_literal" in t.rules(rep)
}

test_secret_literal_kubernetes_secret_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_secret_v1", {"db": {"metadata": {"name": "db", "namespace": "data"}, "data": {"password": "literal"}}})])
	t.denied(rep, "workloads.secret_literal", "kubernetes_secret_v1.db")
}

# The mirror given once as global.imageRegistry (values or a set entry): images name their repository only.
test_image_mirror_global_registry_compliant if {
	mirror := t.contract.environments.aws.imageMirror
	values := {"global": {"imageRegistry": mirror}, "image": {"registry": "docker.io", "repository": "bitnami/valkey", "tag": "8.1.3"}}
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/values", [json.marshal(values)])])
	not "workloads.image_mirror" in t.rules(rep)

	only_global := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/values", [json.marshal({"global": {"imageRegistry": mirror}})])])
	not "workloads.image_mirror" in t.rules(only_global)

	by_set := t.patched("aws_workloads", [
		t.set("/resource/helm_release/qdrant/values", [json.marshal({"replicaCount": 3})]),
		t.set("/resource/helm_release/qdrant/set", [{"name": "global.imageRegistry", "value": mirror}]),
	])
	not "workloads.image_mirror" in t.rules(by_set)
}

test_image_mirror_foreign_registry_violation if {
	every ops in [
		[t.set("/resource/helm_release/qdrant/values", [json.marshal({"global": {"imageRegistry": "docker.io"}, "image": {"repository": "bitnami/valkey", "tag": "8.1.3"}})])],
		[t.set("/resource/helm_release/qdrant/set", [{"name": "image.registry", "value": "ghcr.io"}])],
		[t.set("/resource/helm_release/qdrant/set", [{"name": "global.imageRegistry", "value": "docker.io"}])],
	] {
		t.denied(t.patched("aws_workloads", ops), "workloads.image_mirror", "helm_release.qdrant")
	}
}

test_image_mirror_crd_only_chart_compliant if {
	rep := t.patched("aws_workloads", [
		t.set("/resource/helm_release/qdrant/chart", "prometheus-operator-crds"),
		t.set("/resource/helm_release/qdrant/values", []),
	])
	not "workloads.image_mirror" in t.rules(rep)
}

test_image_mirror_expression_violation if {
	mirror := t.contract.environments.aws.imageMirror
	every image in [
		{"repository": "${var.registry}/qdrant/qdrant", "tag": "v1.15.5"},
		{"repository": concat("/", [mirror, "${var.repository}"]), "tag": "v1.15.5"},
		concat("/", [mirror, "qdrant/qdrant:{{ .Values.tag }}"]),
	] {
		rep := t.patched("aws_workloads", [t.set(_values_path("qdrant"), json.marshal({"image": image}))])
		t.denied(rep, "workloads.image_mirror", "helm_release.qdrant")
	}
}

test_image_mirror_kubernetes_expression_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_deployment_v1", {"debug": {
		"metadata": {"name": "debug", "namespace": "rag-platform"},
		"spec": {"template": {"spec": {"container": [{"name": "sh", "image": "${var.debug_image}"}]}}},
	}})])
	t.denied(rep, "workloads.image_mirror", "kubernetes_deployment_v1.debug")
}
