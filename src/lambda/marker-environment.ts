import type { Platform } from './platform.js';

/** A Lambda platform's platform key: one marker verdict per runtime and architecture. */
export const platformKey = (platform: Platform) => `${platform.runtime}/${platform.architecture}`;

/**
 * PEP 508's marker variables as a Lambda runtime sets them. Only the minor version is known, so
 * python_full_version is "X.Y.0"; the kernel's platform_release and platform_version are left empty.
 */
export function markerEnvironment(platform: Platform): Record<string, string> {
  return {
    implementation_name: 'cpython',
    implementation_version: `${platform.pythonVersion}.0`,
    os_name: 'posix',
    platform_machine: platform.architecture === 'arm64' ? 'aarch64' : 'x86_64',
    platform_python_implementation: 'CPython',
    platform_release: '',
    platform_system: 'Linux',
    platform_version: '',
    python_full_version: `${platform.pythonVersion}.0`,
    python_version: platform.pythonVersion,
    sys_platform: 'linux',
    extra: ''
  };
}
