# Sovereignty, backup destinations: backups and copies of the environment's data go only to its own object
# storage, in its region (the package's other rules are in sovereignty.rego).
package sovereignty

import rego.v1

import data.lib.findings
import data.lib.tf

# sovereignty.backup_destination: backups and copies go only to the environment's own object storage. A
# destination is the environment's own when it starts with a reference to a bucket / storage account of this
# stack or to a shared stack's state output (terraform_remote_state: how the workloads stack reads the
# platform bucket, in the region the platform stack's own rules hold it to). A literal bucket, URL or account
# could be anywhere. Judged: CloudNativePG Cluster in-tree backups (spec.backup.barmanObjectStore), Barman
# Cloud plugin ObjectStores, Velero BackupStorageLocations (manifests, or the velero chart's values), and
# Azure object replication policies (their destination account must be one of this stack).
raw_finding contains findings.finding(
	"sovereignty.backup_destination", "critical", d.resource,
	concat("", [
		d.resource.address, " sends backups through ", d.field, " to '", _str(d.value),
		"', which is not the environment's own storage (a reference to its bucket or storage account).",
	]),
	"Point it at the platform's bucket/container through the stack's reference (ClusterInfo.objectStorage), never a literal bucket, URL or account.",
) if {
	some d in _backup_destinations
	not _own_storage(d.resource, d.value)
}

raw_finding contains findings.finding(
	"sovereignty.backup_destination", "critical", r,
	concat("", [
		r.address, " replicates blobs to '", _str(object.get(r.values, "destination_storage_account_id", "")),
		"', which is not a storage account of this stack.",
	]),
	"Remove the object replication policy: backups stay in the environment's own account (versioning and soft delete), never a copy elsewhere.",
) if {
	some r in tf.resources
	r.type == "azurerm_storage_object_replication"
	not _own_account(r)
}

_own_account(r) if {
	some target in tf.resources
	target.type == "azurerm_storage_account"
	tf.references(r, "destination_storage_account_id", target)
}

_backup_destinations contains {"resource": r, "field": "spec.backup.barmanObjectStore.destinationPath", "value": path} if {
	some r in tf.resources
	_manifest(r, "postgresql.cnpg.io/", "Cluster")
	store := object.get(tf.k8s_spec(r), ["backup", "barmanObjectStore"], null)
	is_object(store)
	path := object.get(store, "destinationPath", "")
}

_backup_destinations contains {"resource": r, "field": "spec.configuration.destinationPath", "value": path} if {
	some r in tf.resources
	_manifest(r, "barmancloud.cnpg.io/", "ObjectStore")
	path := object.get(tf.k8s_spec(r), ["configuration", "destinationPath"], "")
}

_backup_destinations contains {"resource": r, "field": "spec.objectStorage.bucket", "value": _velero_target(spec)} if {
	some r in tf.resources
	_manifest(r, "velero.io/", "BackupStorageLocation")
	spec := tf.k8s_spec(r)
}

_backup_destinations contains {"resource": r, "field": "values configuration.backupStorageLocation", "value": _velero_target(location)} if {
	some r in tf.resources
	r.type == "helm_release"
	contains(lower(_str(object.get(r.values, "chart", ""))), "velero")
	some doc in tf.helm_values(r)
	some location in _as_array(object.get(doc, ["configuration", "backupStorageLocation"], []))
}

_manifest(r, group, kind) if {
	r.type == "kubernetes_manifest"
	startswith(_str(object.get(r.values, ["manifest", "apiVersion"], "")), group)
	object.get(r.values, ["manifest", "kind"], "") == kind
}

# A Velero location's storage: the Azure plugin names the account in config.storageAccount (the bucket is
# a container name in it); every other provider stores in the bucket itself.
_velero_target(location) := account if {
	account := object.get(location, ["config", "storageAccount"], "")
	account != ""
} else := object.get(location, ["objectStorage", "bucket"], object.get(location, "bucket", ""))

# cdk.tf.json: the value starts with a reference (after an `s3://` style scheme) to a storage resource of the
# stack or to a shared stack's state output.
_own_storage(_, value) if {
	is_string(value)
	regex.match(`^([a-z0-9]+://)?\$\{(data\.terraform_remote_state\.[^.}]+\.outputs\.[^}]+|(aws_s3_bucket|azurerm_storage_account|azurerm_storage_container)\.[^.}]+\.[a-z_]+)\}`, value)
}

# Plan JSON: values are resolved. Own when the value names a bucket / account of the plan, or the manifest's
# configuration reads a shared stack's state output (the configuration keeps the references).
_own_storage(_, value) if {
	tf.is_plan
	is_string(value)
	some target in tf.resources
	target.type in {"aws_s3_bucket", "azurerm_storage_account"}
	some name in [object.get(target.values, "bucket", null), object.get(target.values, "name", null)]
	is_string(name)
	_names_storage(_after_scheme(value), name)
}

# The bucket (`<bucket>/<prefix>`) or the account's host (`<account>.blob.core.windows.net/...`) is `name`;
# compared as strings (a bucket name's dots are no regex wildcards).
_names_storage(rest, name) if rest == name

_names_storage(rest, name) if startswith(rest, concat("", [name, "/"]))

_names_storage(rest, name) if startswith(rest, concat("", [name, "."]))

_after_scheme(v) := substring(v, indexof(v, "://") + 3, -1) if contains(v, "://")

else := v

_own_storage(r, _) if {
	tf.is_plan
	some cr in tf.plan.configuration.root_module.resources
	cr.address == r.address
	some expression in cr.expressions
	some ref in expression.references
	startswith(ref, "data.terraform_remote_state.")
}
