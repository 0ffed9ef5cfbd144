# The parts of a configuration besides managed resources (data sources, state backends, required
# providers), normalised like resources in tf.rego for the three input shapes.
package lib.tf

import rego.v1

# METADATA
# scope: document
# description: |
#   Every data source in the input: {type, name, address ("data.<type>.<name>"), values, construct_path}.
#   Plan JSON: from the configuration (the values a data source reads are not in resource_changes).
data_sources contains d if {
	is_cdktf
	some type, group in object.get(input, "data", {})
	type != "//"
	is_object(group)
	some name, raw in group
	name != "//"
	d := {
		"type": type,
		"name": name,
		"address": concat(".", ["data", type, name]),
		"values": object.remove(raw, ["//"]),
		"construct_path": object.get(raw, ["//", "metadata", "path"], ""),
	}
}

data_sources contains d if {
	some cr in plan.configuration.root_module.resources
	cr.mode == "data"
	d := {
		"type": cr.type,
		"name": cr.name,
		"address": cr.address,
		"values": {},
		"construct_path": "",
	}
}

# METADATA
# scope: document
# description: |
#   State backends: {name, address, config}. `terraform.cloud` (HCP Terraform / Terraform Enterprise)
#   counts as a backend named "cloud". Plan JSON carries no backend.
backends contains b if {
	is_cdktf
	some name, config in object.get(input, ["terraform", "backend"], {})
	b := {"name": name, "address": concat(".", ["terraform", "backend", name]), "construct_path": "", "config": _obj(config)}
}

backends contains b if {
	is_cdktf
	config := input.terraform.cloud
	b := {"name": "cloud", "address": "terraform.cloud", "construct_path": "", "config": _obj(config)}
}

# METADATA
# scope: document
# description: |
#   Providers the configuration requires, by local name, with the registry source it names:
#   {name, address, source}. Sources are normalised to "<namespace>/<type>" ("aws" means "hashicorp/aws").
required_providers contains p if {
	is_cdktf
	some name, req in object.get(input, ["terraform", "required_providers"], {})
	p := {"name": name, "address": concat(".", ["terraform", "required_providers", name]), "construct_path": "", "source": _provider_source(object.get(req, "source", name))}
}

required_providers contains p if {
	some cfg in plan.configuration.provider_config
	p := {"name": cfg.name, "address": _provider_address(cfg.name, object.get(cfg, "alias", "")), "construct_path": "", "source": _provider_source(object.get(cfg, "full_name", cfg.name))}
}

_provider_source(s) := concat("/", ["hashicorp", s]) if {
	not contains(s, "/")
} else := trim_prefix(s, "registry.terraform.io/")
