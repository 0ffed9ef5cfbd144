# METADATA
# title: Sovereignty
# description: |
#   Everything stays in the regions of the environment's sovereignty profile
#   (data.environment.permittedRegions), nothing replicates out, and LLM calls stay in-region unless the
#   environment declares a cross-region agreement (tf.environment.llmCrossRegionAgreement).
package sovereignty

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

permitted_aws := object.get(tf.environment, ["permittedRegions", "aws"], [])

permitted_azure contains _azure_region(l) if {
	some l in object.get(tf.environment, ["permittedRegions", "azure"], [])
}

_permitted_aws_text := concat(", ", permitted_aws)

_permitted_azure_text := concat(", ", sort(permitted_azure))

# Azure accepts "UAE North" and "uaenorth" alike.
_azure_region(l) := lower(replace(l, " ", ""))

# sovereignty.aws_region: every aws provider block names a permitted region, literally.
raw_finding contains findings.finding(
	"sovereignty.aws_region", "critical", p,
	concat("", [
		"AWS provider ", p.address, " uses region '", p.region,
		"', which is outside the environment's permitted AWS regions [", _permitted_aws_text, "].",
	]),
	concat("", ["Set the provider region to one of [", _permitted_aws_text, "] (a literal, not a variable)."]),
) if {
	some p in tf.provider_configs
	p.name == "aws"
	not p.region in permitted_aws
}

# The S3 backend's bucket holds the state (which holds every attribute): same rule.
raw_finding contains findings.finding(
	"sovereignty.aws_region", "critical", backend,
	concat("", [
		"The S3 state backend uses region '", region,
		"', which is outside the environment's permitted AWS regions [", _permitted_aws_text, "].",
	]),
	concat("", ["Put the state bucket in one of [", _permitted_aws_text, "]."]),
) if {
	s3 := input.terraform.backend.s3
	region := object.get(s3, "region", "")
	not region in permitted_aws
	backend := {"address": "terraform.backend.s3", "construct_path": ""}
}

# sovereignty.azure_location: every azurerm resource with a literal location is in a permitted region.
raw_finding contains findings.finding(
	"sovereignty.azure_location", "critical", r,
	concat("", [
		r.address, " is placed in '", r.values.location,
		"', which is outside the environment's permitted Azure regions [", _permitted_azure_text, "].",
	]),
	concat("", ["Set location to one of [", _permitted_azure_text, "]."]),
) if {
	some r in tf.resources
	startswith(r.type, "azurerm_")
	is_string(r.values.location)
	not tf.is_expression(r.values.location)
	not _azure_region(r.values.location) in permitted_azure
}

# sovereignty.s3_replication: no S3 replication configuration at all (backups stay in-region).
raw_finding contains findings.finding(
	"sovereignty.s3_replication", "critical", r,
	concat("", [r.address, " replicates S3 objects; cross-region replication is forbidden by the sovereignty profile."]),
	"Remove the aws_s3_bucket_replication_configuration; keep backups in the same region (versioning + object lock instead).",
) if {
	some r in tf.resources
	r.type == "aws_s3_bucket_replication_configuration"
}

raw_finding contains findings.finding(
	"sovereignty.s3_replication", "critical", r,
	concat("", [r.address, " has an inline replication_configuration; cross-region replication is forbidden."]),
	"Remove the replication_configuration block from the bucket.",
) if {
	some r in tf.resources
	r.type == "aws_s3_bucket"
	count(tf.blocks(r.values, "replication_configuration")) > 0
}

# sovereignty.ecr_replication: ECR replication only to permitted regions.
raw_finding contains findings.finding(
	"sovereignty.ecr_replication", "critical", r,
	concat("", [
		r.address, " replicates images to region '", region,
		"', outside the permitted AWS regions [", _permitted_aws_text, "].",
	]),
	"Remove the destination (or the whole aws_ecr_replication_configuration); mirror images in-region instead.",
) if {
	some r in tf.resources
	r.type == "aws_ecr_replication_configuration"
	some cfg in tf.blocks(r.values, "replication_configuration")
	some rule in tf.blocks(cfg, "rule")
	some dest in tf.blocks(rule, "destination")
	region := object.get(dest, "region", "")
	not region in permitted_aws
}

