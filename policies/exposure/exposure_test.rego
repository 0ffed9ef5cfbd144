package exposure_test

import rego.v1

import data.lib.testutil as t

test_eks_public_endpoint_compliant if {
	t.clean("aws_platform", "exposure.eks_public_endpoint")
	t.clean("aws_plan", "exposure.eks_public_endpoint")
}

test_eks_public_endpoint_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_eks_cluster/cluster/vpc_config/endpoint_public_access", true)])
	t.denied(rep, "exposure.eks_public_endpoint", "aws_eks_cluster.cluster")
}

test_eks_public_endpoint_default_is_violation if {
	rep := t.patched("aws_platform", [t.remove("/resource/aws_eks_cluster/cluster/vpc_config/endpoint_public_access")])
	t.denied(rep, "exposure.eks_public_endpoint", "aws_eks_cluster.cluster")
}

test_eks_public_endpoint_plan_violation if {
	rep := t.patched("aws_plan", [t.set("/resource_changes/1/change/after/vpc_config/0/endpoint_public_access", true)])
	t.denied(rep, "exposure.eks_public_endpoint", "aws_eks_cluster.cluster")
}

test_aks_private_cluster_compliant if t.clean("azure_platform", "exposure.aks_private_cluster")

test_aks_private_cluster_violation if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_kubernetes_cluster/main/private_cluster_enabled", false)])
	t.denied(rep, "exposure.aks_private_cluster", "azurerm_kubernetes_cluster.main")
}

test_aks_public_fqdn_violation if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_kubernetes_cluster/main/private_cluster_public_fqdn_enabled", true)])
	t.denied(rep, "exposure.aks_private_cluster", "azurerm_kubernetes_cluster.main")
}

test_subnet_public_ip_compliant if t.clean("aws_platform", "exposure.subnet_public_ip")

test_subnet_public_ip_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_subnet/private_a/map_public_ip_on_launch", true)])
	t.denied(rep, "exposure.subnet_public_ip", "aws_subnet.private_a")
}

test_launch_template_public_ip_compliant if t.clean("aws_platform", "exposure.launch_template_public_ip")

test_launch_template_public_ip_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_launch_template/gpu/network_interfaces", [{"associate_public_ip_address": "true"}])])
	t.denied(rep, "exposure.launch_template_public_ip", "aws_launch_template.gpu")
}

test_instance_public_ip_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_instance", {"bastion": {"ami": "ami-1", "instance_type": "t3.micro", "associate_public_ip_address": true}})])
	t.denied(rep, "exposure.launch_template_public_ip", "aws_instance.bastion")
}

test_public_load_balancer_compliant if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_lb", {"internal": {"internal": true, "load_balancer_type": "network"}})])
	not "exposure.public_load_balancer" in t.rules(rep)
}

test_public_load_balancer_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_alb", {"web": {"internal": false, "load_balancer_type": "application"}})])
	t.denied(rep, "exposure.public_load_balancer", "aws_alb.web")
}

test_azure_public_ip_compliant if t.clean("azure_platform", "exposure.azure_public_ip")

test_azure_public_ip_violation if {
	rep := t.patched("azure_platform", [t.set("/resource/azurerm_public_ip", {"egress": {"name": "egress", "location": "uaenorth", "allocation_method": "Static", "resource_group_name": "rg"}})])
	t.denied(rep, "exposure.azure_public_ip", "azurerm_public_ip.egress")
}

test_internet_gateway_compliant if {
	t.clean("aws_platform", "exposure.internet_gateway")
	rep := t.patched("aws_platform", [t.set("/resource/aws_nat_gateway", {"private": {"connectivity_type": "private", "subnet_id": "s"}})])
	not "exposure.internet_gateway" in t.rules(rep)
}

test_internet_gateway_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_internet_gateway", {"igw": {"vpc_id": "${aws_vpc.vpc.id}"}})])
	t.denied(rep, "exposure.internet_gateway", "aws_internet_gateway.igw")
}

test_nat_gateway_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_nat_gateway", {"nat": {"subnet_id": "s", "allocation_id": "a"}})])
	t.denied(rep, "exposure.internet_gateway", "aws_nat_gateway.nat")
}

test_public_network_access_compliant if t.clean("azure_platform", "exposure.public_network_access")

test_public_network_access_violation if {
	rep := t.patched("azure_platform", [
		t.set("/resource/azurerm_key_vault/main/public_network_access_enabled", true),
		t.remove("/resource/azurerm_container_registry/main/public_network_access_enabled"),
	])
	t.denied(rep, "exposure.public_network_access", "azurerm_key_vault.main")
	t.denied(rep, "exposure.public_network_access", "azurerm_container_registry.main")
}

test_s3_public_access_block_compliant if {
	t.clean("aws_platform", "exposure.s3_public_access_block")
	t.clean("aws_plan", "exposure.s3_public_access_block")
}

test_s3_public_access_block_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_s3_bucket_public_access_block/backups/restrict_public_buckets", false)])
	t.denied(rep, "exposure.s3_public_access_block", "aws_s3_bucket.backups")
}

test_s3_public_access_block_missing_violation if {
	rep := t.patched("aws_platform", [t.set("/resource/aws_s3_bucket/logs", {"bucket": "uae-prod-logs"})])
	t.denied(rep, "exposure.s3_public_access_block", "aws_s3_bucket.logs")
}

