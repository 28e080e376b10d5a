//! Missing region or credentials give a one-line error that says what to set.
//!
//! This is the only test in this binary because it changes the process
//! environment.

use formwork_deploy::{Clients, ConnectOptions, DeployError};

#[tokio::test]
async fn missing_region_and_credentials_are_one_line_errors() {
    for var in [
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    ] {
        std::env::remove_var(var);
    }
    std::env::set_var("AWS_CONFIG_FILE", "/nonexistent/formwork/config");
    std::env::set_var(
        "AWS_SHARED_CREDENTIALS_FILE",
        "/nonexistent/formwork/credentials",
    );
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");

    let err = Clients::connect(&ConnectOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, DeployError::NoRegion), "{err:?}");
    let msg = err.to_string();
    assert!(!msg.contains('\n'));
    assert!(
        msg.contains("set AWS_REGION") && msg.contains("--region"),
        "{msg}"
    );

    let options = ConnectOptions {
        region: Some("us-east-1".into()),
        ..Default::default()
    };
    let err = Clients::connect(&options).await.unwrap_err();
    assert!(matches!(err, DeployError::NoCredentials { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(!msg.contains('\n'), "{msg}");
    assert!(msg.starts_with("no AWS credentials were found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE"), "{msg}");

    // With both, connecting needs no network.
    std::env::set_var("AWS_ACCESS_KEY_ID", "testing");
    std::env::set_var("AWS_SECRET_ACCESS_KEY", "testing");
    let clients = Clients::connect(&options).await.expect("connects");
    assert_eq!(clients.region, "us-east-1");
}
