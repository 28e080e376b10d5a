//! cdk-nag's `AwsSolutions` compute rules (`checkCompute`): Elastic
//! Beanstalk, EC2, ECR, ECS, EKS and Elastic Load Balancing.
//!
//! Each check reads the template as cdk-nag reads the L1 after `CfnInclude`
//! (string properties given as numbers or booleans become strings, boolean
//! ones given as `"true"`/`"false"` become booleans) and fails where
//! cdk-nag's JavaScript throws: `for ... of` over a non-list, a property of
//! `undefined`, a string method on a non-string.

use std::borrow::Cow;

use serde_json::Value;

use crate::js::{
    boolean, cfn_string, field, for_of, is_nullish, loosely_false, resolved_bool, resolved_string,
    str_is, text_list, truthy, type_error,
};
use crate::resource::{as_bool, resolve_primitive, Resource, Unresolved};
use crate::rule::{Level, Outcome, Rule, RuleResult};
use crate::rules::common::compliant_if;

/// The rules, in cdk-nag's order.
pub(crate) static RULES: &[Rule] = &[
    EB1, EB3, EB4, EC23, EC26, EC27, EC28, EC29, ECR1, ECS2, ECS4, ECS7, EKS1, EKS2, ELB1, ELB2,
    ELB3, ELB4, ELB5,
];

// ---------------------------------------------------------------------------
// ---------------------------------------------------------------------------
// Elastic Beanstalk.

/// Visits an Elastic Beanstalk environment's option settings in order, as
/// (namespace, option name, value), until `visit` returns true: `None`
/// without `OptionSettings`, else whether `visit` stopped. As cdk-nag, a
/// malformed setting after the one searched for is never read.
fn visit_option_settings(
    r: &Resource<'_>,
    mut visit: impl FnMut(Option<&Value>, Option<&Value>, Option<&Value>) -> bool,
) -> Result<Option<bool>, Unresolved> {
    let settings = r.prop("OptionSettings");
    if is_nullish(settings) {
        return Ok(None);
    }
    for setting in for_of(settings)?.iter() {
        let namespace = field(Some(setting), "Namespace")?;
        let name = field(Some(setting), "OptionName")?;
        let value = field(Some(setting), "Value")?;
        if visit(namespace, name, value) {
            return Ok(Some(true));
        }
    }
    Ok(Some(false))
}

pub(crate) const EB1: Rule = Rule {
    id: "EB1",
    level: Level::Error,
    info: "The Elastic Beanstalk environment is not configured to use a specific VPC.",
    explanation:
        "Use a non-default VPC in order to separate your environment from default resources.",
    check: elastic_beanstalk_vpc_specified,
};

/// An `aws:ec2:vpc` `VPCId` option with a value.
fn elastic_beanstalk_vpc_specified(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::ElasticBeanstalk::Environment" {
        return Ok(Outcome::NotApplicable);
    }
    let found = visit_option_settings(r, |namespace, name, value| {
        str_is(namespace, "aws:ec2:vpc") && str_is(name, "VPCId") && value.is_some()
    })?;
    Ok(compliant_if(found == Some(true)))
}

pub(crate) const EB3: Rule = Rule {
    id: "EB3",
    level: Level::Error,
    info: "The Elastic Beanstalk environment does not have managed updates enabled.",
    explanation: "Enable managed platform updates for beanstalk environments in order to receive bug fixes, software updates and new features. Managed platform updates perform immutable environment updates.",
    check: elastic_beanstalk_managed_updates_enabled,
};

/// Managed actions enabled (the option without a value, or `true`) and a
/// `minor` or `patch` platform update level.
fn elastic_beanstalk_managed_updates_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::ElasticBeanstalk::Environment" {
        return Ok(Outcome::NotApplicable);
    }
    let (mut enabled, mut level) = (false, false);
    let found = visit_option_settings(r, |namespace, name, value| {
        if str_is(namespace, "aws:elasticbeanstalk:managedactions")
            && str_is(name, "ManagedActionsEnabled")
            && (value.is_none() || str_is(value, "true"))
        {
            enabled = true;
        } else if str_is(
            namespace,
            "aws:elasticbeanstalk:managedactions:platformupdate",
        ) && str_is(name, "UpdateLevel")
            && (str_is(value, "minor") || str_is(value, "patch"))
        {
            level = true;
        }
        enabled && level
    })?;
    Ok(compliant_if(found == Some(true)))
}

pub(crate) const EB4: Rule = Rule {
    id: "EB4",
    level: Level::Warning,
    info: "The Elastic Beanstalk environment does not upload EC2 Instance logs to S3.",
    explanation: "Beanstalk environment logs should be retained and uploaded to Amazon S3 in order to keep the logging data for future audits, historical purposes or to track and analyze the EB application environment behavior for a long period of time.",
    check: elastic_beanstalk_ec2_instance_logs_to_s3,
};

/// An `aws:elasticbeanstalk:hostmanager` `LogPublicationControl` option set to `true`.
fn elastic_beanstalk_ec2_instance_logs_to_s3(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::ElasticBeanstalk::Environment" {
        return Ok(Outcome::NotApplicable);
    }
    let found = visit_option_settings(r, |namespace, name, value| {
        str_is(namespace, "aws:elasticbeanstalk:hostmanager")
            && str_is(name, "LogPublicationControl")
            && str_is(value, "true")
    })?;
    Ok(compliant_if(found == Some(true)))
}

// ---------------------------------------------------------------------------
// EC2.

pub(crate) const EC23: Rule = Rule {
    id: "EC23",
    level: Level::Error,
    info: "The Security Group allows for 0.0.0.0/0 or ::/0 inbound access.",
    explanation: "Large port ranges, when open, expose instances to unwanted attacks. More than that, they make traceability of vulnerabilities very difficult. For instance, your web servers may only require 80 and 443 ports to be open, but not all. One of the most common mistakes observed is when  all ports for 0.0.0.0/0 range are open in a rush to access the instance. EC2 instances must expose only to those ports enabled on the corresponding security group level.",
    check: ec2_restricted_inbound,
};

