import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { componentTags } from '../tags';

export interface ServiceRoleProps {
  readonly name: string;
  /** Service principal allowed to assume the role, e.g. `eks.amazonaws.com`. */
  readonly servicePrincipal: string;
  /** AWS-managed policy names (without the `arn:aws:iam::aws:policy/` prefix). */
  readonly managedPolicies: readonly string[];
  readonly component: string;
  /** Pod Identity also needs sts:TagSession to pass session tags. */
  readonly tagSession?: boolean;
}

/** An IAM role a service assumes, with its AWS-managed policies attached (one attachment per policy). */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    this.role = new IamRole(this, 'role', {
      name: props.name,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: props.servicePrincipal },
            Action: props.tagSession ? ['sts:AssumeRole', 'sts:TagSession'] : 'sts:AssumeRole',
          },
        ],
      }),
      tags: componentTags(props.component, props.name),
    });
    this.attachments = props.managedPolicies.map(
      (policy) =>
        new IamRolePolicyAttachment(this, policy.replace(/\//g, '-'), {
          role: this.role.name,
          policyArn: `arn:aws:iam::aws:policy/${policy}`,
        }),
    );
  }

  get arn(): string {
    return this.role.arn;
  }
}
