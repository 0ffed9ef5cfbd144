# METADATA
# title: Workloads
# description: |
#   GPU pools are tainted; Helm charts are pinned and come from the in-region chart mirror (or our
#   own charts in the repository); images come from the in-region image mirror with a fixed tag;
#   no secret value is written into Helm values or Kubernetes Secrets in the synthesized JSON.
package workloads

import rego.v1

import data.classification.allowlist
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

image_mirror := trim_suffix(object.get(tf.environment, ["imageMirror"], ""), "/")

chart_mirror := trim_suffix(object.get(tf.environment, ["chartMirror"], ""), "/")

local_charts_dir := trim_suffix(trim_prefix(object.get(tf.environment, ["localChartsDir"], "charts"), "./"), "/")

# ---------------------------------------------------------------------------------------------
# workloads.gpu_taint: GPU node pools repel everything that does not tolerate nvidia.com/gpu.
# ---------------------------------------------------------------------------------------------
raw_finding contains findings.finding(
	"workloads.gpu_taint", "high", r,
	concat("", [r.address, " is a GPU node group without the taint nvidia.com/gpu=present:NO_SCHEDULE; CPU pods would land on GPU nodes."]),
	"Add taint { key = \"nvidia.com/gpu\", value = \"present\", effect = \"NO_SCHEDULE\" }.",
) if {
	some r in tf.resources
	r.type == "aws_eks_node_group"
	_aws_gpu_group(r)
	not _aws_gpu_tainted(r)
}

_aws_gpu_group(r) if {
	ami := upper(object.get(r.values, "ami_type", ""))
	some marker in ["NVIDIA", "GPU"]
	contains(ami, marker)
}

_aws_gpu_group(r) if {
	some instance_type in object.get(r.values, "instance_types", [])
	_aws_gpu_instance(instance_type)
}

# NVIDIA GPU families: g4dn, g5, g5g, g6, g6e, g6f, gr6, p3, p4d, p5, ... (g4ad is AMD).
_aws_gpu_instance(instance_type) if {
	family := split(lower(instance_type), ".")[0]
	regex.match(`^(g[0-9]+[a-z]*|gr[0-9]+[a-z]*|p[0-9]+[a-z]*)$`, family)
	family != "g4ad"
}

_aws_gpu_tainted(r) if {
	some t in tf.blocks(r.values, "taint")
	t.key == "nvidia.com/gpu"
	object.get(t, "value", "") == "present"
	t.effect == "NO_SCHEDULE"
}

raw_finding contains findings.finding(
	"workloads.gpu_taint", "high", r,
	concat("", [r.address, " is a GPU node pool (", r.values.vm_size, ") without node_taints \"nvidia.com/gpu=present:NoSchedule\"."]),
	"Add node_taints = [\"nvidia.com/gpu=present:NoSchedule\"].",
) if {
	some r in tf.resources
	r.type == "azurerm_kubernetes_cluster_node_pool"
	regex.match(`(?i)^standard_n[cdv]`, object.get(r.values, "vm_size", ""))
	not "nvidia.com/gpu=present:NoSchedule" in object.get(r.values, "node_taints", [])
}

# ---------------------------------------------------------------------------------------------
# workloads.chart_version: every helm_release pins an exact chart version.
# ---------------------------------------------------------------------------------------------
raw_finding contains findings.finding(
	"workloads.chart_version", "high", r,
	concat("", [
		r.address, " (chart ", object.get(r.values, "chart", ""), ") has version '", _text(object.get(r.values, "version", "")),
		"'; it must be an exact chart version, not empty, a range or latest.",
	]),
	"Set version to the exact chart version from lib/versions.ts (e.g. \"1.19.0\").",
) if {
	some r in tf.resources
	r.type == "helm_release"
	not _exact_version(object.get(r.values, "version", ""))
}

_exact_version(v) if {
	is_string(v)
	regex.match(`^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`, v)
}

_text(v) := v if is_string(v)

else := json.marshal(v)

# ---------------------------------------------------------------------------------------------
# workloads.chart_source: charts come from the in-region chart mirror or from our own charts/
# (directly, or as a cdktf asset copied into the stack output).
# ---------------------------------------------------------------------------------------------
raw_finding contains findings.finding(
	"workloads.chart_source", "high", r,
	concat("", [
		r.address, " pulls chart '", object.get(r.values, "chart", ""), "' from '", object.get(r.values, "repository", ""),
		"', which is neither the chart mirror (", chart_mirror, ") nor a local chart under ", local_charts_dir, "/.",
	]),
	concat("", ["Mirror the chart and set repository = \"", chart_mirror, "\", or package it under ", local_charts_dir, "/<name> and point chart at it."]),
) if {
	some r in tf.resources
	r.type == "helm_release"
	not _chart_source_ok(r)
}