/// Whether one ingress rule (a security group's inline rule, or a
/// `SecurityGroupIngress` resource's properties) is open to the world: a
/// `/0` in `CidrIp` or `CidrIpv6`. Both are resolved first, as in cdk-nag,
/// so an intrinsic in either fails.
fn open_ingress(rule: Option<&Value>) -> Result<bool, Unresolved> {
    let v4 = resolved_string(field(rule, "CidrIp")?)?;
    let v6 = resolved_string(field(rule, "CidrIpv6")?)?;
    Ok(v4.is_some_and(|c| c.contains("/0")) || v6.is_some_and(|c| c.contains("/0")))
}

/// No inbound rule open to `0.0.0.0/0` or `::/0`, inline or as a
/// `SecurityGroupIngress` resource.
fn ec2_restricted_inbound(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        "AWS::EC2::SecurityGroup" => {
            let rules = r.prop("SecurityGroupIngress");
            if !is_nullish(rules) {
                for rule in for_of(rules)?.iter() {
                    if open_ingress(Some(rule))? {
                        return Ok(Outcome::NonCompliant);
                    }
                }
            }
            Ok(Outcome::Compliant)
        }
        "AWS::EC2::SecurityGroupIngress" => {
            let empty = Value::Object(Default::default());
            let properties = r.body.get("Properties").unwrap_or(&empty);
            Ok(compliant_if(!open_ingress(Some(properties))?))
        }
        _ => Ok(Outcome::NotApplicable),
    }
}

pub(crate) const EC26: Rule = Rule {
    id: "EC26",
    level: Level::Error,
    info: "The resource creates one or more EBS volumes that have encryption disabled.",
    explanation: "With EBS encryption, you aren't required to build, maintain, and secure your own key management infrastructure. EBS encryption uses KMS keys when creating encrypted volumes and snapshots. This helps protect data at rest.",
    check: ec2_ebs_volume_encrypted,
};

/// The block devices of an instance or launch template.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Devices {
    Encrypted,
    Unencrypted,
    Absent,
}

/// cdk-nag's `InstanceEBSState`: no mappings (or an empty list) is
/// absent; else every mapping's `Ebs.Encrypted` must be `true`, read in
/// order up to the first that is not (a mapping without `Ebs`, or a list
/// that is an intrinsic, fails).
fn devices_state(mappings: Option<&Value>) -> Result<Devices, Unresolved> {
    let mappings = match mappings {
        None => return Ok(Devices::Absent),
        Some(Value::Array(items)) if items.is_empty() => return Ok(Devices::Absent),
        Some(Value::Array(items)) => items,
        // `.length` of an intrinsic is undefined, and it has no `.every`.
        Some(other) => return Err(type_error(Some(other))),
    };
    for mapping in mappings {
        let ebs = field(Some(mapping), "Ebs")?;
        if resolved_bool(field(ebs, "Encrypted")?)? != Some(true) {
            return Ok(Devices::Unencrypted);
        }
    }
    Ok(Devices::Encrypted)
}

/// cdk-nag's `InstanceLaunchTemplateState`.
fn launch_template_state(template: &Resource<'_>) -> Result<Devices, Unresolved> {
    let data = field(template.prop("LaunchTemplateData"), "BlockDeviceMappings")?;
    devices_state(data)
}

/// A string property as the L1 holds it, for cdk-nag's `===` between a
/// resolved value and an unresolved L1 attribute: absent, a literal
/// string, or anything else (an intrinsic, which equals nothing).
#[derive(PartialEq, Eq)]
enum Literal<'v> {
    Absent,
    Str(Cow<'v, str>),
    Other,
}

fn literal(value: Option<&Value>) -> Literal<'_> {
    match value {
        None => Literal::Absent,
        Some(v) => cfn_string(Some(v)).map_or(Literal::Other, Literal::Str),
    }
}

/// The first launch template of the stack matching a launch template
/// specification (`LaunchTemplate` of an instance or an Auto Scaling
/// group), as cdk-nag's `isMatchingLaunchTemplate`: the same
/// `LaunchTemplateName` — which a specification without a name and a
/// template without one share — or a `LaunchTemplateId` that is the
/// template's logical ID as a literal (a `Ref` does not match this way).
/// Without a specification, any launch template in the stack fails, as
/// cdk-nag reads the name of `undefined`.
///
/// Templates are searched in template order (cdk-nag searches the
/// construct tree, where `CfnInclude` creates a referenced resource before
/// the one referencing it; the orders differ only when a specification
/// matches several templates).
fn matching_launch_template<'t>(r: &Resource<'t>) -> Result<Option<Resource<'t>>, Unresolved> {
    let spec = r.prop("LaunchTemplate");
    for template in r.template.resources_of_type("AWS::EC2::LaunchTemplate") {
        let name = field(spec, "LaunchTemplateName")?;
        let id = field(spec, "LaunchTemplateId")?;
        let same_name = literal(name) == literal(template.prop("LaunchTemplateName"))
            && !matches!(literal(name), Literal::Other);
        let same_id = matches!(id, Some(Value::String(id)) if id == template.logical_id);
        if same_name || same_id {
            return Ok(Some(template));
        }
    }
    Ok(None)
}

/// EBS volumes encrypted: a volume's `Encrypted`; every block device of an
/// instance (and of its launch template), of a launch configuration, and
/// of an Auto Scaling group's launch template.
fn ec2_ebs_volume_encrypted(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        "AWS::EC2::Volume" => Ok(compliant_if(
            resolved_bool(r.prop("Encrypted"))? == Some(true),
        )),
        "AWS::EC2::Instance" => {
            let own = devices_state(r.prop("BlockDeviceMappings"))?;
            if let Some(template) = matching_launch_template(r)? {
                let inherited = launch_template_state(&template)?;
                let compliant = !(own == Devices::Absent && inherited == Devices::Absent)
                    && own != Devices::Unencrypted
                    && inherited != Devices::Unencrypted;
                return Ok(compliant_if(compliant));
            }
            Ok(compliant_if(own == Devices::Encrypted))
        }
        "AWS::AutoScaling::LaunchConfiguration" => {
            let mappings = r.prop("BlockDeviceMappings");
            if is_nullish(mappings) {
                return Ok(Outcome::NonCompliant);
            }
            for mapping in for_of(mappings)?.iter() {
                let ebs = field(Some(mapping), "Ebs")?;
                if resolved_bool(field(ebs, "Encrypted")?)? != Some(true) {
                    return Ok(Outcome::NonCompliant);
                }
            }
            Ok(Outcome::Compliant)
        }
        "AWS::AutoScaling::AutoScalingGroup" => match matching_launch_template(r)? {
            Some(template) => Ok(compliant_if(
                launch_template_state(&template)? == Devices::Encrypted,
            )),
            None => Ok(Outcome::NotApplicable),
        },
        _ => Ok(Outcome::NotApplicable),
    }
}