test_s3_public_access_block_plan_violation if {
	rep := t.patched("aws_plan", [t.set("/resource_changes/4/change/after/block_public_acls", false)])
	t.denied(rep, "exposure.s3_public_access_block", "aws_s3_bucket.backups")
}

test_k8s_public_load_balancer_compliant if t.clean("aws_workloads", "exposure.k8s_public_load_balancer")

test_k8s_public_load_balancer_violation if {
	rep := t.patched("aws_workloads", [t.set(
		"/resource/kubernetes_service_v1/gateway/metadata/annotations/service.beta.kubernetes.io~1aws-load-balancer-scheme",
		"internet-facing",
	)])
	t.denied(rep, "exposure.k8s_public_load_balancer", "kubernetes_service_v1.gateway")
}

test_k8s_load_balancer_without_internal_annotation_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_service_v1/gateway/metadata/annotations", {})])
	t.denied(rep, "exposure.k8s_public_load_balancer", "kubernetes_service_v1.gateway")
}

test_k8s_public_load_balancer_helm_values_violation if {
	values := json.marshal({"controller": {"service": {"annotations": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing"}}}})
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/ingress/values/-", values)])
	t.denied(rep, "exposure.k8s_public_load_balancer", "helm_release.ingress")
}

test_k8s_public_load_balancer_helm_set_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/ingress/set", [{
		"name": "controller.service.annotations.service\\.beta\\.kubernetes\\.io/azure-load-balancer-internal",
		"value": "false",
	}])])
	t.denied(rep, "exposure.k8s_public_load_balancer", "helm_release.ingress")
}

test_k8s_public_ingress_manifest_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_manifest", {"ingress": {"manifest": {
		"apiVersion": "networking.k8s.io/v1",
		"kind": "Ingress",
		"metadata": {"name": "web", "namespace": "ingress", "annotations": {"alb.ingress.kubernetes.io/scheme": "internet-facing"}},
		"spec": {},
	}}})])
	t.denied(rep, "exposure.k8s_public_load_balancer", "kubernetes_manifest.ingress")
}

test_subnet_public_ip_value_shapes_violation if {
	every v in ["1", "true", 1, "${var.public}"] {
		rep := t.patched("aws_platform", [t.set("/resource/aws_subnet/private_a/map_public_ip_on_launch", v)])
		t.denied(rep, "exposure.subnet_public_ip", "aws_subnet.private_a")
	}
}

test_subnet_public_ip_false_shapes_compliant if {
	every v in ["0", "false", 0, false, null] {
		rep := t.patched("aws_platform", [t.set("/resource/aws_subnet/private_a/map_public_ip_on_launch", v)])
		not t.denied(rep, "exposure.subnet_public_ip", "aws_subnet.private_a")
	}
}

test_public_access_block_that_may_not_exist_violation if {
	every c in [0, "0", "${var.n}"] {
		rep := t.patched("aws_platform", [t.set("/resource/aws_s3_bucket_public_access_block/backups/count", c)])
		t.denied(rep, "exposure.s3_public_access_block", "aws_s3_bucket.backups")
	}
}

_lb_service(annotations) := {"metadata": {"name": "lb", "namespace": "default", "annotations": annotations}, "spec": {"type": "LoadBalancer"}}

test_k8s_lb_other_clouds_annotation_violation if {
	svc := _lb_service({"service.beta.kubernetes.io/azure-load-balancer-internal": "true"})
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_service_v1/lb", svc)])
	t.denied(rep, "exposure.k8s_public_load_balancer", "kubernetes_service_v1.lb")
}

test_k8s_lb_own_clouds_annotation_compliant if {
	svc := _lb_service({"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"})
	rep := t.patched("aws_workloads", [t.set("/resource/kubernetes_service_v1/lb", svc)])
	not t.denied(rep, "exposure.k8s_public_load_balancer", "kubernetes_service_v1.lb")
}

test_k8s_lb_helm_values_violation if {
	values := json.marshal({"service": {"type": "LoadBalancer", "annotations": {"service.beta.kubernetes.io/azure-load-balancer-internal": "true"}}})
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/values/-", values)])
	t.denied(rep, "exposure.k8s_public_load_balancer", "helm_release.qdrant")
}

test_k8s_lb_helm_values_internal_compliant if {
	values := json.marshal({"service": {"type": "LoadBalancer", "annotations": {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"}}})
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/values/-", values)])
	not t.denied(rep, "exposure.k8s_public_load_balancer", "helm_release.qdrant")
}

test_k8s_lb_helm_set_violation if {
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/set", [{"name": "service.type", "value": "LoadBalancer"}])])
	t.denied(rep, "exposure.k8s_public_load_balancer", "helm_release.qdrant")
}

test_k8s_lb_helm_set_internal_compliant if {
	rep := t.patched("aws_workloads", [t.set("/resource/helm_release/qdrant/set", [
		{"name": "service.type", "value": "LoadBalancer"},
		{"name": "service.annotations.service\\.beta\\.kubernetes\\.io/aws-load-balancer-scheme", "value": "internal"},
	])])
	not t.denied(rep, "exposure.k8s_public_load_balancer", "helm_release.qdrant")
}
