/** `sr2l info`: versions, CPU kernels and the WebGPU adapter, for bug reports and run records. */
import { parseArgs } from 'node:util';
import { version } from '../../version.js';
import { describeAdapter, webgpuInfo, type AdapterReport } from '../../kernels/webgpu/index.js';
import { cpuBackend } from '../../kernels/cpu/index.js';
import type { Command } from '../command.js';

/** The WebGPU adapter, or why there is none. */
async function probeWebGPU(): Promise<
  { available: true; adapter: AdapterReport } | { available: false; reason: string }
> {
  try {
    return { available: true, adapter: await webgpuInfo() };
  } catch (e) {
    return { available: false, reason: (e as Error).message };
  }
}

export const info: Command = {
  summary: 'print versions, the CPU kernels and the WebGPU adapter',
  usage: 'sr2l info [--json] [--no-webgpu]',
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        'no-webgpu': { type: 'boolean', default: false },
      },
    });
    const webgpu = values['no-webgpu']
      ? { available: false as const, reason: 'not probed (--no-webgpu)' }
      : await probeWebGPU();
    const facts = {
      sr2l: version,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      backends: {
        cpu: { available: true, dtypes: ['float32', 'float64', 'int32'], kernels: cpuBackend.kernels },
        webgpu,
      },
    };
    if (values.json) {
      console.log(JSON.stringify(facts, null, 2));
      return 0;
    }
    console.log(`sr2l ${facts.sr2l} on Node ${facts.node} (${facts.platform})`);
    console.log(`cpu      float32, float64, int32; ${cpuBackend.kernels} kernels`);
    if (webgpu.available) {
      console.log(`webgpu   ${describeAdapter(webgpu.adapter)}`);
      const l = webgpu.adapter.limits;
      console.log(
        `         maxComputeInvocationsPerWorkgroup ${l.maxComputeInvocationsPerWorkgroup}, maxStorageBuffersPerShaderStage ${l.maxStorageBuffersPerShaderStage}, maxBufferSize ${l.maxBufferSize}`,
      );
    } else {
      console.log(`webgpu   unavailable: ${webgpu.reason}`);
    }
    return 0;
  },
};