pub(crate) const EC27: Rule = Rule {
    id: "EC27",
    level: Level::Error,
    info: "The Security Group does not have a description.",
    explanation:
        "Descriptions help simplify operations and remove any opportunities for operator errors.",
    check: ec2_security_group_description,
};

/// A `GroupDescription` of at least two characters (UTF-16 code units).
fn ec2_security_group_description(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::EC2::SecurityGroup" {
        return Ok(Outcome::NotApplicable);
    }
    let description = resolve_primitive(r.prop("GroupDescription"))?;
    match cfn_string(description) {
        Some(d) => Ok(compliant_if(d.encode_utf16().count() >= 2)),
        // `.length` of undefined.
        None => Err(type_error(description)),
    }
}

pub(crate) const EC28: Rule = Rule {
    id: "EC28",
    level: Level::Error,
    info: "The EC2 instance/AutoScaling launch configuration does not have detailed monitoring enabled.",
    explanation: "Monitoring data helps make better decisions on architecting and managing compute resources.",
    check: ec2_instance_detailed_monitoring_enabled,
};

/// An instance's `Monitoring` set (and not false); a launch
/// configuration's `InstanceMonitoring` not false (it defaults to on).
fn ec2_instance_detailed_monitoring_enabled(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        "AWS::EC2::Instance" => {
            let monitoring = resolve_primitive(r.prop("Monitoring"))?;
            Ok(compliant_if(
                !is_nullish(monitoring) && !loosely_false(boolean(monitoring)),
            ))
        }
        "AWS::AutoScaling::LaunchConfiguration" => {
            let monitoring = resolve_primitive(r.prop("InstanceMonitoring"))?;
            Ok(compliant_if(
                is_nullish(monitoring) || !loosely_false(boolean(monitoring)),
            ))
        }
        _ => Ok(Outcome::NotApplicable),
    }
}

pub(crate) const EC29: Rule = Rule {
    id: "EC29",
    level: Level::Error,
    info: "The EC2 instance is not part of an ASG and has Termination Protection disabled.",
    explanation: "Termination Protection safety feature enabled in order to protect the instances from being accidentally terminated.",
    check: ec2_instance_termination_protection,
};

/// `DisableApiTermination` set to true.
fn ec2_instance_termination_protection(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::EC2::Instance" {
        return Ok(Outcome::NotApplicable);
    }
    Ok(compliant_if(
        resolved_bool(r.prop("DisableApiTermination"))? == Some(true),
    ))
}

// ---------------------------------------------------------------------------
// ECR.

pub(crate) const ECR1: Rule = Rule {
    id: "ECR1",
    level: Level::Error,
    info: "The ECR Repository allows open access.",
    explanation:
        "Removing * principals in an ECR Repository helps protect against unauthorized access.",
    check: ecr_open_access,
};

/// No `Allow` statement whose principal (as JSON) contains a `*`, in a
/// repository's `RepositoryPolicyText` or a registry's `PolicyText`.
fn ecr_open_access(r: &Resource<'_>) -> RuleResult {
    let policy = match r.type_name {
        "AWS::ECR::RegistryPolicy" => r.prop("PolicyText"),
        "AWS::ECR::Repository" => r.prop("RepositoryPolicyText"),
        _ => return Ok(Outcome::NotApplicable),
    };
    let statements = policy.and_then(|p| p.get("Statement"));
    if is_nullish(policy) || is_nullish(statements) {
        return Ok(Outcome::Compliant);
    }
    for statement in for_of(statements)?.iter() {
        let effect = field(Some(statement), "Effect")?;
        if effect.and_then(Value::as_str) != Some("Allow") {
            continue;
        }
        // A falsy principal counts as '', else its JSON text is searched.
        let principal = statement.get("Principal").filter(|p| truthy(Some(p)));
        if principal.is_some_and(|p| p.to_string().contains('*')) {
            return Ok(Outcome::NonCompliant);
        }
    }
    Ok(Outcome::Compliant)
}

// ---------------------------------------------------------------------------
// ECS.

pub(crate) const ECS2: Rule = Rule {
    id: "ECS2",
    level: Level::Error,
    info: "The ECS Task Definition includes a container definition that directly specifies environment variables.",
    explanation: "Use secrets to inject environment variables during container startup from AWS Systems Manager Parameter Store or Secrets Manager instead of directly specifying plaintext environment variables. Updates to direct environment variables require operators to change task definitions and perform new deployments.",
    check: ecs_task_definition_no_environment_variables,
};

/// Visits a task definition's container definitions in order until
/// `visit` returns true (whether it did); none is a pass.
fn any_container(
    r: &Resource<'_>,
    mut visit: impl FnMut(&Value) -> Result<bool, Unresolved>,
) -> Result<bool, Unresolved> {
    let definitions = r.prop("ContainerDefinitions");
    if definitions.is_none() {
        return Ok(false);
    }
    for definition in for_of(definitions)?.iter() {
        if visit(definition)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// No container definition with an `Environment` (even an empty one).
fn ecs_task_definition_no_environment_variables(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::ECS::TaskDefinition" {
        return Ok(Outcome::NotApplicable);
    }
    let found = any_container(r, |definition| {
        Ok(field(Some(definition), "Environment")?.is_some())
    })?;
    Ok(compliant_if(!found))
}

pub(crate) const ECS4: Rule = Rule {
    id: "ECS4",
    level: Level::Error,
    info: "The ECS Cluster has CloudWatch Container Insights disabled.",
    explanation: "CloudWatch Container Insights allow operators to gain a better perspective on how the cluster’s applications and microservices are performing.",
    check: ecs_cluster_cloud_watch_container_insights,
};

/// A `containerInsights` cluster setting `enabled` or `enhanced`.
fn ecs_cluster_cloud_watch_container_insights(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::ECS::Cluster" {
        return Ok(Outcome::NotApplicable);
    }
    let settings = r.prop("ClusterSettings");
    if is_nullish(settings) {
        return Ok(Outcome::NonCompliant);
    }
    for setting in for_of(settings)?.iter() {
        let name = field(Some(setting), "Name")?;
        let value = setting.get("Value");
        if str_is(name, "containerInsights")
            && (str_is(value, "enabled") || str_is(value, "enhanced"))
        {
            return Ok(Outcome::Compliant);
        }
    }
    Ok(Outcome::NonCompliant)
}

