# METADATA
# title: Exposure
# description: |
#   Private endpoints only: no public Kubernetes API, no public IPs or internet gateways, no
#   internet-facing load balancers, no public network access to key vaults, registries or storage,
#   and every S3 bucket behind a full public access block.
package exposure

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

# exposure.eks_public_endpoint: the EKS API is private only (the provider's default is public).
raw_finding contains findings.finding(
	"exposure.eks_public_endpoint", "critical", r,
	concat("", [r.address, " does not set vpc_config.endpoint_public_access = false; the Kubernetes API would be reachable from the internet."]),
	"Set vpc_config { endpoint_public_access = false, endpoint_private_access = true } and run deploys from inside the VPC.",
) if {
	some r in tf.resources
	r.type == "aws_eks_cluster"
	not _eks_private_only(r)
}

_eks_private_only(r) if {
	some vpc in tf.blocks(r.values, "vpc_config")
	tf.is_false(vpc.endpoint_public_access)
	tf.is_true(vpc.endpoint_private_access)
}

# exposure.aks_private_cluster: the AKS API is private and has no public FQDN.
raw_finding contains findings.finding(
	"exposure.aks_private_cluster", "critical", r,
	concat("", [r.address, " is not a private cluster with no public FQDN (private_cluster_enabled must be true, private_cluster_public_fqdn_enabled not true)."]),
	"Set private_cluster_enabled = true, private_cluster_public_fqdn_enabled = false and a private_dns_zone_id.",
) if {
	some r in tf.resources
	r.type == "azurerm_kubernetes_cluster"
	not _aks_private(r)
}

_aks_private(r) if {
	tf.is_true(r.values.private_cluster_enabled)
	tf.is_false(tf.value(r.values, "private_cluster_public_fqdn_enabled", false))
}

# exposure.subnet_public_ip: subnets never hand out public IPs.
raw_finding contains findings.finding(
	"exposure.subnet_public_ip", "critical", r,
	concat("", [r.address, " does not set map_public_ip_on_launch to false (true, or a value the gate cannot prove false); instances in it could get public IPs."]),
	"Set map_public_ip_on_launch = false (or remove it).",
) if {
	some r in tf.resources
	r.type == "aws_subnet"
	not tf.is_false(tf.value(r.values, "map_public_ip_on_launch", false))
}

# exposure.launch_template_public_ip: nodes and instances never get a public IP.
raw_finding contains findings.finding(
	"exposure.launch_template_public_ip", "critical", r,
	concat("", [r.address, " associates a public IP address with its network interface."]),
	"Set network_interfaces.associate_public_ip_address = false (or remove it).",
) if {
	some r in tf.resources
	r.type == "aws_launch_template"
	some ni in tf.blocks(r.values, "network_interfaces")
	not tf.is_false(tf.value(ni, "associate_public_ip_address", false))
}

raw_finding contains findings.finding(
	"exposure.launch_template_public_ip", "critical", r,
	concat("", [r.address, " associates a public IP address with the instance."]),
	"Set associate_public_ip_address = false (or remove it).",
) if {
	some r in tf.resources
	r.type == "aws_instance"
	not tf.is_false(tf.value(r.values, "associate_public_ip_address", false))
}

# exposure.public_load_balancer: load balancers are internal (the provider's default is internet-facing).
raw_finding contains findings.finding(
	"exposure.public_load_balancer", "critical", r,
	concat("", [r.address, " is an internet-facing load balancer (internal is not true)."]),
	"Set internal = true.",
) if {
	some r in tf.resources
	r.type in {"aws_lb", "aws_alb", "aws_elb"}
	not tf.is_true(object.get(r.values, "internal", false))
}

# exposure.azure_public_ip: no public IP resources at all.
raw_finding contains findings.finding(
	"exposure.azure_public_ip", "critical", r,
	concat("", [r.address, " creates a public IP address."]),
	"Remove it: reach the platform through private endpoints, an internal load balancer and the customer's network.",
) if {
	some r in tf.resources
	r.type in {"azurerm_public_ip", "azurerm_public_ip_prefix"}
}

