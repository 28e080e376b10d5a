// `pool N` of examples/scale.rs (`build_pools` in examples/support/scale_app.rs)
// with the AWS CDK, for benches/compare-cdk.sh: N copies of the lex-web-bot
// pattern (an identity pool, its two roles and their attachment,
// AmazonLexRunBotsOnly on both roles), 100 per stack (ScalePool1, ...), with
// one output per pool.
//
//   node pool.js N [DIR]                    # assembly to DIR / $CDK_OUTDIR / cdk.out
//   SKIP_VALIDATION=1 node pool.js N [DIR]  # app.synth({ skipValidation: true })
'use strict';
const { Stack, CfnOutput } = require('aws-cdk-lib');
const iam = require('aws-cdk-lib/aws-iam');
const { newApp, stackProps, synth, botPool, count } = require('./common');

const POOLS_PER_STACK = 100;
const n = count(process.argv[2], 'node pool.js N [DIR]');

const app = newApp(process.argv[3]);
const lex = iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonLexRunBotsOnly');
for (let first = 0, s = 1; first < n; first += POOLS_PER_STACK, s++) {
  const stack = new Stack(app, `ScalePool${s}`, stackProps());
  for (let i = first; i < Math.min(n, first + POOLS_PER_STACK); i++) {
    const id = `BotPool${i}`;
    const { pool } = botPool(stack, id, lex);
    new CfnOutput(stack, `${id}Id`, { value: pool.ref });
  }
}

synth(app);