pub(crate) const ECS7: Rule = Rule {
    id: "ECS7",
    level: Level::Error,
    info: "One or more containers in the ECS Task Definition do not have container logging enabled.",
    explanation: "Container logging allows operators to view and aggregate the logs from the container. Containers should use the 'awslogs' driver at a minimum.",
    check: ecs_task_definition_container_logging,
};

/// Every container definition has a `LogConfiguration` with a `LogDriver`.
fn ecs_task_definition_container_logging(r: &Resource<'_>) -> RuleResult {
    if r.type_name != "AWS::ECS::TaskDefinition" {
        return Ok(Outcome::NotApplicable);
    }
    let found = any_container(r, |definition| {
        let log = field(Some(definition), "LogConfiguration")?;
        Ok(log.and_then(|l| l.get("LogDriver")).is_none())
    })?;
    Ok(compliant_if(!found))
}

// ---------------------------------------------------------------------------
// EKS.
//
// cdk-nag's EKS rules check `aws-eks`'s `CfnCluster` and the CDK's cluster
// custom resource. `AWS::EKS::Cluster` resources are not checked: the CDK
// (2.276.0) makes them `aws-eks-v2`'s `CfnCluster` — in `CfnInclude`, which
// reads a template, and in the `aws-eks-v2` constructs — a class distinct
// from `aws-eks`'s, so cdk-nag 2.38.2's `instanceof` never matches them.
// formwork judges templates as cdk-nag does, so only the custom resource
// is checked.

/// The CDK's EKS cluster: a custom resource taking the EKS API's own
/// (camelCase) request in `Config`.
const CDK_EKS_CLUSTER: &str = "Custom::AWSCDK-EKS-Cluster";

pub(crate) const EKS1: Rule = Rule {
    id: "EKS1",
    level: Level::Error,
    info: "The EKS cluster's Kubernetes API server endpoint has public access enabled.",
    explanation: "A cluster's Kubernetes API server endpoint should not be publicly accessible from the Internet in order to avoid exposing private data and minimizing security risks. The API server endpoints should only be accessible from within a AWS Virtual Private Cloud (VPC).",
    check: eks_cluster_no_endpoint_public_access,
};

/// `endpointPublicAccess` explicitly false (it defaults to true) in the
/// CDK cluster's `Config.resourcesVpcConfig`; as the custom resource's
/// properties are untyped, only the JSON `false` counts.
fn eks_cluster_no_endpoint_public_access(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CDK_EKS_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let access = r
        .prop("Config")
        .and_then(|c| c.get("resourcesVpcConfig"))
        .and_then(|c| c.get("endpointPublicAccess"));
    Ok(compliant_if(
        resolve_primitive(access)? == Some(&Value::Bool(false)),
    ))
}

pub(crate) const EKS2: Rule = Rule {
    id: "EKS2",
    level: Level::Error,
    info: "The EKS Cluster does not publish 'api', 'audit', 'authenticator, 'controllerManager', and 'scheduler' control plane logs.",
    explanation: "EKS control plane logging provides audit and diagnostic logs directly from the Amazon EKS control plane to CloudWatch Logs in your account. These logs make it easy for you to secure and run your clusters.This is a granular rule that returns individual findings that can be suppressed with 'appliesTo'. The findings are in the format 'LogExport::<log>' for exported logs. Example: appliesTo: ['LogExport::api'].",
    check: eks_cluster_control_plane_logs,
};

const CONTROL_PLANE_LOGS: [&str; 5] = [
    "api",
    "audit",
    "authenticator",
    "controllerManager",
    "scheduler",
];

/// `LogExport::<log>` for each control plane log type no enabled entry of
/// the CDK cluster's `Config.logging.clusterLogging` lists.
fn eks_cluster_control_plane_logs(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CDK_EKS_CLUSTER {
        return Ok(Outcome::NotApplicable);
    }
    let mut missing: Vec<&str> = CONTROL_PLANE_LOGS.to_vec();
    let configs = r
        .prop("Config")
        .and_then(|c| c.get("logging"))
        .and_then(|l| l.get("clusterLogging"))
        .filter(|c| !c.is_null());
    if let Some(configs) = configs {
        // cdk-nag's `break` leaves the inner loop only: every enabled
        // entry is read, and one without `types` fails.
        for config in for_of(Some(configs))?.iter() {
            if config.get("enabled") == Some(&Value::Bool(true)) {
                for log in for_of(config.get("types"))?.iter() {
                    missing.retain(|m| Some(*m) != log.as_str());
                    if missing.is_empty() {
                        break;
                    }
                }
            }
        }
    }
    Ok(crate::rules::common::findings(
        missing.iter().map(|m| format!("LogExport::{m}")).collect(),
    ))
}

// ---------------------------------------------------------------------------
// Elastic Load Balancing.

const CLB: &str = "AWS::ElasticLoadBalancing::LoadBalancer";

pub(crate) const ELB1: Rule = Rule {
    id: "ELB1",
    level: Level::Error,
    info: "The CLB is used for incoming HTTP/HTTPS traffic. Use ALBs instead.",
    explanation: "HTTP/HTTPS applications (monolithic or containerized) should use the ALB instead of the CLB for enhanced incoming traffic distribution, better performance and lower costs.",
    check: clb_no_inbound_http_https,
};

/// A CLB listener's `Protocol` (required: a listener without one fails,
/// as cdk-nag lower-cases `undefined`) and `InstanceProtocol`, lower-cased.
/// Both are resolved before either is used, as in cdk-nag.
fn listener_protocols(
    listener: &Value,
    with_instance: bool,
) -> Result<(String, Option<String>), Unresolved> {
    let protocol = resolved_string(field(Some(listener), "Protocol")?)?;
    let instance = if with_instance {
        resolved_string(listener.get("InstanceProtocol"))?
    } else {
        None
    };
    let Some(protocol) = protocol else {
        return Err(type_error(listener.get("Protocol")));
    };
    Ok((protocol.to_lowercase(), instance.map(|p| p.to_lowercase())))
}

