// `roles N` of examples/scale.rs (`build_roles` in examples/support/scale_app.rs)
// with the AWS CDK, for benches/compare-cdk.sh: N IAM roles, 400 per stack
// (ScaleRoles1, ScaleRoles2, ...), each stack with one Cognito identity pool
// that its roles trust (alternately as authenticated and unauthenticated
// identities), and AmazonLexRunBotsOnly attached to every role.
//
//   node roles.js N [DIR]                    # assembly to DIR / $CDK_OUTDIR / cdk.out
//   SKIP_VALIDATION=1 node roles.js N [DIR]  # app.synth({ skipValidation: true })
'use strict';
const { Stack, CfnOutput, CfnResource } = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const { newApp, stackProps, synth, poolRole, count } = require('./common');

const ROLES_PER_STACK = 400;
const n = count(process.argv[2], 'node roles.js N [DIR]');

const app = newApp(process.argv[3]);
const lex = iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonLexRunBotsOnly');
for (let first = 0, s = 1; first < n; first += ROLES_PER_STACK, s++) {
  const stack = new Stack(app, `ScaleRoles${s}`, stackProps());
  // formwork's example adds the pool as an untyped resource; so does this.
  const pool = new CfnResource(stack, 'Pool', {
    type: 'AWS::Cognito::IdentityPool',
    properties: { AllowUnauthenticatedIdentities: true },
  });
  new CfnOutput(stack, 'IdentityPoolId', { value: pool.ref });
  for (let i = first; i < Math.min(n, first + ROLES_PER_STACK); i++) {
    const amr = i % 2 === 0 ? 'authenticated' : 'unauthenticated';
    poolRole(stack, `Role${i}`, pool.ref, amr).addManagedPolicy(lex);
  }
}

synth(app);
