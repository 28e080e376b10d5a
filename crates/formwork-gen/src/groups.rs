//! Which crate each service module goes to, and which services the facade
//! names with a feature of its own (see crates/formwork-cfn/README.md,
//! "Decision: crates by service group").
//!
//! A service's group is part of the public API (users enable it through
//! that crate's feature), so a service never moves: new services are added
//! to a group here, and a service not listed goes to `other`.

/// (group, what the crate's description says, services). Order is the
/// order of the crates in the facade's lists.
pub const GROUPS: &[(&str, &str, &[&str])] = &[
    (
        "security",
        "security, identity and compliance services (IAM, Cognito, KMS, ...)",
        &[
            "accessanalyzer", "acmpca", "auditmanager", "certificatemanager", "cloudhsm", "cognito",
            "detective", "directoryservice", "fms", "guardduty", "iam", "identitystore", "inspector",
            "inspectorv2", "kms", "macie", "mpa", "paymentcryptography", "pcaconnectorad",
            "pcaconnectorscep", "rolesanywhere", "secretsmanager", "securityagent", "securityhub",
            "securitylake", "shield", "signer", "sso", "verifiedpermissions", "waf", "wafregional",
            "wafv2",
        ],
    ),
    (
        "compute",
        "compute and container services (EC2, Lambda, ECS, EKS, ...)",
        &[
            "applicationautoscaling", "apprunner", "appstream", "autoscaling", "autoscalingplans",
            "batch", "braket", "cloud9", "computeoptimizer", "deadline", "drs", "ec2", "ecr", "ecs",
            "eks", "elasticbeanstalk", "elasticloadbalancing", "elasticloadbalancingv2", "evs",
            "gamelift", "gameliftstreams", "imagebuilder", "lambda", "launchwizard", "lightsail", "m2",
            "mgn", "nimblestudio", "outposts", "pcs", "robomaker", "serverless", "serverlessrepo",
            "simspaceweaver", "workspaces", "workspacesinstances", "workspacesthinclient",
            "workspacesweb",
        ],
    ),
    (
        "storage",
        "storage services (S3, EFS, FSx, Backup, ...)",
        &[
            "backup", "backupgateway", "datasync", "dlm", "efs", "fsx", "rbin", "s3", "s3express",
            "s3files", "s3objectlambda", "s3outposts", "s3tables", "s3vectors", "storagegateway",
            "transfer",
        ],
    ),
    (
        "database",
        "database services (DynamoDB, RDS, ElastiCache, Redshift, ...)",
        &[
            "cassandra", "dax", "dms", "docdb", "docdbelastic", "dsql", "dynamodb", "elasticache",
            "memorydb", "neptune", "neptunegraph", "odb", "pi", "qldb", "rds", "redshift",
            "redshiftserverless", "sdb", "timestream",
        ],
    ),
    (
        "networking",
        "networking and content delivery services (Route 53, CloudFront, API Gateway, ...)",
        &[
            "apigateway", "apigatewayv2", "appmesh", "arcregionswitch", "arczonalshift", "cloudfront",
            "directconnect", "globalaccelerator", "interconnect", "internetmonitor",
            "networkfirewall", "networkflowmonitor", "networkmanager", "networkmonitor",
            "networksecuritymanager", "route53", "route53globalresolver", "route53profiles",
            "route53recoverycontrol", "route53recoveryreadiness", "route53resolver", "rtbfabric",
            "servicediscovery", "vpclattice",
        ],
    ),
    (
        "analytics",
        "analytics services (Athena, Glue, Kinesis, OpenSearch, ...)",
        &[
            "appflow", "athena", "cleanrooms", "cleanroomsml", "databrew", "dataexchange",
            "datapipeline", "datazone", "elasticsearch", "emr", "emrcontainers", "emrserverless",
            "entityresolution", "finspace", "glue", "kafkaconnect", "kinesis", "kinesisanalytics",
            "kinesisanalyticsv2", "kinesisfirehose", "lakeformation", "msk", "mwaa", "mwaaserverless",
            "opensearch", "opensearchserverless", "opensearchservice", "osis", "quicksight",
        ],
    ),
    (
        "ml",
        "machine learning and AI services (SageMaker, Bedrock, Lex, ...)",
        &[
            "agentregistry", "aiops", "alexa_ask", "awsexternalanthropic", "bedrock",
            "bedrockagentcore", "bedrockmantle", "comprehend", "devopsagent", "forecast",
            "frauddetector", "healthagent", "healthimaging", "healthlake", "kendra", "kendraranking",
            "lex", "lookoutequipment", "lookoutvision", "novaact", "omics", "panorama", "personalize",
            "polly", "qbusiness", "rekognition", "sagemaker", "textract", "transcribe", "translate",
            "voiceid", "wisdom",
        ],
    ),
    (
        "management",
        "management, governance, monitoring and cost services (CloudFormation, CloudWatch, Organizations, ...)",
        &[
            "accountaccess", "aps", "applicationinsights", "applicationsignals", "bcm",
            "bcmdataexports", "bcmpricingcalculator", "billing", "billingconductor", "budgets", "cdk",
            "ce", "chatbot", "cloudformation", "cloudtrail", "cloudwatch", "config", "controltower",
            "cur", "devopsguru", "evidently", "fis", "grafana", "invoicing", "licensemanager",
            "licensemanagerlinuxsubscriptions", "licensemanagerusersubscriptions", "logs",
            "notifications", "notificationscontacts", "oam", "observabilityadmin", "opsworks",
            "organizations", "pricingplanmanager", "ram", "refactorspaces", "resiliencehub",
            "resiliencehubv2", "resourceexplorer2", "resourcegroups", "rum", "servicecatalog",
            "servicecatalogappregistry", "ssm", "ssmcontacts", "ssmguiconnect", "ssmincidents",
            "ssmquicksetup", "supportapp", "supportauthz", "synthetics", "systemsmanagersap",
            "wellarchitected", "xray",
        ],
    ),
    (
        "devtools",
        "developer tools (CodeBuild, CodePipeline, Amplify, AppConfig, ...)",
        &[
            "amplify", "amplifyuibuilder", "appconfig", "apptest", "codeartifact", "codebuild",
            "codecommit", "codeconnections", "codedeploy", "codeguruprofiler", "codegurureviewer",
            "codepipeline", "codestar", "codestarconnections", "codestarnotifications", "devicefarm",
            "proton",
        ],
    ),
    (
        "integration",
        "application integration and messaging services (SNS, SQS, EventBridge, Step Functions, ...)",
        &[
            "amazonmq", "appfabric", "appintegrations", "appsync", "b2bi", "cases", "chime",
            "connect", "connectcampaigns", "connectcampaignsv2", "customerprofiles", "events",
            "eventschemas", "eventsv2", "location", "pinpoint", "pinpointemail", "pipes", "scheduler",
            "ses", "smsvoice", "sns", "sqs", "stepfunctions", "wickr",
        ],
    ),
    (
        "iot",
        "IoT and media services (IoT Core, Greengrass, MediaLive, IVS, ...)",
        &[
            "elementalinference", "greengrass", "greengrassv2", "groundstation", "iot",
            "iotanalytics", "iotcoredeviceadvisor", "iotevents", "iotfleetwise",
            "iotmanagedintegrations", "iotsecuretunneling", "iotsitewise", "iotthingsgraph",
            "iottwinmaker", "iotwireless", "ivs", "ivschat", "kinesisvideo", "managedblockchain",
            "mediaconnect", "mediaconvert", "medialive", "mediapackage", "mediapackagev2",
            "mediastore", "mediatailor",
        ],
    ),
];