/// No listener with the `HTTP` or `HTTPS` protocol.
fn clb_no_inbound_http_https(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLB {
        return Ok(Outcome::NotApplicable);
    }
    for listener in for_of(r.prop("Listeners"))?.iter() {
        let (protocol, _) = listener_protocols(listener, false)?;
        if protocol == "http" || protocol == "https" {
            return Ok(Outcome::NonCompliant);
        }
    }
    Ok(Outcome::Compliant)
}

pub(crate) const ELB2: Rule = Rule {
    id: "ELB2",
    level: Level::Error,
    info: "The ELB does not have access logs enabled.",
    explanation: "Access logs allow operators to analyze traffic patterns and identify and troubleshoot security issues.",
    check: elb_logging_enabled,
};

/// A CLB's `AccessLoggingPolicy` not disabled; an ALB/NLB/GWLB's
/// `access_logs.s3.enabled` attribute `"true"`. cdk-nag searches the
/// JSON text of the attributes, so a load balancer without
/// `LoadBalancerAttributes` fails (`undefined` has no text), and only
/// literal list items count (not those inside an intrinsic).
fn elb_logging_enabled(r: &Resource<'_>) -> RuleResult {
    match r.type_name {
        CLB => {
            let policy = r.prop("AccessLoggingPolicy");
            if is_nullish(policy) {
                return Ok(Outcome::NonCompliant);
            }
            let enabled = resolve_primitive(field(policy, "Enabled")?)?;
            Ok(compliant_if(!loosely_false(boolean(enabled))))
        }
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => match r.prop("LoadBalancerAttributes") {
            None => Err(type_error(None)),
            Some(Value::Array(attributes)) => Ok(compliant_if(attributes.iter().any(|a| {
                a.is_object()
                    && str_is(a.get("Key"), "access_logs.s3.enabled")
                    && str_is(a.get("Value"), "true")
            }))),
            Some(_) => Ok(Outcome::NonCompliant),
        },
        _ => Ok(Outcome::NotApplicable),
    }
}

pub(crate) const ELB3: Rule = Rule {
    id: "ELB3",
    level: Level::Error,
    info: "The CLB does not have connection draining enabled.",
    explanation: "With Connection Draining feature enabled, if an EC2 backend instance fails health checks The CLB will not send any new requests to the unhealthy instance. However, it will still allow existing (in-flight) requests to complete for the duration of the configured timeout.",
    check: clb_connection_draining,
};

/// A `ConnectionDrainingPolicy` with `Enabled` true.
fn clb_connection_draining(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLB {
        return Ok(Outcome::NotApplicable);
    }
    let policy = r.prop("ConnectionDrainingPolicy");
    if is_nullish(policy) {
        return Ok(Outcome::NonCompliant);
    }
    let enabled = resolved_bool(field(policy, "Enabled")?)?;
    Ok(compliant_if(enabled == Some(true)))
}

pub(crate) const ELB4: Rule = Rule {
    id: "ELB4",
    level: Level::Error,
    info: "The CLB does not use at least two AZs with the Cross-Zone Load Balancing feature enabled.",
    explanation: "CLBs can distribute the traffic evenly across all backend instances. To use Cross-Zone Load Balancing at optimal level, the system should maintain an equal EC2 capacity distribution in each of the AZs registered with the load balancer.",
    check: elb_cross_zone_load_balancing_enabled,
};

/// `CrossZone` true, over at least two subnets (or, without subnets, two
/// availability zones).
fn elb_cross_zone_load_balancing_enabled(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLB {
        return Ok(Outcome::NotApplicable);
    }
    let cross_zone = r.prop("CrossZone");
    if is_nullish(cross_zone) {
        return Ok(Outcome::NonCompliant);
    }
    // `list.length < 2` of the unresolved L1 list (`undefined < 2` is false).
    let too_few = |list: Option<&Value>| text_list(list).is_some_and(|l| l.shorter_than(2));
    let subnets = r.prop("Subnets");
    if is_nullish(subnets) {
        let zones = r.prop("AvailabilityZones");
        if is_nullish(zones) || too_few(zones) {
            return Ok(Outcome::NonCompliant);
        }
    } else if too_few(subnets) {
        return Ok(Outcome::NonCompliant);
    }
    let cross_zone = resolve_primitive(cross_zone)?;
    // `crossZone != true`, loosely: `1` is true too.
    let on = match cross_zone {
        Some(Value::Number(n)) => n.as_f64() == Some(1.0),
        other => other.and_then(as_bool) == Some(true),
    };
    Ok(compliant_if(on))
}

pub(crate) const ELB5: Rule = Rule {
    id: "ELB5",
    level: Level::Error,
    info: "The CLB listener is not configured for secure (HTTPs or SSL) protocols for client communication.",
    explanation: "The HTTPs or SSL protocols enable secure communication by encrypting the communication between the client and the load balancer.",
    check: elb_tls_https_listeners_only,
};