# sovereignty.acr_georeplication: ACR geo-replicas only in permitted regions.
raw_finding contains findings.finding(
	"sovereignty.acr_georeplication", "critical", r,
	concat("", [
		r.address, " geo-replicates to '", location,
		"', outside the permitted Azure regions [", _permitted_azure_text, "].",
	]),
	concat("", ["Remove the georeplications entry or use one of [", _permitted_azure_text, "]."]),
) if {
	some r in tf.resources
	r.type == "azurerm_container_registry"
	some geo in tf.blocks(r.values, "georeplications")
	location := object.get(geo, "location", "")
	not _azure_region(location) in permitted_azure
}

_in_region_replication := {"LRS", "ZRS"}

# sovereignty.storage_replication: storage accounts replicate only within the region.
raw_finding contains findings.finding(
	"sovereignty.storage_replication", "critical", r,
	concat("", [
		r.address, " uses account_replication_type '", kind,
		"', which copies data to the paired region; only LRS or ZRS stay in-region.",
	]),
	"Set account_replication_type to \"ZRS\" (or \"LRS\" where the region has no zones).",
) if {
	some r in tf.resources
	r.type == "azurerm_storage_account"
	kind := object.get(r.values, "account_replication_type", "")
	not upper(kind) in _in_region_replication
}

# sovereignty.vpc_endpoint_region: an interface endpoint reaches a service in another region (cross-region
# PrivateLink) when service_region names it; left to the provider, it is the provider's (checked) region.
raw_finding contains findings.finding(
	"sovereignty.vpc_endpoint_region", "critical", r,
	concat("", [
		r.address, " reaches its service in region '", _str(r.values.service_region),
		"', outside the permitted AWS regions [", _permitted_aws_text, "] (or not a literal region).",
	]),
	"Remove service_region (the endpoint then serves the provider's own region) or set it to a permitted region literally.",
) if {
	some r in tf.resources
	r.type == "aws_vpc_endpoint"
	not tf.provider_default(r, "service_region")
	not r.values.service_region in permitted_aws
}

# sovereignty.kms_multi_region: a multi-Region key can be replicated (aws_kms_replica_key) to any region,
# with the same key material; keys stay single-Region (false is the provider default).
raw_finding contains findings.finding(
	"sovereignty.kms_multi_region", "critical", r,
	concat("", [r.address, " is a multi-Region key (multi_region is not false), which can be copied to other regions."]),
	"Remove multi_region (or set it to false): each region gets its own key.",
) if {
	some r in tf.resources
	r.type == "aws_kms_key"
	not tf.provider_default(r, "multi_region")
	not tf.is_false(r.values.multi_region)
}

# sovereignty.vnet_peering: a peering joins the environment's network to another one, possibly in another
# region or tenant. The remote side must be the landing zone's declared hub or spoke
# (data.environment.peerNetworks) or a virtual network of this stack (the hub's half of the peering).
raw_finding contains findings.finding(
	"sovereignty.vnet_peering", "critical", r,
	concat("", [
		r.address, " peers with '", _str(object.get(r.values, "remote_virtual_network_id", "")),
		"', which is neither the landing zone's hub or spoke nor a virtual network of this stack.",
	]),
	"Peer only with the hub the environment declares (azure.landingZone.hubVirtualNetworkId) or with this stack's own virtual network.",
) if {
	some r in tf.resources
	r.type == "azurerm_virtual_network_peering"
	not _declared_peer(r)
}

_declared_peer(r) if lower(r.values.remote_virtual_network_id) in {lower(id) | some id in object.get(tf.environment, "peerNetworks", [])}

_declared_peer(r) if {
	some vnet in tf.resources
	vnet.type == "azurerm_virtual_network"
	tf.references(r, "remote_virtual_network_id", vnet)
}

