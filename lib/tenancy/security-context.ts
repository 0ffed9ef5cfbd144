/**
 * The securityContext every tenant-owned container runs with: what Pod Security `restricted` demands
 * (non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp) plus a read-only
 * root filesystem. Typed as the provider's plain-object shape so Jobs and Deployments share it.
 */
export const RESTRICTED_POD_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  // 65534 is `nobody` in Debian- and Alpine-based images: never root, whatever the image's USER says.
  runAsUser: '65534',
  runAsGroup: '65534',
  fsGroup: '65534',
  seccompProfile: { type: 'RuntimeDefault' },
};

export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