/// Every `SSL` listener forwards over `SSL` (or a default instance
/// protocol), every `HTTPS` one over `HTTPS`. (Plain `HTTP`/`TCP`
/// listeners pass: cdk-nag only checks the secure ones' back ends.)
fn elb_tls_https_listeners_only(r: &Resource<'_>) -> RuleResult {
    if r.type_name != CLB {
        return Ok(Outcome::NotApplicable);
    }
    for listener in for_of(r.prop("Listeners"))?.iter() {
        let (protocol, instance) = listener_protocols(listener, true)?;
        if (protocol == "ssl" || protocol == "https")
            && instance.as_ref().is_some_and(|i| *i != protocol)
        {
            return Ok(Outcome::NonCompliant);
        }
    }
    Ok(Outcome::Compliant)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::rules::tests::{findings_in, findings_of};

    const FAILURE: &str = "CdkNagValidationFailure";

    fn resource(type_name: &str, properties: Value) -> Value {
        json!({"Type": type_name, "Properties": properties})
    }

    fn environment(settings: Value) -> Value {
        resource(
            "AWS::ElasticBeanstalk::Environment",
            json!({"ApplicationName": "a", "OptionSettings": settings}),
        )
    }

    fn setting(namespace: &str, name: &str, value: Value) -> Value {
        let mut s = json!({"Namespace": namespace, "OptionName": name});
        if !value.is_null() {
            s["Value"] = value;
        }
        s
    }

    #[test]
    fn eb1_eb3_eb4_read_the_option_settings() {
        let good = environment(json!([
            setting("aws:ec2:vpc", "VPCId", json!("vpc-1")),
            setting(
                "aws:elasticbeanstalk:managedactions",
                "ManagedActionsEnabled",
                Value::Null
            ),
            setting(
                "aws:elasticbeanstalk:managedactions:platformupdate",
                "UpdateLevel",
                json!("patch")
            ),
            // CfnInclude reads a boolean where a string is expected as "true".
            setting(
                "aws:elasticbeanstalk:hostmanager",
                "LogPublicationControl",
                json!(true)
            ),
        ]));
        for id in ["EB1", "EB3", "EB4"] {
            assert!(findings_of(id, &good).is_empty(), "{id}");
        }
        let bad = environment(json!([
            setting("aws:ec2:vpc", "Subnets", json!("subnet-1")),
            setting(
                "aws:elasticbeanstalk:managedactions",
                "ManagedActionsEnabled",
                json!("false")
            ),
            setting(
                "aws:elasticbeanstalk:managedactions:platformupdate",
                "UpdateLevel",
                json!("major")
            ),
            setting(
                "aws:elasticbeanstalk:hostmanager",
                "LogPublicationControl",
                json!("false")
            ),
        ]));
        let bare = resource(
            "AWS::ElasticBeanstalk::Environment",
            json!({"ApplicationName": "a"}),
        );
        for id in ["EB1", "EB3", "EB4"] {
            assert_eq!(findings_of(id, &bad), [""], "{id}");
            assert_eq!(findings_of(id, &bare), [""], "{id}");
            assert_eq!(
                findings_of(id, &environment(json!({"Ref": "P"}))),
                [FAILURE]
            );
        }
    }

    #[test]
    fn eb1_stops_at_the_match_as_cdk_nag() {
        let match_first = environment(json!([
            setting("aws:ec2:vpc", "VPCId", json!("vpc-1")),
            null
        ]));
        assert!(findings_of("EB1", &match_first).is_empty());
        let null_first = environment(json!([
            null,
            setting("aws:ec2:vpc", "VPCId", json!("vpc-1"))
        ]));
        assert_eq!(findings_of("EB1", &null_first), [FAILURE]);
    }

    fn group(ingress: Value) -> Value {
        resource(
            "AWS::EC2::SecurityGroup",
            json!({"GroupDescription": "web", "SecurityGroupIngress": ingress}),
        )
    }

    #[test]
    fn ec23_finds_rules_open_to_the_world() {
        assert!(findings_of("EC23", &group(json!([{"CidrIp": "10.0.0.0/8"}]))).is_empty());
        assert_eq!(
            findings_of("EC23", &group(json!([{"CidrIpv6": "::/0"}]))),
            [""]
        );
        // The open rule is found before the intrinsic one is read.
        let open_first = group(json!([{"CidrIp": "0.0.0.0/0"}, {"CidrIp": {"Ref": "C"}}]));
        assert_eq!(findings_of("EC23", &open_first), [""]);
        let intrinsic_first = group(json!([{"CidrIp": {"Ref": "C"}}, {"CidrIp": "0.0.0.0/0"}]));
        assert_eq!(findings_of("EC23", &intrinsic_first), [FAILURE]);
        let ingress = |cidr: Value| {
            resource(
                "AWS::EC2::SecurityGroupIngress",
                json!({"GroupId": "sg-1", "IpProtocol": "-1", "CidrIp": cidr}),
            )
        };
        assert_eq!(findings_of("EC23", &ingress(json!("0.0.0.0/0"))), [""]);
        assert!(findings_of("EC23", &ingress(json!("192.168.0.0/16"))).is_empty());
    }

    #[test]
    fn ec27_wants_a_description_of_two_characters() {
        let sg = |d: Value| resource("AWS::EC2::SecurityGroup", json!({"GroupDescription": d}));
        assert!(findings_of("EC27", &sg(json!("ok"))).is_empty());
        assert_eq!(findings_of("EC27", &sg(json!("x"))), [""]);
        assert_eq!(findings_of("EC27", &sg(json!({"Ref": "D"}))), [FAILURE]);
        assert_eq!(
            findings_of("EC27", &resource("AWS::EC2::SecurityGroup", json!({}))),
            [FAILURE]
        );
    }

    fn device(encrypted: Value) -> Value {
        json!({"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": encrypted}})
    }

    #[test]
    fn ec26_checks_volumes_instances_and_launch_configurations() {
        let volume = |e: Value| resource("AWS::EC2::Volume", json!({"Size": 1, "Encrypted": e}));
        assert!(findings_of("EC26", &volume(json!("true"))).is_empty());
        assert_eq!(findings_of("EC26", &volume(json!(false))), [""]);
        assert_eq!(findings_of("EC26", &volume(json!({"Ref": "E"}))), [FAILURE]);

        let instance = |mappings: Value| {
            resource(
                "AWS::EC2::Instance",
                json!({"BlockDeviceMappings": mappings}),
            )
        };
        assert!(findings_of("EC26", &instance(json!([device(json!(true))]))).is_empty());
        assert_eq!(findings_of("EC26", &instance(json!([]))), [""]);
        // A mapping without Ebs fails, unless an unencrypted one comes first.
        assert_eq!(
            findings_of(
                "EC26",
                &instance(json!([{"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}]))
            ),
            [FAILURE]
        );
        assert_eq!(
            findings_of(
                "EC26",
                &instance(json!([device(json!(false)), {"DeviceName": "/dev/sdb"}]))
            ),
            [""]
        );

        let config = |mappings: Value| {
            resource(
                "AWS::AutoScaling::LaunchConfiguration",
                json!({"ImageId": "ami-1", "InstanceType": "t3.micro", "BlockDeviceMappings": mappings}),
            )
        };
        assert!(findings_of("EC26", &config(json!([device(json!(true))]))).is_empty());
        assert_eq!(
            findings_of("EC26", &config(json!([device(json!(false))]))),
            [""]
        );
        assert_eq!(findings_of("EC26", &config(json!({"Ref": "M"}))), [FAILURE]);
    }

    #[test]
    fn ec26_matches_launch_templates_as_cdk_nag() {
        let template = json!({"Resources": {
            "Unnamed": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {"BlockDeviceMappings": [device(json!(true))]}}},
            "Named": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateName": "n", "LaunchTemplateData": {"BlockDeviceMappings": [device(json!(false))]}}},
            // A Ref matches the first template without a name (both names are undefined).
            "ByRef": {"Type": "AWS::EC2::Instance", "Properties": {"LaunchTemplate": {"LaunchTemplateId": {"Ref": "Named"}}}},
            "ByName": {"Type": "AWS::EC2::Instance", "Properties": {"LaunchTemplate": {"LaunchTemplateName": "n"}}},
            "ByLiteralId": {"Type": "AWS::EC2::Instance", "Properties": {"LaunchTemplate": {"LaunchTemplateName": "other", "LaunchTemplateId": "Named"}}},
            "Without": {"Type": "AWS::EC2::Instance", "Properties": {"BlockDeviceMappings": [device(json!(true))]}},
            "Group": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "1", "LaunchTemplate": {"LaunchTemplateName": "n"}}},
            "GroupByRef": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "1", "LaunchTemplate": {"LaunchTemplateId": {"Ref": "Named"}}}},
            "GroupWithout": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"MinSize": "1", "MaxSize": "1", "LaunchConfigurationName": "c"}}
        }});
        assert!(findings_in("EC26", &template, "ByRef").is_empty());
        assert_eq!(findings_in("EC26", &template, "ByName"), [""]);
        assert_eq!(findings_in("EC26", &template, "ByLiteralId"), [""]);
        // cdk-nag reads the launch template name of an instance without one.
        assert_eq!(findings_in("EC26", &template, "Without"), [FAILURE]);
        assert_eq!(findings_in("EC26", &template, "Group"), [""]);
        assert!(findings_in("EC26", &template, "GroupByRef").is_empty());
        assert_eq!(findings_in("EC26", &template, "GroupWithout"), [FAILURE]);
    }

    #[test]
    #[should_panic(expected = "does not apply")]
    fn ec26_skips_groups_without_launch_templates_in_the_stack() {
        findings_of(
            "EC26",
            &resource(
                "AWS::AutoScaling::AutoScalingGroup",
                json!({"MinSize": "1", "MaxSize": "1", "LaunchConfigurationName": "c"}),
            ),
        );
    }

    #[test]
    fn ec28_ec29_read_monitoring_and_termination_protection() {
        let instance = |p: Value| resource("AWS::EC2::Instance", p);
        let hardened = instance(json!({"Monitoring": "true", "DisableApiTermination": true}));
        assert!(findings_of("EC28", &hardened).is_empty());
        assert!(findings_of("EC29", &hardened).is_empty());
        let bare = instance(json!({}));
        assert_eq!(findings_of("EC28", &bare), [""]);
        assert_eq!(findings_of("EC29", &bare), [""]);
        let unresolved =
            instance(json!({"Monitoring": {"Ref": "M"}, "DisableApiTermination": {"Ref": "T"}}));
        assert_eq!(findings_of("EC28", &unresolved), [FAILURE]);
        assert_eq!(findings_of("EC29", &unresolved), [FAILURE]);
        let config = |p: Value| resource("AWS::AutoScaling::LaunchConfiguration", p);
        // Launch configurations monitor by default.
        assert!(findings_of("EC28", &config(json!({"ImageId": "ami-1"}))).is_empty());
        assert_eq!(
            findings_of("EC28", &config(json!({"InstanceMonitoring": "false"}))),
            [""]
        );
    }

    #[test]
    fn ecr1_finds_wildcard_principals_of_allow_statements() {
        let repo = |statement: Value| {
            resource(
                "AWS::ECR::Repository",
                json!({"RepositoryPolicyText": {"Statement": statement}}),
            )
        };
        assert!(
            findings_of("ECR1", &repo(json!([{"Effect": "Deny", "Principal": "*"}]))).is_empty()
        );
        assert!(findings_of("ECR1", &resource("AWS::ECR::Repository", json!({}))).is_empty());
        assert_eq!(
            findings_of(
                "ECR1",
                &repo(json!([{"Effect": "Allow", "Principal": {"AWS": ["*"]}}]))
            ),
            [""]
        );
        let registry = resource(
            "AWS::ECR::RegistryPolicy",
            json!({"PolicyText": {"Statement": [{"Effect": "Allow", "Principal": "*"}]}}),
        );
        assert_eq!(findings_of("ECR1", &registry), [""]);
        assert_eq!(
            findings_of("ECR1", &repo(json!({"Effect": "Allow", "Principal": "*"}))),
            [FAILURE]
        );
    }

    fn task(containers: Value) -> Value {
        resource(
            "AWS::ECS::TaskDefinition",
            json!({"ContainerDefinitions": containers}),
        )
    }

    #[test]
    fn ecs2_ecs7_read_each_container() {
        let logged =
            json!({"Name": "a", "Image": "i", "LogConfiguration": {"LogDriver": "awslogs"}});
        let chatty = json!({"Name": "b", "Image": "i", "Environment": []});
        assert!(findings_of("ECS2", &task(json!([logged]))).is_empty());
        assert!(findings_of("ECS7", &task(json!([logged]))).is_empty());
        assert_eq!(findings_of("ECS2", &task(json!([logged, chatty]))), [""]);
        assert_eq!(findings_of("ECS7", &task(json!([logged, chatty]))), [""]);
        assert!(findings_of("ECS2", &resource("AWS::ECS::TaskDefinition", json!({}))).is_empty());
        assert_eq!(findings_of("ECS2", &task(json!({"Ref": "C"}))), [FAILURE]);
        assert_eq!(findings_of("ECS7", &task(json!([null]))), [FAILURE]);
    }

    #[test]
    fn ecs4_wants_container_insights() {
        let cluster = |s: Value| resource("AWS::ECS::Cluster", json!({"ClusterSettings": s}));
        assert!(findings_of(
            "ECS4",
            &cluster(json!([{"Name": "containerInsights", "Value": "enabled"}]))
        )
        .is_empty());
        assert_eq!(
            findings_of(
                "ECS4",
                &cluster(json!([{"Name": "containerInsights", "Value": "disabled"}]))
            ),
            [""]
        );
        assert_eq!(
            findings_of("ECS4", &resource("AWS::ECS::Cluster", json!({}))),
            [""]
        );
        assert_eq!(
            findings_of("ECS4", &cluster(json!({"Ref": "S"}))),
            [FAILURE]
        );
    }

    fn cdk_cluster(config: Value) -> Value {
        resource(
            "Custom::AWSCDK-EKS-Cluster",
            json!({"ServiceToken": "arn", "Config": config}),
        )
    }

    #[test]
    fn eks1_eks2_check_the_cdk_cluster_resource() {
        let private = cdk_cluster(json!({
            "resourcesVpcConfig": {"endpointPublicAccess": false},
            "logging": {"clusterLogging": [{"enabled": true, "types": ["api", "audit", "authenticator", "controllerManager", "scheduler"]}]}
        }));
        assert!(findings_of("EKS1", &private).is_empty());
        assert!(findings_of("EKS2", &private).is_empty());
        let public = cdk_cluster(json!({
            // Untyped: the string is not false.
            "resourcesVpcConfig": {"endpointPublicAccess": "false"},
            "logging": {"clusterLogging": [{"enabled": true, "types": ["audit"]}, {"enabled": false, "types": ["api"]}]}
        }));
        assert_eq!(findings_of("EKS1", &public), [""]);
        assert_eq!(
            findings_of("EKS2", &public),
            [
                "LogExport::api",
                "LogExport::authenticator",
                "LogExport::controllerManager",
                "LogExport::scheduler"
            ]
        );
        let broken = cdk_cluster(json!({
            "resourcesVpcConfig": {"endpointPublicAccess": {"Ref": "P"}},
            "logging": {"clusterLogging": [{"enabled": true}]}
        }));
        assert_eq!(findings_of("EKS1", &broken), [FAILURE]);
        assert_eq!(findings_of("EKS2", &broken), [FAILURE]);
    }

    #[test]
    #[should_panic(expected = "does not apply")]
    fn eks1_skips_native_clusters_as_cdk_nag() {
        findings_of(
            "EKS1",
            &resource(
                "AWS::EKS::Cluster",
                json!({"RoleArn": "r", "ResourcesVpcConfig": {"SubnetIds": []}}),
            ),
        );
    }

    fn clb(properties: Value) -> Value {
        resource("AWS::ElasticLoadBalancing::LoadBalancer", properties)
    }

    #[test]
    fn elb1_elb5_read_the_listeners() {
        let secure = clb(json!({"Listeners": [
            {"LoadBalancerPort": "443", "InstancePort": "443", "Protocol": "SSL"},
            {"LoadBalancerPort": "8443", "InstancePort": "8443", "Protocol": "https", "InstanceProtocol": "HTTPS"}
        ]}));
        assert!(findings_of("ELB5", &secure).is_empty());
        assert_eq!(findings_of("ELB1", &secure), [""]);
        let downgraded = clb(
            json!({"Listeners": [{"LoadBalancerPort": "443", "InstancePort": "80", "Protocol": "SSL", "InstanceProtocol": "TCP"}]}),
        );
        assert!(findings_of("ELB1", &downgraded).is_empty());
        assert_eq!(findings_of("ELB5", &downgraded), [""]);
        for listeners in [
            json!([{"LoadBalancerPort": "1", "InstancePort": "1", "Protocol": {"Ref": "P"}}]),
            json!([{"LoadBalancerPort": "1"}]),
        ] {
            let lb = clb(json!({"Listeners": listeners}));
            assert_eq!(findings_of("ELB1", &lb), [FAILURE]);
            assert_eq!(findings_of("ELB5", &lb), [FAILURE]);
        }
    }

    #[test]
    fn elb2_reads_access_logging() {
        assert!(findings_of(
            "ELB2",
            &clb(json!({"AccessLoggingPolicy": {"Enabled": true, "S3BucketName": "b"}}))
        )
        .is_empty());
        assert_eq!(
            findings_of(
                "ELB2",
                &clb(json!({"AccessLoggingPolicy": {"Enabled": "false", "S3BucketName": "b"}}))
            ),
            [""]
        );
        assert_eq!(
            findings_of(
                "ELB2",
                &clb(json!({"AccessLoggingPolicy": {"Enabled": {"Ref": "E"}}}))
            ),
            [FAILURE]
        );
        let alb = |p: Value| resource("AWS::ElasticLoadBalancingV2::LoadBalancer", p);
        assert!(findings_of("ELB2", &alb(json!({"LoadBalancerAttributes": [{"Key": "access_logs.s3.enabled", "Value": true}]}))).is_empty());
        assert_eq!(
            findings_of(
                "ELB2",
                &alb(
                    json!({"LoadBalancerAttributes": [{"Key": "access_logs.s3.enabled", "Value": "false"}]})
                )
            ),
            [""]
        );
        // cdk-nag searches the text of `undefined`.
        assert_eq!(findings_of("ELB2", &alb(json!({}))), [FAILURE]);
    }

    #[test]
    fn elb3_reads_connection_draining() {
        assert!(findings_of(
            "ELB3",
            &clb(json!({"ConnectionDrainingPolicy": {"Enabled": "true"}}))
        )
        .is_empty());
        assert_eq!(findings_of("ELB3", &clb(json!({}))), [""]);
        assert_eq!(
            findings_of(
                "ELB3",
                &clb(json!({"ConnectionDrainingPolicy": {"Enabled": {"Ref": "E"}}}))
            ),
            [FAILURE]
        );
    }

    #[test]
    fn elb4_counts_subnets_as_the_l1_holds_them() {
        let two = json!(["subnet-1", "subnet-2"]);
        assert!(findings_of("ELB4", &clb(json!({"CrossZone": true, "Subnets": two}))).is_empty());
        assert_eq!(findings_of("ELB4", &clb(json!({"Subnets": two}))), [""]);
        assert_eq!(
            findings_of(
                "ELB4",
                &clb(json!({"CrossZone": true, "Subnets": ["subnet-1"]}))
            ),
            [""]
        );
        // Fn::GetAZs is a one-token list; a Ref to a list parameter has no length.
        assert_eq!(
            findings_of(
                "ELB4",
                &clb(json!({"CrossZone": true, "AvailabilityZones": {"Fn::GetAZs": ""}}))
            ),
            [""]
        );
        assert!(findings_of(
            "ELB4",
            &clb(json!({"CrossZone": true, "Subnets": {"Ref": "Subnets"}}))
        )
        .is_empty());
        assert!(findings_of(
            "ELB4",
            &clb(json!({"CrossZone": true, "Subnets": {"Fn::Split": [",", "a,b"]}}))
        )
        .is_empty());
        assert_eq!(
            findings_of(
                "ELB4",
                &clb(json!({"CrossZone": {"Ref": "Z"}, "Subnets": two}))
            ),
            [FAILURE]
        );
    }
}