# exposure.internet_gateway: no internet or NAT gateways (egress goes through the customer's network).
raw_finding contains findings.finding(
	"exposure.internet_gateway", "critical", r,
	concat("", [r.address, " (", r.type, ") connects the VPC to the internet."]),
	"Remove it; use VPC endpoints for AWS services and the customer's egress (transit gateway / firewall) for the rest.",
) if {
	some r in tf.resources
	_internet_gateway(r)
}

_internet_gateway(r) if r.type in {"aws_internet_gateway", "aws_egress_only_internet_gateway"}

_internet_gateway(r) if {
	r.type == "aws_nat_gateway"
	object.get(r.values, "connectivity_type", "public") != "private"
}

# exposure.public_network_access: key vaults, registries and storage accounts are private-endpoint only.
_private_endpoint_only := {"azurerm_key_vault", "azurerm_container_registry", "azurerm_storage_account"}

raw_finding contains findings.finding(
	"exposure.public_network_access", "critical", r,
	concat("", [r.address, " does not set public_network_access_enabled = false (the provider's default is true)."]),
	"Set public_network_access_enabled = false and reach it through a private endpoint.",
) if {
	some r in tf.resources
	r.type in _private_endpoint_only
	not tf.is_false(object.get(r.values, "public_network_access_enabled", true))
}

# exposure.s3_public_access_block: every bucket has a public access block with all four flags true.
_pab_flags := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

raw_finding contains findings.finding(
	"exposure.s3_public_access_block", "critical", bucket,
	concat("", [bucket.address, " has no aws_s3_bucket_public_access_block with ", concat(", ", _pab_flags), " all true."]),
	concat("", ["Add an aws_s3_bucket_public_access_block for this bucket with ", concat(" = true, ", _pab_flags), " = true."]),
) if {
	some bucket in tf.resources
	bucket.type == "aws_s3_bucket"
	not _fully_blocked(bucket)
}

_fully_blocked(bucket) if {
	some pab in tf.resources
	pab.type == "aws_s3_bucket_public_access_block"
	tf.exists(pab)
	tf.references(pab, "bucket", bucket)
	every flag in _pab_flags {
		tf.is_true(pab.values[flag])
	}
}

# exposure.k8s_public_load_balancer: Services/Ingresses (and Helm values) never ask for an
# internet-facing load balancer; LoadBalancer Services must ask for an internal one.
_public_annotations := {
	"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
	"alb.ingress.kubernetes.io/scheme": "internet-facing",
	"service.beta.kubernetes.io/azure-load-balancer-internal": "false",
	"service.beta.kubernetes.io/aws-load-balancer-internal": "false",
}

# The annotations that make a LoadBalancer Service internal, per cloud: the other cloud's controller
# ignores them, so an AWS annotation on AKS (or the reverse) leaves the load balancer public.
_internal_annotations_by_cloud := {
	"aws": {
		"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal",
		"service.beta.kubernetes.io/aws-load-balancer-internal": "true",
	},
	"azure": {"service.beta.kubernetes.io/azure-load-balancer-internal": "true"},
}

_internal_annotations := object.get(_internal_annotations_by_cloud, object.get(tf.environment, "cloud", ""), {})

raw_finding contains findings.finding(
	"exposure.k8s_public_load_balancer", "critical", r,
	concat("", [r.address, " asks for an internet-facing load balancer (annotation ", key, ": ", value, ")."]),
	"Use the internal scheme: service.beta.kubernetes.io/aws-load-balancer-scheme: internal (AWS) or service.beta.kubernetes.io/azure-load-balancer-internal: \"true\" (Azure).",
) if {
	some r in tf.resources
	r.type == "helm_release"
	some [key, value] in _set_annotations(r)
	_public_annotations[key] == value
}