/// The group of services that no entry above lists.
pub const OTHER: (&str, &str) = ("other", "other services");

/// Services with a feature of the same name in the facade (`formwork`), as
/// before the split; every other service is enabled through its group
/// crate's feature (or the facade's `all-<group>`). Keep this well under
/// crates.io's 300 features per crate.
pub const FACADE_SERVICES: &[&str] = &[
    // security
    "acmpca",
    "certificatemanager",
    "cognito",
    "guardduty",
    "iam",
    "kms",
    "secretsmanager",
    "securityhub",
    "sso",
    "wafv2",
    // compute
    "applicationautoscaling",
    "apprunner",
    "autoscaling",
    "batch",
    "ec2",
    "ecr",
    "ecs",
    "eks",
    "elasticbeanstalk",
    "elasticloadbalancing",
    "elasticloadbalancingv2",
    "imagebuilder",
    "lambda",
    "lightsail",
    "serverless",
    // storage
    "backup",
    "datasync",
    "efs",
    "fsx",
    "s3",
    "s3express",
    "s3tables",
    "transfer",
    // database
    "dax",
    "docdb",
    "dynamodb",
    "elasticache",
    "memorydb",
    "neptune",
    "rds",
    "redshift",
    "redshiftserverless",
    "timestream",
    // networking
    "apigateway",
    "apigatewayv2",
    "cloudfront",
    "globalaccelerator",
    "networkfirewall",
    "route53",
    "route53resolver",
    "servicediscovery",
    "vpclattice",
    // analytics
    "athena",
    "glue",
    "kinesis",
    "kinesisanalyticsv2",
    "kinesisfirehose",
    "lakeformation",
    "msk",
    "opensearchservice",
    "quicksight",
    // ml
    "bedrock",
    "comprehend",
    "kendra",
    "lex",
    "polly",
    "rekognition",
    "sagemaker",
    "textract",
    "transcribe",
    // management
    "cloudformation",
    "cloudtrail",
    "cloudwatch",
    "config",
    "logs",
    "organizations",
    "ssm",
    "synthetics",
    "xray",
    // devtools
    "amplify",
    "appconfig",
    "codebuild",
    "codecommit",
    "codedeploy",
    "codepipeline",
    // integration
    "amazonmq",
    "appsync",
    "events",
    "pipes",
    "scheduler",
    "ses",
    "sns",
    "sqs",
    "stepfunctions",
    // iot
    "iot",
    "mediaconvert",
];

/// The group of a service module.
pub fn group_of(service: &str) -> &'static str {
    GROUPS
        .iter()
        .find(|(_, _, services)| services.contains(&service))
        .map_or(OTHER.0, |(g, _, _)| g)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_service_is_in_one_group_and_facade_services_exist() {
        let mut seen = HashSet::new();
        for (_, _, services) in GROUPS {
            for s in *services {
                assert!(seen.insert(*s), "{s} is in two groups");
            }
        }
        for s in FACADE_SERVICES {
            assert!(seen.contains(s), "facade service {s} is in no group");
        }
        assert_eq!(group_of("s3"), "storage");
        assert_eq!(group_of("not-a-service"), "other");
    }
}
