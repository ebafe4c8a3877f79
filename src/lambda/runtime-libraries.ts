import type { Platform } from './platform.js';

/**
 * The shared libraries a Lambda Python runtime provides to extension modules, besides what the function and its
 * layers ship. Conservative: a library missing here fails the build, so each is one the runtime's OS or its
 * CPython is known to carry.
 * - glibc's own libraries and the dynamic loader, libgcc_s and libstdc++: the core of the manylinux policies
 *   (PEP 599, PEP 600; auditwheel's policy list), present in every Amazon Linux image. The rest of that list
 *   (libX11, libGL, libglib, ...) is not on Lambda's minimal images: a wheel needing libGL.so.1
 *   (opencv-python, not -headless) fails there, so they are left out on purpose.
 * - zlib and OpenSSL, which the runtime's CPython links (zlib, _ssl, _hashlib): Amazon Linux 2 ships OpenSSL 1.0.2k
 *   as libssl.so.10 / libcrypto.so.10 in /lib64 (a listing from a Lambda function: awslabs/aws-media-replay-engine#13;
 *   libssl.so.1.1 is not there: aws/aws-lambda-rust-runtime#683); Amazon Linux 2023 ships OpenSSL 3, libssl.so.3 /
 *   libcrypto.so.3 (amazonlinux/amazon-linux-2023#625, ldd of _ssl in the Lambda images).
 * - libffi, which CPython's _ctypes links: libffi.so.6 on AL2 (aws/aws-lambda-base-images#129 shows the python:3.11
 *   image's ctypes needing it), libffi.so.8 on AL2023 (libffi 3.4).
 * - the runtime's libpython.
 * libexpat is not listed: the python3.12 execution environment lacks libexpat.so.1 although the build image has
 * it (developmentseed/eoapi-cdk#182).
 */
const GLIBC = [
  'libc.so.6',
  'libm.so.6',
  'libdl.so.2',
  'librt.so.1',
  'libpthread.so.0',
  'libutil.so.1',
  'libresolv.so.2',
  'ld-linux-x86-64.so.2',
  'ld-linux-aarch64.so.1'
];
const TOOLCHAIN = ['libgcc_s.so.1', 'libstdc++.so.6', 'libz.so.1'];
const AL2 = ['libssl.so.10', 'libcrypto.so.10', 'libffi.so.6'];
const AL2023 = ['libssl.so.3', 'libcrypto.so.3', 'libffi.so.8'];

/** The libraries the platform's runtime provides, by the names DT_NEEDED uses. */
export function runtimeLibraries(platform: Platform): Set<string> {
  const os = platform.glibc[1] >= 34 ? AL2023 : AL2;
  return new Set([...GLIBC, ...TOOLCHAIN, ...os, `libpython${platform.pythonVersion}.so.1.0`]);
}
