// The stack of examples/lex-web-bot.rs (the Lex tutorial, step "Set up Amazon
// Cognito") with the AWS CDK, for benches/compare-cdk.sh.
//
//   node lex-web-bot.js [DIR]                    # assembly to DIR / $CDK_OUTDIR / cdk.out
//   SKIP_VALIDATION=1 node lex-web-bot.js [DIR]  # app.synth({ skipValidation: true })
'use strict';
const { Stack, CfnOutput } = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const { newApp, stackProps, synth, botPool } = require('./common');

const app = newApp(process.argv[2]);
const stack = new Stack(app, 'LexWebBotStack', stackProps({
  description: 'Amazon Cognito identity pool for the Lex web bot tutorial',
}));

// "Create an identity pool ... enable access to unauthenticated identities",
// its authenticated and unauthenticated roles each trusting only this pool;
// "attach the AmazonLexRunBotsOnly policy to both roles" (role.addManagedPolicy).
const lex = iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonLexRunBotsOnly');
const { pool, authenticatedRole, unauthenticatedRole } = botPool(stack, 'BotPool', lex);

// "Record the identity pool ID and the role names".
new CfnOutput(stack, 'IdentityPoolId', {
  value: pool.ref,
  description: 'Cognito identity pool ID for the web page',
});
new CfnOutput(stack, 'AuthenticatedRoleName', { value: authenticatedRole.roleName });
new CfnOutput(stack, 'UnauthenticatedRoleName', { value: unauthenticatedRole.roleName });

synth(app);