# sovereignty.log_destination: logs (diagnostic settings, flow logs) go only to a destination this
# environment creates: a resource of the stack, or one of a shared stack read through its state
# (terraform_remote_state, which the backend keeps in the environment). A literal id could be a workspace,
# account or event hub anywhere (another region, a SaaS partner): it is not provably in-region.
_log_destinations := {
	"azurerm_monitor_diagnostic_setting": [
		"log_analytics_workspace_id", "storage_account_id", "eventhub_authorization_rule_id",
		"eventhub_name", "partner_solution_id",
	],
	"azurerm_network_watcher_flow_log": ["storage_account_id"],
	"aws_flow_log": ["log_destination"],
}

raw_finding contains findings.finding(
	"sovereignty.log_destination", "critical", r,
	concat("", [
		r.address, " sends logs through ", attr, " to '", _str(object.get(r.values, attr, "")),
		"', which is not a resource of this environment's stacks.",
	]),
	"Point it at a log destination the platform creates (a reference to its log group / workspace / storage account), never a literal id.",
) if {
	some r in tf.resources
	some attr in _log_destinations[r.type]
	not tf.provider_default(r, attr)
	not _own_destination(r, attr)
}

_own_destination(r, attr) if {
	some target in tf.resources
	tf.references(r, attr, target)
}

_own_destination(r, attr) if {
	some d in tf.data_sources
	d.type == "terraform_remote_state"
	tf.references(r, attr, d)
}

# sovereignty.llm_endpoint: every model in the LiteLLM proxy config runs in a permitted region.
raw_finding contains findings.finding(
	"sovereignty.llm_endpoint", "critical", r,
	concat("", ["LiteLLM model '", model.name, "' in ", r.address, ": ", problem]),
	model_fix,
) if {
	not _cross_region_agreement
	some r in tf.resources
	_is_litellm(r)
	some model in _litellm_models(r)
	some problem in _llm_problems(model.params)
}

model_fix := concat("", [
	"Point the model at an in-region endpoint: Bedrock with aws_region_name in [", _permitted_aws_text,
	"], Azure OpenAI with api_base plus region_name in [", _permitted_azure_text,
	"], or an in-cluster service (*.svc); or declare llmCrossRegionAgreement.",
])

_cross_region_agreement if tf.environment.llmCrossRegionAgreement == true

_is_litellm(r) if {
	r.type == "helm_release"
	contains(lower(object.get(r.values, "chart", "")), "litellm")
}

# Models as {name, params} from proxy_config.model_list (or config.model_list) in the values documents.
_litellm_models(r) := [{"name": object.get(m, "model_name", "(unnamed)"), "params": object.get(m, "litellm_params", {})} |
	some doc in tf.helm_values(r)
	some key in ["proxy_config", "config"]
	some m in object.get(doc, [key, "model_list"], [])
	is_object(m)
]

# What is wrong with one model's litellm_params (empty when it is provably in-region).
_llm_problems(p) := {msg |
	some msg, failed in {
		concat("", ["aws_region_name '", _str(object.get(p, "aws_region_name", "")), "' is not a permitted AWS region."]): _bad_aws_region(p),
		concat("", ["api_base '", _str(object.get(p, "api_base", "")), "' is not provably in-region."]): _bad_api_base(p),
		concat("", ["model '", _str(object.get(p, "model", "")), "' has no in-region endpoint (no api_base / aws_region_name)."]): _no_endpoint(p),
		concat("", [
			"model '", _str(object.get(p, "model", "")),
			"' is a cross-region inference profile (it routes requests to other regions whatever aws_region_name says).",
		]): _cross_region_profile(p),
		concat("", ["an endpoint override (", concat(", ", _overrides(p)), ") is not provably in-region."]): _bad_override(p),
	}
	failed
}

# Bedrock inference-profile ids name their routing scope before the first dot: `global.`, `us.`, `eu.`,
# `apac.`, ... (a model id, a `bedrock/[converse/]<id>` path or an inference-profile ARN ending in it).
_profile_scopes := {"global", "us", "eu", "apac", "us-gov", "ca", "jp", "au"}

