/**
 * The comparison point of `npm run bench`: a cdk-eks-blueprints (AWS CDK, CloudFormation) synth of an EKS
 * cluster with 9 add-ons and no RAG components, in the same region and at the same add-on versions as
 * our default example. Plain JavaScript on purpose: it runs against the packages scripts/bench.ts installs
 * into .tools/bench-blueprints (NODE_PATH), which our own build and lock file never see.
 *
 * Usage: NODE_PATH=.tools/bench-blueprints/node_modules node scripts/bench/eks-blueprints-app.js <outdir>
 * Prints one JSON line: this process's CPU time (user + system, ms) and peak RSS (MB).
 */
const cdk = require('aws-cdk-lib');
const { KubernetesVersion } = require('aws-cdk-lib/aws-eks');
const blueprints = require('@aws-quickstart/eks-blueprints');

async function main(outdir) {
  const app = new cdk.App({ outdir });
  // Explicit versions: "auto" would ask the EKS API at synth time.
  const addOns = [
    new blueprints.addons.VpcCniAddOn({ version: 'v1.20.4-eksbuild.1' }),
    new blueprints.addons.CoreDnsAddOn('v1.12.4-eksbuild.1'),
    new blueprints.addons.KubeProxyAddOn('v1.34.1-eksbuild.2'),
    new blueprints.addons.EbsCsiDriverAddOn({ version: 'v1.51.1-eksbuild.1' }),
    new blueprints.addons.AwsLoadBalancerControllerAddOn(),
    new blueprints.addons.ClusterAutoScalerAddOn({ version: 'v1.34.2' }),
    new blueprints.addons.MetricsServerAddOn(),
    new blueprints.addons.CertManagerAddOn(),
    new blueprints.addons.ExternalsSecretsAddOn(),
  ];
  await blueprints.EksBlueprint.builder()
    .account('111122223333')
    .region('me-central-1')
    .version(KubernetesVersion.V1_34)
    .addOns(...addOns)
    .buildAsync(app, 'bench-blueprint');
  app.synth();
  const cpu = process.cpuUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: process.resourceUsage().maxRSS / 1024, addOns: addOns.length };
}

main(process.argv[2]).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error) => {
    process.stderr.write(`eks-blueprints bench app failed: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