_chart_source_ok(r) if _under_mirror(object.get(r.values, "repository", ""), chart_mirror)

_chart_source_ok(r) if {
	object.get(r.values, "repository", "") == ""
	_under_mirror(object.get(r.values, "chart", ""), chart_mirror)
}

_chart_source_ok(r) if {
	object.get(r.values, "repository", "") == ""
	_local_chart(object.get(r.values, "chart", ""))
}

_under_mirror(ref, mirror) if {
	mirror != ""
	ref == mirror
}

_under_mirror(ref, mirror) if {
	mirror != ""
	startswith(ref, concat("", [mirror, "/"]))
}

_local_chart(chart) if {
	dir := replace(local_charts_dir, ".", `\.`)
	regex.match(concat("", [`^(\./|(\.\./)+)?`, dir, `/[A-Za-z0-9._-]+/?$`]), chart)
}

_local_chart(chart) if {
	dir := replace(local_charts_dir, ".", `\.`)
	regex.match(concat("", [`^/(.+/)?`, dir, `/[A-Za-z0-9._-]+/?$`]), chart)
}

# A chart shipped as a cdktf TerraformAsset: cdktf copies our charts/<name> into the stack's output
# (assets/<construct id>/<content hash>), so the chart is part of the synthesized, reviewed artefact.
_local_chart(chart) if regex.match(`^(\./)?assets/[A-Za-z0-9_.-]+/[A-Fa-f0-9]{32}/?$`, chart)

# ---------------------------------------------------------------------------------------------
# Images: every image reference in Helm values, `set` entries and Kubernetes resources.
# An image is {ref, tagged}: ref is registry/repository[:tag]; tagged says a fixed tag or digest is set.
# ---------------------------------------------------------------------------------------------
# [address, image] for every image reference of every resource, computed once per evaluation.
_all_images contains [r.address, img] if {
	some r in tf.resources
	r.type == "helm_release"
	some doc in tf.helm_values(r)
	walk(doc, [path, parent])
	some key, value in parent
	img := _with_global_registry(_image_at(path, key, value), value, doc)
}

# `global.imageRegistry` (Bitnami's common library and the charts following it): the registry of every
# image of the release, given once. It is judged as an image reference of its own (the mirror passes, a
# foreign registry is denied), and it replaces the registry of the image objects of its document.
_all_images contains [r.address, {"ref": registry, "tagged": true}] if {
	some r in tf.resources
	r.type == "helm_release"
	some doc in tf.helm_values(r)
	registry := _global_registry(doc)
}

_global_registry(doc) := doc.global.imageRegistry if {
	is_string(doc.global.imageRegistry)
	doc.global.imageRegistry != ""
}

_with_global_registry(img, value, doc) := object.union(img, {"ref": concat("/", [trim_suffix(_global_registry(doc), "/"), value.repository])}) if {
	is_object(value)
	is_string(value.repository)
	_global_registry(doc)
} else := img

_all_images contains [r.address, img] if {
	some r in tf.resources
	r.type == "helm_release"
	some s in tf.helm_sets(r)
	img := _image_from_set(s)
}

_all_images contains [r.address, img] if {
	some r in tf.resources
	startswith(r.type, "kubernetes_")
	walk(r.values, [path, parent])
	some key, value in parent
	img := _image_at(path, key, value)
}

_addresses_with_images contains address if some [address, _] in _all_images

# The images and environment entries of each resource, by address: the findings look up a resource's
# own instead of scanning every [address, value] pair for every resource.
_images_of[address] contains img if some [address, img] in _all_images

_env_entries_of[address] contains env if some [address, env] in _all_env_entries

# An image object under a key that names an image: {registry?, repository, tag?, digest?} (most
# charts) or {registry, image, tag?, digest?} (ingress-nginx style).
#
# The value is a child of a walked node (`parent`, at `path`) under `key`, rather than the walked node
# itself: its key is then at hand, where `path[count(path) - 1]` for every node was decimal arithmetic in
# the compiled policy (opa_arith_minus), a fifth of the gate's CPU on a tenant stack. `path` (the
# parent's) is read only for the few candidates left.
_image_at(_, key, value) := {"ref": _image_ref(value), "tagged": _object_tagged(value)} if {
	_image_key(key)
	is_object(value)
	_image_ref(value)
}

# Charts that group several images under one image key (KEDA: `image: {keda: {...}, webhooks: {...}}`).
_image_at(path, key, value) := {"ref": _image_ref(value), "tagged": _object_tagged(value)} if {
	is_object(value)
	_image_ref(value)
	not _image_key(key)
	_parent_is_image(path)
}

# An image string under a key that names an image ("image: mirror/x:1.0"), unless it is the
# `image` field of an image object (handled above).
_image_at(path, key, value) := {"ref": value, "tagged": _string_tagged(value)} if {
	_image_key(key)
	is_string(value)
	trim_space(value) != ""
	not _parent_is_image(path)
}

