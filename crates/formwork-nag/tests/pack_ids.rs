//! The AwsSolutions pack has exactly cdk-nag 2.38.2's rules, in its order
//! (the `ruleSuffixOverride`s of `lib/packs/aws-solutions.js`), each with
//! an info and an explanation.

/// cdk-nag 2.38.2's `AwsSolutionsChecks`, in the order it applies them.
const CDK_NAG_IDS: [&str; 131] = [
    "EB1", "EB3", "EB4", "EC23", "EC26", "EC27", "EC28", "EC29", "ECR1", "ECS2", "ECS4", "ECS7",
    "EKS1", "EKS2", "ELB1", "ELB2", "ELB3", "ELB4", "ELB5", "S1", "S2", "S5", "S10", "EFS1",
    "RDS2", "RDS3", "RDS6", "RDS8", "RDS10", "RDS11", "RDS13", "RDS14", "RDS16", "DDB3", "DDB4",
    "AEC1", "AEC3", "AEC4", "AEC5", "AEC6", "N1", "N2", "N3", "N4", "N5", "RS1", "RS2", "RS3",
    "RS4", "RS5", "RS6", "RS8", "RS9", "RS10", "RS11", "DOC1", "DOC2", "DOC3", "DOC4", "DOC5",
    "TS3", "VPC3", "VPC7", "CFR1", "CFR2", "CFR3", "CFR4", "CFR5", "CFR6", "CFR7", "APIG1",
    "APIG2", "APIG3", "APIG4", "APIG6", "AS1", "AS2", "AS3", "LEX4", "SM1", "SM2", "SM3", "EMR2",
    "EMR4", "EMR5", "EMR6", "GL1", "GL3", "KDA3", "KDF1", "KDS1", "KDS3", "MSK2", "MSK3", "MSK6",
    "OS1", "OS2", "OS3", "OS4", "OS5", "OS7", "OS8", "OS9", "QS1", "IAM4", "IAM5", "COG1", "COG2",
    "COG4", "COG7", "COG8", "KMS5", "SMG4", "ASC3", "SF1", "SF2", "EVB1", "SNS3", "SQS2", "SQS3",
    "SQS4", "MS1", "MS3", "MS4", "MS7", "MS8", "MS10", "CB4", "CB5", "C91", "L1",
];

#[test]
fn the_pack_has_every_cdk_nag_rule_in_order() {
    let ours: Vec<&str> = formwork_nag::AWS_SOLUTIONS.rules().map(|r| r.id).collect();
    assert_eq!(ours, CDK_NAG_IDS);
    for rule in formwork_nag::AWS_SOLUTIONS.rules() {
        assert!(
            !rule.info.is_empty() && !rule.explanation.is_empty(),
            "{}",
            rule.id
        );
    }
}