raw_finding contains findings.finding(
	"exposure.k8s_public_load_balancer", "critical", r,
	concat("", [r.address, " asks for an internet-facing load balancer (annotation ", key, ": ", value, ")."]),
	"Use the internal scheme: service.beta.kubernetes.io/aws-load-balancer-scheme: internal (AWS) or service.beta.kubernetes.io/azure-load-balancer-internal: \"true\" (Azure).",
) if {
	some r in tf.resources
	some [key, value] in _annotations(r)
	_public_annotations[key] == value
}

raw_finding contains findings.finding(
	"exposure.k8s_public_load_balancer", "critical", r,
	concat("", [r.address, " is a LoadBalancer Service without an internal load-balancer annotation; clouds default to internet-facing."]),
	"Add service.beta.kubernetes.io/aws-load-balancer-scheme: internal (AWS) or service.beta.kubernetes.io/azure-load-balancer-internal: \"true\" (Azure).",
) if {
	some r in tf.resources
	tf.k8s_kind(r) == "Service"
	tf.k8s_spec(r).type == "LoadBalancer"
	not _has_internal_annotation(_annotations(r))
}

# Helm values: any object with `type: LoadBalancer` (a chart's service block) needs the cloud's internal
# annotation in its own `annotations`.
raw_finding contains findings.finding(
	"exposure.k8s_public_load_balancer", "critical", r,
	concat("", [r.address, " asks for a LoadBalancer Service at values path ", concat(".", path), " without the ", _cloud, " internal load-balancer annotation."]),
	concat("", ["Add ", _internal_annotation_text, " to that service's annotations (or use ClusterIP behind the internal ingress)."]),
) if {
	some r in tf.resources
	r.type == "helm_release"
	some doc in tf.helm_values(r)
	walk(doc, [path, obj])
	is_object(obj)
	obj.type == "LoadBalancer"
	not _has_internal_annotation({[k, lower(_text(v))] | some k, v in object.get(obj, "annotations", {})})
}

# helm_release `set` entries that make a service a LoadBalancer: refused unless the cloud's internal
# annotation is set next to it.
raw_finding contains findings.finding(
	"exposure.k8s_public_load_balancer", "critical", r,
	concat("", [r.address, " sets ", s.name, " = LoadBalancer without the ", _cloud, " internal load-balancer annotation."]),
	concat("", ["Set ", _internal_annotation_text, " on that service too (or use ClusterIP)."]),
) if {
	some r in tf.resources
	r.type == "helm_release"
	some s in tf.helm_sets(r)
	endswith(s.name, "type")
	s.value == "LoadBalancer"
	not _has_internal_annotation(_set_annotations(r))
}

_cloud := object.get(tf.environment, "cloud", "unknown")

_internal_annotation_text := concat(" or ", [concat(": ", [k, v]) | some k, v in _internal_annotations])

_has_internal_annotation(annotations) if {
	some [key, value] in annotations
	_internal_annotations[key] == value
}

# Annotations as a set of [key, lower-case value] pairs: those of a Kubernetes resource, or every
# load-balancer annotation key anywhere in a helm_release's values.
_annotations(r) := pairs if {
	startswith(r.type, "kubernetes_")
	pairs := {[key, lower(_text(value))] | some key, value in object.get(tf.k8s_metadata(r), "annotations", {})}
}

_annotations(r) := pairs if {
	r.type == "helm_release"
	pairs := {[key, lower(_text(value))] |
		some doc in tf.helm_values(r)
		walk(doc, [path, value])
		count(path) > 0
		key := path[count(path) - 1]
		is_string(key)
		_public_annotations[key]
	}
}

# Annotation values are strings in Kubernetes, but Helm values may carry booleans.
_text(v) := v if is_string(v)

else := json.marshal(v)

# helm_release `set` entries such as controller.service.annotations.service\.beta\.kubernetes\.io/…
_set_annotations(r) := {[key, lower(_text(s.value))] |
	some s in tf.helm_sets(r)
	name := replace(s.name, "\\.", ".")
	some key in _annotation_keys
	endswith(name, concat("", [".", key]))
}

# Every load-balancer annotation key the gate reads (public and this cloud's internal ones).
_annotation_keys := {k | some k, _ in _public_annotations} | {k | some k, _ in _internal_annotations}