# The object holding the value (at `path`) is itself under an image key.
_parent_is_image(path) if {
	count(path) > 0
	_image_key(path[count(path) - 1])
}

_image_key(key) if {
	is_string(key)
	endswith(lower(key), "image")
}

_image_ref(img) := concat("/", [trim_suffix(img.registry, "/"), img.repository]) if {
	is_string(img.repository)
	is_string(img.registry)
	img.registry != ""
} else := img.repository if {
	is_string(img.repository)
} else := concat("/", [trim_suffix(img.registry, "/"), img.image]) if {
	is_string(img.registry)
	is_string(img.image)
}

_object_tagged(img) if {
	_present_value(object.get(img, "digest", ""))
} else if {
	tag := object.get(img, "tag", "")
	_present_value(tag)
	tag != "latest"
} else := false

_present_value(v) if is_number(v)

_present_value(v) if {
	is_string(v)
	trim_space(v) != ""
}

_string_tagged(ref) if {
	contains(ref, "@sha256:")
} else if {
	parts := split(ref, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	not endswith(last, ":latest")
	not endswith(last, ":")
} else := false

# `set { name = "image.repository" }` (no tag information: checked for the mirror only) and
# `set { name = "image" }` (a full reference).
_image_from_set(s) := {"ref": s.value, "tagged": true} if {
	endswith(lower(s.name), "image.repository")
	is_string(s.value)
}

_image_from_set(s) := {"ref": s.value, "tagged": _string_tagged(s.value)} if {
	endswith(lower(s.name), "image")
	is_string(s.value)
}

# `set { name = "image.registry" }` / `set { name = "global.imageRegistry" }`: a registry, judged like one.
_image_from_set(s) := {"ref": s.value, "tagged": true} if {
	is_string(s.value)
	some suffix in ["image.registry", "imageregistry"]
	endswith(lower(s.name), suffix)
}

# workloads.image_mirror: images come from the in-region mirror.
raw_finding contains findings.finding(
	"workloads.image_mirror", "high", r,
	concat("", [r.address, " uses image '", img.ref, "', which is not a literal reference under the in-region mirror ", image_mirror, "/."]),
	concat("", ["Mirror the image and reference it as ", image_mirror, "/<path>:<tag>."]),
) if {
	some r in tf.resources
	some img in _images_of[r.address]
	not _literal_under_mirror(img.ref)
}

# Under the mirror, and literal: an expression (`${var.registry}/x`, `mirror/${var.repo}`) or a Helm
# template (`{{ .Values.registry }}`) in an image could name any registry once resolved.
_literal_under_mirror(ref) if {
	_under_mirror(ref, image_mirror)
	not contains(ref, "${")
	not contains(ref, "{{")
}

# A release whose values override no image at all pulls the chart's default (public) images.
raw_finding contains findings.finding(
	"workloads.image_mirror", "high", r,
	concat("", [r.address, " (chart ", object.get(r.values, "chart", ""), ") sets no image in its values, so it pulls the chart's default images from public registries."]),
	concat("", ["Set the chart's image values (e.g. image.repository / image.tag) to ", image_mirror, "/<path> with a fixed tag."]),
) if {
	some r in tf.resources
	r.type == "helm_release"
	not r.address in _addresses_with_images
	not _crd_only(r)
}

# A chart that installs only CustomResourceDefinitions runs nothing (classification.allowlist.crd_only_charts).
_crd_only(r) if {
	segments := split(trim_suffix(object.get(r.values, "chart", ""), "/"), "/")
	segments[count(segments) - 1] in allowlist.crd_only_charts
}

# workloads.image_tag: no untagged or :latest images.
raw_finding contains findings.finding(
	"workloads.image_tag", "high", r,
	concat("", [r.address, " uses image '", img.ref, "' without a fixed tag or digest (untagged or :latest)."]),
	"Pin the image to a version tag (or a digest) from lib/versions.ts.",
) if {
	some r in tf.resources
	some img in _images_of[r.address]
	not img.tagged
}

# ---------------------------------------------------------------------------------------------
# workloads.secret_literal: no secret values in Helm values, `set` entries or Kubernetes Secrets.
# ---------------------------------------------------------------------------------------------
_secret_pattern := `(?i)(password|passwd|secret|token|api[-_]?key|masterkey|master[-_]key|credential|private[-_]?key|salt|encryptionkey)`

# Keys that name where a secret is (a Secret's name or key), not the secret itself.
_reference_pattern := concat("", [
	`(?i)(secretname|secretnames|.+secretkey|passwordkey|usernamekey|tokenkey|secretref|keyref|existingsecret|secretkeyref|`,
	`valuefrom|name|names|path|file|enabled|ref|provider|type|url|endpoint|header|mount|ttl|duration|length|secretstore|kind)$`,
])

_reference_segments := {"secretkeyref", "valuefrom", "existingsecret", "secretref", "configmapkeyref", "envfrom", "externalsecret"}

raw_finding contains findings.finding(
	"workloads.secret_literal", "critical", r,
	concat("", [r.address, " writes a literal secret into Helm values at '", concat(".", [_text(seg) | some seg in path]), "'; it would be stored in the synthesized JSON and the Terraform state."]),
	"Put the value in the secret store and reference it (existingSecret / secretKeyRef / the chart's *SecretName option).",
) if {
	some r in tf.resources
	r.type == "helm_release"
	some doc in tf.helm_values(r)
	walk(doc, [path, value])
	_literal_secret(path, value)
	not _key_in_existing_secret(doc, path)
}

# `secretKey: X` below an object that names an `existingSecret` is the key inside that Secret, not a value
# (the postgres chart's `userDatabase: {existingSecret: s, user: {secretKey: USERDB_USER}}`).
_key_in_existing_secret(doc, path) if {
	lower(_text(path[count(path) - 1])) == "secretkey"
	some i, _ in path
	i < count(path) - 1
	object.get(doc, array.concat(array.slice(path, 0, i), ["existingSecret"]), null) != null
}

raw_finding contains findings.finding(
	"workloads.secret_literal", "critical", r,
	concat("", [r.address, " writes a literal secret through set/set_sensitive '", s.name, "'; it would be stored in the synthesized JSON and the Terraform state."]),
	"Put the value in the secret store and reference it (existingSecret / secretKeyRef / the chart's *SecretName option).",
) if {
	some r in tf.resources
	r.type == "helm_release"
	some s in tf.helm_sets(r)
	_literal_secret(split(replace(s.name, "\\.", "_"), "."), s.value)
}

# Environment-variable lists: {name: "X_API_KEY", value: "..."}.
raw_finding contains findings.finding(
	"workloads.secret_literal", "critical", r,
	concat("", [r.address, " sets environment variable ", env.name, " to a literal secret value."]),
	"Use valueFrom.secretKeyRef (or envFrom a Secret synced by external-secrets) instead of value.",
) if {
	some r in tf.resources
	some env in _env_entries_of[r.address]
	regex.match(_secret_pattern, env.name)
	_literal_value(env.value)
}

_all_env_entries contains [r.address, value] if {
	some r in tf.resources
	r.type == "helm_release"
	some doc in tf.helm_values(r)
	walk(doc, [_, value])
	_env_entry(value)
}

_all_env_entries contains [r.address, value] if {
	some r in tf.resources
	startswith(r.type, "kubernetes_")
	walk(r.values, [_, value])
	_env_entry(value)
}

_env_entry(value) if {
	is_object(value)
	is_string(value.name)
	is_string(value.value)
}

_literal_secret(path, value) if {
	_literal_value(value)
	count(path) > 0
	key := _secret_key(path)
	is_string(key)
	regex.match(_secret_pattern, key)
	not regex.match(_reference_pattern, key)
	not _under_reference(path)
}

# The key a value is filed under; "value"/"plaintext" wrappers ({password: {value: x}}) count as the parent.
_secret_key(path) := path[count(path) - 2] if {
	count(path) > 1
	lower(_text(path[count(path) - 1])) in {"value", "plaintext"}
} else := path[count(path) - 1]

_under_reference(path) if {
	some seg in path
	is_string(seg)
	lower(seg) in _reference_segments
}

_literal_value(v) if {
	is_string(v)
	trim_space(v) != ""
	not tf.is_expression(v)
	not startswith(v, "os.environ/")
	not startswith(v, "{{")
	not _setting_value(v)
}

# A switch or a small count is a setting, whatever its key is called (CHUNK_MAX_TOKENS: "512",
# AUTH_DISABLE_USERNAME_PASSWORD: "true"): no credential is a bare boolean word or a number of up to 6 digits.
_setting_value(v) if regex.match(`^(?i)(true|false|yes|no|on|off)$|^[0-9]{1,6}$`, trim_space(v))

# workloads.secret_literal also covers Kubernetes Secrets whose data is written literally.
raw_finding contains findings.finding(
	"workloads.secret_literal", "critical", r,
	concat("", [r.address, " is a Kubernetes Secret with literal data (key ", key, "); the value would be stored in the synthesized JSON and the Terraform state."]),
	"Create the Secret with external-secrets from the in-region secret store instead of Terraform.",
) if {
	some r in tf.resources
	r.type in {"kubernetes_secret", "kubernetes_secret_v1"}
	some attr in ["data", "binary_data"]
	some key, value in object.get(r.values, attr, {})
	_literal_value(value)
}
