// Generates large, valid BVLC nets for benchmarks and load tests: a plain chain of
// convolution / batch-norm / scale / ReLU / pooling blocks with comments, of roughly the size asked.

export function generateNet(targetBytes: number): string {
  const parts: string[] = [
    '# generated benchmark net\n',
    'name: "GeneratedNet"\n',
    'layer {\n  name: "data"\n  type: "Input"\n  top: "data"\n  input_param { shape { dim: 1 dim: 3 dim: 224 dim: 224 } }\n}\n',
  ];
  let size = parts.reduce((n, p) => n + p.length, 0);
  let prev = 'data';
  for (let i = 0; size < targetBytes; i++) {
    const conv = `conv${i}`;
    const block =
      `# block ${i}: 3x3 convolution, batch norm, scale, ReLU\n` +
      `layer {\n  name: "${conv}"\n  type: "Convolution"\n  bottom: "${prev}"\n  top: "${conv}"\n` +
      `  param { lr_mult: 1 decay_mult: 1 }\n` +
      `  convolution_param {\n    num_output: 64\n    kernel_size: 3\n    pad: 1\n    stride: 1\n` +
      `    bias_term: false\n    weight_filler { type: "msra" }\n  }\n}\n` +
      `layer {\n  name: "bn${i}"\n  type: "BatchNorm"\n  bottom: "${conv}"\n  top: "${conv}"\n` +
      `  batch_norm_param { use_global_stats: true eps: 1e-5 }\n}\n` +
      `layer {\n  name: "scale${i}"\n  type: "Scale"\n  bottom: "${conv}"\n  top: "${conv}"\n` +
      `  scale_param { bias_term: true }\n}\n` +
      `layer {\n  name: "relu${i}"\n  type: "ReLU"\n  bottom: "${conv}"\n  top: "${conv}"  # in place\n}\n`;
    parts.push(block);
    size += block.length;
    prev = conv;
  }
  return parts.join('');
}