_cross_region_profile(p) if {
	is_string(p.model)
	segments := split(p.model, "/")
	id := segments[count(segments) - 1]
	split(id, ".")[0] in _profile_scopes
} else := false

# litellm_params that send a model's requests (or its credentials exchange) somewhere other than api_base.
_override_keys := {"aws_bedrock_runtime_endpoint", "aws_sts_endpoint", "base_url", "api_endpoint"}

_overrides(p) := sort([k | some k in _override_keys; _has_string(p, k)])

_bad_override(p) if {
	some k in _override_keys
	is_string(p[k])
	not _url_in_region(p[k], p)
} else := false

_api_base_in_region(p) := _url_in_region(p.api_base, p)

_str(v) := v if is_string(v)

else := ""

_bad_aws_region(p) if {
	is_string(p.aws_region_name)
	not p.aws_region_name in permitted_aws
} else := false

_bad_api_base(p) if {
	is_string(p.api_base)
	not _api_base_in_region(p)
} else := false

_no_endpoint(p) if {
	not _has_string(p, "api_base")
	not _has_string(p, "aws_region_name")
} else := false

_has_string(obj, key) if is_string(obj[key])

_host(url) := lower(split(split(trim_prefix(trim_prefix(url, "https://"), "http://"), "/")[0], ":")[0])

# In-cluster services (self-hosted models, e.g. vLLM/TEI behind a Service).
_url_in_region(url, _) if {
	host := _host(url)
	some suffix in [".svc", ".svc.cluster.local", ".cluster.local"]
	endswith(host, suffix)
}

_url_in_region(url, _) if not contains(_host(url), ".")

# AWS endpoints carry the region in the host name (bedrock-runtime.<region>.amazonaws.com).
_url_in_region(url, _) if {
	host := _host(url)
	endswith(host, ".amazonaws.com")
	some label in split(host, ".")
	label in permitted_aws
}

# Azure endpoints do not: the model entry must say where it is (LiteLLM's region_name).
_url_in_region(url, p) if {
	host := _host(url)
	endswith(host, ".azure.com")
	_azure_region(p.region_name) in permitted_azure
}

# sovereignty.llm_endpoint (callbacks): LiteLLM callbacks receive every prompt and completion. Only
# in-cluster sinks are allowed: prometheus (metrics only) and langfuse (the platform's own, in-cluster).
# Not subject to llmCrossRegionAgreement: that covers inference, not shipping prompts to a SaaS.
_in_cluster_callbacks := {"prometheus", "langfuse"}

raw_finding contains findings.finding(
	"sovereignty.llm_endpoint", "critical", r,
	concat("", ["LiteLLM ", key, " in ", r.address, " sends prompts and completions to '", _str(callback), "', which is not an in-cluster sink."]),
	concat("", ["Use only [", concat(", ", sort(_in_cluster_callbacks)), "] as LiteLLM callbacks."]),
) if {
	some r in tf.resources
	_is_litellm(r)
	some doc in tf.helm_values(r)
	some container in ["proxy_config", "config"]
	some key in ["callbacks", "success_callback", "failure_callback", "service_callback"]
	some callback in _as_array(object.get(doc, [container, "litellm_settings", key], []))
	not callback in _in_cluster_callbacks
}

_as_array(x) := x if is_array(x)

else := [x]

# sovereignty.llm_endpoint (set entries): model lists, endpoints and callbacks given through helm `set`
# cannot be judged as a whole (the gate sees single keys, not the resulting model entry): refused.
raw_finding contains findings.finding(
	"sovereignty.llm_endpoint", "critical", r,
	concat("", ["LiteLLM routing in ", r.address, " is set through a helm set entry '", s.name, "', which the gate cannot judge."]),
	"Put models, endpoints and callbacks in the release's values (proxy_config), where the gate reads whole model entries.",
) if {
	some r in tf.resources
	_is_litellm(r)
	some s in tf.helm_sets(r)
	some marker in ["model_list", "litellm_settings", "litellm_params", "api_base", "aws_region_name", "callback"]
	contains(s.name, marker)
}
